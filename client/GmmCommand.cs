using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;

namespace DigitalEconomy.Client;

/// <summary>
/// `de gmm`: Arellano–Bond difference GMM and Blundell–Bond system GMM for dynamic panels, in the spirit of xtabond2
/// (<c>--gmm</c>, <c>--iv</c>, <c>--system</c>, <c>--twostep</c>, <c>--collapse</c>, <c>--orthogonal</c>), reporting the
/// AR(1)/AR(2), Sargan and Hansen tests, the instrument count and the Wald tests (docs/methods.md, "Dynamic panels (GMM)").
/// </summary>
internal static class GmmCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = new Argument<string>("formula")
        {
            Description = "the dynamic model in levels, regressors with their lags: 'log(emp) ~ lag(log(emp), 1) + lag(log(emp), 2) + log(wage) + lag(log(wage))' (no fixed effects: the unit effect is differenced out)",
        };
        var panelInput = new PanelInput();
        var gmm = new Option<string[]>("--gmm")
        {
            Description = "GMM-style instruments TERM:FIRST:LAST (LAST '.' = every lag; append ':c' to collapse this set), e.g. 'log(emp):2:.' for a lagged dependent variable, 'x:1:.' for a predetermined x (repeatable; required)",
            AllowMultipleArgumentsPerToken = false,
            Required = true,
        };
        var iv = new Option<string[]>("--iv")
        {
            Description = "IV-style (standard) instruments, comma list or repeated; 'none' for none (default, as plm: every regressor whose variable is not a --gmm variable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var system = new Option<bool>("--system") { Description = "system GMM (Blundell–Bond): add the level equations, instrumented by lagged differences" };
        var twostep = new Option<bool>("--twostep") { Description = "two-step estimates with Windmeijer-corrected standard errors (default one-step with cluster-robust SEs)" };
        var collapse = new Option<bool>("--collapse") { Description = "collapse every GMM-style set: one instrument per lag instead of one per period and lag (Roodman 2009)" };
        var orthogonal = new Option<bool>("--orthogonal") { Description = "forward orthogonal deviations instead of first differences (difference GMM only)" };
        var noTime = new Option<bool>("--no-time-effects") { Description = "leave out the period dummies (default: time effects, plm's effect = \"twoways\")" };
        var filter = new Option<string[]>("--filter") { Description = "keep rows where e.g. 'region == East' or 'year >= 2012' (repeatable); the panel is cut first, so lags and instruments do not reach dropped rows", AllowMultipleArgumentsPerToken = false };
        var diffHansen = new Option<bool>("--diff-hansen") { Description = "difference-in-Hansen (C) tests, one per instrument block (one refit each)" };
        var json = new Option<bool>("--json") { Description = "print JSON (every number) instead of the table" };
        var cmd = new Command("gmm", "Dynamic panel GMM: Arellano–Bond difference and Blundell–Bond system GMM, one- or two-step, with AR(1)/AR(2), Sargan/Hansen and Wald tests")
        {
            formula, gmm, iv, system, twostep, collapse, orthogonal, noTime, filter, diffHansen, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var f = Formula.Parse(p.GetValue(formula)!);
            if (f.FixedEffects.Count > 0 || f.IsIv)
                throw new InputException($"formula '{f.Source}': de gmm takes 'y ~ regressors' only; the unit effect is differenced out, period dummies come with the default time effects, and instruments are given with --gmm and --iv");
            bool col = p.GetValue(collapse);
            var sets = p.GetValue(gmm)!.Select(g => GmmStyle.Parse(g, "--gmm", col)).ToArray();
            var ivText = p.GetValue(iv) ?? [];
            IReadOnlyList<Expr>? ivTerms = ivText.Length == 0 ? null
                : ivText.Length == 1 && ivText[0].Trim() == "none" ? []
                : [.. ivText.SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Select(Formula.ParseTerm)];
            var spec = new GmmSpec(f.Response, f.Regressors, sets, ivTerms, p.GetValue(system), p.GetValue(twostep), !p.GetValue(noTime),
                p.GetValue(orthogonal) ? GmmTransformation.OrthogonalDeviations : GmmTransformation.FirstDifferences);
            var filters = (p.GetValue(filter) ?? []).Select(Core.Data.RowFilter.Parse).ToArray();
            var panel = panelInput.Load(p);
            var r = GmmEstimator.Fit(panel, spec, filters, p.GetValue(diffHansen));
            foreach (var w in r.Warnings) stderr.WriteLine($"warning: {w}");
            stdout.Write(p.GetValue(json) ? Json(r) + Environment.NewLine : Table(r));
            return 0;
        }));
        return cmd;
    }

    private static string F(double v) => TableOutput.F(v);
    private static string P(double v) => TableOutput.P(v);

    private static string Table(GmmResult r)
    {
        var s = r.Spec;
        var o = new StringBuilder();
        o.AppendLine(Inv, $"{(s.System ? "System (Blundell–Bond)" : "Difference (Arellano–Bond)")} GMM, {(s.TwoStep ? "two-step" : "one-step")}{(s.Transformation == GmmTransformation.OrthogonalDeviations ? ", forward orthogonal deviations" : "")}{(s.TimeEffects ? ", time effects" : "")}");
        o.AppendLine(Inv, $"model: {s.Text}");
        o.AppendLine(Inv, $"units {r.Units} (of {r.PanelUnits}), transformed equations {r.TransformedObservations}{(s.System ? $", level equations {r.LevelObservations}" : "")}, instruments {r.Instruments}");
        string se = s.TwoStep ? "Windmeijer" : "robust";
        o.AppendLine(Inv, $"{"term",-28}{"estimate",12}{"se",12}{se + " se",14}{"z",10}{"p",10}");
        foreach (var c in r.Coefficients)
            o.AppendLine(Inv, $"{c.Term,-28}{F(c.Estimate),12}{F(c.StdError),12}{F(c.RobustStdError),14}{F(c.Z),10}{P(c.PValue),10}");
        string ar2 = r.Ar2 is { } a2 ? $";  AR(2): z = {F(a2.Statistic)}, p = {P(a2.PValue)}" : "";
        o.AppendLine(Inv, $"Arellano–Bond AR(1): z = {F(r.Ar1.Statistic)}, p = {P(r.Ar1.PValue)}{ar2}");
        o.AppendLine(Inv, $"Hansen J({r.Hansen.Df}) = {F(r.Hansen.Statistic)}, p = {P(r.Hansen.PValue)} (robust; weakened by many instruments)");
        o.AppendLine(Inv, $"Sargan({r.Sargan.Df}) = {F(r.Sargan.Statistic)}, p = {P(r.Sargan.PValue)} (not robust)");
        string wtime = r.WaldTime is { } wt ? string.Create(Inv, $";  time effects χ²({wt.Df}) = {F(wt.Statistic)}, p = {P(wt.PValue)}") : "";
        o.AppendLine(Inv, $"Wald χ²({r.WaldCoefficients.Df}) coefficients = {F(r.WaldCoefficients.Statistic)}, p = {P(r.WaldCoefficients.PValue)}{wtime}");
        foreach (var d in r.DifferenceInHansen)
            o.AppendLine(Inv, $"difference-in-Hansen, {d.Block} ({d.Instruments}): C({d.Difference.Df}) = {F(d.Difference.Statistic)}, p = {P(d.Difference.PValue)}; J without it ({d.Excluded.Df}) = {F(d.Excluded.Statistic)}, p = {P(d.Excluded.PValue)}");
        return o.ToString();
    }

    internal static string Json(GmmResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            var s = r.Spec;
            w.WriteStartObject();
            w.WriteString("model", s.Text);
            w.WriteString("estimator", s.System ? "system" : "difference");
            w.WriteString("steps", s.TwoStep ? "two-step" : "one-step");
            w.WriteString("transformation", s.Transformation == GmmTransformation.OrthogonalDeviations ? "orthogonal" : "first-differences");
            w.WriteBoolean("time_effects", s.TimeEffects);
            w.WriteNumber("units", r.Units);
            w.WriteNumber("panel_units", r.PanelUnits);
            w.WriteNumber("transformed_observations", r.TransformedObservations);
            w.WriteNumber("level_observations", r.LevelObservations);
            w.WriteNumber("stacked_rows", r.StackedRows);
            w.WriteNumber("instruments", r.Instruments);
            w.WriteStartArray("instrument_blocks");
            foreach (var b in r.Blocks) { w.WriteStartObject(); w.WriteString("name", b.Name); w.WriteNumber("columns", b.Columns.Count); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteStartArray("coefficients");
            for (int j = 0; j < r.Coefficients.Count; j++)
            {
                var c = r.Coefficients[j];
                w.WriteStartObject();
                w.WriteString("term", c.Term);
                JsonOutput.Num(w, "estimate", c.Estimate);
                JsonOutput.Num(w, "std_error", c.StdError);
                JsonOutput.Num(w, "robust_std_error", c.RobustStdError);
                JsonOutput.Num(w, "z", c.Z);
                JsonOutput.Num(w, "p_value", c.PValue);
                JsonOutput.Num(w, "one_step_estimate", r.OneStep[j]);
                w.WriteBoolean("time_effect", c.IsTimeEffect);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Matrix(w, "vcov", r.Vcov);
            Matrix(w, "robust_vcov", r.RobustVcov);
            Test(w, "hansen", r.Hansen);
            Test(w, "sargan", r.Sargan);
            Test(w, "ar1", r.Ar1);
            Test(w, "ar2", r.Ar2);
            Test(w, "ar1_nonrobust", r.Ar1NonRobust);
            Test(w, "ar2_nonrobust", r.Ar2NonRobust);
            Test(w, "wald_coefficients", r.WaldCoefficients);
            Test(w, "wald_time", r.WaldTime);
            w.WriteStartArray("difference_in_hansen");
            foreach (var d in r.DifferenceInHansen)
            {
                w.WriteStartObject();
                w.WriteString("block", d.Block);
                w.WriteNumber("instruments", d.Instruments);
                Test(w, "excluded", d.Excluded);
                Test(w, "difference", d.Difference);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var x in r.Warnings) w.WriteStringValue(x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Test(Utf8JsonWriter w, string name, GmmTest? t)
    {
        if (t is null) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        JsonOutput.Num(w, "statistic", t.Statistic);
        if (t.Df > 0) w.WriteNumber("df", t.Df);
        JsonOutput.Num(w, "p_value", t.PValue);
        w.WriteEndObject();
    }

    private static void Matrix(Utf8JsonWriter w, string name, double[,] m)
    {
        w.WriteStartArray(name);
        for (int i = 0; i < m.GetLength(0); i++)
        {
            w.WriteStartArray();
            for (int j = 0; j < m.GetLength(1); j++) { if (double.IsFinite(m[i, j])) w.WriteNumberValue(m[i, j]); else w.WriteNullValue(); }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
