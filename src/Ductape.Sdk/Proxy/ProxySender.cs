using System.Diagnostics;
using System.Text.Json;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The one send path of the SDK proxy: one per client, thread-safe, generic over the operation table. It builds the request
/// (body, headers, idempotency key), refuses redirects, reads the bounded body, checks the envelope and the result's shape,
/// and makes sure that once a call has started, every failure reaches the caller as a <see cref="DuctapeException"/> (or an
/// <see cref="OperationCanceledException"/> for the caller's own token). Retries and timeouts live in the
/// <see cref="DuctapeResilienceHandler"/> inside the <see cref="HttpClient"/>, never here.
/// </summary>
internal sealed class ProxySender
{
    private const int MaxIdempotencyKeyLength = 255;

    // A provider, not a client: under IHttpClientFactory each call takes a fresh HttpClient so pooled handlers can rotate.
    private readonly Func<HttpClient> _http;
    private readonly Func<bool> _isDisposed;
    private readonly Uri _endpoint;
    private readonly string _host;
    private readonly int _maxResponseBytes;
    private readonly TimeProvider _time; // only to read a Retry-After date as a wait
    private readonly System.Diagnostics.Metrics.Histogram<double> _requestDuration;

    public ProxySender(Func<HttpClient> http, DuctapeClientOptions options, Func<bool> isDisposed)
    {
        _http = http;
        _isDisposed = isDisposed;
        _endpoint = DuctapeHttp.ExecuteEndpoint(options.BaseUrl);
        _host = HostOf(_endpoint);
        _maxResponseBytes = options.MaxResponseBytes;
        _time = options.TimeProvider;
        _requestDuration = options.ResolveMetrics().RequestDuration;
    }

    /// <summary>Sends the call and returns its result, which must be present and whole.</summary>
    public Task<T> SendAsync<T>(ProxyOperation<T> operation, ProxyCall call, CancellationToken cancellationToken) =>
        ExchangeAsync(operation, call, readResult: true, cancellationToken);

    /// <summary>Sends the call and ignores any result.</summary>
    public Task SendAsync(ProxyOperation<JsonElement> operation, ProxyCall call, CancellationToken cancellationToken) =>
        ExchangeAsync(operation, call, readResult: false, cancellationToken);

    /// <summary>Checks per-call options a user set; throws <see cref="DuctapeValidationException"/> before anything is sent.</summary>
    public static void CheckRequestOptions(DuctapeRequestOptions? options)
    {
        if (options is null)
        {
            return;
        }

        var errors = new ValidationErrors();
        if (options.IdempotencyKey is { } key)
        {
            if (HeaderValue.Problem(key) is { } problem)
            {
                errors.Add(nameof(DuctapeRequestOptions.IdempotencyKey), problem);
            }
            else if (key.Length > MaxIdempotencyKeyLength)
            {
                errors.Add(nameof(DuctapeRequestOptions.IdempotencyKey),
                    $"is {key.Length} characters long; the limit is {MaxIdempotencyKeyLength}");
            }
        }

        if (options.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > DuctapeClientOptions.MaxTimeout))
        {
            errors.Add(nameof(DuctapeRequestOptions.Timeout), "must be positive and at most 24 days");
        }

        if (options.MaxRetries is < 0 or > DuctapeRetryOptions.MaxAllowedRetries)
        {
            errors.Add(nameof(DuctapeRequestOptions.MaxRetries), $"must be between 0 and {DuctapeRetryOptions.MaxAllowedRetries}");
        }

        errors.ThrowIfAny();
    }

    private async Task<T> ExchangeAsync<T>(
        ProxyOperation<T> operation, ProxyCall call, bool readResult, CancellationToken cancellationToken)
    {
        CheckRequestOptions(call.Options);
        ObjectDisposedException.ThrowIf(_isDisposed(), typeof(DuctapeClient));
        var accessKey = call.AccessKey;
        using var request = BuildRequest(operation, call, accessKey);
        // Internal, not Client: the HTTP client span beneath it is the client span (two client spans must not nest).
        using var activity = DuctapeTelemetry.Source.StartActivity(operation.SpanName, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("ductape.method", operation.Method);
            activity.SetTag(call.Trace.Dimension.Key, call.Trace.Dimension.Value);
            activity.SetTag(call.Trace.Detail.Key, call.Trace.Detail.Value);

            activity.SetTag("server.address", _endpoint.Host);
            activity.SetTag("server.port", _endpoint.Port);
        }

        // The clock is read only for a metric someone listens to.
        var started = _requestDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        int? statusCode = null;
        string? errorType = null;
        HttpClient? http = null;
        try
        {
            http = _http();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            statusCode = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", statusCode);
            CheckOrigin(operation, response);
            var body = await BufferedBody.ReadAsync(response, _maxResponseBytes, operation.Method, cancellationToken)
                .ConfigureAwait(false);
            // Success leaves the span status unset, as OpenTelemetry asks of instrumentation libraries.
            return Read(operation, response, body.Span, readResult, activity, accessKey);
        }
        catch (Exception ex)
        {
            var thrown = Translate(ex, request, http, accessKey, cancellationToken);
            errorType = thrown is DuctapeApiException { Code: { } code } ? code : thrown.GetType().FullName;
            if (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, errorType);
                activity.SetTag("error.type", errorType);
                if (thrown is DuctapeApiException { RequestId: { } requestId })
                {
                    activity.SetTag("ductape.request_id", requestId);
                }
            }

            if (ReferenceEquals(thrown, ex))
            {
                throw;
            }

            throw thrown;
        }
        finally
        {
            if (request.Attempts > 0)
            {
                activity?.SetTag("ductape.retries", request.Attempts - 1);
            }

            if (started != 0 && _requestDuration.Enabled)
            {
                var tags = new TagList { call.Trace.Dimension, { "ductape.method", operation.Method } };
                tags.Add("server.address", _endpoint.Host);
                tags.Add("server.port", _endpoint.Port);
                if (statusCode is { } status)
                {
                    tags.Add("http.response.status_code", status);
                }

                if (errorType is not null)
                {
                    tags.Add("error.type", errorType);
                }

                _requestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <summary>
    /// What the caller sees for a failure: the SDK's own exceptions, the caller's cancellation and a disposed client (a bug in
    /// the caller) as they are; anything else as a <see cref="DuctapeException"/>.
    /// </summary>
    private Exception Translate(Exception ex, ProxyRequest request, HttpClient? http, string accessKey, CancellationToken cancellationToken)
    {
        if (ex is DuctapeException or ObjectDisposedException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return ex;
        }

        if (_isDisposed())
        {
            // Disposing the client cancels what it had in flight: a bug in the caller, not a timeout of Ductape.
            return new ObjectDisposedException(nameof(DuctapeClient), "The DuctapeClient was disposed while this call was running.");
        }

        var attempts = Math.Max(request.Attempts, 1);
        if (ex.ToString().Contains(accessKey, StringComparison.Ordinal))
        {
            // A handler that quoted what it sent: the caller gets the failure's type and its words, never the key.
            ex = new HttpRequestException($"{ex.GetType().Name}: {Scrub(ex.Message, accessKey)}");
        }

        return ex is OperationCanceledException
            // Not the caller's token and not the SDK's pipeline: the HttpClient's own Timeout (a client passed in).
            ? new DuctapeTimeoutException(DuctapeTimeoutLimit.Overall, http?.Timeout ?? Timeout.InfiniteTimeSpan, attempts, ex)
            : new DuctapeConnectionException(_host, attempts, ex);
    }

    /// <summary>Refuses a redirect, and an answer that came from anywhere but the endpoint (a handler that followed one).</summary>
    private void CheckOrigin(ProxyOperation operation, HttpResponseMessage response)
    {
        if (DuctapeHttp.IsRedirect(response.StatusCode))
        {
            var target = response.Headers.Location is { } location
                ? HostOf(new Uri(_endpoint, location))
                : "nowhere (no Location header)";
            throw new DuctapeApiException(response.StatusCode, DuctapeApiException.InvalidResponseCode,
                $"Ductape's answer to '{operation.Method}' was a redirect ({(int)response.StatusCode}) to {target}. The SDK never " +
                "follows redirects, so nothing was sent there; check that DuctapeClientOptions.BaseUrl is Ductape's API root.",
                DuctapeHttp.RequestId(response));
        }

        if (response.RequestMessage?.RequestUri is { } answered && !ReferenceEquals(answered, _endpoint) && answered != _endpoint)
        {
            throw new DuctapeApiException(response.StatusCode, DuctapeApiException.InvalidResponseCode,
                $"The answer to '{operation.Method}' came from {HostOf(answered)}, not from {_host}: an HTTP handler " +
                "followed a redirect. The answer was refused; configure the handler with AllowAutoRedirect = false.",
                DuctapeHttp.RequestId(response));
        }
    }

    private T Read<T>(
        ProxyOperation<T> operation, HttpResponseMessage response, ReadOnlySpan<byte> body, bool readResult, Activity? activity,
        string accessKey)
    {
        var status = response.StatusCode;
        ProxyEnvelope<T> envelope;
        try
        {
            envelope = ProxyEnvelope<T>.Read(body, readResult ? operation.ResultType : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Malformed JSON, invalid UTF-8, a value of the wrong type or out of range: all one thing to the caller.
            throw InvalidResponse(operation, response, body,
                response.IsSuccessStatusCode ? "could not be read" : "is not a Ductape response", ex, accessKey);
        }

        if (activity is not null && (envelope.RequestId ?? DuctapeHttp.RequestId(response)) is { } id)
        {
            activity.SetTag("ductape.request_id", id);
        }

        if (response.IsSuccessStatusCode && envelope.Status == true)
        {
            if (!readResult)
            {
                return default!;
            }

            if (!envelope.HasData)
            {
                throw InvalidResponse(operation, response, body, "holds no result (data.data)", inner: null, accessKey);
            }

            if (WireShape.FindMissing(envelope.Data, operation.ResultType) is { } missing)
            {
                throw InvalidResponse(operation, response, body, $"lacks '{missing}', which the contract requires", inner: null, accessKey);
            }

            return envelope.Data!;
        }

        // A JSON object that says status/code/message is Ductape talking; anything else came from something in between.
        if (envelope.Status is null && envelope.Code is null && envelope.Message is null)
        {
            throw InvalidResponse(operation, response, body, "is not a Ductape response", inner: null, accessKey);
        }

        var requestId = envelope.RequestId ?? DuctapeHttp.RequestId(response);
        // A server (or a proxy) may echo what it was sent: the access key never reaches a message.
        var message = envelope.Message is null ? "no message" : Scrub(ResponseExcerpt.Redact(Truncate(envelope.Message)), accessKey);
        throw new DuctapeApiException(status, envelope.Code is null ? null : Truncate(envelope.Code),
            $"Ductape rejected '{operation.Method}' ({(int)status} {envelope.Code ?? "no code"}): {message}" +
            (requestId is null ? "." : $" (request id {requestId})."),
            requestId, DuctapeHttp.RetryAfter(response, _time));
    }

    private DuctapeApiException InvalidResponse(
        ProxyOperation operation, HttpResponseMessage response, ReadOnlySpan<byte> body, string what, Exception? inner,
        string accessKey) =>
        new(response.StatusCode, DuctapeApiException.InvalidResponseCode,
            $"Ductape's answer to '{operation.Method}' ({(int)response.StatusCode} {response.ReasonPhrase}) {what}; see ResponseBody. " +
            "If this persists, check that DuctapeClientOptions.BaseUrl points at Ductape.",
            DuctapeHttp.RequestId(response), DuctapeHttp.RetryAfter(response, _time),
            Scrub(ResponseExcerpt.Of(body, operation.ResultHoldsSecrets && response.IsSuccessStatusCode), accessKey),
            // The inner exception may quote the body (a JSON path and value), so only its type travels on.
            inner is null ? null : new JsonException($"{inner.GetType().Name} while reading the answer."));

    private ProxyRequest BuildRequest(ProxyOperation operation, ProxyCall call, string accessKey)
    {
        var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("module"u8, operation.Module);
            writer.WriteString("method"u8, operation.Method);
            writer.WriteStartArray("params"u8);
            call.WriteParams(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        var request = new ProxyRequest(_endpoint, operation.Method, call.Options?.Timeout, call.Options?.MaxRetries) { Content = content };

        // One key per call, set once here: every retry re-sends this same message, so the key is identical on each attempt.
        var idempotencyKey = operation.ChangesState ? call.Options?.IdempotencyKey ?? Guid.NewGuid().ToString() : null;
        DuctapeHttp.SetHeaders(request, accessKey, idempotencyKey);
        return request;
    }

    /// <summary>Host and port (the port only when not the scheme's default); never the path or query.</summary>
    private static string HostOf(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    private static string Scrub(string text, string accessKey) =>
        text.Contains(accessKey, StringComparison.Ordinal) ? text.Replace(accessKey, "***", StringComparison.Ordinal) : text;

    private static string Truncate(string text) => text.Length > 512 ? text[..512] + "…" : text;
}
