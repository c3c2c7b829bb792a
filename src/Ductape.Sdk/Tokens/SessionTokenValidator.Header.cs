using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>Steps 4–6: the protected header, read once per key and remembered.</summary>
public sealed partial class SessionTokenValidator
{
    private int AcceptedHeaderKey(ReadOnlySpan<char> headerText)
    {
        for (var i = 0; i < _acceptedHeaders.Length; i++)
        {
            if (Volatile.Read(ref _acceptedHeaders[i]) is { } accepted && headerText.SequenceEqual(accepted))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Decodes and checks the header (then the empty encrypted key); on success, the index of the key it names.</summary>
    private SessionTokenFailure CheckHeader(ReadOnlySpan<char> headerText, bool encryptedKeyIsEmpty, out int keyIndex)
    {
        keyIndex = -1;
        Span<byte> header = stackalloc byte[Base64Url.DecodedLength(headerText.Length) is var n and > 0 ? n : 0];
        if (header.IsEmpty || !Base64Url.TryDecode(headerText, header, out var headerLength))
        {
            return SessionTokenFailure.Malformed;
        }

        Span<char> kid = stackalloc char[SessionKey.MaxKeyIdLength];
        var failure = ReadHeader(header[..headerLength], kid, out var kidLength, out var encryption);
        if (failure != SessionTokenFailure.None)
        {
            return failure;
        }

        // dir: the key is agreed in advance, so the encrypted-key segment must be empty.
        if (!encryptedKeyIsEmpty)
        {
            return SessionTokenFailure.Malformed;
        }

        keyIndex = _keys.IndexOf(kid[..kidLength]);
        if (keyIndex < 0)
        {
            return SessionTokenFailure.UnknownKey;
        }

        return _pools[keyIndex].Key.Secret.Length == SessionTokenEncryptions.KeySize(encryption)
            ? SessionTokenFailure.None
            : SessionTokenFailure.UnsupportedAlgorithm;
    }

    private SessionTokenFailure ReadHeader(ReadOnlySpan<byte> json, Span<char> kid, out int kidLength, out SessionTokenEncryption encryption)
    {
        kidLength = -1;
        encryption = SessionTokenEncryption.None;
        bool? algIsDir = null, typIsJwt = null;
        var hasEnc = false;
        var zipOrCrit = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SessionTokenFailure.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (algIsDir is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    algIsDir = reader.ValueTextEquals("dir"u8);
                }
                else if (reader.ValueTextEquals("enc"u8))
                {
                    if (hasEnc || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    hasEnc = true;
                    encryption = reader.ValueIsEscaped ? SessionTokenEncryption.None : SessionTokenEncryptions.FromHeader(reader.ValueSpan);
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (kidLength >= 0 || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    // A kid longer than any key id we accept cannot match: treat it as unknown, not as malformed.
                    kidLength = reader.ValueSpan.Length <= kid.Length * 6 && reader.ValueSpan.Length > 0
                        ? CopyKid(ref reader, kid)
                        : 0;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    if (typIsJwt is not null || !reader.Read())
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    typIsJwt = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("JWT"u8);
                }
                else if (reader.ValueTextEquals("zip"u8) || reader.ValueTextEquals("crit"u8))
                {
                    zipOrCrit = true;
                    reader.Read();
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return SessionTokenFailure.Malformed;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            return SessionTokenFailure.Malformed;
        }

        if (algIsDir is null)
        {
            return SessionTokenFailure.Malformed;
        }

        if (algIsDir == false || zipOrCrit)
        {
            return SessionTokenFailure.UnsupportedAlgorithm;
        }

        if (!hasEnc)
        {
            return SessionTokenFailure.Malformed;
        }

        if (encryption == SessionTokenEncryption.None || (encryption & _allowed) == 0)
        {
            return SessionTokenFailure.UnsupportedAlgorithm;
        }

        if (kidLength < 0 || typIsJwt == false)
        {
            return SessionTokenFailure.Malformed;
        }

        return kidLength == 0 ? SessionTokenFailure.UnknownKey : SessionTokenFailure.None;
    }

    private static int CopyKid(ref Utf8JsonReader reader, Span<char> kid)
    {
        Span<char> scratch = stackalloc char[SessionKey.MaxKeyIdLength * 6];
        var length = reader.CopyString(scratch);
        if (length > kid.Length)
        {
            return 0;
        }

        scratch[..length].CopyTo(kid);
        return length;
    }
}
