using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

public class DataTablesTests
{
    [Fact]
    public void Descriptives_HandComputed_Markdown()
    {
        // v = 3,1,4,1,5,9,2,6 (+ one missing): N 8, mean 31/8 = 3.875, sd sqrt(52.875/7) = 2.74838, median (3+4)/2 = 3.5.
        var p = TestData.Tiny(("v", [3, 1, 4, 1, 5, 9, 2, 6, double.NaN]), ("w", [-1, -1, -1, -1, -1, -1, -1, -1, -1]));
        var t = DataTables.Descriptives(p, ["v", "w"], new DataTableOptions { Labels = new Dictionary<string, string> { ["v"] = "数字经济" } });
        string expected = """
            **Descriptive statistics**

            | Variable | N | Mean | SD | Min | P50 | Max |
            |:---|---:|---:|---:|---:|---:|---:|
            | 数字经济 | 8 | 3.875 | 2.748 | 1.000 | 3.500 | 9.000 |
            | w | 9 | -1.000 | 0.000 | -1.000 | -1.000 | -1.000 |

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, TableRenderer.Render(t, TableFormat.Markdown));
    }

    [Fact]
    public void Descriptives_Chinese_Headers()
    {
        var t = DataTables.Descriptives(TestData.Tiny(("v", [1, 2])), ["v"], new DataTableOptions { Language = TableLanguage.Zh });
        Assert.Equal("描述性统计\n变量,观测值,均值,标准差,最小值,中位数,最大值\nv,2,1.500,0.707,1.000,1.500,2.000\n", TableRenderer.Render(t, TableFormat.Csv));
    }

    [Fact]
    public void Correlations_LowerTriangleWithStarsFromHandP()
    {
        // x = 1..5, y = 1,2,4,3,5, z = 5,3,4,1,2: r(x,y) = 9/10, r(x,z) = -8/10, r(y,z) = -5/10.
        // t = r sqrt(3/(1 - r²)); for 3 df p = 1 - (2/π)(u/(1+u²) + atan u), u = |t|/√3:
        // p(x,y) = 0.0374 (**), p(x,z) = 0.1041 (none), p(y,z) = 0.3910 (none).
        var p = TestData.Tiny(("x", [1, 2, 3, 4, 5]), ("y", [1, 2, 4, 3, 5]), ("z", [5, 3, 4, 1, 2]));
        var t = DataTables.Correlations(p, ["x", "y", "z"]);
        var rows = t.Blocks[0].Rows;
        Assert.Equal(["(1) x", "(2) y", "(3) z"], rows.Select(r => r.Label));
        Assert.Equal(["1.000", "", ""], rows[0].Cells.Select(c => c.Text));
        Assert.Equal(["0.900**", "1.000", ""], rows[1].Cells.Select(c => c.Text));
        Assert.Equal(["-0.800", "-0.500", "1.000"], rows[2].Cells.Select(c => c.Text));
        Assert.Equal(0.03738607346849865, rows[1].Cells[0].PValue!.Value, 1e-10);
        Assert.Equal(0.10408803866182781, rows[2].Cells[0].PValue!.Value, 1e-10);
        Assert.Equal(0.3910022189557705, rows[2].Cells[1].PValue!.Value, 1e-10);
    }

    [Fact]
    public void Correlations_PairwiseComplete()
    {
        // the NaN row is dropped for (x,y) only: x = 1..4, y = 2,4,6,9 -> r computed on 4 rows.
        var p = TestData.Tiny(("x", [1, 2, 3, 4, 5]), ("y", [2, 4, 6, 9, double.NaN]));
        var (r, n) = DataTables.Pearson(p.Frame.Numeric("x"), p.Frame.Numeric("y"));
        Assert.Equal(4, n);
        // Sxy = 11.5, Sxx = 5, Syy = 26.75: r = 11.5 / sqrt(133.75)
        Assert.Equal(11.5 / Math.Sqrt(133.75), r, 1e-12);
    }
}
