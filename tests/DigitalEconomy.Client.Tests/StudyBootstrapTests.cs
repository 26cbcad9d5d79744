using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>The study's bootstrap section (issue 13, point 3): defaults, selections, and one line naming the key path for every mistake.</summary>
public sealed class StudyBootstrapTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-studyboot-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyBootstrapTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A valid study whose last lines are <paramref name="bootstrap"/> (line 21 on), with the grid's vcov list <paramref name="vcov"/>.</summary>
    private string Write(string bootstrap, string vcov = "[\"cluster:province\", \"hc1\"]")
    {
        string text = $"""
            name: t
            seed: 7
            batch_size: 8
            dataset:
              path: {Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv")}
              unit: province
              time: year
              region: region
            grid:
              treatment: gov
              outcomes: [lngdp]
              controls:
                none: []
                full: [market, fin]
              fixed_effects: ["province + year"]
              samples:
                all: null
                east: "region == East"
              lag: [false, true]
              vcov: {vcov}
            {bootstrap}

            """;
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private string Refused(string bootstrap, string vcov = "[\"cluster:province\", \"hc1\"]")
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Write(bootstrap, vcov)));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Defaults_PairsOfTheBaseline_999In100s()
    {
        var b = StudyLoader.Load(Write("bootstrap: {}")).Bootstrap!;
        Assert.Equal((999, 100, BootstrapMethod.Pairs, BootstrapWeights.Rademacher, BootstrapWildType.Wcr, 0.95), (b.Replicates, b.Chunk, b.Method, b.Weights, b.Type, b.Level));
        Assert.Equal(["baseline"], b.Specs.ToArray());
        Assert.Null(StudyLoader.Load(Write("")).Bootstrap);
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        var b = StudyLoader.Load(Write("bootstrap:\n  specs: [\"sample == east & controls == full\", 0123456789abcdef, baseline, \"fe == province + year\"]\n"
            + "  method: wild\n  replicates: 9999\n  weights: webb\n  type: wcu\n  level: 0.9")).Bootstrap!;
        Assert.Equal((9999, BootstrapMethod.Wild, BootstrapWeights.Webb, BootstrapWildType.Wcu, 0.9), (b.Replicates, b.Method, b.Weights, b.Type, b.Level));
        Assert.Equal(["sample == east & controls == full", "0123456789abcdef", "baseline", "fe == province + year"], b.Specs.ToArray());
        Assert.Equal(["all"], StudyLoader.Load(Write("bootstrap: { specs: all }")).Bootstrap!.Specs.ToArray());
    }

    [Theory]
    [InlineData("bootstrap: { specs: [baseline, \"sample == est\"] }", "line 21, key 'bootstrap.specs[1]': filter 'sample == est' selects no specification of the grid (sample is one of: all, east)")]
    [InlineData("bootstrap: { specs: [\"region == East\"] }", "key 'bootstrap.specs[0]': filter 'region == East': 'region' is not a choice column; choice columns: outcome, controls, fe, sample, winsor, lag, vcov")]
    [InlineData("bootstrap: { specs: [\"lag == yes & vcov == iid\"] }", "key 'bootstrap.specs[0]': filter 'lag == yes & vcov == iid' selects no specification of the grid (lag is one of: no, yes; vcov is one of: cluster:province, hc1)")]
    [InlineData("bootstrap: { specs: [\"sample === east\"] }", "key 'bootstrap.specs[0]': filter 'sample === east': position 10: unexpected '='")]
    [InlineData("bootstrap: { specs: [0123456789ABCDEF] }", "key 'bootstrap.specs[0]': '0123456789ABCDEF' is neither baseline, all, a specification id (16 hex digits, specs.parquet's spec_id) nor a filter")]
    [InlineData("bootstrap: { specs: [[a]] }", "key 'bootstrap.specs[0]': expected a specification id or a filter such as \"sample == east\", found a list")]
    [InlineData("bootstrap: { specs: some }", "key 'bootstrap.specs': expected baseline, all, or a list of specification ids and filters")]
    [InlineData("bootstrap: { specs: [] }", "key 'bootstrap.specs': expected baseline, all, or a list")]
    [InlineData("bootstrap: { method: jackknife }", "key 'bootstrap.method': expected pairs, wild; found 'jackknife'")]
    [InlineData("bootstrap: { method: wild, weights: normal }", "key 'bootstrap.weights': expected rademacher, webb, mammen; found 'normal'")]
    [InlineData("bootstrap: { method: wild, type: wcx }", "key 'bootstrap.type': expected wcr, wcu; found 'wcx'")]
    [InlineData("bootstrap: { weights: webb }", "key 'bootstrap.weights': applies to method: wild only")]
    [InlineData("bootstrap: { replicates: 1 }", "key 'bootstrap.replicates': expected an integer from 2 to 10000000, found 1")]
    [InlineData("bootstrap: { chunk: 0 }", "key 'bootstrap.chunk': expected an integer from 1 to 10000000, found 0")]
    [InlineData("bootstrap: { level: 95 }", "key 'bootstrap.level': expected a confidence level between 0 and 1 (e.g. 0.95), found 95")]
    [InlineData("bootstrap: { level: [0.9] }", "key 'bootstrap.level': expected a number")]
    [InlineData("bootstrap: { spec: all }", "key 'bootstrap.spec': unknown key; expected one of: specs, method, replicates, chunk, weights, type, level")]
    [InlineData("bootstrap: 999", "key 'bootstrap': expected a mapping")]
    [InlineData("bootstrap: { method: wild, specs: [\"vcov == hc1\"] }", "key 'bootstrap.specs': the wild cluster bootstrap needs one-way clustered errors (vcov cluster:COL), and no selected specification has them (vcov: hc1)")]
    public void Mistakes_NameTheKeyPath(string bootstrap, string expected) =>
        Assert.Contains(expected, Refused(bootstrap), StringComparison.Ordinal);

    [Fact]
    public void Wild_WithoutAnyOneWayClusterInTheSelection_IsRefused_ButAMixedSelectionLoads()
    {
        Assert.Contains("key 'bootstrap.method': the wild cluster bootstrap needs one-way clustered errors (vcov cluster:COL), and no selected specification has them (vcov: cluster:province,year)",
            Refused("bootstrap: { method: wild }", "[\"cluster:province,year\", \"hc1\"]"), StringComparison.Ordinal);
        Assert.Equal(BootstrapMethod.Wild, StudyLoader.Load(Write("bootstrap: { method: wild, specs: all }")).Bootstrap!.Method);
        // An id may name a clustered specification: the run decides (ids hash the prepared data).
        Assert.NotNull(StudyLoader.Load(Write("bootstrap: { method: wild, specs: [0123456789abcdef] }", "[hc1]")).Bootstrap);
    }
}
