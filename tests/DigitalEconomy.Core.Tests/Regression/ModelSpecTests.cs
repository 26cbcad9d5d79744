using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>The typed model: its canonical text, formulas built as trees, and one fit giving every variance it names.</summary>
public class ModelSpecTests
{
    private static readonly Panel Produc = LoadPanel("Produc.csv", "state", "year");

    [Fact]
    public void OneFitOfAModelGivesEachOfItsVariances_AgainstProducVcov()
    {
        var reference = Ref("produc_vcov.json").At("twoways");
        var model = new ModelSpec
        {
            Formula = Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year"),
            Variances = [VcovSpec.Parse("hc2"), VcovSpec.Parse("cr3:state")],
        };
        var fits = Estimation.Fit(Produc, model);
        Assert.Equal(2, fits.Count);
        foreach (var t in new[] { "log(pcap)", "log(pc)", "log(emp)", "unemp" })
        {
            Close(reference.D("coefficients", t), fits[0][t].Estimate, 1e-10, $"b[{t}]");
            Assert.Equal(fits[0][t].Estimate, fits[1][t].Estimate);
            Close(reference.D("hc", "HC2", "se", t), fits[0][t].StdError, 1e-8, $"HC2 se[{t}]");
            Close(reference.D("cluster_state", "CR3", "se", t), fits[1][t].StdError, 1e-8, $"CR3 se[{t}]");
        }
    }

    [Fact]
    public void AModelsWeightsReachTheFit_AgainstProducWeights()
    {
        var reference = Ref("produc_weights.json").At("twoways");
        var model = new ModelSpec
        {
            Formula = Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year"),
            Variances = [VcovSpec.Iid, VcovSpec.Cluster("state")],
            Weights = "emp",
        };
        var fits = Estimation.Fit(Produc, model);
        foreach (var t in new[] { "log(pcap)", "log(pc)", "log(emp)", "unemp" })
        {
            Close(reference.D("coefficients", t), fits[0][t].Estimate, 1e-10, $"b[{t}]");
            Close(reference.D("iid", "se", t), fits[0][t].StdError, 1e-8, $"iid se[{t}]");
            Close(reference.D("cluster_fixest_default", "se", t), fits[1][t].StdError, 1e-8, $"cluster se[{t}]");
        }
    }

    [Fact]
    public void CanonicalTextNamesTheNonDefaultChoicesInAFixedOrder()
    {
        var f = Formula.Parse("y ~ L.x + z | unit + year");
        Assert.Equal("y ~ lag(x) + z | unit + year", new ModelSpec { Formula = f }.Text);
        var m = new ModelSpec
        {
            Formula = f,
            DropSingletons = true,
            Winsorize = ["y", "z"],
            Weights = "pop",
            Filters = [RowFilter.Parse("year >= 2015"), RowFilter.NotEqual("region", "East 1")],
            Variances = [VcovSpec.Cluster("unit"), VcovSpec.Hc1],
            Estimator = EstimatorKind.Within,
        };
        Assert.Equal("y ~ lag(x) + z | unit + year [estimator=within; vcov=cluster:unit ; hc1; filter=year >= 2015 & region != \"East 1\"; weights=pop; winsor=y,z; singletons=drop]", m.Text);
        // Equal by text: a copy with the same choices is the same model; another variance is not.
        Assert.Equal(m, m with { Filters = [RowFilter.Parse("year >= 2015"), RowFilter.Parse("region != \"East 1\"")] });
        Assert.NotEqual(m, m with { Variances = [VcovSpec.Hc1] });
        Assert.Equal(EstimatorKind.Iv2sls, new ModelSpec { Formula = Formula.Parse("y ~ w | 0 | x ~ z") }.ResolvedEstimator);
        Assert.Equal(EstimatorKind.Ols, new ModelSpec { Formula = Formula.Parse("y ~ x") }.ResolvedEstimator);
    }

    [Fact]
    public void FormulaBuiltFromPartsEqualsTheParsedText()
    {
        var built = Formula.Of(new VarExpr("y"), [Formula.ParseTerm("lag(x, 2)"), Formula.ParseTerm("a:b")], [new FixedEffect(["unit"]), new FixedEffect(["province", "year"])],
            [Formula.ParseTerm("L.d")], [Formula.ParseTerm("log(z)")]);
        Assert.Equal("y ~ lag(x,2) + a:b | unit + province^year | lag(d) ~ log(z)", built.Source);
        var parsed = Formula.Parse(built.Source);
        Assert.Equal(parsed.ToString(), built.ToString());
        Assert.Equal(parsed.Regressors.Select(r => r.Text), built.Regressors.Select(r => r.Text));
        Assert.Equal("y ~ 1", Formula.Of(new VarExpr("y"), [], []).Source);
        var twice = Assert.Throws<InputException>(() => Formula.Of(new VarExpr("y"), [new VarExpr("x"), Formula.ParseTerm("x")], []));
        Assert.Contains("the term 'x' appears more than once", twice.Message, StringComparison.Ordinal);
        Assert.Contains("position 3", Assert.Throws<InputException>(() => Formula.ParseTerm("x + z")).Message, StringComparison.Ordinal);
        Assert.Contains("write the factor as a fixed effect", Assert.Throws<InputException>(() => Formula.ParseTerm("i.year")).Message, StringComparison.Ordinal);
    }
}
