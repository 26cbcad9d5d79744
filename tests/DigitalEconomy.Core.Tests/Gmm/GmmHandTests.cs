using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Gmm;

/// <summary>
/// GMM cases derived by hand: just-identified models are IV estimators with closed forms (Anderson–Hsiao), the collapsed
/// and system instrument counts follow from the lag ranges, and the C test is a difference of two J statistics.
/// </summary>
public class GmmHandTests
{
    private static readonly Core.Data.Panel EmplUk = LoadPanel("EmplUK.csv", "firm", "year");

    /// <summary>EmplUK without firm 1's 1980 row and firm 2's 1979 row: two gaps inside units.</summary>
    private static Core.Data.Panel WithGaps()
    {
        var drop = new HashSet<int>();
        for (int r = 0; r < EmplUk.RowCount; r++)
        {
            string u = EmplUk.UnitLabels[EmplUk.UnitCode[r]];
            if ((u == "1" && EmplUk.Time[r] == 1980) || (u == "2" && EmplUk.Time[r] == 1979)) drop.Add(r);
        }
        return EmplUk.Subset([.. Enumerable.Range(0, EmplUk.RowCount).Where(r => !drop.Contains(r))]);
    }

    /// <summary>log(emp) by (firm, year), read straight from the panel's columns.</summary>
    private static Dictionary<(string, long), double> LogEmp(Core.Data.Panel p)
    {
        var emp = p.Frame.Numeric("emp");
        var d = new Dictionary<(string, long), double>();
        for (int r = 0; r < p.RowCount; r++) d[(p.UnitLabels[p.UnitCode[r]], p.Time[r])] = Math.Log(emp[r]);
        return d;
    }

    private static GmmSpec AndersonHsiao(GmmTransformation t) => new(
        Formula.ParseTerm("log(emp)"), [Formula.ParseTerm("lag(log(emp), 1)")],
        [new GmmStyle(Formula.ParseTerm("log(emp)"), 2, 2, Collapse: true)], Iv: [], TimeEffects: false, Transformation: t);

    [Fact]
    public void JustIdentifiedDifferenceGmm_IsAndersonHsiao_WithGaps()
    {
        // β = Σ y_{t−2} Δy_t / Σ y_{t−2} Δy_{t−1} over (i, t) with y_t, y_{t−1}, y_{t−2} observed; robust V = Σ_i (Σ_t z e)² / (Σ z Δy_{t−1})².
        var panel = WithGaps();
        var y = LogEmp(panel);
        double num = 0, den = 0;
        var rows = new List<(string U, double Z, double Dy, double Dx)>();
        foreach (var ((u, t), yt) in y)
            if (y.TryGetValue((u, t - 1), out var y1) && y.TryGetValue((u, t - 2), out var y2))
            {
                double dx = y1 - y2;
                rows.Add((u, y2, yt - y1, dx));
                num += y2 * (yt - y1); den += y2 * dx;
            }
        double beta = num / den;
        double meat = rows.GroupBy(r => r.U).Sum(g => Math.Pow(g.Sum(r => r.Z * (r.Dy - beta * r.Dx)), 2));
        var fit = GmmEstimator.Fit(panel, AndersonHsiao(GmmTransformation.FirstDifferences));
        Assert.Equal(1, fit.Instruments);
        Assert.Equal(rows.Count, fit.TransformedObservations);
        Close(beta, fit.Coefficients[0].Estimate, 1e-10, "beta");
        Close(Math.Sqrt(meat) / Math.Abs(den), fit.Coefficients[0].RobustStdError, 1e-10, "robust se");
        Assert.Equal(0, fit.Hansen.Df);
    }

    [Fact]
    public void JustIdentifiedOrthogonalDeviations_IsTheIvEstimateOnForwardDeviations_WithGaps()
    {
        // Complete observations: y_t and y_{t−1} observed. Each one with m > 0 later complete observations contributes
        // c (y_t − mean of later y), c (y_{t−1} − mean of later lagged y), c = √(m/(m+1)), instrumented by y_{t−1}.
        var panel = WithGaps();
        var y = LogEmp(panel);
        double num = 0, den = 0; int n = 0;
        foreach (var unit in y.Keys.Select(k => k.Item1).Distinct())
        {
            var complete = y.Keys.Where(k => k.Item1 == unit && y.ContainsKey((unit, k.Item2 - 1))).Select(k => k.Item2).OrderBy(t => t).ToList();
            for (int c = 0; c < complete.Count - 1; c++)
            {
                var later = complete.Skip(c + 1).ToList();
                double scale = Math.Sqrt(later.Count / (later.Count + 1.0));
                long t = complete[c];
                double ys = scale * (y[(unit, t)] - later.Average(s => y[(unit, s)]));
                double xs = scale * (y[(unit, t - 1)] - later.Average(s => y[(unit, s - 1)]));
                double z = y[(unit, t - 1)];
                num += z * ys; den += z * xs; n++;
            }
        }
        var fit = GmmEstimator.Fit(panel, AndersonHsiao(GmmTransformation.OrthogonalDeviations));
        Assert.Equal(n, fit.TransformedObservations);
        Close(num / den, fit.Coefficients[0].Estimate, 1e-10, "beta");
    }

    [Fact]
    public void Collapse_GivesOneColumnPerLag()
    {
        // EmplUK has T = 9 periods; lag(log(emp), 2:.) collapsed reaches lags 2…8: 7 columns, + 6 period dummies + 5 IV columns.
        var spec = GmmEmplUkTests.ArellanoBond(false);
        var fit = GmmEstimator.Fit(EmplUk, spec with { Gmm = [spec.Gmm[0] with { Collapse = true }] });
        Assert.Equal(7 + 6 + 5, fit.Instruments);
        Assert.Equal(fit.Instruments - 13, fit.Hansen.Df);
        // Lags 2:3 only: 2 columns per period row in the uncollapsed case (rows 1979…1984 have both) = 12.
        var shortLags = GmmEstimator.Fit(EmplUk, spec with { Gmm = [spec.Gmm[0] with { MaxLag = 3 }] });
        Assert.Equal(12 + 6 + 5, shortLags.Instruments);
    }

    [Fact]
    public void CollapsedSystemGmm_CountsOneLevelColumnPerSet()
    {
        // Three sets 2:. collapsed: lags 2…8 (7 columns) in the differenced equations and one ΔX_{t−1} column in the
        // level equations each, + the intercept and 7 period dummies of the level equations: 3·7 + 3 + 8 = 32.
        var spec = GmmEmplUkTests.BlundellBond(true);
        var fit = GmmEstimator.Fit(EmplUk, spec with { Gmm = [.. spec.Gmm.Select(g => g with { Collapse = true })] });
        Assert.Equal(32, fit.Instruments);
        Assert.Equal(32 - 13, fit.Hansen.Df);
        Assert.Equal(1031 - 140, fit.LevelObservations); // every firm-year but each firm's first
    }

    [Fact]
    public void DifferenceInHansen_IsTheDifferenceOfTwoJStatistics()
    {
        var full = GmmEstimator.Fit(EmplUk, GmmEmplUkTests.BlundellBond(true), differenceInHansen: true);
        var level = full.DifferenceInHansen.Single(t => t.Block == "gmm(log(wage), 2:99) level");
        Assert.Equal(7, level.Instruments); // Δlog(wage)_{t−1} for the level equations of 1978…1984
        Assert.Equal(113 - 7 - 13, level.Excluded.Df);
        Close(full.Hansen.Statistic - level.Excluded.Statistic, level.Difference.Statistic, 1e-12, "C");
        Assert.Equal(7, level.Difference.Df);
        Assert.Empty(full.Warnings);
    }

    [Fact]
    public void MoreInstrumentsThanUnits_Warns()
    {
        var firms = Enumerable.Range(0, EmplUk.RowCount).Where(r => EmplUk.UnitCode[r] < 30).ToArray();
        var fit = GmmEstimator.Fit(EmplUk.Subset(firms), GmmEmplUkTests.ArellanoBond(true));
        Assert.Contains(fit.Warnings, w => w.StartsWith("38 instruments for 30 units", StringComparison.Ordinal));
    }
}
