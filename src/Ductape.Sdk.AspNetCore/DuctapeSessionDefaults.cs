namespace Ductape.Sdk;

/// <summary>Default values of Ductape session authentication (as <c>JwtBearerDefaults</c> is for JWT bearer).</summary>
public static class DuctapeSessionDefaults
{
    /// <summary>The default authentication scheme name: <c>DuctapeSession</c>.</summary>
    public const string AuthenticationScheme = "DuctapeSession";
}
