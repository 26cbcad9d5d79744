using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Resampling;

/// <summary>Specification-curve inference under the null against an independent refit-per-spec-per-draw implementation, and hand derivations of the statistics.</summary>
public class CurveInferenceTests
{
    private static readonly Panel Produc = LoadPanel("Produc.csv", "state", "year");
    private const long Seed = 20240613;
    private const int DrawCount = 20;

    /// <summary>8 specifications: controls {none, log(pc) + unemp} × FE {state, state + year} × lag {no, yes}; clustered by region.</summary>
    private static readonly (string Formula, bool Lag)[] Grid =
    [.. from controls in new[] { "", " + log(pc) + unemp" }
        from fe in new[] { "state", "state + year" }
        from lag in new[] { false, true }
        select ($"log(gsp) ~ {(lag ? "lag(log(pcap))" : "log(pcap)")}{controls} | {fe}", lag)];

    private static readonly EstimationOptions Options = new() { Vcov = VcovSpec.Cluster("region") };

    private static string Term(bool lag) => lag ? "lag(log(pcap))" : "log(pcap)";

    private static double Observed(int s) =>
        Estimation.Fit(Produc, Grid[s].Formula, Options).Coefficients.Single(c => c.Term == Term(Grid[s].Lag)).Estimate;

    private static List<CurveSpecification> Specs() =>
        [.. Grid.Select((g, s) => new CurveSpecification(new BatchModel(Formula.Parse(g.Formula), Options, Term(g.Lag)), Observed(s)))];

    /// <summary>
    /// The slow reference: the null outcome from the raw columns (logs and the lag by (state, year − 1) taken here),
    /// each draw's resample built row by row from the stream, and one Estimation.Fit per specification per draw.
    /// </summary>
    private static (double Estimate, double P)[][] Slow(long seed, int draws)
    {
        var f = Produc.Frame;
        string[] state = [.. Enumerable.Range(0, Produc.RowCount).Select(r => f["state"].TextAt(r)!)];
        double[] year = f.Numeric("year"), gsp = f.Numeric("gsp"), pcap = f.Numeric("pcap"), pc = f.Numeric("pc"), unemp = f.Numeric("unemp"), region = f.Numeric("region");
        var rowOf = Enumerable.Range(0, Produc.RowCount).ToDictionary(r => (state[r], year[r]));
        var b = Enumerable.Range(0, Grid.Length).Select(Observed).ToArray();
        var y0 = new double[Grid.Length][];
        for (int s = 0; s < Grid.Length; s++)
        {
            y0[s] = new double[Produc.RowCount];
            for (int r = 0; r < Produc.RowCount; r++)
            {
                double t = Grid[s].Lag ? (rowOf.TryGetValue((state[r], year[r] - 1), out int p) ? Math.Log(pcap[p]) : double.NaN) : Math.Log(pcap[r]);
                y0[s][r] = Math.Log(gsp[r]) - b[s] * t;
            }
        }
        // Units in the order of their first row (the panel is sorted by unit, then year); copies are labelled b1..bG as
        // the fast path labels them, so that the units (hence every sum over them) come in the same order.
        var units = state.Distinct().ToList();
        var family = CounterRng.Family(seed, "curve-null");
        var result = new (double, double)[draws][];
        for (int d = 0; d < draws; d++)
        {
            var rng = CounterRng.InFamily(family, d);
            var rows = new List<(string Label, int Row)>();
            for (int k = 0; k < units.Count; k++)
            {
                string u = units[rng.NextInt(units.Count)];
                rows.AddRange(Enumerable.Range(0, Produc.RowCount).Where(r => state[r] == u).Select(r => ("b" + (k + 1).ToString(CultureInfo.InvariantCulture), r)));
            }
            var cols = new List<Column>
            {
                Column.Text("state", [.. rows.Select(x => x.Label)]),
                Column.Numeric("year", [.. rows.Select(x => year[x.Row])]), Column.Numeric("gsp", [.. rows.Select(x => gsp[x.Row])]),
                Column.Numeric("pcap", [.. rows.Select(x => pcap[x.Row])]), Column.Numeric("pc", [.. rows.Select(x => pc[x.Row])]),
                Column.Numeric("unemp", [.. rows.Select(x => unemp[x.Row])]), Column.Numeric("region", [.. rows.Select(x => region[x.Row])]),
            };
            for (int s = 0; s < Grid.Length; s++) cols.Add(Column.Numeric($"y0_{s}", [.. rows.Select(x => y0[s][x.Row])]));
            var panel = Panel.Create(new DataFrame(cols), "state", "year");
            result[d] = new (double, double)[Grid.Length];
            for (int s = 0; s < Grid.Length; s++)
            {
                string formula = "y0_" + s.ToString(CultureInfo.InvariantCulture) + Grid[s].Formula["log(gsp)".Length..];
                var c = Estimation.Fit(panel, formula, Options).Coefficients.Single(x => x.Term == Term(Grid[s].Lag));
                result[d][s] = (c.Estimate, c.PValue);
            }
        }
        return result;
    }

    [Fact]
    public void NullDrawsEqualTheSlowRefitPerSpecificationPerDraw()
    {
        var specs = Specs();
        var (panel, models) = CurveInference.NullData(Produc, specs);
        var fast = CurveInference.Draws(panel, models, Seed, 0, DrawCount);
        var slow = Slow(Seed, DrawCount);
        int sign = CurveInference.DominantSign(specs.Select(s => s.Estimate));
        for (int d = 0; d < DrawCount; d++)
        {
            for (int s = 0; s < Grid.Length; s++)
            {
                Assert.Equal(slow[d][s].Estimate, fast[d][s].Estimate);
                Assert.Equal(slow[d][s].P, fast[d][s].PValue);
            }
            var a = CurveInference.Statistics([.. fast[d].Select(x => x.Estimate)], [.. fast[d].Select(x => x.PValue)], sign);
            var e = CurveInference.Statistics([.. slow[d].Select(x => x.Estimate)], [.. slow[d].Select(x => x.P)], sign);
            Assert.Equal(e, a);
            Assert.Equal(Grid.Length, a.Specifications);
        }
        // The null is imposed: the draws' estimates centre near zero while the observed ones are far from it.
        double meanNull = fast.SelectMany(r => r).Average(x => x.Estimate);
        Assert.True(Math.Abs(meanNull) < 0.5 * specs.Average(s => Math.Abs(s.Estimate)), $"mean null estimate {meanNull}");
    }

    [Fact]
    public void DrawsDoNotDependOnTheBlocks()
    {
        var specs = Specs();
        var (panel, models) = CurveInference.NullData(Produc, specs);
        var whole = CurveInference.Draws(panel, models, Seed, 0, DrawCount);
        // Spec blocks {0..2}, {3..7} (each with its own null panel) × draw blocks [0, 7), [7, 20).
        foreach (var block in new[] { specs.Take(3).ToList(), specs.Skip(3).ToList() })
        {
            int offset = specs.IndexOf(block[0]);
            var (p, m) = CurveInference.NullData(Produc, block);
            var parts = CurveInference.Draws(p, m, Seed, 0, 7).Concat(CurveInference.Draws(p, m, Seed, 7, DrawCount - 7)).ToArray();
            for (int d = 0; d < DrawCount; d++)
                for (int s = 0; s < block.Count; s++)
                    Assert.Equal(whole[d][offset + s], parts[d][s]);
        }
        // Another seed gives other draws.
        Assert.NotEqual(whole[0][0], CurveInference.Draws(panel, models, Seed + 1, 0, 1)[0][0]);
    }

    [Fact]
    public void StatisticsByHand()
    {
        // Median of {−0.2, 0.3, 0.5} = 0.3 → dominant sign +; significant and positive: only 0.5 (p = 0.01) → 1/3.
        // z: −Φ⁻¹(0.005) = 2.5758293035489004; −0.2 is against the dominant sign: Φ⁻¹(0.25) = −0.6744897501960817;
        // −Φ⁻¹(0.1) = 1.2815515655446004. Z = (2.5758293035489004 − 0.6744897501960817 + 1.2815515655446004) / √3.
        double[] est = [0.5, -0.2, 0.3, double.NaN], p = [0.01, 0.5, 0.2, 0.01];
        int sign = CurveInference.DominantSign(est);
        Assert.Equal(1, sign);
        var st = CurveInference.Statistics(est, p, sign);
        Assert.Equal(3, st.Specifications);
        Assert.Equal(0.3, st.Median);
        Assert.Equal(1 / 3.0, st.ShareSignificant);
        Close(3.182891118897419 / Math.Sqrt(3), st.AggregateZ, 1e-12, "Z");
        // A negative curve: the dominant sign is −, and its significant negatives count.
        double[] neg = [-0.5, -0.4, 0.1, -0.3];
        Assert.Equal(-1, CurveInference.DominantSign(neg));
        var sn = CurveInference.Statistics(neg, [0.01, 0.2, 0.01, 0.04], -1);
        Assert.Equal(-0.35, sn.Median, 15);
        Assert.Equal(0.5, sn.ShareSignificant);

        // p-values: draws with median (dominant direction) ≥ 0.3: 0.3 and 0.4 → 2/4; share ≥ 1/3: 1/3, 0.5 → 2/4; Z ≥ observed: one → 1/4.
        CurveStatistics[] draws =
        [
            new(0.1, 0.0, 0.2, 3), new(0.3, 1 / 3.0, 0.0, 3), new(-0.5, 0.5, 5.0, 3), new(0.4, 0.0, 1.0, 3), new(double.NaN, double.NaN, double.NaN, 0),
        ];
        var pv = CurveInference.PValues(st, sign, draws);
        Assert.Equal(new CurvePValues(0.5, 0.5, 0.25, 4), pv);
        // With the dominant sign −, a median of −0.5 is the extreme one.
        Assert.Equal(0.25, CurveInference.PValues(st with { Median = -0.3 }, -1, draws).Median);
    }
}
