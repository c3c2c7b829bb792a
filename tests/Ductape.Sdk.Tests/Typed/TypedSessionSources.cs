namespace Ductape.Sdk.Tests.Typed;

/// <summary>User code for the generator and analyzer tests.</summary>
internal static class TypedSessionSources
{
    /// <summary>A JsonSerializerContext as the app declares it; the body System.Text.Json's generator would add is stubbed.</summary>
    public static string Context(string types, string options = "") => $$"""
        using System;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;

        namespace App;

        {{options}}
        {{types}}
        internal sealed partial class AppJson : JsonSerializerContext
        {
            public AppJson() : base(null) { }
            public static AppJson Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    public const string Seed = """
        using Ductape.Sdk;

        namespace App;

        [DuctapeSession("session_name", Name = "Session Name", Description = "Session Description Here", Expiry = 7, Period = TokenPeriod.Hours)]
        public partial record UserSession(
            [property: SessionIdentifier, SessionSample("191010192-19198829819")] string UserId,
            UserDetails Details);

        public sealed record UserDetails(
            [property: SessionSample("ductape-user")] string Username,
            [property: SessionSample("santos@ductape.app")] string Email);
        """;

    public static readonly string SeedContext = Context("[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]\n[JsonSerializable(typeof(UserSession))]");
}
