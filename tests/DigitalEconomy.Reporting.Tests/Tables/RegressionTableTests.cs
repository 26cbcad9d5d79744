using System.Text;
using System.Text.Json;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>Tables of Produc fits (references in produc.json, produc_iv.json: R plm/AER, rounded by hand to 3 decimals).</summary>
public class RegressionTableTests
{
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly RegressionResult Pooled = Estimation.Fit(TestData.Produc, Rhs);
    private static readonly RegressionResult Fe = Estimation.Fit(TestData.Produc, Rhs + " | state");
    private static readonly RegressionTableOptions Panel = new() { UnitColumn = "state", TimeColumn = "year", R2 = R2Kind.Lsdv };

    [Fact]
    public void Markdown_PooledAndFe_MatchesReferencesRounded()
    {
        // pooled_ols: b (t) = 0.155 (9.036), 0.309 (30.100), 0.594 (43.203), -0.007 (-4.754), _cons 1.643 (28.536); R² 0.99259, adj 0.99256.
        // fe_oneway: -0.026 (-0.902, p 0.37: no star), 0.292 (11.625), 0.768 (25.527), -0.005 (-5.358);
        // _cons (xtreg) 2.352899/0.174813 = 13.4595; LSDV R² 0.99869, adj 0.99861; 48 states.
        var t = RegressionTable.Build([Pooled, Fe], Panel);
        string expected = """
            **Regression results**

            |  | (1) | (2) |
            |:---|---:|---:|
            | log(pcap) | 0.155\*\*\* | -0.026 |
            |  | (9.036) | (-0.902) |
            | log(pc) | 0.309\*\*\* | 0.292\*\*\* |
            |  | (30.100) | (11.625) |
            | log(emp) | 0.594\*\*\* | 0.768\*\*\* |
            |  | (43.203) | (25.527) |
            | unemp | -0.007\*\*\* | -0.005\*\*\* |
            |  | (-4.754) | (-5.358) |
            | Constant | 1.643\*\*\* | 2.353\*\*\* |
            |  | (28.536) | (13.460) |
            | Unit FE | NO | YES |
            | N | 816 | 816 |
            | R² (LSDV) | 0.993 | 0.999 |
            | Adj. R² (LSDV) | 0.993 | 0.999 |
            | Units |  | 48 |

            t statistics in parentheses (conventional standard errors); \* p\<0.1, \*\* p\<0.05, \*\*\* p\<0.01

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, TableRenderer.Render(t, TableFormat.Markdown));
    }

    [Fact]
    public void Build_EveryPrintedNumber_EqualsReferenceRoundedAndTIsBOverSe()
    {
        var refs = TestData.Ref("produc.json");
        var t = RegressionTable.Build([Pooled, Fe], Panel with { Stat = ParenthesisStat.Se });
        var rows = t.Blocks[0].Rows;
        foreach (var (key, col) in new[] { ("pooled_ols", 0), ("fe_oneway", 1) })
        {
            foreach (var c in refs.GetProperty(key).GetProperty("coefficients").EnumerateObject())
            {
                string term = c.Name == "(Intercept)" ? "_cons" : c.Name;
                var top = rows.Single(r => r.Key == term).Cells[col];
                var under = rows.Single(r => r.Key == term + ":se").Cells[col];
                double b = c.Value.GetProperty("estimate").GetDouble(), se = c.Value.GetProperty("se").GetDouble(), p = c.Value.GetProperty("p").GetDouble();
                Assert.Equal(b.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + NumberFormat.Stars(p), top.Text);
                Assert.Equal("(" + se.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + ")", under.Text);
                Assert.Equal(top.Value!.Value / top.StdError!.Value, top.T!.Value, 1e-9);
            }
        }
        var cons = rows.Single(r => r.Key == "_cons").Cells[1];
        var x = refs.GetProperty("fe_oneway").GetProperty("intercept_stata_xtreg_fe");
        Assert.Equal(x.GetProperty("estimate").GetDouble(), cons.Value!.Value, 1e-9);
        Assert.Equal(x.GetProperty("se_conventional").GetDouble(), cons.StdError!.Value, 1e-9);
    }

    [Fact]
    public void Csv_SeAndKeyTermsInChinese_ControlsRowAndLabels()
    {
        // SEs: pooled log(pc) 0.010272 -> 0.010, FE 0.025120 -> 0.025; within R² 0.94134, adj (plm adjrsq) 0.93742.
        var t = RegressionTable.Build([Pooled, Fe], Panel with
        {
            Stat = ParenthesisStat.Se,
            KeyTerms = ["log(pc)"],
            Labels = new Dictionary<string, string> { ["log(pc)"] = "私人资本, 对数" },
            Language = TableLanguage.Zh,
            R2 = R2Kind.Within,
            Title = "表1 基准回归",
        });
        string expected = "表1 基准回归\n" +
            ",(1),(2)\n" +
            "\"私人资本, 对数\",0.309***,0.292***\n" +
            ",(0.010),(0.025)\n" +
            "常数项,1.643***,2.353***\n" +
            ",(0.058),(0.175)\n" +
            "控制变量,是,是\n" +
            "个体固定效应,否,是\n" +
            "观测值,816,816\n" +
            "R²（组内）,0.993,0.941\n" +
            "调整R²（组内）,0.993,0.937\n" +
            "个体数,,48\n" +
            "括号内为普通标准误；***、**、*分别表示在1%、5%、10%的水平上显著\n" +
            "无固定效应的列报告普通R²\n";
        Assert.Equal(expected, TableRenderer.Render(t, TableFormat.Csv));
        var bytes = TableRenderer.Encode(t, TableFormat.Csv);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
    }

    [Fact]
    public void Build_IvColumn_DiagnosticRowsMatchReference()
    {
        // produc_iv.json: first-stage F (conventional) = CD F = 1956.3456; iid so no KP rk Wald F;
        // Stock-Yogo 10 % 2SLS size, 1 endogenous / 1 instrument = 16.38; log(emp) 0.778 (z 24.326).
        var iv = Estimation.Fit(TestData.Produc, "log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))");
        var t = RegressionTable.Build([Fe, iv], Panel with { KeyTerms = ["log(emp)"] });
        var diag = t.Blocks.Single(b => b.Kind == BlockKind.Diagnostics).Rows;
        Assert.Equal(["First-stage F", "KP rk Wald F", "Anderson LM p", "CD Wald F", "Stock-Yogo 10% size"], diag.Select(r => r.Label));
        Assert.Equal(["", "1956.346"], diag[0].Cells.Select(c => c.Text));
        Assert.Equal(["", ""], diag[1].Cells.Select(c => c.Text));
        Assert.Equal(["", "0.000"], diag[2].Cells.Select(c => c.Text));
        Assert.Equal(["", "1956.346"], diag[3].Cells.Select(c => c.Text));
        Assert.Equal(["", "16.380"], diag[4].Cells.Select(c => c.Text));
        var emp = t.Blocks[0].Rows;
        Assert.Equal(["0.768***", "0.778***"], emp[0].Cells.Select(c => c.Text));
        Assert.Equal(["(25.527)", "(24.326)"], emp[1].Cells.Select(c => c.Text));
        Assert.Equal("768", t.Blocks.Single(b => b.Kind == BlockKind.Summary).Rows[0].Cells[1].Text);
    }

    [Fact]
    public void Build_UnknownKeyTerm_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionTable.Build([Pooled], new RegressionTableOptions { KeyTerms = ["digital"] }));
        Assert.Contains("'digital'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.0004, 3, "0.000")]
    [InlineData(-0.0005, 3, "-0.001")]
    [InlineData(1234567.891, 2, "1234567.89")]
    [InlineData(double.NaN, 3, ".")]
    public void Fixed_Examples(double v, int d, string expected) => Assert.Equal(expected, NumberFormat.Fixed(v, d));

    [Theory]
    [InlineData(0.0099, "***")]
    [InlineData(0.01, "**")]
    [InlineData(0.0499, "**")]
    [InlineData(0.05, "*")]
    [InlineData(0.0999, "*")]
    [InlineData(0.1, "")]
    [InlineData(double.NaN, "")]
    public void Stars_Thresholds(double p, string expected) => Assert.Equal(expected, NumberFormat.Stars(p));
}
