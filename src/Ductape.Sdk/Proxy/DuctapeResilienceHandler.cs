using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The one place retries and timeouts happen, around each request inside the <see cref="HttpClient"/>: an overall timeout,
/// Polly's retry (entered only when the first attempt's outcome is worth retrying) and an attempt timeout. Each attempt
/// reads the whole answer (up to <see cref="DuctapeClientOptions.MaxResponseBytes"/>), so timeouts and retries cover the
/// body too. The request message is re-sent as it is, so its <c>Idempotency-Key</c> is the same on every attempt.
/// </summary>
internal sealed partial class DuctapeResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<CallState> StateKey = new("Ductape.Call");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly DuctapeRetryOptions _retry;
    private readonly TimeSpan _timeout;
    private readonly int _maxResponseBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly System.Diagnostics.Metrics.Counter<long> _retries;
    private readonly TimeoutSources _timeouts;

    public DuctapeResilienceHandler(DuctapeClientOptions options)
    {
        // Copies, so later changes to the options object do not reach a running client.
        _retry = options.Retry.Clone();
        _timeout = options.Timeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _time = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger("Ductape.Sdk") ?? NullLogger.Instance;
        _retries = options.ResolveMetrics().Retries;
        _timeouts = new TimeoutSources(_time);
        _pipeline = BuildPipeline();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A call cancelled before it starts sends nothing.
        cancellationToken.ThrowIfCancellationRequested();
        var overall = OverallTimeout(request);
        var call = new CallState(request, overall == Timeout.InfiniteTimeSpan ? null : _time.GetUtcNow() + overall, this);
        // The caller's token reaches the attempt through the call's own source: one registration per call, none per attempt.
        var link = cancellationToken.UnsafeRegister(static s => ((CallState)s!).CancelAttempt(), call);
        ResilienceContext? context = null;
        try
        {
            // The first attempt runs directly: most calls succeed (or fail for good) at once and never need the pipeline.
            // Only an outcome worth retrying enters Polly's retry, which takes it as its first attempt's outcome (so the
            // back-off, the attempt count and the limits are the pipeline's) before making the next attempt.
            var outcome = await AttemptAsync(call, cancellationToken).ConfigureAwait(false);
            if (ShouldRetry(outcome, call, cancellationToken))
            {
                call.Replay = outcome;
                context = ResilienceContextPool.Shared.Get(cancellationToken);
                context.Properties.Set(StateKey, call);
                outcome = await _pipeline.ExecuteOutcomeAsync(
                    static (ctx, state) => state.TakeReplay() is { } first
                        ? ValueTask.FromResult(first)
                        : state.Handler.AttemptAsync(state, ctx.CancellationToken),
                    context,
                    call).ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // The caller's cancellation wins over whatever the last attempt produced.
                outcome.Result?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (outcome.Exception is null)
            {
                return outcome.Result!;
            }

            if (outcome.Exception is TimeoutRejectedException timedOut)
            {
                throw call.OverallTimedOut
                    ? new DuctapeTimeoutException(DuctapeTimeoutLimit.Overall, overall, call.Attempts, timedOut)
                    : new DuctapeTimeoutException(DuctapeTimeoutLimit.Attempt, _retry.AttemptTimeout, call.Attempts, timedOut);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.Exception);
            throw outcome.Exception; // unreachable
        }
        finally
        {
            if (request is ProxyRequest proxyRequest)
            {
                proxyRequest.Attempts = call.Attempts;
            }

            link.Dispose();
            _timeouts.Return(call.Timeout);
            if (context is not null)
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    /// <summary>
    /// One attempt under its timeout: the call's cancellation source armed for the attempt's limit and disarmed after it, so
    /// an attempt costs no timer of its own. An attempt that times out leaves a cancelled source, replaced for the next one.
    /// </summary>
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(CallState state, CancellationToken callerToken)
    {
        state.Attempts++;
        if (state.Attempts > 1 && state.Deadline is { } deadline && _time.GetUtcNow() >= deadline)
        {
            // The back-off wait ran into the deadline: no attempt is left inside the overall limit (the first attempt
            // starts with the whole of it).
            state.OverallTimedOut = true;
            return Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException());
        }

        var timeout = state.Timeout;
        if (timeout.IsCancellationRequested)
        {
            timeout = state.ReplaceTimeout(_timeouts);
        }

        var limit = TimeSpan.Zero;
        var armed = false;
        try
        {
            var attempt = SendOnceAsync(state.Request, timeout.Token);
            if (!attempt.IsCompleted)
            {
                // The timer is armed only when the attempt waits: an answer that is there at once (a cache, a test
                // double) costs no timer, and a call on the network pays for one arm and one disarm.
                limit = AttemptLimit(state);
                timeout.CancelAfter(limit);
                armed = true;
            }

            return Outcome.FromResult(await attempt.ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            state.OverallTimedOut = state.AttemptBoundByDeadline;
            return Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException($"The attempt timed out after {limit}.", limit, ex));
        }
        catch (Exception ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }
        finally
        {
            if (armed)
            {
                timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>One attempt: the request, then the whole body (bounded), both under the attempt's token.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (DuctapeHttp.IsRedirect(response.StatusCode))
        {
            // Never read, never followed: the send path turns it into an error naming the target host.
            return response;
        }

        try
        {
            await BufferedBody.ReadAsync(response, _maxResponseBytes, MethodOf(request), cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string MethodOf(HttpRequestMessage request) =>
        (request as ProxyRequest)?.Operation ?? "unknown";

    private TimeSpan OverallTimeout(HttpRequestMessage request) =>
        (request as ProxyRequest)?.Timeout ?? _timeout;

    /// <summary>
    /// Polly's retry around <see cref="AttemptAsync"/>, which applies the attempt's timeout itself. The overall limit needs no
    /// timer of its own: each attempt's timeout is the attempt limit or what is left of the overall one, whichever is shorter,
    /// and back-off waits never cross the deadline.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        // The most any call may make; ShouldRetry applies the call's own limit (the client's, or a per-call one).
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = DuctapeRetryOptions.MaxAllowedRetries,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, State(args.Context), args.Context.CancellationToken)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayBefore(args.AttemptNumber, args.Outcome, State(args.Context))),
            OnRetry = args =>
            {
                var request = State(args.Context).Request;
                _retries.Add(1, new KeyValuePair<string, object?>("ductape.method", MethodOf(request)));
                LogRetry(
                    request,
                    args.AttemptNumber + 1,
                    args.Outcome.Result is { } response ? $"{(int)response.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown",
                    args.RetryDelay);
                return default;
            },
        });

        return builder.Build();
    }

    private static CallState State(ResilienceContext context) => context.Properties.GetValue(StateKey, null!);

    /// <summary>The attempt timeout, or what is left of the overall one when that is shorter (infinite turns a limit off).</summary>
    private TimeSpan AttemptLimit(CallState state)
    {
        var limit = _retry.AttemptTimeout;
        state.AttemptBoundByDeadline = false;
        if (state.Deadline is { } deadline)
        {
            var left = deadline - _time.GetUtcNow();
            if (limit == Timeout.InfiniteTimeSpan || left <= limit)
            {
                state.AttemptBoundByDeadline = true;
                limit = left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
            }
        }

        return limit;
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CallState state, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || state.OverallTimedOut
            || state.Attempts > ((state.Request as ProxyRequest)?.MaxRetries ?? _retry.MaxRetries))
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or IOException or SocketException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if (!IsTransient(response.StatusCode))
        {
            return false;
        }

        // A server that asks for a longer wait than we allow gets an immediate failure that says how long it asked for.
        return DuctapeHttp.RetryAfter(response, _time) is not { } wait || wait <= _retry.MaxRetryAfter;
    }

    private TimeSpan DelayBefore(int attempt, Outcome<HttpResponseMessage> outcome, CallState state)
    {
        TimeSpan delay;
        if (outcome.Result is { } response && DuctapeHttp.RetryAfter(response, _time) is { } wait)
        {
            delay = wait;
        }
        else
        {
            // Exponential back-off with "equal jitter": half fixed, half random, so delays grow and never synchronise.
            var exponential = _retry.BaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
            var capped = Math.Min(exponential, _retry.MaxDelay.Ticks);
            delay = TimeSpan.FromTicks((long)(capped / 2 + (capped / 2 * Random.Shared.NextDouble())));
        }

        // Never wait past the deadline: the next attempt then finds no time left and ends the call as an overall timeout.
        if (state.Deadline is { } deadline && deadline - _time.GetUtcNow() is var left && left < delay)
        {
            delay = left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        return delay;
    }

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    private void LogRetry(HttpRequestMessage request, int attempt, string outcome, TimeSpan delay) =>
        LogRetrying(_logger, MethodOf(request), attempt, outcome, (long)delay.TotalMilliseconds);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Ductape call '{Method}' attempt {Attempt} failed ({Outcome}); retrying in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string method, int attempt, string outcome, long delayMs);

    /// <summary>What the pipeline knows about one call: one object, so no attempt boxes a value into the context.</summary>
    private sealed class CallState(HttpRequestMessage request, DateTimeOffset? deadline, DuctapeResilienceHandler handler)
    {
        public HttpRequestMessage Request { get; } = request;

        /// <summary>When the overall timeout ends the call, or null when it is off.</summary>
        public DateTimeOffset? Deadline { get; } = deadline;

        public DuctapeResilienceHandler Handler { get; } = handler;

        /// <summary>The current attempt's cancellation: armed for its limit, cancelled by the caller's token too.</summary>
        public CancellationTokenSource Timeout { get; private set; } = handler._timeouts.Rent();

        public int Attempts { get; set; }

        /// <summary>Whether the current attempt's timeout is the deadline rather than the attempt limit.</summary>
        public bool AttemptBoundByDeadline { get; set; }

        public bool OverallTimedOut { get; set; }

        /// <summary>The first attempt's outcome, made before the pipeline ran; the pipeline's first execution returns it.</summary>
        public Outcome<HttpResponseMessage>? Replay { get; set; }

        public Outcome<HttpResponseMessage>? TakeReplay()
        {
            var first = Replay;
            Replay = null;
            return first;
        }

        public void CancelAttempt() => Timeout.Cancel();

        public CancellationTokenSource ReplaceTimeout(TimeoutSources sources)
        {
            var spent = Timeout;
            Timeout = sources.Rent();
            sources.Return(spent);
            return Timeout;
        }
    }
}
