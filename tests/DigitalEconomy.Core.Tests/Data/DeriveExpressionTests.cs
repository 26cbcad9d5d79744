using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

public class DeriveExpressionTests
{
    // Two provinces; b lacks 2012 (a gap) and has a zero population in 2013. Row order: a2011..a2014, b2011, b2013, b2014.
    private const string Csv = """
        u,t,fiscal,gdp,pop,cpi,gdp_n
        a,2011,10,100,5,102,90
        a,2012,12,120,5,105,100
        a,2013,15,150,6,110,110
        a,2014,18,,6,104,121
        b,2011,4,40,2,101,50
        b,2013,6,60,0,103,60
        b,2014,7,70,2,,70
        """;

    private static Panel P() => Panel.Create(CsvReader.Read(new StringReader(Csv), "d.csv"), "u", "t");

    private static double[] Eval(string expr)
    {
        var p = P();
        return DeriveExpression.Parse(expr, [.. p.Frame.Columns.Select(c => c.Name)]).Evaluate(p);
    }

    private static void Same(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(double.IsNaN(expected[i]) ? double.IsNaN(actual[i]) : expected[i] == actual[i], $"row {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private const double NaN = double.NaN;

    [Fact]
    public void Ratio_Times100_IsRowByRow_MissingPropagates()
        => Same([10.0 / 100 * 100, 12.0 / 120 * 100, 15.0 / 150 * 100, NaN, 4.0 / 40 * 100, 6.0 / 60 * 100, 7.0 / 70 * 100], Eval("fiscal / gdp * 100"));

    [Fact]
    public void PerCapita_DivisionByZero_IsMissing()
        => Same([20, 24, 25, NaN, 20, NaN, 35], Eval("gdp / pop"));

    [Fact]
    public void Precedence_UnaryMinus_PowerRightAssociative()
    {
        // 2 + 3 * 2 ^ 2 ^ 1 - -1 = 2 + 3 * 4 + 1 = 15 on every row; (pop - 1) ^ 2.
        Same([15, 15, 15, 15, 15, 15, 15], Eval("2 + 3 * 2 ^ 2 ^ 1 - -1"));
        Same([16, 16, 25, 25, 1, 1, 1], Eval("(pop - 1) ^ 2"));
    }

    [Fact]
    public void LagGrowthAndDiff_AreWithinUnit_AndNeverBridgeAGap()
    {
        // b has no 2012: its 2013 has no previous year, so lag, diff and growth are missing there.
        Same([NaN, 10, 12, 15, NaN, NaN, 6], Eval("lag(fiscal)"));
        Same([NaN, NaN, 10, 12, NaN, 4, NaN], Eval("lag(fiscal, 2)")); // b2013's two-years-back is b2011
        Same([12, 15, 18, NaN, NaN, 7, NaN], Eval("lead(fiscal)"));
        Same([NaN, 2, 3, 3, NaN, NaN, 1], Eval("diff(fiscal)"));
        Same([NaN, 120.0 / 100 - 1, 150.0 / 120 - 1, NaN, NaN, NaN, 70.0 / 60 - 1], Eval("growth(gdp)"));
    }

    [Fact]
    public void Log_OfANonPositiveValue_IsMissing()
        => Same([Math.Log(20), Math.Log(24), Math.Log(25), NaN, Math.Log(20), NaN, Math.Log(35)], Eval("log(gdp / pop)"));

    [Theory]
    [InlineData("fiscal / ", "at 10 of 'fiscal / ': expected a number, a column or '(', found the end")]
    [InlineData("fiscal // gdp", "at 9 of 'fiscal // gdp': unexpected '/'")]
    [InlineData("fiscal / gpd", "at 10 of 'fiscal / gpd': no column 'gpd'; available columns: u, t, fiscal, gdp, pop, cpi, gdp_n")]
    [InlineData("ln(gdp)", "at 1 of 'ln(gdp)': no function 'ln'; functions: log, exp, sqrt, abs, lag, lead, diff, growth")]
    [InlineData("(gdp + 1", "at 9 of '(gdp + 1': expected ')'")]
    [InlineData("log(gdp, 2)", "at 8 of 'log(gdp, 2)': log() takes one argument")]
    public void BadExpressions_AreOneLineNamingTheOffset(string expr, string message)
    {
        var p = P();
        var e = Assert.Throws<InputException>(() => DeriveExpression.Parse(expr, [.. p.Frame.Columns.Select(c => c.Name)]));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Deflate_ChainedPreviousYearIndex_ToBaseYearPrices_ByHand()
    {
        // Unit a, base 2012: P2012 = 1, P2013 = 1.10, P2014 = 1.10 · 1.04, P2011 = 1 / 1.05 (2012's index links 2011).
        // Unit b has no 2012: it is missing throughout and named in the note.
        var step = new DeriveStep("gdp_real", "deflate", new Dictionary<string, IReadOnlyList<string>>
        {
            ["column"] = ["gdp_n"], ["index"] = ["cpi"], ["base_year"] = ["2012"],
        });
        var (panel, records) = Derivation.Apply(P(), [step]);
        Same([90 * 1.05, 100, 110 / 1.10, 121 / (1.10 * 1.04), NaN, NaN, NaN], panel.Frame.Numeric("gdp_real"));
        Assert.Equal(["missing for 1 unit(s) whose price index does not reach 2012: b"], records[0].Notes);
        Assert.Equal(["chained"], records[0].Parameters["index_type"]);
    }

    [Fact]
    public void Deflate_FixedBaseIndex_DividesByTheIndexRelativeToTheBaseYear()
    {
        var step = new DeriveStep("gdp_real", "deflate", new Dictionary<string, IReadOnlyList<string>>
        {
            ["column"] = ["gdp_n"], ["index"] = ["cpi"], ["base_year"] = ["2013"], ["index_type"] = ["fixed"],
        });
        var (panel, _) = Derivation.Apply(P(), [step]);
        Same([90 / (102 / 110.0), 100 / (105 / 110.0), 110, 121 / (104 / 110.0), 50 / (101 / 103.0), 60, NaN], panel.Frame.Numeric("gdp_real"));
    }

    [Fact]
    public void ExprStep_ThroughDerivation_NamesTheParameterInItsErrors()
    {
        var step = new DeriveStep("ratio", "expr", new Dictionary<string, IReadOnlyList<string>> { ["expr"] = ["fiscal / nope"] });
        var e = Assert.Throws<InputException>(() => Derivation.Check(step, ["u", "t", "fiscal"]));
        Assert.Equal("expr: at 10 of 'fiscal / nope': no column 'nope'; available columns: u, t, fiscal", e.Message);
    }
}
