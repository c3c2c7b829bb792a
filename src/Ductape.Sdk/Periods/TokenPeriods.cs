using System.Diagnostics.CodeAnalysis;

namespace Ductape.Sdk;

/// <summary>Wire names, parsing and lifetime arithmetic for <see cref="TokenPeriod"/>.</summary>
public static class TokenPeriods
{
    /// <summary>The longest lifetime a session type may have: 100 years.</summary>
    public const int MaxLifetimeYears = 100;

    /// <summary>Returns the value Ductape uses on the wire (<c>secs</c>, <c>mins</c>, <c>hours</c>, …).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not a defined <see cref="TokenPeriod"/>.</exception>
    public static string ToWireValue(this TokenPeriod period) => period switch
    {
        TokenPeriod.Seconds => "secs",
        TokenPeriod.Minutes => "mins",
        TokenPeriod.Hours => "hours",
        TokenPeriod.Days => "days",
        TokenPeriod.Weeks => "weeks",
        TokenPeriod.Months => "months",
        TokenPeriod.Years => "years",
        _ => throw new ArgumentOutOfRangeException(nameof(period), (int)period, "Not a defined TokenPeriod."),
    };

    /// <summary>
    /// Reads a period: the wire values (<c>secs</c>, <c>mins</c>, <c>hours</c>, <c>days</c>, <c>weeks</c>, <c>months</c>,
    /// <c>years</c>) and the aliases <c>seconds</c>, <c>second</c>, <c>minutes</c>, <c>minute</c>, <c>hour</c>, <c>day</c>,
    /// <c>week</c>, <c>month</c>, <c>year</c>, all case-insensitively.
    /// </summary>
    /// <param name="text">The text to read.</param>
    /// <param name="period">The period read, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a period.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out TokenPeriod period) =>
        TryParse(text.AsSpan(), out period) && text is not null;

    /// <inheritdoc cref="TryParse(string?, out TokenPeriod)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out TokenPeriod period)
    {
        period = Match(text, "secs", "seconds", "second") ? TokenPeriod.Seconds
            : Match(text, "mins", "minutes", "minute") ? TokenPeriod.Minutes
            : Match(text, "hours", "hour") ? TokenPeriod.Hours
            : Match(text, "days", "day") ? TokenPeriod.Days
            : Match(text, "weeks", "week") ? TokenPeriod.Weeks
            : Match(text, "months", "month") ? TokenPeriod.Months
            : Match(text, "years", "year") ? TokenPeriod.Years
            : default;
        return period != default;
    }

    /// <summary>Reads a period like <see cref="TryParse(string?, out TokenPeriod)"/>, or throws.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> does not name a period.</exception>
    public static TokenPeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var period)
            ? period
            : throw new FormatException(
                $"'{text}' is not a token period. Use one of secs, mins, hours, days, weeks, months or years.");
    }

    /// <summary>
    /// The instant <paramref name="count"/> units of <paramref name="period"/> after <paramref name="start"/>, in UTC.
    /// Seconds to weeks are fixed lengths; months and years follow the calendar (31 January + 1 month = 28 or 29 February).
    /// </summary>
    /// <param name="period">The unit.</param>
    /// <param name="start">When the lifetime starts.</param>
    /// <param name="count">How many units; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, the period is undefined, or the
    /// result is past <see cref="DateTimeOffset.MaxValue"/>.</exception>
    public static DateTimeOffset AddTo(this TokenPeriod period, DateTimeOffset start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var utc = start.ToUniversalTime();
        return period switch
        {
            TokenPeriod.Seconds => utc.AddSeconds(count),
            TokenPeriod.Minutes => utc.AddMinutes(count),
            TokenPeriod.Hours => utc.AddHours(count),
            TokenPeriod.Days => utc.AddDays(count),
            TokenPeriod.Weeks => utc.AddDays(7.0 * count),
            TokenPeriod.Months => utc.AddMonths(count),
            TokenPeriod.Years => utc.AddYears(count),
            _ => throw new ArgumentOutOfRangeException(nameof(period), (int)period, "Not a defined TokenPeriod."),
        };
    }

    /// <summary>
    /// The largest expiry in <paramref name="period"/> units that ends no later than 100 calendar years after
    /// <paramref name="now"/> (CONTRACT §2: <c>period.AddTo(now, expiry) ≤ now + 100 years</c>, in UTC). Fixed-length
    /// units depend on the leap days ahead, so 36,524 days from 2026-11-29 fit and 36,525 do not.
    /// </summary>
    internal static long MaxExpiryFrom(TokenPeriod period, DateTimeOffset now)
    {
        var start = now.ToUniversalTime();
        var span = start.AddYears(MaxLifetimeYears) - start;
        return period switch
        {
            TokenPeriod.Seconds => span.Ticks / TimeSpan.TicksPerSecond,
            TokenPeriod.Minutes => span.Ticks / TimeSpan.TicksPerMinute,
            TokenPeriod.Hours => span.Ticks / TimeSpan.TicksPerHour,
            TokenPeriod.Days => span.Ticks / TimeSpan.TicksPerDay,
            TokenPeriod.Weeks => span.Ticks / (7 * TimeSpan.TicksPerDay),
            TokenPeriod.Months => 12L * MaxLifetimeYears,
            TokenPeriod.Years => MaxLifetimeYears,
            _ => throw new ArgumentOutOfRangeException(nameof(period), (int)period, "Not a defined TokenPeriod."),
        };
    }

    internal static bool IsDefined(TokenPeriod period) => period is >= TokenPeriod.Seconds and <= TokenPeriod.Years;

    private static bool Match(ReadOnlySpan<char> text, string a, string b, string? c = null) =>
        text.Equals(a, StringComparison.OrdinalIgnoreCase)
        || text.Equals(b, StringComparison.OrdinalIgnoreCase)
        || (c is not null && text.Equals(c, StringComparison.OrdinalIgnoreCase));
}
