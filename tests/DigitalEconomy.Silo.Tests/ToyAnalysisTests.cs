using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using DigitalEconomy.Study.Analyses;
using Xunit;
using YamlDotNet.RepresentationModel;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A toy analysis type defined in this one file (issue 21: "a new analysis type needs one file"): <c>type: coefficients</c>
/// reads one key, <c>formula:</c>, plans that one model (pooled OLS, iid variance) through the existing model work on the
/// compute grain, and prints one table of estimates and standard errors.
/// </summary>
internal sealed class CoefficientsAnalysis : IAnalysisType
{
    public IReadOnlyList<string> Kinds => ["coefficients"];

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        r.Yaml.Known(a, at + ".", "type", "name", "formula");
        string name = r.Name(a, at, s.Kind);
        var node = a.Children.TryGetValue(new YamlScalarNode("formula"), out var f) ? f : throw r.Yaml.Error(a, at + ".formula", "missing: the model");
        string text = r.Yaml.Scalar(node, at + ".formula", "a formula");
        Formula formula;
        try { formula = Formula.Parse(text); }
        catch (InputException e) { throw r.Yaml.Error(node, at + ".formula", e.Message); }
        var model = AnalysisReader.Typed($"{name}/1", formula, "ols", "iid", [], [], false, null);
        r.Check(model, node, at + ".formula");
        return new AnalysisSpec(name, s.Kind, "Coefficients", [new ModelColumn("", null, model)], [], [], [], null, null);
    }

    public async Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var fit = (await run.FitAsync(a, [a.Columns[0].Model], ct)).Fits[0];
        if (fit.Error is not null) throw new InputException($"analysis '{a.Name}': {fit.Error}");
        var rows = fit.Coefficients.Select(c => new TableRow(c.Term, c.Term, RowKind.Statistic, [AnalysisBlocks.Number(c.Estimate, 6), AnalysisBlocks.Number(c.StdError, 6)])).ToList();
        var table = new Table(a.Title, "", [new TableColumn("Estimate"), new TableColumn("SE")], [new RowBlock(BlockKind.Data, rows)], []);
        return AnalysisOutput.Of(new AnalysisTable(a.Name, a.Name, table));
    }
}

public class ToyAnalysisTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-toy-analysis-{Environment.ProcessId}");

    [Fact]
    public async Task AToyTypeFromOneFile_RunsInAStudy_AndItsTableMatchesProducPooledOls()
    {
        AnalysisTypes.Register(new CoefficientsAnalysis());
        Directory.CreateDirectory(Dir);
        string path = Path.Combine(Dir, "toy.yaml");
        File.WriteAllText(path, $$"""
            name: toy
            dataset:
              path: {{Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")}}
              unit: state
              time: year
            baseline: { outcome: gsp, treatment: pcap, controls: [pc, emp, unemp], fe: state + year }
            analyses:
              - name: pooled
                type: coefficients
                formula: "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp"
            """);
        var (code, output, err) = De.Run("run", path, "--out", Path.Combine(Dir, "out"));
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);

        // R's lm (plm pooling) on Produc: refs/produc.json, pooled_ols.
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "produc.json"))).RootElement
            .GetProperty("pooled_ols").GetProperty("coefficients");
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        string[] terms = ["(Intercept)", "log(pcap)", "log(pc)", "log(emp)", "unemp"];
        Assert.Equal(terms.Length * 2, cells.Count(c => c.Table == "pooled"));
        foreach (var t in terms)
        {
            double Value(int column) => cells.Single(c => c.Table == "pooled" && c.RowKey == t && c.Column == column).Value!.Value;
            double b = reference.GetProperty(t).GetProperty("estimate").GetDouble(), se = reference.GetProperty(t).GetProperty("se").GetDouble();
            Assert.True(Math.Abs(Value(1) - b) <= 1e-10 * Math.Abs(b), $"b[{t}]: {Value(1):R} vs {b:R}");
            Assert.True(Math.Abs(Value(2) - se) <= 1e-10 * se, $"se[{t}]: {Value(2):R} vs {se:R}");
        }
        // The printed table: log(pcap) 0.155007 (0.01715377 rounded to 6 decimals), as R prints them.
        string md = File.ReadAllText(Path.Combine(run, "tables", "pooled.md"));
        Assert.Contains("| log(pcap) | 0.155007 | 0.017154 |", md, StringComparison.Ordinal);
        // The model went through the model work: models.parquet lists it as the analysis's column 1.
        var models = await ResultTables.Models.ReadFileAsync(Path.Combine(run, "models.parquet"));
        Assert.Equal(816, models.Single(m => m.Analysis == "pooled" && m.Term == "unemp").N);
    }

    [Fact]
    public void Registering_AnotherClassUnderATakenKind_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AnalysisTypes.Register(new TakenKind()));
        Assert.Equal("analysis type 'regressions' is already registered by RegressionsAnalysis", e.Message);
    }

    private sealed class TakenKind : IAnalysisType
    {
        public IReadOnlyList<string> Kinds => ["regressions"];

        public AnalysisSpec Read(AnalysisSection section) => throw new NotSupportedException();

        public Task<AnalysisOutput> RunAsync(AnalysisSpec analysis, IAnalysisRun run, CancellationToken ct) => throw new NotSupportedException();
    }
}
