using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using Xunit;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Issue 9: a huge cell, a non-PSD two-way clustered variance, file line numbers in messages.</summary>
public class HardeningTests
{
    private static Panel Simple(double bigX, double? y5 = null)
    {
        // y = 1 + 2x + e with e = (+1, −1, +1, −1, 0): the OLS fit is checked by hand below.
        var csv = "id,t,x,y\n" + string.Join("\n", new[]
        {
            "1,1,1,4", "1,2,2,4", "1,3,3,8", "1,4,4,8", $"1,5,{bigX.ToString("R", CultureInfo.InvariantCulture)},{(y5 ?? 1 + 2 * bigX).ToString("R", CultureInfo.InvariantCulture)}",
        }) + "\n";
        return Panel.Create(CsvReader.Read(new StringReader(csv), "small.csv"), "id", "t");
    }

    [Theory]
    [InlineData(1e155)]
    [InlineData(1e160)]
    [InlineData(1e200)]
    public void Fit_HugeRegressorValue_RefusesNamingTheCell(double big)
    {
        var e = Assert.Throws<InputException>(() => Estimation.Fit(Simple(big, 10), "y ~ x"));
        // Line 6 of the file (header is line 1), the unit and the period, and the term.
        Assert.Contains("small.csv: line 6", e.Message, StringComparison.Ordinal);
        Assert.Contains("id '1', t 5", e.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("collinear", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_LargeButSafeValue_IsEstimatedNotCalledCollinear()
    {
        // x = (1, 2, 3, 4, 1e40), y = (4, 4, 8, 8, 1 + 2e40). The far point has leverage 1 − O(1e-80): it pins
        // the slope at 2 (to about 1e-40), and the intercept is then the mean of y − 2x over the other four
        // rows, (2 + 0 + 2 + 0)/4 = 1. Every cross-product stays far below overflow, so nothing is collinear.
        var r = Estimation.Fit(Simple(1e40), "y ~ x");
        Assert.Equal(2.0, r["x"].Estimate, 1e-9);
        Assert.Equal(1.0, r["(Intercept)"].Estimate, 1e-6);
    }

    [Fact]
    public void Panel_EmptyTime_NamesTheFileLine()
    {
        // Rows are sorted by unit and time; the message must still give the line of the file.
        var csv = "id,t,y\n2,1,1\n1,2,1\n1,,3\n";
        var e = Assert.Throws<InputException>(() => Panel.Create(CsvReader.Read(new StringReader(csv), "d.csv"), "id", "t"));
        Assert.Contains("d.csv: line 4", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_Describe_GivesTheFileLine()
    {
        var csv = "id,t,y\n2,1,1\n1,2,1\n1,1,3\n";
        var p = Panel.Create(CsvReader.Read(new StringReader(csv), "d.csv"), "id", "t");
        // After sorting, row 0 is unit 1, t 1: line 4 of the file.
        Assert.Equal("id '1', t 1 (line 4)", p.Describe(0));
    }

    [Fact]
    public void CsvReader_SemicolonDelimited_NamesTheDelimiter()
    {
        var e = Assert.Throws<InputException>(() => CsvReader.Read(new StringReader("state;year;y\nA;1;2\n"), "semi.csv"));
        Assert.Contains("';'", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvReader_TabDelimited_IsRead()
    {
        var f = CsvReader.Read(new StringReader("state\tyear\ty\nA\t1\t2.5\n"), "tab.tsv");
        Assert.Equal(["state", "year", "y"], f.Columns.Select(c => c.Name));
        Assert.Equal(2.5, f.Numeric("y")[0]);
    }

    [Fact]
    public void CsvReader_Directory_SaysItIsADirectory()
    {
        var e = Assert.Throws<InputException>(() => CsvReader.ReadFile(Path.GetTempPath()));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowFilter_TripleEquals_IsASyntaxError()
    {
        var e = Assert.Throws<InputException>(() => RowFilter.Parse("region === East"));
        Assert.Contains("position", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The eigenvalue fix of Cameron, Gelbach &amp; Miller (2011, §2.3) for the two-way clustered variance
/// V = V_A + V_B − V_AB, checked on hand-derived 2×2 cases (no small-sample factor, bread = I, e = 1,
/// so every V is a sum of outer products of cluster score sums).
/// </summary>
public class TwoWayEigenFixTests
{
    // Four observations; cluster A = {1,2},{3,4}; cluster B = {1,3},{2,4}; A∩B = singletons.
    private static readonly int[] A = [0, 0, 1, 1];
    private static readonly int[] B = [0, 1, 0, 1];

    private static VcovOutput Compute(double[] s1, double[] s2)
    {
        var spec = VcovSpec.Cluster("a", "b") with { Convention = SmallSample.None };
        var input = new VcovInput(spec, 4, 2, 0, false, null, [A, B], ["a", "b"]);
        return VcovEngine.Compute(input, new double[,] { { 1, 0 }, { 0, 1 } }, [s1, s2], [1, 1, 1, 1], 0);
    }

    [Fact]
    public void NegativeEigenvalue_IsSetToZero_EigenvectorReconstruction()
    {
        // Unrotated scores x = (1,1), (−1,1), (−1,0), (1,0):
        //   V_A = (0,2)(0,2)' + 0 = diag(0,4); V_B = (0,1)(0,1)' + (0,1)(0,1)' = diag(0,2);
        //   V_AB = Σ x x' = diag(4,2); V = diag(−4, 4).
        // Rotate the scores by R = [[3/5, −4/5], [4/5, 3/5]]: V = R diag(−4,4) R' = [[1.12, −3.84], [−3.84, −1.12]],
        // eigenvalues −4 (vector r1 = (3/5, 4/5)) and 4 (r2 = (−4/5, 3/5)).
        // Fixed: 4 r2 r2' = [[2.56, −1.92], [−1.92, 1.44]].
        double[] s1 = [-0.2, -1.4, -0.6, 0.6];
        double[] s2 = [1.4, -0.2, -0.8, 0.8];
        var v = Compute(s1, s2);
        Assert.Equal(1, v.ZeroedEigenvalues);
        Assert.Equal(-4.0, v.MinEigenvalue, 1e-12);
        Assert.Equal(2.56, v.V[0, 0], 1e-12);
        Assert.Equal(-1.92, v.V[0, 1], 1e-12);
        Assert.Equal(-1.92, v.V[1, 0], 1e-12);
        Assert.Equal(1.44, v.V[1, 1], 1e-12);
    }

    [Fact]
    public void PsdMatrix_IsLeftUnchanged()
    {
        // x = (2,0), (0,1), (0,−1), (−1,0): V_A = (2,1)(2,1)' + (−1,−1)(−1,−1)' = [[5,3],[3,2]],
        // V_B = (2,−1)(2,−1)' + (−1,1)(−1,1)' = [[5,−3],[−3,2]], V_AB = diag(5,2); V = diag(5,2).
        var v = Compute([2, 0, 0, -1], [0, 1, -1, 0]);
        Assert.Equal(0, v.ZeroedEigenvalues);
        Assert.Equal(5.0, v.V[0, 0], 1e-14);
        Assert.Equal(0.0, v.V[0, 1], 1e-14);
        Assert.Equal(0.0, v.V[1, 0], 1e-14);
        Assert.Equal(2.0, v.V[1, 1], 1e-14);
    }
}
