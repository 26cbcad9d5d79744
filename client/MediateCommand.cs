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
/// `de mediate`: Baron-Kenny steps, Sobel/Aroian tests, and the cluster bootstrap of a·b. --unit and --time may be left
/// out (data without a panel, each row its own unit): what needs the panel (lags and leads in a term, panel variance
/// estimators, the bootstrap over units' series) says so in one line.
/// </summary>
internal static class MediateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var panelInput = new PanelInput(optionalPanel: true);
        var singletons = new SingletonsOption();
        var y = new Option<string>("--y") { Description = "outcome term, e.g. hqd_index or log(gsp)", Required = true };
        var x = new Option<string>("--x") { Description = "treatment term", Required = true };
        var m = new Option<string>("--m") { Description = "mediator term", Required = true };
        var controls = new Option<string?>("--controls") { Description = "control terms, comma-separated" };
        var fe = new Option<string>("--fe") { Description = "fixed effects, e.g. 'province + year' (0 for none)", DefaultValueFactory = _ => "0" };
        var vcov = new Option<string>("--vcov") { Description = "iid | hc1 | cluster:COL", DefaultValueFactory = _ => "iid" };
        var boot = new Option<int>("--bootstrap") { Description = "cluster-bootstrap replicates of a·b (0 = none; 999 is common)", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 20261122 };
        var streamKey = new Option<string>("--stream-key") { Description = "bootstrap stream family: replicate r draws from (seed, key, r); a study's mediation analysis NAME uses NAME/MEDIATOR", DefaultValueFactory = _ => "mediation" };
        var level = new Option<double>("--level") { Description = "level of the bootstrap intervals, in (0, 1)", DefaultValueFactory = _ => 0.95 };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("mediate", "Stepwise mediation (Baron-Kenny): c, a, c', b, a·b with Sobel/Aroian tests and an optional cluster bootstrap")
        {
            y, x, m, controls, fe, vcov, boot, seed, streamKey, level, json,
        };
        panelInput.AddTo(cmd);
        singletons.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            // The rule is read first: a bad --singletons is refused before the data are read.
            var options = new EstimationOptions { Vcov = VcovSpec.Parse(p.GetValue(vcov)!), DropSingletons = singletons.Drop(p) };
            var panel = panelInput.Load(p);
            // The total model Y ~ X + controls | fe as a tree of the parsed pieces (no formula text is put together).
            var ctrl = (p.GetValue(controls) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            string feText = p.GetValue(fe)!.Trim();
            var total = Formula.Of(Formula.ParseTerm(p.GetValue(y)!), [Formula.ParseTerm(p.GetValue(x)!), .. ctrl.Select(Formula.ParseTerm)],
                feText is "0" or "" ? [] : Formula.ParseFixedEffects(feText));
            var mediator = Formula.ParseTerm(p.GetValue(m)!);
            var r = Mediation.BaronKenny(panel, total, mediator, options);
            MediationBootstrap? b = null;
            if (p.GetValue(boot) > 0)
            {
                // Core's cluster bootstrap rebuilds each replicate as a panel of its unit and time columns, which data without a panel do not have.
                if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("--bootstrap (units resampled with their series)"));
                stderr.WriteLine($"bootstrapping {p.GetValue(boot)} replicates (units resampled with their series)…");
                double lv = p.GetValue(level);
                if (!(lv > 0 && lv < 1)) throw new InputException($"--level {lv.ToString(CultureInfo.InvariantCulture)}: expected a confidence level between 0 and 1 (e.g. 0.95)");
                b = Mediation.Bootstrap(panel, total, mediator, p.GetValue(boot), p.GetValue(seed), options, p.GetValue(streamKey)!, lv);
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(r, b));
            else Table(stdout, r, b, p.GetValue(vcov)!, p.GetValue(level));
            return 0;
        }));
        return cmd;
    }

    private static void Table(TextWriter o, MediationResult r, MediationBootstrap? b, string vcov, double level)
    {
        var inv = CultureInfo.InvariantCulture;
        string Row(string name, Coefficient c) => $"{name,-26}{c.Estimate.ToString("0.000000", inv),12}{c.StdError.ToString("0.000000", inv),12}{c.PValue.ToString("0.0000", inv),10}";
        o.WriteLine($"{"path",-26}{"estimate",12}{"std.error",12}{"p",10}   ({vcov})");
        o.WriteLine(Row("c  (Y on X, total)", r.Total));
        o.WriteLine(Row("a  (M on X)", r.APath));
        o.WriteLine(Row("c' (Y on X and M, direct)", r.Direct));
        o.WriteLine(Row("b  (Y on M given X)", r.BPath));
        o.WriteLine($"indirect a·b = {r.Indirect.ToString("0.000000", inv)} (= c − c' = {(r.Total.Estimate - r.Direct.Estimate).ToString("0.000000", inv)})");
        o.WriteLine($"Sobel z = {r.SobelZ.ToString("0.0000", inv)} (p = {r.SobelP.ToString("0.0000", inv)}), Aroian z = {r.AroianZ.ToString("0.0000", inv)} (p = {r.AroianP.ToString("0.0000", inv)})");
        if (b is not null)
        {
            var s = b.Indirect;
            o.WriteLine($"cluster bootstrap ({b.Draws.Count} replicates): mean {s.Mean.ToString("0.000000", inv)}, SE {s.StdError.ToString("0.000000", inv)}, " +
                        $"{level.ToString("0.###%", inv)} percentile [{s.PercentileLow.ToString("0.000000", inv)}, {s.PercentileHigh.ToString("0.000000", inv)}], " +
                        $"bias-corrected [{s.BiasCorrectedLow.ToString("0.000000", inv)}, {s.BiasCorrectedHigh.ToString("0.000000", inv)}]");
        }
        o.WriteLine("note: step (3) is not causally identified; the two-step style (Jiang 2022) reports only a (X → M).");
    }

    private static string Json(MediationResult r, MediationBootstrap? b)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (name, c) in new[] { ("c", r.Total), ("a", r.APath), ("c_prime", r.Direct), ("b", r.BPath) })
            {
                w.WriteStartObject(name);
                w.WriteNumber("estimate", c.Estimate);
                w.WriteNumber("std_error", c.StdError);
                w.WriteNumber("p_value", c.PValue);
                w.WriteEndObject();
            }
            w.WriteNumber("indirect", r.Indirect);
            w.WriteNumber("sobel_z", r.SobelZ);
            w.WriteNumber("sobel_p", r.SobelP);
            w.WriteNumber("aroian_z", r.AroianZ);
            w.WriteNumber("aroian_p", r.AroianP);
            if (b is null) w.WriteNull("bootstrap");
            else
            {
                var s = b.Indirect;
                w.WriteStartObject("bootstrap");
                w.WriteNumber("replicates", b.Draws.Count);
                w.WriteNumber("mean", s.Mean);
                w.WriteNumber("std_error", s.StdError);
                w.WriteNumber("percentile_low", s.PercentileLow);
                w.WriteNumber("percentile_high", s.PercentileHigh);
                w.WriteNumber("bias_corrected_low", s.BiasCorrectedLow);
                w.WriteNumber("bias_corrected_high", s.BiasCorrectedHigh);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
