using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Transport;

/// <summary>
/// Sends proxy calls and reads envelopes: one per client, thread-safe. It builds the request (body, headers, idempotency key)
/// and turns every failure the server reports into a <see cref="DuctapeApiException"/>. Retries and timeouts live in the
/// <see cref="DuctapeResilienceHandler"/> inside the <see cref="HttpClient"/>, never here.
/// </summary>
internal sealed class DuctapeTransport
{
    private const int BodyExcerptBytes = 1024;

    // A provider, not a client: under IHttpClientFactory each call takes a fresh HttpClient so pooled handlers can rotate.
    private readonly Func<HttpClient> _http;
    private readonly string? _accessKey;
    private readonly Uri _endpoint;
    private readonly string? _product;
    private readonly string? _env;
    private readonly TimeProvider _time;

    public DuctapeTransport(Func<HttpClient> http, DuctapeClientOptions options)
    {
        _http = http;
        _accessKey = string.IsNullOrWhiteSpace(options.AccessKey) ? null : options.AccessKey;
        _endpoint = DuctapeHttp.ExecuteEndpoint(options.BaseUrl);
        _product = options.Product;
        _env = options.Env;
        _time = options.TimeProvider;
    }

    /// <summary>The product for a call: the call's own, else the client's; neither is a configuration error.</summary>
    public string ResolveProduct(DuctapeRequestOptions? options) =>
        Resolve(options?.Product, _product)
        ?? throw new InvalidOperationException(
            "No product is set. Set DuctapeClientOptions.Product, or pass DuctapeRequestOptions.Product for this call.");

    /// <summary>The environment for a call: the call's own, else the client's; neither is a configuration error.</summary>
    public string ResolveEnv(DuctapeRequestOptions? options) =>
        TryResolveEnv(options)
        ?? throw new InvalidOperationException(
            "No environment is set. Set DuctapeClientOptions.Env, or pass DuctapeRequestOptions.Env for this call.");

    /// <summary>Whether the client holds a backend access key (not only a publishable key).</summary>
    public bool HasAccessKey => _accessKey is not null;

    /// <summary>The environment for a call, or null when neither the call nor the client sets one.</summary>
    public string? TryResolveEnv(DuctapeRequestOptions? options) => Resolve(options?.Env, _env);

    /// <summary>Sends the call and returns its result, which must be present.</summary>
    public async Task<T> SendAsync<T>(ProxyCall call, JsonTypeInfo<T> resultType, CancellationToken cancellationToken)
    {
        var (envelope, status, body) = await ExchangeAsync(call, resultType, cancellationToken).ConfigureAwait(false);
        return envelope.HasData
            ? envelope.Data!
            : throw new DuctapeApiException(status, DuctapeApiException.InvalidResponseCode,
                $"Ductape's answer to '{call.Method}' holds no data.", envelope.RequestId, responseBody: Excerpt(body));
    }

    /// <summary>Sends the call and ignores any result.</summary>
    public async Task SendAsync(ProxyCall call, CancellationToken cancellationToken) =>
        await ExchangeAsync<JsonElement>(call, resultType: null, cancellationToken).ConfigureAwait(false);

    private async Task<(ProxyEnvelope<T> Envelope, HttpStatusCode Status, byte[] Body)> ExchangeAsync<T>(
        ProxyCall call, JsonTypeInfo<T>? resultType, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(call);
        using var activity = DuctapeTelemetry.Source.StartActivity($"ductape {call.Module}.{call.Method}", ActivityKind.Client);
        activity?.SetTag("ductape.method", call.Method);
        activity?.SetTag("ductape.product", call.Product);
        activity?.SetTag("ductape.session_tag", call.SessionTag);
        var started = Stopwatch.GetTimestamp();
        int? statusCode = null;
        try
        {
            using var response = await _http().SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
                .ConfigureAwait(false);
            statusCode = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", statusCode);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var result = Read(call, response, body, resultType);
            activity?.SetStatus(ActivityStatusCode.Ok);
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity?.SetTag("error.type", ex is DuctapeApiException api ? api.Code ?? ex.GetType().Name : ex.GetType().Name);
            throw;
        }
        finally
        {
            if (request.Options.TryGetValue(DuctapeHttp.AttemptsOption, out var attempts))
            {
                activity?.SetTag("ductape.retries", attempts - 1);
            }

            DuctapeTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("ductape.method", call.Method),
                new KeyValuePair<string, object?>("ductape.product", call.Product),
                new KeyValuePair<string, object?>("http.response.status_code", statusCode));
        }
    }

    private (ProxyEnvelope<T> Envelope, HttpStatusCode Status, byte[] Body) Read<T>(
        ProxyCall call, HttpResponseMessage response, byte[] body, JsonTypeInfo<T>? resultType)
    {
        var status = response.StatusCode;

        ProxyEnvelope<T> envelope;
        try
        {
            envelope = ProxyEnvelope<T>.Read(body, resultType);
        }
        catch (JsonException ex)
        {
            throw InvalidResponse(call, response, body, ex);
        }

        if (response.IsSuccessStatusCode && envelope.Status == true)
        {
            return (envelope, status, body);
        }

        // A JSON object that says status/code/message is Ductape talking; anything else came from something in between.
        if (envelope.Status is null && envelope.Code is null && envelope.Message is null)
        {
            throw InvalidResponse(call, response, body, inner: null);
        }

        var requestId = envelope.RequestId ?? RequestId(response);
        throw new DuctapeApiException(status, envelope.Code,
            $"Ductape rejected '{call.Method}' ({(int)status} {envelope.Code ?? "no code"}): {envelope.Message ?? "no message"}" +
            (requestId is null ? "." : $" (request id {requestId})."),
            requestId, DuctapeHttp.RetryAfter(response, _time));
    }

    private DuctapeApiException InvalidResponse(ProxyCall call, HttpResponseMessage response, byte[] body, Exception? inner)
    {
        var what = response.IsSuccessStatusCode ? "could not be read" : "is not a Ductape response";
        return new DuctapeApiException(response.StatusCode, DuctapeApiException.InvalidResponseCode,
            $"Ductape's answer to '{call.Method}' ({(int)response.StatusCode} {response.ReasonPhrase}) {what}; see ResponseBody. " +
            "If this persists, check that DuctapeClientOptions.BaseUrl points at Ductape.",
            RequestId(response), DuctapeHttp.RetryAfter(response, _time), Excerpt(body), inner);
    }

    private HttpRequestMessage BuildRequest(ProxyCall call)
    {
        var accessKey = _accessKey ?? throw new InvalidOperationException(
            "This call needs DuctapeClientOptions.AccessKey: a publishable key alone cannot call the Ductape API from a backend SDK.");
        var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("module"u8, call.Module);
            writer.WriteString("method"u8, call.Method);
            writer.WriteStartArray("params"u8);
            call.WriteParams(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };

        // One key per call, set once here: every retry re-sends this same message, so the key is identical on each attempt.
        var idempotencyKey = call.ChangesState ? call.Options?.IdempotencyKey ?? Guid.NewGuid().ToString() : null;
        DuctapeHttp.SetHeaders(request, accessKey, idempotencyKey);
        request.Options.Set(DuctapeHttp.MethodOption, call.Method);
        if (call.Options?.Timeout is { } timeout)
        {
            request.Options.Set(DuctapeHttp.TimeoutOption, timeout);
        }

        return request;
    }

    private static string? Resolve(string? perCall, string? fallback) =>
        !string.IsNullOrWhiteSpace(perCall) ? perCall : !string.IsNullOrWhiteSpace(fallback) ? fallback : null;

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues(DuctapeHttp.RequestIdHeader, out var values) ? values.FirstOrDefault() : null;

    private static string Excerpt(byte[] body) =>
        Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, BodyExcerptBytes));
}
