using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using Xunit;

namespace DigitalEconomy.Core.Tests.Indices;

/// <summary>The per-period slices of the regional-gap analyses, checked against hand derivations on a 2 groups × 2 units × 2 periods panel.</summary>
public class RegionalGapsTests
{
    // y: period 1 A{1, 3} B{4, 4}; period 2 A{2, 5} B{3, 6}; b2 has no group in period 2 (left out there). w weights a2 three times; c3 is c2 with b1's period-2 value out of [0, 1].
    private static Panel Tiny() => Panel.Create(CsvReader.Read(new StringReader("""
        u,t,g,y,w,c1,c2,c3
        a1,1,A,1,1,0.2,0.8,0.8
        a2,1,A,3,3,0.5,0.5,0.5
        b1,1,B,4,1,0.4,0.4,0.4
        b2,1,B,4,1,0.1,0.9,0.9
        a1,2,A,2,1,0.3,0.6,0.6
        a2,2,A,5,3,0.6,0.6,0.6
        b1,2,B,3,1,0.5,0.4,1.2
        b2,2,,6,1,0.2,0.9,0.9
        """), "tiny.csv"), "u", "t");

    [Fact]
    public void Means_AreGroupMeansPerPeriod_WeightedWhenAsked()
    {
        var m = RegionalGaps.Means(Tiny(), "y", "g");
        Assert.Equal([(1L, "A", 2, 2.0), (1L, "B", 2, 4.0), (2L, "A", 2, 3.5), (2L, "B", 1, 3.0)], m.Select(x => (x.Period, x.Group, x.N, x.Mean)));
        var w = RegionalGaps.Means(Tiny(), "y", "g", "w");
        Assert.Equal((1 * 1 + 3 * 3) / 4.0, w[0].Mean, 1e-15);
        Assert.Equal((1 * 2 + 3 * 5) / 4.0, w[2].Mean, 1e-15);
        // With a name for the whole period: one more row per period, after the groups.
        var all = RegionalGaps.Means(Tiny(), "y", "g", "w", "*");
        Assert.Equal((1L, "*", 4, (1 + 9 + 4 + 4) / 6.0), (all[2].Period, all[2].Group, all[2].N, all[2].Mean));
        Assert.Equal((2L, "*", 3), (all[5].Period, all[5].Group, all[5].N));
    }

    [Fact]
    public void Disparities_OfPeriodOne_EqualTheTextbookFormulas()
    {
        var p = RegionalGaps.Disparities(Tiny(), "y", "g")[0];
        Assert.Equal((1L, 4, 3.0), (p.Period, p.N, p.Mean));
        // T = (1/n) Σ (y/μ) ln(y/μ); between = Σ S_g ln(S_g/W_g) with S = (4/12, 8/12), W = (1/2, 1/2).
        Assert.Equal(0.25 * ((1 / 3.0) * Math.Log(1 / 3.0) + 2 * (4 / 3.0) * Math.Log(4 / 3.0)), p.Theil.Total, 1e-15);
        Assert.Equal((1 / 3.0) * Math.Log(2 / 3.0) + (2 / 3.0) * Math.Log(4 / 3.0), p.Theil.Between, 1e-15);
        // sd of ln y (population) and G = ΣΣ|Δ| / (2n²μ) = 20/96.
        double[] l = [0, Math.Log(3), Math.Log(4), Math.Log(4)];
        Assert.Equal(Math.Sqrt(l.Sum(v => (v - l.Average()) * (v - l.Average())) / 4), p.SdLog, 1e-15);
        Assert.Equal(20 / 96.0, p.Dagum.Total, 1e-15);
        // Period 2 leaves out b2 (no group): three values {2, 5, 3}.
        Assert.Equal(3, RegionalGaps.Disparities(Tiny(), "y", "g")[1].N);
    }

    [Fact]
    public void Coupling_AveragesCTD_ByGroupAndOverAll_WithTheGradeOfTheMeanD()
    {
        var rows = RegionalGaps.Coupling(Tiny(), ["c1", "c2"], "g", null, "All").Where(r => r.Period == 1).ToList();
        Assert.Equal(["A", "B", "All"], rows.Select(r => r.Group));
        // a1: C = 2√0.16 / 1 = 0.8, T = 0.5, D = √0.4; a2: C = 1, T = 0.5, D = √0.5.
        Assert.Equal(0.9, rows[0].Coupling, 1e-15);
        Assert.Equal(0.5, rows[0].Development, 1e-15);
        Assert.Equal((Math.Sqrt(0.4) + Math.Sqrt(0.5)) / 2, rows[0].Coordination, 1e-15);
        Assert.Equal(("primary coordination", "初级协调"), (rows[0].Grade, rows[0].GradeZh));
        Assert.Equal(4, rows[2].N);
    }

    [Fact]
    public void Coupling_OutsideZeroOne_NamesTheObservation()
    {
        var e = Assert.Throws<InputException>(() => RegionalGaps.Coupling(Tiny(), ["c1", "c3"], "g"));
        Assert.Contains("b1", e.Message, StringComparison.Ordinal);
        Assert.Contains("1.2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "extreme imbalance", "极度失调")]
    [InlineData(0.0999, "extreme imbalance", "极度失调")]
    [InlineData(0.1, "severe imbalance", "严重失调")]
    [InlineData(0.55, "barely coordinated", "勉强协调")]
    [InlineData(0.9, "high-quality coordination", "优质协调")]
    [InlineData(1.0, "high-quality coordination", "优质协调")]
    public void Grade_IsTheBandOfWidthOneTenth(double d, string en, string zh) => Assert.Equal((en, zh), Disparity.Grade(d));

    [Fact]
    public void Grade_OutsideZeroOne_IsRefused() => Assert.Throws<InputException>(() => Disparity.Grade(1.5));
}
