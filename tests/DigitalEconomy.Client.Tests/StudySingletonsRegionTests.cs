using DigitalEconomy.Client;
using DigitalEconomy.Core;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>Issue 20 items 5 and 6 in studies: the <c>singletons:</c> key and an optional <c>dataset.region</c>.</summary>
public sealed class StudySingletonsRegionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-study-sr-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudySingletonsRegionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    private string Write(string head = "", string region = "  region: region\n", string tail = "")
    {
        string text = "name: t\n" + head + $"dataset:\n  path: {Data}\n  unit: province\n  time: year\n" + region
            + "baseline: { outcome: lngdp, treatment: gov, controls: [market], fe: province + year, vcov: \"cluster:province\" }\n"
            + "analyses:\n  - { name: base, type: regressions, columns: [{}, { fe: province }] }\n" + tail
            + "grid:\n  treatment: gov\n  outcomes: [lngdp]\n  controls: { none: [] }\n  fixed_effects: [\"province + year\"]\n  samples: { all: null }\n  vcov: [\"cluster:province\"]\n";
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Default_DropsSingletons_Everywhere()
    {
        var s = StudyLoader.Load(Write());
        Assert.False(s.KeepSingletons);
        Assert.False(s.Grid!.KeepSingletons);
        Assert.All(s.Analyses.SelectMany(a => a.Columns), c => Assert.False(c.Model.KeepSingletons));
    }

    [Fact]
    public void Keep_ReachesEveryModel()
    {
        var s = StudyLoader.Load(Write(head: "singletons: keep\n"));
        Assert.True(s.KeepSingletons);
        Assert.True(s.Grid!.KeepSingletons);
        Assert.Equal(2, s.Analyses.SelectMany(a => a.Columns).Count(c => c.Model.KeepSingletons));
        Assert.False(StudyLoader.Load(Write(head: "singletons: drop\n")).Grid!.KeepSingletons);
    }

    [Fact]
    public void UnknownRule_IsOneLineNamingTheKey()
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Write(head: "singletons: sometimes\n")));
        Assert.Contains("singletons", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected drop", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Region_IsOptional()
    {
        var s = StudyLoader.Load(Write(region: ""));
        Assert.Null(s.Dataset.Region);
    }

    [Fact]
    public void WithoutRegion_IndicesAndTrendsSayTheyNeedIt()
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Write(region: "", head: "indices:\n  - { name: hqd_index, system: hqd }\n")));
        Assert.Contains("add dataset.region", e.Message, StringComparison.Ordinal);
        var t = Assert.Throws<InputException>(() => StudyLoader.Load(Write(region: "", tail: "  - { name: tr, type: trends, variable: lngdp }\n")));
        Assert.Contains("trends groups by dataset.region by default and the study has no region", t.Message, StringComparison.Ordinal);
        // Given by:, trends need no region.
        StudyLoader.Load(Write(region: "", tail: "  - { name: tr, type: trends, variable: lngdp, by: region }\n"));
    }
}
