using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Client;

/// <summary>
/// `de groupdiff`: tests of coefficient differences between groups (docs/methods.md, "Group-difference
/// tests"): each group's coefficients and their pairwise differences from the fully interacted model,
/// the Chow-type Wald tests, and the Fisher permutation test over whole units. --unit and --time may be left out
/// (data without a panel, each row its own unit) for the interacted model and its Wald tests; what needs the panel
/// (lags and leads in the formula, panel variance estimators, the permutation test over units) says so in one line.
/// </summary>
internal static class GroupDiffCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = new Argument<string>("formula") { Description = "OLS or within formula, as for 'de estimate': 'y ~ x1 + log(x2) | unit + year'" };
        var panelInput = new PanelInput(optionalPanel: true);
        var groups = new Option<string>("--groups") { Description = "column defining the groups (text or numeric; constant within unit for the permutation test)", Required = true };
        var diff = new Option<string[]>("--diff") { Description = "regressor whose difference is tested (repeatable; default: every regressor)", AllowMultipleArgumentsPerToken = false };
        var permutations = new Option<int>("--permutations") { Description = "Fisher permutations of the group labels across units (0 = none)", DefaultValueFactory = _ => GroupDifference.DefaultPermutations };
        var seed = new Option<long>("--seed") { Description = "seed of the permutation streams", DefaultValueFactory = _ => new PermutationOptions().Seed };
        var vcov = new Option<string>("--vcov") { Description = "iid | hc1 | cluster:COL[,COL] (of the interacted model)", DefaultValueFactory = _ => "iid" };
        var ssc = new Option<string>("--ssc") { Description = "small-sample convention: stata (default) | plm | lsdv (areg; R vcovCL HC1 on lm with dummies) | none", DefaultValueFactory = _ => "stata" };
        var filter = new Option<string[]>("--filter") { Description = "keep rows where e.g. 'year >= 2015' (repeatable)" };
        var singletons = new SingletonsOption();
        var dropCollinear = new Option<bool>("--drop-collinear") { Description = "omit collinear untested regressors with a note instead of stopping" };
        var level = new Option<double>("--level") { Description = "confidence level", DefaultValueFactory = _ => 0.95 };
        var json = new Option<bool>("--json") { Description = "print JSON instead of the tables" };
        var cmd = new Command("groupdiff", "Test coefficient differences between groups: Chow-type Wald test in the fully interacted model (slopes and fixed effects × group) and the Fisher permutation test")
        {
            formula, groups, diff, permutations, seed, vcov, ssc, filter, dropCollinear, level, json,
        };
        panelInput.AddTo(cmd);
        singletons.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var f = Formula.Parse(p.GetValue(formula)!);
            int b = p.GetValue(permutations);
            if (b < 0) throw new InputException($"--permutations {b}: expected 0 (no permutation test) or more");
            double lvl = p.GetValue(level);
            if (!(lvl > 0 && lvl < 1)) throw new InputException($"--level {lvl.ToString(Inv)}: expected a number between 0 and 1, e.g. 0.95");
            var options = new EstimationOptions
            {
                Vcov = VcovSpec.Parse(p.GetValue(vcov)!, VcovSpec.ParseConvention(p.GetValue(ssc)!)),
                Collinear = p.GetValue(dropCollinear) ? CollinearPolicy.Drop : CollinearPolicy.Error,
                DropSingletons = singletons.Drop(p),
                ConfidenceLevel = lvl,
                Filters = (p.GetValue(filter) ?? []).Select(RowFilter.Parse).ToList(),
            };
            var panel = panelInput.Load(p);
            string group = p.GetValue(groups)!;
            var terms = p.GetValue(diff) is { Length: > 0 } d ? d.Select(t => t.Trim()).ToList() : null;
            if (!panel.IsPanel && b > 0)
            {
                // Core's permutation design rebuilds a panel of the unit and time columns, which data without a panel do not have:
                // asked for, the test is refused; by default it is left out with a note.
                if (p.GetResult(permutations) is { Implicit: false }) throw new InputException(Panel.NeedsPanel($"--permutations {b} (the Fisher permutation test moves whole units)"));
                b = 0;
            }
            var chow = GroupDifference.Chow(panel, f, group, terms, options);
            // After the fit, so that a refusal stays the only line on stderr.
            if (!panel.IsPanel && p.GetValue(permutations) > 0)
                stderr.WriteLine($"note: {Panel.NeedsPanel("the Fisher permutation test (whole units move between groups)")}; it is left out");
            var perm = new PermutationOptions { Permutations = Math.Max(b, 1), Seed = p.GetValue(seed) };
            (PermutationObservation Observed, IReadOnlyList<PermutationTest> Tests)? permutation =
                b > 0 ? GroupDifference.Permutation(panel, f, group, chow.Terms, options, perm) : null;
            if (p.GetValue(json)) stdout.WriteLine(Json(f, chow, permutation, perm));
            else
            {
                Text(stdout, f, chow, permutation, perm, panel.IsPanel ? "units" : "rows");
                foreach (var w in chow.Interacted.Warnings) stderr.WriteLine($"warning: {w}");
            }
            return 0;
        }));
        return cmd;
    }

    private static string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";

    // units: what a unit is called, "units", or "rows" in data without a panel.
    private static void Text(TextWriter o, Formula f, GroupChowResult r, (PermutationObservation Observed, IReadOnlyList<PermutationTest> Tests)? perm, PermutationOptions po, string units)
    {
        var fit = r.Interacted;
        int w = Math.Max(18, r.Terms.Max(TerminalText.Width) + 2);
        int gw = Math.Max(8, r.Groups.Max(TerminalText.Width) * 2 + 5);
        string line = new('─', w + gw + 56);
        string dist = double.IsPositiveInfinity(fit.DfTests) ? "z" : $"t({fit.DfTests:0})";
        o.WriteLine($"group differences by {r.GroupColumn} ({r.Groups.Count} groups): {Estimation.Name(fit.Estimator)}, {f.Source}");
        o.WriteLine($"fully interacted model: {fit.Formula}");
        o.WriteLine($"N = {fit.N}; variance {fit.Vcov}; tests use {dist}" + string.Concat(fit.Clusters.Select(c => $"; {c.Value} clusters ({c.Key})")));
        o.WriteLine(line);
        o.WriteLine($"{TerminalText.PadRight("term", w)}{TerminalText.PadRight("group", gw)}{units,6}{"estimate",13}{"std.error",13}{"p",11}");
        foreach (var term in r.Terms)
        {
            bool first = true;
            foreach (var c in r.Coefficients.Where(c => c.Term == term))
            {
                int count = r.UnitsPerGroup[IndexOf(r.Groups, c.Group)];
                o.WriteLine($"{TerminalText.PadRight(first ? term : "", w)}{TerminalText.PadRight(c.Group, gw)}{count,6}{TableOutput.F(c.Coefficient.Estimate),13}{TableOutput.F(c.Coefficient.StdError),13}{TableOutput.P(c.Coefficient.PValue),11} {Stars(c.Coefficient.PValue)}".TrimEnd());
                first = false;
            }
        }
        o.WriteLine(line);
        o.WriteLine("differences (first − second)");
        o.WriteLine($"{TerminalText.PadRight("term", w)}{TerminalText.PadRight("groups", gw)}{"",6}{"difference",13}{"std.error",13}{"p",11}");
        foreach (var term in r.Terms)
        {
            bool first = true;
            foreach (var d in r.Differences.Where(d => d.Term == term))
            {
                o.WriteLine($"{TerminalText.PadRight(first ? term : "", w)}{TerminalText.PadRight(d.First + " − " + d.Second, gw)}{"",6}{TableOutput.F(d.Difference),13}{TableOutput.F(d.StdError),13}{TableOutput.P(d.PValue),11} {Stars(d.PValue)}".TrimEnd());
                first = false;
            }
        }
        o.WriteLine(line);
        o.WriteLine("Chow-type Wald tests: coefficients equal in every group");
        foreach (var t in r.TermTests) o.WriteLine($"{TerminalText.PadRight(t.Term, w)}{Test(t.Test)}".TrimEnd());
        o.WriteLine($"{TerminalText.PadRight(r.Terms.Count > 1 ? "all tested terms" : "joint", w)}{Test(r.JointTest)}".TrimEnd());
        if (perm is { } pm)
        {
            o.WriteLine(line);
            bool two = pm.Observed.Statistic == PermutationStatistic.Difference;
            o.WriteLine($"Fisher permutation test: {pm.Tests[0].Permutations + pm.Tests[0].Failed} permutations of the group labels across {units} (seed {po.Seed}); statistic "
                + (two ? $"d = b({r.Groups[0]}) − b({r.Groups[1]})" : "the range max − min of the group coefficients"));
            o.WriteLine(two
                ? $"{TerminalText.PadRight("term", w)}{"d",13}{"p two-sided",14}{"p d*≥d",11}{"bdiff share",13}{"failed",8}"
                : $"{TerminalText.PadRight("term", w)}{"range",13}{"p",14}{"",11}{"",13}{"failed",8}");
            foreach (var t in pm.Tests)
                o.WriteLine(two
                    ? $"{TerminalText.PadRight(t.Term, w)}{TableOutput.F(t.Observed),13}{TableOutput.P(t.PValue),14}{TableOutput.P(t.PValueUpper),11}{TableOutput.P(t.ShareUpper),13}{t.Failed,8}"
                    : $"{TerminalText.PadRight(t.Term, w)}{TableOutput.F(t.Observed),13}{TableOutput.P(t.PValue),14}{"",11}{"",13}{t.Failed,8}");
            o.WriteLine(two
                ? "p = (1 + #{|d*| ≥ |d|}) / (1 + B); p d*≥d = (1 + #{d* ≥ d}) / (1 + B); bdiff share = #{d* ≥ d} / B"
                : "p = (1 + #{range* ≥ range}) / (1 + B)");
        }
        o.WriteLine(line);
        o.WriteLine("* p<0.1, ** p<0.05, *** p<0.01");
    }

    private static string Test(TestResult t) =>
        (t.Df2 is { } d2 ? $"F({t.Df1:0}, {d2:0}) = " : $"χ²({t.Df1:0}) = ") + TableOutput.F(t.Statistic) + $"   p = {TableOutput.P(t.PValue)} {Stars(t.PValue)}";

    private static int IndexOf(IReadOnlyList<string> list, string s)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == s) return i;
        return -1;
    }

    private static string Json(Formula f, GroupChowResult r, (PermutationObservation Observed, IReadOnlyList<PermutationTest> Tests)? perm, PermutationOptions po)
    {
        var fit = r.Interacted;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("formula", f.Source);
            w.WriteString("interacted_formula", fit.Formula);
            w.WriteString("estimator", Estimation.Name(fit.Estimator));
            w.WriteString("group_column", r.GroupColumn);
            w.WriteStartArray("groups");
            for (int i = 0; i < r.Groups.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("label", r.Groups[i]);
                w.WriteNumber("units", r.UnitsPerGroup[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("n", fit.N);
            w.WriteNumber("df_resid", fit.DfResid);
            JsonOutput.Num(w, "df_tests", fit.DfTests);
            w.WriteString("vcov", fit.Vcov);
            w.WriteStartObject("clusters");
            foreach (var (k, v) in fit.Clusters) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteStartArray("coefficients");
            foreach (var c in r.Coefficients)
            {
                w.WriteStartObject();
                w.WriteString("term", c.Term);
                w.WriteString("group", c.Group);
                JsonOutput.CoefficientFields(w, c.Coefficient);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("differences");
            foreach (var d in r.Differences)
            {
                w.WriteStartObject();
                w.WriteString("term", d.Term);
                w.WriteString("first", d.First);
                w.WriteString("second", d.Second);
                JsonOutput.Num(w, "difference", d.Difference);
                JsonOutput.Num(w, "std_error", d.StdError);
                JsonOutput.Num(w, "statistic", d.Statistic);
                JsonOutput.Num(w, "p_value", d.PValue);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("wald");
            foreach (var t in r.TermTests)
            {
                w.WritePropertyName(t.Term);
                JsonOutput.WriteTest(w, t.Test);
            }
            w.WriteEndObject();
            w.WritePropertyName("joint");
            JsonOutput.WriteTest(w, r.JointTest);
            if (perm is not { } pm) w.WriteNull("permutation");
            else
            {
                w.WriteStartObject("permutation");
                w.WriteString("statistic", pm.Observed.Statistic == PermutationStatistic.Difference ? "difference" : "range");
                w.WriteNumber("permutations", po.Permutations);
                w.WriteNumber("seed", po.Seed);
                w.WriteString("key", po.Key);
                w.WriteStartArray("tests");
                foreach (var t in pm.Tests)
                {
                    w.WriteStartObject();
                    w.WriteString("term", t.Term);
                    JsonOutput.Num(w, "observed", t.Observed);
                    w.WriteNumber("usable", t.Permutations);
                    w.WriteNumber("failed", t.Failed);
                    w.WriteNumber("at_least", t.AtLeast);
                    w.WriteNumber("at_least_upper", t.AtLeastUpper);
                    JsonOutput.Num(w, "p_value", t.PValue);
                    JsonOutput.Num(w, "p_value_upper", t.PValueUpper);
                    JsonOutput.Num(w, "share_upper", t.ShareUpper);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartArray("warnings");
            foreach (var s in fit.Warnings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
