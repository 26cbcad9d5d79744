using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Core's typed model crosses grain calls through the converters in contracts/CoreConverters.cs: every field arrives
/// (the formula as a tree, not a text to parse again), checked on the serializer the silos use.
/// </summary>
public sealed class ModelSpecWireTests
{
    private static Serializer Serializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(AnalysisModel).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void EveryFieldOfAModelSurvivesTheWire()
    {
        // The formula built by hand as a tree: a lag of order 2 as written, a product, two-way and interacted effects, an IV part.
        var lag2 = new CallExpr("lag", new VarExpr("gov"), 2, "lag(gov,2)");
        var formula = Formula.Of(new CallExpr("log", new VarExpr("gdp"), 1, "log(gdp)"),
            [new VarExpr("market"), new ProductExpr(new VarExpr("market"), new VarExpr("fin"))],
            [new FixedEffect(["province"]), new FixedEffect(["region", "year"])],
            [new VarExpr("dig")], [lag2, new VarExpr("slope")]);
        var model = new ModelSpec
        {
            Formula = formula,
            Estimator = EstimatorKind.IvGmm2s,
            Variances = [VcovSpec.Cluster("province", "year"), new VcovSpec("hc1", [], SmallSample.Plm)],
            Filters = [RowFilter.Parse("year >= 2012 & region != \"West 2\""), RowFilter.NotEqual("municipality", "1")],
            Weights = "pop",
            Winsorize = ["gdp", "market"],
            DropSingletons = true,
        };
        var wire = Serializer();
        var back = wire.Deserialize<AnalysisModel>(wire.SerializeToArray(new AnalysisModel("rob/3", model, true)))!;

        Assert.Equal("rob/3", back.Id);
        Assert.True(back.Hausman);
        var m = back.Model;
        Assert.Equal("log(gdp) ~ market + market:fin | province + region^year | dig ~ lag(gov,2) + slope", m.Formula.Source);
        Assert.Equal(formula.ToString(), m.Formula.ToString());
        // The tree, node by node.
        var call = Assert.IsType<CallExpr>(m.Formula.Instruments[0]);
        Assert.Equal(("lag", 2, "lag(gov,2)"), (call.Function, call.Order, call.Written));
        Assert.Equal("gov", Assert.IsType<VarExpr>(call.Argument).Name);
        var product = Assert.IsType<ProductExpr>(m.Formula.Regressors[1]);
        Assert.Equal(("market", "fin"), (Assert.IsType<VarExpr>(product.Left).Name, Assert.IsType<VarExpr>(product.Right).Name));
        Assert.Equal(["region", "year"], m.Formula.FixedEffects[1].Columns);
        Assert.Equal(EstimatorKind.IvGmm2s, m.Estimator);
        Assert.Equal(["cluster:province,year", "hc1 (plm)"], m.Variances.Select(v => v.ToString()));
        Assert.Equal(SmallSample.Plm, m.Variances[1].Convention);
        Assert.Equal(["year >= 2012 & region != \"West 2\"", "municipality != 1"], m.Filters.Select(f => f.Text));
        Assert.Equal([("year", ">=", "2012"), ("region", "!=", "West 2")], m.Filters[0].Terms.ToArray());
        Assert.Equal("pop", m.Weights);
        Assert.Equal(["gdp", "market"], m.Winsorize.ToArray());
        Assert.True(m.DropSingletons);
        Assert.Equal(model.Text, m.Text);
        Assert.Equal(model, m);

        // The filter still selects the rows it did: rows 1 and 3 of four.
        var frame = new DataFrame([
            Column.Numeric("year", [2011, 2012, 2013, 2014]),
            Column.Text("region", ["East", "East", "West 2", "East"]),
            Column.Numeric("municipality", [0, 0, 0, 1]),
        ], "t.csv");
        Assert.Equal([1], m.Filters.Aggregate((IEnumerable<int>)Enumerable.Range(0, 4), (rows, f) => rows.Intersect(f.Apply(frame))));
    }

    [Fact]
    public void AModelWithoutChoicesHasTheDefaultsOnArrival()
    {
        var model = new ModelSpec { Formula = Formula.Parse("y ~ x | unit + year") };
        var wire = Serializer();
        var back = wire.Deserialize<ModelSpec>(wire.SerializeToArray(model))!;
        Assert.Null(back.Estimator);
        Assert.Equal(EstimatorKind.Within, back.ResolvedEstimator);
        Assert.Equal([VcovSpec.Iid], back.Variances.ToArray());
        Assert.Empty(back.Filters);
        Assert.Null(back.Weights);
        Assert.Equal("y ~ x | unit + year", back.Text);
    }

    [Fact]
    public void GapsSpec_CrossesAsParsed_FiltersFixedEffectsAndVariance()
    {
        // The regional-gap settings the client parsed (issue 20: nothing the client validated is parsed again on a silo).
        var g = new GapsSpec("lngdp", "region", null, [RowFilter.Parse("municipality == 0")], [], [], ["gov"],
            [new FixedEffect(["province"]), new FixedEffect(["region", "year"])], VcovSpec.Parse("cluster:province"), ["East", "West"]);
        var back = Serializer().Deserialize<GapsSpec>(Serializer().SerializeToArray(g))!;
        Assert.Equal("province + region^year", back.FeText);
        Assert.Equal([["province"], ["region", "year"]], back.Fe.Select(f => f.Columns.ToArray()).ToArray());
        Assert.Equal(VcovSpec.Parse("cluster:province"), back.Vcov);
        Assert.Equal("municipality == 0", Assert.Single(back.Filters).Text);
        Assert.Equal(["East", "West"], back.Groups.ToArray());
    }

    [Fact]
    public void ModelFit_CarriesTheWholeCoreResult_CovarianceFirstStagesAndIvDiagnosticsIncluded()
    {
        // The model work's reply is core's result itself (no mirror that drops fields): an IV fit on Produc (produc_iv.json's
        // case d) crosses the silo's serializer and comes back equal field by field, the covariance matrix included.
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year");
        var r = Estimation.Fit(panel, Formula.Parse("log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))"), new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        var back = Serializer().Deserialize<ModelFit>(Serializer().SerializeToArray(ModelFit.Of("m/1", r, null)))!.Result!;
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "produc_iv.json")));
        Assert.Equal(doc.RootElement.GetProperty("coefficients").GetProperty("log(emp)").GetProperty("estimate").GetDouble(), back["log(emp)"].Estimate, 1e-10);
        Assert.Equal(768, back.N);
        Assert.Equal(r.Coefficients, back.Coefficients);
        Assert.Equal(r.Covariance.SelectMany(x => x), back.Covariance.SelectMany(x => x));
        Assert.Equal(3, back.Covariance.Count);
        Assert.Equal((r.Ssr, r.Sigma, r.SmallSampleFactor, r.AbsorbedDf, r.DemeanMethod, r.Estimator), (back.Ssr, back.Sigma, back.SmallSampleFactor, back.AbsorbedDf, back.DemeanMethod, back.Estimator));
        Assert.Equal(r.Clusters, back.Clusters);
        Assert.Equal(r.FixedEffects, back.FixedEffects);
        Assert.Equal(r.Statistics.OrderBy(x => x.Key, StringComparer.Ordinal), back.Statistics.OrderBy(x => x.Key, StringComparer.Ordinal));
        Assert.Equal(r.FirstStages![0].Coefficients, back.FirstStages![0].Coefficients);
        Assert.Equal(r.FirstStages[0].FTest, back.FirstStages[0].FTest);
        Assert.Equal((r.Iv!.CraggDonaldF, r.Iv.KleibergenPaapWaldF, r.Iv.KleibergenPaapLm), (back.Iv!.CraggDonaldF, back.Iv.KleibergenPaapWaldF, back.Iv.KleibergenPaapLm));
        Assert.Equal(r.Warnings, back.Warnings);
        Assert.Equal(r.WaldTest, back.WaldTest);
    }
}
