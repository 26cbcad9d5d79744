using System.Diagnostics;
using DigitalEconomy.Client;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 14 point 4 on real silos (SiloHost.Build, as 'de silo' hosts them) over a real redis-server: a
/// schedule fires through its Orleans reminder, writes its run and a run-log line, and fires again on a new
/// silo after the first one stopped; a file dropped in the inbox makes a new dataset version and a run.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class ScheduleClusterTests(ITestOutputHelper log) : ScheduleSiloTest("de-sched")
{
    /// <summary>A two-specification study (all cities; the western ones) on the latest version of the dataset 'cities' under <see cref="Root"/>.</summary>
    private string Study()
    {
        string path = Path.Combine(Dir, "studies", "sched.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            name: sched
            dataset:
              name: cities
              root: {Root}
              region: region
            grid:
              treatment: dfi_index
              outcomes: [lngdp]
              controls:
                none: []
              fixed_effects: ["city + year"]
              samples:
                all: null
                west: "region == West"
              vcov: ["cluster:city"]

            """);
        return path;
    }

    private static DateTime Time(string iso) =>
        DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Fact]
    public async Task AScheduleFires_WritesItsRunAndALogLine_AndFiresAgainOnANewSiloAfterARestart()
    {
        using var redis = new RedisServer();
        CityVersions.Ingest(Path.Combine(Dir, "in"), Root, "cities", CityVersions.Csv((y, _) => y <= 2015), "v1.csv");
        string study = Study();
        var silo = await SiloAsync(redis.Connection);
        var clock = Stopwatch.StartNew();
        var (code, o, e) = De.Run("schedule", "add", study, "--cron", "* * * * *", "--out", Results, "--redis", redis.Connection);
        Assert.True(code == 0, o + e);
        string id = ScheduleCommand.DefaultId("sched", "* * * * *", "UTC");
        Assert.StartsWith($"schedule {id}: study 'sched' at \"* * * * *\" (UTC), on dataset cities (its newest version", o, StringComparison.Ordinal);
        string expectedRun = RunStart.Build(StudyLoader.Load(study), Results, 1).RunId;

        var first = (await LogLinesAsync(1, TimeSpan.FromSeconds(100)))[0];
        log.WriteLine($"first firing logged after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(" | ", first)}");
        Assert.Equal("schedule", first[1]);
        Assert.Equal([id, "sched", "cities@v1", expectedRun, "complete", "2", "0", ""], first[3..]);
        // Fired for a whole minute after the schedule was added, and logged after it.
        var firstOccurrence = Time(first[2]);
        Assert.Equal(0, firstOccurrence.Second);
        Assert.True(firstOccurrence <= Time(first[0]));
        Assert.True(File.Exists(Path.Combine(Results, "sched", expectedRun, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(Results, "sched", expectedRun, "specs.parquet")));

        // The silo stops; a new one joins the same Redis: the schedule is still listed and fires again.
        await silo.StopAsync();
        silo.Dispose();
        silo = await SiloAsync(redis.Connection);
        try
        {
            (code, o, e) = De.Run("schedule", "list", "--redis", redis.Connection);
            Assert.True(code == 0, o + e);
            Assert.StartsWith($"{id}  sched  \"* * * * *\" UTC  next ", o, StringComparison.Ordinal);
            Assert.Contains($"run {expectedRun} complete  dataset cities", o, StringComparison.Ordinal);

            var second = (await LogLinesAsync(2, TimeSpan.FromSeconds(100)))[1];
            log.WriteLine($"second firing (new silo) logged after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(" | ", second)}");
            // Same study on the same version: the same run, found complete, nothing recomputed.
            Assert.Equal("schedule", second[1]);
            Assert.Equal([id, "sched", "cities@v1", expectedRun, "already-complete", "0", "2", ""], second[3..]);
            // A later occurrence: the restart neither fired the first one again nor skipped to a later one than the clock's.
            var secondOccurrence = Time(second[2]);
            Assert.True(secondOccurrence > firstOccurrence, $"{secondOccurrence:u} after {firstOccurrence:u}");
            Assert.Equal(2, RunLog.Read(Results).Select(l => l.Split('\t')[2]).Distinct().Count());

            (code, o, e) = De.Run("schedule", "remove", id, "--redis", redis.Connection);
            Assert.Equal((0, $"removed schedule {id}\n"), (code, o.ReplaceLineEndings("\n")));
            (code, o, _) = De.Run("schedule", "list", "--redis", redis.Connection);
            Assert.Equal((0, "no schedules (add one with: de schedule add STUDY --cron \"0 3 * * *\")\n"), (code, o.ReplaceLineEndings("\n")));
            (code, _, e) = De.Run("schedule", "remove", id, "--redis", redis.Connection);
            Assert.Equal((2, $"error: no schedule '{id}' (see de schedule list)\n"), (code, e.ReplaceLineEndings("\n")));
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    [Fact]
    public async Task AFileDroppedInTheInbox_MakesANewVersionAndARun_WithinSeconds_ABadOneGoesToFailedWithItsReason()
    {
        using var redis = new RedisServer();
        CityVersions.Ingest(Path.Combine(Dir, "in"), Root, "cities", CityVersions.Csv((y, _) => y <= 2015), "v1.csv");
        string inbox = Path.Combine(Dir, "inbox"), folder = Path.Combine(inbox, "cities");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, InboxFolder.MapFileName), CityVersions.Map);
        string study = Study();
        var silo = await SiloAsync(redis.Connection, inbox, Root);
        try
        {
            // A yearly cron: only the inbox can start this schedule's run within the test.
            var (code, o, e) = De.Run("schedule", "add", study, "--cron", "0 3 1 1 *", "--tz", "Asia/Shanghai", "--out", Results, "--redis", redis.Connection);
            Assert.True(code == 0, o + e);

            // The study run by hand on v1, then v2 adds 2016 of the eastern cities: the inbox's run refits the
            // all-cities specification and reuses the western one, whose rows did not change.
            (code, o, e) = De.Run("run", study, "--out", Results);
            Assert.True(code == 0, o + e);
            Assert.Empty(RunLog.Read(Results)); // a run by hand is not an automatic run
            var clock = Stopwatch.StartNew();
            File.WriteAllText(Path.Combine(folder, "cities-2016.csv"), CityVersions.Csv((y, r) => y <= 2015 || (y == 2016 && r == "East")));
            string manifest = Path.Combine(Root, "cities", "v2", "manifest.json");
            while (!File.Exists(manifest))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "no version 2 after 20 s");
                await Task.Delay(100);
            }
            var version = clock.Elapsed;
            var line = (await LogLinesAsync(1, TimeSpan.FromSeconds(60)))[0];
            log.WriteLine($"v2 after {version.TotalSeconds:0.0} s, run logged after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(" | ", line)}");
            var v2 = new DatasetVersions(Root).Resolve("cities@2");
            Assert.Equal(v2.Sha256, Grains.RunStart.HashFile(v2.Path));
            string expectedRun = RunStart.RunId(StudyLoader.Load(study), v2.Sha256);
            Assert.Equal(["inbox", "", ScheduleCommand.DefaultId("sched", "0 3 1 1 *", "Asia/Shanghai"), "sched", "cities@v2", expectedRun, "complete", "1", "1", ""], line[1..]);
            Assert.True(File.Exists(Path.Combine(Results, "sched", expectedRun, "manifest.json")));
            Assert.True(File.Exists(Path.Combine(folder, "done", "cities-2016.csv")));
            Assert.False(File.Exists(Path.Combine(folder, "cities-2016.csv")));

            // A file the map cannot read: moved to failed/ with its reason; no version, no run.
            File.WriteAllText(Path.Combine(folder, "broken.csv"), "a,b\n1,2\n");
            string reason = Path.Combine(folder, "failed", "broken.csv.reason.txt");
            while (!File.Exists(reason))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "broken.csv not moved to failed/");
                await Task.Delay(100);
            }
            var why = File.ReadAllText(reason);
            log.WriteLine($"failed: {why}");
            Assert.Single(why.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("broken.csv", why, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "failed", "broken.csv")));
            Assert.Equal([1, 2], new DatasetVersions(Root).Versions("cities"));
            Assert.Single(RunLog.Read(Results));
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }
}
