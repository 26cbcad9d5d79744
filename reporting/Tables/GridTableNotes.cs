using System.Globalization;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// The bootstrap shown under the grid's table: the method (wild or pairs) with its level, type and weights; how many
/// specifications were bootstrapped; and the shown specification's interval (column (1), the baseline, when
/// <see cref="ShownIsBaseline"/>). <see cref="Note"/> says why the numbers are null when they are.
/// </summary>
public sealed record GridBootstrapNote(bool Wild, double Level, string Type, string Weights, int Specifications, bool ShownIsBaseline,
    int Replicates, int Failed, bool Enumerated, double? StdError, double? PercentileLow, double? PercentileHigh, double? BiasCorrectedLow,
    double? BiasCorrectedHigh, double? WildPValue, double? WildLow, double? WildHigh, string? Note);

/// <summary>The specification-curve inference shown under the grid's table: draws asked and used, the dominant sign, the observed statistics and their p-values.</summary>
public sealed record GridCurveNote(int Draws, int DrawsUsed, int Sign, CurveStatistics Observed, CurvePValues PValues);

/// <summary>
/// The notes under tables/specifications.* (English or Chinese), as pure functions of the run's bootstrap and curve
/// inference: estimates and limits to four decimals, p-values to three, the aggregate z to two; "n/a" for a number that is
/// missing or not finite.
/// </summary>
public static class GridTableNotes
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The table's note on specification-curve inference under the null.</summary>
    public static string Curve(GridCurveNote curve, bool zh)
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
    public static string Bootstrap(GridBootstrapNote s, bool zh)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "n/a";
        string level = (s.Level * 100).ToString("0.##", Inv) + "%";
        bool wild = s.Wild;
        bool noteOnly = s.Note is not null && s.StdError is null && s.WildPValue is null;
        string type = s.Type, weights = s.Weights;
        if (zh)
        {
            string othersZh = s.Specifications > (s.ShownIsBaseline ? 1 : 0) ? $"共对{s.Specifications}个设定进行了自助法（区间见specs.parquet）。" : "";
            if (!s.ShownIsBaseline) return "第(1)列未进行自助法；" + othersZh;
            string headZh = wild
                ? $"第(1)列的野聚类自助法（{type}，{weights}权重），H0：系数 = 0，" + (s.Enumerated ? $"完全枚举{s.Replicates}个符号向量" : $"{s.Replicates}次抽样")
                : $"第(1)列的聚类自助法，{s.Replicates}次重复{(s.Failed > 0 ? $"（{s.Failed}次失败）" : "")}（bootstrap.parquet）";
            string bodyZh = noteOnly ? $"：{s.Note}。"
                : wild
                    ? $"：p = {F(s.WildPValue, "0.000")}，检验反演的{level}置信区间[{F(s.WildLow, "0.0000")}, {F(s.WildHigh, "0.0000")}]。"
                    : $"：标准误{F(s.StdError, "0.0000")}，{level}百分位区间[{F(s.PercentileLow, "0.0000")}, {F(s.PercentileHigh, "0.0000")}]，偏差校正区间[{F(s.BiasCorrectedLow, "0.0000")}, {F(s.BiasCorrectedHigh, "0.0000")}]。";
            return headZh + bodyZh + (s.Specifications > 1 ? othersZh : "");
        }
        string others = s.Specifications > (s.ShownIsBaseline ? 1 : 0)
            ? $" {s.Specifications} specification{(s.Specifications == 1 ? "" : "s")} bootstrapped in all (their intervals are in specs.parquet)." : "";
        if (!s.ShownIsBaseline) return $"Column (1) was not bootstrapped;{others}";
        string head = wild
            ? $"Wild cluster bootstrap ({type}, {weights} weights) of column (1), H0: coefficient = 0, "
              + (s.Enumerated ? $"full enumeration of {s.Replicates} sign vectors" : $"{s.Replicates} draws")
            : $"Cluster bootstrap of column (1), {s.Replicates} replicates{(s.Failed > 0 ? $" ({s.Failed} failed)" : "")} (bootstrap.parquet)";
        string body = noteOnly ? $": {s.Note}."
            : wild
                ? $": p = {F(s.WildPValue, "0.000")}, {level} interval by test inversion [{F(s.WildLow, "0.0000")}, {F(s.WildHigh, "0.0000")}]."
                : $": SE {F(s.StdError, "0.0000")}, {level} percentile interval [{F(s.PercentileLow, "0.0000")}, {F(s.PercentileHigh, "0.0000")}], bias-corrected [{F(s.BiasCorrectedLow, "0.0000")}, {F(s.BiasCorrectedHigh, "0.0000")}].";
        return head + body + (s.Specifications > 1 ? others : "");
    }
}
