using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using DigitalEconomy.Store;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The gmm analysis end to end: the shipped studies/provincial_dynamic.yaml run on the embedded silo prints, in
/// analyses.parquet, exactly what core's GmmEstimator gives on the run's own dataset.csv; its settings cross the wire
/// (the serializer the silos use) field by field.
/// </summary>
public class GmmRunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-gmm-{Environment.ProcessId}");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    [Fact]
    public async Task ShippedDynamicStudy_TableEqualsCoreOnTheRunsDataset()
    {
        var (code, output, err) = De.Run("run", Path.Combine(RepoRoot(), "studies", "provincial_dynamic.yaml"), "--out", Path.Combine(Root, "shipped"));
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        AnalysisCellRow Cell(string key, int column, string kind = "estimate") => cells.Single(c => c.Table == "dynamic" && c.RowKey == key && c.Column == column && c.RowKind == kind);
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(run, "dataset.csv")), "province", "year");
        var regressors = new[] { "lag(hqd)", "de", "gov", "market", "lngdp", "fin" }.Select(Formula.ParseTerm).ToArray();
        var hqd = new GmmStyle(new VarExpr("hqd"), 2, GmmStyle.AllLags, true);
        var difference = GmmEstimator.Fit(panel, new GmmSpec(new VarExpr("hqd"), regressors, [hqd], TwoStep: true));
        var endogenous = GmmEstimator.Fit(panel, new GmmSpec(new VarExpr("hqd"), regressors, [hqd, new GmmStyle(new VarExpr("de"), 2, 4, true)],
            [.. new[] { "gov", "market", "lngdp", "fin" }.Select(Formula.ParseTerm)], System: true, TwoStep: true));
        foreach (var (fit, column) in new[] { (difference, 1), (endogenous, 3) })
        {
            Assert.Equal(fit["de"].Estimate, Cell("de", column).Value);
            Assert.Equal(fit["lag(hqd)"].RobustStdError, Cell("lag(hqd)", column).StdError);
            Assert.Equal(fit.Hansen.PValue, Cell("hansen_p", column, "statistic").Value);
            Assert.Equal(fit.Ar2!.PValue, Cell("ar2_p", column, "statistic").Value);
            Assert.Equal(fit.Instruments, Cell("instruments", column, "statistic").Value);
        }
        Assert.Equal(30, Cell("units", 2, "statistic").Value);
        Assert.True(File.Exists(Path.Combine(run, "plots", "dynamic.png")));
    }

    [Fact]
    public void GmmSettings_SurviveTheWire()
    {
        var wire = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(AnalysisSpec).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        var spec = new GmmSpec(Formula.ParseTerm("log(y)"), [Formula.ParseTerm("lag(log(y), 2)"), new ProductExpr(new VarExpr("a"), new VarExpr("b"))],
            [new GmmStyle(Formula.ParseTerm("log(y)"), 2, GmmStyle.AllLags, true), new GmmStyle(new VarExpr("x"), 1, 3, false)],
            [new VarExpr("z")], System: false, TwoStep: true, TimeEffects: false, GmmTransformation.OrthogonalDeviations);
        var settings = new GmmAnalysisSettings([new GmmColumn("FOD", spec), new GmmColumn("", spec with { Iv = null, System = true, Transformation = GmmTransformation.FirstDifferences })],
            [RowFilter.Parse("year >= 2012")]);
        var a = new AnalysisSpec("dyn", "gmm", "T", [], [], [], [], null, null, Settings: settings);
        var back = (GmmAnalysisSettings)wire.Deserialize<AnalysisSpec>(wire.SerializeToArray(a))!.Settings!;
        Assert.Equal(["FOD", ""], back.Columns.Select(c => c.Label));
        Assert.Equal(settings.Columns.Select(c => c.Model.Text), back.Columns.Select(c => c.Model.Text));
        var m = back.Columns[0].Model;
        Assert.Equal((false, true, false, GmmTransformation.OrthogonalDeviations), (m.System, m.TwoStep, m.TimeEffects, m.Transformation));
        Assert.Equal("z", Assert.IsType<VarExpr>(Assert.Single(m.Iv!)).Name);
        var lag = Assert.IsType<CallExpr>(m.Regressors[0]);
        Assert.Equal(("lag", 2), (lag.Function, lag.Order));
        Assert.Equal([(2, GmmStyle.AllLags, true), (1, 3, false)], m.Gmm.Select(g => (g.MinLag, g.MaxLag, g.Collapse)));
        Assert.Null(back.Columns[1].Model.Iv);
        Assert.Equal("year >= 2012", Assert.Single(back.Filters).Text);
    }
}
