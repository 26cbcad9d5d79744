using System.Text.Json;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 14's acceptance of incremental recomputation: version 1 of the city panel (2013-2021, every city),
/// version 2 adding 2022 for the eastern cities only (through `de ingest`); one study naming the dataset,
/// run on v1, then the same study file run again after v2 lands.
/// </summary>
/// <remarks>
/// The grid: 1 outcome × 2 control sets × 1 fixed-effects choice × 5 samples (all, east, central, west,
/// northeast) × 2 lags × 2 variance estimators = 40 specifications. The new rows (East, 2022) enter the
/// samples all and east only; a lag reads 2021 of the same city, also in those samples. So by hand:
/// 2 samples × 2 controls × 2 lags × 2 vcov = 16 specifications recomputed, the 24 on central, west and
/// northeast reused. (Winsorising is left out of this grid: it is pooled over the whole panel, so whether a
/// region's winsorised values move depends on where the new rows fall; the data key covers it, but a count by
/// hand would not be.) The index is computed over the whole panel and is reported as recomputed.
/// </remarks>
public sealed class IncrementalTests : IClassFixture<IncrementalTests.Runs>
{
    public sealed class Runs : IDisposable
    {
        public Runs()
        {
            Dir = Path.Combine(Path.GetTempPath(), $"de-incr-{Environment.ProcessId}-{Guid.NewGuid():N}");
            string datasets = Path.Combine(Dir, "datasets");
            CityVersions.Ingest(Path.Combine(Dir, "in"), datasets, "cities", CityVersions.Csv((y, _) => y <= 2021), "cities2021.csv");
            Study = Path.Combine(Dir, "studies", "cities.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(Study)!);
            File.WriteAllText(Study, """
                name: cities_incr
                seed: 11
                batch_size: 6
                dataset:
                  name: cities
                  root: ../datasets
                  region: region
                indices:
                  - name: inst
                    indicators: "gov:+,market:+,fin:-"
                    shift: 0.0001
                grid:
                  treatment: dfi_index
                  outcomes: [lngdp]
                  controls:
                    none: []
                    full: [gov, market, fin]
                  fixed_effects: ["city + year"]
                  samples:
                    all: null
                    east: "region == East"
                    central: "region == Central"
                    west: "region == West"
                    northeast: "region == Northeast"
                  lag: [false, true]
                  vcov: ["cluster:city", "hc1"]

                """);
            Out = Path.Combine(Dir, "results");
            (V1Run, V1Output) = Run(Out);
            V1DatasetHashes = CityVersions.Hashes(Path.Combine(datasets, "cities", "v1"));
            V1RunHashes = CityVersions.Hashes(V1Run);
            CityVersions.Ingest(Path.Combine(Dir, "in"), datasets, "cities", CityVersions.Csv((y, r) => y <= 2021 || (y == 2022 && r == "East")), "cities2022east.csv");
            (V2Run, V2Output) = Run(Out);
            (FreshRun, _) = Run(Path.Combine(Dir, "fresh"));
        }

        private (string Dir, string Output) Run(string outRoot)
        {
            var (code, o, e) = De.Run("run", Study, "--out", outRoot);
            if (code != 0) throw new InvalidOperationException(o + e);
            return (De.RunDir(o), o);
        }

        public string Dir { get; }
        public string Study { get; }
        public string Out { get; }
        public string V1Run { get; }
        public string V1Output { get; }
        public string V2Run { get; }
        public string V2Output { get; }
        public string FreshRun { get; }
        public SortedDictionary<string, string> V1DatasetHashes { get; }
        public SortedDictionary<string, string> V1RunHashes { get; }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private readonly Runs _r;

    public IncrementalTests(Runs runs) => _r = runs;

    private static string Choices(SpecificationRow r) => $"{r.Outcome}|{r.Controls}|{r.FixedEffects}|{r.Sample}|{r.Winsor}|{r.Lag}|{r.Vcov}";

    private static Task<List<SpecificationRow>> Specs(string run) => ResultTables.Specs.ReadFileAsync(Path.Combine(run, "specs.parquet"));

    private static long Bits(double? x) => x is { } v ? BitConverter.DoubleToInt64Bits(v) : long.MinValue;

    private static void SameNumbers(SpecificationRow want, SpecificationRow got)
    {
        Assert.Equal(Bits(want.Estimate), Bits(got.Estimate));
        Assert.Equal(Bits(want.StdError), Bits(got.StdError));
        Assert.Equal(Bits(want.Statistic), Bits(got.Statistic));
        Assert.Equal(Bits(want.PValue), Bits(got.PValue));
        Assert.Equal(Bits(want.ConfLow), Bits(got.ConfLow));
        Assert.Equal(Bits(want.ConfHigh), Bits(got.ConfHigh));
        Assert.Equal(Bits(want.R2), Bits(got.R2));
        Assert.Equal(Bits(want.R2Within), Bits(got.R2Within));
        Assert.Equal(want.N, got.N);
        Assert.Equal(want.Error, got.Error);
        Assert.Equal(want.Formula, got.Formula);
    }

    [Fact]
    public void V2Run_RecomputesExactlyTheSpecificationsWhoseSamplesHoldTheNewRows_AndSaysSo()
    {
        Assert.Contains("40 specifications recomputed, 0 reused from earlier runs", _r.V1Output, StringComparison.Ordinal);
        Assert.Contains("16 specifications recomputed, 24 reused from earlier runs", _r.V2Output, StringComparison.Ordinal);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(_r.V2Run, "manifest.json")));
        var inc = m.RootElement.GetProperty("incremental");
        Assert.Equal(24, inc.GetProperty("specifications_reused").GetInt32());
        Assert.Equal(16, inc.GetProperty("specifications_recomputed").GetInt32());
        Assert.Equal([Path.GetFileName(_r.V1Run)], inc.GetProperty("earlier_runs_read").EnumerateArray().Select(e => e.GetString()));
        var ds = m.RootElement.GetProperty("dataset");
        Assert.Equal("cities", ds.GetProperty("name").GetString());
        Assert.Equal(2, ds.GetProperty("version").GetInt32());
        Assert.Equal(Path.Combine(_r.Dir, "datasets", "cities", "v2", "data.csv"), ds.GetProperty("path").GetString());
    }

    [Fact]
    public async Task ReusedRows_AreByteIdenticalToVersion1_RecomputedRowsHoldTheNewRows()
    {
        var v1 = (await Specs(_r.V1Run)).ToDictionary(Choices);
        var v2 = await Specs(_r.V2Run);
        Assert.Equal(40, v2.Count);
        Assert.All(v2, r => Assert.Matches("^[0-9a-f]{64}$", r.DataKey));
        var recomputed = v2.Where(r => r.Sample is "all" or "east").ToList();
        var reused = v2.Where(r => r.Sample is not ("all" or "east")).ToList();
        Assert.Equal(16, recomputed.Count);
        foreach (var r in reused)
        {
            var old = v1[Choices(r)];
            Assert.Equal(old.DataKey, r.DataKey);
            SameNumbers(old, r);
            Assert.NotEqual(old.SpecId, r.SpecId); // ids name a result on one dataset version
        }
        foreach (var r in recomputed)
        {
            var old = v1[Choices(r)];
            Assert.NotEqual(old.DataKey, r.DataKey);
            // 98 eastern cities, one new year each; the lag of 2022 is 2021, present.
            Assert.Equal(old.N + 98, r.N);
            Assert.NotEqual(old.Estimate, r.Estimate);
        }
    }

    [Fact]
    public async Task IncrementalV2_EqualsAFreshV2Run_Bitwise()
    {
        var fresh = (await Specs(_r.FreshRun)).ToDictionary(r => r.SpecId);
        var v2 = await Specs(_r.V2Run);
        Assert.Equal(fresh.Keys.Order(StringComparer.Ordinal), v2.Select(r => r.SpecId).Order(StringComparer.Ordinal));
        foreach (var r in v2)
        {
            SameNumbers(fresh[r.SpecId], r);
            Assert.Equal(fresh[r.SpecId].DataKey, r.DataKey);
        }
        Assert.Contains("\"specifications_reused\": 0", File.ReadAllText(Path.Combine(_r.FreshRun, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Version1RunAndDataset_AreUntouched()
    {
        Assert.NotEmpty(_r.V1RunHashes);
        Assert.Equal(_r.V1RunHashes, CityVersions.Hashes(_r.V1Run));
        Assert.Equal(_r.V1DatasetHashes, CityVersions.Hashes(Path.Combine(_r.Dir, "datasets", "cities", "v1")));
        Assert.NotEqual(_r.V1Run, _r.V2Run);
    }
}
