using System.Globalization;
using DigitalEconomy.Core.Did;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>One ATT in the heterogeneity-robust table: the estimator's column label, its estimate, SE and p, and what it compares.</summary>
/// <param name="Label">Column header label, e.g. "TWFE", "Sun–Abraham", "CS (never treated)".</param>
/// <param name="Estimate">The ATT.</param>
/// <param name="StdError">Its SE.</param>
/// <param name="PValue">Its two-sided p-value (t for the regressions, normal for Callaway–Sant'Anna).</param>
/// <param name="Controls">The comparison group, as printed.</param>
/// <param name="N">Observations (rows) the estimate uses; null when not a regression.</param>
public sealed record DidAtt(string Label, double Estimate, double StdError, double PValue, string Controls, int? N);

/// <summary>One column of the event-study table: a label and the effect per relative period (null where the estimator has none).</summary>
public sealed record DidEventColumn(string Label, IReadOnlyDictionary<int, DidAtt> ByPeriod);

/// <summary>
/// The tables of a <c>did</c> analysis, in the journal layout of <see cref="RegressionTable"/> (estimate with stars, SE in
/// parentheses under it, summary rows below): the heterogeneity-robust ATTs side by side, the event-study coefficients by
/// relative period side by side, and the placebo and robustness checks. Pure functions of core's results.
/// </summary>
public static class DidTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static Cell Estimate(double b, double p, int decimals) =>
        double.IsFinite(b) ? new Cell(NumberFormat.Fixed(b, decimals) + NumberFormat.Stars(p), b, null, null, p, NumberFormat.Stars(p)) : Cell.Empty;

    private static Cell Paren(double se, int decimals) => double.IsFinite(se) ? new Cell("(" + NumberFormat.Fixed(se, decimals) + ")", se) : Cell.Empty;

    private static string Note(bool zh) => zh
        ? "括号内为标准误；*** p<0.01, ** p<0.05, * p<0.1。"
        : "Standard errors in parentheses; *** p<0.01, ** p<0.05, * p<0.1.";

    /// <summary>The ATT of each estimator side by side: ATT (stars), (SE), then the comparison group and N rows.</summary>
    public static Table Robust(string title, IReadOnlyList<DidAtt> atts, bool zh, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(atts);
        var columns = atts.Select((a, i) => new TableColumn($"({i + 1})", a.Label)).ToList();
        var coef = new List<TableRow>
        {
            new(zh ? "平均处理效应 ATT" : "ATT", "att", RowKind.Estimate, [.. atts.Select(a => Estimate(a.Estimate, a.PValue, decimals))]),
            new("", "att_se", RowKind.Parenthesised, [.. atts.Select(a => Paren(a.StdError, decimals))]),
        };
        var summary = new List<TableRow>
        {
            new(zh ? "对照组" : "Comparison group", "controls", RowKind.Statistic, [.. atts.Select(a => new Cell(a.Controls))]),
            new(zh ? "观测值" : "N", "N", RowKind.Statistic, [.. atts.Select(a => a.N is { } n ? new Cell(n.ToString(Inv), n) : Cell.Empty)]),
        };
        return new Table(title, "", columns, [new RowBlock(BlockKind.Coefficients, coef), new RowBlock(BlockKind.Summary, summary)], [Note(zh)]);
    }

    /// <summary>
    /// The dynamic effects by relative period, one column per estimator (the TWFE event study, Sun–Abraham by period, Callaway–Sant'Anna
    /// dynamic): a row pair per period (the reference period printed as 0 with no SE in the columns that omit it), then the pre-trend test.
    /// </summary>
    public static Table EventStudy(string title, IReadOnlyList<DidEventColumn> columns, int reference, Core.Regression.TestResult? preTrend, bool zh, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var periods = columns.SelectMany(c => c.ByPeriod.Keys).Append(reference).Distinct().Order().ToList();
        var rows = new List<TableRow>();
        foreach (int r in periods)
        {
            string label = r == reference ? (zh ? $"t = {r}（基期）" : $"t = {r} (reference)") : $"t = {r}";
            rows.Add(new TableRow(label, global::DigitalEconomy.Core.Did.EventStudy.EventName(r), RowKind.Estimate,
                [.. columns.Select(c => c.ByPeriod.TryGetValue(r, out var a) ? Estimate(a.Estimate, a.PValue, decimals) : r == reference ? new Cell("0", 0) : Cell.Empty)]));
            rows.Add(new TableRow("", global::DigitalEconomy.Core.Did.EventStudy.EventName(r) + "_se", RowKind.Parenthesised,
                [.. columns.Select(c => c.ByPeriod.TryGetValue(r, out var a) ? Paren(a.StdError, decimals) : Cell.Empty)]));
        }
        var summary = new List<TableRow>();
        if (preTrend is not null)
        {
            summary.Add(new TableRow(zh ? "事前趋势联合检验 F" : "Pre-trend joint test F", "pretrend_f", RowKind.Statistic,
                [.. columns.Select((c, i) => i == 0 ? new Cell(NumberFormat.Fixed(preTrend.Statistic, decimals), preTrend.Statistic) : Cell.Empty)]));
            summary.Add(new TableRow(zh ? "事前趋势检验 p 值" : "Pre-trend test p-value", "pretrend_p", RowKind.Statistic,
                [.. columns.Select((c, i) => i == 0 ? new Cell(NumberFormat.Fixed(preTrend.PValue, decimals), preTrend.PValue) : Cell.Empty)]));
        }
        var blocks = new List<RowBlock> { new(BlockKind.Coefficients, rows) };
        if (summary.Count > 0) blocks.Add(new RowBlock(BlockKind.Summary, summary));
        var notes = new List<string>
        {
            Note(zh),
            zh ? $"相对政策实施的期数 t = 年份 − 试点年份；第一列以 t = {reference} 为基期、从未试点个体为对照。"
               : $"t = period − adoption period; column 1 omits t = {reference} with the never-treated units as the reference group.",
        };
        return new Table(title, zh ? "相对时期" : "Relative period", [.. columns.Select((c, i) => new TableColumn($"({i + 1})", c.Label))], blocks, notes);
    }

    /// <summary>The Goodman-Bacon decomposition by type of 2×2: total weight and weighted mean estimate, and the TWFE estimate they add up to.</summary>
    public static Table Bacon(string title, BaconResult bacon, bool zh, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(bacon);
        var rows = bacon.ByType.Select(t => new TableRow(t.Type, t.Type, RowKind.Statistic,
            [new Cell(NumberFormat.Fixed(t.Weight, decimals), t.Weight), new Cell(NumberFormat.Fixed(t.Estimate, decimals), t.Estimate)])).ToList();
        rows.Add(new TableRow(zh ? "TWFE 估计值（加权和）" : "TWFE estimate (weighted sum)", "twfe", RowKind.Statistic,
            [new Cell(NumberFormat.Fixed(1, decimals), 1), new Cell(NumberFormat.Fixed(bacon.TwfeEstimate, decimals), bacon.TwfeEstimate)]));
        return new Table(title, zh ? "2×2 比较类型" : "2×2 comparison", [new TableColumn(zh ? "权重" : "Weight"), new TableColumn(zh ? "估计值" : "Estimate")],
            [new RowBlock(BlockKind.Data, rows)], [zh ? "Goodman-Bacon (2021) 分解：各 2×2 DID 的加权和等于双向固定效应估计值。" : "Goodman-Bacon (2021): the weighted 2×2 DIDs add up to the two-way FE estimate."]);
    }

    /// <summary>The placebo distribution against the actual estimate, then the fake-year placebo and the leave-one-cohort-out estimates.</summary>
    public static Table Placebo(string title, PlaceboSummary? placebo, string? placeboKind, (int Shift, DidAtt Att)? fakeYear, IReadOnlyList<(long Cohort, DidAtt Att)> leaveOut, bool zh, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(leaveOut);
        var rows = new List<TableRow>();
        Cell Num(double v, int d) => double.IsFinite(v) ? new Cell(NumberFormat.Fixed(v, d), v) : Cell.Empty;
        if (placebo is { } s)
        {
            rows.Add(new(zh ? "实际估计值" : "Actual estimate", "actual", RowKind.Statistic, [Num(s.Actual, decimals)]));
            rows.Add(new(zh ? $"安慰剂抽样次数（{placeboKind}）" : $"Placebo draws ({placeboKind})", "draws", RowKind.Statistic, [new Cell(s.Draws.ToString(Inv), s.Draws)]));
            rows.Add(new(zh ? "安慰剂估计均值" : "Placebo mean", "placebo_mean", RowKind.Statistic, [Num(s.Mean, decimals)]));
            rows.Add(new(zh ? "安慰剂估计标准差" : "Placebo s.d.", "placebo_sd", RowKind.Statistic, [Num(s.StdDev, decimals)]));
            rows.Add(new(zh ? "p 值 (1 + #|b*| ≥ |b|)/(1 + B)" : "p-value (1 + #|b*| ≥ |b|)/(1 + B)", "placebo_p", RowKind.Statistic, [Num(s.PValue, decimals)]));
            rows.Add(new(zh ? "|b*| ≥ |b| 的比例" : "Share with |b*| ≥ |b|", "placebo_share", RowKind.Statistic, [Num(s.ShareAsExtreme, decimals)]));
        }
        if (fakeYear is { } fy)
        {
            rows.Add(new(zh ? $"虚构政策时点（提前 {fy.Shift} 期）" : $"Fake adoption ({fy.Shift} periods earlier)", "fake_year", RowKind.Estimate, [Estimate(fy.Att.Estimate, fy.Att.PValue, decimals)]));
            rows.Add(new("", "fake_year_se", RowKind.Parenthesised, [Paren(fy.Att.StdError, decimals)]));
        }
        foreach (var (c, a) in leaveOut)
        {
            string key = "without_" + c.ToString(Inv);
            rows.Add(new(zh ? $"剔除 {c} 年试点批次" : $"Without cohort {c}", key, RowKind.Estimate, [Estimate(a.Estimate, a.PValue, decimals)]));
            rows.Add(new("", key + "_se", RowKind.Parenthesised, [Paren(a.StdError, decimals)]));
        }
        return new Table(title, "", [new TableColumn(zh ? "数值" : "Value")], [new RowBlock(BlockKind.Data, rows)], [Note(zh)]);
    }

    /// <summary>
    /// Callaway–Sant'Anna's aggregations with the multiplier bootstrap: per aggregation (simple, dynamic, group, calendar) the
    /// overall effect and each effect with its analytic SE, bootstrap SE and uniform band (sup-t over the aggregation's effects),
    /// and the critical value; columns ATT, SE, bootstrap SE, band low, band high.
    /// </summary>
    public static Table CsBootstrap(string title, CsResult cs, CsBootstrapResult boot, bool zh, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(cs);
        ArgumentNullException.ThrowIfNull(boot);
        var columns = new List<TableColumn>
        {
            new("(1)", "ATT"), new("(2)", zh ? "解析标准误" : "SE"), new("(3)", zh ? "自助标准误" : "Bootstrap SE"),
            new("(4)", zh ? "一致置信带下限" : "Band low"), new("(5)", zh ? "一致置信带上限" : "Band high"),
        };
        Cell Num(double v) => double.IsFinite(v) ? new Cell(NumberFormat.Fixed(v, decimals), v) : Cell.Empty;
        var blocks = new List<RowBlock>();
        foreach (var a in boot.Aggregations)
        {
            var (label, effects, overall, prefix) = a.Type switch
            {
                "dynamic" => (zh ? "动态效应（e ≥ 0 平均）" : "Dynamic (mean of e >= 0)", cs.Dynamic.Effects, cs.Dynamic.Overall, "e = "),
                "group" => (zh ? "分组效应（平均）" : "By cohort (overall)", cs.Group.Effects, cs.Group.Overall, "g = "),
                "calendar" => (zh ? "分期效应（平均）" : "By period (overall)", cs.Calendar.Effects, cs.Calendar.Overall, "t = "),
                _ => (zh ? "简单加权 ATT" : "Simple ATT", (IReadOnlyList<CsEffect>)[cs.Simple], cs.Simple, ""),
            };
            var rows = new List<TableRow>();
            if (a.Type != "simple")
                rows.Add(new TableRow(label, a.Type + "_overall", RowKind.Statistic, [Num(overall.Att), Num(overall.StdError), Num(a.OverallStdError), Cell.Empty, Cell.Empty]));
            for (int i = 0; i < effects.Count; i++)
            {
                var e = effects[i];
                string name = a.Type == "simple" ? label : prefix + (e.Key ?? 0).ToString(Inv);
                rows.Add(new TableRow(name, a.Type + "_" + (e.Key?.ToString(Inv) ?? "all"), RowKind.Statistic, [Num(e.Att), Num(e.StdError), Num(a.StdErrors[i]), Num(a.Low[i]), Num(a.High[i])]));
            }
            rows.Add(new TableRow(zh ? "一致临界值" : "Uniform critical value", a.Type + "_critical", RowKind.Statistic, [Cell.Empty, Cell.Empty, Cell.Empty, Num(a.CriticalValue), Cell.Empty]));
            blocks.Add(new RowBlock(BlockKind.Summary, rows));
        }
        string note = zh
            ? $"乘数自助法 {boot.Draws} 次（Mammen 权重）；一致置信带的临界值为各加权方式内全部效应 |t| 最大值的分位数；组-时 ATT 的一致临界值为 {NumberFormat.Fixed(boot.CriticalValue, decimals)}。"
            : $"Multiplier bootstrap, {boot.Draws} draws (Mammen weights); uniform bands use the sup-t critical value over each aggregation's effects; group-time cells: critical value {NumberFormat.Fixed(boot.CriticalValue, decimals)}.";
        return new Table(title, "", columns, blocks, [note]);
    }
}
