using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The one place retries and timeouts happen: a Polly pipeline of overall timeout → retry → attempt timeout, run around
/// each request inside the <see cref="HttpClient"/>. Each attempt reads the whole answer (up to
/// <see cref="DuctapeClientOptions.MaxResponseBytes"/>), so timeouts and retries cover the body too. The request message is
/// re-sent as it is, so its <c>Idempotency-Key</c> is the same on every attempt.
/// </summary>
internal sealed partial class DuctapeResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Ductape.Request");
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("Ductape.Attempts");
    private static readonly ResiliencePropertyKey<bool> OverallTimedOutKey = new("Ductape.OverallTimedOut");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly DuctapeRetryOptions _retry;
    private readonly TimeSpan _timeout;
    private readonly int _maxResponseBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DuctapeResilienceHandler(DuctapeClientOptions options)
    {
        // Copies, so later changes to the options object do not reach a running client.
        _retry = new DuctapeRetryOptions
        {
            MaxRetries = options.Retry.MaxRetries,
            BaseDelay = options.Retry.BaseDelay,
            MaxDelay = options.Retry.MaxDelay,
            MaxRetryAfter = options.Retry.MaxRetryAfter,
            AttemptTimeout = options.Retry.AttemptTimeout,
        };
        _timeout = options.Timeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _time = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger("Ductape.Sdk") ?? NullLogger.Instance;
        _pipeline = BuildPipeline();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        context.Properties.Set(AttemptsKey, 0);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, handler) =>
                {
                    ctx.Properties.Set(AttemptsKey, ctx.Properties.GetValue(AttemptsKey, 0) + 1);
                    try
                    {
                        var response = await handler.SendOnceAsync(ctx.Properties.GetValue(RequestKey, null!), ctx.CancellationToken)
                            .ConfigureAwait(ctx.ContinueOnCapturedContext);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                this).ConfigureAwait(false);

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

            var attempts = context.Properties.GetValue(AttemptsKey, 1);
            if (outcome.Exception is TimeoutRejectedException timedOut)
            {
                throw context.Properties.GetValue(OverallTimedOutKey, false)
                    ? new DuctapeTimeoutException(DuctapeTimeoutLimit.Overall, OverallTimeout(request), attempts, timedOut)
                    : new DuctapeTimeoutException(DuctapeTimeoutLimit.Attempt, _retry.AttemptTimeout, attempts, timedOut);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.Exception);
            throw outcome.Exception; // unreachable
        }
        finally
        {
            request.Options.Set(DuctapeHttp.AttemptsOption, context.Properties.GetValue(AttemptsKey, 1));
            ResilienceContextPool.Shared.Return(context);
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
        request.Options.TryGetValue(DuctapeHttp.MethodOption, out var method) ? method : "unknown";

    private TimeSpan OverallTimeout(HttpRequestMessage request) =>
        request.Options.TryGetValue(DuctapeHttp.TimeoutOption, out var perCall) ? perCall : _timeout;

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            // A generator so a call can bring its own overall timeout; zero or infinite turns the limit off.
            TimeoutGenerator = args => ValueTask.FromResult(OverallTimeout(args.Context.Properties.GetValue(RequestKey, null!))),
            OnTimeout = args =>
            {
                args.Context.Properties.Set(OverallTimedOutKey, true);
                return default;
            },
        });

        if (_retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayBefore(args.AttemptNumber, args.Outcome)),
                OnRetry = args =>
                {
                    var retried = args.Context.Properties.GetValue(RequestKey, null!);
                    DuctapeTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("ductape.method", MethodOf(retried)));
                    LogRetry(
                        args.Context.Properties.GetValue(RequestKey, null!),
                        args.AttemptNumber + 1,
                        args.Outcome.Result is { } response ? $"{(int)response.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown",
                        args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = _ => ValueTask.FromResult(_retry.AttemptTimeout),
        });

        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (context.CancellationToken.IsCancellationRequested)
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

    private TimeSpan DelayBefore(int attempt, Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { } response && DuctapeHttp.RetryAfter(response, _time) is { } wait)
        {
            return wait;
        }

        // Exponential back-off with "equal jitter": half fixed, half random, so delays grow and never synchronise.
        var exponential = _retry.BaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, _retry.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped / 2 + (capped / 2 * Random.Shared.NextDouble())));
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
}
