using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DigitalEconomy.Core.Tests.Indices;

public class DisparityTests
{
    private static readonly double[] Y = [1, 3, 2, 6];
    private static readonly string[] G = ["A", "A", "B", "B"];

    [Fact]
    public void Dagum_HandWorkedCase()
    {
        // Worked by hand: μ = 3; Σ|yi − yr| over ordered pairs = 32, G = 32/(2·16·3) = 1/3.
        // Within: G_AA = 4/(2·4·2) = 1/4 (p = 1/2, s = 1/3), G_BB = 8/(2·4·4) = 1/4 (p = 1/2, s = 2/3) → G_w = 1/8.
        // Between: G_BA = 10/(2·2·6) = 5/12, weight p_B s_A + p_A s_B = 1/2; d = 9/4, p = 1/4, D = 0.8
        // → G_nb = 5/24 · 0.8 = 1/6, G_t = 5/24 · 0.2 = 1/24.
        var r = Disparity.Dagum(Y, G);
        Assert.Equal(1.0 / 3, r.Total, 15);
        Assert.Equal(1.0 / 8, r.Within, 15);
        Assert.Equal(1.0 / 6, r.NetBetween, 15);
        Assert.Equal(1.0 / 24, r.Transvariation, 15);
        Assert.Equal(0.25, r.WithinGini["A"], 15);
        Assert.Equal(5.0 / 12, r.BetweenGini["B|A"], 15);
    }

    [Fact]
    public void Theil_HandWorkedCase()
    {
        // T = (1/4) Σ (y/3) ln(y/3) = (1/4)[(1/3)ln(1/3) + 0 + (2/3)ln(2/3) + 2 ln 2].
        double expected = 0.25 * (Math.Log(1.0 / 3) / 3 + 2.0 / 3 * Math.Log(2.0 / 3) + 2 * Math.Log(2));
        var r = Disparity.Theil(Y, G);
        Assert.Equal(expected, r.Total, 14);
        // Between: S_A = 4/12, S_B = 8/12, W = 1/2 each.
        Assert.Equal(1.0 / 3 * Math.Log(2.0 / 3) + 2.0 / 3 * Math.Log(4.0 / 3), r.Between, 14);
    }

    [Fact]
    public void Decompositions_SumToTotal_OnRandomData()
    {
        var gen = Gen.ArrayOf(Gen.Choose(1, 100000), 24).Zip(Gen.ArrayOf(Gen.Choose(0, 3), 24)).Zip(Gen.ArrayOf(Gen.Choose(1, 1000), 24));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Arb.From(gen), t =>
        {
            var ((vals, grp), pop) = t;
            var y = vals.Select(v => v / 100.0).ToArray();
            var g = grp.Select(x => "g" + x.ToString(CultureInfo.InvariantCulture)).ToArray();
            var w = pop.Select(p => (double)p).ToArray();
            var theil = Disparity.Theil(y, g, w);
            var dagum = Disparity.Dagum(y, g);
            return Math.Abs(theil.Within + theil.Between - theil.Total) <= 1e-12 * Math.Max(1, theil.Total)
                && Math.Abs(dagum.Within + dagum.NetBetween + dagum.Transvariation - dagum.Total) <= 1e-12;
        }));
    }

    [Fact]
    public void Theil_NonPositiveValue_NamesIt()
    {
        var e = Assert.Throws<InputException>(() => Disparity.Theil([1.0, 0.0], ["a", "b"], labels: ["Beijing", "Tianjin"]));
        Assert.Equal("Theil index: value 0 of Tianjin is not positive (the index takes logs)", e.Message);
    }

    [Fact]
    public void CoefficientOfVariation_Population()
    {
        // μ = 3, population variance = (4 + 0 + 1 + 9)/4 = 3.5.
        Assert.Equal(Math.Sqrt(3.5) / 3, Disparity.CoefficientOfVariation(Y), 15);
    }

    [Theory]
    [InlineData(0.5, 0.5, 1.0, 0.5, "intermediate coordination", "中级协调")]
    [InlineData(0.2, 0.8, 0.8, 0.5, "primary coordination", "初级协调")]
    [InlineData(0.001, 0.004, 0.8, 0.0025, "extreme imbalance", "极度失调")]
    [InlineData(0.01, 0.04, 0.8, 0.025, "severe imbalance", "严重失调")]
    public void Coupling_TwoSubsystems(double u1, double u2, double c, double t, string grade, string gradeZh)
    {
        var r = Disparity.Coupling([u1, u2]);
        Assert.Equal(c, r.Coupling, 12);
        Assert.Equal(t, r.Development, 12);
        Assert.Equal(Math.Sqrt(c * t), r.Coordination, 12);
        Assert.Equal(grade, r.Grade);
        Assert.Equal(gradeZh, r.GradeZh);
    }

    [Fact]
    public void SigmaAndBetaConvergence_OnAnExactProcess()
    {
        // ln y_t = 0.1 + 0.8 ln y_{t−1} for three units: growth = 0.1 − 0.2 ln y_{t−1}, β = −0.2, λ = −ln 0.8.
        var rows = new List<string> { "u,t,y" };
        foreach (var (u, start) in new[] { ("a", 0.2), ("b", 1.5), ("c", 3.0) })
        {
            double ly = start;
            for (int t = 1; t <= 6; t++) { rows.Add(string.Create(CultureInfo.InvariantCulture, $"{u},{t},{Math.Exp(ly):R}")); ly = 0.1 + 0.8 * ly; }
        }
        var panel = Panel.Create(CsvReader.Read(new StringReader(string.Join("\n", rows)), "c.csv"), "u", "t");
        var beta = Disparity.Beta(panel, "y");
        Assert.Equal(-0.2, beta.Beta, 10);
        Assert.Equal(-Math.Log(0.8), beta.Speed, 10);
        var sigma = Disparity.SigmaConvergence(panel, panel.Frame.Numeric("y"));
        // sd of ln y shrinks by the factor 0.8 each period.
        for (int t = 1; t < sigma.Count; t++) Assert.Equal(0.8, sigma[t].SdLog / sigma[t - 1].SdLog, 10);
        double m = (0.2 + 1.5 + 3.0) / 3;
        Assert.Equal(Math.Sqrt((Math.Pow(0.2 - m, 2) + Math.Pow(1.5 - m, 2) + Math.Pow(3.0 - m, 2)) / 3), sigma[0].SdLog, 12);
    }
}
