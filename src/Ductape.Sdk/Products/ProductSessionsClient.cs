using System.Text.Json;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Products;

/// <summary>
/// Configures a product's session types (Ductape's <c>products.sessions</c>). Thread-safe. Every method resolves the
/// product from <see cref="DuctapeRequestOptions.Product"/>, else <see cref="DuctapeClientOptions.Product"/>, and checks its
/// input before it sends anything.
/// </summary>
public class ProductSessionsClient
{
    private static DuctapeJsonContext Json => DuctapeJsonContext.Default;

    private readonly ProxySender? _transport;
    private readonly CallScope? _scope;

    /// <summary>For mocking frameworks only: a client built this way has no transport.</summary>
    protected ProductSessionsClient()
    {
    }

    internal ProductSessionsClient(ProxySender transport, CallScope scope)
    {
        _transport = transport;
        _scope = scope;
    }

    private ProxySender Transport => _transport
        ?? throw new InvalidOperationException("This instance was built for mocking and cannot send requests.");

    private CallScope Scope => _scope
        ?? throw new InvalidOperationException("This instance was built for mocking and cannot send requests.");

    /// <summary>Creates a session type (Ductape's <c>products.sessions.create</c>).</summary>
    /// <param name="session">The configuration. Every field is required; the selector must reach a string, number or boolean
    /// in the schema.</param>
    /// <param name="options">Per-call settings (product, idempotency key, timeout), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type as Ductape stored it.</returns>
    /// <exception cref="DuctapeValidationException">The configuration is invalid; every problem is listed and nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">No product is set on the call or the client.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, for example <c>SESSION_EXISTS</c>.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<ProductSession> CreateAsync(
        ProductSession session, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ProductSessionRules.ValidateCreate(session, Scope.Time.GetUtcNow());
        var product = Scope.Product(options);
        return Transport.SendAsync(
            ProductSessionOperations.Create,
            Scope.Call(writer =>
            {
                writer.WriteStringValue(product);
                JsonSerializer.Serialize(writer, session, Json.ProductSession);
            }, options, product, session.Tag),
            cancellationToken);
    }

    /// <summary>
    /// Changes a session type (Ductape's <c>products.sessions.update</c>): only the properties set on
    /// <paramref name="update"/> are sent, and Ductape merges them into the stored configuration.
    /// </summary>
    /// <param name="update">The tag of the session type and the properties to change.</param>
    /// <param name="options">Per-call settings (product, idempotency key, timeout), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type as Ductape stored it after the change.</returns>
    /// <exception cref="DuctapeValidationException">A property set is invalid, or none is set; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">No product is set on the call or the client.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, for example <c>SESSION_NOT_FOUND</c>.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<ProductSession> UpdateAsync(
        ProductSessionUpdate update, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ProductSessionRules.ValidateUpdate(update, Scope.Time.GetUtcNow());
        var product = Scope.Product(options);
        return Transport.SendAsync(
            ProductSessionOperations.Update,
            Scope.Call(writer =>
            {
                writer.WriteStringValue(product);
                writer.WriteStringValue(update.Tag);
                JsonSerializer.Serialize(writer, update, Json.ProductSessionUpdate);
            }, options, product, update.Tag),
            cancellationToken);
    }

    /// <summary>Fetches one session type by its tag (Ductape's <c>products.sessions.fetch</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="options">Per-call settings (product, timeout), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type.</returns>
    /// <exception cref="DuctapeValidationException"><paramref name="tag"/> is not a valid tag; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">No product is set on the call or the client.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, for example <c>SESSION_NOT_FOUND</c>.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<ProductSession> FetchAsync(
        string tag, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        return Transport.SendAsync(ProductSessionOperations.Fetch, TagCall(tag, options), cancellationToken);
    }

    /// <summary>Fetches every session type of the product (Ductape's <c>products.sessions.fetchAll</c>).</summary>
    /// <param name="options">Per-call settings (product, timeout), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session types; empty when there are none.</returns>
    /// <exception cref="InvalidOperationException">No product is set on the call or the client.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<IReadOnlyList<ProductSession>> FetchAllAsync(
        DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var product = Scope.Product(options);
        return await Transport.SendAsync(
            ProductSessionOperations.List,
            Scope.Call(writer => writer.WriteStringValue(product), options, product, sessionTag: null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a session type (Ductape's <c>sessions.delete</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="options">Per-call settings (product, idempotency key, timeout), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>A task that completes when Ductape has deleted it.</returns>
    /// <exception cref="DuctapeValidationException"><paramref name="tag"/> is not a valid tag; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">No product is set on the call or the client.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, for example <c>SESSION_NOT_FOUND</c>.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task DeleteAsync(string tag, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(ProductSessionOperations.Delete, TagCall(tag, options), cancellationToken);

    /// <summary>Creates a session type, as <see cref="CreateAsync(ProductSession, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="session">The configuration.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type as Ductape stored it.</returns>
    public Task<ProductSession> CreateAsync(ProductSession session, CancellationToken cancellationToken) =>
        CreateAsync(session, options: null, cancellationToken);

    /// <summary>Changes a session type, as <see cref="UpdateAsync(ProductSessionUpdate, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="update">The tag of the session type and the properties to change.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type as Ductape stored it after the change.</returns>
    public Task<ProductSession> UpdateAsync(ProductSessionUpdate update, CancellationToken cancellationToken) =>
        UpdateAsync(update, options: null, cancellationToken);

    /// <summary>Fetches one session type, as <see cref="FetchAsync(string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session type.</returns>
    public Task<ProductSession> FetchAsync(string tag, CancellationToken cancellationToken) =>
        FetchAsync(tag, options: null, cancellationToken);

    /// <summary>Fetches every session type, as <see cref="FetchAllAsync(DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session types; empty when there are none.</returns>
    public Task<IReadOnlyList<ProductSession>> FetchAllAsync(CancellationToken cancellationToken) =>
        FetchAllAsync(options: null, cancellationToken);

    /// <summary>Deletes a session type, as <see cref="DeleteAsync(string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>A task that completes when Ductape has deleted it.</returns>
    public Task DeleteAsync(string tag, CancellationToken cancellationToken) =>
        DeleteAsync(tag, options: null, cancellationToken);

    private ProxyCall TagCall(string tag, DuctapeRequestOptions? options)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, nameof(tag));
        errors.ThrowIfAny();
        var product = Scope.Product(options);
        return Scope.Call(writer =>
        {
            writer.WriteStringValue(product);
            writer.WriteStringValue(tag);
        }, options, product, tag);
    }
}
