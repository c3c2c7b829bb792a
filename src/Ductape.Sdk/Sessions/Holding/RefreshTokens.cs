using System.Security.Cryptography;
using System.Text;

namespace Ductape.Sdk.Sessions;

/// <summary>What the SDK derives from a refresh token without keeping it: its ledger hash and its refresh idempotency key.</summary>
internal static class RefreshTokens
{
    /// <summary>The base64url SHA-256 of the token: what a ledger records.</summary>
    public static string Hash(string refreshToken) => Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    /// <summary>
    /// The <c>Idempotency-Key</c> of a refresh: the same for every refresh of one refresh token (anywhere in the fleet), so
    /// concurrent callers, a retried call and an instance that takes over a crashed one's refresh all get the one new pair
    /// instead of spending the token twice. Derived apart from <see cref="Hash"/> (domain-separated), never reversible.
    /// </summary>
    public static string IdempotencyKey(string refreshToken) =>
        "rt-" + Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes("ductape.refresh:" + refreshToken)));
}
