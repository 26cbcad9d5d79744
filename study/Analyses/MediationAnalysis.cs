using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: mediation</c>: two-step (X → M only, Jiang 2022) or Baron–Kenny (Y on X; per mediator M on X and Y on X and M;
/// the indirect effect with the Sobel and Aroian tests, and with <c>bootstrap:</c> its pairs cluster bootstrap interval).
/// </summary>
internal sealed class MediationAnalysis : ModelAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_mediation", """
        "analysis_mediation": {
          "description": "Mechanism tests: two_step (Jiang 2022: Y on X, then each M on X) or baron_kenny (M on X and Y on X and M per mediator, with a·b, Sobel and Aroian, and optionally the cluster bootstrap of a·b).",
          "type": "object", "additionalProperties": false, "required": ["type", "mediators"],
          "properties": {
            "type": { "description": "mediation", "enum": ["mediation"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" }, "table": { "$ref": "#/definitions/analysis_table" },
            "style": { "description": "two_step (default) or baron_kenny.", "type": "string", "enum": ["two_step", "baron_kenny"] },
            "mediators": { "description": "The mediators M (at least one).", "type": "array", "items": { "$ref": "#/definitions/variable" }, "minItems": 1 },
            "bootstrap": { "$ref": "#/definitions/mediation_bootstrap" }
          },
          "anyOf": [
            { "description": "Without bootstrap, either style.", "not": { "required": ["bootstrap"] } },
            { "description": "The bootstrap of a·b needs style: baron_kenny.", "required": ["style"], "properties": { "style": { "description": "baron_kenny", "enum": ["baron_kenny"] } } }
          ]
        }
        """),
        new("mediation_bootstrap", """
        "mediation_bootstrap": {
          "description": "Baron–Kenny only: pairs cluster bootstrap of a·b per mediator (units resampled with their series), percentile and bias-corrected intervals.",
          "type": "object", "additionalProperties": false,
          "properties": {
            "replicates": { "description": "Replicates per mediator (default 999).", "type": "integer", "minimum": 2, "maximum": 10000000 },
            "level": { "description": "Level of the intervals, in (0, 1) (default 0.95).", "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1 },
            "chunk": { "description": "Replicates per grain call (default 100); never changes a byte of the results.", "type": "integer", "minimum": 1, "maximum": 10000000 }
          }
        }
        """),
    ];

    protected override string Kind => "mediation";

    protected override string[] Keys => ["style", "mediators", "bootstrap", "table"];

    protected override (string En, string Zh) DefaultTitle => ("Mechanism tests", "机制检验");

    protected override ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        var columns = new List<ModelColumn>();
        List<string> keyTerms = [x];
        string style = a.Children.TryGetValue(new YamlScalarNode("style"), out var sn) ? y.Scalar(sn, at + ".style", "two_step or baron_kenny") : "two_step";
        if (style is not ("two_step" or "baron_kenny")) throw y.Error(sn!, at + ".style", $"expected two_step (X → M only, Jiang 2022) or baron_kenny, found '{style}'");
        var mn = a.Children.TryGetValue(new YamlScalarNode("mediators"), out var mnode) ? mnode : throw y.Error(a, at + ".mediators", "missing: the list of mediators M");
        var mediators = r.Vars(mn, at + ".mediators");
        if (mediators.Length == 0) throw y.Error(mn, at + ".mediators", "expected at least one mediator");
        if (b.Instruments.Length > 0) throw y.Error(a, at, "mediation uses the baseline without instruments; the baseline has instruments");
        // A mediator among the baseline's controls leaves them in every column of this analysis.
        var mb = b with { Controls = [.. b.Controls.Where(c => !mediators.Contains(c))] };
        columns.Add(new ModelColumn(AnalysisReader.Label(b.Outcome), null, r.Model(mb, $"{name}/1", false, a, at)));
        foreach (var m in mediators)
        {
            columns.Add(new ModelColumn(AnalysisReader.Label(m), null, r.Model(mb with { Outcome = m }, $"{name}/{columns.Count + 1}", false, a, at)));
            if (style == "baron_kenny")
            {
                columns.Add(new ModelColumn(AnalysisReader.Label(b.Outcome), null, r.Model(mb, $"{name}/{columns.Count + 1}", false, a, at, [m])));
                keyTerms.Add(m);
            }
        }
        // The bootstrap's path models come from this total model's formula tree (MediationBootstrapSpec.PathModels).
        var med = new MediationSpec(style, x, mediators, StudyMediation.Bootstrap(y, a, at, style, mb.Outcome, columns[0].Model));
        return new ModelPlan(columns, keyTerms, Mediation: med);
    }

    /// <summary>The columns of one mediator: its a path (M on X) and its full model (Y on X and M), with the total effect's column (Y on X).</summary>
    internal sealed record MediatorColumns(string Mediator, string Term, int Total, int APath, int Full);

    /// <summary>
    /// Where each mediator's models stand among the analysis's columns, found from the models themselves (the a path has
    /// the mediator as outcome; the full model has the total model's outcome and the mediator among its regressors), so the
    /// table does not depend on the order in which <see cref="Plan"/> listed them.
    /// </summary>
    internal static List<MediatorColumns> Layout(AnalysisSpec a, MediationSpec med)
    {
        var formulas = a.Columns.Select(c => c.Model.Model.Formula).ToList();
        var terms = med.Mediators.Select(m => Formula.ParseTerm(m).Text).ToList();
        bool HasRegressor(int j, string term) => formulas[j].Regressors.Any(r => r.Text == term);
        int total = Enumerable.Range(0, formulas.Count).First(j => !terms.Contains(formulas[j].Response.Text) && !terms.Any(t => HasRegressor(j, t)));
        string outcome = formulas[total].Response.Text;
        var used = new HashSet<int> { total };
        int Find(Func<int, bool> role)
        {
            int j = Enumerable.Range(0, formulas.Count).First(k => !used.Contains(k) && role(k));
            used.Add(j);
            return j;
        }
        return [.. med.Mediators.Select((m, k) =>
        {
            string term = terms[k];
            int aPath = Find(j => formulas[j].Response.Text == term);
            int full = Find(j => formulas[j].Response.Text == outcome && HasRegressor(j, term));
            return new MediatorColumns(m, term, total, aPath, full);
        })];
    }

    protected override async Task<AnalysisOutput> ExtendAsync(AnalysisSpec a, IAnalysisRun run, AnalysisWords words, FittedModels fitted, Table table, CancellationToken ct)
    {
        if (a.Mediation is { Style: "baron_kenny" } med)
        {
            var layout = Layout(a, med);
            var core = fitted.Results;
            string x = med.Treatment;
            table = AnalysisBlocks.WithSobel(table,
                [.. layout.Select(c => new MediatorEffect(c.Full, Mediation.Combine(core[c.Total][x], core[c.APath][x], core[c.Full][x], core[c.Full][c.Term])))], words.Language);
            if (med.Bootstrap is { } boot)
            {
                var cells = new List<MediatorBootstrapCells>();
                var failures = new List<string>();
                foreach (var c in layout)
                {
                    var result = await run.MediationBootstrapAsync(a, med, c.Mediator, ct);
                    cells.Add(new MediatorBootstrapCells(c.Full, result.Usable, result.Indirect));
                    if (result.Error is not null) failures.Add($"{c.Mediator}: {result.Error}");
                }
                table = AnalysisBlocks.WithMediationBootstrap(table, cells, boot.Replicates, boot.Level, failures, words.Language);
            }
        }
        return AnalysisOutput.Of(new AnalysisTable(a.Name, a.Name, table));
    }
}
