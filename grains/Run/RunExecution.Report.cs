using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Stage 6: the grid's table (baseline and one-choice departures) through the table model, as
    /// tables/specifications.{md,csv,tex,html,docx} in the study's language and labels; the charts and
    /// the report come with the publish stage (RunExecution.Publish.cs).
    /// </summary>
    private AnalysisTable Report(List<SpecificationRow> rows, Resampled? boot, CurveSummaryRecord? curve)
    {
        using var span = Telemetry.Source.StartActivity("run.report");
        Progress("report", 0, 1);
        var g = _study.Grid!;
        var notes = new List<string>();
        if (boot?.Summary is { } bs) notes.Add(BootstrapLine(bs, Zh));
        if (curve is not null) notes.Add(CurveLine(curve, Zh));
        bool se = _study.Tables?.Stat == "se";
        var table = SpecificationTable.Build(
            [.. rows.Select(r => new GridSpecification(Choices(r), r.Estimate, r.StdError, r.PValue, r.N, r.R2, r.R2Within, r.Error is not null))],
            BaselineChoices(),
            new SpecificationTableOptions
            {
                Title = _study.Name + (Zh ? "：" : ": ") + TableWords.Get("spec_title", Language),
                Treatment = g.Treatment,
                Dimensions = ChoiceDimensions,
                Labels = Labels,
                Language = Language,
                Stat = se ? ParenthesisStat.Se : ParenthesisStat.T,
                R2 = _study.Tables?.R2 == "within" ? R2Kind.Within : R2Kind.Lsdv,
                // Four decimals as the grid's table always printed: grid coefficients are often below 0.01.
                Decimals = new TableDecimals { Coefficient = 4, Statistic = se ? 4 : 3 },
                Notes = notes,
            });
        var spec = new AnalysisTable("grid", "specifications", table);
        WriteTable(spec);
        Progress("report", 1, 1);
        return spec;
    }

    /// <summary>Writes one table in every format of <see cref="TableFormats"/> as tables/&lt;stem&gt;.&lt;ext&gt;.</summary>
    private void WriteTable(AnalysisTable t)
    {
        string dir = Path.Combine(RunDir, "tables");
        Directory.CreateDirectory(dir);
        foreach (var (format, extension) in TableFormats)
        {
            var bytes = TableRenderer.Encode(t.Table, format);
            AtomicFile.Write(Path.Combine(dir, t.Stem + extension), s => s.Write(bytes));
        }
    }

    /// <summary>The report paths of a table's files, in the order of <see cref="TableFormats"/>.</summary>
    private static string[] TableFiles(string stem) => [.. TableFormats.Select(f => $"tables/{stem}{f.Extension}")];

    /// <summary>The table's note on specification-curve inference under the null.</summary>
    private static string CurveLine(CurveSummaryRecord curve, bool zh)
    {
        static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, Inv) : "n/a";
        var (o, p) = (curve.Observed, curve.PValues);
        return zh
            ? $"原假设下的设定曲线推断（{curve.Draws}次抽样中可用{curve.DrawsUsed}次，{o.Specifications}个设定，主导符号{(curve.Sign > 0 ? "+" : "−")}；curve_inference.parquet）："
              + $"估计值中位数{F(o.Median, "0.0000")}（p = {F(p.Median, "0.000")}），主导符号方向显著的比例{F(o.ShareSignificant, "0.000")}（p = {F(p.ShareSignificant, "0.000")}），"
              + $"合成z {F(o.AggregateZ, "0.00")}（p = {F(p.AggregateZ, "0.000")}）。"
            : $"Specification-curve inference under the null ({curve.DrawsUsed} of {curve.Draws} draws, {o.Specifications} specifications, dominant sign {(curve.Sign > 0 ? "+" : "−")}; curve_inference.parquet): "
              + $"median estimate {F(o.Median, "0.0000")} (p = {F(p.Median, "0.000")}), share significant in the dominant sign {F(o.ShareSignificant, "0.000")} (p = {F(p.ShareSignificant, "0.000")}), "
              + $"aggregate z {F(o.AggregateZ, "0.00")} (p = {F(p.AggregateZ, "0.000")}).";
    }

    /// <summary>The table's note on the bootstrap: the baseline's (column (1)) interval, or how many specifications were bootstrapped when the baseline was not.</summary>
    private static string BootstrapLine(BootstrapSummaryRecord boot, bool zh)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "n/a";
        var (bs, s) = (boot.Spec, boot.Shown);
        string level = (bs.Level * 100).ToString("0.##", Inv) + "%";
        bool wild = bs.Method == BootstrapMethod.Wild;
        bool noteOnly = s.Note is not null && s.StdError is null && s.WildPValue is null;
        string type = bs.Type.ToString().ToUpperInvariant(), weights = bs.Weights.ToString().ToLowerInvariant();
        if (zh)
        {
            string othersZh = boot.Specifications > (boot.ShownIsBaseline ? 1 : 0) ? $"共对{boot.Specifications}个设定进行了自助法（区间见specs.parquet）。" : "";
            if (!boot.ShownIsBaseline) return "第(1)列未进行自助法；" + othersZh;
            string headZh = wild
                ? $"第(1)列的野聚类自助法（{type}，{weights}权重），H0：系数 = 0，" + (s.Enumerated ? $"完全枚举{s.Replicates}个符号向量" : $"{s.Replicates}次抽样")
                : $"第(1)列的聚类自助法，{s.Replicates}次重复{(s.Failed > 0 ? $"（{s.Failed}次失败）" : "")}（bootstrap.parquet）";
            string bodyZh = noteOnly ? $"：{s.Note}。"
                : wild
                    ? $"：p = {F(s.WildPValue, "0.000")}，检验反演的{level}置信区间[{F(s.WildLow, "0.0000")}, {F(s.WildHigh, "0.0000")}]。"
                    : $"：标准误{F(s.StdError, "0.0000")}，{level}百分位区间[{F(s.PercentileLow, "0.0000")}, {F(s.PercentileHigh, "0.0000")}]，偏差校正区间[{F(s.BiasCorrectedLow, "0.0000")}, {F(s.BiasCorrectedHigh, "0.0000")}]。";
            return headZh + bodyZh + (boot.Specifications > 1 ? othersZh : "");
        }
        string others = boot.Specifications > (boot.ShownIsBaseline ? 1 : 0)
            ? $" {boot.Specifications} specification{(boot.Specifications == 1 ? "" : "s")} bootstrapped in all (their intervals are in specs.parquet)." : "";
        if (!boot.ShownIsBaseline) return $"Column (1) was not bootstrapped;{others}";
        string head = wild
            ? $"Wild cluster bootstrap ({type}, {weights} weights) of column (1), H0: coefficient = 0, "
              + (s.Enumerated ? $"full enumeration of {s.Replicates} sign vectors" : $"{s.Replicates} draws")
            : $"Cluster bootstrap of column (1), {s.Replicates} replicates{(s.Failed > 0 ? $" ({s.Failed} failed)" : "")} (bootstrap.parquet)";
        string body = noteOnly ? $": {s.Note}."
            : wild
                ? $": p = {F(s.WildPValue, "0.000")}, {level} interval by test inversion [{F(s.WildLow, "0.0000")}, {F(s.WildHigh, "0.0000")}]."
                : $": SE {F(s.StdError, "0.0000")}, {level} percentile interval [{F(s.PercentileLow, "0.0000")}, {F(s.PercentileHigh, "0.0000")}], bias-corrected [{F(s.BiasCorrectedLow, "0.0000")}, {F(s.BiasCorrectedHigh, "0.0000")}].";
        return head + body + (boot.Specifications > 1 ? others : "");
    }

    /// <summary>The grid's choice dimensions, in the order of <see cref="Choices"/>: estimator and weights only when the grid varies them.</summary>
    private string[] ChoiceDimensions => [
        "outcome", "controls", "fe", "sample", "winsor", "lag", "vcov",
        .. _study.Grid!.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : ["estimator"],
        .. _study.Grid!.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : ["weights"]];

    private string[] Choices(SpecificationRow r) => [
        r.Outcome, r.Controls, r.FixedEffects, r.Sample, r.Winsor, r.Lag, r.Vcov,
        .. _study.Grid!.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : [r.Estimator ?? ""],
        .. _study.Grid!.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : [r.Weights ?? GridSpec.Unweighted]];

    /// <summary>The baseline's choices (the first entry of each grid dimension), in the order of <see cref="Choices"/>.</summary>
    private string[] BaselineChoices()
    {
        var g = _study.Grid!;
        return [g.Outcomes[0], g.Controls[0].Name, g.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", g.FixedEffects[0]), g.Samples[0].Name,
            GridExpansion.YesNo(g.Winsorize[0]), GridExpansion.YesNo(g.Lag[0]), g.Vcov[0],
            .. g.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : [g.Estimators[0]],
            .. g.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : [g.Weights[0]]];
    }
}
