using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>The inbox folder's conventions and the run log's lines (docs/schedules.md).</summary>
public sealed class InboxTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-inbox-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private const string Map = """
        unit: { column: 地区, name: province }
        time: { value: 2024, name: year }
        variables:
          gdp: 地区生产总值（亿元）

        """;

    [Fact]
    public void Ready_TakesSettledDataFiles_OfDatasetFolders_ByName()
    {
        string inbox = Path.Combine(_dir, "inbox");
        Directory.CreateDirectory(Path.Combine(inbox, "cities", "done"));
        Directory.CreateDirectory(Path.Combine(inbox, "bad name!"));
        var old = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);
        foreach (var (rel, when) in new[]
        {
            ("cities/b.xlsx", old), ("cities/a.CSV", old), ("cities/map.yaml", old), ("cities/notes.txt", old),
            ("cities/done/x.csv", old), ("bad name!/y.csv", old), ("cities/fresh.parquet", old.AddSeconds(9.5)),
        })
        {
            string path = Path.Combine(inbox, rel);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, when);
        }
        var now = old.AddSeconds(10);
        var ready = InboxFolder.Ready(inbox, TimeSpan.FromSeconds(1), now);
        // The .parquet written 0.5 s before "now" is left for the next scan; map.yaml, .txt, done/ and a folder that is no dataset name are not inputs.
        Assert.Equal([("cities", "a.CSV"), ("cities", "b.xlsx")], ready.Select(f => (f.Dataset, Path.GetFileName(f.Path))));
        Assert.Equal(3, InboxFolder.Ready(inbox, TimeSpan.FromSeconds(1), now.AddSeconds(1)).Count);
        Assert.Empty(InboxFolder.Ready(Path.Combine(_dir, "none"), TimeSpan.Zero, now));
    }

    [Fact]
    public void Process_IngestsIntoTheNextVersion_MovesToDone_AndNeverOverwritesThere()
    {
        string folder = Path.Combine(_dir, "inbox", "gdp");
        Directory.CreateDirectory(Path.Combine(folder, "done"));
        File.WriteAllText(Path.Combine(folder, "map.yaml"), Map);
        File.WriteAllText(Path.Combine(folder, "done", "t.csv"), "an earlier file of the same name");
        string file = Path.Combine(folder, "t.csv");
        File.WriteAllText(file, "地区,地区生产总值（亿元）\n北京,49843.1\n上海,53926.7\n");
        var store = new DatasetVersions(Path.Combine(_dir, "datasets"));
        var outcome = InboxFolder.Process(new InboxFile("gdp", file), store);
        Assert.Null(outcome.Error);
        Assert.Equal(1, outcome.Ingested!.Outcome.Created!.Version);
        Assert.Equal(Path.Combine(folder, "done", "t.2.csv"), outcome.MovedTo);
        Assert.Equal("an earlier file of the same name", File.ReadAllText(Path.Combine(folder, "done", "t.csv")));
        Assert.False(File.Exists(file));
        Assert.Equal("province,year,gdp\n上海,2024,53926.7\n北京,2024,49843.1\n", File.ReadAllText(store.Resolve("gdp").Path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Process_WithoutAMap_GoesToFailed_WithItsReasonInOneLine()
    {
        string folder = Path.Combine(_dir, "inbox", "gdp");
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "t.csv");
        File.WriteAllText(file, "a,b\n1,2\n");
        var outcome = InboxFolder.Process(new InboxFile("gdp", file), new DatasetVersions(Path.Combine(_dir, "datasets")));
        string expected = $"no column map {Path.Combine(folder, "map.yaml")}: put the dataset's map (docs/datasets.md) there";
        Assert.Equal(expected, outcome.Error);
        Assert.Equal(Path.Combine(folder, "failed", "t.csv"), outcome.MovedTo);
        Assert.Equal(expected + "\n", File.ReadAllText(outcome.MovedTo + ".reason.txt"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "datasets", "gdp")));
    }

    [Fact]
    public void RunLog_WritesItsHeaderOnce_AndOneTabSeparatedLinePerRun()
    {
        var at = new DateTime(2026, 11, 23, 19, 0, 4, DateTimeKind.Utc);
        RunLog.Append(_dir, new RunLogEntry(at, "schedule", new DateTime(2026, 11, 23, 19, 0, 0, DateTimeKind.Utc), "s1", "city_nqpf", "cities@v3", "r0123456789ab", "complete", 12, 30, ""));
        RunLog.Append(_dir, new RunLogEntry(at.AddMinutes(1), "inbox", null, "s1", "city_nqpf", "", "", "failed", null, null, "no dataset\t'cities'\nunder x"));
        Assert.Equal(
            "time_utc\ttrigger\toccurrence_utc\tschedule\tstudy\tdataset\trun_id\tstatus\trecomputed\treused\tnote\n" +
            "2026-11-23T19:00:04Z\tschedule\t2026-11-23T19:00:00Z\ts1\tcity_nqpf\tcities@v3\tr0123456789ab\tcomplete\t12\t30\t\n" +
            "2026-11-23T19:01:04Z\tinbox\t\ts1\tcity_nqpf\t\t\tfailed\t\t\tno dataset 'cities' under x\n",
            File.ReadAllText(Path.Combine(_dir, "runs.log")));
        Assert.Equal(2, RunLog.Read(_dir).Count);
    }
}
