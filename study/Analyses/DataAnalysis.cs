using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// A table describing variables on the prepared panel (no grain work): the variables (default: the baseline's outcome,
/// treatment and controls) and the rows described (default: the baseline's sample), listwise.
/// </summary>
internal abstract class DataAnalysis : IAnalysisType
{
    /// <summary>The type's kind name.</summary>
    protected abstract string Kind { get; }

    public IReadOnlyList<string> Kinds => [Kind];

    /// <summary>Its definitions in docs/study.schema.json.</summary>
    public abstract IReadOnlyList<SchemaDefinition> Schema { get; }

    /// <summary>Its default title in English and Chinese.</summary>
    protected abstract (string En, string Zh) DefaultTitle { get; }

    /// <summary>The fewest variables it takes, and the message when there are fewer.</summary>
    protected abstract (int Count, string Message) AtLeast { get; }

    /// <summary>The table of the variables on the rows described.</summary>
    protected abstract Table Build(Panel sample, IReadOnlyList<string> variables, DataTableOptions options);

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        y.Known(a, at + ".", "type", "name", "title", "show_controls", "key_terms", "variables", "sample");
        string name = r.Name(a, at, Kind);
        string title = r.Title(a, at, DefaultTitle.En, DefaultTitle.Zh);
        var b = r.Baseline;
        var vars = a.Children.TryGetValue(new YamlScalarNode("variables"), out var vn) ? r.Vars(vn, at + ".variables")
            : [.. new[] { b.Outcome, b.Treatment }.Concat(b.Controls).Distinct(StringComparer.Ordinal)];
        if (vars.Length < AtLeast.Count) throw y.Error(vn ?? a, at + ".variables", AtLeast.Message);
        var filters = a.Children.TryGetValue(new YamlScalarNode("sample"), out var sn) ? r.Filter(sn, at + ".sample") : b.Filters;
        return new AnalysisSpec(name, Kind, title, [], vars, [.. filters.Select(RowFilter.Parse)], [], null, null); // checked by the reader
    }

    public Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var words = new AnalysisWords(run.Study);
        var options = new DataTableOptions { Title = a.Title, Labels = words.Labels, Language = words.Language };
        return Task.FromResult(AnalysisOutput.Of(new AnalysisTable(a.Name, a.Name, Build(Sample(run.Panel, a.Filters, a.Variables), [.. a.Variables], options))));
    }

    /// <summary>The rows a descriptive or correlation table describes: those passing the filters with every variable present (listwise).</summary>
    private static Panel Sample(Panel panel, ImmutableArray<RowFilter> filters, ImmutableArray<string> variables)
    {
        IEnumerable<int> rows = Enumerable.Range(0, panel.Frame.RowCount);
        foreach (var f in filters)
        {
            var keep = f.Apply(panel.Frame).ToHashSet();
            rows = rows.Where(keep.Contains);
        }
        var cols = variables.Select(v => panel.Frame.Numeric(v)).ToList();
        return panel.Subset([.. rows.Where(r => cols.All(c => double.IsFinite(c[r])))]);
    }
}

/// <summary><c>type: descriptives</c>: N, mean, SD, min and max of each variable.</summary>
internal sealed class DescriptivesAnalysis : DataAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_descriptives", """
        "analysis_descriptives": {
          "description": "N, mean, SD, min, median, max of the variables.",
          "type": "object", "additionalProperties": false, "required": ["type"],
          "properties": {
            "type": { "description": "descriptives", "enum": ["descriptives"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" },
            "variables": { "description": "Variables (default: the baseline's outcome, treatment and controls).", "allOf": [{ "$ref": "#/definitions/variables" }] },
            "sample": { "description": "Rows described (default: the baseline's).", "allOf": [{ "$ref": "#/definitions/filter" }] }
          }
        }
        """),
    ];

    protected override string Kind => "descriptives";

    protected override (string En, string Zh) DefaultTitle => ("Descriptive statistics", "描述性统计");

    protected override (int Count, string Message) AtLeast => (1, "expected at least one variable");

    protected override Table Build(Panel sample, IReadOnlyList<string> variables, DataTableOptions options) => DataTables.Descriptives(sample, variables, options);
}

/// <summary><c>type: correlations</c>: the correlation matrix of the variables.</summary>
internal sealed class CorrelationsAnalysis : DataAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_correlations", """
        "analysis_correlations": {
          "description": "Pearson correlation matrix (lower triangle, stars).",
          "type": "object", "additionalProperties": false, "required": ["type"],
          "properties": {
            "type": { "description": "correlations", "enum": ["correlations"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" },
            "variables": { "description": "At least two variables (default: the baseline's).", "allOf": [{ "$ref": "#/definitions/variables" }] },
            "sample": { "description": "Rows described (default: the baseline's).", "allOf": [{ "$ref": "#/definitions/filter" }] }
          }
        }
        """),
    ];

    protected override string Kind => "correlations";

    protected override (string En, string Zh) DefaultTitle => ("Correlation matrix", "相关系数矩阵");

    protected override (int Count, string Message) AtLeast => (2, "a correlation matrix needs at least two variables");

    protected override Table Build(Panel sample, IReadOnlyList<string> variables, DataTableOptions options) => DataTables.Correlations(sample, variables, options);
}
