using System.Text.Json;
using Ductape.Sdk.Cli;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.IntegrationTests.Cli;

/// <summary><c>plan --out</c> then <c>apply plan.json</c>: exactly the reviewed changes, or nothing when the product moved.</summary>
public class CliSavedPlanTests : CliTest
{
    private async Task<string> SavedPlan(params ProductSession[] desired)
    {
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write(desired));
        var plan = await Ductape("sessions", "plan", PathOf("s.json"), "--out", PathOf("plan.json"));
        Assert.That(plan.ExitCode, Is.EqualTo(CliApp.HasChanges), plan.Error);
        Assert.That(plan.Output, Does.Contain($"Saved to {PathOf("plan.json")}"));
        return PathOf("plan.json");
    }

    private int Mutations() => Server.Journal.Count(c => c.Method is "create" or "update" or "delete");

    [Test]
    public async Task Apply_of_a_saved_plan_makes_exactly_its_changes_without_asking_again()
    {
        Server.SeedSessionType(Type("web"), Product);
        var plan = await SavedPlan(Type("web", expiry: 14), Type("mobile"));
        await File.WriteAllTextAsync(PathOf("s.json"), "edited after planning: ignored by apply of the plan");

        var apply = await Ductape("sessions", "apply", plan);

        Assert.That(apply.ExitCode, Is.EqualTo(0), apply.Error);
        Assert.That(apply.Output, Does.Contain("created mobile").And.Contain("updated web").And.Contain("Applied 2 change(s)."));
        using var client = Server.CreateClient(Product);
        var live = await client.Products.Sessions.FetchAllAsync();
        Assert.That(live.Select(t => (t.Tag, t.Expiry)), Is.EquivalentTo(new[] { ("mobile", 7), ("web", 14) }));

        var again = await Ductape("sessions", "apply", plan);
        Assert.That((again.ExitCode, again.Error.Trim()), Is.EqualTo((1,
            $"error: the product changed since {plan} was planned: mobile (created since), web (changed since); nothing applied. Plan again, review, apply the new plan.")));
    }

    [Test]
    public async Task A_product_changed_since_the_plan_is_refused_and_nothing_is_applied()
    {
        Server.SeedSessionType(Type("web"), Product);
        Server.SeedSessionType(Type("old"), Product);
        var plan = await SavedPlan(Type("web", expiry: 14), Type("old"));
        using (var client = Server.CreateClient(Product))
        {
            await client.Products.Sessions.UpdateAsync(new ProductSessionUpdate("old") { Description = "changed by someone else" });
        }

        var before = Mutations();

        var apply = await Ductape("sessions", "apply", plan);

        Assert.That(apply.ExitCode, Is.EqualTo(1));
        Assert.That(apply.Error, Does.Contain("the product changed since").And.Contain("old (changed since)").And.Contain("nothing applied"));
        Assert.That(Mutations(), Is.EqualTo(before));
    }

    [Test]
    public async Task An_edited_plan_another_products_plan_and_prune_with_a_plan_are_refused()
    {
        var plan = await SavedPlan(Type("web"));
        var original = await File.ReadAllTextAsync(plan);

        await File.WriteAllTextAsync(plan, original.Replace("\"expiry\": 7", "\"expiry\": 9", StringComparison.Ordinal));
        Assert.That((await Ductape("sessions", "apply", plan)).Error, Does.Contain("its changes do not follow from its desired session types (was it edited?); nothing applied"));

        await File.WriteAllTextAsync(plan, original);
        Environment["DUCTAPE_PRODUCT"] = "cli:other";
        Assert.That((await Ductape("sessions", "apply", plan)).Error, Does.Contain("was planned for product 'cli:app' (env 'dev'), not 'cli:other' (env 'dev'); nothing applied."));

        Environment["DUCTAPE_PRODUCT"] = Product;
        Assert.That((await Ductape("sessions", "apply", plan, "--prune")).Error, Does.Contain("--prune: " + plan + " is a saved plan, which already says whether to prune."));

        await File.WriteAllTextAsync(plan, original.Replace("ductape-sessions-plan/1", "ductape-sessions-plan/9", StringComparison.Ordinal));
        Assert.That((await Ductape("sessions", "apply", plan)).Error, Does.Contain("a plan in a format this ductape does not know"));
        Assert.That(Mutations(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_saved_plan_records_prune_and_deletes_only_because_it_said_so()
    {
        Server.SeedSessionType(Type("web"), Product);
        Server.SeedSessionType(Type("legacy"), Product);
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("web")]));
        await Ductape("sessions", "plan", PathOf("s.json"), "--prune", "--out", PathOf("plan.json"));

        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(PathOf("plan.json")));
        Assert.That(saved.RootElement.GetProperty("prune").GetBoolean(), Is.True);
        Assert.That(saved.RootElement.GetProperty("live").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "legacy", "web" }));

        var apply = await Ductape("sessions", "apply", PathOf("plan.json"));
        Assert.That(apply.Output, Does.Contain("deleted legacy"));
    }
}
