using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Report;
using DigitalEconomy.Reporting.Tables;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;
using TableColumn = DigitalEconomy.Reporting.Tables.TableColumn;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    /// <summary>The lines of each regional-gap chart (stem, caption, value axis, series), by analysis, drawn at publish time.</summary>
    private readonly Dictionary<string, List<(string Stem, string Title, string Axis, List<TrendSeries> Series)>> _gapCharts = new(StringComparer.Ordinal);

    /// <summary>
    /// A regional-gap analysis (trends, disparity, convergence, coupling; contracts/Gaps.cs): every number
    /// from core's <see cref="Disparity"/> / <see cref="RegionalGaps"/> on the prepared panel (one pass over
    /// 10²–10³ rows, no grain work worth distributing), as tables and the lines of its charts.
    /// </summary>
    private List<AnalysisTable> GapTables(Indexed indexed, AnalysisSpec a)
    {
        var g = a.Gaps!;
        try
        {
            return a.Kind switch
            {
                "trends" => Trends(Subset(indexed.Panel, g.Filters, g), a, g),
                "disparity" => Disparities(Subset(indexed.Panel, g.Filters, g), a, g),
                "convergence" => Convergence(indexed.Panel, a, g),
                _ => CouplingTables(Subset(indexed.Panel, g.Filters, g), a, g),
            };
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            throw new InputException($"analysis '{a.Name}': {e.Message}");
        }
    }

    /// <summary>The rows passing every filter and, when the analysis lists groups, in one of them.</summary>
    private static Panel Subset(Panel panel, ImmutableArray<string> filters, GapsSpec? g = null)
    {
        IEnumerable<int> rows = Enumerable.Range(0, panel.RowCount);
        if (g is { Groups.IsDefaultOrEmpty: false })
        {
            var by = panel.Frame[g.By];
            rows = rows.Where(i => by.TextAt(i) is { } v && g.Groups.Contains(v));
        }
        foreach (var f in filters)
        {
            var keep = RowFilter.Parse(f).Apply(panel.Frame).ToHashSet();
            rows = rows.Where(keep.Contains);
        }
        return panel.Subset([.. rows]);
    }

    private string Word(string en, string zh) => Zh ? zh : en;

    /// <summary>The name core gets for the whole sample beside the groups: no value of a data column can be it.</summary>
    private const string AllGroups = "\u0001all";

    /// <summary>A group's printed name: its label, or All / 全部 for the whole sample.</summary>
    private string Name(string group) => group == AllGroups ? Word("All", "全部") : LabelOf(group);

    /// <summary>The groups in the order the analysis lists them, else by name.</summary>
    private static List<string> Ordered(GapsSpec g, IEnumerable<string> present)
    {
        var set = present.ToHashSet(StringComparer.Ordinal);
        return g.Groups.IsDefaultOrEmpty ? [.. set.Order(StringComparer.Ordinal)] : [.. g.Groups.Where(set.Contains)];
    }

    private string LabelOf(string s) => Labels.TryGetValue(s, out var l) ? l : s;

    private static string Year(long t) => t.ToString(CultureInfo.InvariantCulture);

    private void AddChart(string analysis, string stem, string title, string axis, List<TrendSeries> series)
    {
        if (!_gapCharts.TryGetValue(analysis, out var list)) _gapCharts[analysis] = list = [];
        list.Add((stem, title, axis, series));
    }

    /// <summary>trends: periods × groups, the (weighted) mean of the variable.</summary>
    private List<AnalysisTable> Trends(Panel panel, AnalysisSpec a, GapsSpec g)
    {
        var means = RegionalGaps.Means(panel, g.Variable!, g.By, g.Weight, AllGroups);
        var groups = Ordered(g, means.Select(m => m.Group).Where(x => x != AllGroups));
        groups.Add(AllGroups);
        var periods = means.Select(m => m.Period).Distinct().Order().ToList();
        var at = means.ToDictionary(m => (m.Period, m.Group));
        var rows = periods.Select(t => new TableRow(Year(t), Year(t), RowKind.Statistic,
            [.. groups.Select(gr => at.TryGetValue((t, gr), out var m) ? Number(m.Mean, 4) : Cell.Empty)])).ToList();
        string what = LabelOf(g.Variable!);
        var notes = new List<string>
        {
            g.Weight is null
                ? Word($"Mean of {what} by {LabelOf(g.By)} and year.", $"按{LabelOf(g.By)}与年份计算的{what}均值。")
                : Word($"Mean of {what} by {LabelOf(g.By)} and year, weighted by {LabelOf(g.Weight)} (Σwy/Σw).", $"按{LabelOf(g.By)}与年份计算的{what}加权均值（权重：{LabelOf(g.Weight)}）。"),
        };
        var table = new Table(a.Title, Word("Year", "年份"), [.. groups.Select(gr => new TableColumn(Name(gr)))], [new RowBlock(BlockKind.Data, rows)], notes);
        AddChart(a.Name, a.Name, a.Title, what, [.. groups.Select(gr => new TrendSeries(Name(gr), [.. periods.Select(t => (double)t)],
            [.. periods.Select(t => at.TryGetValue((t, gr), out var m) ? m.Mean : double.NaN)]))]);
        return [new AnalysisTable(a.Name, a.Name, table)];
    }

    /// <summary>disparity: per period CV and Theil T (total, within, between, shares) in one table; Dagum Gini (total, within, net between, transvariation, shares) in a second.</summary>
    private List<AnalysisTable> Disparities(Panel panel, AnalysisSpec a, GapsSpec g)
    {
        var list = RegionalGaps.Disparities(panel, g.Variable!, g.By, g.Weight);
        if (list.Count == 0) throw new InputException($"no period has two or more observed values of '{g.Variable}'");
        static Cell Share(double part, double total) => total > 0 ? Number(100 * part / total, 2) : Cell.Empty;
        var theilRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic,
        [
            new Cell(p.N.ToString(CultureInfo.InvariantCulture), p.N), Number(p.Mean, 4), Number(p.Cv, 4), Number(p.Theil.Total, 4), Number(p.Theil.Within, 4), Number(p.Theil.Between, 4),
            Share(p.Theil.Within, p.Theil.Total), Share(p.Theil.Between, p.Theil.Total),
        ])).ToList();
        string what = LabelOf(g.Variable!);
        var theil = new Table(a.Title, Word("Year", "年份"),
        [
            new("N"), new(Word("Mean", "均值")), new("CV"), new(Word("Theil T", "泰尔指数")), new(Word("Within", "组内")), new(Word("Between", "组间")),
            new(Word("Within %", "组内贡献率(%)")), new(Word("Between %", "组间贡献率(%)")),
        ], [new RowBlock(BlockKind.Data, theilRows)],
        [
            Word($"{what} by {LabelOf(g.By)}. Theil T = within + between (exact); CV = population sd / mean"
                + (g.Weight is null ? "; equal weights." : $"; Theil weighted by {LabelOf(g.Weight)}."),
                $"{what}，按{LabelOf(g.By)}分组。泰尔指数 = 组内 + 组间（精确分解）；CV为总体标准差/均值" + (g.Weight is null ? "；等权。" : $"；泰尔指数以{LabelOf(g.Weight)}加权。")),
        ]);
        var groups = Ordered(g, list.SelectMany(p => p.Dagum.WithinGini.Keys));
        var dagumRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic,
        [
            Number(p.Dagum.Total, 4), Number(p.Dagum.Within, 4), Number(p.Dagum.NetBetween, 4), Number(p.Dagum.Transvariation, 4),
            Share(p.Dagum.Within, p.Dagum.Total), Share(p.Dagum.NetBetween, p.Dagum.Total), Share(p.Dagum.Transvariation, p.Dagum.Total),
            .. groups.Select(gr => p.Dagum.WithinGini.TryGetValue(gr, out double x) ? Number(x, 4) : Cell.Empty),
        ])).ToList();
        var dagum = new Table(Word($"{a.Title}: Dagum Gini decomposition", $"{a.Title}：Dagum基尼系数分解"), Word("Year", "年份"),
        [
            new("G"), new("G_w"), new("G_nb"), new("G_t"), new(Word("G_w %", "组内贡献率(%)")), new(Word("G_nb %", "组间贡献率(%)")), new(Word("G_t %", "超变密度贡献率(%)")),
            .. groups.Select(gr => new TableColumn(LabelOf(gr), Word("within Gini", "组内基尼"))),
        ], [new RowBlock(BlockKind.Data, dagumRows)],
        [
            Word("Dagum (1997): G = G_w (within) + G_nb (net between) + G_t (transvariation), exactly; shares in % of G; the last columns are each group's own Gini.",
                "Dagum（1997）：G = G_w（组内）+ G_nb（组间净差异）+ G_t（超变密度），精确分解；贡献率为占G的百分比；最后几列为各组组内基尼系数。"),
        ]);
        // Between-group Ginis G_jh per pair, in the groups' order (core keys a pair by the richer group of that year first).
        var pairs = new List<(string J, string H)>();
        for (int j = 0; j < groups.Count; j++)
            for (int h = j + 1; h < groups.Count; h++) pairs.Add((groups[j], groups[h]));
        static Cell Pair(DagumResult d, string j, string h) =>
            d.BetweenGini.TryGetValue($"{j}|{h}", out double x) || d.BetweenGini.TryGetValue($"{h}|{j}", out x) ? Number(x, 4) : Cell.Empty;
        var pairRows = list.Select(p => new TableRow(Year(p.Period), Year(p.Period), RowKind.Statistic, [.. pairs.Select(q => Pair(p.Dagum, q.J, q.H))])).ToList();
        var between = new Table(Word($"{a.Title}: between-group Gini", $"{a.Title}：组间基尼系数"), Word("Year", "年份"),
            [.. pairs.Select(q => new TableColumn($"{LabelOf(q.J)}–{LabelOf(q.H)}"))], [new RowBlock(BlockKind.Data, pairRows)],
            [Word("Dagum's G_jh = ΣΣ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h)) of each pair of groups.", "各组对的Dagum组间基尼系数 G_jh = ΣΣ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h))。")]);
        var times = list.Select(p => (double)p.Period).ToList();
        AddChart(a.Name, a.Name + "_theil", Word($"{a.Title}: Theil T", $"{a.Title}：泰尔指数分解"), Word("Theil T", "泰尔指数"),
        [
            new(Word("Total", "总体"), times, [.. list.Select(p => p.Theil.Total)]),
            new(Word("Within", "组内"), times, [.. list.Select(p => p.Theil.Within)]),
            new(Word("Between", "组间"), times, [.. list.Select(p => p.Theil.Between)]),
        ]);
        AddChart(a.Name, a.Name + "_dagum", Word($"{a.Title}: Dagum Gini", $"{a.Title}：Dagum基尼系数分解"), Word("Gini", "基尼系数"),
        [
            new(Word("Total G", "总体G"), times, [.. list.Select(p => p.Dagum.Total)]),
            new(Word("Within G_w", "组内G_w"), times, [.. list.Select(p => p.Dagum.Within)]),
            new(Word("Net between G_nb", "组间G_nb"), times, [.. list.Select(p => p.Dagum.NetBetween)]),
            new(Word("Transvariation G_t", "超变密度G_t"), times, [.. list.Select(p => p.Dagum.Transvariation)]),
        ]);
        var tables = new List<AnalysisTable> { new(a.Name, a.Name, theil), new(a.Name, a.Name + "_dagum", dagum) };
        if (pairs.Count > 0) tables.Add(new AnalysisTable(a.Name, a.Name + "_between", between));
        return tables;
    }

    /// <summary>convergence: β-convergence (absolute; conditional when controls or FE are given) and the σ series (sd of ln y and CV per period).</summary>
    private List<AnalysisTable> Convergence(Panel panel, AnalysisSpec a, GapsSpec g)
    {
        var options = new EstimationOptions { Vcov = VcovSpec.Parse(g.Vcov), Filters = [.. g.Filters.Select(RowFilter.Parse)], DropSingletons = !_study.KeepSingletons };
        var fits = new List<BetaConvergence> { Disparity.Beta(panel, g.Variable!, null, null, options) };
        bool conditional = g.Controls.Length > 0 || g.Fe != "0";
        if (conditional) fits.Add(Disparity.Beta(panel, g.Variable!, g.Controls, g.Fe == "0" ? null : g.Fe, options));
        bool se = _study.Tables?.Stat == "se";
        var beta = new List<Cell>();
        var paren = new List<Cell>();
        foreach (var f in fits)
        {
            double t = f.Beta / f.StdError;
            string stars = NumberFormat.Stars(f.PValue);
            beta.Add(new Cell(NumberFormat.Fixed(f.Beta, 4) + stars, f.Beta, f.StdError, t, f.PValue, stars));
            double shown = se ? f.StdError : t;
            paren.Add(new Cell($"({NumberFormat.Fixed(shown, se ? 4 : 3)})", shown));
        }
        string yes = TableWords.Get("yes", Language), no = TableWords.Get("no", Language);
        var rows = new List<TableRow>
        {
            new("β", "beta", RowKind.Estimate, beta),
            new("", "beta_paren", RowKind.Parenthesised, paren),
        };
        var stats = new List<TableRow>
        {
            new(Word("Speed λ", "收敛速度λ"), "speed", RowKind.Statistic, [.. fits.Select(f => Number(f.Speed, 4))]),
            new(Word("Half-life", "半衰期"), "half_life", RowKind.Statistic, [.. fits.Select(f => Number(f.HalfLife, 2))]),
            new(TableWords.Get("controls", Language), "controls", RowKind.Indicator, [.. fits.Select((f, k) => new Cell(k == 1 && g.Controls.Length > 0 ? yes : no))]),
            new(Word("Fixed effects", "固定效应"), "fe", RowKind.Indicator, [.. fits.Select((f, k) => new Cell(k == 1 && g.Fe != "0" ? TableWords.FixedEffectsChoice(g.Fe, Language, LabelOf) : no))]),
            new("N", "N", RowKind.Statistic, [.. fits.Select(f => new Cell(f.Regression.N.ToString(CultureInfo.InvariantCulture), f.Regression.N))]),
            new("R²", "r2", RowKind.Statistic, [.. fits.Select(f => Number(f.Regression.R2, 3))]),
        };
        string what = LabelOf(g.Variable!);
        var betaTable = new Table(a.Title, "",
            [new("(1)", Word("Absolute", "绝对β收敛")), .. conditional ? new[] { new TableColumn("(2)", Word("Conditional", "条件β收敛")) } : []],
            [new RowBlock(BlockKind.Coefficients, rows), new RowBlock(BlockKind.Summary, stats)],
            [
                Word($"Δln {what}(t) = α + β ln {what}(t−1) (+ controls) (+ FE) + ε; β < 0: convergence; λ = −ln(1 + β) per year, half-life = ln 2 / λ. ", $"Δln {what}(t) = α + β ln {what}(t−1)（+ 控制变量）（+ 固定效应）+ ε；β < 0 表示收敛；λ = −ln(1 + β)，半衰期 = ln 2 / λ。")
                // The variance estimator in journal words (括号内为t值，标准误为省份层面聚类稳健标准误), as the regression tables write it, not its syntax.
                + TableWords.VarianceNote([g.Vcov], se ? ParenthesisStat.Se : ParenthesisStat.T, Language, LabelOf),
            ]);
        var sigma = Disparity.SigmaConvergence(Subset(panel, g.Filters), Subset(panel, g.Filters).Frame.Numeric(g.Variable!));
        var sigmaRows = sigma.Select(s => new TableRow(Year(s.Period), Year(s.Period), RowKind.Statistic, [Number(s.SdLog, 4), Number(s.Cv, 4)])).ToList();
        var sigmaTable = new Table(Word($"{a.Title}: σ-convergence", $"{a.Title}：σ收敛"), Word("Year", "年份"), [new(Word("sd(ln)", "对数标准差")), new("CV")],
            [new RowBlock(BlockKind.Data, sigmaRows)], [Word($"Dispersion of {what} across units per year: σ-convergence when it falls.", $"{what}各年份的截面离散程度，逐年下降即存在σ收敛。")]);
        var times = sigma.Select(s => (double)s.Period).ToList();
        AddChart(a.Name, a.Name + "_sigma", sigmaTable.Title, Word("Dispersion", "离散程度"),
            [new(Word("sd(ln)", "对数标准差"), times, [.. sigma.Select(s => s.SdLog)]), new("CV", times, [.. sigma.Select(s => s.Cv)])]);
        return [new AnalysisTable(a.Name, a.Name, betaTable), new AnalysisTable(a.Name, a.Name + "_sigma", sigmaTable)];
    }

    /// <summary>coupling: per period and group (and all units) the mean C, T and D with the grade of the mean D.</summary>
    private List<AnalysisTable> CouplingTables(Panel panel, AnalysisSpec a, GapsSpec g)
    {
        var list = RegionalGaps.Coupling(panel, g.Subsystems, g.By, g.Alpha.IsDefaultOrEmpty ? null : g.Alpha, AllGroups);
        var order = Ordered(g, list.Select(r => r.Group).Where(x => x != AllGroups));
        order.Add(AllGroups);
        list = [.. list.OrderBy(r => r.Period).ThenBy(r => order.IndexOf(r.Group))];
        var rows = list.Select(r => new TableRow(Year(r.Period), $"{Year(r.Period)}/{(r.Group == AllGroups ? "*" : r.Group)}", RowKind.Statistic,
        [
            new Cell(Name(r.Group)), new Cell(r.N.ToString(CultureInfo.InvariantCulture), r.N), Number(r.Coupling, 4), Number(r.Development, 4), Number(r.Coordination, 4),
            new Cell(Zh ? r.GradeZh : r.Grade),
        ])).ToList();
        string subs = string.Join(Word(", ", "、"), g.Subsystems.Select(LabelOf));
        var table = new Table(a.Title, Word("Year", "年份"),
        [
            new(Word("Group", "分组")), new("N"), new(Word("Coupling C", "耦合度C")), new(Word("Development T", "综合发展指数T")), new(Word("Coordination D", "耦合协调度D")), new(Word("Grade", "协调等级")),
        ], [new RowBlock(BlockKind.Data, rows)],
        [
            Word($"Subsystems: {subs}. C = n(ΠU)^(1/n)/ΣU, T = Σα·U{(g.Alpha.IsDefaultOrEmpty ? " (equal α)" : $" (α = {string.Join(", ", g.Alpha.Select(x => x.ToString(CultureInfo.InvariantCulture)))})")}, D = √(C·T), per unit and year; cells are means over the group's units; the grade is that of the mean D (ten bands of 0.1).",
                $"子系统：{subs}。C = n(ΠU)^(1/n)/ΣU，T = Σα·U{(g.Alpha.IsDefaultOrEmpty ? "（等权）" : $"（α = {string.Join(", ", g.Alpha.Select(x => x.ToString(CultureInfo.InvariantCulture)))}）")}，D = √(C·T)，逐个体逐年计算后取组内均值；等级按均值D划分（每0.1一档）。"),
        ]);
        var groups = order;
        AddChart(a.Name, a.Name, a.Title, Word("Coordination D", "耦合协调度D"),
            [.. groups.Select(gr => new TrendSeries(Name(gr), [.. list.Where(r => r.Group == gr).Select(r => (double)r.Period)], [.. list.Where(r => r.Group == gr).Select(r => r.Coordination)]))]);
        return [new AnalysisTable(a.Name, a.Name, table)];
    }

    /// <summary>The charts of a regional-gap analysis (trend lines as plots/&lt;stem&gt;.png and .svg).</summary>
    private List<ReportItem> GapCharts(AnalysisSpec a)
    {
        var items = new List<ReportItem>();
        if (!_gapCharts.TryGetValue(a.Name, out var charts)) return items;
        foreach (var (stem, title, axis, series) in charts)
        {
            var options = new TrendChartOptions { Title = title, TimeAxis = Word("Year", "年份"), ValueAxis = axis };
            if (Chart(stem, title, o => TrendChart.Render(series, options, o)) is { } c) items.Add(c);
        }
        return items;
    }
}
