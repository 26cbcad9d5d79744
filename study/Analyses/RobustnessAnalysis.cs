using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary><c>type: robustness</c>: the baseline, then named variations of it; a coefficient plot against the baseline's estimate.</summary>
internal sealed class RobustnessAnalysis : ModelAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_robustness", """
        "analysis_robustness": {
          "description": "Column (1) the baseline, then each named variation.",
          "type": "object", "additionalProperties": false, "required": ["type", "variations"],
          "properties": {
            "type": { "description": "robustness", "enum": ["robustness"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" }, "table": { "$ref": "#/definitions/analysis_table" },
            "variations": { "description": "Named variations: name → what changes from the baseline.", "type": "object", "additionalProperties": { "$ref": "#/definitions/column" } }
          }
        }
        """),
    ];

    protected override string Kind => "robustness";

    protected override string[] Keys => ["variations", "table"];

    protected override (string En, string Zh) DefaultTitle => ("Robustness checks", "稳健性检验");

    protected override bool TreatmentForms => true;

    protected override bool DependentVariableRow => true;

    protected override ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var columns = new List<ModelColumn> { new(r.Zh ? "基准" : "Baseline", null, r.Model(b, $"{name}/1", false, a, at)) };
        var vars = a.Children.TryGetValue(new YamlScalarNode("variations"), out var vn) && vn is YamlMappingNode vm ? vm.Children
            : throw r.Yaml.Error(vn ?? a, at + ".variations", "expected a mapping of named variations, e.g. { winsorised: { winsorize: true }, no_pilots: { filter: \"pilot == 0\" } }");
        foreach (var (k, v) in vars)
        {
            string label = r.Yaml.Scalar(k, at + ".variations", "a name");
            columns.Add(r.Column(v, $"{at}.variations.{label}", b, $"{name}/{columns.Count + 1}", label));
        }
        return new ModelPlan(columns, [x]);
    }

    protected override Task<AnalysisOutput> ExtendAsync(AnalysisSpec a, IAnalysisRun run, AnalysisWords words, FittedModels fitted, Table table, CancellationToken ct) =>
        Task.FromResult(new AnalysisOutput([new AnalysisTable(a.Name, a.Name, table)],
            CoefficientChart(a, words, fitted.Fits, reference: true) is { } chart ? [chart] : []));
}
