using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Ductape.Sdk.Cli;

/// <summary>A refusal the CLI reports as <c>error: message</c> and exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>
/// Everything the CLI reads, bounded: files (regular files only, up to a size cap), standard input, secrets. A FIFO would
/// block the open forever and <c>/dev/zero</c> never ends, so neither is opened; a stream is read from standard input.
/// </summary>
internal static class Inputs
{
    public const long DefaultMaxFileBytes = 64L << 20;
    public const string MaxFileSizeVariable = "DUCTAPE_MAX_FILE_SIZE";
    private const long MaxSettableBytes = 1L << 30;
    private const int MaxSecretBytes = 1 << 20;

    /// <summary>Reads a file, or standard input for <c>-</c>, refusing anything over <paramref name="maxBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadFileAsync(string path, long maxBytes, Func<Stream>? standardInput, CancellationToken ct)
    {
        if (path == "-")
        {
            await using var input = standardInput?.Invoke() ?? throw new CliException("standard input is not available");
            return await ReadBoundedAsync(input, "standard input", maxBytes, ct);
        }

        var shown = Printable.Escape(path);
        if (Directory.Exists(path))
        {
            throw new CliException($"{shown}: is a directory, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{shown}: no such file.");
        }

        if (NotRegular(path) is { } kind)
        {
            throw new CliException($"{shown}: is {kind}, not a regular file; to read a stream, pipe it to standard input and pass - as the file.");
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        if (stream.Length > maxBytes)
        {
            throw TooLarge(shown, stream.Length, maxBytes);
        }

        return await ReadBoundedAsync(stream, shown, maxBytes, ct);
    }

    /// <summary>The lines of standard input that are not blank, trimmed: where secrets come from when not from the environment.</summary>
    public static async Task<List<string>> ReadLinesAsync(Stream input, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(input, "standard input", MaxSecretBytes, ct);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException("standard input: not valid UTF-8.");
        }

        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    /// <summary>Parses a size: bytes, or a number with K/KiB, M/MiB or G/GiB (powers of 1024), up to 1 GiB.</summary>
    public static bool TryParseSize(string? text, out long bytes)
    {
        bytes = 0;
        var value = (text ?? "").Trim();
        var digits = value.TakeWhile(char.IsAsciiDigit).Count();
        var unit = value[digits..].Trim().ToUpperInvariant();
        var multiplier = unit switch
        {
            "" or "B" => 1L,
            "K" or "KIB" => 1L << 10,
            "M" or "MIB" => 1L << 20,
            "G" or "GIB" => 1L << 30,
            _ => 0L,
        };
        if (digits == 0 || digits > 10 || multiplier == 0
            || !long.TryParse(value.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        bytes = number * multiplier;
        return bytes is > 0 and <= MaxSettableBytes;
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    private static CliException TooLarge(string what, long? length, long maxBytes) => new(
        $"{what}: {(length is { } l ? Size(l) : "more than " + Size(maxBytes))}, over the {Size(maxBytes)} limit; " +
        $"raise it with --max-file-size or {MaxFileSizeVariable} (such as 256MiB).");

    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream stream, string what, long maxBytes, CancellationToken ct)
    {
        // One byte over the cap proves the input is too large without reading the rest of it.
        var buffer = new byte[(int)Math.Min(maxBytes + 1, stream.CanSeek ? stream.Length + 1 : 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    throw TooLarge(what, stream.CanSeek ? stream.Length : null, maxBytes);
                }

                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                return buffer.AsMemory(0, length); // no copy: on a large file, touching memory is the cost
            }

            length += read;
        }
    }

    /// <summary>What a path is when it is not a regular file (after following links), or null; null too where unknown.</summary>
    private static string? NotRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // The runtime's own stat shim (the one FileSystemInfo uses) reports the file type in a layout that does not vary by
        // platform; .NET has no public API for it. Without it, the bounded read still stops devices at the size cap.
        var status = new byte[512];
        try
        {
            if (Stat(path, status) != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return (BitConverter.ToInt32(status, 4) & 0xF000) switch
        {
            0x8000 => null,
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a file",
        };
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat(string path, byte[] status);
}
