using System.Text.Json.Serialization;

namespace Ductape.Sdk;

/// <summary>
/// The unit of a session type's expiry (Ductape's <c>TokenPeriods</c>). On the wire it is written as
/// <c>secs</c>, <c>mins</c>, <c>hours</c>, <c>days</c>, <c>weeks</c>, <c>months</c> or <c>years</c>.
/// </summary>
/// <remarks>There is no zero member on purpose: an unset period is an error, not "seconds".</remarks>
[JsonConverter(typeof(TokenPeriodJsonConverter))]
public enum TokenPeriod
{
    /// <summary>Seconds (wire value <c>secs</c>).</summary>
    Seconds = 1,

    /// <summary>Minutes (wire value <c>mins</c>).</summary>
    Minutes,

    /// <summary>Hours (wire value <c>hours</c>).</summary>
    Hours,

    /// <summary>Days of 24 hours (wire value <c>days</c>).</summary>
    Days,

    /// <summary>Weeks of 7 days (wire value <c>weeks</c>).</summary>
    Weeks,

    /// <summary>Calendar months, counted in UTC from the start instant (wire value <c>months</c>).</summary>
    Months,

    /// <summary>Calendar years, counted in UTC from the start instant (wire value <c>years</c>).</summary>
    Years,
}
