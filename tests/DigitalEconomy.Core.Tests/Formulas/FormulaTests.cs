using DigitalEconomy.Core.Formulas;
using Xunit;

namespace DigitalEconomy.Core.Tests.Formulas;

public class FormulaTests
{
    [Fact]
    public void Parse_FullIvFormula_NamesTermsAsWritten()
    {
        var f = Formula.Parse("log(gsp) ~ log( pcap ) + x:z + lag(y, 2) | state + province^year | log(emp) ~ lag(log(emp))");
        Assert.Equal("log(gsp)", f.Response.Text);
        Assert.Equal(["log(pcap)", "x:z", "lag(y,2)"], f.Regressors.Select(r => r.Text));
        Assert.Equal(["state", "province^year"], f.FixedEffects.Select(x => x.Text));
        Assert.Equal(["log(emp)"], f.Endogenous.Select(x => x.Text));
        Assert.Equal(["lag(log(emp))"], f.Instruments.Select(x => x.Text));
    }

    [Fact]
    public void Parse_IvWithoutFixedEffects()
    {
        var f = Formula.Parse("y ~ w | x ~ z1 + z2");
        Assert.Empty(f.FixedEffects);
        Assert.Equal(2, f.Instruments.Count);
        Assert.True(f.IsIv);
    }

    [Theory]
    [InlineData("y ~ x +", "formula syntax error at position 8 of 'y ~ x +': expected a variable name, found the end of the formula")]
    [InlineData("y x", "formula syntax error at position 3 of 'y x': expected '~', found 'x'")]
    [InlineData("y ~ sqrt(x)", "formula: position 5: unknown function 'sqrt' (known: log, lag/l, lead/f)")]
    [InlineData("y ~ x + x", "formula 'y ~ x + x': the term 'x' appears more than once")]
    public void Parse_Errors_GivePosition(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => Formula.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_StataOperators_MapToLagLeadAndInteractions()
    {
        // L.x, L2.x, F.x as Stata's time-series operators: this project's lag(x), lag(x,2), lead(x); c.x#c.z is x:z; x##z expands.
        var f = Formula.Parse("y ~ L.x + L2.z + F.w + l.v + c.a#c.b + p##q | id + i.year");
        Assert.Equal(["lag(x)", "lag(z,2)", "lead(w)", "lag(v)", "a:b", "p", "q", "p:q"], f.Regressors.Select(r => r.Text));
        Assert.Equal(["id", "year"], f.FixedEffects.Select(x => x.Text));
        var lag2 = Assert.IsType<CallExpr>(f.Regressors[1]);
        Assert.Equal(("lag", 2), (lag2.Function, lag2.Order));
        Assert.Equal("lead", Assert.IsType<CallExpr>(f.Regressors[2]).Function);
    }

    [Theory]
    [InlineData("y ~ D.x", "formula: 'D.x' is Stata's first difference; there is no difference operator here: add the column x - lag(x) to the data (e.g. a derive step) and use it")]
    [InlineData("y ~ x + i.year", "formula: 'i.year' is Stata's factor notation; write the factor as a fixed effect: y ~ x | year")]
    [InlineData("y ~ x + i(year)", "formula: 'i(year)' is fixest's factor notation; write the factor as a fixed effect: y ~ x | year")]
    public void Parse_StataSyntaxWithoutEquivalent_AnswersInOneLine(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => Formula.Parse(text));
        Assert.Equal(message, e.Message);
    }
}
