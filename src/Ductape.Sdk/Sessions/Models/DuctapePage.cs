
namespace Ductape.Sdk.Sessions;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record DuctapePage<T>
{
    /// <summary>The items of this page.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>How many items there are in all.</summary>
    public required int Total { get; init; }

    /// <summary>This page's number, from 1.</summary>
    public required int Page { get; init; }

    /// <summary>The page size asked for.</summary>
    public required int Limit { get; init; }

    /// <summary>Whether a later page may hold more items.</summary>
    public bool HasMore => Items.Count > 0 && (long)Page * Limit < Total;
}
