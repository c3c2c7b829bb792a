using System.Reflection;
using System.Text.Json.Serialization;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Tests;

/// <summary>Rules the whole public surface follows, checked by reflection so a new member cannot quietly break them.</summary>
public class ConventionTests
{
    private static readonly Assembly Sdk = typeof(DuctapeClient).Assembly;

    private static IEnumerable<Type> PublicTypes => Sdk.GetExportedTypes();

    /// <summary>Open on purpose: the clients so users can mock them, the exception base, and the user record details extends.</summary>
    private static readonly Type[] OpenByDesign =
    [
        typeof(DuctapeClient), typeof(ProductsClient), typeof(ProductSessionsClient), typeof(Ductape.Sdk.Sessions.SessionsClient),
        typeof(DuctapeException), typeof(Ductape.Sdk.Sessions.SessionUser),
        typeof(Ductape.Sdk.Tokens.Revocation.SessionRevocation), // abstract base of a closed hierarchy (private protected constructor)
    ];

    [Test]
    public void Every_public_async_method_ends_with_a_cancellation_token()
    {
        var offenders = PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAsync(m.ReturnType) && !m.IsSpecialName && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Every_public_type_is_sealed_static_or_open_for_a_stated_reason()
    {
        var offenders = PublicTypes
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed) && !OpenByDesign.Contains(t)
                && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Every_serialized_property_of_a_public_model_has_an_explicit_json_name()
    {
        var models = PublicTypes.Where(t => t.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null));
        var offenders = models
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.GetCustomAttribute<JsonPropertyNameAttribute>() is null
                && x.Property.GetCustomAttribute<JsonIgnoreAttribute>() is null
                && x.Property.Name != "EqualityContract")
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Every_public_model_is_in_the_json_context()
    {
        var listed = typeof(Ductape.Sdk.DuctapeJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();
        Assert.That(listed, Is.Not.Empty);
        var reachable = new HashSet<Type>();
        foreach (var type in listed.Where(t => t is not null))
        {
            Reach(type, reachable);
        }

        var models = PublicTypes.Where(t => t.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null));
        Assert.That(models.Where(m => !reachable.Contains(m)).Select(m => m.Name), Is.Empty);
    }

    [Test]
    public void Every_public_member_has_xml_docs()
    {
        // The compiler enforces it (GenerateDocumentationFile + TreatWarningsAsErrors turn CS1591 into an error); this checks
        // the documentation file ships next to the assembly.
        Assert.That(File.Exists(Path.ChangeExtension(Sdk.Location, ".xml")), Is.True);
    }

    private static void Reach(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType)
        {
            return;
        }

        foreach (var argument in type.GetGenericArguments())
        {
            Reach(argument, seen);
        }

        if (type.BaseType is { } baseType)
        {
            Reach(baseType, seen);
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            Reach(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, seen);
        }
    }

    private static bool IsAsync(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Task<>) || d == typeof(ValueTask<>) || d == typeof(IAsyncEnumerable<>)));
}
