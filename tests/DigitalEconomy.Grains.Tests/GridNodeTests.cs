using System.Collections.Immutable;
using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using DigitalEconomy.Grains.Work;
using DigitalEconomy.Study.GridEstimators;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>
/// The non-linear grid estimators (study/GridEstimators): which choices form nodes, their canonical texts, and that each node fitted
/// through the estimate work equals the published references of ../shared/validation (plm's pgmm on EmplUK, fixest's Sun–Abraham
/// and R did's Callaway–Sant'Anna on base_stagg, splm on Produc with usaww) or core's one-off call where no reference exists.
/// </summary>
public class GridNodeTests
{
    private static readonly DatasetRef Dataset = new("0000", "unit", "time");

    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    private static JsonElement Ref(string file, params string[] path)
    {
        var e = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "validation", file))).RootElement;
        foreach (var k in path) e = e.GetProperty(k);
        return e;
    }

    private static Panel WithLogs(Panel p, params string[] columns)
    {
        foreach (var c in columns) p = p.WithColumn("l" + c, [.. p.Frame.Numeric(c).Select(v => Math.Log(v))]);
        return p;
    }

    private static readonly Lazy<Panel> EmplUk = new(() => WithLogs(Panel.Create(CsvReader.ReadFile(Data("EmplUK.csv")), "firm", "year"), "emp", "wage", "capital", "output"));
    private static readonly Lazy<Panel> BaseStagg = new(() => Panel.Create(CsvReader.ReadFile(Data("base_stagg.csv")), "id", "year"));
    private static readonly Lazy<Panel> Produc = new(() => WithLogs(Panel.Create(CsvReader.ReadFile(Data("Produc.csv")), "state", "year"), "gsp", "pcap", "pc", "emp"));

    private static SpecificationResult[] Fit(Panel panel, IReadOnlyList<Specification> specs) =>
        [.. new EstimateBatchHandler().Compute(new EstimateBatch("run", Dataset, "k", [.. specs]), WorkData.Uncached(panel)).Results];

    private static void Near(double expected, double? actual, double tol, string what) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= tol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static GridSpec Grid(string treatment, string outcome, ImmutableArray<ControlSet> controls, ImmutableArray<ImmutableArray<string>> fes, ImmutableArray<string> estimators,
        ImmutableArray<string> vcov, ImmutableArray<SampleSpec> samples = default) =>
        new(treatment, [outcome], controls, fes, samples.IsDefault ? [new SampleSpec("all", null)] : samples, [false], [false], vcov, estimators);

    [Fact]
    public void Gmm_SystemNode_ReproducesBlundellBondTwoStep()
    {
        // pgmm(log(emp) ~ lag(log(emp), 1) + lag(log(wage), 0:1) + lag(log(capital), 0:1) | lag(log(emp), 2:99) + lag(log(wage), 2:99)
        // + lag(log(capital), 2:99), effect = 'twoways', model = 'twosteps', transformation = 'ld'): the node with one distributed lag,
        // capital endogenous, instruments not collapsed.
        var grid = Grid("lwage", "lemp", [new ControlSet("k", ["lcapital"])], [["firm", "year"], ["firm"]], ["within", "gmm-sys"], ["cluster:firm", "iid"])
            with { Gmm = new GridGmmSettings(false, 1, ["lcapital"]) };
        var specs = GridExpansion.Expand(grid, "hash");
        // within × 2 fixed effects × 2 variances, and one GMM node (formed at the baseline fixed effects and variance only).
        Assert.Equal(5, specs.Count);
        var node = Assert.Single(specs, s => s.Node is not null);
        Assert.Equal("gmm-sys", GridExpansion.EstimatorChoice(node));
        Assert.Equal(["firm", "year"], node.FixedEffects.ToArray());
        Assert.Equal("cluster:firm", node.Vcov);
        Assert.EndsWith(";estimator=gmm-sys;gmm=collapse=no,lags=1,endogenous=lcapital", GridExpansion.Canonical(node), StringComparison.Ordinal);
        Assert.Equal("lemp ~ lag(lemp) + lwage + lag(lwage) + lcapital + lag(lcapital) | gmm: lemp:2:., lwage:2:., lcapital:2:. | system, two-step, time effects",
            SpecificationModel.FormulaText(node));

        var fits = Fit(EmplUk.Value, specs);
        var r = fits[specs.ToList().IndexOf(node)];
        Assert.Null(r.Error);
        var bb = Ref("emplUK_gmm.json", "bb_twosteps");
        Near(bb.GetProperty("coefficients").GetProperty("lag(log(wage), 0:1)0").GetDouble(), r.Estimate, 1e-6, "b");
        Near(bb.GetProperty("se_robust").GetProperty("lag(log(wage), 0:1)0").GetDouble(), r.StdError, 1e-6, "Windmeijer se");
        Near(r.Estimate!.Value / r.StdError!.Value, r.Statistic, 1e-12, "z");
        // The linear specifications of the same batch are fitted as before, beside the node.
        Assert.All(fits.Where((f, i) => specs[i].Node is null), f => Assert.Null(f.Error));
    }

    [Fact]
    public void Gmm_DefaultNode_IsTheDocumentedDynamicModel()
    {
        var grid = Grid("lwage", "lemp", [new ControlSet("k", ["lcapital", "loutput"])], [["firm", "year"]], ["gmm-diff"], ["iid"]);
        var node = Assert.Single(GridExpansion.Expand(grid, "hash"));
        // Defaults (close to studies/provincial_dynamic.yaml): y ~ lag(y) + T + controls, y and T GMM-style from lag 2, collapsed, two-step.
        var spec = new GmmSpec(new VarExpr("lemp"), [Formula.ParseTerm("lag(lemp)"), new VarExpr("lwage"), new VarExpr("lcapital"), new VarExpr("loutput")],
            [new GmmStyle(new VarExpr("lemp"), 2, GmmStyle.AllLags, true), new GmmStyle(new VarExpr("lwage"), 2, GmmStyle.AllLags, true)], TwoStep: true);
        Assert.Equal(spec.Text, SpecificationModel.FormulaText(node));
        var core = GmmEstimator.Fit(EmplUk.Value, spec)["lwage"];
        var r = Assert.Single(Fit(EmplUk.Value, [node]));
        Assert.Equal(core.Estimate, r.Estimate);
        Assert.Equal(core.RobustStdError, r.StdError);
        Assert.Equal(core.PValue, r.PValue);
    }

    [Fact]
    public void Did_Nodes_ReproduceSunAbrahamAndCallawaySantAnna_AndTwfeEqualsTheCoreCall()
    {
        var grid = Grid("treated", "y", [new ControlSet("x1", ["x1"]), new ControlSet("none", [])], [["id", "year"]], ["did-twfe", "did-sa", "did-cs"], ["cluster:id"],
            [new SampleSpec("all", null), new SampleSpec("never", "year_treated == 10000")]) with { Cohort = "year_treated" };
        var specs = GridExpansion.Expand(grid, "hash");
        // twfe and sa: 2 control sets × 2 samples; cs: the empty control set only (unconditional) × 2 samples.
        Assert.Equal(10, specs.Count);
        Assert.All(specs, s => Assert.Equal("year_treated", s.Node!.Cohort));
        var fits = Fit(BaseStagg.Value, specs);
        SpecificationResult Of(string word, string controls, string sample) =>
            fits[specs.ToList().FindIndex(s => s.Node!.Estimator == word && s.ControlSet == controls && s.Sample == sample)];

        var sa = Ref("base_stagg.json", "sun_abraham", "att");
        Near(sa.GetProperty("estimate").GetDouble(), Of("did-sa", "x1", "all").Estimate, 1e-8, "SA ATT");
        Near(sa.GetProperty("se").GetDouble(), Of("did-sa", "x1", "all").StdError, 1e-8, "SA ATT se");
        Assert.Equal(950, Of("did-sa", "x1", "all").N);

        var cs = Ref("base_stagg_cs.json", "nevertreated", "simple");
        Near(cs.GetProperty("att").GetDouble(), Of("did-cs", "none", "all").Estimate, 1e-8, "CS simple ATT");
        Near(cs.GetProperty("se").GetDouble(), Of("did-cs", "none", "all").StdError, 1e-8, "CS simple se");

        // No published static TWFE on base_stagg: the node equals `de did --method twfe`'s core call (cluster by unit).
        var twfe = EventStudy.Twfe(DidDesign.FromCohort(BaseStagg.Value, "year_treated"), new DidOptions { Outcome = new Core.Formulas.VarExpr("y"), Covariates = [new Core.Formulas.VarExpr("x1")] });
        var node = Of("did-twfe", "x1", "all");
        Assert.Equal(twfe.Att.Estimate, node.Estimate);
        Assert.Equal(twfe.Att.StdError, node.StdError);
        Assert.Equal(twfe.Fit.N, node.N);

        // A sample with no treated unit is refused in the node's row, in one line.
        foreach (var (r, s) in fits.Zip(specs).Where(p => p.Second.Sample == "never"))
        {
            Assert.Null(r.Estimate);
            Assert.Contains("keeps no unit treated within the sample", r.Error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', r.Error!);
        }
    }

    [Fact]
    public void Spatial_Nodes_ReproduceSplm_OnePerMatrix()
    {
        var w = Store.SpatialWeightsFile.Read(Data("usaww.csv"));
        var usaww = new SpatialMatrixSpec("usaww", "usaww", "usaww.csv", SpatialWeightsData.Of(w));
        var grid = Grid("lpcap", "lgsp", [new ControlSet("base", ["lpc", "lemp", "unemp"])], [["state", "year"], ["state"], []], ["sar", "sdm"], ["iid"])
            with { Matrices = [usaww, usaww with { Name = "same" }] };
        var specs = GridExpansion.Expand(grid, "hash");
        // 2 models × 2 fixed-effects choices with effects (none forms no node) × 2 matrices.
        Assert.Equal(8, specs.Count);
        Assert.Contains(specs, s => GridExpansion.EstimatorChoice(s) == "sdm:same");
        Assert.Contains(";estimator=sar;matrix=usaww", GridExpansion.Canonical(specs.First(s => GridExpansion.EstimatorChoice(s) == "sar:usaww")), StringComparison.Ordinal);
        var fits = Fit(Produc.Value, specs);
        SpecificationResult Of(string choice, int factors) => fits[specs.ToList().FindIndex(s => GridExpansion.EstimatorChoice(s) == choice && s.FixedEffects.Length == factors)];
        foreach (var (choice, factors, key) in new[] { ("sar:usaww", 2, "SAR_twoways"), ("sar:usaww", 1, "SAR_individual"), ("sdm:usaww", 2, "SDM_twoways"), ("sdm:same", 1, "SDM_individual") })
        {
            var r = Ref("produc_spatial.json", "spatial_models", key, "splm");
            Near(r.GetProperty("estimate").GetProperty("log(pcap)").GetDouble(), Of(choice, factors).Estimate, 1e-6, key + " b");
            Near(r.GetProperty("se").GetProperty("log(pcap)").GetDouble(), Of(choice, factors).StdError, 1e-6, key + " se");
            Assert.Equal(48 * 17, Of(choice, factors).N);
        }
    }

    [Fact]
    public void LinearIdsAndBatchesAreUnchanged_AndNodesTravelApart()
    {
        var controls = ImmutableArray.Create(new ControlSet("k", ["lcapital"]));
        var linear = GridExpansion.Expand(Grid("lwage", "lemp", controls, [["firm", "year"]], ["within"], ["iid"]), "hash");
        var both = GridExpansion.Expand(Grid("lwage", "lemp", controls, [["firm", "year"]], ["within", "gmm-diff", "gmm-sys"], ["iid"]), "hash");
        Assert.Equal(3, both.Count);
        Assert.Equal(linear.Single().Id, both.Single(s => s.Node is null).Id);
        var batches = GridExpansion.Batches(both, 100);
        // The linear specification and the nodes of each GMM word travel in batches of their own.
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.Single(b.Specifications.Select(s => s.Node?.Estimator).Distinct()));
        Assert.True(GridEstimatorRegistry.HasNodes(Grid("lwage", "lemp", controls, [["firm", "year"]], ["gmm-diff"], ["iid"])));
    }
}
