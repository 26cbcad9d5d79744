using System.Globalization;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// The two tables papers print for a panel threshold model (门槛效应检验 and 门槛回归结果): the threshold tests — per
/// step, F, bootstrap p-value and replications, the bootstrap critical values at 10/5/1 %, the estimate and its LR interval
/// (refined estimates on their own rows) — and the regime coefficients at the final thresholds through the regression table.
/// </summary>
public static class ThresholdTables
{
    private static string W(TableLanguage l, string en, string zh) => l == TableLanguage.Zh ? zh : en;

    private static Cell Num(double v, int decimals) => double.IsFinite(v) ? new Cell(NumberFormat.Fixed(v, decimals), v) : Cell.Empty;

    /// <summary>The step's name: single, double, triple, then "k thresholds".</summary>
    public static string StepName(int k, TableLanguage l) => k switch
    {
        1 => W(l, "Single threshold", "单一门槛"),
        2 => W(l, "Double threshold", "双重门槛"),
        3 => W(l, "Triple threshold", "三重门槛"),
        _ => W(l, $"{k} thresholds", $"{k}重门槛"),
    };

    /// <summary>
    /// The tests table: one row per step (key <c>k1</c>, <c>k2</c>, …) with F (3 decimals and stars from the bootstrap p),
    /// p, B, the critical values, γ̂ₖ and its interval; one row per refined threshold (key <c>k2_refined1</c>, …).
    /// </summary>
    /// <param name="title">Caption.</param>
    /// <param name="result">The estimation.</param>
    /// <param name="tests">The bootstrap test of each step, or null where none was run.</param>
    /// <param name="thresholdVariable">The threshold variable's label.</param>
    /// <param name="language">Table language.</param>
    public static Table Tests(string title, ThresholdResult result, IReadOnlyList<ThresholdTest?> tests, string thresholdVariable, TableLanguage language)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(tests);
        var l = language;
        var rows = new List<TableRow>();
        for (int i = 0; i < result.Steps.Count; i++)
        {
            var s = result.Steps[i];
            var t = i < tests.Count ? tests[i] : null;
            string stars = t is null ? "" : NumberFormat.Stars(t.PValue);
            var f = double.IsFinite(s.F) ? new Cell(NumberFormat.Fixed(s.F, 3) + stars, s.F, PValue: t?.PValue, Stars: stars) : Cell.Empty;
            rows.Add(new TableRow(StepName(s.K, l), $"k{s.K}", RowKind.Statistic,
            [
                f,
                t is null ? Cell.Empty : Num(t.PValue, 3),
                t is null ? Cell.Empty : new Cell(t.Reps.ToString(CultureInfo.InvariantCulture), t.Reps),
                t is null ? Cell.Empty : Num(t.Crit10, 3),
                t is null ? Cell.Empty : Num(t.Crit5, 3),
                t is null ? Cell.Empty : Num(t.Crit1, 3),
                Num(s.Stage.Gamma, 4),
                Interval(s.Stage),
            ]));
            for (int j = 0; j < s.Refined.Count; j++)
                rows.Add(new TableRow(W(l, $"  refined γ{j + 1}", $"  修正后的γ{j + 1}"), $"k{s.K}_refined{j + 1}", RowKind.Statistic,
                    [Cell.Empty, Cell.Empty, Cell.Empty, Cell.Empty, Cell.Empty, Cell.Empty, Num(s.Refined[j].Gamma, 4), Interval(s.Refined[j])]));
        }
        string level = (result.Level * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return new Table(title, W(l, "Model", "模型"),
        [
            new("F"), new(W(l, "p", "P值")), new(W(l, "B", "BS次数")),
            new(W(l, "10%", "10%"), null, W(l, "Critical values", "临界值")), new(W(l, "5%", "5%"), null, W(l, "Critical values", "临界值")),
            new(W(l, "1%", "1%"), null, W(l, "Critical values", "临界值")),
            new(W(l, "Threshold", "门槛估计值")), new(W(l, $"{level}% CI", $"{level}%置信区间")),
        ],
        [new RowBlock(BlockKind.Data, rows)],
        [
            W(l, $"Threshold variable: {thresholdVariable}. F_k tests k − 1 against k thresholds; p-values and critical values from Hansen's (1999) fixed-regressor residual bootstrap by unit; "
                 + $"*** p < 0.01, ** p < 0.05, * p < 0.1. Intervals: thresholds with LR(γ) ≤ c = −2 ln(1 − √{level}%) = {NumberFormat.Fixed(result.CriticalLr, 4)}. "
                 + $"{Transform(result.Transform, l)}; {result.Units} units, {result.RowsUsed} rows, grid of {result.Grid.Count} points.",
              $"门槛变量：{thresholdVariable}。F_k检验k − 1个对k个门槛；P值与临界值由Hansen（1999）按个体的固定回归元残差自助法得到；*** p < 0.01，** p < 0.05，* p < 0.1。"
                 + $"置信区间为LR(γ) ≤ c = −2 ln(1 − √{level}%) = {NumberFormat.Fixed(result.CriticalLr, 4)}的门槛值。{Transform(result.Transform, l)}；{result.Units}个个体，{result.RowsUsed}个观测，网格{result.Grid.Count}点。"),
        ]);
    }

    private static string Transform(string t, TableLanguage l) => t == "full_within"
        ? W(l, "Within transform on every row", "组内变换（保留全部观测）")
        : W(l, "Within transform with each unit's last period deleted (Hansen 1999)", "组内变换后删除各个体最后一期（Hansen 1999）");

    private static Cell Interval(ThresholdEstimate e) =>
        double.IsFinite(e.CiLow) ? new Cell($"[{NumberFormat.Fixed(e.CiLow, 4)}, {NumberFormat.Fixed(e.CiHigh, 4)}]") : Cell.Empty;

    /// <summary>
    /// The regime coefficients at the final thresholds: the regression table of the regime fit (one column per variance
    /// estimator), regime terms labelled <c>z (q &lt; γ₁)</c>, <c>z (γ₁ ≤ q &lt; γ₂)</c>, …, <c>z (q ≥ γ_K)</c>.
    /// </summary>
    public static Table Coefficients(string title, ThresholdStep step, IReadOnlyList<string> regimeTerms, string thresholdVariable, RegressionTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(regimeTerms);
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(options.Labels, StringComparer.Ordinal);
        var g = step.Thresholds;
        string Q = labels.TryGetValue(thresholdVariable, out var ql) ? ql : thresholdVariable;
        string G(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        foreach (var z in regimeTerms)
        {
            string zl = labels.TryGetValue(z, out var zz) ? zz : z;
            for (int j = 0; j <= g.Count; j++)
            {
                string range = j == 0 ? $"{Q} < {G(g[0])}" : j == g.Count ? $"{Q} ≥ {G(g[^1])}" : $"{G(g[j - 1])} ≤ {Q} < {G(g[j])}";
                labels[$"{z}_regime{j + 1}"] = $"{zl} ({range})";
            }
        }
        return RegressionTable.Build(step.Fit, options with { Title = title, Labels = labels });
    }
}
