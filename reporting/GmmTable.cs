using System.Globalization;
using DigitalEconomy.Core.Gmm;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>One column of a GMM table: its header label and the fit (null with the error when it could not be estimated).</summary>
public sealed record GmmTableColumn(string Label, GmmResult? Fit, string? Error = null);

/// <summary>
/// The table papers print for dynamic panels (xtabond2 style): one column per model, each non-time-effect coefficient with
/// stars from its robust p-value and its robust (one-step) or Windmeijer-corrected (two-step) standard error in parentheses;
/// a time-effects row; then AR(1) p, AR(2) p, Hansen p, the instrument count, the units and the observations (xtabond2's
/// count: transformed equations for difference GMM, level equations for system GMM).
/// </summary>
public static class GmmTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The table. <paramref name="label"/> maps a term to its printed label (identity when it has none).</summary>
    public static Table Build(string title, IReadOnlyList<GmmTableColumn> columns, TableLanguage language = TableLanguage.En, Func<string, string>? label = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        label ??= s => s;
        bool zh = language == TableLanguage.Zh;
        string W(string en, string z) => zh ? z : en;
        var cols = columns.Select((c, i) => new TableColumn($"({i + 1})", c.Label.Length > 0 ? c.Label : c.Fit is { } f ? Kind(f.Spec, zh) : "")).ToList();
        var terms = new List<string>();
        foreach (var c in columns)
            if (c.Fit is { } f)
                foreach (var co in f.Coefficients.Where(x => !x.IsTimeEffect && !terms.Contains(x.Term))) terms.Add(co.Term);
        var coef = new List<TableRow>();
        foreach (var t in terms)
        {
            var est = new List<Cell>(); var se = new List<Cell>();
            foreach (var c in columns)
            {
                var co = c.Fit?.Coefficients.FirstOrDefault(x => x.Term == t);
                if (co is null) { est.Add(Cell.Empty); se.Add(Cell.Empty); continue; }
                string stars = NumberFormat.Stars(co.PValue);
                est.Add(new Cell(NumberFormat.Fixed(co.Estimate, 3) + stars, co.Estimate, co.RobustStdError, co.Z, co.PValue, stars));
                se.Add(new Cell($"({NumberFormat.Fixed(co.RobustStdError, 3)})", co.RobustStdError));
            }
            coef.Add(new TableRow(label(t), t, RowKind.Estimate, est));
            coef.Add(new TableRow("", t, RowKind.Parenthesised, se));
        }
        var yes = new List<TableRow>
        {
            new(W("Time effects", "时间效应"), "time_effects", RowKind.Indicator,
                [.. columns.Select(c => c.Fit is { } f ? new Cell(f.Spec.TimeEffects ? W("YES", "是") : W("NO", "否")) : Cell.Empty)]),
        };
        Cell P(GmmTest? t) => t is null ? Cell.Empty : new Cell(NumberFormat.Fixed(t.PValue, 3), t.PValue, PValue: t.PValue);
        Cell N(int n) => new(n.ToString(Inv), n);
        TableRow Stat(string text, string key, Func<GmmResult, Cell> cell) =>
            new(text, key, RowKind.Statistic, [.. columns.Select(c => c.Fit is { } f ? cell(f) : new Cell(c.Error is null ? "" : "—"))]);
        var tests = new List<TableRow>
        {
            Stat(W("AR(1) p", "AR(1) p值"), "ar1_p", f => P(f.Ar1)),
            Stat(W("AR(2) p", "AR(2) p值"), "ar2_p", f => P(f.Ar2)),
            Stat(W("Hansen p", "Hansen检验 p值"), "hansen_p", f => P(f.Hansen)),
        };
        var stats = new List<TableRow>
        {
            Stat(W("Instruments", "工具变量个数"), "instruments", f => N(f.Instruments)),
            Stat(W("Units", "个体数"), "units", f => N(f.Units)),
            // xtabond2's count: the transformed equations of difference GMM, the level equations of system GMM.
            Stat(W("Observations", "观测值"), "n", f => N(f.Spec.System ? f.LevelObservations : f.TransformedObservations)),
        };
        var notes = new List<string>
        {
            W("Robust standard errors in parentheses (one-step: clustered by unit; two-step: Windmeijer-corrected). *** p<0.01, ** p<0.05, * p<0.1.",
              "括号内为稳健标准误（一步法：按个体聚类；两步法：Windmeijer 修正）。*** p<0.01，** p<0.05，* p<0.1。"),
            W("AR(1), AR(2): Arellano–Bond tests on the differenced residuals; Hansen: J test of the overidentifying restrictions.",
              "AR(1)、AR(2)为差分残差的 Arellano–Bond 序列相关检验；Hansen 为过度识别约束检验。"),
        };
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Error is { } e) notes.Add($"({i + 1}) {W("not estimated", "未能估计")}: {e}");
            else if (columns[i].Fit is { } f && f.Instruments > f.Units)
                notes.Add(string.Create(Inv, $"({i + 1}) {W($"{f.Instruments} instruments exceed {f.Units} units (Roodman's rule of thumb)", $"工具变量个数 {f.Instruments} 超过个体数 {f.Units}（Roodman 经验法则）")}"));
        }
        return new Table(title, "", cols, [new RowBlock(BlockKind.Coefficients, coef), new RowBlock(BlockKind.Indicators, yes), new RowBlock(BlockKind.Diagnostics, tests), new RowBlock(BlockKind.Summary, stats)], notes);
    }

    /// <summary>The default column label: the estimator.</summary>
    public static string Kind(GmmSpec spec, bool zh)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (spec.System ? (zh ? "系统GMM" : "System GMM") : (zh ? "差分GMM" : "Difference GMM"))
            + (spec.TwoStep ? (zh ? "（两步）" : " (two-step)") : (zh ? "（一步）" : " (one-step)"));
    }
}
