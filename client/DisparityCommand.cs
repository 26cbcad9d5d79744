using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Client;

/// <summary>
/// `de disparity`: regional gaps of a measure per period. --unit and --time may be left out (data without a panel, a
/// cross-section): the gaps are then computed once over all rows (period "all"), and β-convergence, which needs each
/// unit's growth between periods, is left out with a one-line note.
/// </summary>
internal static class DisparityCommand
{
    private sealed record Row(long Period, int N, double Mean, double Cv, double SdLog, TheilResult Theil, DagumResult Dagum);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var panelInput = new PanelInput(optionalPanel: true);
        var value = new Option<string>("--value") { Description = "the measure whose regional gaps are decomposed (positive)", Required = true };
        var group = new Option<string>("--group") { Description = "grouping column for the decompositions (e.g. macro-region)", Required = true };
        var weight = new Option<string?>("--weight") { Description = "optional weight column for the Theil index (e.g. population)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("disparity", "Regional gaps per period: CV, Theil T (within/between), Dagum Gini (within/net-between/transvariation), σ- and β-convergence")
        {
            value, group, weight, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var panel = panelInput.Load(p);
            string v = p.GetValue(value)!, g = p.GetValue(group)!;
            var y = panel.Frame.Numeric(v);
            var grp = panel.Frame[g];
            var wcol = p.GetValue(weight) is { } wc ? panel.Frame.Numeric(wc) : null;
            var rows = new List<Row>();
            foreach (var t in panel.Periods)
            {
                var idx = Enumerable.Range(0, panel.RowCount).Where(i => panel.Time[i] == t && !double.IsNaN(y[i]) && grp.TextAt(i) is not null).ToArray();
                if (idx.Length < 2) continue;
                var yt = idx.Select(i => y[i]).ToArray();
                var gt = idx.Select(i => grp.TextAt(i)!).ToArray();
                var labels = idx.Select(i => panel.Describe(i)).ToArray();
                var theil = Disparity.Theil(yt, gt, wcol is null ? null : idx.Select(i => wcol[i]).ToArray(), labels);
                var dagum = Disparity.Dagum(yt, gt);
                var logs = yt.Select(x => Math.Log(x)).ToArray();
                double ml = logs.Average();
                rows.Add(new Row(t, idx.Length, yt.Average(), Disparity.CoefficientOfVariation(yt), Math.Sqrt(logs.Sum(l => (l - ml) * (l - ml)) / logs.Length), theil, dagum));
            }
            if (rows.Count == 0) throw new InputException($"no period has two or more observed values of '{v}'");
            BetaConvergence? beta = panel.Periods.Count > 2 ? Disparity.Beta(panel, v) : null;
            if (!panel.IsPanel) stderr.WriteLine($"note: {Panel.NeedsPanel("β-convergence (each unit's growth between periods)")}");
            if (p.GetValue(json)) stdout.WriteLine(Json(v, g, rows, beta, panel.IsPanel));
            else Table(stdout, v, g, rows, beta, panel.IsPanel);
            return 0;
        }));
        return cmd;
    }

    private static void Table(TextWriter o, string v, string g, List<Row> rows, BetaConvergence? beta, bool isPanel)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double x) => x.ToString("0.0000", inv).PadLeft(9);
        o.WriteLine($"regional gaps of {v} by {g}");
        o.WriteLine($"{"period",8}{"n",5}{"mean",11}{"CV",9}{"sd(ln)",9}{"Theil",9}{"within",9}{"between",9}{"Gini",9}{"G_w",9}{"G_nb",9}{"G_t",9}");
        foreach (var r in rows)
            o.WriteLine($"{(isPanel ? r.Period.ToString(inv) : "all"),8}{r.N,5}{r.Mean.ToString("0.####", inv),11}{F(r.Cv)}{F(r.SdLog)}{F(r.Theil.Total)}{F(r.Theil.Within)}{F(r.Theil.Between)}{F(r.Dagum.Total)}{F(r.Dagum.Within)}{F(r.Dagum.NetBetween)}{F(r.Dagum.Transvariation)}");
        o.WriteLine("Theil = within + between; Gini = G_w (within) + G_nb (net between) + G_t (transvariation); sd(ln) is the σ-convergence series");
        if (beta is not null)
            o.WriteLine($"absolute β-convergence (pooled, Δln y on ln y(t−1)): β = {beta.Beta.ToString("0.0000", inv)} (se {beta.StdError.ToString("0.0000", inv)}, p = {beta.PValue.ToString("0.0000", inv)})"
                + (double.IsNaN(beta.Speed) ? "" : $", speed {beta.Speed.ToString("0.0000", inv)}, half-life {beta.HalfLife.ToString("0.0", inv)} periods"));
    }

    private static string Json(string v, string g, List<Row> rows, BetaConvergence? beta, bool isPanel)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("value", v);
            w.WriteString("group", g);
            w.WriteStartArray("periods");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                if (isPanel) w.WriteNumber("period", r.Period);
                else w.WriteNull("period"); // data without a panel: one computation over all rows
                w.WriteNumber("n", r.N);
                w.WriteNumber("mean", r.Mean);
                w.WriteNumber("cv", r.Cv);
                w.WriteNumber("sd_log", r.SdLog);
                w.WriteStartObject("theil");
                w.WriteNumber("total", r.Theil.Total);
                w.WriteNumber("within", r.Theil.Within);
                w.WriteNumber("between", r.Theil.Between);
                w.WriteStartObject("groups");
                foreach (var (k, x) in r.Theil.Groups)
                {
                    w.WriteStartObject(k);
                    w.WriteNumber("theil", x.Theil);
                    w.WriteNumber("value_share", x.ValueShare);
                    w.WriteNumber("weight_share", x.WeightShare);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("dagum");
                w.WriteNumber("total", r.Dagum.Total);
                w.WriteNumber("within", r.Dagum.Within);
                w.WriteNumber("net_between", r.Dagum.NetBetween);
                w.WriteNumber("transvariation", r.Dagum.Transvariation);
                w.WriteStartObject("within_gini");
                foreach (var (k, x) in r.Dagum.WithinGini) w.WriteNumber(k, x);
                w.WriteEndObject();
                w.WriteStartObject("between_gini");
                foreach (var (k, x) in r.Dagum.BetweenGini) w.WriteNumber(k, x);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (beta is null) w.WriteNull("beta_convergence");
            else
            {
                w.WriteStartObject("beta_convergence");
                w.WriteNumber("beta", beta.Beta);
                w.WriteNumber("std_error", beta.StdError);
                w.WriteNumber("p_value", beta.PValue);
                if (double.IsFinite(beta.Speed)) { w.WriteNumber("speed", beta.Speed); w.WriteNumber("half_life", beta.HalfLife); }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
