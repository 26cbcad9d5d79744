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
}
