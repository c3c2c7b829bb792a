using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Benchmarks;

/// <summary>One ~510-character contract token, its key, and validators, shared by the token benchmarks.</summary>
internal sealed class TokenFixture
{
    public static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public TokenFixture()
    {
        var ring = new SessionKeyRing(new SessionKey("k1", Secret));
        var issued = new SessionTokenIssuer(ring).Issue(new SessionTokenDescriptor
        {
            Tag = "session_name",
            Selector = "$Session{userId}",
            Data = SessionJson.Parse("""
                {"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"},
                 "roles":["member"],"plan":"pro"}
                """),
            Product = "acme:shop",
            Env = "prd",
            Lifetime = TimeSpan.FromDays(3650),
            SessionId = "ses_0123456789abcdefghijkl",
        });
        Token = issued.Token;
        Jwe = Token[(Token.IndexOf(':') + 1)..];
        Validator = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = ring, Product = "acme:shop", Env = "prd" });

        // The same validator with a revocation store holding 10,000 revoked sessions and 10,000 revoked users (none of them
        // this token's), so the look-up is a real one.
        var store = new InMemorySessionRevocationStore();
        for (var i = 0; i < 10_000; i++)
        {
            // The in-memory store completes at once; nothing here waits.
            Completed(store.RevokeSessionAsync($"ses_revoked_{i}"));
            Completed(store.RevokeIdentifierAsync(new SessionScope("acme:shop", "prd", "session_name"), $"user-{i}", null));
        }

        WithRevocations = new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = ring, Product = "acme:shop", Env = "prd", RevocationStore = store,
        });

        var chars = Token.ToCharArray();
        var cipherStart = Token.LastIndexOf('.') - 10;
        chars[cipherStart] = chars[cipherStart] == 'A' ? 'B' : 'A';
        Tampered = new string(chars);
    }

    public string Token { get; }

    public string Jwe { get; }

    public string Tampered { get; }

    public SessionTokenValidator Validator { get; }

    public SessionTokenValidator WithRevocations { get; }

    private static void Completed(Task task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The in-memory revocation store was expected to complete at once.");
        }
    }
}
