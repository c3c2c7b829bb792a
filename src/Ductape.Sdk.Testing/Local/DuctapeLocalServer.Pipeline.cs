using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.Testing;

// The request pipeline: read bounded, authenticate, replay idempotent calls, dispatch, answer.
public sealed partial class DuctapeLocalServer
{
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

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
