namespace Ductape.Sdk.AspNetCore;

/// <summary>The claim types the Ductape session handler adds (the identifier is <c>ClaimTypes.NameIdentifier</c>).</summary>
public static class DuctapeClaimTypes
{
    /// <summary>The session id.</summary>
    public const string SessionId = "ductape:session_id";

    /// <summary>The session type's tag.</summary>
    public const string SessionTag = "ductape:session_tag";

    /// <summary>The product tag.</summary>
    public const string Product = "ductape:product";

    /// <summary>The environment.</summary>
    public const string Env = "ductape:env";
}
