using System.Globalization;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using static DigitalEconomy.Reporting.Tables.AnalysisBlocks;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>A table of a regional-gap analysis: the suffix of its file stem after the analysis's name ("" for the main table, "_dagum" …).</summary>
public sealed record GapTable(string Suffix, Table Table);

/// <summary>The lines of a regional-gap chart: the suffix of its file stem, its caption, its value axis and its series.</summary>
public sealed record GapChart(string Suffix, string Title, string Axis, IReadOnlyList<TrendSeries> Series);

/// <summary>The tables and charts of a regional-gap analysis.</summary>
public sealed record GapOutput(IReadOnlyList<GapTable> Tables, IReadOnlyList<GapChart> Charts);

/// <summary>The words of the regional-gap tables: the language and the study's labels.</summary>
/// <param name="Language">The tables' language.</param>
/// <param name="Labels">Labels of variables and group values.</param>
public sealed record GapWords(TableLanguage Language, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The name core gets for the whole sample beside the groups: no value of a data column can be it.</summary>
    public const string AllGroups = "\u0001all";

    /// <summary>Chinese.</summary>
    public bool Zh => Language == TableLanguage.Zh;

    /// <summary>The English or the Chinese word.</summary>
    public string Word(string en, string zh) => Zh ? zh : en;

    /// <summary>A name's label, or the name.</summary>
    public string LabelOf(string s) => Labels.TryGetValue(s, out var l) ? l : s;

    /// <summary>A group's printed name: its label, or All / 全部 for the whole sample.</summary>
    public string Name(string group) => group == AllGroups ? Word("All", "全部") : LabelOf(group);
}

/// <summary>
/// The tables (and chart lines) of the regional-gap analyses (trends, disparity, convergence, coupling; docs/methods.md,
/// "Composite indices and regional gaps"), as pure functions of core's <see cref="RegionalGaps"/> and <see cref="Disparity"/> results.
/// </summary>
public static class GapTables
{
    /// <summary>The groups in the order the analysis lists them (those present), else every present group by name.</summary>
    public static List<string> Ordered(IReadOnlyList<string> listed, IEnumerable<string> present)
    {
        var set = present.ToHashSet(StringComparer.Ordinal);
        return listed.Count == 0 ? [.. set.Order(StringComparer.Ordinal)] : [.. listed.Where(set.Contains)];
    }

    private static string Year(long t) => t.ToString(CultureInfo.InvariantCulture);

    /// <summary>trends: periods × groups (then all units), the (weighted) mean of the variable (4 decimals); one line per group.</summary>
    public static GapOutput Trends(string title, IReadOnlyList<GroupMean> means, string variable, string by, string? weight, IReadOnlyList<string> listed, GapWords w)
    {
        var groups = Ordered(listed, means.Select(m => m.Group).Where(x => x != GapWords.AllGroups));
        groups.Add(GapWords.AllGroups);
        var periods = means.Select(m => m.Period).Distinct().Order().ToList();
        var at = means.ToDictionary(m => (m.Period, m.Group));
        var rows = periods.Select(t => new TableRow(Year(t), Year(t), RowKind.Statistic,
            [.. groups.Select(gr => at.TryGetValue((t, gr), out var m) ? Number(m.Mean, 4) : Cell.Empty)])).ToList();
        string what = w.LabelOf(variable);
        var notes = new List<string>
        {
            weight is null
                ? w.Word($"Mean of {what} by {w.LabelOf(by)} and year.", $"按{w.LabelOf(by)}与年份计算的{what}均值。")
                : w.Word($"Mean of {what} by {w.LabelOf(by)} and year, weighted by {w.LabelOf(weight)} (Σwy/Σw).", $"按{w.LabelOf(by)}与年份计算的{what}加权均值（权重：{w.LabelOf(weight)}）。"),
        };
        var table = new Table(title, w.Word("Year", "年份"), [.. groups.Select(gr => new TableColumn(w.Name(gr)))], [new RowBlock(BlockKind.Data, rows)], notes);
        var chart = new GapChart("", title, what, [.. groups.Select(gr => new TrendSeries(w.Name(gr), [.. periods.Select(t => (double)t)],
            [.. periods.Select(t => at.TryGetValue((t, gr), out var m) ? m.Mean : double.NaN)]))]);
        return new GapOutput([new GapTable("", table)], [chart]);
    }

    /// <summary>
    /// disparity: per period CV and Theil T (total, within, between, shares) in one table; Dagum Gini (total, within, net
    /// between, transvariation, shares, each group's own Gini) in a second; the between-group Gini of each pair in a third
    /// (when there are two or more groups); lines of the Theil and Dagum decompositions.
    /// </summary>
    public static GapOutput Disparities(string title, IReadOnlyList<GapPeriod> list, string variable, string by, string? weight, IReadOnlyList<string> listed, GapWords w)
    {
        static Cell Share(double part, double total) => total > 0 ? Number(100 * part / total, 2) : Cell.Empty;
        var theilRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic,
        [
            new Cell(p.N.ToString(CultureInfo.InvariantCulture), p.N), Number(p.Mean, 4), Number(p.Cv, 4), Number(p.Theil.Total, 4), Number(p.Theil.Within, 4), Number(p.Theil.Between, 4),
            Share(p.Theil.Within, p.Theil.Total), Share(p.Theil.Between, p.Theil.Total),
        ])).ToList();
        string what = w.LabelOf(variable);
        var theil = new Table(title, w.Word("Year", "年份"),
        [
            new("N"), new(w.Word("Mean", "均值")), new("CV"), new(w.Word("Theil T", "泰尔指数")), new(w.Word("Within", "组内")), new(w.Word("Between", "组间")),
            new(w.Word("Within %", "组内贡献率(%)")), new(w.Word("Between %", "组间贡献率(%)")),
        ], [new RowBlock(BlockKind.Data, theilRows)],
        [
            w.Word($"{what} by {w.LabelOf(by)}. Theil T = within + between (exact); CV = population sd / mean"
                + (weight is null ? "; equal weights." : $"; Theil weighted by {w.LabelOf(weight)}."),
                $"{what}，按{w.LabelOf(by)}分组。泰尔指数 = 组内 + 组间（精确分解）；CV为总体标准差/均值" + (weight is null ? "；等权。" : $"；泰尔指数以{w.LabelOf(weight)}加权。")),
        ]);
        var groups = Ordered(listed, list.SelectMany(p => p.Dagum.WithinGini.Keys));
        var dagumRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic,
        [
            Number(p.Dagum.Total, 4), Number(p.Dagum.Within, 4), Number(p.Dagum.NetBetween, 4), Number(p.Dagum.Transvariation, 4),
            Share(p.Dagum.Within, p.Dagum.Total), Share(p.Dagum.NetBetween, p.Dagum.Total), Share(p.Dagum.Transvariation, p.Dagum.Total),
            .. groups.Select(gr => p.Dagum.WithinGini.TryGetValue(gr, out double x) ? Number(x, 4) : Cell.Empty),
        ])).ToList();
        var dagum = new Table(w.Word($"{title}: Dagum Gini decomposition", $"{title}：Dagum基尼系数分解"), w.Word("Year", "年份"),
        [
            new("G"), new("G_w"), new("G_nb"), new("G_t"), new(w.Word("G_w %", "组内贡献率(%)")), new(w.Word("G_nb %", "组间贡献率(%)")), new(w.Word("G_t %", "超变密度贡献率(%)")),
            .. groups.Select(gr => new TableColumn(w.LabelOf(gr), w.Word("within Gini", "组内基尼"))),
        ], [new RowBlock(BlockKind.Data, dagumRows)],
        [
            w.Word("Dagum (1997): G = G_w (within) + G_nb (net between) + G_t (transvariation), exactly; shares in % of G; the last columns are each group's own Gini.",
                "Dagum（1997）：G = G_w（组内）+ G_nb（组间净差异）+ G_t（超变密度），精确分解；贡献率为占G的百分比；最后几列为各组组内基尼系数。"),
        ]);
        // Between-group Ginis G_jh per pair, in the groups' order (core keys a pair by the richer group of that year first).
        var pairs = new List<(string J, string H)>();
        for (int j = 0; j < groups.Count; j++)
            for (int h = j + 1; h < groups.Count; h++) pairs.Add((groups[j], groups[h]));
        static Cell Pair(DagumResult d, string j, string h) =>
            d.BetweenGini.TryGetValue($"{j}|{h}", out double x) || d.BetweenGini.TryGetValue($"{h}|{j}", out x) ? Number(x, 4) : Cell.Empty;
        var pairRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic, [.. pairs.Select(q => Pair(p.Dagum, q.J, q.H))])).ToList();
        var between = new Table(w.Word($"{title}: between-group Gini", $"{title}：组间基尼系数"), w.Word("Year", "年份"),
            [.. pairs.Select(q => new TableColumn($"{w.LabelOf(q.J)}–{w.LabelOf(q.H)}"))], [new RowBlock(BlockKind.Data, pairRows)],
            [w.Word("Dagum's G_jh = ΣΣ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h)) of each pair of groups.", "各组对的Dagum组间基尼系数 G_jh = ΣΣ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h))。")]);
        var times = list.Select(p => (double)p.Period).ToList();
        List<GapChart> charts =
        [
            new("_theil", w.Word($"{title}: Theil T", $"{title}：泰尔指数分解"), w.Word("Theil T", "泰尔指数"),
            [
                new(w.Word("Total", "总体"), times, [.. list.Select(p => p.Theil.Total)]),
                new(w.Word("Within", "组内"), times, [.. list.Select(p => p.Theil.Within)]),
                new(w.Word("Between", "组间"), times, [.. list.Select(p => p.Theil.Between)]),
            ]),
            new("_dagum", w.Word($"{title}: Dagum Gini", $"{title}：Dagum基尼系数分解"), w.Word("Gini", "基尼系数"),
            [
                new(w.Word("Total G", "总体G"), times, [.. list.Select(p => p.Dagum.Total)]),
                new(w.Word("Within G_w", "组内G_w"), times, [.. list.Select(p => p.Dagum.Within)]),
                new(w.Word("Net between G_nb", "组间G_nb"), times, [.. list.Select(p => p.Dagum.NetBetween)]),
                new(w.Word("Transvariation G_t", "超变密度G_t"), times, [.. list.Select(p => p.Dagum.Transvariation)]),
            ]),
        ];
        var tables = new List<GapTable> { new("", theil), new("_dagum", dagum) };
        if (pairs.Count > 0) tables.Add(new GapTable("_between", between));
        return new GapOutput(tables, charts);
    }

    /// <summary>
    /// convergence: β-convergence — absolute (1) and, when given, conditional (2) — with λ, half-life, the controls and
    /// fixed-effects rows, N and R², in the layout of the regression tables; and the σ series (sd of ln y and CV per period)
    /// with its line chart.
    /// </summary>
    /// <param name="title">The analysis's title.</param>
    /// <param name="fits">The absolute fit, then the conditional one when there is one.</param>
    /// <param name="sigma">sd(ln y) and CV per period.</param>
    /// <param name="variable">The converging variable.</param>
    /// <param name="hasControls">The conditional column has controls.</param>
    /// <param name="fe">The conditional column's fixed effects ("0": none).</param>
    /// <param name="vcov">The variance estimator of both columns.</param>
    /// <param name="se">Standard errors in parentheses (else t).</param>
    /// <param name="w">Words and labels.</param>
    public static GapOutput Convergence(string title, IReadOnlyList<BetaConvergence> fits, IReadOnlyList<(long Period, double SdLog, double Cv)> sigma, string variable,
        bool hasControls, string fe, string vcov, bool se, GapWords w)
    {
        bool conditional = fits.Count > 1;
        var beta = new List<Cell>();
        var paren = new List<Cell>();
        foreach (var f in fits)
        {
            double t = f.Beta / f.StdError;
            // The β cell as the regression tables print an estimate (4 decimals here); the parenthesised cell keeps its own
            // key and its one number, so analyses.parquet stays as it was (RegressionTable's carries SE, t and p too).
            beta.Add(RegressionTable.EstimateCell(f.Beta, f.StdError, t, f.PValue, 4));
            double shown = se ? f.StdError : t;
            paren.Add(new Cell($"({NumberFormat.Fixed(shown, se ? 4 : 3)})", shown));
        }
        var language = w.Language;
        string yes = TableWords.Get("yes", language), no = TableWords.Get("no", language);
        var rows = new List<TableRow>
        {
            new("β", "beta", RowKind.Estimate, beta),
            new("", "beta_paren", RowKind.Parenthesised, paren),
        };
        var stats = new List<TableRow>
        {
            new(w.Word("Speed λ", "收敛速度λ"), "speed", RowKind.Statistic, [.. fits.Select(f => Number(f.Speed, 4))]),
            new(w.Word("Half-life", "半衰期"), "half_life", RowKind.Statistic, [.. fits.Select(f => Number(f.HalfLife, 2))]),
            new(TableWords.Get("controls", language), "controls", RowKind.Indicator, [.. fits.Select((f, k) => new Cell(k == 1 && hasControls ? yes : no))]),
            new(w.Word("Fixed effects", "固定效应"), "fe", RowKind.Indicator, [.. fits.Select((f, k) => new Cell(k == 1 && fe != "0" ? TableWords.FixedEffectsChoice(fe, language, w.LabelOf) : no))]),
            new("N", "N", RowKind.Statistic, [.. fits.Select(f => new Cell(f.Regression.N.ToString(CultureInfo.InvariantCulture), f.Regression.N))]),
            new("R²", "r2", RowKind.Statistic, [.. fits.Select(f => Number(f.Regression.R2, 3))]),
        };
        string what = w.LabelOf(variable);
        var betaTable = new Table(title, "",
            [new("(1)", w.Word("Absolute", "绝对β收敛")), .. conditional ? new[] { new TableColumn("(2)", w.Word("Conditional", "条件β收敛")) } : []],
            [new RowBlock(BlockKind.Coefficients, rows), new RowBlock(BlockKind.Summary, stats)],
            [
                w.Word($"Δln {what}(t) = α + β ln {what}(t−1) (+ controls) (+ FE) + ε; β < 0: convergence; λ = −ln(1 + β) per year, half-life = ln 2 / λ. ", $"Δln {what}(t) = α + β ln {what}(t−1)（+ 控制变量）（+ 固定效应）+ ε；β < 0 表示收敛；λ = −ln(1 + β)，半衰期 = ln 2 / λ。")
                // The variance estimator in journal words (括号内为t值，标准误为省份层面聚类稳健标准误), as the regression tables write it, not its syntax.
                + TableWords.VarianceNote([vcov], se ? ParenthesisStat.Se : ParenthesisStat.T, language, w.LabelOf),
            ]);
        var sigmaRows = sigma.Select(s => new TableRow(Year(s.Period), Year(s.Period), RowKind.Statistic, [Number(s.SdLog, 4), Number(s.Cv, 4)])).ToList();
        var sigmaTable = new Table(w.Word($"{title}: σ-convergence", $"{title}：σ收敛"), w.Word("Year", "年份"), [new(w.Word("sd(ln)", "对数标准差")), new("CV")],
            [new RowBlock(BlockKind.Data, sigmaRows)], [w.Word($"Dispersion of {what} across units per year: σ-convergence when it falls.", $"{what}各年份的截面离散程度，逐年下降即存在σ收敛。")]);
        var times = sigma.Select(s => (double)s.Period).ToList();
        var chart = new GapChart("_sigma", sigmaTable.Title, w.Word("Dispersion", "离散程度"),
            [new(w.Word("sd(ln)", "对数标准差"), times, [.. sigma.Select(s => s.SdLog)]), new("CV", times, [.. sigma.Select(s => s.Cv)])]);
        return new GapOutput([new GapTable("", betaTable), new GapTable("_sigma", sigmaTable)], [chart]);
    }

    /// <summary>coupling: per period and group (then all units) the mean C, T and D (4 decimals) with the grade of the mean D; one line of D per group.</summary>
    public static GapOutput Coupling(string title, IReadOnlyList<GroupCoupling> results, IReadOnlyList<string> subsystems, IReadOnlyList<double> alpha, IReadOnlyList<string> listed, GapWords w)
    {
        var order = Ordered(listed, results.Select(r => r.Group).Where(x => x != GapWords.AllGroups));
        order.Add(GapWords.AllGroups);
        var list = results.OrderBy(r => r.Period).ThenBy(r => order.IndexOf(r.Group)).ToList();
        var rows = list.Select(r => new TableRow(Year(r.Period), $"{Year(r.Period)}/{(r.Group == GapWords.AllGroups ? "*" : r.Group)}", RowKind.Statistic,
        [
            new Cell(w.Name(r.Group)), new Cell(r.N.ToString(CultureInfo.InvariantCulture), r.N), Number(r.Coupling, 4), Number(r.Development, 4), Number(r.Coordination, 4),
            new Cell(w.Zh ? r.GradeZh : r.Grade),
        ])).ToList();
        string subs = string.Join(w.Word(", ", "、"), subsystems.Select(w.LabelOf));
        var table = new Table(title, w.Word("Year", "年份"),
        [
            new(w.Word("Group", "分组")), new("N"), new(w.Word("Coupling C", "耦合度C")), new(w.Word("Development T", "综合发展指数T")), new(w.Word("Coordination D", "耦合协调度D")), new(w.Word("Grade", "协调等级")),
        ], [new RowBlock(BlockKind.Data, rows)],
        [
            w.Word($"Subsystems: {subs}. C = n(ΠU)^(1/n)/ΣU, T = Σα·U{(alpha.Count == 0 ? " (equal α)" : $" (α = {string.Join(", ", alpha.Select(x => x.ToString(CultureInfo.InvariantCulture)))})")}, D = √(C·T), per unit and year; cells are means over the group's units; the grade is that of the mean D (ten bands of 0.1).",
                $"子系统：{subs}。C = n(ΠU)^(1/n)/ΣU，T = Σα·U{(alpha.Count == 0 ? "（等权）" : $"（α = {string.Join(", ", alpha.Select(x => x.ToString(CultureInfo.InvariantCulture)))}）")}，D = √(C·T)，逐个体逐年计算后取组内均值；等级按均值D划分（每0.1一档）。"),
        ]);
        var chart = new GapChart("", title, w.Word("Coordination D", "耦合协调度D"),
            [.. order.Select(gr => new TrendSeries(w.Name(gr), [.. list.Where(r => r.Group == gr).Select(r => (double)r.Period)], [.. list.Where(r => r.Group == gr).Select(r => r.Coordination)]))]);
        return new GapOutput([new GapTable("", table)], [chart]);
    }
}
