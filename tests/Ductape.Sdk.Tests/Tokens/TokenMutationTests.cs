using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>100,000 seeded random mutations of a valid token: none throws, none is accepted.</summary>
public class TokenMutationTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:=+/ {}\"\u00e9\0";

    [Test]
    public void Random_mutations_never_throw_and_are_never_accepted()
    {
        var kit = new TokenTestKit();
        var validator = kit.Validator();
        var token = kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor()).Token;
        Assert.That(validator.Validate(token).IsValid, Is.True);
        var random = new Random(20261127);
        var accepted = new List<string>();
        var failures = new Dictionary<SessionTokenFailure, int>();

        for (var i = 0; i < 100_000; i++)
        {
            var mutant = Mutate(token, random);
            if (mutant == token)
            {
                continue;
            }

            var result = validator.Validate(mutant);
            if (result.IsValid)
            {
                accepted.Add(mutant);
            }

            failures[result.Failure] = failures.GetValueOrDefault(result.Failure) + 1;
        }

        TestContext.Out.WriteLine(string.Join(", ", failures.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}")));
        Assert.That(accepted, Is.Empty, "a mutated token was accepted");
        Assert.That(failures.Keys, Is.SupersetOf(new[] { SessionTokenFailure.Malformed, SessionTokenFailure.DecryptionFailed }));
    }

    private static string Mutate(string token, Random random)
    {
        var chars = token.ToCharArray().ToList();
        switch (random.Next(6))
        {
            case 0: // flip one bit of one character
                var at = random.Next(chars.Count);
                chars[at] = (char)(chars[at] ^ (1 << random.Next(7)));
                break;
            case 1: // truncate
                var keep = random.Next(chars.Count);
                chars.RemoveRange(keep, chars.Count - keep);
                break;
            case 2: // insert
                chars.Insert(random.Next(chars.Count + 1), Alphabet[random.Next(Alphabet.Length)]);
                break;
            case 3: // replace with another base64url character
                chars[random.Next(chars.Count)] = Alphabet[random.Next(64)];
                break;
            case 4: // swap two segments
                var colon = token.IndexOf(':');
                var parts = token[(colon + 1)..].Split('.');
                var a = random.Next(parts.Length);
                var b = random.Next(parts.Length);
                (parts[a], parts[b]) = (parts[b], parts[a]);
                return token[..(colon + 1)] + string.Join('.', parts);
            default: // delete a run
                var start = random.Next(chars.Count);
                chars.RemoveRange(start, Math.Min(random.Next(1, 8), chars.Count - start));
                break;
        }

        return new string([.. chars]);
    }
}
