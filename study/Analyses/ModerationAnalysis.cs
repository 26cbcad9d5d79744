using DigitalEconomy.Contracts;

namespace DigitalEconomy.Study.Analyses;

/// <summary><c>type: moderation</c>: the baseline with the moderator Z, then with Z and the interaction X:Z.</summary>
internal sealed class ModerationAnalysis : ModelAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_moderation", """
        "analysis_moderation": {
          "description": "(1) baseline + Z, (2) + X:Z.",
          "type": "object", "additionalProperties": false, "required": ["type", "moderator"],
          "properties": {
            "type": { "description": "moderation", "enum": ["moderation"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" }, "table": { "$ref": "#/definitions/analysis_table" },
            "moderator": { "description": "The moderator Z.", "allOf": [{ "$ref": "#/definitions/variable" }] }
          }
        }
        """),
    ];

    protected override string Kind => "moderation";

    protected override string[] Keys => ["moderator", "table"];

    protected override (string En, string Zh) DefaultTitle => ("Moderation", "调节效应");

    protected override ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var zn = a.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("moderator"), out var znode) ? znode : throw r.Yaml.Error(a, at + ".moderator", "missing: the moderator Z");
        string z = r.Var(zn, at + ".moderator");
        string xz = $"{x}:{z}";
        var zb = b with { Controls = [.. b.Controls.Where(c => c != z)] };
        List<ModelColumn> columns =
        [
            new("", null, r.Model(zb, $"{name}/1", false, a, at, [z])),
            new("", null, r.Model(zb, $"{name}/2", false, a, at, [z, xz])),
        ];
        return new ModelPlan(columns, [x, z, xz]);
    }
}
