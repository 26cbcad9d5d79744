using Cronos;
using DigitalEconomy.Core;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>
/// A five-field cron expression read in a time zone (Cronos: daylight-saving gaps and overlaps are handled
/// as cron does — a time skipped by a spring-forward fires once at the jump, a repeated hour fires once).
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression, TimeZoneInfo zone)
    {
        Text = text;
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The time zone it is read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Parses a cron expression and an IANA time zone id (UTC when null).</summary>
    /// <exception cref="InputException">A bad expression or an unknown zone (one line).</exception>
    public static CronSchedule Parse(string cron, string? timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        CronExpression expression;
        try { expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard); }
        catch (CronFormatException e)
        {
            throw new InputException($"--cron '{cron}': {e.Message.TrimEnd('.')}; expected five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"");
        }
        return new CronSchedule(cron.Trim(), expression, FindZone(timeZone));
    }

    /// <summary>This schedule, when it has an occurrence after <paramref name="nowUtc"/>: a schedule that never fires is refused when it is added.</summary>
    /// <exception cref="InputException">No occurrence: a day of the month its months do not have (e.g. "0 0 30 2 *").</exception>
    public CronSchedule RequireOccurrence(DateTime nowUtc) => Next(nowUtc) is not null ? this
        : throw new InputException($"--cron '{Text}' never fires: no month it names has that day of the month; expected a cron with at least one occurrence, e.g. \"0 3 * * *\"");

    /// <summary>An IANA time zone (e.g. Asia/Shanghai); null or empty is UTC.</summary>
    /// <exception cref="InputException">An unknown zone.</exception>
    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Utc;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id.Trim()); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InputException($"--tz '{id}': not a time zone this machine knows; expected an IANA id such as Asia/Shanghai or UTC (the tzdata package provides them)");
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="afterUtc"/>, in UTC (null: never again).</summary>
    public DateTime? Next(DateTime afterUtc) => _expression.GetNextOccurrence(Utc(afterUtc), Zone, inclusive: false);

    /// <summary>
    /// The last occurrence in (<paramref name="afterUtc"/>, <paramref name="untilUtc"/>], or null when none:
    /// the one a tick at <paramref name="untilUtc"/> fires, after <paramref name="afterUtc"/> last fired.
    /// Earlier missed ones in the interval are not fired again (one run brings the results up to date).
    /// </summary>
    public DateTime? LatestDue(DateTime afterUtc, DateTime untilUtc) =>
        _expression.GetOccurrences(Utc(afterUtc), Utc(untilUtc), Zone, fromInclusive: false, toInclusive: true).Select(t => (DateTime?)t).LastOrDefault();

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        _ => t.ToUniversalTime(),
    };
}
