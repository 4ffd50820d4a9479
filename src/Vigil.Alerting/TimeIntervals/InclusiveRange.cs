namespace Vigil.Alerting.TimeIntervals;

/// <summary>
/// An inclusive range of weekdays (0 = Sunday .. 6), days of the month (1..31, or -1 = the last day .. -31),
/// months (1..12) or years, as Alertmanager's <c>timeinterval.InclusiveRange</c>. A single value has Begin == End.
/// </summary>
/// <param name="Begin">The first member.</param>
/// <param name="End">The last member, included.</param>
public readonly record struct InclusiveRange(int Begin, int End);

/// <summary>A range of minutes of the day, <c>[StartMinute, EndMinute)</c>: <c>09:00</c>–<c>17:00</c> is 540–1020, and 17:00 itself is outside.</summary>
/// <param name="StartMinute">The first minute, 0..1439.</param>
/// <param name="EndMinute">The minute after the last one, up to 1440 (<c>24:00</c>).</param>
public readonly record struct TimeRange(int StartMinute, int EndMinute);
