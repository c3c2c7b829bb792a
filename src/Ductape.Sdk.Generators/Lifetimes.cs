namespace Ductape.Sdk.Generators;

/// <summary>
/// The lifetime rule at compile time. The runtime checks <c>period.AddTo(now, expiry) ≤ now + 100 calendar years</c> from
/// the client's clock; a compile-time check does not know the start, so it allows only what every start accepts — the
/// smallest count over all start dates (100 years hold 36,524 days when they cross a non-leap century year) — so "it
/// compiles" means "it is accepted". A unit test pins these to the runtime's minimum.
/// </summary>
internal static class Lifetimes
{
    /// <summary>The largest expiry every start date accepts; null for a period that is not defined.</summary>
    public static long? MaxExpiry(int period) => period switch
    {
        1 => 36_524L * 86_400,
        2 => 36_524L * 1_440,
        3 => 36_524L * 24,
        4 => 36_524L,
        5 => 36_524L / 7,
        6 => 1_200L,
        7 => 100L,
        _ => null,
    };

    public static string PeriodName(int period) => period switch
    {
        1 => "Seconds", 2 => "Minutes", 3 => "Hours", 4 => "Days", 5 => "Weeks", 6 => "Months", 7 => "Years", _ => period.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
