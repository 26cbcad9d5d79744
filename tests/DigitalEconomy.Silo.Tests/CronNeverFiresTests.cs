using DigitalEconomy.Core;
using DigitalEconomy.Grains.Schedules;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>A cron that never fires (a day its months do not have) is refused when a schedule is added; rare ones are kept.</summary>
public sealed class CronNeverFiresTests
{
    private static DateTime Utc(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4,6,9,11 *")]
    [InlineData("15 3 30-31 2 *")]
    public void ACronWithNoDate_IsRefused_InOneLine(string cron)
    {
        var e = Assert.Throws<InputException>(() => CronSchedule.Parse(cron, "Asia/Shanghai").RequireOccurrence(Utc("2026-12-07T00:00:00Z")));
        Assert.Equal($"--cron '{cron}' never fires: no month it names has that day of the month; expected a cron with at least one occurrence, e.g. \"0 3 * * *\"", e.Message);
    }

    [Fact]
    public void ARareCron_IsKept_WithItsNextOccurrence()
    {
        // 29 February: the next is in the leap year 2028, midnight in Shanghai = 16:00Z the day before.
        var s = CronSchedule.Parse("0 0 29 2 *", "Asia/Shanghai").RequireOccurrence(Utc("2026-12-07T00:00:00Z"));
        Assert.Equal(Utc("2028-02-28T16:00:00Z"), s.Next(Utc("2026-12-07T00:00:00Z")));
    }

    [Fact]
    public void ScheduleAdd_WithACronThatNeverFires_IsOneLine_Exit2_BeforeAnyClusterIsAsked()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-cron-never-{Environment.ProcessId}");
        string study = Studies.Write(dir, big: false, batchSize: 16);
        // A Redis nobody listens on: the refusal comes before any connection is tried.
        var (code, output, err) = De.Run("schedule", "add", study, "--cron", "0 0 30 2 *", "--redis", "127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: --cron '0 0 30 2 *' never fires: no month it names has that day of the month; expected a cron with at least one occurrence, e.g. \"0 3 * * *\"\n", err.ReplaceLineEndings("\n"));
    }
}
