using System.Text;
using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>Steps 8–14: claims, issuer, tag, time, audience and revocation.</summary>
public sealed partial class SessionTokenValidator
{
    private SessionTokenValidationResult ReadClaims(
        ReadOnlySpan<byte> json, ReadOnlySpan<char> prefix, string? expectedTag, string? expectedProduct, string? expectedEnv,
        bool checkRevocations, string? source, AesGcmPool pool)
    {
        string? prd = null, env = null;
        Claim sub = default, sid = default;
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
                var ok = NameOf(ref reader) switch
                {
                    ClaimName.Iss => issuerMatches is null && ReadString(ref reader) && Set(ref issuerMatches, reader.ValueTextEquals(_issuer)),
                    ClaimName.Tag => tagMatches is null && ReadString(ref reader) && Set(ref tagMatches, reader.ValueTextEquals(prefix)),
                    ClaimName.Sub => !sub.Found && ReadString(ref reader) && Claim.Read(ref reader, out sub),
                    ClaimName.Sid => !sid.Found && ReadString(ref reader) && Claim.Read(ref reader, out sid),
                    ClaimName.Prd => prd is null && ReadString(ref reader) && (prd = Audience(ref reader, expectedProduct)) is not null,
                    ClaimName.Env => env is null && ReadString(ref reader) && (env = Audience(ref reader, expectedEnv)) is not null,
                    ClaimName.Iat => iat is null && ReadNumericDate(ref reader, out iat),
                    ClaimName.Nbf => nbf is null && ReadNumericDate(ref reader, out nbf),
                    ClaimName.Exp => exp is null && ReadNumericDate(ref reader, out exp),
                    ClaimName.Data => dataStart < 0 && ReadData(ref reader, out dataStart, out dataEnd),
                    _ => reader.Read() && reader.TrySkip(),
                };

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

        if (issuerMatches is null || tagMatches is null || !sub.Found || !sid.Found || prd is null || env is null
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

        // One buffer: the session id and the identifier, then the data unless the session can read it again from the token.
        var sidBytes = sid.Bytes(json);
        var subBytes = sub.Bytes(json);
        var data = source is not null ? [] : dataStart < 0 ? "{}"u8 : json[dataStart..dataEnd];
        var claims = new byte[sidBytes.Length + subBytes.Length + data.Length];
        sidBytes.CopyTo(claims);
        subBytes.CopyTo(claims.AsSpan(sidBytes.Length));
        data.CopyTo(claims.AsSpan(sidBytes.Length + subBytes.Length));
        var session = new ValidatedSession(
            claims, sidBytes.Length, subBytes.Length, expectedTag ?? prefix.ToString(), prd, env,
            ToMilliseconds(iat.Value), ToMilliseconds(nbf.Value), ToMilliseconds(exp.Value), source, source is null ? null : pool);
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

    private enum ClaimName
    {
        Other,
        Iss,
        Tag,
        Sub,
        Sid,
        Prd,
        Env,
        Iat,
        Nbf,
        Exp,
        Data,
    }

    /// <summary>
    /// Which claim the reader is on. Names are compared as whole words of their bytes (one switch, not a comparison per known
    /// name); a name written with escapes takes the reader's own comparison, so <c>"\u0065xp"</c> is still <c>exp</c>.
    /// </summary>
    private static ClaimName NameOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.ValueTextEquals("iss"u8) ? ClaimName.Iss
                : reader.ValueTextEquals("tag"u8) ? ClaimName.Tag
                : reader.ValueTextEquals("sub"u8) ? ClaimName.Sub
                : reader.ValueTextEquals("sid"u8) ? ClaimName.Sid
                : reader.ValueTextEquals("prd"u8) ? ClaimName.Prd
                : reader.ValueTextEquals("env"u8) ? ClaimName.Env
                : reader.ValueTextEquals("iat"u8) ? ClaimName.Iat
                : reader.ValueTextEquals("nbf"u8) ? ClaimName.Nbf
                : reader.ValueTextEquals("exp"u8) ? ClaimName.Exp
                : reader.ValueTextEquals("data"u8) ? ClaimName.Data
                : ClaimName.Other;
        }

        var name = reader.ValueSpan; // one segment: the reader reads one span of decrypted claims
        return name.Length switch
        {
            3 => (name[0] | (name[1] << 8) | (name[2] << 16)) switch
            {
                'i' | ('s' << 8) | ('s' << 16) => ClaimName.Iss,
                't' | ('a' << 8) | ('g' << 16) => ClaimName.Tag,
                's' | ('u' << 8) | ('b' << 16) => ClaimName.Sub,
                's' | ('i' << 8) | ('d' << 16) => ClaimName.Sid,
                'p' | ('r' << 8) | ('d' << 16) => ClaimName.Prd,
                'e' | ('n' << 8) | ('v' << 16) => ClaimName.Env,
                'i' | ('a' << 8) | ('t' << 16) => ClaimName.Iat,
                'n' | ('b' << 8) | ('f' << 16) => ClaimName.Nbf,
                'e' | ('x' << 8) | ('p' << 16) => ClaimName.Exp,
                _ => ClaimName.Other,
            },
            4 when name.SequenceEqual("data"u8) => ClaimName.Data,
            _ => ClaimName.Other,
        };
    }

    private static bool ReadData(ref Utf8JsonReader reader, out int start, out int end)
    {
        (start, end) = (-1, -1);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        start = (int)reader.TokenStartIndex;
        reader.Skip();
        end = (int)reader.BytesConsumed;
        return true;
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
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        // Whole seconds are the rule: the integer parse is the fast one, a fractional value takes the second.
        double seconds = reader.TryGetInt64(out var whole) ? whole : reader.TryGetDouble(out var fractional) ? fractional : double.NaN;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799) // year 9999
        {
            return false;
        }

        value = seconds;
        return true;
    }

    private static long ToMilliseconds(double seconds) => (long)(seconds * 1000);

    /// <summary>The <c>data</c> claim of decrypted claims, copied; <c>{}</c> when there is none.</summary>
    private static byte[] DataOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxClaimsDepth });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return json[start..(int)reader.BytesConsumed].ToArray();
            }

            reader.Skip();
        }

        return "{}"u8.ToArray();
    }

    /// <summary>Where a string claim's UTF-8 lies in the claims, or its unescaped bytes when it was written with escapes.</summary>
    private readonly struct Claim
    {
        private readonly int _start;
        private readonly int _length;
        private readonly byte[]? _unescaped;

        private Claim(int start, int length, byte[]? unescaped)
        {
            (_start, _length, _unescaped, Found) = (start, length, unescaped, true);
        }

        public bool Found { get; }

        public static bool Read(ref Utf8JsonReader reader, out Claim claim)
        {
            claim = reader.ValueIsEscaped
                ? new Claim(0, 0, Encoding.UTF8.GetBytes(reader.GetString()!))
                : new Claim((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, null); // past the opening quote
            return true;
        }

        public ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> json) => _unescaped ?? json.Slice(_start, _length);
    }
}
