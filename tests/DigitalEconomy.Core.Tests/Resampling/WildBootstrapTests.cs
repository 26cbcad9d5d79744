using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Resampling;

/// <summary>The fast wild cluster bootstrap against the refit-per-draw reference (<see cref="WildReference"/>) and a hand-enumerated case.</summary>
public class WildBootstrapTests
{
    private static readonly Panel Produc = LoadPanel("Produc.csv", "state", "year");
    private const string OneWay = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state";
    private const string TwoWay = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year";
    private static readonly string[] Terms = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];
    private static readonly EstimationOptions ByRegion = new() { Vcov = VcovSpec.Cluster("region") };

    private static int[] FirstAppearance(Panel p, string column)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        return Enumerable.Range(0, p.RowCount).Select(i =>
        {
            string key = p.Frame.Numeric(column)[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (!map.TryGetValue(key, out int c)) map[key] = c = map.Count;
            return c;
        }).ToArray();
    }

    /// <summary>The slow reference on Produc from the raw columns: logs taken here, dummies for state (and year).</summary>
    private static WildReference Reference(bool twoWay, int j, double factor)
    {
        var f = Produc.Frame;
        double[] Log(string c) => f.Numeric(c).Select(v => Math.Log(v)).ToArray();
        double[][] x = [Log("pcap"), Log("pc"), Log("emp"), f.Numeric("unemp")];
        var fe = new List<int[]> { Produc.UnitCode };
        if (twoWay) fe.Add(Produc.Time.Select(t => (int)(t - 1970)).ToArray());
        return new WildReference(Log("gsp"), x, fe, FirstAppearance(Produc, "region"), j, factor);
    }

    /// <summary>t statistics agree to 1e-8 relative, or 1e-8 absolute near 0 (WCU: the all −1 draw gives t* = 0 up to rounding).</summary>
    private static void CloseT(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    private static IEnumerable<double[]> AllSigns(int g) => Enumerable.Range(0, 1 << g).Select(b => WildBootstrap.SignVector(g, b));

    [Theory]
    [InlineData(false, WildType.Restricted)]
    [InlineData(false, WildType.Unrestricted)]
    [InlineData(true, WildType.Restricted)]
    [InlineData(true, WildType.Unrestricted)]
    public void Produc_FullEnumeration_MatchesRefitPerDraw_Exactly(bool twoWay, WildType type)
    {
        // 9 regions: 2^9 = 512 ≤ B, so all sign vectors are enumerated (the acceptance case of issue 13 is one-way WCR).
        var formula = Formula.Parse(twoWay ? TwoWay : OneWay);
        for (int j = 0; j < Terms.Length; j++)
        {
            var problem = WildBootstrap.Prepare(Produc, formula, ByRegion, Terms[j], type);
            Assert.Equal(9, problem.Clusters);
            if (!twoWay)
            {
                // Stata/xtreg CR1 with the state FE nested in the regions: K = k + 1.
                Close(9.0 / 8 * 815 / 811, problem.Fit.SmallSampleFactor, 1e-14, "factor");
                Assert.Equal(0, problem.FixedEffectRank);
            }
            // 17 year levels span the regions. Each column D'z_h sums to zero over the years (states are nested in regions)
            // and the columns of one residual vector sum to zero over the regions (it is orthogonal to the year dummies):
            // rank 16 for the 18 columns of WCR (ü₀ and m per region), 8 for the 9 columns of WCU.
            else Assert.Equal(type == WildType.Restricted ? 16 : 8, problem.FixedEffectRank);
            var reference = Reference(twoWay, j, problem.Fit.SmallSampleFactor);
            foreach (double r in new[] { 0.0, 0.5 * problem.Estimate, problem.Estimate + 2 * problem.StdError })
            {
                var result = WildBootstrap.Run(Produc, formula, ByRegion, Terms[j], new WildOptions { Null = r, Type = type, Replications = 9999 });
                Assert.True(result.Enumerated);
                Assert.Equal(512, result.Draws);
                var (t, stars) = reference.Run(r, type, AllSigns(9));
                // The observed t is the analytic cluster t of the fit, and the slow refit's t.
                Close(problem.Fit[Terms[j]].Estimate - r, result.Statistic * problem.Fit[Terms[j]].StdError, 1e-10, $"{Terms[j]} t·SE");
                Close(t, result.Statistic, 1e-9, $"{Terms[j]} t");
                var draws = problem.Enumerate(0, 512);
                for (int b = 0; b < 512; b++) CloseT(stars[b], problem.Statistic(draws, b, r), $"{Terms[j]} r={r} t*[{b}]");
                var (count, closest) = WildReference.Exceedances(t, stars);
                Assert.True(closest > 1e-6, $"a draw lies within {closest:g3} of |t|: the comparison would be fragile");
                Assert.Equal(count / 512.0, result.PValue, 1e-12);
                Assert.Equal(count, (int)Math.Round(result.PValue * 512));
            }
        }
    }

    [Fact]
    public void Produc_Wcr_TiesAreTheTwoConstantSignVectors()
    {
        var problem = WildBootstrap.Prepare(Produc, Formula.Parse(OneWay), ByRegion, "unemp");
        var draws = problem.Enumerate(0, 512);
        double t = problem.Statistic(0);
        var ties = Enumerable.Range(0, 512).Where(b => Math.Abs(problem.Statistic(draws, b, 0)) == Math.Abs(t)).ToArray();
        Assert.Equal([0, 511], ties);
    }

    [Theory]
    [InlineData(WildWeights.Webb, WildType.Restricted)]
    [InlineData(WildWeights.Mammen, WildType.Restricted)]
    [InlineData(WildWeights.Webb, WildType.Unrestricted)]
    [InlineData(WildWeights.Mammen, WildType.Unrestricted)]
    [InlineData(WildWeights.Rademacher, WildType.Restricted)]
    public void Produc_RandomDraws_MatchRefitPerDraw_OnTheSameStreams(WildWeights weights, WildType type)
    {
        const int b = 199;
        var formula = Formula.Parse(TwoWay);
        var problem = WildBootstrap.Prepare(Produc, formula, ByRegion, "unemp", type);
        var reference = Reference(true, 3, problem.Fit.SmallSampleFactor);
        var draws = problem.Draw(weights, 42, "spec-7", 0, b);
        var (t, stars) = reference.Run(0, type, Enumerable.Range(0, b).Select(i => WildBootstrap.DrawWeights(weights, 9, 42, "spec-7", i)));
        for (int i = 0; i < b; i++) CloseT(stars[i], problem.Statistic(draws, i, 0), $"t*[{i}]");
        var (count, closest) = WildReference.Exceedances(t, stars);
        Assert.True(closest > 1e-6);
        Close(t, problem.Statistic(0), 1e-9, "t");
        Assert.Equal(count / (double)b, problem.PValue(draws, 0), 1e-12);
        var result = WildBootstrap.Run(Produc, formula, ByRegion, "unemp", new WildOptions { Weights = weights, Type = type, Replications = b, Seed = 42, Key = "spec-7" });
        Assert.False(result.Enumerated);
        Assert.Equal(count / (double)b, result.PValue, 1e-12);
    }

    [Fact]
    public void Weights_HaveTheDocumentedSupport()
    {
        var webb = Enumerable.Range(0, 200).SelectMany(i => WildBootstrap.DrawWeights(WildWeights.Webb, 50, 1, "k", i)).ToArray();
        Assert.Equal(new[] { -Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5) }, webb.Distinct().Order());
        Assert.InRange(webb.Average(), -0.03, 0.03);
        Assert.InRange(webb.Select(v => v * v).Average(), 0.97, 1.03);
        var mammen = Enumerable.Range(0, 200).SelectMany(i => WildBootstrap.DrawWeights(WildWeights.Mammen, 50, 1, "k", i)).ToArray();
        Assert.Equal(new[] { -(Math.Sqrt(5) - 1) / 2, (Math.Sqrt(5) + 1) / 2 }, mammen.Distinct().Order());
        Assert.InRange(mammen.Average(), -0.05, 0.05);
        var rad = Enumerable.Range(0, 200).SelectMany(i => WildBootstrap.DrawWeights(WildWeights.Rademacher, 70, 1, "k", i)).ToArray();
        Assert.Equal(new[] { -1.0, 1.0 }, rad.Distinct().Order());
        Assert.InRange(rad.Average(), -0.03, 0.03);
    }

    [Theory]
    [InlineData(WildType.Restricted, WildPValue.Symmetric)]
    [InlineData(WildType.Restricted, WildPValue.EqualTailed)]
    [InlineData(WildType.Unrestricted, WildPValue.Symmetric)]
    public void ConfidenceInterval_PValueAtEachLimit_IsOneMinusLevel(WildType type, WildPValue kind)
    {
        const int b = 999;
        var problem = WildBootstrap.Prepare(Produc, Formula.Parse(TwoWay), ByRegion, "log(pc)", type);
        var draws = problem.Draw(WildWeights.Webb, 3, "ci", 0, b);
        var (lo, hi) = problem.ConfidenceInterval(draws, 0.95, kind, 1e-9);
        Assert.True(lo < problem.Estimate && problem.Estimate < hi, $"[{lo}, {hi}] around {problem.Estimate}");
        double step = 2e-9 * problem.StdError;
        foreach (var (inside, outside) in new[] { (lo, lo - step), (hi, hi + step) })
        {
            double pin = problem.PValue(draws, inside, kind), pout = problem.PValue(draws, outside, kind);
            Assert.True(pin > 0.05 && pout <= 0.05, $"p({inside}) = {pin}, p({outside}) = {pout}");
            // The p-value is a step function with steps of 1/B (2/B for the equal-tailed one): at the limit it is 1 − level within a step.
            Assert.InRange(pin, 0.05, 0.05 + 2.0 / b + 1e-12);
        }
        // The slow refit agrees on both sides of each limit (well away from the bisection tolerance).
        var reference = Reference(true, 1, problem.Fit.SmallSampleFactor);
        var weights = Enumerable.Range(0, b).Select(i => WildBootstrap.DrawWeights(WildWeights.Webb, 9, 3, "ci", i)).ToList();
        double away = 1e-6 * problem.StdError;
        foreach (var (inside, outside) in new[] { (lo + away, lo - away), (hi - away, hi + away) })
        {
            if (kind != WildPValue.Symmetric) break;
            var (tIn, sIn) = reference.Run(inside, type, weights);
            var (tOut, sOut) = reference.Run(outside, type, weights);
            Assert.True(WildReference.Exceedances(tIn, sIn).Count / (double)b > 0.05);
            Assert.True(WildReference.Exceedances(tOut, sOut).Count / (double)b <= 0.05);
        }
    }

    [Fact]
    public void ConfidenceInterval_ProducEnumeration_MatchesTheSlowPValues()
    {
        var problem = WildBootstrap.Prepare(Produc, Formula.Parse(OneWay), ByRegion, "unemp");
        var result = problem.Summarise(problem.Enumerate(0, 512), 0, 0.95, WildPValue.Symmetric, true, WildWeights.Rademacher, 0);
        Assert.True(double.IsFinite(result.ConfLow) && double.IsFinite(result.ConfHigh));
        var reference = Reference(false, 3, problem.Fit.SmallSampleFactor);
        double away = 1e-6 * problem.StdError;
        foreach (var (inside, outside) in new[] { (result.ConfLow + away, result.ConfLow - away), (result.ConfHigh - away, result.ConfHigh + away) })
        {
            var (tIn, sIn) = reference.Run(inside, WildType.Restricted, AllSigns(9));
            var (tOut, sOut) = reference.Run(outside, WildType.Restricted, AllSigns(9));
            Assert.True(WildReference.Exceedances(tIn, sIn).Count / 512.0 > 0.05);
            Assert.True(WildReference.Exceedances(tOut, sOut).Count / 512.0 <= 0.05);
        }
    }

    [Fact]
    public void Draws_InOneBlockOrBlocksOf97_AreIdentical()
    {
        var problem = WildBootstrap.Prepare(Produc, Formula.Parse(TwoWay), ByRegion, "unemp");
        foreach (var weights in new[] { WildWeights.Rademacher, WildWeights.Webb, WildWeights.Mammen })
        {
            var whole = problem.Draw(weights, 11, "wild", 0, 999);
            var blocks = new List<WildDraws>();
            for (int first = 0; first < 999; first += 97) blocks.Add(problem.Draw(weights, 11, "wild", first, Math.Min(97, 999 - first)));
            blocks.Reverse(); // merged in any order
            var joined = WildDraws.Concat(blocks);
            Assert.Equal(whole.N0, joined.N0);
            Assert.Equal(whole.N1, joined.N1);
            Assert.Equal(whole.Q00, joined.Q00);
            Assert.Equal(whole.Q01, joined.Q01);
            Assert.Equal(whole.Q11, joined.Q11);
            Assert.Equal(problem.PValue(whole, 0), problem.PValue(joined, 0));
            Assert.Equal(problem.ConfidenceInterval(whole, 0.95), problem.ConfidenceInterval(joined, 0.95));
            Assert.NotEqual(whole.N0, problem.Draw(weights, 12, "wild", 0, 999).N0);
        }
        var enumerated = problem.Enumerate(0, 512);
        var parts = WildDraws.Concat(Enumerable.Range(0, 6).Select(i => problem.Enumerate(i * 97, Math.Min(97, 512 - i * 97))));
        Assert.Equal(enumerated.Q00, parts.Q00);
        Assert.Throws<ArgumentException>(() => WildDraws.Concat([problem.Enumerate(0, 10), problem.Enumerate(11, 10)]));
    }

    /// <summary>
    /// G = 3 clusters of two rows, pooled OLS y = a + b·x, H0: b = 0, WCR. By hand: ü = y − ȳ; for each of the 8 sign
    /// vectors y* = ȳ + ü∘v, b* = Σ(x − x̄)y*/Sxx, u* = y* − ȳ* − b*(x − x̄), s_g = Σ_g (x − x̄)u*, V = f·Σ s_g²/Sxx² with
    /// f = G/(G−1)·(N−1)/(N−K) = 3/2·5/4 (K = 2). Here t = −1.7987 and t* = ±1.7987 (the constant vectors, ties),
    /// ±2.8244, ±3.6823, ±0.9743: four of eight exceed |t|, p = 0.5 (checked outside the code with a few lines of Python).
    /// The interval's limits are checked against the same hand formulas with the null b = r imposed.
    /// </summary>
    [Fact]
    public void ThreeClusters_EnumeratedByHand()
    {
        double[] x = [1, 2, 3, 4, 5, 6], y = [4, 4, 6, 4, 2, 1];
        int[] g = [0, 0, 1, 1, 2, 2];
        string csv = "id,t,x,y\n" + string.Join("\n", Enumerable.Range(0, 6).Select(i => $"{"ABC"[g[i]]},{i % 2 + 1},{x[i]},{y[i]}"));
        var panel = Panel.Create(CsvReader.Read(new StringReader(csv), "tiny.csv"), "id", "t");
        double xb = 3.5, sxx = 17.5, yb = y.Average(), f = 1.5 * 1.25;
        double T(double[] ys, double r = 0)
        {
            double b = Enumerable.Range(0, 6).Sum(i => (x[i] - xb) * ys[i]) / sxx, ysb = ys.Average();
            var s = new double[3];
            for (int i = 0; i < 6; i++) s[g[i]] += (x[i] - xb) * (ys[i] - ysb - b * (x[i] - xb));
            return (b - r) / Math.Sqrt(f * s.Sum(z => z * z) / (sxx * sxx));
        }
        // H0: b = r imposed: ü = y − ȳ − r(x − x̄), y* = ȳ + r(x − x̄) + ü∘v.
        double HandP(double r)
        {
            double tr = T(y, r);
            int count = 0;
            for (int b = 0; b < 8; b++)
            {
                var ys = Enumerable.Range(0, 6).Select(i => yb + r * (x[i] - xb) + (y[i] - yb - r * (x[i] - xb)) * (((b >> g[i]) & 1) == 1 ? -1 : 1)).ToArray();
                if (Math.Abs(T(ys, r)) > Math.Abs(tr) * (1 + 1e-9)) count++;
            }
            return count / 8.0;
        }
        double t = T(y);
        Close(-1.798691825231197, t, 1e-12, "t by hand");
        var hand = Enumerable.Range(0, 8).Select(b => T(Enumerable.Range(0, 6).Select(i => yb + (y[i] - yb) * (((b >> g[i]) & 1) == 1 ? -1 : 1)).ToArray())).ToArray();
        // Sign vector b: cluster h gets −1 when bit h of b is set (b = 0 is all +1, b = 7 all −1).
        double[] expected = [-1.7987, -0.9743, -3.6823, -2.8244, 2.8244, 3.6823, 0.9743, 1.7987];
        for (int b = 0; b < 8; b++) Assert.Equal(expected[b], hand[b], 4);

        var problem = WildBootstrap.Prepare(panel, Formula.Parse("y ~ x"), new EstimationOptions { Vcov = VcovSpec.Cluster("id") }, "x");
        Close(f, problem.Fit.SmallSampleFactor, 1e-14, "factor");
        Close(t, problem.Statistic(0), 1e-12, "t");
        var draws = problem.Enumerate(0, 8);
        for (int b = 0; b < 8; b++) Close(hand[b], problem.Statistic(draws, b, 0), 1e-12, $"t*[{b}]");
        var result = WildBootstrap.Run(panel, Formula.Parse("y ~ x"), new EstimationOptions { Vcov = VcovSpec.Cluster("id") }, "x", new WildOptions { Replications = 8 });
        Assert.True(result.Enumerated);
        Assert.Equal(8, result.Draws);
        Assert.Equal(0.5, result.PValue);
        // The ties ±1 never count, so far enough from the estimate p reaches 0 and the interval is finite; its limits are
        // where the hand p-value drops to 0.05 or below (p takes the values k/8).
        Assert.True(double.IsFinite(result.ConfLow) && double.IsFinite(result.ConfHigh));
        foreach (var (inside, outside) in new[] { (result.ConfLow + 1e-6, result.ConfLow - 1e-6), (result.ConfHigh - 1e-6, result.ConfHigh + 1e-6) })
        {
            Assert.True(HandP(inside) > 0.05, $"p({inside}) = {HandP(inside)}");
            Assert.True(HandP(outside) <= 0.05, $"p({outside}) = {HandP(outside)}");
        }
        Assert.Equal(0.5, HandP(0));
        // One-sided and equal-tailed: t* < t for −3.6823 and −2.8244 (2 of 8), t* > t for 5 (the tie −1.7987 is neither).
        Assert.Equal(2 / 8.0, problem.PValue(draws, 0, WildPValue.Lower));
        Assert.Equal(5 / 8.0, problem.PValue(draws, 0, WildPValue.Upper));
        Assert.Equal(4 / 8.0, problem.PValue(draws, 0, WildPValue.EqualTailed));
    }

    [Fact]
    public void Prepare_RefusesWhatItCannotDo()
    {
        var f = Formula.Parse(OneWay);
        Assert.Contains("cluster:COL", Assert.Throws<InputException>(() => WildBootstrap.Prepare(Produc, f, new EstimationOptions { Vcov = VcovSpec.Hc1 }, "unemp")).Message, StringComparison.Ordinal);
        Assert.Contains("one-way", Assert.Throws<InputException>(() => WildBootstrap.Prepare(Produc, f, new EstimationOptions { Vcov = VcovSpec.Cluster("region", "year") }, "unemp")).Message, StringComparison.Ordinal);
        Assert.Contains("'hwy' is not a coefficient", Assert.Throws<InputException>(() => WildBootstrap.Prepare(Produc, f, ByRegion, "hwy")).Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => WildBootstrap.Run(Produc, f, ByRegion, "unemp", new WildOptions { Replications = 0 }));
    }
}
