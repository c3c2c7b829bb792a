using System.Buffers;
using System.Net;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// An answer's body read into memory, at most a set number of bytes. The resilience handler reads it inside each attempt,
/// so the attempt and overall timeouts cover the body and a reset mid-body is retried like any other network failure.
/// The buffer comes from the shared pool and goes back when the response is disposed.
/// </summary>
internal sealed class BufferedBody : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;

    // The original content headers are not carried over: only the SDK's send path reads this content, by its bytes.
    private BufferedBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes; valid until the response is disposed.</summary>
    public ReadOnlySpan<byte> Span => _buffer is { } buffer ? buffer.AsSpan(0, _length) : throw new ObjectDisposedException(nameof(BufferedBody));

    /// <summary>
    /// Replaces <paramref name="response"/>'s content with its bytes read into memory (nothing to do when that happened
    /// already). Stops at <paramref name="maxBytes"/> with a <see cref="DuctapeApiException"/> that names the limit.
    /// </summary>
    public static async Task<BufferedBody> ReadAsync(
        HttpResponseMessage response, int maxBytes, string method, CancellationToken cancellationToken)
    {
        if (response.Content is BufferedBody done)
        {
            return done;
        }

        var content = response.Content;
        if (content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(response, maxBytes, method);
        }

        // Exact size when the server declared one (never above the cap); otherwise grow by doubling up to cap + 1.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(content.Headers.ContentLength ?? 4096, maxBytes) + 1);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxBytes)
                        {
                            throw TooLarge(response, maxBytes, method);
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > maxBytes)
                    {
                        throw TooLarge(response, maxBytes, method);
                    }
                }
            }

            var body = new BufferedBody(buffer, length);
            response.Content = body;
            content.Dispose();
            return body;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(_buffer ?? throw new ObjectDisposedException(nameof(BufferedBody)), 0, _length);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        Task.FromResult<Stream>(new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(BufferedBody)), 0, _length, writable: false));

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }

    private static DuctapeApiException TooLarge(HttpResponseMessage response, int maxBytes, string method) =>
        new(response.StatusCode, DuctapeApiException.InvalidResponseCode,
            $"Ductape's answer to '{method}' ({(int)response.StatusCode}) is larger than DuctapeClientOptions.MaxResponseBytes " +
            $"({maxBytes} bytes); reading stopped there. If the answer is legitimately this large, raise the limit.",
            DuctapeHttp.RequestId(response));
}
