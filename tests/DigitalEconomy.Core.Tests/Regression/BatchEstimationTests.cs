using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// BatchEstimation against Estimation.Fit model by model, on grids over the validation panels
/// (Produc balanced, Grunfeld balanced, EmplUK unbalanced), and its independence of the batch's makeup.
/// </summary>
public class BatchEstimationTests
{
    private static readonly Panel Produc = WithTwice(LoadPanel("Produc.csv", "state", "year"), "pc", "twice_pc");
    private static readonly Panel Grunfeld = LoadPanel("Grunfeld.csv", "firm", "year");
    private static readonly Panel Empl = LoadPanel("EmplUK.csv", "firm", "year");

    /// <summary>A column exactly twice another one: an exactly collinear control.</summary>
    private static Panel WithTwice(Panel p, string column, string name) =>
        p.WithColumn(name, p.Frame.Numeric(column).Select(v => 2 * v).ToArray());

    private static BatchModel Model(string formula, string vcov, string term, string? filter = null, Func<EstimationOptions, EstimationOptions>? tweak = null)
    {
        var o = new EstimationOptions { Vcov = VcovSpec.Parse(vcov), Filters = filter is null ? [] : [RowFilter.Parse(filter)] };
        return new BatchModel(Formula.Parse(formula), tweak is null ? o : tweak(o), term);
    }

    private static List<BatchModel> Grid(string[] outcomes, string[] treatments, string[] controls, string[] fes, string[] vcovs, string?[] filters)
    {
        var list = new List<BatchModel>();
        foreach (var y in outcomes)
            foreach (var t in treatments)
                foreach (var c in controls)
                    foreach (var fe in fes)
                        foreach (var v in vcovs)
                            foreach (var filter in filters)
                                list.Add(Model($"{y} ~ {t}{(c.Length > 0 ? " + " + c : "")}{fe}", v, t, filter));
        return list;
    }

    private static List<BatchModel> ProducGrid() => Grid(
        ["log(gsp)", "log(emp)", "unemp"],
        ["log(pcap)", "lag(log(pcap))"],
        ["", "log(pc)", "log(pc) + unemp", "pc + twice_pc", "twice_pc + pc + log(hwy)"],
        ["", " | state", " | state + year", " | region + year"],
        ["iid", "hc1", "cluster:state", "cluster:state,year"],
        [null, "year >= 1975", "region != 5 & year < 1985", "year > 3000"])
        .Where(m => !m.Formula.Regressors.Any(r => r.Text == m.Formula.Response.Text)).ToList();

    private static List<BatchModel> GrunfeldGrid() => Grid(
        ["inv", "log(inv)"],
        ["value", "lag(value)", "lag(value, 2)"],
        ["", "capital", "capital + lag(capital)"],
        ["", " | firm", " | firm + year"],
        ["iid", "hc1", "cluster:firm", "cluster:firm,year"],
        [null, "year >= 1940"]);

    private static List<BatchModel> EmplGrid() => Grid(
        ["log(emp)", "log(output)"],
        ["log(wage)", "lag(log(wage))"],
        ["", "log(capital)", "log(capital) + lag(log(emp))"],
        ["", " | firm", " | firm + year", " | firm + sector^year"],
        ["iid", "hc1", "cluster:firm", "cluster:firm,year"],
        [null, "sector != 9"]);

    /// <summary>Models the fast path must get right beyond the plain grid.</summary>
    private static List<BatchModel> Specials() =>
    [
        // Absorbed by the fixed effects: the term is omitted → error; a control absorbed → dropped.
        Model("log(gsp) ~ region + log(pcap) | state", "cluster:state", "region"),
        Model("log(gsp) ~ log(pcap) + region | state + year", "iid", "log(pcap)"),
        // Collinear with an earlier regressor: the later one goes.
        Model("log(gsp) ~ twice_pc + pc + log(pcap)", "hc1", "pc"),
        Model("log(gsp) ~ pc + twice_pc + log(pcap) | state", "cluster:state", "log(pcap)"),
        // A term that is not in the formula at all.
        Model("log(gsp) ~ log(pcap) | state", "iid", "log(pc)"),
        // Empty samples, too few clusters, unknown columns.
        Model("log(gsp) ~ log(pcap) | state", "iid", "log(pcap)", "year > 3000"),
        Model("log(gsp) ~ log(pcap)", "cluster:state", "log(pcap)", "state == ALABAMA"),
        Model("log(gsp) ~ log(pcap) + nosuch | state", "iid", "log(pcap)"),
        Model("log(gsp) ~ log(pcap) | nosuch", "iid", "log(pcap)"),
        Model("log(gsp) ~ log(pcap) | state", "cluster:nosuch", "log(pcap)"),
        Model("log(gsp) ~ log(pcap) | state", "iid", "log(pcap)", "nosuch == 1"),
        // Conventions, options and estimator choices.
        Model("log(gsp) ~ log(pcap) + log(pc) | state + year", "cluster:state", "log(pcap)", tweak: o => o with { Vcov = o.Vcov with { Convention = SmallSample.Plm } }),
        Model("log(gsp) ~ log(pcap) + log(pc) | state + year", "hc1", "log(pcap)", tweak: o => o with { Vcov = o.Vcov with { Convention = SmallSample.Lsdv } }),
        Model("log(gsp) ~ log(pcap) + log(pc) | state", "cluster:region", "log(pcap)", tweak: o => o with { Vcov = o.Vcov with { Convention = SmallSample.None } }),
        Model("log(gsp) ~ log(pcap) + log(pc) | state", "iid", "log(pcap)", "year >= 1980", o => o with { ConfidenceLevel = 0.9 }),
        Model("log(gsp) ~ twice_pc + pc | state", "iid", "twice_pc", tweak: o => o with { Collinear = CollinearPolicy.Error }),
        Model("log(gsp) ~ log(pcap) | state", "iid", "log(pcap)", tweak: o => o with { Estimator = EstimatorKind.Ols }),
        Model("log(gsp) ~ log(pcap)", "iid", "log(pcap)", tweak: o => o with { Estimator = EstimatorKind.Within }),
        Model("log(gsp) ~ log(pcap) + log(pc)", "iid", "log(pcap)", tweak: o => o with { Estimator = EstimatorKind.Ols }),
        // Not on the fast path: fall back to Estimation.Fit.
        Model("log(gsp) ~ log(pcap) + log(pc)", "iid", "log(pcap)", tweak: o => o with { Estimator = EstimatorKind.RandomEffects }),
        Model("log(gsp) ~ log(pc) | state | log(pcap) ~ log(hwy) + log(water)", "cluster:state", "log(pcap)"),
    ];

    /// <summary>What Estimation.Fit says about a model, reduced to what a batch reports.</summary>
    private static (RegressionResult? Fit, Coefficient? Coef, string? Error) Reference(Panel panel, BatchModel m)
    {
        try
        {
            var r = Estimation.Fit(panel, m.Formula, m.Options);
            var c = r.Coefficients.FirstOrDefault(x => x.Term == m.Term);
            return (r, c, c is null ? $"'{m.Term}' was omitted (collinear or absorbed)" : null);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return (null, null, e.Message);
        }
    }

    private static void AssertMatchesReference(Panel panel, BatchModel m, BatchFit b)
    {
        string what = $"{m.Formula.Source} [{m.Options.Vcov}] {string.Join(" & ", m.Options.Filters.Select(f => f.Text))}";
        var (r, c, error) = Reference(panel, m);
        Assert.Equal(m.Term, b.Term);
        Assert.True(error == b.Error, $"{what}: error '{b.Error}', expected '{error}'");
        if (error is not null)
        {
            Assert.Null(b.Coefficient);
            return;
        }
        Assert.NotNull(b.Coefficient);
        var bc = b.Coefficient!;
        Close(c!.Estimate, bc.Estimate, 1e-10, what + " estimate");
        Close(c.StdError, bc.StdError, 1e-10, what + " se");
        Close(c.Statistic, bc.Statistic, 1e-10, what + " t");
        // p = 2·T(−|t|) magnifies a relative error δ in t to about t²·δ in p (p ~ 1e-214 at t ≈ 31): compare log p.
        if (c.PValue == 0) Assert.Equal(0, bc.PValue); // underflow in both
        else Close(Math.Log(c.PValue), Math.Log(bc.PValue), 1e-10, what + " log p");
        Close(c.ConfLow, bc.ConfLow, 1e-10, what + " low");
        Close(c.ConfHigh, bc.ConfHigh, 1e-10, what + " high");
        Assert.Equal(r!.N, b.N);
        Assert.Equal(r.DfResid, b.DfResid);
        Close(r.R2, b.R2!.Value, 1e-12, what + " r2");
        Assert.Equal(r.R2Within is null, b.R2Within is null);
        if (r.R2Within is { } rw) Close(rw, b.R2Within!.Value, 1e-12, what + " r2 within");
        // A batch reports one term and no Wald test of the slopes: the single fit's warnings about the
        // Wald test, and about other terms' standard errors, have no counterpart there.
        var expected = r.Warnings.Where(w => !w.StartsWith("the Wald test", StringComparison.Ordinal) && !w.StartsWith("no Wald test", StringComparison.Ordinal)
            && !(w.StartsWith("no standard error for '", StringComparison.Ordinal) && !w.StartsWith($"no standard error for '{m.Term}'", StringComparison.Ordinal))).ToList();
        Assert.Equal(expected, b.Warnings);
    }

    public static TheoryData<string> Panels => ["Produc", "Grunfeld", "EmplUK"];

    private static (Panel Panel, List<BatchModel> Models) PanelGrid(string name) => name switch
    {
        "Produc" => (Produc, [.. ProducGrid(), .. Specials()]),
        "Grunfeld" => (Grunfeld, GrunfeldGrid()),
        _ => (Empl, [.. EmplGrid(), .. EmplGrid().Take(40).Select(m => m with { Options = m.Options with { DropSingletons = true } })]),
    };

    [Theory]
    [MemberData(nameof(Panels))]
    public void Fit_Grid_EqualsEstimationFitModelByModel(string name)
    {
        var (panel, models) = PanelGrid(name);
        var results = BatchEstimation.Fit(panel, models);
        Assert.Equal(models.Count, results.Count);
        for (int i = 0; i < models.Count; i++)
        {
            AssertMatchesReference(panel, models[i], results[i]);
            Assert.Equal(BatchEstimation.OnFastPath(models[i]), results[i].FastPath);
        }
        // The grid must exercise what it claims to: mostly the shared path, some fits and some errors.
        Assert.True(results.Count(r => r.FastPath && r.Error is null) > models.Count / 2, "most models fitted on the fast path");
        if (name == "Produc")
        {
            Assert.Contains(results, r => r.Error is not null && r.Error.StartsWith("empty sample", StringComparison.Ordinal));
            Assert.Contains(results, r => r.Error is null && r.Warnings.Contains("note: twice_pc omitted because of collinearity"));
            Assert.Contains(results, r => r.Error is null && r.Warnings.Contains("note: pc omitted because of collinearity"));
            Assert.Contains(results, r => !r.FastPath && r.Error is null);
        }
        if (name == "EmplUK")
            Assert.Contains(results, r => r.Error is null && r.Warnings.Any(w => w.Contains("singleton", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public void Fit_Grid_IsBitIdenticalToEstimationFit(string name)
    {
        // Stronger than the tolerances above: the shared path does the single fit's arithmetic, so a
        // specification gives the same bytes whether a grid or a lone Estimation.Fit computed it.
        var (panel, models) = PanelGrid(name);
        var results = BatchEstimation.Fit(panel, models);
        int compared = 0;
        for (int i = 0; i < models.Count; i++)
        {
            var (r, c, error) = Reference(panel, models[i]);
            if (error is not null || !results[i].FastPath) continue;
            var b = results[i].Coefficient!;
            Assert.Equal(BitConverter.DoubleToInt64Bits(c!.Estimate), BitConverter.DoubleToInt64Bits(b.Estimate));
            Assert.Equal(BitConverter.DoubleToInt64Bits(c.StdError), BitConverter.DoubleToInt64Bits(b.StdError));
            Assert.Equal(BitConverter.DoubleToInt64Bits(c.PValue), BitConverter.DoubleToInt64Bits(b.PValue));
            Assert.Equal(BitConverter.DoubleToInt64Bits(r!.R2), BitConverter.DoubleToInt64Bits(results[i].R2!.Value));
            compared++;
        }
        Assert.True(compared > models.Count / 2, $"{compared} of {models.Count} compared");
    }

    [Fact]
    public void Fit_TermAbsorbedByFixedEffects_IsAnOmittedError()
    {
        var r = BatchEstimation.Fit(Produc, [Model("log(gsp) ~ region + log(pcap) | state", "cluster:state", "region")])[0];
        Assert.True(r.FastPath);
        Assert.Equal("'region' was omitted (collinear or absorbed)", r.Error);
        Assert.Null(r.Coefficient);
        Assert.Contains("note: region omitted because of collinearity", r.Warnings);
    }

    [Fact]
    public void Fit_CollinearControl_IsDroppedAndTheTermStillEstimated()
    {
        var m = Model("log(gsp) ~ log(pcap) + pc + twice_pc | state + year", "cluster:state", "log(pcap)");
        var r = BatchEstimation.Fit(Produc, [m])[0];
        var reference = Estimation.Fit(Produc, m.Formula, m.Options);
        Assert.Equal(["twice_pc"], reference.Omitted);
        Assert.Null(r.Error);
        Assert.Equal(reference["log(pcap)"].Estimate, r.Coefficient!.Estimate);
        Assert.Equal(reference["log(pcap)"].StdError, r.Coefficient.StdError);
        Assert.Equal(reference.DfResid, r.DfResid);
    }

    /// <summary>
    /// Models that differ only in their variance share one fit within a batch (the fit is kept for the later ones): each
    /// still equals its own single fit bit for bit, with the fit's omitted-regressor note, whether alone, first or last.
    /// </summary>
    [Fact]
    public void Fit_VarianceChoicesOfOneModel_EachEqualsItsFitAlone_WithTheOmittedNote()
    {
        string[] vcovs = ["iid", "hc1", "cluster:state", "cluster:state,year", "iid"];
        var models = vcovs.Select(v => Model("log(gsp) ~ log(pcap) + pc + twice_pc | state + year", v, "log(pcap)")).ToList();
        var together = BatchEstimation.Fit(Produc, models);
        var reversed = BatchEstimation.Fit(Produc, models.AsEnumerable().Reverse().ToList());
        for (int i = 0; i < models.Count; i++)
        {
            var alone = BatchEstimation.Fit(Produc, [models[i]])[0];
            AssertBitIdentical(alone, together[i]);
            AssertBitIdentical(alone, reversed[models.Count - 1 - i]);
            Assert.Contains("note: twice_pc omitted because of collinearity", together[i].Warnings);
            var reference = Estimation.Fit(Produc, models[i].Formula, models[i].Options);
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference["log(pcap)"].StdError), BitConverter.DoubleToInt64Bits(together[i].Coefficient!.StdError));
        }
        // The variances differ (so the shared fit did not share them): iid, HC1 and the two cluster errors are four numbers.
        Assert.Equal(4, together.Select(r => r.Coefficient!.StdError).Distinct().Count());
    }

    /// <summary>The intersection of two cluster codings, numbered by first appearance, by the table (few pairs) and by hashing (many).</summary>
    [Fact]
    public void Intersect_NumbersPairsByFirstAppearance()
    {
        int[] few = VcovEngine.Intersect([0, 1, 0, 1, 2, 2], [0, 0, 0, 1, 1, 1], out int c1);
        Assert.Equal([0, 1, 0, 2, 3, 3], few);
        Assert.Equal(4, c1);
        int[] many = VcovEngine.Intersect([5_000_000, 0, 5_000_000, 7], [3, 9, 3, 9], out int c2);
        Assert.Equal([0, 1, 0, 2], many);
        Assert.Equal(3, c2);
    }

    [Fact]
    public void Fit_EmptyFilterAndTooFewClusters_GiveTheMessagesOfEstimationFit()
    {
        var empty = Model("log(gsp) ~ log(pcap) | state", "iid", "log(pcap)", "year > 3000");
        var oneCluster = Model("log(gsp) ~ log(pcap)", "cluster:state", "log(pcap)", "state == ALABAMA");
        var r = BatchEstimation.Fit(Produc, [empty, oneCluster]);
        Assert.Equal("empty sample: no row passes the filter 'year > 3000'", r[0].Error);
        Assert.StartsWith("cluster-robust errors need at least two clusters", r[1].Error, StringComparison.Ordinal);
        Assert.Equal(Reference(Produc, oneCluster).Error, r[1].Error);
    }

    private static void AssertBitIdentical(BatchFit a, BatchFit b)
    {
        static long Bits(double? v) => v is { } x ? BitConverter.DoubleToInt64Bits(x) : long.MinValue;
        Assert.Equal(a.Error, b.Error);
        Assert.Equal(a.N, b.N);
        Assert.Equal(a.DfResid, b.DfResid);
        Assert.Equal(a.FastPath, b.FastPath);
        Assert.Equal(a.Warnings, b.Warnings);
        Assert.Equal(Bits(a.R2), Bits(b.R2));
        Assert.Equal(Bits(a.R2Within), Bits(b.R2Within));
        Assert.Equal(a.Coefficient is null, b.Coefficient is null);
        if (a.Coefficient is { } x && b.Coefficient is { } y)
        {
            Assert.Equal(x.Term, y.Term);
            foreach (var (p, q) in new[] { (x.Estimate, y.Estimate), (x.StdError, y.StdError), (x.Statistic, y.Statistic), (x.PValue, y.PValue), (x.ConfLow, y.ConfLow), (x.ConfHigh, y.ConfHigh) })
                Assert.Equal(Bits(p), Bits(q));
        }
    }

    /// <summary>50 models over one panel: shared samples, lags that shrink them, every FE structure and variance.</summary>
    private static List<BatchModel> Fifty()
    {
        var all = EmplGrid();
        // A fixed stride through the grid so the 50 mix outcomes, lags, FE, variances and filters.
        return Enumerable.Range(0, 50).Select(i => all[(i * 37) % all.Count]).ToList();
    }

    [Fact]
    public void Fit_SameModelAloneOrAmongFifty_IsBitIdentical()
    {
        var fifty = Fifty();
        Assert.Equal(50, fifty.Distinct().Count());
        var together = BatchEstimation.Fit(Empl, fifty);
        var reversed = BatchEstimation.Fit(Empl, fifty.AsEnumerable().Reverse().ToList());
        for (int i = 0; i < fifty.Count; i++)
        {
            var alone = BatchEstimation.Fit(Empl, [fifty[i]])[0];
            AssertBitIdentical(alone, together[i]);
            AssertBitIdentical(alone, reversed[fifty.Count - 1 - i]);
        }
        Assert.True(together.Count(r => r.Error is null && r.FastPath) >= 40);
    }

    [Fact]
    public void Fit_AnyOrderAndSubset_GivesBitIdenticalResults()
    {
        var fifty = Fifty();
        var baseline = BatchEstimation.Fit(Empl, fifty);
        var gen = Gen.Shuffle(Enumerable.Range(0, fifty.Count).ToArray()).SelectMany(order => Gen.Choose(1, order.Length).Select(k => order.Take(k).ToArray()));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(Arb.From(gen), picked =>
        {
            var results = BatchEstimation.Fit(Empl, picked.Select(i => fifty[i]).ToList());
            for (int j = 0; j < picked.Length; j++) AssertBitIdentical(baseline[picked[j]], results[j]);
        }));
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => BatchEstimation.Fit(Produc, Specials(), cts.Token));
    }

    [Fact]
    public void Fit_Empty_ReturnsEmpty() => Assert.Empty(BatchEstimation.Fit(Produc, []));
}
