using System.Globalization;
using System.Text;
using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Stage 6: the Markdown table of the grid (baseline and one-choice departures); the charts come with the report (RunExecution.Publish.cs).</summary>
    private void Report(List<SpecificationRow> rows, Resampled? boot, CurveSummaryRecord? curve)
    {
        using var span = Telemetry.Source.StartActivity("run.report");
        Progress("report", 0, 1);
        Directory.CreateDirectory(Path.Combine(RunDir, "tables"));
        AtomicFile.Write(Path.Combine(RunDir, "tables", "specifications.md"), s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            WriteTable(w, rows, boot?.Summary, curve);
        });
        Progress("report", 1, 1);
    }

    /// <summary>The table's note on the bootstrap: the baseline's (column (1)) interval, or how many specifications were bootstrapped when the baseline was not.</summary>
    private static string BootstrapLine(BootstrapSummaryRecord boot)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "n/a";
        var (bs, s) = (boot.Spec, boot.Shown);
        string level = (bs.Level * 100).ToString("0.##", Inv) + "%";
        string others = boot.Specifications > (boot.ShownIsBaseline ? 1 : 0)
            ? $" {boot.Specifications} specification{(boot.Specifications == 1 ? "" : "s")} bootstrapped in all (their intervals are in specs.parquet)." : "";
        if (!boot.ShownIsBaseline) return $"Column (1) was not bootstrapped;{others}";
        string head = bs.Method == BootstrapMethod.Wild
            ? $"Wild cluster bootstrap ({bs.Type.ToString().ToUpperInvariant()}, {bs.Weights.ToString().ToLowerInvariant()} weights) of column (1), H0: coefficient = 0, "
              + (s.Enumerated ? $"full enumeration of {s.Replicates} sign vectors" : $"{s.Replicates} draws")
            : $"Cluster bootstrap of column (1), {s.Replicates} replicates{(s.Failed > 0 ? $" ({s.Failed} failed)" : "")} (bootstrap.parquet)";
        string body = s.Note is not null && s.StdError is null && s.WildPValue is null ? $": {s.Note}."
            : bs.Method == BootstrapMethod.Wild
                ? $": p = {F(s.WildPValue, "0.000")}, {level} interval by test inversion [{F(s.WildLow, "0.0000")}, {F(s.WildHigh, "0.0000")}]."
                : $": SE {F(s.StdError, "0.0000")}, {level} percentile interval [{F(s.PercentileLow, "0.0000")}, {F(s.PercentileHigh, "0.0000")}], bias-corrected [{F(s.BiasCorrectedLow, "0.0000")}, {F(s.BiasCorrectedHigh, "0.0000")}].";
        return head + body + (boot.Specifications > 1 ? others : "");
    }

    /// <summary>The grid's choice dimensions, in the order of <see cref="Choices"/>.</summary>
    private static readonly string[] ChoiceDimensions = ["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov"];

    private static string[] Choices(SpecificationRow r) => [r.Outcome, r.Controls, r.FixedEffects, r.Sample, r.Winsor, r.Lag, r.Vcov];

    /// <summary>The baseline's choices (the first entry of each grid dimension), in the order of <see cref="Choices"/>.</summary>
    private string[] BaselineChoices()
    {
        var g = _study.Grid!;
        return [g.Outcomes[0], g.Controls[0].Name, g.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", g.FixedEffects[0]), g.Samples[0].Name,
            GridExpansion.YesNo(g.Winsorize[0]), GridExpansion.YesNo(g.Lag[0]), g.Vcov[0]];
    }

    private void WriteTable(StreamWriter w, List<SpecificationRow> rows, BootstrapSummaryRecord? boot, CurveSummaryRecord? curve)
    {
        var g = _study.Grid!;
        string[] dims = ChoiceDimensions;
        string[] baseline = BaselineChoices();
        int Diff(SpecificationRow r) => Choices(r).Where((c, k) => c != baseline[k]).Count();
        int FirstDiff(SpecificationRow r) => Enumerable.Range(0, dims.Length).First(k => Choices(r)[k] != baseline[k]);
        var cols = rows.Where(r => Diff(r) == 0).Concat(rows.Where(r => Diff(r) == 1)
            .OrderBy(FirstDiff).ThenBy(r => string.Join("|", Choices(r)), StringComparer.Ordinal)).ToList();
        w.WriteLine($"# {_study.Name}: baseline and robustness columns");
        w.WriteLine();
        w.WriteLine($"Coefficient of `{g.Treatment}` (standard error). Column (1) is the baseline; each other column changes one choice. *** p<0.01, ** p<0.05, * p<0.1.");
        w.WriteLine();
        w.WriteLine("| | " + string.Join(" | ", cols.Select((_, i) => $"({i + 1})")) + " |");
        w.WriteLine("|---|" + string.Concat(cols.Select(_ => "---|")));
        static string Stars(double? p) => p is null ? "" : p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
        static string Num(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, Inv) : "";
        w.WriteLine("| estimate | " + string.Join(" | ", cols.Select(r => r.Estimate is { } e && double.IsFinite(e) ? e.ToString("0.0000", Inv) + Stars(r.PValue) : "failed")) + " |");
        w.WriteLine("| | " + string.Join(" | ", cols.Select(r => Num(r.StdError, "0.0000") is { Length: > 0 } se ? $"({se})" : "")) + " |");
        w.WriteLine("| N | " + string.Join(" | ", cols.Select(r => r.N?.ToString(Inv) ?? "")) + " |");
        w.WriteLine("| R² (LSDV) | " + string.Join(" | ", cols.Select(r => Num(r.R2, "0.000"))) + " |");
        for (int k = 0; k < dims.Length; k++)
            w.WriteLine($"| {dims[k]} | " + string.Join(" | ", cols.Select(r => Choices(r)[k])) + " |");
        w.WriteLine();
        w.WriteLine($"{rows.Count} specifications in all (specs.parquet); {rows.Count(r => r.Error is not null)} could not be estimated (see the error column).");
        if (boot is not null) w.WriteLine(BootstrapLine(boot));
        if (curve is not null)
        {
            static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, Inv) : "n/a";
            var (o, p) = (curve.Observed, curve.PValues);
            w.WriteLine($"Specification-curve inference under the null ({curve.DrawsUsed} of {curve.Draws} draws, {o.Specifications} specifications, dominant sign {(curve.Sign > 0 ? "+" : "−")}; curve_inference.parquet): "
                + $"median estimate {F(o.Median, "0.0000")} (p = {F(p.Median, "0.000")}), share significant in the dominant sign {F(o.ShareSignificant, "0.000")} (p = {F(p.ShareSignificant, "0.000")}), "
                + $"aggregate z {F(o.AggregateZ, "0.00")} (p = {F(p.AggregateZ, "0.000")}).");
        }
    }
}
