using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: threshold</c>: Hansen's (1999) fixed-effects panel threshold model (docs/methods.md, "Panel threshold
/// regression"; docs/studies.md, "threshold"). The sequential estimation runs here on the prepared panel (one pass per search,
/// cheap); the bootstrap of each F test goes to the compute grain in blocks of <c>chunk</c> draws (ThresholdBootstrapWork, streams
/// (seed, "NAME/k", draw)), so its numbers do not depend on the blocks or the silos. Output: the tests table (tables/NAME.*),
/// the regime coefficients (tables/NAME_coefficients.*) and the LR(γ) chart with the critical-value line (plots/NAME_lr.*).
/// </summary>
internal sealed class ThresholdAnalysis : IAnalysisType
{
    private static readonly string[] Keys = ["type", "name", "title", "outcome", "regressors", "regime", "threshold_var", "thresholds", "reps", "chunk", "grid", "trim", "transform", "vcov", "level"];

    public IReadOnlyList<string> Kinds => ["threshold"];

    public IReadOnlyList<SchemaDefinition> Schema =>
    [
        new("analysis_threshold", """
        "analysis_threshold": {
          "description": "Hansen (1999) fixed-effects panel threshold regression: sequential thresholds with bootstrap F tests, LR intervals and the regime coefficients.",
          "type": "object", "additionalProperties": false, "required": ["type", "threshold_var"],
          "properties": {
            "type": { "description": "threshold", "enum": ["threshold"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "outcome": { "description": "The response (default: the baseline's outcome).", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "regressors": { "description": "The regime-independent regressors (default: the baseline's controls).", "allOf": [{ "$ref": "#/definitions/terms" }] },
            "regime": { "description": "The regime-dependent terms (default: the baseline's treatment).", "allOf": [{ "$ref": "#/definitions/terms" }] },
            "threshold_var": { "description": "The threshold variable q (a column or term).", "type": "string" },
            "thresholds": { "description": "Number of thresholds estimated sequentially (default 1; no cap).", "type": "integer", "minimum": 1, "maximum": 20 },
            "reps": { "description": "Bootstrap replications of each F test (default 300; 0: none).", "type": "integer", "minimum": 0, "maximum": 10000000 },
            "chunk": { "description": "Draws per grain call (default 50); never changes a byte of the results.", "type": "integer", "minimum": 1, "maximum": 10000000 },
            "grid": { "description": "Hansen's qn, the quantile grid of the distinct values of q (default 400); 0: every distinct value.", "type": "integer", "minimum": 0, "maximum": 10000000 },
            "trim": { "description": "Trimming per step (default 0.01); a list gives one per step, the last repeats.", "oneOf": [{ "type": "number", "minimum": 0, "exclusiveMaximum": 0.5 }, { "type": "array", "items": { "type": "number", "minimum": 0, "exclusiveMaximum": 0.5 }, "minItems": 1 }] },
            "transform": { "description": "full_within (default) or hansen_drop_last_period.", "type": "string", "enum": ["full_within", "hansen_drop_last_period"] },
            "vcov": { "description": "Variance estimators of the regime coefficients (default: the baseline's).", "type": "string" },
            "level": { "description": "Level of the LR intervals and coefficient intervals (default 0.95).", "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1 }
          }
        }
        """),
    ];

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        y.Known(a, at + ".", Keys);
        bool Has(string k, out YamlNode v) => a.Children.TryGetValue(new YamlScalarNode(k), out v!);
        string name = r.Name(a, at, "threshold");
        string title = r.Title(a, at, "Threshold effects", "门槛效应检验");
        var b = r.Baseline;
        string outcome = Has("outcome", out var on) ? r.Var(on, at + ".outcome") : b.Outcome;
        var regressors = Has("regressors", out var rn) ? r.Terms(rn, at + ".regressors") : b.Controls;
        var regime = Has("regime", out var gn) ? r.Terms(gn, at + ".regime") : [b.Treatment];
        if (regime.Length == 0) throw y.Error(gn!, at + ".regime", "expected at least one regime-dependent term");
        if (!Has("threshold_var", out var qn)) throw y.Error(a, at + ".threshold_var", "missing: the threshold variable q (a column or term, e.g. lngdp)");
        var q = r.TermOf(qn, at + ".threshold_var");
        long k = y.OptLong(a, "thresholds", at + ".", 1), reps = y.OptLong(a, "reps", at + ".", 300), chunk = y.OptLong(a, "chunk", at + ".", 50), grid = y.OptLong(a, "grid", at + ".", 400);
        if (k < 1 || k > 20) throw y.Error(a.Children[new YamlScalarNode("thresholds")], at + ".thresholds", $"expected an integer from 1 to 20, found {k}");
        if (reps < 0 || reps > 10_000_000) throw y.Error(a.Children[new YamlScalarNode("reps")], at + ".reps", $"expected an integer from 0 to 10000000, found {reps}");
        if (chunk < 1 || chunk > 10_000_000) throw y.Error(a.Children[new YamlScalarNode("chunk")], at + ".chunk", $"expected an integer from 1 to 10000000, found {chunk}");
        if (grid < 0 || grid > 10_000_000) throw y.Error(a.Children[new YamlScalarNode("grid")], at + ".grid", $"expected 0 (every distinct value) or a number of quantiles, found {grid}");
        ImmutableArray<double> trim = [0.01];
        if (Has("trim", out var tn))
        {
            var nodes = tn is YamlSequenceNode ts ? ts.Children.Select((n, i) => (n, $"{at}.trim[{i}]")).ToList() : [(tn, at + ".trim")];
            trim = [.. nodes.Select(p =>
            {
                double v = y.Double(p.Item1, p.Item2);
                return v >= 0 && v < 0.5 ? v : throw y.Error(p.Item1, p.Item2, $"expected a fraction from 0 to below 0.5, found {v.ToString(CultureInfo.InvariantCulture)}");
            })];
            if (trim.Length == 0) throw y.Error(tn, at + ".trim", "expected a fraction such as 0.01, or a list of them");
        }
        var transform = ThresholdTransform.FullWithin;
        if (Has("transform", out var trn))
        {
            try { transform = ThresholdOptions.ParseTransform(y.Scalar(trn, at + ".transform", "full_within or hansen_drop_last_period"), at + ".transform"); }
            catch (InputException e) { throw y.Error(trn, at + ".transform", e.Message.Split(": ", 2)[^1]); }
        }
        string vcov = Has("vcov", out var vn) ? y.Vcov(vn, at + ".vcov", r.Frame) : b.Vcov;
        double level = 0.95;
        if (Has("level", out var ln))
        {
            level = y.Double(ln, at + ".level");
            if (!(level > 0 && level < 1)) throw y.Error(ln, at + ".level", $"expected a confidence level between 0 and 1 (e.g. 0.95), found {level.ToString(CultureInfo.InvariantCulture)}");
        }
        // The model as trees of checked terms: the unit fixed effects are the model's own (no formula text is put together).
        var formula = Formula.Of(Formula.ParseTerm(outcome), regressors.Select(Formula.ParseTerm), [new FixedEffect([r.Unit])]);
        var spec = new ThresholdSpec(formula, Formula.ParseTerm(q), [.. regime.Select(Formula.ParseTerm)], new ThresholdOptions
        {
            Thresholds = (int)k,
            GridPoints = (int)grid,
            Trim = trim,
            Transform = transform,
            Level = level,
            Variances = [.. VcovSpec.ParseList(vcov)],
        });
        return new AnalysisSpec(name, "threshold", title, [], [], [], [], null, null, Settings: new ThresholdAnalysisSpec(ThresholdModel.From(spec), (int)reps, (int)chunk));
    }

    /// <summary>The outcome, the regressors, the regime-dependent terms, the threshold variable and the cluster columns.</summary>
    public IEnumerable<DataUse> Uses(AnalysisSpec analysis)
    {
        if (analysis.Settings is not ThresholdAnalysisSpec { Model: var m }) return [];
        return DataUse.Variables("outcome", m.Formula.Response.Columns)
            .Concat(DataUse.Variables("regressors", m.Formula.Regressors.SelectMany(e => e.Columns)))
            .Concat(DataUse.Variables("regime", (m.Regime.IsDefault ? [] : m.Regime).SelectMany(r => r.ToExpr().Columns)))
            .Concat(DataUse.Variables("threshold_var", m.ThresholdVariable.ToExpr().Columns))
            .Concat(DataUse.Clusters("vcov", m.Variances.IsDefault ? [] : m.Variances));
    }

    public async Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var th = a.Settings as ThresholdAnalysisSpec ?? throw new InvalidOperationException($"analysis '{a.Name}' has no threshold settings");
        var spec = th.Model.ToSpec();
        var words = new AnalysisWords(run.Study);
        ThresholdResult result;
        try { result = PanelThreshold.Estimate(run.Panel, spec); }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            throw new InputException($"analysis '{a.Name}': {e.Message}");
        }
        var tests = new ThresholdTest?[result.Steps.Count];
        if (th.Reps > 0)
        {
            var blocks = new List<(int K, string Key, ImmutableArray<double> Fixed, int First, int Count)>();
            foreach (var step in result.Steps)
                for (int first = 0; first < th.Reps; first += th.Chunk)
                    blocks.Add((step.K, $"{a.Name}/{step.K}", [.. step.Fixed], first, Math.Min(th.Chunk, th.Reps - first)));
            var owner = blocks.Select(b => b.K).ToList();
            var replies = await run.ComputeAsync("threshold bootstrap", [.. blocks.Select(b => $"{b.Key}/{b.First}")],
                (i, runId, dataset) => new ThresholdBootstrapWork(runId, dataset, th.Model, blocks[i].Fixed, blocks[i].K, run.Study.Seed, blocks[i].Key, blocks[i].First, blocks[i].Count), ct);
            foreach (var step in result.Steps)
            {
                var draws = new double[th.Reps];
                for (int i = 0; i < replies.Count; i++)
                    if (owner[i] == step.K) replies[i].F.CopyTo(draws, replies[i].First);
                tests[step.K - 1] = ThresholdBootstrap.Summarise(step.K, step.F, draws);
            }
        }
        string q = words.Label(spec.ThresholdVariable.Text);
        var testsTable = ThresholdTables.Tests(a.Title, result, tests, q, words.Language);
        var study = run.Study;
        var options = new RegressionTableOptions
        {
            Stat = study.Tables?.Stat == "se" ? ParenthesisStat.Se : ParenthesisStat.T,
            R2 = study.Tables?.R2 == "lsdv" ? R2Kind.Lsdv : R2Kind.Within,
            Labels = words.Labels,
            Language = words.Language,
            UnitColumn = study.Dataset.Unit,
            TimeColumn = study.Dataset.Time,
        };
        string coefTitle = words.Word($"{a.Title}: regime coefficients", $"{a.Title}：门槛回归结果");
        Table coefTable;
        try { coefTable = ThresholdTables.Coefficients(coefTitle, result.Steps[^1], [.. spec.Regime.Select(t => t.Text)], spec.ThresholdVariable.Text, options); }
        catch (ArgumentException e) { throw new InputException($"analysis '{a.Name}': {e.Message.Split(" (Parameter", 2)[0]}"); }
        var curves = result.Steps.Select(s => new ThresholdLrCurve(words.Word($"γ{s.K} ({ThresholdTables.StepName(s.K, words.Language).ToLowerInvariant()})", $"γ{s.K}（{ThresholdTables.StepName(s.K, words.Language)}）"),
            s.Stage.Curve.Gamma, s.Stage.Curve.Lr, result.Grid)).ToList();
        string level = (result.Level * 100).ToString("0.##", CultureInfo.InvariantCulture);
        var chartOptions = new ThresholdLrChartOptions
        {
            Title = words.Word($"{a.Title}: likelihood ratio LR(γ)", $"{a.Title}：似然比函数图"),
            ThresholdAxis = q,
            LrAxis = words.Word("LR statistic", "LR统计量"),
            CriticalLabel = words.Word($"{level}% critical value", $"{level}%临界值"),
        };
        var chart = new AnalysisChart($"{a.Name}_lr", chartOptions.Title, o => ThresholdLrChart.Render(curves, result.CriticalLr, chartOptions, o));
        return new AnalysisOutput([new AnalysisTable(a.Name, a.Name, testsTable), new AnalysisTable(a.Name, a.Name + "_coefficients", coefTable)], [chart]);
    }
}
