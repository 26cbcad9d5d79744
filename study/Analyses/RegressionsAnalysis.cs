using DigitalEconomy.Contracts;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary><c>type: regressions</c>: columns, each a mapping of what changes from the baseline ({} for the baseline itself).</summary>
internal sealed class RegressionsAnalysis : ModelAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_regressions", """
        "analysis_regressions": {
          "description": "One model per column, numbered (1)…(k).",
          "type": "object", "additionalProperties": false, "required": ["type", "columns"],
          "properties": {
            "type": { "description": "regressions", "enum": ["regressions"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" }, "table": { "$ref": "#/definitions/analysis_table" },
            "columns": { "description": "The columns, each what changes from the baseline ({} for the baseline).", "type": "array", "items": { "$ref": "#/definitions/column" } }
          }
        }
        """),
    ];

    protected override string Kind => "regressions";

    protected override string[] Keys => ["columns", "table"];

    protected override (string En, string Zh) DefaultTitle => ("Regression results", "回归结果");

    protected override bool ShowControlsByDefault => true;

    protected override bool TreatmentForms => true;

    protected override bool DependentVariableRow => true;

    protected override ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var columns = new List<ModelColumn>();
        var cols = a.Children.TryGetValue(new YamlScalarNode("columns"), out var cn) && cn is YamlSequenceNode cs ? cs.Children
            : throw r.Yaml.Error(cn ?? a, at + ".columns", "expected a list of columns, each a mapping of what changes from the baseline (e.g. { controls: [gov] }, or {} for the baseline)");
        for (int j = 0; j < cols.Count; j++) columns.Add(r.Column(cols[j], $"{at}.columns[{j}]", b, $"{name}/{j + 1}", null));
        return new ModelPlan(columns, [x]);
    }
}
