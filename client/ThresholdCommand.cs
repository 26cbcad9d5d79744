using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;

namespace DigitalEconomy.Client;

/// <summary>
/// `de threshold`: Hansen's (1999) fixed-effects panel threshold regression with its bootstrap F tests, in this process
/// (a study's `threshold` analysis spreads the bootstrap over the cluster; the draws are the same numbers).
/// </summary>
internal static class ThresholdCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = new Argument<string>("formula")
        {
            Description = "the response and the regime-independent regressors: 'y ~ x1 + log(x2)' (the unit fixed effects are always absorbed; '| UNIT' may be written)",
        };
        var panelInput = new PanelInput();
        var q = new Option<string>("--threshold-var") { Description = "threshold variable q (a column or term, e.g. unemp or log(income))", Required = true };
        var regime = new Option<string>("--regime") { Description = "regime-dependent terms z, comma-separated: their slopes differ between regimes", Required = true };
        var k = new Option<int>("--thresholds") { Description = "number of thresholds estimated sequentially (1, 2, 3, …; no cap)", DefaultValueFactory = _ => 1 };
        var reps = new Option<int>("--reps") { Description = "bootstrap replications B of each F test (0 = no bootstrap)", DefaultValueFactory = _ => 300 };
        var grid = new Option<int>("--grid") { Description = "Hansen's qn: quantile grid of the distinct values of q; 0 = every distinct value (the exact search)", DefaultValueFactory = _ => 400 };
        var trim = new Option<string>("--trim") { Description = "trimming per step, comma-separated (the last repeats)", DefaultValueFactory = _ => "0.01" };
        var transform = new Option<string>("--transform") { Description = "full_within (default: every row, the FE regression's slopes) | hansen_drop_last_period (Hansen 1999: each unit's last period deleted after demeaning)", DefaultValueFactory = _ => "full_within" };
        var vcov = new Option<string>("--vcov") { Description = $"variance estimators of the regime coefficients, a list as in de estimate: {VcovSpec.Syntaxes}", DefaultValueFactory = _ => "iid" };
        var level = new Option<double>("--level") { Description = "confidence level of the LR intervals of the thresholds and of the coefficients", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<long>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 20261122 };
        var streamKey = new Option<string>("--stream-key") { Description = "bootstrap stream family: draw r of the test of k thresholds uses stream r of (seed, KEY/k); a study's threshold analysis NAME uses NAME", DefaultValueFactory = _ => "threshold" };
        var json = new Option<bool>("--json") { Description = "print JSON (every number, the LR curves included)" };
        var cmd = new Command("threshold", "Hansen's fixed-effects panel threshold regression: sequential thresholds, bootstrap F tests, LR intervals, regime coefficients")
        {
            formula, q, regime, k, reps, grid, trim, transform, vcov, level, seed, streamKey, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var inv = CultureInfo.InvariantCulture;
            var trims = p.GetValue(trim)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => double.TryParse(t, NumberStyles.Float, inv, out var v) ? v : throw new InputException($"--trim '{t}': expected a fraction such as 0.01")).ToArray();
            int b = p.GetValue(reps);
            if (b < 0) throw new InputException($"--reps {b}: expected 0 (no bootstrap) or a number of replications");
            var options = new ThresholdOptions
            {
                Thresholds = p.GetValue(k),
                GridPoints = p.GetValue(grid),
                Trim = [.. trims],
                Transform = ThresholdOptions.ParseTransform(p.GetValue(transform)!, "--transform"),
                Level = p.GetValue(level),
                Variances = [.. VcovSpec.ParseList(p.GetValue(vcov)!)],
            };
            var regimeTerms = p.GetValue(regime)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Formula.ParseTerm).ToList();
            var spec = new ThresholdSpec(Formula.Parse(p.GetValue(formula)!), Formula.ParseTerm(p.GetValue(q)!), regimeTerms, options);
            var panel = panelInput.Load(p);
            var result = PanelThreshold.Estimate(panel, spec);
            var tests = new List<ThresholdTest?>();
            foreach (var step in result.Steps)
            {
                if (b == 0) { tests.Add(null); continue; }
                stderr.WriteLine($"bootstrapping the test of {step.K - 1} against {step.K} threshold(s): {b} replications…");
                var draws = ThresholdBootstrap.Draws(panel, spec, step.Fixed, step.K, p.GetValue(seed), $"{p.GetValue(streamKey)}/{step.K}", 0, b);
                tests.Add(ThresholdBootstrap.Summarise(step.K, step.F, draws));
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(spec, result, tests, b, p.GetValue(seed)));
            else Text(stdout, spec, result, tests);
            return 0;
        }));
        return cmd;
    }

    private static string F(double v, string format = "0.0000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static void Text(TextWriter o, ThresholdSpec spec, ThresholdResult r, List<ThresholdTest?> tests)
    {
        o.WriteLine($"threshold variable {spec.ThresholdVariable.Text}; regime terms {string.Join(", ", spec.Regime.Select(t => t.Text))}; {r.Transform}, " +
                    $"{r.Units} units, {r.RowsUsed} rows used, grid of {r.Grid.Count} points (qn = {r.Qn}), LR critical value {F(r.CriticalLr)} ({F(r.Level * 100, "0.##")} %)");
        o.WriteLine($"{"test",-10}{"F",12}{"p",9}{"crit 10%",11}{"crit 5%",11}{"crit 1%",11}{"threshold",12}   interval");
        for (int i = 0; i < r.Steps.Count; i++)
        {
            var s = r.Steps[i];
            var t = tests[i];
            o.WriteLine($"{(s.K == 1 ? "single" : s.K == 2 ? "double" : s.K == 3 ? "triple" : $"k = {s.K}"),-10}{F(s.F),12}{(t is null ? "—" : F(t.PValue, "0.000")),9}" +
                        $"{(t is null ? "—" : F(t.Crit10)),11}{(t is null ? "—" : F(t.Crit5)),11}{(t is null ? "—" : F(t.Crit1)),11}{F(s.Stage.Gamma, "G6"),12}   [{F(s.Stage.CiLow, "G6")}, {F(s.Stage.CiHigh, "G6")}]");
            for (int j = 0; j < s.Refined.Count; j++)
                o.WriteLine($"{"",-10}{"",12}{"",9}{"",11}{"",11}{"refined γ" + (j + 1),11}{F(s.Refined[j].Gamma, "G6"),12}   [{F(s.Refined[j].CiLow, "G6")}, {F(s.Refined[j].CiHigh, "G6")}]");
        }
        var last = r.Steps[^1];
        foreach (var fit in last.Fit)
        {
            o.WriteLine($"regime coefficients at γ = {string.Join(", ", last.Thresholds.Select(g => F(g, "G6")))}   ({fit.Vcov}; regime 1: q < γ1, …)");
            o.WriteLine($"{"term",-28}{"estimate",12}{"std.error",12}{"t",9}{"p",9}");
            foreach (var c in fit.Coefficients)
                o.WriteLine($"{c.Term,-28}{F(c.Estimate, "0.000000"),12}{F(c.StdError, "0.000000"),12}{F(c.Statistic, "0.00"),9}{F(c.PValue, "0.0000"),9}");
            o.WriteLine($"n = {fit.N}, SSR = {F(fit.Ssr, "G8")}, within R² = {F(fit.R2Within ?? double.NaN)}");
        }
    }

    private static string Json(ThresholdSpec spec, ThresholdResult r, List<ThresholdTest?> tests, int reps, long seed)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("formula", spec.Formula.Source);
            w.WriteString("threshold_var", spec.ThresholdVariable.Text);
            w.WriteStartArray("regime");
            foreach (var t in spec.Regime) w.WriteStringValue(t.Text);
            w.WriteEndArray();
            w.WriteString("transform", r.Transform);
            w.WriteNumber("qn", r.Qn);
            w.WriteStartArray("trim");
            foreach (var t in spec.Options.Trim) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteNumber("reps", reps);
            w.WriteNumber("seed", seed);
            w.WriteNumber("units", r.Units);
            w.WriteNumber("rows", r.Rows);
            w.WriteNumber("rows_used", r.RowsUsed);
            w.WriteNumber("level", r.Level);
            w.WriteNumber("critical_lr", r.CriticalLr);
            w.WriteNumber("ssr_linear", r.SsrLinear);
            Numbers(w, "grid", r.Grid);
            w.WriteStartArray("steps");
            for (int i = 0; i < r.Steps.Count; i++)
            {
                var s = r.Steps[i];
                w.WriteStartObject();
                w.WriteNumber("k", s.K);
                Numbers(w, "fixed", s.Fixed);
                w.WritePropertyName("estimate");
                Estimate(w, s.Stage, curve: true);
                w.WriteNumber("ssr_null", s.SsrNull);
                JsonOutput.Num(w, "f", s.F);
                if (tests[i] is { } t)
                {
                    w.WriteStartObject("bootstrap");
                    w.WriteNumber("reps", t.Reps);
                    JsonOutput.Num(w, "p_value", t.PValue);
                    JsonOutput.Num(w, "crit_10", t.Crit10);
                    JsonOutput.Num(w, "crit_5", t.Crit5);
                    JsonOutput.Num(w, "crit_1", t.Crit1);
                    w.WriteEndObject();
                }
                else w.WriteNull("bootstrap");
                w.WriteStartArray("refined");
                foreach (var e in s.Refined) Estimate(w, e, curve: true);
                w.WriteEndArray();
                Numbers(w, "thresholds", s.Thresholds);
                w.WriteStartArray("fits");
                foreach (var f in s.Fit) w.WriteRawValue(JsonOutput.Write(f, null));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Estimate(Utf8JsonWriter w, ThresholdEstimate e, bool curve)
    {
        w.WriteStartObject();
        w.WriteNumber("threshold", e.Gamma);
        w.WriteNumber("ssr", e.Ssr);
        JsonOutput.Num(w, "ci_low", e.CiLow);
        JsonOutput.Num(w, "ci_high", e.CiHigh);
        if (curve)
        {
            w.WriteStartObject("curve");
            Numbers(w, "gamma", e.Curve.Gamma);
            Numbers(w, "ssr", e.Curve.Ssr);
            Numbers(w, "lr", e.Curve.Lr);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            if (double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteNullValue();
        w.WriteEndArray();
    }
}
