using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: gmm</c>: dynamic-panel robustness columns (difference or system GMM, docs/methods.md "Dynamic panels (GMM)"),
/// each a model in levels with the lagged outcome, fitted by core's <see cref="GmmEstimator"/> on the prepared panel (a few
/// small matrix products per unit; no grain work worth distributing, and no resampling), printed as reporting's
/// <see cref="GmmTable"/> with a coefficient plot of the lagged outcome and the treatment.
/// </summary>
internal sealed class GmmAnalysis : IAnalysisType
{
    private static readonly string[] ColumnKeys = ["label", "formula", "gmm", "iv", "system", "twostep", "collapse", "orthogonal", "time_effects"];

    public IReadOnlyList<string> Kinds => ["gmm"];

    public IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_gmm", """
        "analysis_gmm": {
          "description": "Dynamic panel GMM (Arellano–Bond difference or Blundell–Bond system GMM), one column per model, with AR(1)/AR(2), Hansen p, instruments and units.",
          "type": "object", "additionalProperties": false, "required": ["type"],
          "properties": {
            "type": { "description": "gmm", "enum": ["gmm"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "sample": { "description": "The rows used: a filter, or null (or all) for every row (default: the baseline's sample); lags do not reach dropped rows.", "allOf": [{ "$ref": "#/definitions/filter" }] },
            "columns": { "description": "The models (default: one two-step collapsed difference GMM column of the baseline).", "type": "array", "items": { "$ref": "#/definitions/gmm_column" } }
          }
        }
        """),
        new("gmm_column", """
        "gmm_column": {
          "description": "One GMM model.",
          "type": "object", "additionalProperties": false,
          "properties": {
            "label": { "description": "The column's header (default: the estimator).", "allOf": [{ "$ref": "#/definitions/text_value" }] },
            "formula": { "description": "The model in levels, 'y ~ lag(y) + x + …' (default: outcome ~ lag(outcome) + treatment + controls).", "type": "string", "minLength": 3 },
            "gmm": { "description": "GMM-style instrument sets TERM:FIRST:LAST (LAST '.' = every lag; ':c' collapses the set) (default: [OUTCOME:2:.]).", "type": "array", "items": { "type": "string", "minLength": 5 }, "minItems": 1 },
            "iv": { "description": "IV-style instruments (default: every regressor whose variable is not a gmm variable); [] for none.", "allOf": [{ "$ref": "#/definitions/terms" }] },
            "system": { "description": "System GMM (default false: difference GMM).", "allOf": [{ "$ref": "#/definitions/flag" }] },
            "twostep": { "description": "Two-step with Windmeijer SEs (default true).", "allOf": [{ "$ref": "#/definitions/flag" }] },
            "collapse": { "description": "Collapse every GMM-style set (default true: few units).", "allOf": [{ "$ref": "#/definitions/flag" }] },
            "orthogonal": { "description": "Forward orthogonal deviations instead of differences (difference GMM only; default false).", "allOf": [{ "$ref": "#/definitions/flag" }] },
            "time_effects": { "description": "Period dummies (default true).", "allOf": [{ "$ref": "#/definitions/flag" }] }
          }
        }
        """),
    ];

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        y.Known(a, at + ".", "type", "name", "title", "sample", "columns");
        string name = r.Name(a, at, s.Kind);
        string title = r.Title(a, at, "Dynamic panel GMM", "动态面板GMM估计");
        var filters = a.Children.TryGetValue(new YamlScalarNode("sample"), out var sn) ? r.Filter(sn, at + ".sample") : r.Baseline.Filters;
        var b = r.Baseline;
        var nodes = a.Children.TryGetValue(new YamlScalarNode("columns"), out var cn)
            ? cn is YamlSequenceNode cs && cs.Children.Count > 0 ? cs.Children : throw y.Error(cn, at + ".columns", "expected a list of models, e.g. [{ system: false }, { system: true }]")
            : [new YamlMappingNode()];
        var columns = new List<GmmColumn>();
        for (int j = 0; j < nodes.Count; j++) columns.Add(Column(nodes[j], $"{at}.columns[{j}]", r, b, a));
        return new AnalysisSpec(name, s.Kind, title, [], [], [.. filters.Select(RowFilter.Parse)], [], null, null,
            Settings: new GmmAnalysisSettings([.. columns], [.. filters.Select(RowFilter.Parse)]));
    }

    private static GmmColumn Column(YamlNode node, string at, AnalysisReader r, Baseline b, YamlNode section)
    {
        var y = r.Yaml;
        if (node is not YamlMappingNode m) throw y.Error(node, at, "expected a mapping, e.g. { system: true } ({} for the default model)");
        y.Known(m, at + ".", ColumnKeys);
        bool Has(string k, out YamlNode v) => m.Children.TryGetValue(new YamlScalarNode(k), out v!);
        bool Flag(string k, bool fallback) => Has(k, out var v) ? y.Bool(v, $"{at}.{k}") : fallback;
        string label = Has("label", out var ln) ? y.Scalar(ln, at + ".label", "a column label") : "";
        Formula f;
        if (Has("formula", out var fn))
        {
            string text = y.Scalar(fn, at + ".formula", "a model 'y ~ lag(y) + x'");
            try { f = Formula.Parse(text); }
            catch (InputException e) { throw y.Error(fn, at + ".formula", $"the model '{text}' does not parse: {e.Message}"); }
            if (f.FixedEffects.Count > 0 || f.IsIv) throw y.Error(fn, at + ".formula", $"'{text}': a GMM model is 'y ~ regressors' only (the unit effect is differenced out; instruments go in gmm and iv)");
        }
        else
        {
            // The baseline as a dynamic model: outcome ~ lag(outcome) + treatment + controls.
            var outcome = new VarExpr(b.Outcome);
            f = Formula.Of(outcome, [Formula.ParseTerm($"lag({b.Outcome})"), Formula.ParseTerm(AnalysisReader.Term(b)), .. b.Controls.Select(Formula.ParseTerm)], []);
        }
        foreach (var col in f.Columns)
            if (!r.Available.Contains(col)) throw y.Error(fn ?? section, at + ".formula", $"the model '{f.Source}' names unknown variable '{col}'; available: {string.Join(", ", r.Available.Order(StringComparer.Ordinal))}");
        bool collapse = Flag("collapse", true);
        ImmutableArray<GmmStyle> sets;
        if (Has("gmm", out var gn))
        {
            if (gn is not YamlSequenceNode gs || gs.Children.Count == 0) throw y.Error(gn, at + ".gmm", "expected a list of TERM:FIRST:LAST, e.g. [hqd:2:., de:2:4]");
            sets = [.. gs.Children.Select((n, i) =>
            {
                string where = $"{at}.gmm[{i}]";
                string t = y.Scalar(n, where, "TERM:FIRST:LAST");
                GmmStyle g;
                try { g = GmmStyle.Parse(t, "gmm", collapse); }
                catch (InputException e) { throw y.Error(n, where, e.Message); }
                foreach (var col in g.Variable.Columns)
                    if (!r.Available.Contains(col)) throw y.Error(n, where, $"unknown variable '{col}'; available: {string.Join(", ", r.Available.Order(StringComparer.Ordinal))}");
                return g;
            })];
        }
        else sets = [new GmmStyle(f.Response, 2, GmmStyle.AllLags, collapse)];
        IReadOnlyList<Expr>? iv = Has("iv", out var ivn) ? [.. r.Terms(ivn, at + ".iv").Select(Formula.ParseTerm)] : null;
        bool system = Flag("system", false), orthogonal = Flag("orthogonal", false);
        if (system && orthogonal) throw y.Error(m, at + ".orthogonal", "orthogonal deviations are for difference GMM only; drop one of system and orthogonal");
        var spec = new GmmSpec(f.Response, f.Regressors, sets, iv, system, Flag("twostep", true), Flag("time_effects", true),
            orthogonal ? GmmTransformation.OrthogonalDeviations : GmmTransformation.FirstDifferences);
        return new GmmColumn(label, spec);
    }

    /// <summary>Each column's response, regressors, GMM-style and IV instruments (its sample's filters are the spec's, re-checked already).</summary>
    public IEnumerable<DataUse> Uses(AnalysisSpec analysis) => analysis.Settings is not GmmAnalysisSettings settings || settings.Columns.IsDefault ? [] :
        settings.Columns.SelectMany((c, i) => DataUse.Variables($"columns[{i}]",
            c.Model.Response.Columns.Concat(c.Model.Regressors.SelectMany(e => e.Columns)).Concat(c.Model.Gmm.SelectMany(g => g.Variable.Columns))
                .Concat((c.Model.Iv ?? []).SelectMany(e => e.Columns)).Distinct(StringComparer.Ordinal)));

    public Task<AnalysisOutput> RunAsync(AnalysisSpec analysis, IAnalysisRun run, CancellationToken ct)
    {
        var settings = analysis.Settings as GmmAnalysisSettings ?? throw new InputException($"analysis '{analysis.Name}': the gmm settings are missing");
        var words = new AnalysisWords(run.Study);
        var columns = new List<GmmTableColumn>();
        foreach (var c in settings.Columns)
        {
            ct.ThrowIfCancellationRequested();
            try { columns.Add(new GmmTableColumn(c.Label, GmmEstimator.Fit(run.Panel, c.Model, settings.Filters))); }
            catch (Exception e) when (e is InputException or EstimationException) { columns.Add(new GmmTableColumn(c.Label, null, e.Message)); }
        }
        var table = GmmTable.Build(analysis.Title, columns, words.Language, words.Label);
        var charts = new List<AnalysisChart>();
        var points = new List<CoefficientPoint>();
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Fit is not { } fit) continue;
            string header = $"({i + 1}) {(columns[i].Label.Length > 0 ? columns[i].Label : GmmTable.Kind(fit.Spec, words.Zh))}";
            // The lagged outcome and the first other regressor (the treatment of the default model), with 95% robust intervals.
            foreach (var co in fit.Coefficients.Where(co => !co.IsTimeEffect).Take(2))
                points.Add(new CoefficientPoint(header, co.Estimate, co.Estimate - 1.959963984540054 * co.RobustStdError, co.Estimate + 1.959963984540054 * co.RobustStdError, words.Label(co.Term)));
        }
        if (points.Any(p => double.IsFinite(p.Low) && double.IsFinite(p.High)))
        {
            var options = new CoefficientPlotOptions { Title = analysis.Title, EstimateAxis = words.Word("Estimate (95% CI, robust)", "估计值（95%置信区间，稳健）") };
            charts.Add(new AnalysisChart(analysis.Name, analysis.Title, o => CoefficientPlot.Render(points, options, o)));
        }
        return Task.FromResult(new AnalysisOutput([new AnalysisTable(analysis.Name, analysis.Name, table)], charts));
    }
}
