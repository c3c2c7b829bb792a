using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Products;

/// <summary>Product-level operations; reach it through <see cref="DuctapeClient.Products"/>.</summary>
public class ProductsClient
{
    /// <summary>For mocking frameworks only: a client built this way has no transport.</summary>
    protected ProductsClient()
    {
        Sessions = null!;
    }

    internal ProductsClient(ProxySender transport, CallScope scope)
    {
        Sessions = new ProductSessionsClient(transport, scope);
    }

    /// <summary>The product's session types: create, update, fetch, list and delete them.</summary>
    public virtual ProductSessionsClient Sessions { get; }
}
