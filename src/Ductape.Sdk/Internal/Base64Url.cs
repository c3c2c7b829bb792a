namespace Ductape.Sdk;

/// <summary>
/// Strict, allocation-free base64url (RFC 4648 §5, no padding): any character outside the alphabet, a length of 4n+1, or
/// non-zero unused bits in the last character is rejected, so every byte string has exactly one accepted spelling.
/// </summary>
internal static class Base64Url
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static ReadOnlySpan<sbyte> Values =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
        52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
        -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
        -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
        41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    ];

    /// <summary>The decoded size of <paramref name="charCount"/> characters, or -1 when no valid encoding has that length.</summary>
    public static int DecodedLength(int charCount) => charCount % 4 == 1 ? -1 : (int)((long)charCount * 3 / 4);

    public static int EncodedLength(int byteCount) => (int)(((long)byteCount * 4 + 2) / 3);

    public static bool TryDecode(ReadOnlySpan<char> source, Span<byte> destination, out int written)
    {
        written = 0;
        var length = DecodedLength(source.Length);
        if (length < 0 || destination.Length < length)
        {
            return false;
        }

#if NET9_0_OR_GREATER
        // The runtime's decoder is vectorised but lenient (it skips white space and accepts padding), so the alphabet and
        // the unused bits are checked here first; what is left is exactly the strict grammar.
        if (source.ContainsAnyExcept(AlphabetValues))
        {
            return false;
        }

        var tail = source.Length % 4;
        if (tail != 0 && (Values[source[^1]] & (tail == 2 ? 0xF : 0x3)) != 0)
        {
            return false;
        }

        return System.Buffers.Text.Base64Url.TryDecodeFromChars(source, destination, out written) && written == length;
#else
        return TryDecodeScalar(source, destination, length, out written);
#endif
    }

#if NET9_0_OR_GREATER
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);
#endif

    internal static bool TryDecodeScalar(ReadOnlySpan<char> source, Span<byte> destination, int length, out int written)
    {
        written = 0;

        var values = Values;
        var full = source.Length / 4 * 4;
        int i = 0, o = 0;
        for (; i < full; i += 4)
        {
            var a = Value(source[i], values);
            var b = Value(source[i + 1], values);
            var c = Value(source[i + 2], values);
            var d = Value(source[i + 3], values);
            if ((a | b | c | d) < 0)
            {
                return false;
            }

            var n = (a << 18) | (b << 12) | (c << 6) | d;
            destination[o++] = (byte)(n >> 16);
            destination[o++] = (byte)(n >> 8);
            destination[o++] = (byte)n;
        }

        var rest = source.Length - full;
        if (rest >= 2)
        {
            var a = Value(source[i], values);
            var b = Value(source[i + 1], values);
            var c = rest == 3 ? Value(source[i + 2], values) : 0;
            if ((a | b | c) < 0)
            {
                return false;
            }

            var n = (a << 18) | (b << 12) | (c << 6);
            destination[o++] = (byte)(n >> 16);
            if (rest == 3)
            {
                destination[o++] = (byte)(n >> 8);
                if ((n & 0xFF) != 0)
                {
                    return false; // unused bits must be zero
                }
            }
            else if ((n & 0xFFFF) != 0)
            {
                return false;
            }
        }

        written = o;
        return true;
    }

    public static int Encode(ReadOnlySpan<byte> source, Span<char> destination)
    {
        var o = 0;
        var i = 0;
        for (; i + 3 <= source.Length; i += 3)
        {
            var n = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
            destination[o++] = Alphabet[n >> 18];
            destination[o++] = Alphabet[(n >> 12) & 63];
            destination[o++] = Alphabet[(n >> 6) & 63];
            destination[o++] = Alphabet[n & 63];
        }

        var rest = source.Length - i;
        if (rest > 0)
        {
            var n = (source[i] << 16) | (rest == 2 ? source[i + 1] << 8 : 0);
            destination[o++] = Alphabet[n >> 18];
            destination[o++] = Alphabet[(n >> 12) & 63];
            if (rest == 2)
            {
                destination[o++] = Alphabet[(n >> 6) & 63];
            }
        }

        return o;
    }

    public static string Encode(ReadOnlySpan<byte> source)
    {
        Span<char> buffer = source.Length <= 768 ? stackalloc char[EncodedLength(source.Length)] : new char[EncodedLength(source.Length)];
        return new string(buffer[..Encode(source, buffer)]);
    }

    private static int Value(char c, ReadOnlySpan<sbyte> values) => c < 128 ? values[c] : -1;
}
