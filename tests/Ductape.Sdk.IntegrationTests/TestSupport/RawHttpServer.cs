using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ductape.Sdk.IntegrationTests.TestSupport;

/// <summary>One HTTP/1.1 request as it arrived on the socket.</summary>
internal sealed record RawRequest(string RequestLine, IReadOnlyList<string> HeaderLines, byte[] Body, byte[] RawBytes)
{
    public string? Header(string name) => HeaderLines
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(parts => parts[1].Trim())
        .FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A hand-written HTTP/1.1 server on 127.0.0.1 for answers real HTTP stacks refuse to produce: huge, endless, dripping or
/// reset bodies and raw redirects. It records every byte that reaches it; each connection is answered by the script.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<RawRequest, int, Stream, CancellationToken, Task> _respond;
    private readonly List<RawRequest> _requests = [];
    private readonly Task _accepting;
    private int _connections;

    /// <param name="respond">Writes the answer to request number n (from 1) onto the stream; may reset or stall.</param>
    public RawHttpServer(Func<RawRequest, int, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were accepted (a connection that sent nothing still counts).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<RawRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static byte[] Head(int status, string reason, params string[] headers) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n");

    public static async Task WriteJson(Stream stream, string json, int status = 200, CancellationToken cancellationToken = default)
    {
        var body = Encoding.UTF8.GetBytes(json);
        await stream.WriteAsync(Head(status, status == 200 ? "OK" : "Error", "Content-Type: application/json",
            $"Content-Length: {body.Length}", "Connection: close"), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client, number));
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                int index;
                lock (_requests)
                {
                    _requests.Add(request);
                    index = _requests.Count;
                }

                await _respond(request, index, stream, _stop.Token);
            }
            catch (ResetConnection)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, not FIN
                client.Client.Close();
            }
            catch (Exception)
            {
                // The client went away (timeout, cap reached): expected in these tests.
            }
        }
    }

    /// <summary>Thrown by a script to reset the connection with a TCP RST.</summary>
    public sealed class ResetConnection : Exception;

    private static async Task<RawRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var raw = new MemoryStream();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(raw.GetBuffer().AsSpan(0, (int)raw.Length), "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return raw.Length == 0 ? null : new RawRequest("", [], [], raw.ToArray());
            }

            raw.Write(buffer, 0, read);
        }

        var head = Encoding.ASCII.GetString(raw.GetBuffer(), 0, headerEnd);
        var lines = head.Split("\r\n");
        var request = new RawRequest(lines[0], lines[1..], [], []);
        var length = int.TryParse(request.Header("Content-Length"), out var declared) ? declared : 0;
        while (raw.Length < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            raw.Write(buffer, 0, read);
        }

        var all = raw.ToArray();
        return request with { Body = all[(headerEnd + 4)..Math.Min(all.Length, headerEnd + 4 + length)], RawBytes = all };
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
