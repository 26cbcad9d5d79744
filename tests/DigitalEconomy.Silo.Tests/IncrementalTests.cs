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
            // v3 revises one cell that no index reads: lngdp of the first western city in 2015.
            var west = CityVersions.Csv((y, r) => y == 2015 && r == "West").Split('\n');
            var cells = west[1].Split(',');
            Revised = (cells[0], double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture) + 0.5);
            cells[4] = Revised.Lngdp.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            CityVersions.Ingest(Path.Combine(Dir, "in"), datasets, "cities", west[0] + "\n" + string.Join(',', cells) + "\n", "revision.csv");
            (V3Run, V3Output) = Run(Out);
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
        public string V3Run { get; }
        public string V3Output { get; }
        public (string City, double Lngdp) Revised { get; }
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

    private static JsonElement Index(string run)
    {
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")));
        return m.RootElement.GetProperty("indices").GetProperty("inst").Clone();
    }

    /// <summary>min and max of a column over the rows of the shipped panel that pass <paramref name="keep"/> (read from the CSV, not the run).</summary>
    private static (double Min, double Max) Range(string column, Func<long, string, bool> keep)
    {
        var lines = CityVersions.Csv(keep).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.IndexOf(lines[0].Split(','), column);
        var v = lines.Skip(1).Select(l => l.Split(',')[at]).Where(x => x.Length > 0).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return (v.Min(), v.Max());
    }

    [Fact]
    public void Index_RecomputedOnNewRows_WithTheIndicatorsWhoseMinMaxMoved_ReusedWhenItsCellsDidNotChange()
    {
        var v1 = Index(_r.V1Run);
        Assert.True(v1.GetProperty("recomputed").GetBoolean());
        Assert.Equal("recomputed: no earlier run of this study built it", v1.GetProperty("reason").GetString());
        var v2 = Index(_r.V2Run);
        Assert.True(v2.GetProperty("recomputed").GetBoolean());
        var moved = new[] { "gov", "market", "fin" }.Where(c => Range(c, (y, _) => y <= 2021) != Range(c, (y, r) => y <= 2021 || (y == 2022 && r == "East"))).ToList();
        string reason = v2.GetProperty("reason").GetString()!;
        Assert.StartsWith($"recomputed: its indicator cells differ from run {Path.GetFileName(_r.V1Run)}; ", reason, StringComparison.Ordinal);
        Assert.Contains(moved.Count == 0 ? "the normalisation (min/max per indicator) is unchanged" : $"min/max of {string.Join(", ", moved)} moved", reason, StringComparison.Ordinal);
        Assert.Contains("the entropy weights, computed over the whole panel, moved by up to ", reason, StringComparison.Ordinal);
        Assert.NotEqual(v1.GetProperty("input_key").GetString(), v2.GetProperty("input_key").GetString());
        // The recorded pooled normalisation is the CSV's min/max (indicator order gov, market, fin).
        var ranges = v2.GetProperty("ranges")[0];
        var gov = Range("gov", (y, r) => y <= 2021 || (y == 2022 && r == "East"));
        Assert.Equal(gov.Min, ranges.GetProperty("min")[0].GetDouble());
        Assert.Equal(gov.Max, ranges.GetProperty("max")[0].GetDouble());
        // v3 changed lngdp only: the index is taken from the v2 run as it is.
        var v3 = Index(_r.V3Run);
        Assert.False(v3.GetProperty("recomputed").GetBoolean());
        Assert.StartsWith($"reused from run {Path.GetFileName(_r.V2Run)}: every indicator cell is the same", v3.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(v2.GetProperty("input_key").GetString(), v3.GetProperty("input_key").GetString());
    }

    [Fact]
    public async Task V3_ARevisedWesternCell_RecomputesTheSamplesAllAndWest_AndTheIndexScoresAreTheSame()
    {
        Assert.Contains("16 specifications recomputed, 24 reused from earlier runs", _r.V3Output, StringComparison.Ordinal);
        var v2 = (await Specs(_r.V2Run)).ToDictionary(Choices);
        foreach (var r in await Specs(_r.V3Run))
        {
            var old = v2[Choices(r)];
            if (r.Sample is "all" or "west")
            {
                Assert.NotEqual(old.DataKey, r.DataKey);
                Assert.Equal(old.N, r.N);
                Assert.NotEqual(old.Estimate, r.Estimate);
            }
            else
            {
                Assert.Equal(old.DataKey, r.DataKey);
                SameNumbers(old, r);
            }
        }
        var s2 = await ResultTables.Indices.ReadFileAsync(Path.Combine(_r.V2Run, "indices.parquet"));
        var s3 = await ResultTables.Indices.ReadFileAsync(Path.Combine(_r.V3Run, "indices.parquet"));
        Assert.Equal(s2, s3);
        Assert.Contains($"{_r.Revised.City},2015,", File.ReadAllText(Path.Combine(_r.V3Run, "dataset.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangesTable_BaselinePerSample_OldToNew_FromTheTwoRunsSpecs()
    {
        Assert.False(File.Exists(Path.Combine(_r.V1Run, "tables", "changes.csv")));
        var v1 = await Specs(_r.V1Run);
        var v2 = await Specs(_r.V2Run);
        static SpecificationRow Baseline(List<SpecificationRow> rows, string sample) =>
            rows.Single(r => r.Sample == sample && r.Controls == "none" && r.Lag == "no" && r.Vcov == "cluster:city");
        string F(double? x) => x!.Value.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
        var lines = File.ReadAllText(Path.Combine(_r.V2Run, "tables", "changes.csv")).TrimStart('\uFEFF').Split('\n');
        Assert.Equal("sample,v1 estimate,v2 estimate,change,v1 SE,v2 SE,v1 p,v2 p,v1 N,v2 N,recomputed", lines[1]);
        var samples = new[] { "all", "east", "central", "west", "northeast" };
        for (int k = 0; k < samples.Length; k++)
        {
            var (a, b) = (Baseline(v1, samples[k]), Baseline(v2, samples[k]));
            bool recomputed = samples[k] is "all" or "east";
            Assert.Equal($"{samples[k]},{F(a.Estimate)},{F(b.Estimate)},{F(b.Estimate - a.Estimate)},{F(a.StdError)},{F(b.StdError)},{F(a.PValue)},{F(b.PValue)},{a.N},{b.N},{(recomputed ? "yes" : "no")}", lines[2 + k]);
            if (!recomputed) Assert.Equal("0.000000", F(b.Estimate - a.Estimate));
        }
        Assert.True(File.Exists(Path.Combine(_r.V2Run, "tables", "changes.md")));
        Assert.Contains("tables/changes.md", File.ReadAllText(Path.Combine(_r.V2Run, "report.md")), StringComparison.Ordinal);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(_r.V2Run, "manifest.json")));
        Assert.Equal(Path.GetFileName(_r.V1Run), m.RootElement.GetProperty("changes_from").GetProperty("run_id").GetString());
        Assert.Equal(1, m.RootElement.GetProperty("changes_from").GetProperty("dataset_version").GetInt32());
        // v3 compares with v2, the newest older version.
        using var m3 = JsonDocument.Parse(File.ReadAllText(Path.Combine(_r.V3Run, "manifest.json")));
        Assert.Equal(Path.GetFileName(_r.V2Run), m3.RootElement.GetProperty("changes_from").GetProperty("run_id").GetString());
    }
}
