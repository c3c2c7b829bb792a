using System.Text.Json;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Products;

/// <summary>
/// The proxy operations of <see cref="ProductSessionsClient"/>, one row each (CONTRACT §5): whether a call changes state (and so
/// carries an idempotency key), whether its answer may be quoted in an error, and how its result is read.
/// </summary>
internal static class ProductSessionOperations
{
    private const string Sessions = "sessions";
    private static DuctapeJsonContext Json => DuctapeJsonContext.Default;

    public static readonly ProxyOperation<ProductSession> Create = new(Sessions, "create", changesState: true, resultHoldsSecrets: false,
        "[product_tag, { tag, name, description, expiry, period, selector, schema }]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<ProductSession> Update = new(Sessions, "update", changesState: true, resultHoldsSecrets: false,
        "[product_tag, session_tag, { name?, description?, expiry?, period?, selector?, schema? }]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<ProductSession> Fetch = new(Sessions, "fetch", changesState: false, resultHoldsSecrets: false,
        "[product_tag, session_tag]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<List<ProductSession>> List = new(Sessions, "list", changesState: false, resultHoldsSecrets: false,
        "[product_tag]", "[session type]", Json.ListProductSession);

    public static readonly ProxyOperation<JsonElement> Delete = new(Sessions, "delete", changesState: true, resultHoldsSecrets: false,
        "[product_tag, session_tag]", "(ignored)", Json.JsonElement);
}
