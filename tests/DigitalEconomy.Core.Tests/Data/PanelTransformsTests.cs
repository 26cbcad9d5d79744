using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

public class PanelTransformsTests
{
    // Unit A observed 2001, 2002, 2004 (gap at 2003) and 2005; unit B 2001-2003; rows deliberately unsorted.
    private static readonly Panel P = Panel.Create(CsvReader.Read(new StringReader(
        "u,t,x\nB,2002,20\nA,2001,1\nA,2004,4\nA,2002,2\nB,2001,10\nA,2005,\nB,2003,30\n"), "p.csv"), "u", "t");

    [Fact]
    public void Create_SortsByUnitAndTime_AndDetectsUnbalance()
    {
        Assert.Equal(["A", "B"], P.UnitLabels);
        Assert.Equal([2001L, 2002, 2004, 2005, 2001, 2002, 2003], P.Time);
        Assert.False(P.IsBalanced);
    }

    [Fact]
    public void Create_NumericIdsSortNumerically_RowsStableWithinTime()
    {
        // Ids 10, 9, 100 sort as numbers (9, 10, 100), not as texts; unit 9's rows come in time order, file order kept.
        var p = Panel.Create(CsvReader.Read(new StringReader("id,t,x\n10,2,1\n9,3,2\n100,1,3\n9,1,4\n10,1,5\n"), "n.csv"), "id", "t");
        Assert.Equal(["9", "10", "100"], p.UnitLabels);
        Assert.Equal([0, 0, 1, 1, 2], p.UnitCode);
        Assert.Equal([1L, 3, 1, 2, 1], p.Time);
        Assert.Equal([4.0, 2, 5, 1, 3], p.Frame["x"].Values!);
        Assert.Equal([0, 2, 4, 5], p.UnitStart);
        Assert.Equal(5, p.Frame.LineOf(0)); // the row of 9 in period 1 is line 5 of the file
    }

    [Fact]
    public void Create_DataAlreadyInOrder_KeepsTheFrame()
    {
        var f = CsvReader.Read(new StringReader("u,t,x\nA,1,1\nA,2,2\nB,1,3\n"), "s.csv");
        var p = Panel.Create(f, "u", "t");
        Assert.Same(f, p.Frame);
        Assert.Equal([0, 2, 3], p.UnitStart);
    }

    [Fact]
    public void Lag_RespectsGapsWithinUnit()
    {
        var lag = PanelTransforms.Lag(P, P.Frame["x"].Values!);
        // A: 2001 none, 2002 ← 2001, 2004 ← (2003 missing) none, 2005 ← 2004; B: none, 10, 20.
        Assert.Equal([double.NaN, 1, double.NaN, 4, double.NaN, 10, 20], lag);
        var lead = PanelTransforms.Lag(P, P.Frame["x"].Values!, -1);
        Assert.Equal([2, double.NaN, double.NaN, double.NaN, 20, 30, double.NaN], lead);
        var lag2 = PanelTransforms.Lag(P, P.Frame["x"].Values!, 2);
        Assert.Equal([double.NaN, double.NaN, 2, double.NaN, double.NaN, double.NaN, 10], lag2);
    }

    [Fact]
    public void Interpolate_FillsInteriorOnly_AndReportsEveryFill()
    {
        var q = Panel.Create(CsvReader.Read(new StringReader("u,t,x\nA,1,1\nA,2,\nA,3,\nA,4,7\nA,5,\nB,1,\nB,2,5\n"), "q.csv"), "u", "t");
        var v = PanelTransforms.Interpolate(q, q.Frame["x"].Values!, out var fills);
        Assert.Equal([1, 3, 5, 7, double.NaN, double.NaN, 5], v);
        Assert.Equal([new FilledCell("A", 2, 3), new FilledCell("A", 3, 5)], fills);
        var e = PanelTransforms.Interpolate(q, q.Frame["x"].Values!, out var fills2, extrapolate: true);
        Assert.Equal(9, e[4]);
        Assert.Equal(3, fills2.Count);
    }

    [Fact]
    public void Winsorize_UsesStataPctile_PooledAndByPeriod()
    {
        // 1..100: p1 = average of 1st and 2nd order statistics (N·p = 1 is an integer) = 1.5; p99 = 99.5.
        var rows = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"{i},{2000 + i % 2},{i}"));
        var q = Panel.Create(CsvReader.Read(new StringReader("u,t,x\n" + rows), "w.csv"), "u", "t");
        var w = PanelTransforms.Winsorize(q, q.Frame["x"].Values!, 1, 99);
        Assert.Equal(1.5, w[0]);
        Assert.Equal(99.5, w[99]);
        Assert.Equal(50, w[49]);
        // By period: each year has 50 values; N·p = 0.5 is not an integer → the 1st order statistic.
        var wp = PanelTransforms.Winsorize(q, q.Frame["x"].Values!, 10, 90, WinsorScope.ByPeriod);
        // Odd values (year 2001): 1,3,...,99; N·0.1 = 5 → mean of 5th and 6th = (9+11)/2 = 10.
        Assert.Equal(10, wp[0]);
        Assert.Equal(90, wp[98]);
    }

    [Fact]
    public void Log_NonPositive_NamesUnitAndTime()
    {
        var q = Panel.Create(CsvReader.Read(new StringReader("u,t,x\nA,1,1\nA,2,-3\n"), "l.csv"), "u", "t");
        var e = Assert.Throws<InputException>(() => PanelTransforms.Log(q, q.Frame["x"].Values!, "x"));
        Assert.Equal("log(x): non-positive value -3 at u 'A', t 2 (line 3)", e.Message);
    }

    [Fact]
    public void Create_DuplicateUnitTime_IsAnError()
    {
        var e = Assert.Throws<InputException>(() => Panel.Create(CsvReader.Read(new StringReader("u,t,x\nA,1,1\nA,1,2\n"), "d.csv"), "u", "t"));
        Assert.Equal("d.csv: unit 'A' has more than one row for t = 1 (lines 2 and 3)", e.Message);
    }

    [Fact]
    public void FilterAndSplit()
    {
        var rows = RowFilter.Parse("t >= 2002 & u != B").Apply(P.Frame);
        Assert.Equal([1, 2, 3], rows);
        var parts = PanelTransforms.SplitBy(P, "u");
        Assert.Equal(["A", "B"], parts.Select(p => p.Level));
        Assert.Equal(3, parts[1].Panel.RowCount);
        Assert.Throws<InputException>(() => RowFilter.Parse("u = A"));
    }
}
