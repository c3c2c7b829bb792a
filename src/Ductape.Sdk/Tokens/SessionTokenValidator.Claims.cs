using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>Steps 8–14: claims, issuer, tag, time, audience and revocation.</summary>
public sealed partial class SessionTokenValidator
{
    private SessionTokenValidationResult ReadClaims(
        ReadOnlySpan<byte> json, ReadOnlySpan<char> prefix, string? expectedTag, string? expectedProduct, string? expectedEnv,
        bool checkRevocations)
    {
        string? sub = null, sid = null, prd = null, env = null;
        double? iat = null, nbf = null, exp = null;
        bool? issuerMatches = null, tagMatches = null;
        var dataStart = -1;
        var dataEnd = -1;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxClaimsDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ok = true;
                if (reader.ValueTextEquals("iss"u8))
                {
                    ok = issuerMatches is null && ReadString(ref reader) && Set(ref issuerMatches, reader.ValueTextEquals(_issuer));
                }
                else if (reader.ValueTextEquals("tag"u8))
                {
                    ok = tagMatches is null && ReadString(ref reader) && Set(ref tagMatches, reader.ValueTextEquals(prefix));
                }
                else if (reader.ValueTextEquals("sub"u8))
                {
                    ok = sub is null && ReadString(ref reader) && (sub = reader.GetString()) is not null;
                }
                else if (reader.ValueTextEquals("sid"u8))
                {
                    ok = sid is null && ReadString(ref reader) && (sid = reader.GetString()) is not null;
                }
                else if (reader.ValueTextEquals("prd"u8))
                {
                    ok = prd is null && ReadString(ref reader) && (prd = Audience(ref reader, expectedProduct)) is not null;
                }
                else if (reader.ValueTextEquals("env"u8))
                {
                    ok = env is null && ReadString(ref reader) && (env = Audience(ref reader, expectedEnv)) is not null;
                }
                else if (reader.ValueTextEquals("iat"u8))
                {
                    ok = iat is null && ReadNumericDate(ref reader, out iat);
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    ok = nbf is null && ReadNumericDate(ref reader, out nbf);
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    ok = exp is null && ReadNumericDate(ref reader, out exp);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    ok = dataStart < 0 && reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                    if (ok)
                    {
                        dataStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        dataEnd = (int)reader.BytesConsumed;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (!ok)
                {
                    return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
        }

        if (issuerMatches is null || tagMatches is null || sub is null || sid is null || prd is null || env is null
            || iat is null || exp is null)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
        }

        if (issuerMatches == false)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.IssuerMismatch);
        }

        if (tagMatches == false || (expectedTag is not null && !prefix.SequenceEqual(expectedTag)))
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.TagMismatch);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (now >= exp.Value + _skewSeconds)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Expired);
        }

        nbf ??= iat;
        if (nbf.Value > now + _skewSeconds)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.NotYetValid);
        }

        if (expectedProduct is not null && (!string.Equals(prd, expectedProduct, StringComparison.Ordinal)
                                            || !string.Equals(env, expectedEnv, StringComparison.Ordinal)))
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.AudienceMismatch);
        }

        var data = dataStart < 0 ? "{}"u8.ToArray() : json[dataStart..dataEnd].ToArray();
        var session = new ValidatedSession(
            sid, expectedTag ?? prefix.ToString(), prd, env, sub,
            ToInstant(iat.Value), ToInstant(nbf.Value), ToInstant(exp.Value), data);
        return _revocations is null || !checkRevocations ? SessionTokenValidationResult.Valid(session) : CheckRevocation(session);
    }

    /// <summary>
    /// The last step, and the only place that asks a revocation store: it answers from memory; a store that throws is
    /// treated as not knowing (fail closed), never as an exception out of a validation.
    /// </summary>
    private SessionTokenValidationResult CheckRevocation(ValidatedSession session)
    {
        SessionRevocationState state;
        try
        {
            state = _revocations!.Check(session);
        }
        catch (Exception)
        {
            state = SessionRevocationState.Unknown;
        }

        return state switch
        {
            SessionRevocationState.Active => SessionTokenValidationResult.Valid(session),
            SessionRevocationState.Revoked => SessionTokenValidationResult.Fail(SessionTokenFailure.Revoked),
            _ => SessionTokenValidationResult.Fail(SessionTokenFailure.RevocationUnknown),
        };
    }

    private static bool ReadString(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.String;

    /// <summary>The claim's value: the expected string itself when it matches (no allocation on the hot path), else a copy.</summary>
    private static string? Audience(ref Utf8JsonReader reader, string? expected) =>
        expected is not null && reader.ValueTextEquals(expected) ? expected : reader.GetString();

    private static bool Set(ref bool? target, bool value)
    {
        target = value;
        return true;
    }

    private static bool ReadNumericDate(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799) // year 9999
        {
            return false;
        }

        value = seconds;
        return true;
    }

    private static DateTimeOffset ToInstant(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
}
