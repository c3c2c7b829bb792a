using Ductape.Sdk.Products;
using Ductape.Sdk.Proxy;
using Ductape.Sdk.Sessions;

namespace Ductape.Sdk;

/// <summary>Every proxy operation the SDK calls, from the tables beside their clients, in the contract's order (CONTRACT §5).</summary>
internal static class DuctapeOperations
{
    public static IReadOnlyList<ProxyOperation> All { get; } =
    [
        ProductSessionOperations.Create, ProductSessionOperations.Update, ProductSessionOperations.Fetch,
        ProductSessionOperations.Delete, ProductSessionOperations.List, SessionOperations.Start, SessionOperations.Verify,
        SessionOperations.Refresh, SessionOperations.Revoke, SessionOperations.RevokeAll, SessionOperations.ListActive,
        SessionOperations.FetchUsers, SessionOperations.FetchUserDetails, SessionOperations.FetchDashboard,
    ];
}
