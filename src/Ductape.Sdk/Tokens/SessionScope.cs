namespace Ductape.Sdk.Tokens;

/// <summary>The product, environment and session type a user's identifier belongs to.</summary>
/// <param name="Product">The product tag.</param>
/// <param name="Env">The environment.</param>
/// <param name="Tag">The session type's tag.</param>
public readonly record struct SessionScope(string Product, string Env, string Tag);
