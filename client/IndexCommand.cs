using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

internal static class IndexCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var panelInput = new PanelInput();
        var system = new Option<string?>("--system") { Description = "indicator system: a YAML/JSON file, or built-in hqd | de | nqpf" };
        var indicators = new Option<string?>("--indicators") { Description = "inline system instead of --system: \"a:+,b:-,c\"" };
        var method = new Option<string>("--method") { Description = "entropy | pca", DefaultValueFactory = _ => "entropy" };
        var shift = new Option<double>("--shift") { Description = "entropy: translation shift added to normalised values (0 = none, 0·ln0 := 0)", DefaultValueFactory = _ => 0 };
        var perPeriod = new Option<bool>("--per-period") { Description = "entropy: min-max normalisation within each period instead of the pooled panel" };
        var scale = new Option<double>("--scale") { Description = "score scale: 1 (0–1) or 100 (0–100)", DefaultValueFactory = _ => 1 };
        var cumulative = new Option<double?>("--cumulative") { Description = "pca: keep components up to this cumulative variance share (default: eigenvalue > 1)" };
        var interpolate = new Option<bool>("--interpolate") { Description = "fill interior gaps of every indicator by linear interpolation within unit (each fill reported)" };
        var output = new Option<string?>("--out") { Description = "write unit, time, score and sub-indices to this CSV" };
        var json = new Option<bool>("--json") { Description = "print weights and diagnostics as JSON" };
        var cmd = new Command("index", "Build a composite index (entropy weights or PCA) from an indicator system")
        {
            system, indicators, method, shift, perPeriod, scale, cumulative, interpolate, output, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            double sc = p.GetValue(scale);
            if (sc is not (1 or 100)) throw new InputException($"--scale {sc.ToString(CultureInfo.InvariantCulture)}: expected 1 or 100 (scores on 0–1 or 0–100)");
            if (p.GetValue(output) is { } target)
                OutputPaths.NotAnInput(target, "--out", (p.GetValue(panelInput.Data), "--data"), (p.GetValue(system) is { } sf && File.Exists(sf) ? sf : null, "--system"));
            var sys = (p.GetValue(system), p.GetValue(indicators)) switch
            {
                (null, null) => throw new InputException("give the indicators with --system FILE.yaml|hqd|de|nqpf or --indicators \"a:+,b:-\""),
                ({ }, { }) => throw new InputException("give either --system or --indicators, not both"),
                ({ } s, null) => SystemLoader.Load(s),
                (null, { } i) => IndicatorSystem.ParseInline(i),
            };
            var panel = panelInput.Load(p);
            var warnings = new List<string>();
            if (p.GetValue(interpolate))
                foreach (var ind in sys.Indicators)
                {
                    if (!panel.Frame.Has(ind.Code)) continue;
                    var v = PanelTransforms.Interpolate(panel, panel.Frame.Numeric(ind.Code), out var fills);
                    panel = panel.WithColumn(ind.Code, v);
                    warnings.AddRange(fills.Select(f => $"interpolated {ind.Code} at {panel.UnitColumn} '{f.Unit}', {panel.TimeColumn} {f.Time}: {f.Value.ToString("G6", CultureInfo.InvariantCulture)}"));
                }
            var input = IndexInput.From(panel, sys);
            var entropyOptions = new EntropyOptions
            {
                Shift = p.GetValue(shift),
                Scope = p.GetValue(perPeriod) ? NormalisationScope.PerPeriod : NormalisationScope.Pooled,
                Scale = p.GetValue(scale),
            };
            string m = p.GetValue(method)!.ToLowerInvariant();
            if (m is not ("entropy" or "pca")) throw new InputException($"--method '{m}': expected entropy or pca");
            var entropy = EntropyIndex.Build(input, entropyOptions);
            warnings.AddRange(entropy.Warnings);
            PcaResult? pca = m == "pca" ? PcaIndex.Build(input, new PcaOptions { CumulativeVariance = p.GetValue(cumulative) }, entropy.Score) : null;
            double[] score = pca?.Score ?? entropy.Score;
            if (p.GetValue(output) is { } outPath) WriteScores(outPath, panel, input, score, pca is null ? entropy.SubIndices : null);
            if (p.GetValue(json)) stdout.WriteLine(Json(m, input, entropy, entropyOptions, pca, warnings));
            else
            {
                WriteTable(stdout, input, entropy, pca);
                foreach (var w in warnings) stderr.WriteLine($"warning: {w}");
                if (p.GetValue(output) is { } o) stdout.WriteLine($"scores of {input.RowCount} unit-periods written to {o}");
            }
            return 0;
        }));
        return cmd;
    }

    private static void WriteScores(string path, Panel panel, IndexInput input, double[] score, IReadOnlyDictionary<string, double[]>? sub)
    {
        var sb = new StringBuilder();
        var dims = sub?.Keys.ToList() ?? [];
        sb.Append(Csv(panel.UnitColumn)).Append(',').Append(Csv(panel.TimeColumn)).Append(",score");
        foreach (var d in dims) sb.Append(',').Append(Csv(d));
        sb.Append('\n');
        for (int i = 0; i < input.RowCount; i++)
        {
            sb.Append(Csv(input.Units[i])).Append(',').Append(input.Periods[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(score[i].ToString("R", CultureInfo.InvariantCulture));
            foreach (var d in dims) sb.Append(',').Append(sub![d][i].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        // Written next to the target and renamed, so a failure never leaves a half-written file or a temporary one.
        var bytes = new UTF8Encoding(false).GetBytes(sb.ToString());
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static string Csv(string s) => DigitalEconomy.Core.Data.CsvWriter.Field(s);

    private static void WriteTable(TextWriter o, IndexInput input, EntropyResult e, PcaResult? pca)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"{(pca is null ? "entropy-weight" : "PCA")} index of {input.System.Name}: {input.Columns.Count} indicators, {input.RowCount} unit-periods");
        int w = Math.Max(12, input.System.Indicators.Max(i => i.Code.Length) + 2);
        string extra = pca is null ? "" : $"{"PCA weight",12}";
        o.WriteLine($"{"indicator".PadRight(w)}{"dir",4}{"entropy",12}{"divergence",12}{(pca is null ? "weight" : "ent. weight"),12}{extra}  dimension");
        for (int j = 0; j < input.Columns.Count; j++)
        {
            var ind = input.System.Indicators[j];
            string pw = pca is null ? "" : ImpliedPcaWeight(pca, j).ToString("0.000000", inv).PadLeft(12);
            o.WriteLine($"{ind.Code.PadRight(w)}{(ind.Direction == Direction.Positive ? "+" : "-"),4}{e.Weights.Entropy[j].ToString("0.000000", inv),12}{e.Weights.Divergence[j].ToString("0.000000", inv),12}{e.Weights.Weight[j].ToString("0.000000", inv),12}{pw}  {ind.Dimension ?? ""}{(ind.NameZh is null ? "" : " / " + ind.NameZh)}");
        }
        if (pca is not null) o.WriteLine("(entropy columns for comparison; the PCA weight is Σ_k (λ_k/Σλ) v_kj, the loading on standardised indicators)");
        if (pca is not null)
        {
            o.WriteLine();
            o.WriteLine($"PCA: {pca.Components} component(s) kept{(pca.SignFlipped ? "; sign flipped to correlate positively with the entropy score" : "")}");
            for (int k = 0; k < pca.Eigenvalues.Length; k++)
                o.WriteLine($"  PC{k + 1}: eigenvalue {pca.Eigenvalues[k].ToString("0.0000", inv)}, variance share {pca.VarianceShare[k].ToString("0.0000", inv)}{(k < pca.Components ? "  (kept)" : "")}");
        }
        var byPeriod = Enumerable.Range(0, input.RowCount).GroupBy(i => input.Periods[i]).OrderBy(g => g.Key);
        double[] score = pca?.Score ?? e.Score;
        o.WriteLine();
        o.WriteLine("mean score by period: " + string.Join("  ", byPeriod.Select(g => $"{g.Key}: {g.Average(i => score[i]).ToString("0.0000", inv)}")));
    }

    /// <summary>Implied indicator weight of the PCA score: Σ_k (λ_k/Σλ_kept) v_kj.</summary>
    private static double ImpliedPcaWeight(PcaResult pca, int j)
    {
        double sel = pca.Eigenvalues.Take(pca.Components).Sum();
        return Enumerable.Range(0, pca.Components).Sum(k => pca.Eigenvalues[k] / sel * pca.Loadings[k][j]);
    }

    private static string Json(string method, IndexInput input, EntropyResult e, EntropyOptions o, PcaResult? pca, List<string> warnings)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("method", method);
            w.WriteStartObject("options");
            w.WriteString("system", input.System.Name);
            w.WriteString("normalisation", o.Scope == NormalisationScope.Pooled ? "pooled" : "per-period");
            w.WriteNumber("shift", o.Shift);
            w.WriteNumber("scale", o.Scale);
            if (pca is not null) w.WriteNumber("components", pca.Components);
            w.WriteEndObject();
            w.WriteStartObject("weights");
            for (int j = 0; j < input.Columns.Count; j++)
            {
                double weight = e.Weights.Weight[j];
                if (pca is not null) weight = ImpliedPcaWeight(pca, j);
                w.WriteNumber(input.System.Indicators[j].Code, weight);
            }
            w.WriteEndObject();
            if (pca is null)
            {
                w.WriteStartObject("entropy");
                for (int j = 0; j < input.Columns.Count; j++) w.WriteNumber(input.System.Indicators[j].Code, e.Weights.Entropy[j]);
                w.WriteEndObject();
                w.WriteStartObject("divergence");
                for (int j = 0; j < input.Columns.Count; j++) w.WriteNumber(input.System.Indicators[j].Code, e.Weights.Divergence[j]);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("entropy");
                w.WriteStartArray("eigenvalues");
                foreach (var v in pca.Eigenvalues) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteStartArray("variance_share");
                foreach (var v in pca.VarianceShare) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteStartArray("loadings");
                foreach (var row in pca.Loadings)
                {
                    w.WriteStartObject();
                    for (int j = 0; j < row.Length; j++) w.WriteNumber(input.System.Indicators[j].Code, row[j]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteBoolean("sign_flipped", pca.SignFlipped);
            }
            w.WriteNumber("n", input.RowCount);
            w.WriteStartArray("warnings");
            foreach (var s in warnings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
