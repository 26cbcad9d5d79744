using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: did</c> — difference-in-differences for a staggered pilot policy (docs/studies.md, "did"): the TWFE DID table, the
/// heterogeneity-robust ATTs side by side (TWFE, Sun–Abraham, Callaway–Sant'Anna), the event study by relative period with its
/// pre-trend test and chart, the Goodman-Bacon decomposition, and the placebo tests: random reassignments of the pilot in blocks
/// of <see cref="DidPlaceboWork"/> on the compute grain (draws in permutations.parquet, test "placebo"), the fake-year placebo
/// and leaving out each cohort; Callaway–Sant'Anna's multiplier bootstrap in blocks of <see cref="DidBootstrapWork"/>. The
/// estimators run on the prepared panel here (each is one fit or a closed form); the placebo and bootstrap draws are spread
/// over the silos.
/// </summary>
internal sealed class DidAnalysis : IAnalysisType
{
    private static readonly string[] AllMethods = ["twfe", "event", "sunab", "cs", "bacon"];
    private static readonly string[] Keys = ["type", "name", "title", "outcome", "cohort", "treatment", "covariates", "methods", "control", "vcov", "ref", "bin", "placebo", "fake_year", "leave_out_cohorts", "est", "base_period", "bootstrap"];

    public IReadOnlyList<string> Kinds => ["did"];

    public IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_did", """
        "analysis_did": {
          "description": "Difference-in-differences for a staggered pilot policy: TWFE, event study, Sun-Abraham, Callaway-Sant'Anna, Goodman-Bacon, placebo tests.",
          "type": "object", "additionalProperties": false, "required": ["type", "outcome"],
          "properties": {
            "type": { "description": "did", "enum": ["did"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "outcome": { "description": "The outcome term.", "type": "string" },
            "cohort": { "description": "Column of each unit's first treated period (empty, 0 or after the last period = never treated).", "type": "string" },
            "treatment": { "description": "0/1 adoption column, instead of cohort.", "type": "string" },
            "covariates": { "description": "Covariate terms (TWFE, event study, Sun-Abraham, Callaway-Sant'Anna; Goodman-Bacon runs without them).", "type": "array", "items": { "type": "string" } },
            "est": { "description": "Callaway-Sant'Anna's estimator with covariates: or (outcome regression), ipw or dr (doubly robust, default, as R's did).", "enum": ["or", "ipw", "dr"] },
            "base_period": { "description": "Callaway-Sant'Anna's base period: varying (default) or universal (every period against g - 1).", "enum": ["varying", "universal"] },
            "bootstrap": {
              "description": "Callaway-Sant'Anna's multiplier bootstrap on the compute grain: bootstrap SEs and uniform bands of the cells and aggregations.",
              "type": "object", "additionalProperties": false,
              "properties": {
                "draws": { "description": "Number of draws (default 999).", "type": "integer", "minimum": 2 },
                "chunk": { "description": "Draws per grain call (default 250).", "type": "integer", "minimum": 1 }
              }
            },
            "methods": { "description": "Estimators reported (default: twfe, event, sunab, cs).", "type": "array", "items": { "enum": ["twfe", "event", "sunab", "cs", "bacon"] } },
            "control": { "description": "Callaway-Sant'Anna's comparison group (default never).", "enum": ["never", "notyet"] },
            "vcov": { "description": "Variance estimator of the regressions (default cluster by the unit).", "type": "string" },
            "ref": { "description": "The event study's omitted relative period (default -1).", "type": "integer" },
            "bin": { "description": "Event window end points [lo, hi]; periods beyond are binned into them.", "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 2 },
            "placebo": {
              "description": "Random reassignments of the pilot (TWFE DID per draw) on the compute grain.",
              "type": "object", "additionalProperties": false,
              "properties": {
                "draws": { "description": "Number of draws (default 500).", "type": "integer", "minimum": 1 },
                "kind": { "description": "units: reassign treated units keeping cohort sizes (default); years: shuffle adoption years among treated units.", "enum": ["units", "years"] },
                "chunk": { "description": "Draws per grain call (default 100).", "type": "integer", "minimum": 1 }
              }
            },
            "fake_year": { "description": "Fake-year placebo: adoption moved this many periods earlier, on pre-adoption rows (default: none).", "type": "integer", "minimum": 1 },
            "leave_out_cohorts": { "description": "Refit the TWFE DID without each cohort in turn (default false).", "type": "boolean" }
          }
        }
        """),
    ];

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        y.Known(a, at + ".", Keys);
        string name = r.Name(a, at, s.Kind);
        string title = r.Title(a, at, "Difference-in-differences", "双重差分估计");
        var outcomeNode = r.Need(a, "outcome", at);
        string outcomeText = y.Scalar(outcomeNode, at + ".outcome", "a term such as y or log(gdp)");
        Expr outcomeTerm;
        try { outcomeTerm = Formula.ParseTerm(outcomeText); }
        catch (InputException e) { throw y.Error(outcomeNode, at + ".outcome", $"'{outcomeText}' is not a term: {e.Message}"); }
        foreach (var col in outcomeTerm.Columns)
            if (!r.Available.Contains(col)) throw y.Error(outcomeNode, at + ".outcome", $"unknown variable '{col}'; available: {string.Join(", ", r.Available.Order(StringComparer.Ordinal))}");
        bool hasCohort = a.Children.TryGetValue(new YamlScalarNode("cohort"), out var cohortNode);
        bool hasTreat = a.Children.TryGetValue(new YamlScalarNode("treatment"), out var treatNode);
        if (hasCohort == hasTreat) throw y.Error(a, at + ".cohort", "give one of cohort (each unit's first treated period) or treatment (a 0/1 adoption column)");
        string? cohort = hasCohort ? r.Var(cohortNode!, at + ".cohort") : null;
        string? treatment = hasTreat ? r.Var(treatNode!, at + ".treatment") : null;
        // Terms are parsed here once and travel typed (ExprSurrogate) to the silos; TermOf has checked that each parses.
        var covariates = a.Children.TryGetValue(new YamlScalarNode("covariates"), out var cv)
            ? [.. r.Terms(cv, at + ".covariates").Select(t => ExprSurrogate.From(Formula.ParseTerm(t)))]
            : ImmutableArray<ExprSurrogate>.Empty;
        ImmutableArray<string> methods = ["twfe", "event", "sunab", "cs"];
        if (a.Children.TryGetValue(new YamlScalarNode("methods"), out var mv))
        {
            if (mv is not YamlSequenceNode seq || seq.Children.Count == 0) throw y.Error(mv, at + ".methods", $"expected a list of methods from {string.Join(", ", AllMethods)}");
            methods = [.. seq.Children.Select((n, i) =>
            {
                string m = y.Scalar(n, $"{at}.methods[{i}]", "a method");
                return AllMethods.Contains(m) ? m : throw y.Error(n, $"{at}.methods[{i}]", $"unknown method '{m}'; expected one of {string.Join(", ", AllMethods)}");
            }).Distinct()];
        }
        string control = "never";
        if (a.Children.TryGetValue(new YamlScalarNode("control"), out var cn))
        {
            control = y.Scalar(cn, at + ".control", "never or notyet");
            if (control is not ("never" or "notyet")) throw y.Error(cn, at + ".control", $"expected never or notyet, found '{control}'");
        }
        ImmutableArray<VcovSpec> variances = [];
        if (a.Children.TryGetValue(new YamlScalarNode("vcov"), out var vn))
        {
            string v = y.Scalar(vn, at + ".vcov", "a variance estimator");
            try { variances = [.. VcovSpec.ParseList(v)]; }
            catch (InputException e) { throw y.Error(vn, at + ".vcov", e.Message); }
            foreach (var col in variances.SelectMany(x => x.ClusterColumns))
                if (!r.Frame.Has(col)) throw y.Error(vn, at + ".vcov", $"unknown cluster column '{col}'");
        }
        int reference = Int(y, a, "ref", at, -1);
        int? lo = null, hi = null;
        if (a.Children.TryGetValue(new YamlScalarNode("bin"), out var bn))
        {
            if (bn is not YamlSequenceNode { Children.Count: 2 } b2) throw y.Error(bn, at + ".bin", "expected two integers [lo, hi], e.g. [-5, 5]");
            lo = IntOf(y, b2.Children[0], at + ".bin[0]");
            hi = IntOf(y, b2.Children[1], at + ".bin[1]");
            if (lo >= hi) throw y.Error(bn, at + ".bin", "the lower end point must be below the upper one");
            if (reference < lo || reference > hi) throw y.Error(bn, at + ".bin", $"the reference period {reference} must lie within [{lo}, {hi}]");
        }
        int draws = 0, chunk = 100;
        string kind = "units";
        if (a.Children.TryGetValue(new YamlScalarNode("placebo"), out var pn))
        {
            if (pn is not YamlMappingNode pm) throw y.Error(pn, at + ".placebo", "expected a mapping such as { draws: 500, kind: units, chunk: 100 }");
            y.Known(pm, at + ".placebo.", "draws", "kind", "chunk");
            draws = Int(y, pm, "draws", at + ".placebo", 500);
            chunk = Int(y, pm, "chunk", at + ".placebo", 100);
            if (draws < 1) throw y.Error(pm, at + ".placebo.draws", "expected at least 1 draw");
            if (chunk < 1) throw y.Error(pm, at + ".placebo.chunk", "expected at least 1 draw per call");
            if (pm.Children.TryGetValue(new YamlScalarNode("kind"), out var kn))
            {
                kind = y.Scalar(kn, at + ".placebo.kind", "units or years");
                if (kind is not ("units" or "years")) throw y.Error(kn, at + ".placebo.kind", $"expected units or years, found '{kind}'");
            }
        }
        string est = "dr", basePeriod = "varying";
        if (a.Children.TryGetValue(new YamlScalarNode("est"), out var en))
        {
            est = y.Scalar(en, at + ".est", "or, ipw or dr");
            if (est is not ("or" or "ipw" or "dr")) throw y.Error(en, at + ".est", $"expected or, ipw or dr, found '{est}'");
        }
        if (a.Children.TryGetValue(new YamlScalarNode("base_period"), out var bpn))
        {
            basePeriod = y.Scalar(bpn, at + ".base_period", "varying or universal");
            if (basePeriod is not ("varying" or "universal")) throw y.Error(bpn, at + ".base_period", $"expected varying or universal, found '{basePeriod}'");
        }
        int bootDraws = 0, bootChunk = 250;
        if (a.Children.TryGetValue(new YamlScalarNode("bootstrap"), out var bsn))
        {
            if (bsn is not YamlMappingNode bm) throw y.Error(bsn, at + ".bootstrap", "expected a mapping such as { draws: 999, chunk: 250 }");
            y.Known(bm, at + ".bootstrap.", "draws", "chunk");
            bootDraws = Int(y, bm, "draws", at + ".bootstrap", 999);
            bootChunk = Int(y, bm, "chunk", at + ".bootstrap", 250);
            if (bootDraws < 2) throw y.Error(bm, at + ".bootstrap.draws", "expected at least 2 draws");
            if (bootChunk < 1) throw y.Error(bm, at + ".bootstrap.chunk", "expected at least 1 draw per call");
            if (!methods.Contains("cs")) throw y.Error(bsn, at + ".bootstrap", "the multiplier bootstrap is Callaway-Sant'Anna's; add cs to methods");
        }
        int fake = Int(y, a, "fake_year", at, 0);
        if (fake < 0) throw y.Error(a, at + ".fake_year", "expected a shift of at least 1 period");
        bool leave = a.Children.TryGetValue(new YamlScalarNode("leave_out_cohorts"), out var ln) && y.Bool(ln, at + ".leave_out_cohorts");
        var settings = new DidSettings(ExprSurrogate.From(outcomeTerm), cohort, treatment, covariates, methods, control, variances, reference, lo, hi, draws, kind, chunk, fake, leave,
            est == "or" ? "reg" : est, basePeriod, bootDraws, bootChunk);
        return new AnalysisSpec(name, s.Kind, title, [], [], [], [], null, null, Settings: settings);
    }

    private static int Int(StudyYaml y, YamlMappingNode m, string key, string at, int fallback) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? IntOf(y, v, $"{at}.{key}") : fallback;

    private static int IntOf(StudyYaml y, YamlNode node, string at) =>
        int.TryParse(y.Scalar(node, at, "an integer"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw y.Error(node, at, "expected an integer");

    /// <summary>The outcome, the cohort or treatment column, the covariates and the cluster columns.</summary>
    public IEnumerable<DataUse> Uses(AnalysisSpec analysis)
    {
        if (analysis.Settings is not DidSettings s) yield break;
        foreach (var use in DataUse.Variables("outcome", s.Outcome.ToExpr().Columns)) yield return use;
        if (s.Cohort is { } cohort) yield return new DataUse("cohort", cohort, DataUseKind.Variable);
        if (s.Treatment is { } treatment) yield return new DataUse("treatment", treatment, DataUseKind.Variable);
        foreach (var use in DataUse.Variables("covariates", (s.Covariates.IsDefault ? [] : s.Covariates).SelectMany(c => c.ToExpr().Columns))) yield return use;
        foreach (var use in DataUse.Clusters("vcov", s.Variances.IsDefault ? [] : s.Variances)) yield return use;
    }

    public async Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var s = (DidSettings)a.Settings!;
        var words = new AnalysisWords(run.Study);
        bool zh = words.Zh;
        var panel = run.Panel;
        DidDesign design;
        DidOptions options = s.Options();
        try { design = s.Design(panel); }
        catch (InputException e) { throw new InputException($"analysis '{a.Name}': {e.Message}"); }
        string Fail(Exception e) => $"analysis '{a.Name}': {e.Message}";
        TwfeResult twfe;
        EventStudyResult? ev = null;
        SunAbrahamResult? sa = null;
        CsResult? cs = null;
        BaconResult? bacon = null;
        RegressionResult? plain = null;
        try
        {
            twfe = EventStudy.Twfe(design, options);
            if (options.Covariates.Count > 0) plain = EventStudy.Twfe(design, options with { Covariates = [] }).Fit;
            if (s.Methods.Contains("event")) ev = EventStudy.Fit(design, options);
            if (s.Methods.Contains("sunab")) sa = SunAbraham.Fit(design, options);
            // Callaway–Sant'Anna conditions on the covariates (its est: or/ipw/dr); Goodman-Bacon is exact without them only (the table says so).
            if (s.Methods.Contains("cs")) cs = CallawaySantAnna.Fit(design, options, s.ControlGroup, s.CsOptions);
            if (s.Methods.Contains("bacon")) bacon = Bacon.Decompose(design, options with { Covariates = [] });
        }
        catch (Exception e) when (e is InputException or EstimationException) { throw new InputException(Fail(e)); }

        var labels = new Dictionary<string, string>(words.Labels, StringComparer.Ordinal) { [EventStudy.TreatPost] = words.Labels.GetValueOrDefault(EventStudy.TreatPost) ?? (zh ? "DID（试点 × 实施后）" : "DID (treated × post)") };
        var tables = new List<AnalysisTable>
        {
            new(a.Name, a.Name, RegressionTable.Build(plain is null ? [twfe.Fit] : [plain, twfe.Fit], new RegressionTableOptions
            {
                Title = a.Title,
                Stat = run.Study.Tables?.Stat == "se" ? ParenthesisStat.Se : ParenthesisStat.T,
                R2 = run.Study.Tables?.R2 == "lsdv" ? R2Kind.Lsdv : R2Kind.Within,
                Labels = labels,
                Language = words.Language,
                UnitColumn = panel.UnitColumn,
                TimeColumn = panel.TimeColumn,
                DependentVariableRow = true,
            })),
        };
        string Controls(ControlGroup c) => c == ControlGroup.Never ? words.Word("never treated", "从未试点") : words.Word("not yet treated", "尚未试点");
        var atts = new List<DidAtt> { new(words.Word("TWFE", "双向固定效应"), twfe.Att.Estimate, twfe.Att.StdError, twfe.Att.PValue, words.Word("never + not yet + already treated", "全部未处理期"), twfe.Fit.N) };
        if (sa is not null) atts.Add(new DidAtt("Sun–Abraham", sa.Att.Estimate, sa.Att.StdError, sa.Att.PValue, Controls(ControlGroup.Never), sa.Fit.N));
        if (cs is not null) atts.Add(new DidAtt("Callaway–Sant'Anna", cs.Simple.Att, cs.Simple.StdError, cs.Simple.PValue, Controls(cs.Control), null));
        if (atts.Count > 1)
        {
            var robust = DidTables.Robust(words.Word($"{a.Title}: heterogeneity-robust estimators", $"{a.Title}：异质性稳健估计"), atts, zh);
            if (cs is not null && options.Covariates.Count > 0)
            {
                string how = s.Estimator switch { "reg" => words.Word("outcome regression", "结果回归"), "ipw" => words.Word("inverse probability weighting", "逆概率加权"), _ => words.Word("doubly robust", "双重稳健") };
                robust = robust with { Notes = [.. robust.Notes, words.Word($"Callaway–Sant'Anna conditions on the covariates ({how}, covariates at the base period).", $"Callaway–Sant'Anna 估计以控制变量为条件（{how}，控制变量取基期值）。")] };
            }
            tables.Add(new AnalysisTable(a.Name, a.Name + "_robust", robust));
        }

        var eventColumns = new List<DidEventColumn>();
        var points = new List<DidEventPoint>();
        double z = 1.959963984540054;
        if (ev is not null)
        {
            eventColumns.Add(new DidEventColumn(words.Word("TWFE event study", "事件研究（TWFE）"), ev.Terms.ToDictionary(t => t.RelPeriod, t => Att(t.Coefficient))));
            points.AddRange(ev.Terms.Select(t => new DidEventPoint(t.RelPeriod, t.Coefficient.Estimate, t.Coefficient.ConfLow, t.Coefficient.ConfHigh, "TWFE")));
        }
        if (sa is not null)
        {
            eventColumns.Add(new DidEventColumn("Sun–Abraham", sa.ByPeriod.ToDictionary(x => x.RelPeriod, x => Att(x.Coefficient))));
            points.AddRange(sa.ByPeriod.Select(x => new DidEventPoint(x.RelPeriod, x.Coefficient.Estimate, x.Coefficient.ConfLow, x.Coefficient.ConfHigh, "Sun–Abraham")));
        }
        if (cs is not null)
        {
            eventColumns.Add(new DidEventColumn("Callaway–Sant'Anna", cs.Dynamic.Effects.ToDictionary(e => (int)e.Key!.Value, e => new DidAtt("", e.Att, e.StdError, e.PValue, "", null))));
            // The universal base's e = −1 is 0 by construction with no SE (NaN): drawn as a point without a bar.
            points.AddRange(cs.Dynamic.Effects.Select(e => double.IsNaN(e.StdError)
                ? new DidEventPoint((int)e.Key!.Value, e.Att, e.Att, e.Att, "Callaway–Sant'Anna")
                : new DidEventPoint((int)e.Key!.Value, e.Att, e.Att - z * e.StdError, e.Att + z * e.StdError, "Callaway–Sant'Anna")));
        }
        var charts = new List<AnalysisChart>();
        if (eventColumns.Count > 0)
        {
            tables.Add(new AnalysisTable(a.Name, a.Name + "_event", DidTables.EventStudy(words.Word($"{a.Title}: event study", $"{a.Title}：事件研究"), eventColumns, s.Reference, ev?.PreTrend, zh)));
            string title = words.Word($"{a.Title}: event study (95% CI)", $"{a.Title}：事件研究（95% 置信区间）");
            var chartOptions = new DidEventStudyChartOptions
            {
                Title = title,
                PeriodAxis = words.Word("Periods relative to adoption", "相对政策实施的期数"),
                EstimateAxis = words.Word("Effect on " + words.Label(options.Outcome.Text), "对" + words.Label(options.Outcome.Text) + "的影响"),
                Reference = ev is not null ? s.Reference : null,
            };
            charts.Add(new AnalysisChart(a.Name + "_event", title, o => DidEventStudyChart.Render(points, chartOptions, o)));
        }
        if (bacon is not null) tables.Add(new AnalysisTable(a.Name, a.Name + "_bacon", DidTables.Bacon(words.Word($"{a.Title}: Goodman-Bacon decomposition", $"{a.Title}：Goodman-Bacon 分解"), bacon, zh)));

        if (cs is not null && s.Bootstrap > 0)
        {
            var blocks = Enumerable.Range(0, (s.Bootstrap + s.BootstrapChunk - 1) / s.BootstrapChunk)
                .Select(k => (First: k * s.BootstrapChunk, Count: Math.Min(s.BootstrapChunk, s.Bootstrap - k * s.BootstrapChunk))).ToList();
            string key = DidSettings.BootstrapStreamKey(a.Name);
            var done = await run.ComputeAsync($"multiplier-bootstrap draws of analysis {a.Name}", [.. blocks.Select(b => $"{a.Name}/cs_bootstrap/{b.First}")],
                (i, runId, dataset) => new DidBootstrapWork(runId, dataset, s, run.Study.Seed, key, blocks[i].First, blocks[i].Count), ct);
            var draws = done.OrderBy(d => d.First).SelectMany(d => d.Draws).Select(d => d.ToArray()).ToList();
            var boot = CsBootstrap.Summarise(cs, draws);
            tables.Add(new AnalysisTable(a.Name, a.Name + "_cs_bootstrap", DidTables.CsBootstrap(
                words.Word($"{a.Title}: Callaway–Sant'Anna with the multiplier bootstrap", $"{a.Title}：Callaway–Sant'Anna 乘数自助法"), cs, boot, zh)));
        }

        PlaceboSummary? summary = null;
        if (s.Placebo > 0)
        {
            var blocks = Enumerable.Range(0, (s.Placebo + s.Chunk - 1) / s.Chunk).Select(k => (First: k * s.Chunk, Count: Math.Min(s.Chunk, s.Placebo - k * s.Chunk))).ToList();
            string key = s.StreamKey(a.Name);
            var done = await run.ComputeAsync($"placebo draws of analysis {a.Name}", [.. blocks.Select(b => $"{a.Name}/placebo/{b.First}")],
                (i, runId, dataset) => new DidPlaceboWork(runId, dataset, s, run.Study.Seed, key, blocks[i].First, blocks[i].Count), ct);
            var draws = done.OrderBy(d => d.First).SelectMany(d => d.Estimates).ToList();
            run.RecordDraws(a, "placebo", EventStudy.TreatPost, 0, draws);
            // The actual estimate by the same arithmetic as the draws (it equals the table's TWFE estimate to rounding).
            double actual = TwfePlacebo.Prepare(design, options).Actual;
            summary = PlaceboSummary.Of(actual, [.. draws.Where(double.IsFinite)]);
            string title = words.Word($"{a.Title}: placebo test ({summary.Draws} random reassignments)", $"{a.Title}：安慰剂检验（{summary.Draws} 次随机分配）");
            var dist = new DistributionChartOptions
            {
                Title = title,
                ValueAxis = words.Word("Placebo DID estimate", "安慰剂 DID 估计系数"),
                CountAxis = words.Word("Count", "频数"),
                DrawsLabel = words.Word("Placebo draws (n = {0})", "安慰剂抽样（n = {0}）"),
                ObservedLabel = words.Word("Actual estimate = {0}", "真实估计值 = {0}"),
            };
            var finite = draws.Where(double.IsFinite).ToList();
            if (finite.Count > 0) charts.Add(new AnalysisChart(a.Name + "_placebo", title, o => DistributionChart.Render(finite, actual, dist, o)));
        }
        (int, DidAtt)? fake = null;
        IReadOnlyList<(long, DidAtt)> leave = [];
        try
        {
            if (s.FakeYear > 0) { var f = DidChecks.FakeYear(design, options, s.FakeYear); fake = (s.FakeYear, Att(f.Att)); }
            if (s.LeaveOutCohorts) leave = [.. DidChecks.LeaveOneCohortOut(design, options).Select(x => (x.Cohort, Att(x.Result.Att)))];
        }
        catch (Exception e) when (e is InputException or EstimationException) { throw new InputException(Fail(e)); }
        if (summary is not null || fake is not null || leave.Count > 0)
            tables.Add(new AnalysisTable(a.Name, a.Name + "_placebo", DidTables.Placebo(words.Word($"{a.Title}: placebo and robustness checks", $"{a.Title}：安慰剂与稳健性检验"),
                summary, s.PlaceboKind, fake, leave, zh)));
        return new AnalysisOutput(tables, charts);
    }

    private static DidAtt Att(Coefficient c) => new(c.Term, c.Estimate, c.StdError, c.PValue, "", null);
}
