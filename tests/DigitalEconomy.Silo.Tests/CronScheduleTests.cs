using DigitalEconomy.Core;
using DigitalEconomy.Grains.Schedules;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>The cron/time-zone arithmetic of schedules against times derived by hand (offsets from the tz database, DST dates from the calendar).</summary>
public sealed class CronScheduleTests
{
    private static DateTime Utc(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    // Asia/Shanghai is UTC+8 all year. 20:00Z on the 23rd is 04:00 on the 24th local: 03:00 has passed, so
    // the next is 03:00 on the 25th local = 19:00Z on the 24th.
    [InlineData("2026-11-23T20:00:00Z", "2026-11-24T19:00:00Z")]
    // 18:59Z = 02:59 local on the 24th: 03:00 local that day = 19:00Z on the 23rd.
    [InlineData("2026-11-23T18:59:00Z", "2026-11-23T19:00:00Z")]
    // Strictly after: from the occurrence itself, the next day's.
    [InlineData("2026-11-23T19:00:00Z", "2026-11-24T19:00:00Z")]
    public void ThreeAM_InShanghai(string after, string next) =>
        Assert.Equal(Utc(next), CronSchedule.Parse("0 3 * * *", "Asia/Shanghai").Next(Utc(after)));

    [Fact]
    public void SpringForward_NewYork_TheSkippedTimeFiresAtTheJump_Once()
    {
        // 2026-03-08 (second Sunday of March: 1 March 2026 is a Sunday) 02:00 EST jumps to 03:00 EDT, so
        // 02:30 does not exist that day; like cron, it fires at the jump, 03:00 EDT = 07:00Z.
        var s = CronSchedule.Parse("30 2 * * *", "America/New_York");
        Assert.Equal(Utc("2026-03-07T07:30:00Z"), s.Next(Utc("2026-03-07T00:00:00Z"))); // 02:30 EST = UTC−5
        Assert.Equal(Utc("2026-03-08T07:00:00Z"), s.Next(Utc("2026-03-07T08:00:00Z")));
        Assert.Equal(Utc("2026-03-09T06:30:00Z"), s.Next(Utc("2026-03-08T07:00:00Z"))); // 02:30 EDT = UTC−4
    }

    [Fact]
    public void FallBack_Berlin_TheRepeatedTimeFiresOnce_AtItsFirstPass()
    {
        // 2026-10-25 (last Sunday of October) 03:00 CEST goes back to 02:00 CET: 02:30 happens twice,
        // at 00:30Z (CEST, UTC+2) and 01:30Z (CET, UTC+1). It fires once, at the first; the next is the 26th 02:30 CET.
        var s = CronSchedule.Parse("30 2 * * *", "Europe/Berlin");
        Assert.Equal(Utc("2026-10-25T00:30:00Z"), s.Next(Utc("2026-10-24T23:00:00Z")));
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), s.Next(Utc("2026-10-25T00:30:00Z")));
    }

    [Fact]
    public void UtcIsTheDefaultZone()
    {
        var s = CronSchedule.Parse("15 6 1 * *", null);
        Assert.Equal(TimeZoneInfo.Utc, s.Zone);
        Assert.Equal(Utc("2026-12-01T06:15:00Z"), s.Next(Utc("2026-11-23T20:00:00Z")));
    }

    [Fact]
    public void LatestDue_IsTheLastPassedOccurrence_MissedOnesFireOnce()
    {
        var minute = CronSchedule.Parse("* * * * *", "UTC");
        Assert.Equal(Utc("2026-11-23T10:03:00Z"), minute.LatestDue(Utc("2026-11-23T10:00:30Z"), Utc("2026-11-23T10:03:10Z")));
        Assert.Null(minute.LatestDue(Utc("2026-11-23T10:00:30Z"), Utc("2026-11-23T10:00:59Z")));
        // Last fired 03:00 Shanghai on the 21st (19:00Z on the 20th); a tick at 20:00Z on the 23rd finds the
        // 22nd, 23rd and 24th local missed and fires once, for the latest: 03:00 on the 24th = 19:00Z on the 23rd.
        var daily = CronSchedule.Parse("0 3 * * *", "Asia/Shanghai");
        Assert.Equal(Utc("2026-11-23T19:00:00Z"), daily.LatestDue(Utc("2026-11-20T19:00:00Z"), Utc("2026-11-23T20:00:00Z")));
        // The occurrence already fired is not due again.
        Assert.Null(daily.LatestDue(Utc("2026-11-23T19:00:00Z"), Utc("2026-11-24T18:59:59Z")));
    }

    [Theory]
    [InlineData("61 * * * *", "--cron '61 * * * *'")]
    [InlineData("0 3 * *", "--cron '0 3 * *'")]
    [InlineData("0 0 3 * * *", "--cron '0 0 3 * * *'")] // six fields (seconds) are not the standard format
    [InlineData("every day", "--cron 'every day'")]
    public void BadExpressions_AreOneLine(string cron, string start)
    {
        var e = Assert.Throws<InputException>(() => CronSchedule.Parse(cron, "UTC"));
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
        Assert.Contains("expected five fields", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AnUnknownZone_IsOneLine()
    {
        var e = Assert.Throws<InputException>(() => CronSchedule.Parse("0 3 * * *", "Mars/Olympus"));
        Assert.Equal("--tz 'Mars/Olympus': not a time zone this machine knows; expected an IANA id such as Asia/Shanghai or UTC (the tzdata package provides them)", e.Message);
    }

    [Fact]
    public void TheCli_ChecksCronZoneAndStudy_BeforeReachingAnyCluster()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-sched-cli-{Environment.ProcessId}");
        string study = Studies.Write(dir, big: false, batchSize: 8);
        var (code, o, e) = De.Run("schedule", "add", study, "--cron", "0 25 * * *", "--redis", "127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.StartsWith("error: --cron '0 25 * * *': ", e, StringComparison.Ordinal);
        Assert.Single(e.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the line and nothing else (no stack trace)
        (code, _, e) = De.Run("schedule", "add", study, "--cron", "0 3 * * *", "--tz", "Asia/Shangai", "--redis", "127.0.0.1:1");
        Assert.Equal((2, "error: --tz 'Asia/Shangai': not a time zone this machine knows; expected an IANA id such as Asia/Shanghai or UTC (the tzdata package provides them)\n"), (code, e.ReplaceLineEndings("\n")));
        (code, _, e) = De.Run("schedule", "add", Path.Combine(dir, "nope.yaml"), "--cron", "0 3 * * *", "--redis", "127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("nope.yaml", e, StringComparison.Ordinal);
        Assert.Single(e.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        if (Environment.GetEnvironmentVariable("DE_REDIS") is null)
        {
            (code, _, e) = De.Run("schedule", "list");
            Assert.Equal((2, "error: schedules live on a cluster: give --redis host:port (or DE_REDIS) of one whose silos run 'de silo'\n"), (code, e.ReplaceLineEndings("\n")));
        }
        (code, _, e) = De.Run("silo", "--redis", "127.0.0.1:1", "--inbox", Path.Combine(dir, "no-inbox"));
        Assert.Equal((2, $"error: --inbox '{Path.Combine(dir, "no-inbox")}': no such folder (make it, with one folder per dataset holding its map.yaml)\n"), (code, e.ReplaceLineEndings("\n")));
        (code, _, e) = De.Run("schedule", "remove", "bad id!", "--redis", "127.0.0.1:1");
        Assert.Equal((2, "error: schedule id 'bad id!': use letters, digits, '-' and '_'\n"), (code, e.ReplaceLineEndings("\n")));
    }
}
