using System.Text.Json;

namespace Ductape.Sdk.Testing;

/// <summary>One call the local server received, as its <see cref="DuctapeLocalServer.Journal"/> keeps it.</summary>
/// <param name="Method">The proxy method (such as <c>start</c>), or null when the body was unreadable.</param>
/// <param name="Params">The positional parameters as sent (a JSON array) when the request body was at most 4 KiB; an undefined
/// element for larger or unreadable bodies (the journal stays within a byte budget).</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header, or null.</param>
/// <param name="StatusCode">The HTTP status answered; 0 when the connection was aborted on purpose.</param>
/// <param name="Code">Ductape's error code answered, or null for a success.</param>
public sealed record LocalServerCall(string? Method, JsonElement Params, string? IdempotencyKey, int StatusCode, string? Code)
{
    /// <summary>The session type's tag the call names (<c>tag</c> or <c>session</c> of its parameters, or a product-level call's tag), or null.</summary>
    public string? Tag { get; init; }

    /// <summary>The size of the request body, in bytes.</summary>
    public int RequestBytes { get; init; }

    /// <summary>The size of the answer body, in bytes (0 when the connection was aborted).</summary>
    public int ResponseBytes { get; init; }

    /// <summary>Names the call and its answer, never its parameters (they hold tokens and session data).</summary>
    /// <returns>For example <c>start → 200</c>.</returns>
    public override string ToString() => $"{Method ?? "?"} → {StatusCode}{(Code is null ? "" : " " + Code)}";
}
