using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>
/// The run's stages that need no cluster (grains/Run/Stages/): the changes stage's choice of the earlier run and its
/// rows, the manifest's contents, the grid's choices and the report's bootstrap note — each against values written out by hand.
/// </summary>
public sealed class RunStageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "de-stage-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Samples all, east, west; outcomes y then y2; controls base then none; fe unit + year; winsor no then yes; no lag; vcov cluster(unit).</summary>
    private static readonly GridSpec Grid = new("de", ["y", "y2"], [new ControlSet("base", ["x1"]), new ControlSet("none", [])], [["unit", "year"]],
        [new SampleSpec("all", null), new SampleSpec("east", "region == 'E'"), new SampleSpec("west", "region == 'W'")], [false, true], [false], ["cluster(unit)"]);

    private static SpecificationRow Row(string id, string sample, double estimate, string outcome = "y", string winsor = "no", long n = 100) =>
        new(id, "", "de", outcome, "base", "unit + year", sample, winsor, "no", "cluster(unit)", estimate, estimate / 4, 4, 0.01, null, null, n, 0.5, 0.4, null);

    private static StudyDefinition Study(string name = "s", int? version = 3, string sha = "study-sha") =>
        new(name, new DatasetSpec("panel.csv", "unit", "year", null, [], Name: "provinces", Version: version, Root: "/data"), [], Grid, 42, 8, sha, null);

    private RunContext Context(StudyDefinition study, string runId = "r_now") =>
        new(null!, runId, new StartRun(study, "raw-sha", _root, 4), (_, _, _) => { }, 6, null);

    [Fact]
    public void Changes_Compare_BaselinePerSample_OldBesideNew_SampleWithoutABaselineLeftOut()
    {
        SpecificationRow[] now =
        [
            Row("s1", "all", 0.5),
            Row("s2", "east", 0.3, n: 40),
            Row("s3", "all", 0.9, winsor: "yes"), // not the baseline (winsor yes)
            Row("s4", "west", 0.7, outcome: "y2"), // west has no baseline row (outcome y2)
        ];
        SpecificationRow[] old = [Row("o1", "all", 0.4, n: 90), Row("o3", "all", 0.8, winsor: "yes")];
        var rows = ChangesStage.Compare(Grid, now, old, new HashSet<string>(["s1"], StringComparer.Ordinal));
        Assert.Equal(
        [
            new VersionChangeRow("all", 0.4, 0.5, 0.1, 0.125, 0.01, 0.01, 90, 100, Recomputed: false),
            new VersionChangeRow("east", null, 0.3, null, 0.075, null, 0.01, null, 40, Recomputed: true),
        ], rows);
    }

    [Fact]
    public async Task Changes_ComparesWithTheNewestOlderVersion_SameStudyFirst_CompleteRunsOnly()
    {
        var study = Study();
        async Task Earlier(string run, string status, int version, string sha, double estimate)
        {
            string dir = Path.Combine(_root, study.Name, run);
            Directory.CreateDirectory(dir);
            Manifest.Write(Path.Combine(dir, "manifest.json"), new JsonObject
            {
                ["status"] = status, ["study_sha256"] = sha, ["dataset"] = new JsonObject { ["name"] = "provinces", ["version"] = version },
            });
            await ResultTables.Specs.WriteFileAsync(Path.Combine(dir, "specs.parquet"), [Row("x", "all", estimate)], CancellationToken.None);
        }
        await Earlier("r_a", "complete", 1, "study-sha", 0.1);
        await Earlier("r_b", "complete", 2, "other-sha", 0.2);
        await Earlier("r_c", "complete", 2, "study-sha", 0.25); // v2 and the same study file: chosen
        await Earlier("r_d", "complete", 3, "study-sha", 0.3); // not older than v3
        await Earlier("r_e", "running", 2, "study-sha", 0.35); // not complete
        var stage = new ChangesStage(Context(study));
        var changes = await stage.RunAsync(new ChangesInput([Row("s1", "all", 0.5)], new Incremental(new HashSet<string>(StringComparer.Ordinal), 1, [])), CancellationToken.None);
        Assert.NotNull(changes);
        Assert.Equal(("r_c", 2, 1), (changes.RunId, changes.Version, changes.Rows));
        Assert.Equal("Baseline estimates of de on provinces: v2 → v3", changes.Table.Title);
        // 0.5 − 0.25 = 0.25; recomputed (s1 not reused).
        Assert.Equal(["0.250000", "0.500000", "0.250000"], changes.Table.Blocks[0].Rows[0].Cells.Take(3).Select(c => c.Text));
        Assert.Equal("yes", changes.Table.Blocks[0].Rows[0].Cells[9].Text);
        foreach (var ext in new[] { ".md", ".csv", ".tex", ".html", ".docx" })
            Assert.True(File.Exists(Path.Combine(_root, study.Name, "r_now", "tables", "changes" + ext)), ext);
    }

    [Fact]
    public async Task Changes_NoneWithoutAVersionedDataset()
    {
        var stage = new ChangesStage(Context(Study(version: null)));
        Assert.Null(await stage.RunAsync(new ChangesInput([Row("s1", "all", 0.5)], new Incremental(new HashSet<string>(), 1, [])), CancellationToken.None));
    }

    private static Panel Panel()
    {
        var frame = CsvReader.Read(Encoding.UTF8.GetBytes("unit,year,y\nA,2020,1\nA,2021,2\n"), "panel.csv");
        return Core.Data.Panel.Create(frame, "unit", "year");
    }

    [Fact]
    public void Manifest_Complete_CarriesTheStagesOutputs_AndTheContextsCollectors()
    {
        var run = Context(Study());
        var panel = Panel();
        var prepared = new Prepared(panel, new DatasetRef("prepared-sha", "unit", "year"), "raw-sha", 3, [], "GB18030");
        var indexed = new Indexed(panel, new DatasetRef("indexed-sha", "unit", "year"),
            new SortedDictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal) { ["dei"] = new Dictionary<string, double> { ["a"] = 0.25, ["b"] = 0.75 } });
        Directory.CreateDirectory(run.RunDir);
        run.Damaged(new DamagedPart(Path.Combine(run.RunDir, "specs", "part-k.parquet"), Path.Combine(run.RunDir, "specs", "part-k.parquet.damaged"), "is not a Parquet file"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        run.Lap("prepare", clock);
        var summary = new RunSummary(12, 1, 2, 1, false, 0, 4, 8, 5);
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var published = new Published(new DateTimeOffset(2026, 1, 2, 3, 9, 0, TimeSpan.Zero), ["specification_curve: no CJK font"]);
        var changes = new Changes("r_c", 2, VersionChangesTable.Build([], new VersionChangesOptions("de", "provinces", 2, 3, "y", "base", "0", "iid", "r_c", 0, 0)), 3);
        new ManifestStage(run).Run(new ManifestInput(prepared, indexed, 12, 3, "complete", started,
            new Finished(summary, null, null, new Incremental(new HashSet<string>(["s1", "s2", "s3", "s4"]), 8, ["r_a", "r_c"])), published, changes));
        var m = JsonNode.Parse(File.ReadAllText(run.ManifestPath))!.AsObject();
        Assert.Equal(("s", "r_now", "complete", "study-sha", 42L), (m["study"]!.GetValue<string>(), m["run_id"]!.GetValue<string>(), m["status"]!.GetValue<string>(),
            m["study_sha256"]!.GetValue<string>(), m["seed"]!.GetValue<long>()));
        var ds = m["dataset"]!;
        Assert.Equal(("panel.csv", "raw-sha", "indexed-sha", "GB18030", "provinces", 3, "/data"), (ds["path"]!.GetValue<string>(), ds["raw_sha256"]!.GetValue<string>(),
            ds["prepared_sha256"]!.GetValue<string>(), ds["encoding"]!.GetValue<string>(), ds["name"]!.GetValue<string>(), ds["version"]!.GetValue<int>(), ds["root"]!.GetValue<string>()));
        Assert.Equal((12, 3, 8, 1, 3), (m["specifications"]!.GetValue<int>(), m["batches"]!.GetValue<int>(), m["batch_size"]!.GetValue<int>(), m["failed"]!.GetValue<int>(),
            m["interpolated_cells"]!.GetValue<int>()));
        Assert.Equal(("2026-01-02T03:04:05Z", "2026-01-02T03:09:00Z"), (m["started_utc"]!.GetValue<string>(), m["finished_utc"]!.GetValue<string>()));
        Assert.Equal("specification_curve: no CJK font", m["charts_not_drawn"]!.AsArray().Single()!.GetValue<string>());
        Assert.Equal((0.25, 0.75), (m["index_weights"]!["dei"]!["a"]!.GetValue<double>(), m["index_weights"]!["dei"]!["b"]!.GetValue<double>()));
        Assert.Equal((4, 8), (m["incremental"]!["specifications_reused"]!.GetValue<int>(), m["incremental"]!["specifications_recomputed"]!.GetValue<int>()));
        Assert.Equal(["r_a", "r_c"], m["incremental"]!["earlier_runs_read"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(("r_c", 2, "tables/changes.md", 3), (m["changes_from"]!["run_id"]!.GetValue<string>(), m["changes_from"]!["dataset_version"]!.GetValue<int>(),
            m["changes_from"]!["table"]!.GetValue<string>(), m["changes_from"]!["rows"]!.GetValue<int>()));
        var damaged = m["damaged_parts"]!.AsArray().Single()!;
        Assert.Equal(("specs/part-k.parquet", "specs/part-k.parquet.damaged", "is not a Parquet file"),
            (damaged["part"]!.GetValue<string>(), damaged["moved_to"]!.GetValue<string>(), damaged["reason"]!.GetValue<string>()));
        Assert.Equal((2, 1, 0, 5), (m["counts"]!["batches_run"]!.GetValue<int>(), m["counts"]!["batches_reused"]!.GetValue<int>(), m["counts"]!["retries"]!.GetValue<int>(),
            m["counts"]!["specifications_fitted_by_this_execution"]!.GetValue<int>()));
        Assert.Equal(["prepare"], m["timings_ms"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void Manifest_Running_HasNoEndNoCountsNoTimings()
    {
        var study = Study(version: null);
        var run = Context(study with { Dataset = study.Dataset with { Name = null } }); // a dataset file by path: no name, version or root
        var panel = Panel();
        Directory.CreateDirectory(run.RunDir);
        new ManifestStage(run).Run(new ManifestInput(new Prepared(panel, new DatasetRef("p", "unit", "year"), "raw", 0, []),
            new Indexed(panel, new DatasetRef("p", "unit", "year"), new Dictionary<string, IReadOnlyDictionary<string, double>>()), 0, 0, "running",
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        var m = JsonNode.Parse(File.ReadAllText(run.ManifestPath))!.AsObject();
        Assert.Equal("running", m["status"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", Manifest.Utc(Manifest.ReadStartedUtc(run.ManifestPath)!.Value));
        foreach (var key in new[] { "finished_utc", "counts", "timings_ms", "incremental", "changes_from", "damaged_parts", "bootstrap", "charts_not_drawn" })
            Assert.False(m.ContainsKey(key), key);
        Assert.Null(m["dataset"]!["encoding"]);
        foreach (var key in new[] { "name", "version", "root" }) Assert.False(m["dataset"]!.AsObject().ContainsKey(key), key);
    }

    [Fact]
    public void GridChoices_BaselineIsTheFirstOfEachDimension_EstimatorAndWeightsOnlyWhenVaried()
    {
        Assert.Equal(["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov"], GridChoices.Dimensions(Grid));
        Assert.Equal(["y", "base", "unit + year", "all", "no", "no", "cluster(unit)"], GridChoices.Baseline(Grid));
        var varied = Grid with { Estimators = ["within", "ols"], Weights = ["none", "pop"], FixedEffects = [[]] };
        Assert.Equal(["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov", "estimator", "weights"], GridChoices.Dimensions(varied));
        Assert.Equal(["y", "base", "0", "all", "no", "no", "cluster(unit)", "within", "none"], GridChoices.Baseline(varied));
        // An unweighted row (Weights null) shows the grid's word for unweighted.
        Assert.Equal(["y2", "base", "unit + year", "east", "yes", "no", "cluster(unit)", "ols", "none"],
            GridChoices.Choices(varied, Row("s", "east", 1, outcome: "y2", winsor: "yes") with { Estimator = "ols" }));
    }

    [Fact]
    public void ReportStage_BootstrapNote_TypeUpper_WeightsLower_TheShownIntervalsNumbers()
    {
        var spec = new BootstrapSpec(999, 100, BootstrapMethod.Wild, [], BootstrapWeights.Webb, BootstrapWildType.Wcu, 0.9);
        var shown = new BootstrapInterval("s1", BootstrapMethod.Wild, 999, 0, null, null, null, null, null, 0.04, -0.1, 0.3, false, null);
        var note = ReportStage.BootstrapNote(new BootstrapSummaryRecord(spec, 2, shown, true));
        Assert.Equal(new GridBootstrapNote(true, 0.9, "WCU", "webb", 2, true, 999, 0, false, null, null, null, null, null, 0.04, -0.1, 0.3, null), note);
        Assert.Equal("Wild cluster bootstrap (WCU, webb weights) of column (1), H0: coefficient = 0, 999 draws: p = 0.040, 90% interval by test inversion [-0.1000, 0.3000]. "
                     + "2 specifications bootstrapped in all (their intervals are in specs.parquet).", GridTableNotes.Bootstrap(note, zh: false));
    }

    [Fact]
    public void IndexReuse_WhyRecomputed_NamesTheIndicatorsWhoseMinMaxMoved_AndHowFarTheWeightsMoved()
    {
        var ix = new IndexSpec("dei", [new IndicatorDto("a", 1, null), new IndicatorDto("b", -1, null)], 0.01, PerPeriod: false);
        var earlier = ("r_old", ImmutableArray.Create(new PeriodRange(0, [1.0, 10.0], [5.0, 20.0])), (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["a"] = 0.4, ["b"] = 0.6 });
        // a's max 5 → 6, b unchanged; weights 0.4 → 0.45 and 0.6 → 0.55: up to 0.05.
        Assert.Equal("recomputed: its indicator cells differ from run r_old; the normalisation changed: min/max of a moved, so every normalised value of that indicator moves; "
                     + "the entropy weights, computed over the whole panel, moved by up to 0.05",
            IndexReuse.WhyRecomputed(ix, earlier, [new PeriodRange(0, [1.0, 10.0], [6.0, 20.0])], new Dictionary<string, double> { ["a"] = 0.45, ["b"] = 0.55 }));
        // Per period, the same ranges and weights.
        Assert.Equal("recomputed: its indicator cells differ from run r_old; the normalisation (min/max per indicator and period) is unchanged; "
                     + "the entropy weights, computed over the whole panel, moved by up to 0",
            IndexReuse.WhyRecomputed(ix with { PerPeriod = true }, earlier, earlier.Item2, earlier.Item3));
        Assert.Equal("recomputed: no earlier run of this study built it", IndexReuse.WhyRecomputed(ix, null, [], new Dictionary<string, double>()));
    }
}
