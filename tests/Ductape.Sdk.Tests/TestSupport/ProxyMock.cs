using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Ductape.Sdk.Tests;

/// <summary>What the SDK sent, captured when it arrived at the mock network.</summary>
internal sealed record RecordedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    JsonElement Body,
    DateTimeOffset At)
{
    public string Method_ => Body.GetProperty("method").GetString()!;

    public JsonElement Params => Body.GetProperty("params");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A fake Ductape proxy endpoint on MockHttp: records every request, answers from a script.</summary>
internal sealed class ProxyMock : IDisposable
{
    public const string AccessKey = "ak_test_7f3c9e1d2b";
    public const string BaseUrl = "https://api.ductape.test";
    public const string Endpoint = BaseUrl + "/proxy/v1/sdk-proxy/execute";
    public const string Product = "acme:shop";
    public const string Env = "prd";

    private readonly Queue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly object _gate = new();

    public ProxyMock()
    {
        // MockHttp matches and counts; the scripted handler sees the attempt's cancellation token, so an answer can hang.
        Handler.When("*").Respond(new ScriptedHandler(this));
        Network = new InFlightCounter(this) { InnerHandler = Handler };
    }

    /// <summary>What the SDK's handler chain sends to: MockHttp, behind a counter of answers still being produced.</summary>
    public HttpMessageHandler Network { get; }

    private int _answersInProgress;

    /// <summary>Requests handed to MockHttp whose answer is not produced yet (a hanging answer does not count).</summary>
    public int AnswersInProgress => Volatile.Read(ref _answersInProgress);

    public MockHttpMessageHandler Handler { get; } = new();

    public void Dispose() => Handler.Dispose();

    public List<RecordedRequest> Requests { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Answers the next requests in order; the last answer repeats.</summary>
    public ProxyMock Then(Func<RecordedRequest, HttpResponseMessage> respond) =>
        ThenAsync((request, _) => Task.FromResult(respond(request)));

    public ProxyMock ThenAsync(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        lock (_gate)
        {
            _script.Enqueue(respond);
        }

        return this;
    }

    /// <summary>The fake time at which each attempt was cancelled (recorded inside the cancellation itself, so exact).</summary>
    public List<DateTimeOffset> AttemptsCancelledAt { get; } = [];

    /// <summary>An attempt that never answers: it ends only when its cancellation token fires.</summary>
    public ProxyMock ThenHang() => ThenAsync(async (_, token) =>
    {
        Interlocked.Decrement(ref _answersInProgress); // waiting on the clock now, not working
        try
        {
            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _answersInProgress);
        }

        throw new InvalidOperationException("unreachable");
    });

    public ProxyMock ThenThrow(Exception exception) => Then(_ => throw exception);

    public ProxyMock ThenData(string dataJson) => Then(_ => Success(dataJson));

    public ProxyMock ThenStatus(HttpStatusCode status, string body = "", string mediaType = "application/json") =>
        Then(_ => Response(status, body, mediaType));

    public DuctapeClientOptions Options(Action<DuctapeClientOptions>? configure = null)
    {
        var options = new DuctapeClientOptions
        {
            AccessKey = AccessKey,
            BaseUrl = new Uri(BaseUrl),
            Product = Product,
            Env = Env,
            TimeProvider = Time,
        };
        configure?.Invoke(options);
        return options;
    }

    public DuctapeClient Client(Action<DuctapeClientOptions>? configure = null)
    {
        var options = Options(configure);
        var http = new HttpClient(DuctapeClient.CreateHttpMessageHandler(options, Network)) { Timeout = Timeout.InfiniteTimeSpan };
        return new DuctapeClient(http, options);
    }

    public static HttpResponseMessage Success(string dataJson, string requestId = "req_ok_1") =>
        Response(HttpStatusCode.OK,
            $$$"""{"status":true,"data":{"data":{{{dataJson}}},"execution_time_ms":3,"request_id":"{{{requestId}}}"}}""");

    public static string Failure(string code, string message, string requestId = "req_err_1") =>
        $$"""{"status":false,"message":"{{message}}","code":"{{code}}","request_id":"{{requestId}}"}""";

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private async Task<HttpResponseMessage> Answer(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var recorded = await Record(request).ConfigureAwait(false);
        Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> next;
        lock (_gate)
        {
            Requests.Add(recorded);
            next = _script.Count > 1 ? _script.Dequeue()
                : _script.Count == 1 ? _script.Peek()
                : (_, _) => throw new InvalidOperationException("No response scripted.");
        }

        return await next(recorded, cancellationToken).ConfigureAwait(false);
    }

    private sealed class InFlightCounter(ProxyMock mock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref mock._answersInProgress);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response is FailedAnswer failed)
                {
                    failed.Dispose();
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Exception);
                }

                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // MockHttp completes a cancelled request inside the cancellation itself, so this runs at the instant it fired.
                lock (mock._gate)
                {
                    mock.AttemptsCancelledAt.Add(mock.Time.GetUtcNow());
                }

                throw;
            }
            finally
            {
                Interlocked.Decrement(ref mock._answersInProgress);
            }
        }
    }

    private sealed class ScriptedHandler(ProxyMock mock) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await mock.Answer(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // MockHttp never completes a request whose responder throws, so the failure rides out as a response
                // and InFlightCounter, outside MockHttp, throws it to the SDK.
                return new FailedAnswer(ex);
            }
        }
    }

    private sealed class FailedAnswer(Exception exception) : HttpResponseMessage
    {
        public Exception Exception { get; } = exception;
    }

    private async Task<RecordedRequest> Record(HttpRequestMessage request)
    {
        var headers = request.Headers.ToDictionary(
            h => h.Key, h => string.Join(h.Key == "User-Agent" ? " " : ",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "null" : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
        return new RecordedRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.ToString(),
            Json.Parse(body), Time.GetUtcNow());
    }
}
