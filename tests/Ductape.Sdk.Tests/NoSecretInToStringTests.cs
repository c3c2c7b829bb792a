using System.Reflection;
using System.Text.Json;

namespace Ductape.Sdk.Tests;

/// <summary>
/// No public type's <c>ToString()</c> shows a secret: every public type the tests can build is filled with secret values in
/// every member that may hold one (tokens, keys, session data), and its text is checked.
/// </summary>
public class NoSecretInToStringTests
{
    private const string Secret = "SECRET_VALUE_42";
    private static readonly string[] SecretMembers = ["Token", "RefreshToken", "AccessKey", "PublishableKey", "Data", "Secret"];

    private static IEnumerable<Type> Buildable() =>
        typeof(DuctapeClient).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && !typeof(Exception).IsAssignableFrom(t))
            .Where(t => t.GetConstructor(Type.EmptyTypes) is not null);

    [Test]
    public void No_public_type_shows_a_token_a_key_or_session_data_in_ToString()
    {
        var checkedTypes = 0;
        var offenders = new List<string>();
        foreach (var type in Buildable())
        {
            object instance;
            try
            {
                instance = Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            var filled = false;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => SecretMembers.Contains(p.Name) && p.SetMethod is not null))
            {
                object? value = property.PropertyType == typeof(string) ? Secret
                    : property.PropertyType == typeof(JsonElement) || property.PropertyType == typeof(JsonElement?)
                        ? SessionJson.Parse($$"""{"name":"{{Secret}}"}""")
                        : null;
                if (value is not null)
                {
                    property.SetValue(instance, value);
                    filled = true;
                }
            }

            if (!filled)
            {
                continue;
            }

            checkedTypes++;
            if (instance.ToString()!.Contains(Secret, StringComparison.Ordinal))
            {
                offenders.Add(type.Name);
            }
        }

        Assert.That(checkedTypes, Is.GreaterThanOrEqualTo(4), "the check reached the types that hold secrets");
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Types_built_from_tokens_and_keys_show_none_of_them()
    {
        var kit = new Tokens.TokenTestKit();
        var issued = kit.Issuer().Issue(Tokens.SessionTokenValidatorTests.Descriptor() with
        {
            Data = SessionJson.Parse($$"""{"userId":"u","name":"{{Secret}}"}"""),
        });
        var result = kit.Validator().Validate(issued.Token);
        var descriptor = Tokens.SessionTokenValidatorTests.Descriptor() with { Data = SessionJson.Parse($$"""{"x":"{{Secret}}"}""") };
        var texts = new object[] { issued, result, result.Session!, descriptor, kit.Key, kit.Ring };

        foreach (var text in texts.Select(t => t.ToString()!))
        {
            Assert.That(text, Does.Not.Contain(Secret).And.Not.Contain(issued.Token[^20..]).And.Not.Contain(kit.Key.ExportText()[^20..]));
        }
    }
}
