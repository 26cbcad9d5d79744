using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

public class ExtrapolationTests
{
    // A: observed 2012 (100) and 2014 (121), 2013 interior, 2011 before and 2015–2016 after the span.
    // B: a single observation (nothing to extrapolate from). C: a non-positive end (no growth rate).
    private static readonly Panel Q = Panel.Create(CsvReader.Read(new StringReader(
        "u,t,x\nA,2011,\nA,2012,100\nA,2013,\nA,2014,121\nA,2015,\nA,2016,\nB,2011,5\nB,2012,\nC,2011,-1\nC,2012,2\nC,2013,\n"), "q.csv"), "u", "t");

    [Fact]
    public void Growth_ContinuesTheCompoundAverageRate_AtBothEnds_ByHand()
    {
        // g = (121 / 100)^(1/2) − 1 = 0.1: 2015 = 121·1.1 = 133.1, 2016 = 121·1.1² = 146.41, 2011 = 100 / 1.1.
        var v = PanelTransforms.Interpolate(Q, Q.Frame["x"].Values!, out var fills, Extrapolation.Growth);
        Assert.Equal(100 / 1.1, v[0], 12);
        Assert.Equal(110.5, v[2]); // interior: linear, (100 + 121) / 2
        Assert.Equal(133.1, v[4], 12);
        Assert.Equal(146.41, v[5], 12);
        Assert.True(double.IsNaN(v[7]));  // B: one observation
        Assert.True(double.IsNaN(v[10])); // C: first value −1, no growth rate
        Assert.Equal(["extrapolated growth", "interpolated", "extrapolated growth", "extrapolated growth"], fills.Select(f => f.Method));
        Assert.Equal([2011L, 2013, 2015, 2016], fills.Select(f => f.Time));
    }

    [Fact]
    public void Linear_ExtendsTheNearestTwoObservations_AndSaysSo()
    {
        var v = PanelTransforms.Interpolate(Q, Q.Frame["x"].Values!, out var fills, Extrapolation.Linear);
        Assert.Equal([89.5, 100, 110.5, 121, 131.5, 142, 5, double.NaN, -1, 2, 5], v);
        Assert.Equal(["extrapolated linear", "interpolated", "extrapolated linear", "extrapolated linear", "extrapolated linear"], fills.Select(f => f.Method));
    }

    [Fact]
    public void None_FillsInteriorGapsOnly()
    {
        var v = PanelTransforms.Interpolate(Q, Q.Frame["x"].Values!, out var fills, Extrapolation.None);
        Assert.Equal(110.5, v[2]);
        Assert.Equal("interpolated", Assert.Single(fills).Method);
        Assert.True(double.IsNaN(v[4]));
    }
}
