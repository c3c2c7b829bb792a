using System.Runtime.CompilerServices;
using System.Text.Json;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Sessions;

public partial class SessionsClient
{
    /// <summary>One page of a session type's active sessions (Ductape's <c>sessions.listActive</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">Only this user's sessions, when given.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    /// <exception cref="DuctapeValidationException">Bad tag, page or limit; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<DuctapePage<ActiveSession>> ListActiveAsync(
        string tag, string? identifier = null, int page = 1, int limit = DefaultLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        CheckPage(errors, page, limit);
        errors.ThrowIfAny();
        var listing = await Send(SessionOperations.ListActive, options, w =>
        {
            if (identifier is not null)
            {
                w.WriteString("identifier"u8, identifier);
            }

            w.WriteNumber("page"u8, page);
            w.WriteNumber("limit"u8, limit);
        }, tag, cancellationToken).ConfigureAwait(false);
        return new DuctapePage<ActiveSession> { Items = listing.Sessions, Total = listing.Total, Page = page, Limit = limit };
    }

    /// <summary>Every active session, fetched page by page as you enumerate; stops when cancelled.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">Only this user's sessions, when given.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The sessions.</returns>
    /// <exception cref="DuctapeException">While enumerating: what <see cref="ListActiveAsync(string, string?, int, int, DuctapeRequestOptions?, CancellationToken)"/> throws for a page.</exception>
    public virtual IAsyncEnumerable<ActiveSession> EnumerateActiveAsync(
        string tag, string? identifier = null, int limit = MaxLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Walk((page, ct) => ListActiveAsync(tag, identifier, page, limit, options, ct), cancellationToken);

    /// <summary>One page of a session type's users (Ductape's <c>sessions.fetchUsers</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    /// <exception cref="DuctapeValidationException">Bad session tag, page or limit; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<DuctapePage<SessionUser>> FetchUsersAsync(
        string tag, int page = 1, int limit = DefaultLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        CheckPage(errors, page, limit);
        errors.ThrowIfAny();
        var listing = await SendAnalytics(SessionOperations.FetchUsers, tag, options, w =>
        {
            w.WriteNumber("page"u8, page);
            w.WriteNumber("limit"u8, limit);
        }, cancellationToken).ConfigureAwait(false);
        return new DuctapePage<SessionUser> { Items = listing.Users, Total = listing.Total, Page = page, Limit = limit };
    }

    /// <summary>Every user of a session type, fetched page by page as you enumerate; stops when cancelled.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The users.</returns>
    /// <exception cref="DuctapeException">While enumerating: what <see cref="FetchUsersAsync(string, int, int, DuctapeRequestOptions?, CancellationToken)"/> throws for a page.</exception>
    public virtual IAsyncEnumerable<SessionUser> EnumerateUsersAsync(
        string tag, int limit = MaxLimit, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Walk((page, ct) => FetchUsersAsync(tag, page, limit, options, ct), cancellationToken);

    /// <summary>One user of a session type with their sessions (Ductape's <c>sessions.fetchUserDetails</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The user's details.</returns>
    /// <exception cref="DuctapeValidationException">Blank session tag or identifier; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<SessionUserDetails> FetchUserDetailsAsync(
        string tag, string identifier, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        errors.RequireText(identifier, nameof(identifier));
        errors.ThrowIfAny();
        return SendAnalytics(SessionOperations.FetchUserDetails, tag, options, w => w.WriteString("identifier"u8, identifier),
            cancellationToken);
    }

    /// <summary>A session type's dashboard metrics (Ductape's <c>sessions.fetchDashboard</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="DuctapeValidationException">Bad session tag; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<SessionDashboard> FetchDashboardAsync(
        string tag, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        errors.ThrowIfAny();
        return SendAnalytics(SessionOperations.FetchDashboard, tag, options, static _ => { }, cancellationToken);
    }

    private static void CheckPage(ValidationErrors errors, int page, int limit)
    {
        if (page < 1)
        {
            errors.Add(nameof(page), "must be at least 1");
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors.Add(nameof(limit), $"must be between 1 and {MaxLimit}");
        }
    }

    private Task<T> SendAnalytics<T>(
        ProxyOperation<T> operation, string tag, DuctapeRequestOptions? options, Action<Utf8JsonWriter> writeFields,
        CancellationToken cancellationToken)
    {
        var product = Scope.Product(options);
        var env = Scope.TryEnv(options);
        return Transport.SendAsync(operation, Scope.Call(w =>
        {
            w.WriteStartObject();
            w.WriteString("product"u8, product);
            w.WriteString("session"u8, tag);
            if (env is not null)
            {
                w.WriteString("env"u8, env);
            }

            writeFields(w);
            w.WriteEndObject();
        }, options, product, tag), cancellationToken);
    }

    private static async IAsyncEnumerable<T> Walk<T>(
        Func<int, CancellationToken, Task<DuctapePage<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await fetch(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in current.Items)
            {
                yield return item;
            }

            if (!current.HasMore)
            {
                yield break;
            }
        }
    }
}
