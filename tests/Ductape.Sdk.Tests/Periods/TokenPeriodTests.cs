using System.Text.Json;

namespace Ductape.Sdk.Tests.Periods;

public class TokenPeriodTests
{
    [TestCase("secs", TokenPeriod.Seconds)]
    [TestCase("seconds", TokenPeriod.Seconds)]
    [TestCase("second", TokenPeriod.Seconds)]
    [TestCase("mins", TokenPeriod.Minutes)]
    [TestCase("minutes", TokenPeriod.Minutes)]
    [TestCase("minute", TokenPeriod.Minutes)]
    [TestCase("hours", TokenPeriod.Hours)]
    [TestCase("hour", TokenPeriod.Hours)]
    [TestCase("days", TokenPeriod.Days)]
    [TestCase("day", TokenPeriod.Days)]
    [TestCase("weeks", TokenPeriod.Weeks)]
    [TestCase("week", TokenPeriod.Weeks)]
    [TestCase("months", TokenPeriod.Months)]
    [TestCase("month", TokenPeriod.Months)]
    [TestCase("years", TokenPeriod.Years)]
    [TestCase("year", TokenPeriod.Years)]
    [TestCase("HOURS", TokenPeriod.Hours)]
    [TestCase("Seconds", TokenPeriod.Seconds)]
    [TestCase("mInS", TokenPeriod.Minutes)]
    public void Every_alias_reads_case_insensitively(string text, TokenPeriod expected)
    {
        Assert.That(TokenPeriods.TryParse(text, out var period), Is.True);
        Assert.That(period, Is.EqualTo(expected));
        Assert.That(TokenPeriods.Parse(text), Is.EqualTo(expected));
        Assert.That(JsonSerializer.Deserialize($"\"{text}\"", TestJson.Default.TokenPeriod), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("sec")]
    [TestCase("fortnight")]
    [TestCase(" hours")]
    [TestCase("hours ")]
    public void Unknown_spellings_are_rejected(string? text)
    {
        Assert.That(TokenPeriods.TryParse(text, out _), Is.False);
        if (text is not null)
        {
            var ex = Assert.Throws<FormatException>(() => TokenPeriods.Parse(text));
            Assert.That(ex!.Message, Does.Contain("secs, mins, hours, days, weeks, months or years"));
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($"\"{text}\"", TestJson.Default.TokenPeriod));
        }
    }

    [Test]
    public void A_number_is_not_a_period_on_the_wire() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("3", TestJson.Default.TokenPeriod));

    [TestCase(TokenPeriod.Seconds, "secs")]
    [TestCase(TokenPeriod.Minutes, "mins")]
    [TestCase(TokenPeriod.Hours, "hours")]
    [TestCase(TokenPeriod.Days, "days")]
    [TestCase(TokenPeriod.Weeks, "weeks")]
    [TestCase(TokenPeriod.Months, "months")]
    [TestCase(TokenPeriod.Years, "years")]
    public void Writing_uses_the_wire_value(TokenPeriod period, string wire)
    {
        Assert.That(period.ToWireValue(), Is.EqualTo(wire));
        Assert.That(JsonSerializer.Serialize(period, TestJson.Default.TokenPeriod), Is.EqualTo($"\"{wire}\""));
    }

    [Test]
    public void An_undefined_period_has_no_wire_value() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((TokenPeriod)0).ToWireValue());

    private static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [TestCase(TokenPeriod.Seconds, 90, "2026-03-10T12:01:30Z")]
    [TestCase(TokenPeriod.Minutes, 90, "2026-03-10T13:30:00Z")]
    [TestCase(TokenPeriod.Hours, 7, "2026-03-10T19:00:00Z")]
    [TestCase(TokenPeriod.Days, 14, "2026-03-24T12:00:00Z")]
    [TestCase(TokenPeriod.Weeks, 2, "2026-03-24T12:00:00Z")]
    [TestCase(TokenPeriod.Months, 1, "2026-04-10T12:00:00Z")]
    [TestCase(TokenPeriod.Years, 2, "2028-03-10T12:00:00Z")]
    [TestCase(TokenPeriod.Days, 0, "2026-03-10T12:00:00Z")]
    public void Lifetime_of_each_unit(TokenPeriod period, int count, string expected) =>
        Assert.That(period.AddTo(Start, count), Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [TestCase("2026-01-31T08:00:00Z", 1, "2026-02-28T08:00:00Z")]
    [TestCase("2028-01-31T08:00:00Z", 1, "2028-02-29T08:00:00Z")]
    [TestCase("2026-03-31T08:00:00Z", 1, "2026-04-30T08:00:00Z")]
    [TestCase("2026-10-31T08:00:00Z", 4, "2027-02-28T08:00:00Z")]
    [TestCase("2026-01-15T08:00:00Z", 12, "2027-01-15T08:00:00Z")]
    public void Months_follow_the_calendar(string start, int months, string expected) =>
        Assert.That(TokenPeriod.Months.AddTo(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), months),
            Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void Years_follow_the_calendar_from_a_leap_day() =>
        Assert.That(TokenPeriod.Years.AddTo(new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero), 1),
            Is.EqualTo(new DateTimeOffset(2029, 2, 28, 0, 0, 0, TimeSpan.Zero)));

    [Test]
    public void Calendar_arithmetic_is_in_utc_whatever_the_start_offset()
    {
        // 23:30 on 31 Jan at +02:00 is 21:30 UTC on 31 Jan: one month later is 28 Feb 21:30 UTC.
        var start = new DateTimeOffset(2026, 1, 31, 23, 30, 0, TimeSpan.FromHours(2));
        var end = TokenPeriod.Months.AddTo(start, 1);
        Assert.That(end.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(end, Is.EqualTo(new DateTimeOffset(2026, 2, 28, 21, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_negative_count_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPeriod.Days.AddTo(Start, -1));

    /// <summary>
    /// The compile-time bound (the analyzer's) is the runtime's smallest maximum over every start date of a 400-year
    /// Gregorian cycle: what compiles is accepted whenever it runs, and one more is refused from some start.
    /// </summary>
    [TestCase(TokenPeriod.Seconds, 1)]
    [TestCase(TokenPeriod.Minutes, 2)]
    [TestCase(TokenPeriod.Hours, 3)]
    [TestCase(TokenPeriod.Days, 4)]
    [TestCase(TokenPeriod.Weeks, 5)]
    [TestCase(TokenPeriod.Months, 6)]
    [TestCase(TokenPeriod.Years, 7)]
    public void The_compile_time_bound_is_the_runtimes_minimum_over_every_start_date(TokenPeriod period, int number)
    {
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var minimum = long.MaxValue;
        for (var day = 0; day < 146_097; day++) // 400 years: every leap-year pattern, Feb 29 included
        {
            minimum = Math.Min(minimum, TokenPeriods.MaxExpiryFrom(period, start.AddDays(day)));
        }

        Assert.That(Ductape.Sdk.Generators.Lifetimes.MaxExpiry(number), Is.EqualTo(minimum));
    }
}
