using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A study's analyses run on grains: every model equals `de estimate` on the run's own prepared data,
/// the tests of a heterogeneity analysis equal the core tests on that data, and the permutations do not
/// depend on how they were split into grain calls.
/// </summary>
public class AnalysesTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-analyses-{Environment.ProcessId}");

    private static string Study(string dir, int chunk)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "paper.yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            name: paper
            seed: 11
            dataset:
              path: {{Studies.DataPath}}
              unit: province
              time: year
              region: region
            indices:
              - name: hqd_index
                system: hqd
                shift: 0.0001
              - name: de_index
                system: de
                shift: 0.0001
            baseline:
              outcome: hqd_index
              treatment: de_index
              controls: [gov, market, lngdp, fin]
              fe: province + year
              vcov: cluster:province
            analyses:
              - name: stepwise
                type: regressions
                columns: [{controls: []}, {controls: [gov, market]}, {}]
              - name: compare
                type: regressions
                columns: [{fe: "0", estimator: ols}, {fe: "0", estimator: re}, {fe: province, hausman: true}]
              - name: iv
                type: regressions
                columns: [{instruments: [lag(de_index)], estimator: iv-gmm2s}]
              - name: north_south
                type: heterogeneity
                by: region
                groups: [East, West]
                permutations: 60
                chunk: {{chunk}}
              - name: bk
                type: mediation
                style: baron_kenny
                mediators: [fin]
            """));
        return path;
    }

    private static string RunStudy(string name, int chunk)
    {
        string dir = Path.Combine(Root, name);
        var (code, output, err) = De.Run("run", Study(dir, chunk), "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Fact]
    public async Task EveryModel_EqualsDeEstimate_OnTheRunsPreparedData()
    {
        string run = RunStudy("models", 25);
        string data = Path.Combine(run, "dataset.csv");
        var models = await ResultTables.Models.ReadFileAsync(Path.Combine(run, "models.parquet"));
        var checkedModels = 0;
        foreach (var model in models.GroupBy(m => m.ModelId))
        {
            var first = model.First();
            Assert.Null(first.Error);
            var args = new List<string> { "estimate", first.Formula, "--data", data, "--unit", "province", "--time", "year", "--vcov", first.Vcov, "--estimator", first.Estimator, "--json" };
            foreach (var f in first.Filters.Split(" & ", StringSplitOptions.RemoveEmptyEntries)) args.AddRange(["--filter", f]);
            Assert.Equal("", first.Winsorize);
            var (code, json, err) = De.Run([.. args]);
            Assert.True(code == 0, $"{first.Formula}: {err}");
            using var doc = JsonDocument.Parse(json);
            var coefs = doc.RootElement.GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("term").GetString()!);
            Assert.Equal(coefs.Count, model.Count());
            foreach (var row in model)
            {
                var c = coefs[row.Term!];
                Assert.Equal(c.GetProperty("estimate").GetDouble(), row.Estimate!.Value);
                Assert.Equal(c.GetProperty("std_error").GetDouble(), row.StdError!.Value);
                Assert.Equal(c.GetProperty("p_value").GetDouble(), row.PValue!.Value);
            }
            Assert.Equal(doc.RootElement.GetProperty("n").GetInt32(), (int)first.N!.Value);
            checkedModels++;
        }
        // 3 stepwise + 3 comparison + 1 IV + 2 groups + 3 mediation columns.
        Assert.Equal(12, checkedModels);

        // The tables' extra rows: Hausman, Chow, Sobel equal the core computations on the same data.
        var panel = Panel.Create(CsvReader.ReadFile(data), "province", "year");
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double Cell(string table, string key, int column) => cells.Single(c => c.Table == table && c.RowKey == key && c.Column == column).Value!.Value;
        var options = new EstimationOptions { Vcov = VcovSpec.Parse("cluster:province") };
        var h = Estimation.Hausman(panel, Formula.Parse("hqd_index ~ de_index + gov + market + lngdp + fin | province"), options);
        Assert.Equal(h.Statistic, Cell("compare", "hausman_chi2", 3));
        var baseline = Formula.Parse("hqd_index ~ de_index + gov + market + lngdp + fin | province + year");
        var two = options with { Filters = [RowFilter.Parse("region != Central"), RowFilter.Parse("region != Northeast")] };
        var chow = GroupDifference.Chow(panel, baseline, "region", ["de_index"], two);
        Assert.Equal(chow.TermTests[0].Test.PValue, Cell("north_south", "chow_p", 1));
        var (_, tests) = GroupDifference.Permutation(panel, baseline, "region", ["de_index"], two, new PermutationOptions { Permutations = 60, Seed = 11, Key = "north_south/all" });
        Assert.Equal(tests[0].PValue, Cell("north_south", "permutation_p", 1));
        var med = Mediation.BaronKenny(panel, Core.Formulas.Formula.Parse("hqd_index ~ de_index + gov + market + lngdp | province + year"), new Core.Formulas.VarExpr("fin"), options);
        // The study puts M after the controls, Mediation.BaronKenny right after X: the same fit up to rounding.
        Assert.Equal(med.SobelP, Cell("bk", "sobel_p", 3), 1e-12);
        Assert.Equal(med.Indirect, Cell("bk", "indirect", 3), 1e-15);
        // The table files exist in both formats, columns numbered as the field prints them.
        string md = File.ReadAllText(Path.Combine(run, "tables", "stepwise.md"));
        Assert.Contains("| (1) | (2) | (3) |", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "tables", "north_south.csv")));
    }

    [Fact]
    public void Permutations_AreByteIdentical_WhateverTheChunk()
    {
        string a = RunStudy("chunk60", 60), b = RunStudy("chunk7", 7);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "permutations.parquet")), File.ReadAllBytes(Path.Combine(b, "permutations.parquet")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "analyses.parquet")), File.ReadAllBytes(Path.Combine(b, "analyses.parquet")));
    }
}
