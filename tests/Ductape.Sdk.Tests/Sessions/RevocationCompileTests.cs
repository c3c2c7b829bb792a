using Microsoft.CodeAnalysis;

namespace Ductape.Sdk.Tests.Sessions;

/// <summary>
/// The two revocations (one session, every session of a user) cannot be confused: a positional second argument does not
/// compile, named arguments do. Checked with the real C# compiler against the built assembly.
/// </summary>
public class RevocationCompileTests
{
    [TestCase("await c.Sessions.RevokeAsync(\"t\", sessionId: \"s\");")]
    [TestCase("await c.Sessions.RevokeAsync(\"t\", identifier: \"u\");")]
    [TestCase("await c.Sessions.RevokeAsync(\"t\", sessionId: \"s\", cancellationToken: ct);")]
    [TestCase("await c.Sessions.RevokeAsync(\"t\", identifier: \"u\", options: null, cancellationToken: ct);")]
    [TestCase("await c.Sessions.RevokeAllAsync(\"t\", \"u\", ct);")]
    public void Named_revocations_compile(string call) =>
        Assert.That(Errors(call), Is.Empty);

    [TestCase("await c.Sessions.RevokeAsync(\"t\", \"x\");", "CS0121")]
    [TestCase("await c.Sessions.RevokeAsync(\"t\", \"x\", ct);", "CS0619")]
    public void A_positional_revocation_does_not_compile(string call, string expected)
    {
        var errors = Errors(call);

        Assert.That(errors.Select(e => e.Id), Is.EqualTo(new[] { expected }));
        if (expected == "CS0619")
        {
            Assert.That(errors[0].GetMessage(), Does.Contain("sessionId:").And.Contain("identifier:"));
        }
    }

    private static List<Diagnostic> Errors(string call)
    {
        var source = $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using Ductape.Sdk;

            static class Probe
            {
                static async Task Run(DuctapeClient c, CancellationToken ct)
                {
                    {{call}}
                }
            }
            """;
        var compilation = Roslyn.Compilation(source);
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
