using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 21 item 1 on a real silo over a real redis-server: a schedule's study was checked against the dataset of the
/// day it was added; before a scheduled or inbox run starts on a newer version, the silo re-checks the study against
/// that version. A version that no longer fits (a column the study uses gone, or no longer numeric) starts no run and
/// gets exactly one <c>failed</c> line in runs.log naming the key and the column; a version that still fits runs.
/// The schedules' crons are yearly: runs are started through the schedule grain's run-now path and the inbox.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class ScheduleRecheckTests(ITestOutputHelper log) : ScheduleSiloTest("de-recheck")
{
    private const string Cron = "0 3 1 1 *";

    /// <summary>One specification (all cities, controls gov and market) on the newest version of 'cities' under <see cref="Root"/>.</summary>
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
                full: [gov, market]
              fixed_effects: ["city + year"]
              samples:
                all: null
              vcov: ["cluster:city"]

            """);
        return path;
    }

    private string[] RunFolders() =>
        Directory.Exists(Path.Combine(Results, "sched")) ? [.. Directory.GetDirectories(Path.Combine(Results, "sched")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)] : [];

    [Fact]
    public async Task ARunNow_OnAVersionThatStillFits_Runs_OnAVersionThatLacksAColumn_IsRefusedWithOneFailedLine()
    {
        using var redis = new RedisServer();
        CityVersions.Ingest(Path.Combine(Dir, "in"), Root, "cities", CityVersions.Csv((y, _) => y <= 2014), "v1.csv");
        string study = Study();
        var silo = await SiloAsync(redis.Connection);
        try
        {
            var (code, o, e) = De.Run("schedule", "add", study, "--cron", Cron, "--out", Results, "--redis", redis.Connection);
            Assert.True(code == 0, o + e);
            string id = ScheduleCommand.DefaultId("sched", Cron, "UTC");
            var schedule = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IScheduleGrain>(id);

            // Positive control: version 2 adds 2015 and still has every column the study uses: the run starts and completes.
            CityVersions.Ingest(Path.Combine(Dir, "in2"), Root, "cities", CityVersions.Csv((y, _) => y <= 2015), "v2.csv");
            string run = await schedule.RunNowAsync("schedule") ?? throw new Xunit.Sdk.XunitException("the run on version 2 did not start");
            var v2 = new DatasetVersions(Root).Resolve("cities@2");
            var loaded = StudyLoader.Load(study);
            Assert.Equal(RunStart.RunId(loaded, v2.Sha256), run);
            var first = (await LogLinesAsync(1, TimeSpan.FromSeconds(90)))[0];
            log.WriteLine(string.Join(" | ", first));
            Assert.Equal(["schedule", "", id, "sched", "cities@v2", run, "complete", "1", "0", ""], first[1..]);
            Assert.Equal([run], RunFolders());

            // The dataset is rebuilt from a yearbook without the market column (a version made by ingestion keeps every
            // column of the one before it, so only a rebuilt dataset can lack one): its newest version, v1, lacks a control.
            Directory.Delete(Path.Combine(Root, "cities"), recursive: true);
            string source = Path.Combine(Dir, "in3", "no-market.csv"), map = Path.Combine(Dir, "in3", "map.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllLines(source, CityVersions.Csv((y, _) => y <= 2016).TrimEnd('\n').Split('\n').Select(DropMarket));
            File.WriteAllText(map, CityVersions.Map.Replace("  market: market\n", "", StringComparison.Ordinal));
            (code, o, e) = De.Run("ingest", "cities", source, "--map", map, "--root", Root);
            Assert.True(code == 0, o + e);
            var rebuilt = new DatasetVersions(Root).Resolve("cities");
            Assert.Equal(1, rebuilt.Version);

            Assert.Null(await schedule.RunNowAsync("schedule"));
            var lines = RunLog.Read(Results);
            Assert.Equal(2, lines.Count);
            var refused = lines[1].Split('\t');
            log.WriteLine(string.Join(" | ", refused));
            Assert.Equal(["schedule", "", id, "sched", "cities@v1", "", "failed", "", "",
                "cities@v1 no longer fits the study: grid.controls.full: unknown variable 'market'; available: city, dfi_index, fin, gov, lngdp, province, region, year"], refused[1..]);
            // No run folder for the run it would have been: only the first run's.
            Assert.Equal([run], RunFolders());
            Assert.False(Directory.Exists(Path.Combine(Results, "sched", RunStart.RunId(loaded, rebuilt.Sha256))));
            // Loading the study now says the same, with the file's line (the loader and the re-check share their checks).
            Assert.Equal("sched.yaml: line 10, key 'grid.controls.full': unknown variable 'market'; available: city, dfi_index, fin, gov, lngdp, province, region, year",
                Assert.Throws<Core.InputException>(() => StudyLoader.Load(study)).Message);
            // The schedule says so too.
            Assert.Equal("failed", (await schedule.GetAsync())!.LastStatus);
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    /// <summary>A CSV line of <see cref="CityVersions.Columns"/> without its market cell.</summary>
    private static string DropMarket(string line)
    {
        var cells = line.Split(',').ToList();
        cells.RemoveAt(Array.IndexOf(CityVersions.Columns, "market"));
        return string.Join(',', cells);
    }

    [Fact]
    public async Task AnInboxFile_ThatStillFits_Runs_OneThatMakesAControlText_IsRefusedWithOneFailedLine()
    {
        using var redis = new RedisServer();
        CityVersions.Ingest(Path.Combine(Dir, "in"), Root, "cities", CityVersions.Csv((y, _) => y <= 2014), "v1.csv");
        string inbox = Path.Combine(Dir, "inbox"), folder = Path.Combine(inbox, "cities");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, InboxFolder.MapFileName), CityVersions.Map);
        string study = Study();
        var silo = await SiloAsync(redis.Connection, inbox, Root);
        try
        {
            var (code, o, e) = De.Run("schedule", "add", study, "--cron", Cron, "--tz", "Asia/Shanghai", "--out", Results, "--redis", redis.Connection);
            Assert.True(code == 0, o + e);
            string id = ScheduleCommand.DefaultId("sched", Cron, "Asia/Shanghai");

            // Positive control: 2015 arrives through the inbox; version 2 fits and its run completes.
            File.WriteAllText(Path.Combine(folder, "cities-2015.csv"), CityVersions.Csv((y, _) => y == 2015));
            var first = (await LogLinesAsync(1, TimeSpan.FromSeconds(90)))[0];
            log.WriteLine(string.Join(" | ", first));
            string run = RunStart.RunId(StudyLoader.Load(study), new DatasetVersions(Root).Resolve("cities@2").Sha256);
            Assert.Equal(["inbox", "", id, "sched", "cities@v2", run, "complete", "1", "0", ""], first[1..]);

            // 2016's yearbook prints "n.a." for one city's gov, and its map reads gov as text: version 3's gov is no
            // longer a number column, and the study's controls use it. No run; one failed line naming gov and the cell.
            File.WriteAllText(Path.Combine(folder, InboxFolder.MapFileName), CityVersions.Map.Replace("  gov: gov\n", "  gov: { column: gov, type: text }\n", StringComparison.Ordinal));
            var csv2016 = CityVersions.Csv((y, _) => y == 2016).Split('\n');
            int gov = Array.IndexOf(CityVersions.Columns, "gov");
            var row = csv2016[1].Split(',');
            string city = row[0];
            row[gov] = "n.a.";
            csv2016[1] = string.Join(',', row);
            File.WriteAllText(Path.Combine(folder, "cities-2016.csv"), string.Join('\n', csv2016));
            string manifest = Path.Combine(Root, "cities", "v3", "manifest.json");
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(manifest))
            {
                Assert.True(DateTime.UtcNow < until, "no version 3 after 30 s");
                await Task.Delay(100);
            }
            var refused = (await LogLinesAsync(2, TimeSpan.FromSeconds(30)))[1];
            log.WriteLine(string.Join(" | ", refused));
            // The canonical file orders the rows by city and year: the first 2016 row of the first city is its line 5 (header, 2013, 2014, 2015, 2016).
            Assert.Equal("C001", city);
            Assert.Equal(["inbox", "", id, "sched", "cities@v3", "", "failed", "", "",
                "cities@v3 no longer fits the study: grid.controls.full: 'gov' is not numeric (data.csv: line 5, column 7 ('gov'): expected a number, found 'n.a.')"], refused[1..]);
            Assert.Equal([run], RunFolders());
            Assert.True(File.Exists(Path.Combine(folder, "done", "cities-2016.csv")));
            // Nothing else is logged for it: one line per refused run.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(2, RunLog.Read(Results).Count);
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }
}
