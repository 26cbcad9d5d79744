using System.Collections.Immutable;
using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>
/// The grid's estimator, instruments and weights dimensions: which combinations are specifications, that a grid without them
/// keeps its ids, and that each node fits the model its choices name (against the Produc references of ../shared/validation).
/// </summary>
public class GridModelTests
{
    private static readonly DatasetRef Dataset = new("0000", "state", "year");

    /// <summary>Produc with the logs the references use, computed here from the raw columns.</summary>
    private static readonly Lazy<Panel> Produc = new(() =>
    {
        var p = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year");
        foreach (var c in new[] { "gsp", "pcap", "pc", "emp" }) p = p.WithColumn("l" + c, [.. p.Frame.Numeric(c).Select(v => Math.Log(v))]);
        return p;
    });

    private static JsonElement Ref(string file, params string[] path)
    {
        var e = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "validation", file))).RootElement;
        foreach (var k in path) e = e.GetProperty(k);
        return e;
    }

    private static GridSpec Grid(ImmutableArray<string> estimators = default, ImmutableArray<string> instruments = default, ImmutableArray<string> weights = default,
        string treatment = "lpcap", string[]? controls = null, ImmutableArray<ImmutableArray<string>> fes = default) =>
        new(treatment, ["lgsp"], [new ControlSet("base", [.. controls ?? ["lpc", "lemp", "unemp"]])], fes.IsDefault ? [["state", "year"], []] : fes,
            [new SampleSpec("all", null)], [false], [false], ["iid"], estimators, instruments, weights);

    private static SpecificationResult[] Fit(IReadOnlyList<Specification> specs) =>
        [.. new EstimateBatchHandler().Compute(new EstimateBatch("run", Dataset, "k", [.. specs]), WorkData.Uncached(Produc.Value)).Results];

    [Fact]
    public void WithoutTheNewDimensions_IdsHashTheSameCanonicalTextAsBefore()
    {
        var specs = GridExpansion.Expand(Grid(), "hash");
        Assert.Equal(2, specs.Count);
        var within = specs.Single(s => !s.FixedEffects.IsEmpty);
        // The canonical text of a specification as the grid has always written it (no estimator or weights part).
        const string canonical = "controls=base;fe=state + year;lag=no;outcome=lgsp;sample=all;vcov=iid;winsor=no;formula=lgsp ~ lpcap + lpc + lemp + unemp | state + year;filter=";
        Assert.Equal(canonical, GridExpansion.Canonical(within));
        Assert.Equal(GridExpansion.Id(canonical, "hash"), within.Id);
        Assert.Null(within.Model.Estimator);
        Assert.Null(within.Model.Weights);
    }

    [Fact]
    public void EstimatorsCombineOnlyWithTheFixedEffectsTheyTake_AndEachNodeFitsItsModel()
    {
        var specs = GridExpansion.Expand(Grid(estimators: ["within", "re", "ols"], weights: ["none", "emp"]), "hash");
        // within × (state + year), re × none, ols × none; each unweighted and weighted: 6 of the 12 combinations.
        Assert.Equal(6, specs.Count);
        Assert.Equal(["ols", "ols", "re", "re", "within", "within"], specs.Select(GridExpansion.EstimatorChoice).Order(StringComparer.Ordinal));
        Assert.All(specs.Where(s => GridExpansion.EstimatorChoice(s) == "within"), s => Assert.Equal(["state", "year"], s.FixedEffects.ToArray()));
        Assert.All(specs.Where(s => GridExpansion.EstimatorChoice(s) != "within"), s => Assert.Empty(s.FixedEffects));
        Assert.Contains(";estimator=re;weights=emp", GridExpansion.Canonical(specs.Single(s => GridExpansion.EstimatorChoice(s) == "re" && s.Model.Weights == "emp")), StringComparison.Ordinal);

        var fits = Fit(specs);
        SpecificationResult Of(string estimator, string? weights) => fits[specs.ToList().FindIndex(s => GridExpansion.EstimatorChoice(s) == estimator && s.Model.Weights == weights)];
        void Near(double expected, double? actual, string what) =>
            Assert.True(actual is { } a && Math.Abs(a - expected) <= 1e-9 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

        var fe = Ref("produc.json", "fe_twoways", "coefficients", "log(pcap)");
        Near(fe.GetProperty("estimate").GetDouble(), Of("within", null).Estimate, "within b");
        var re = Ref("produc.json", "re_swamy_arora", "coefficients", "log(pcap)");
        Near(re.GetProperty("estimate").GetDouble(), Of("re", null).Estimate, "re b");
        Near(re.GetProperty("se").GetDouble(), Of("re", null).StdError, "re se");
        var ols = Ref("produc.json", "pooled_ols", "coefficients", "log(pcap)");
        Near(ols.GetProperty("estimate").GetDouble(), Of("ols", null).Estimate, "ols b");
        Near(ols.GetProperty("se").GetDouble(), Of("ols", null).StdError, "ols se");
        var w = Ref("produc_weights.json", "twoways");
        Near(w.GetProperty("coefficients").GetProperty("log(pcap)").GetDouble(), Of("within", "emp").Estimate, "weighted within b");
        Near(w.GetProperty("iid").GetProperty("se").GetProperty("log(pcap)").GetDouble(), Of("within", "emp").StdError, "weighted within iid se");
        Assert.Contains("weights are not supported with re", Of("re", "emp").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIvNode_InstrumentsTheTreatment_AgainstProducIv()
    {
        // within-2SLS of log(gsp) on log(emp) instrumented by its one-period lag, exogenous log(pcap), log(pc), state FE.
        var specs = GridExpansion.Expand(Grid(estimators: ["iv-2sls"], instruments: ["lag(lemp)"], treatment: "lemp", controls: ["lpcap", "lpc"], fes: [["state"]]), "hash");
        var s = Assert.Single(specs);
        Assert.Equal("lgsp ~ lpcap + lpc | state | lemp ~ lag(lemp)", s.Model.Formula.Source);
        var fit = Fit(specs)[0];
        Assert.Null(fit.Error);
        double expected = Ref("produc_iv.json", "coefficients", "log(emp)", "estimate").GetDouble();
        Assert.True(Math.Abs(fit.Estimate!.Value - expected) <= 1e-9 * Math.Abs(expected), $"iv b: expected {expected:R}, got {fit.Estimate:R}");
    }
}
