using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ductape.Sdk.Testing;

/// <summary>
/// A local Ductape server on 127.0.0.1 that implements the SDK proxy's sessions module in memory, for samples and for
/// testing your code without a Ductape account. Thread-safe; dispose it to stop.
/// </summary>
/// <example>
/// <code>
/// await using var server = await DuctapeLocalServer.StartAsync();
/// using var client = server.CreateClient();
/// </code>
/// </example>
public sealed class DuctapeLocalServer : IAsyncDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly LocalSessions _sessions;
    private readonly byte[] _accessKey;
    private readonly ConcurrentDictionary<string, IdempotentCall> _replays = new();
    private readonly Queue<(string Key, IdempotentCall Call)> _replayOrder = new(); // oldest first, under _boundsGate
    private readonly object _boundsGate = new();
    private long _replayBytes;
    private readonly TimeSpan _idempotencyRetention;
    private readonly int _maxIdempotencyEntries;
    private const long MaxIdempotencyBytes = 16 * 1024 * 1024;
    private const int JournalLimit = 10_000;
    private const long JournalBudgetBytes = 8 * 1024 * 1024;
    private const int JournalParamsLimit = 4 * 1024;
    private long _journalBytes;

    private readonly TimeProvider _time;

    private readonly List<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Method)> _faults = [];
    private readonly ConcurrentQueue<LocalServerCall> _journal = new();
    private int _abortsAfterProcessing;
    private long _latencyTicks;
    private long _requestCount;

    private DuctapeLocalServer(WebApplication app, string accessKey, SessionKeyRing keys, TimeProvider time, DuctapeLocalServerOptions options)
    {
        _time = time;
        _idempotencyRetention = options.IdempotencyRetention;
        _maxIdempotencyEntries = options.MaxIdempotencyEntries;
        _app = app;
        AccessKey = accessKey;
        SessionKeys = keys;
        _accessKey = Encoding.UTF8.GetBytes(accessKey);
        _sessions = new LocalSessions(
            new SessionTokenIssuer(keys, new SessionTokenIssuerOptions { TimeProvider = time }),
            // One server serves every product and env: each verification names its own audience (ValidateFor).
            new SessionTokenValidator(new SessionTokenValidationOptions { Keys = keys, TimeProvider = time, ValidateAudience = false }),
            time, options.MaxSessions, options.ExpiredSessionRetention);
    }

    /// <summary>The server's root, to use as <see cref="DuctapeClientOptions.BaseUrl"/>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The access key clients must send.</summary>
    public string AccessKey { get; }

    /// <summary>The keys the server issues session tokens with, for offline validation in tests.</summary>
    public SessionKeyRing SessionKeys { get; }

    /// <summary>How many requests reached the proxy endpoint.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Starts a server.</summary>
    /// <param name="options">The settings, or null for a free port and random keys.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<DuctapeLocalServer> StartAsync(DuctapeLocalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DuctapeLocalServerOptions();
        // Isolated from the process it runs in: no configuration sources (no appsettings.json, no ASPNETCORE_*/DOTNET_*
        // variables, no command line), a fixed content root, loopback only whatever the environment says, and no host
        // lifetime that would take over the process's Ctrl+C/SIGTERM.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
            ApplicationName = typeof(DuctapeLocalServer).Assembly.GetName().Name,
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, NoHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            // Kestrel's own cap sits above ours, so an oversized body gets our envelope (413) rather than Kestrel's exception.
            k.Limits.MaxRequestBodySize = MaxBodyBytes * 2;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var accessKey = options.AccessKey ?? "ak_local_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var keys = new SessionKeyRing(options.SessionKey ?? SessionKey.Generate("local-1"));
        if (options.MaxSessions < 1 || options.ExpiredSessionRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("DuctapeLocalServerOptions.MaxSessions must be at least 1 and ExpiredSessionRetention not negative.", nameof(options));
        }

        if (options.IdempotencyRetention <= TimeSpan.Zero || options.MaxIdempotencyEntries < 1)
        {
            throw new ArgumentException("DuctapeLocalServerOptions.IdempotencyRetention must be positive and MaxIdempotencyEntries at least 1.", nameof(options));
        }

        var server = new DuctapeLocalServer(app, accessKey, keys, options.TimeProvider, options);
        // At the root and under /api (CONTRACT §5), so Ductape's documented local URL, http://localhost:4311/api, works too.
        app.MapPost("/proxy/v1/sdk-proxy/execute", server.HandleAsync);
        app.MapPost("/api/proxy/v1/sdk-proxy/execute", server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetServiceOrNull<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("The local server did not report its address.");
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>A client for this server.</summary>
    /// <param name="product">The default product tag.</param>
    /// <param name="env">The default environment.</param>
    /// <param name="configure">Further settings, such as retries.</param>
    /// <returns>The client; dispose it.</returns>
    public DuctapeClient CreateClient(string product = "local:demo", string env = "dev", Action<DuctapeClientOptions>? configure = null)
    {
        var options = new DuctapeClientOptions { AccessKey = AccessKey, BaseUrl = BaseUrl, Product = product, Env = env };
        configure?.Invoke(options);
        return new DuctapeClient(options);
    }

    /// <summary>
    /// Points options at this server in one call — access key, base URL, product, env and the session keys (for offline
    /// validation) — for example inside <c>AddDuctape(o => server.Configure(o))</c>.
    /// </summary>
    /// <param name="options">The options to fill.</param>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <returns>The same options.</returns>
    public DuctapeClientOptions Configure(DuctapeClientOptions options, string product = "local:demo", string env = "dev")
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AccessKey = AccessKey;
        options.BaseUrl = BaseUrl;
        options.Product = product;
        options.Env = env;
        options.SessionKeys = SessionKeys;
        return options;
    }

    /// <summary>
    /// This server as configuration values under <paramref name="section"/> (<c>Ductape:AccessKey</c>, <c>…:BaseUrl</c>,
    /// <c>…:Product</c>, <c>…:Env</c>, <c>…:SessionKeys:0</c>), for <c>AddInMemoryCollection</c> in a host or a
    /// <c>WebApplicationFactory</c>, read by <c>AddDuctape(configuration.GetSection("Ductape"))</c>.
    /// </summary>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <param name="section">The section name.</param>
    /// <returns>The values.</returns>
    public IReadOnlyDictionary<string, string?> ToConfiguration(string product = "local:demo", string env = "dev", string section = "Ductape") =>
        new Dictionary<string, string?>
        {
            [$"{section}:AccessKey"] = AccessKey,
            [$"{section}:BaseUrl"] = BaseUrl.AbsoluteUri,
            [$"{section}:Product"] = product,
            [$"{section}:Env"] = env,
            [$"{section}:SessionKeys:0"] = SessionKeys.Primary.ExportText(),
        };

    /// <summary>Adds a session type without a request (for arranging a test); the contract's rules apply.</summary>
    /// <param name="type">The session type.</param>
    /// <param name="product">The product tag.</param>
    /// <exception cref="DuctapeValidationException">The session type is invalid.</exception>
    /// <exception cref="InvalidOperationException">A session type with that tag exists.</exception>
    public void SeedSessionType(ProductSession type, string product = "local:demo")
    {
        ArgumentNullException.ThrowIfNull(type);
        if (LocalSessionTypes.Problems(type, _time.GetUtcNow()) is { Count: > 0 } problems)
        {
            throw new DuctapeValidationException(problems);
        }

        Seed("create", w =>
        {
            w.WriteStringValue(product);
            LocalSessionTypes.Write(w, type);
        });
    }

    /// <summary>Starts a session without a request (for arranging a test) and returns its tokens.</summary>
    /// <param name="tag">The session type's tag (seeded or created before).</param>
    /// <param name="data">The session data.</param>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <returns>The tokens, as <c>StartAsync</c> would return them.</returns>
    /// <exception cref="InvalidOperationException">The server refused it (no such session type, data without the selector's field, …).</exception>
    public Sessions.SessionTokens SeedSession(string tag, JsonElement data, string product = "local:demo", string env = "dev")
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(data.ValueKind == JsonValueKind.Undefined
                ? "The session data is an undefined JsonElement (default(JsonElement)): pass a JSON object, such as SessionJson.Parse(\"{\\\"userId\\\":\\\"u-1\\\"}\")."
                : $"The session data must be a JSON object, not {data.ValueKind}.", nameof(data));
        }

        var json = Seed("start", w =>
        {
            w.WriteStartObject();
            w.WriteString("product", product);
            w.WriteString("env", env);
            w.WriteString("tag", tag);
            w.WritePropertyName("data");
            data.WriteTo(w);
            w.WriteEndObject();
        });
        using var document = JsonDocument.Parse(json);
        var tokens = document.RootElement;
        return new Sessions.SessionTokens
        {
            Token = tokens.GetProperty("token").GetString()!,
            RefreshToken = tokens.GetProperty("refreshToken").GetString()!,
            SessionId = tokens.GetProperty("sessionId").GetString()!,
            ExpiresAt = tokens.GetProperty("expiresAt").GetDateTimeOffset(),
        };
    }

    private byte[] Seed(string method, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            writeParams(w);
            w.WriteEndArray();
        }

        JsonDocument parameters;
        try
        {
            parameters = JsonDocument.Parse(buffer.WrittenMemory);
        }
        catch (JsonException)
        {
            // What a request would get as a 400, said plainly to the test that seeded it.
            throw new ArgumentException($"The seeded {(method == "start" ? "session data" : "session type")} is nested deeper than 64 levels (JSON's depth limit here).");
        }

        using var _ = parameters;
        Action<Utf8JsonWriter> result;
        try
        {
            result = _sessions.Execute(method, parameters.RootElement.Clone());
        }
        catch (LocalApiError error)
        {
            throw new InvalidOperationException($"The local server refused to seed '{method}': {error.Code} {error.Message}");
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(output))
        {
            result(w);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/> (for resilience tests).</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="status">The status to answer with.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send, if any.</param>
    /// <param name="method">Only calls of this proxy method (such as <c>refresh</c>) fail; null: any call.</param>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null, string? method = null)
    {
        lock (_faults)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Add((status, retryAfter, method));
            }
        }
    }

    /// <summary>
    /// The calls the server received, oldest first (the last 10,000): method, parameters, idempotency key, and the status and
    /// code it answered with (status 0: the connection was aborted on purpose).
    /// </summary>
    public IReadOnlyList<LocalServerCall> Journal => [.. _journal];

    /// <summary>
    /// Forgets everything — session types, sessions, users, idempotency keys, pending faults and aborts, latency, the
    /// journal — so one server can serve many tests. Keys and the access key stay.
    /// </summary>
    public void Reset()
    {
        _sessions.Reset();
        lock (_boundsGate)
        {
            _replays.Clear();
            _replayOrder.Clear();
            _replayBytes = 0;
            _journal.Clear();
            _journalBytes = 0;
        }

        lock (_faults)
        {
            _faults.Clear();
        }

        Interlocked.Exchange(ref _abortsAfterProcessing, 0);
        Interlocked.Exchange(ref _latencyTicks, 0);
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests be processed, then have their connection aborted before the answer is
    /// sent: the client sees a network failure although the server acted (what idempotency keys exist for).
    /// </summary>
    /// <param name="count">How many requests.</param>
    public void AbortNextAfterProcessing(int count) => Interlocked.Add(ref _abortsAfterProcessing, count);

    /// <summary>Delays every answer by <paramref name="latency"/> (zero turns it off).</summary>
    /// <param name="latency">The added latency.</param>
    public void SetLatency(TimeSpan latency) => Interlocked.Exchange(ref _latencyTicks, latency.Ticks);

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var requestId = "req_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var started = Stopwatch.GetTimestamp();
        var response = context.Response;
        response.Headers["x-request-id"] = requestId;
        var idempotencyKey = context.Request.Headers["Idempotency-Key"].ToString();
        string? method = null;
        JsonElement parameters = default;
        var answered = 0;
        string? answeredCode = null;
        var requestBytes = 0;
        var responseBytes = 0;

        async Task Answer(int status, byte[] bytes, string? code)
        {
            answered = status;
            answeredCode = code;
            responseBytes = bytes.Length;
            await WriteAsync(response, status, bytes, context.RequestAborted).ConfigureAwait(false);
        }

        try
        {
            if (Interlocked.Read(ref _latencyTicks) is > 0 and var latency)
            {
                await Task.Delay(TimeSpan.FromTicks(latency), context.RequestAborted).ConfigureAwait(false);
            }

            var key = context.Request.Headers["x-access-key"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), _accessKey))
            {
                throw new LocalApiError(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "Missing or wrong access key.");
            }

            var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            requestBytes = body.Length;
            (method, parameters) = Peek(body);
            if (TakeFault(method) is { } fault)
            {
                if (fault.RetryAfter is { } wait)
                {
                    response.Headers.RetryAfter = ((long)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                throw new LocalApiError(fault.Status, fault.Status == HttpStatusCode.TooManyRequests ? "RATE_LIMITED" : "UNAVAILABLE",
                    "Injected fault.");
            }

            IdempotentCall? owned = null;
            if (idempotencyKey.Length > 0)
            {
                // The key is reserved before the call runs: concurrent duplicates wait for the first one's answer instead of
                // running again (exactly once), and a different body under the same key is refused.
                var mine = new IdempotentCall(SHA256.HashData(body), _time.GetUtcNow());
                ForgetOldAnswers();
                var call = _replays.GetOrAdd(idempotencyKey, mine);
                if (!ReferenceEquals(call, mine))
                {
                    if (!CryptographicOperations.FixedTimeEquals(call.BodyHash, mine.BodyHash))
                    {
                        throw new LocalApiError(HttpStatusCode.Conflict, "IDEMPOTENCY_KEY_REUSED",
                            "This Idempotency-Key was used with a different request.");
                    }

                    var (status, replayed, replayedCode) = await call.Answer.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                    await Answer(status, replayed, replayedCode).ConfigureAwait(false);
                    return;
                }

                owned = mine;
            }

            int resultStatus;
            string? resultCode = null;
            byte[] bytes;
            try
            {
                bytes = Process(body, requestId, started);
                resultStatus = StatusCodes.Status200OK;
            }
            catch (LocalApiError error)
            {
                // A 4xx is the answer to this request: kept and replayed like a success.
                bytes = Failure(error.Code, error.Message, requestId);
                resultStatus = (int)error.Status;
                resultCode = error.Code;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failure of the server itself is not an answer to keep: the key is released so a retry runs again.
                bytes = Failure("INTERNAL", "The local server failed: " + ex.GetType().Name, requestId);
                resultStatus = StatusCodes.Status500InternalServerError;
                resultCode = "INTERNAL";
                if (owned is not null)
                {
                    _replays.TryRemove(new KeyValuePair<string, IdempotentCall>(idempotencyKey, owned));
                }
            }

            if (owned is not null && owned.Answer.TrySetResult((resultStatus, bytes, resultCode)) && resultStatus != StatusCodes.Status500InternalServerError)
            {
                Remember(idempotencyKey, owned, bytes.Length);
            }
            if (resultStatus == StatusCodes.Status200OK && Interlocked.Decrement(ref _abortsAfterProcessing) >= 0)
            {
                context.Abort();
                return;
            }

            if (resultStatus == StatusCodes.Status200OK)
            {
                Interlocked.Increment(ref _abortsAfterProcessing);
            }

            await Answer(resultStatus, bytes, resultCode).ConfigureAwait(false);
        }
        catch (LocalApiError error)
        {
            await Answer((int)error.Status, Failure(error.Code, error.Message, requestId), error.Code).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await Answer(ex.StatusCode, Failure("VALIDATION_FAILED", "The request could not be read: " + ex.Message, requestId),
                "VALIDATION_FAILED").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Answer(500, Failure("INTERNAL", "The local server failed: " + ex.GetType().Name, requestId), "INTERNAL")
                .ConfigureAwait(false);
        }
        finally
        {
            // What tests need, within a byte budget: parameters only for small bodies, sizes always.
            var call = new LocalServerCall(method, requestBytes <= JournalParamsLimit ? parameters : default,
                idempotencyKey.Length > 0 ? idempotencyKey : null, answered, answeredCode)
            {
                Tag = TagOf(parameters), RequestBytes = requestBytes, ResponseBytes = responseBytes,
            };
            AddToJournal(call, 256 + (requestBytes <= JournalParamsLimit ? requestBytes : 0) + 2 * (idempotencyKey.Length + (call.Tag?.Length ?? 0)));
        }
    }

    /// <summary>The call's method and parameters, for faults scoped to a method and for the journal; nothing when unreadable.</summary>
    private static (string? Method, JsonElement Params) Peek(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? (root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                   root.TryGetProperty("params", out var p) ? p.Clone() : default)
                : (null, default);
        }
        catch (JsonException)
        {
            return (null, default);
        }
    }

    private (HttpStatusCode Status, TimeSpan? RetryAfter, string? Method)? TakeFault(string? method)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(f => f.Method is null || string.Equals(f.Method, method, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    /// <summary>Runs one proxy call and returns its success envelope; a <see cref="LocalApiError"/> for anything refused.</summary>
    private byte[] Process(byte[] body, string requestId, long started)
    {
        Action<Utf8JsonWriter> result;
        using (var document = Parse(body))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("module", out var module) || module.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
            {
                throw LocalApiError.Invalid("The body must be {\"module\":…,\"method\":…,\"params\":[…]}.");
            }

            if (module.GetString() != "sessions")
            {
                throw LocalApiError.Invalid($"Unknown module '{module.GetString()}'.");
            }

            try
            {
                result = _sessions.Execute(method.GetString()!, parameters.Clone());
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                // A parameter of the wrong JSON type or range reached a reader: the client's mistake, never a 500.
                throw LocalApiError.Invalid($"A parameter of '{method.GetString()}' has the wrong type or is out of range.");
            }
        }

        return Envelope(result, requestId, started);
    }

    private void AddToJournal(LocalServerCall call, long bytes)
    {
        lock (_boundsGate)
        {
            _journal.Enqueue(call);
            _journalBytes += bytes;
            while ((_journal.Count > JournalLimit || _journalBytes > JournalBudgetBytes) && _journal.TryDequeue(out var old))
            {
                _journalBytes -= 256 + (old.RequestBytes <= JournalParamsLimit ? old.RequestBytes : 0)
                                 + 2 * ((old.IdempotencyKey?.Length ?? 0) + (old.Tag?.Length ?? 0));
            }
        }
    }

    /// <summary>The tag a call's parameters name (runtime calls: <c>tag</c> or <c>session</c>; session types: the second parameter or the object's <c>tag</c>).</summary>
    private static string? TagOf(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in parameters.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && (item.TryGetProperty("tag", out var tag) || item.TryGetProperty("session", out tag)) && tag.ValueKind == JsonValueKind.String)
            {
                return tag.GetString();
            }
        }

        return parameters.GetArrayLength() > 1 && parameters[1].ValueKind == JsonValueKind.String ? parameters[1].GetString() : null;
    }

    /// <summary>Keeps an answer for replay, within the retention, the count and the byte budget (oldest out first).</summary>
    private void Remember(string key, IdempotentCall call, int answerBytes)
    {
        lock (_boundsGate)
        {
            call.Bytes = answerBytes + key.Length * 2 + 128;
            _replayBytes += call.Bytes;
            _replayOrder.Enqueue((key, call));
            Trim();
        }
    }

    private void ForgetOldAnswers()
    {
        lock (_boundsGate)
        {
            Trim();
        }
    }

    private void Trim()
    {
        var oldest = _time.GetUtcNow() - _idempotencyRetention;
        while (_replayOrder.TryPeek(out var head)
               && (head.Call.StoredAt < oldest || _replayOrder.Count > _maxIdempotencyEntries || _replayBytes > MaxIdempotencyBytes))
        {
            _replayOrder.Dequeue();
            _replayBytes -= head.Call.Bytes;
            _replays.TryRemove(new KeyValuePair<string, IdempotentCall>(head.Key, head.Call));
        }
    }

    /// <summary>One idempotency key's call: the body it came with and, once processed, its answer.</summary>
    private sealed class IdempotentCall(byte[] bodyHash, DateTimeOffset storedAt)
    {
        public byte[] BodyHash { get; } = bodyHash;

        public DateTimeOffset StoredAt { get; } = storedAt;

        public long Bytes { get; set; }

        public TaskCompletionSource<(int Status, byte[] Response, string? Code)> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new LocalApiError(HttpStatusCode.RequestEntityTooLarge, "VALIDATION_FAILED", "The body is larger than 1 MiB.");
            }
        }

        return buffer.ToArray();
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw LocalApiError.Invalid("The body is not valid JSON.");
        }
    }

    private static byte[] Envelope(Action<Utf8JsonWriter> result, string requestId, long started)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("status", true);
            w.WriteStartObject("data");
            w.WritePropertyName("data");
            result(w);
            w.WriteNumber("execution_time_ms", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            w.WriteString("request_id", requestId);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] Failure(string code, string message, string requestId)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("status", false);
            w.WriteString("message", message);
            w.WriteString("code", code);
            w.WriteString("request_id", requestId);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A host lifetime that waits for nothing and listens to no signal: the user's process keeps its own.</summary>
internal sealed class NoHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class ServiceProviderExtensions
{
    public static T? GetServiceOrNull<T>(this IServiceProvider services)
        where T : class => services.GetService(typeof(T)) as T;
}
