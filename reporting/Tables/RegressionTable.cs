using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>What is printed in parentheses under a coefficient.</summary>
public enum ParenthesisStat
{
    /// <summary>t (or z) = estimate / standard error, as the field's papers print.</summary>
    T,
    /// <summary>The standard error.</summary>
    Se,
}

/// <summary>Which R² the summary rows show for fixed-effects columns.</summary>
public enum R2Kind
{
    /// <summary>The LSDV R² (reghdfe "R-squared", areg) and its adjusted value.</summary>
    Lsdv,
    /// <summary>The within R² (xtreg, fe "within"; plm rsq) and 1 − (1 − R²w)(N − 1)/df_resid.</summary>
    Within,
}

/// <summary>Options of <see cref="RegressionTable.Build"/>.</summary>
public sealed record RegressionTableOptions
{
    /// <summary>The caption; null for the language's "Regression results".</summary>
    public string? Title { get; init; }
    /// <summary>What goes in parentheses. <value>The default value is <see cref="ParenthesisStat.T"/>.</value></summary>
    public ParenthesisStat Stat { get; init; } = ParenthesisStat.T;
    /// <summary>
    /// The key regressors. When null every coefficient gets its rows; otherwise only these terms do
    /// (in this order) and a "Controls YES/NO" row says whether a column has other regressors.
    /// </summary>
    public IReadOnlyList<string>? KeyTerms { get; init; }
    /// <summary>Labels of terms, variables and fixed-effect factors (any language); unlisted names print as written.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Language of the fixed words. <value>The default value is <see cref="TableLanguage.En"/>.</value></summary>
    public TableLanguage Language { get; init; } = TableLanguage.En;
    /// <summary>Which R² fixed-effects columns show. <value>The default value is <see cref="R2Kind.Within"/>, as <c>xtreg, fe</c> and most papers report.</value></summary>
    public R2Kind R2 { get; init; } = R2Kind.Within;
    /// <summary>The panel unit column: its FE row is labelled "Unit FE" and the number of units is printed. Null: no "Units" row.</summary>
    public string? UnitColumn { get; init; }
    /// <summary>The panel time column: its FE row is labelled "Year FE".</summary>
    public string? TimeColumn { get; init; }
    /// <summary>Optional label per column (e.g. the dependent variable), same length as the models.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }
    /// <summary>Optional group per column (e.g. "East", or the column a heterogeneity analysis splits by), same length as the models; a group listed in <see cref="Labels"/> prints as its label.</summary>
    public IReadOnlyList<string>? ColumnGroups { get; init; }
    /// <summary>Decimals per kind of number.</summary>
    public TableDecimals Decimals { get; init; } = new();
    /// <summary>A first row "Dependent variable" / "被解释变量" naming each column's outcome (its label from <see cref="Labels"/>).</summary>
    public bool DependentVariableRow { get; init; }
    /// <summary>Columns without a label are labelled by their estimator ("Pooled OLS" / "混合OLS", "Random effects" / "随机效应", "Fixed effects" / "固定效应", 2SLS, GMM), as a Hausman comparison prints.</summary>
    public bool EstimatorLabels { get; init; }
    /// <summary>
    /// A key term that transforms another key term's variable (lag(x), lead(x), log(x) beside x) and is in no
    /// model together with it is reported on that variable's row, as esttab's <c>rename</c>; a note names the
    /// columns (a lagged treatment in a robustness column stays in the table and its row).
    /// </summary>
    public bool MergeTransformed { get; init; }
}

/// <summary>
/// Builds the esttab-style regression table: models side by side in columns "(1)"…"(k)".
/// Blocks: coefficients (estimate with stars, then t or SE in parentheses; the constant last —
/// "(Intercept)" of models without fixed effects, Stata's <c>_cons</c> = ȳ − x̄'b of fixed-effects
/// models from <c>Statistics["intercept_stata"]</c>, its t and p from t(DfTests)); indicators
/// (Controls, one FE row per factor); summary (N, R² named LSDV or within, adjusted R², units);
/// IV diagnostics when any column is IV (first-stage F per endogenous regressor, KP rk Wald F,
/// KP rk LM p, Cragg–Donald F, Stock–Yogo 10 % 2SLS size critical value).
/// A term a column does not have leaves that column's cells empty.
/// </summary>
public static class RegressionTable
{
    private const string InterceptTerm = "(Intercept)";

    /// <summary>Builds the table of <paramref name="models"/> (one column each, in order).</summary>
    /// <exception cref="ArgumentException">No models; column labels or groups of the wrong length; a key term no model has.</exception>
    public static Table Build(IReadOnlyList<RegressionResult> models, RegressionTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var o = options ?? new RegressionTableOptions();
        if (models.Count == 0) throw new ArgumentException("A regression table needs at least one model.", nameof(models));
        if (o.ColumnLabels is { } cl && cl.Count != models.Count) throw new ArgumentException($"{cl.Count} column labels for {models.Count} models.", nameof(options));
        if (o.ColumnGroups is { } cg && cg.Count != models.Count) throw new ArgumentException($"{cg.Count} column groups for {models.Count} models.", nameof(options));
        var lang = o.Language;
        var d = o.Decimals;
        string Label(string name) => o.Labels.TryGetValue(name, out var l) && !string.IsNullOrWhiteSpace(l) ? l
            : name.Contains(':', StringComparison.Ordinal) && !name.Contains('(', StringComparison.Ordinal) ? string.Join(" × ", name.Split(':').Select(Label)) : name;
        // An interacted fixed effect (province^year) prints as its factors' labels joined with × (省份×年份).
        string FactorLabel(string name) => o.Labels.TryGetValue(name, out var l) && !string.IsNullOrWhiteSpace(l) ? l
            : name.Contains('^', StringComparison.Ordinal) ? string.Join(lang == TableLanguage.Zh ? "×" : " × ", name.Split('^').Select(Label)) : Label(name);
        string W(string key) => TableWords.Get(key, lang);

        string? ColumnLabel(int j) => o.ColumnLabels?[j] is { Length: > 0 } l ? l : o.EstimatorLabels ? W(TableWords.EstimatorKey(models[j].Estimator)) : o.ColumnLabels?[j];
        var columns = models.Select((_, j) => new TableColumn($"({j + 1})", ColumnLabel(j), o.ColumnGroups?[j] is { Length: > 0 } g ? Label(g) : o.ColumnGroups?[j])).ToList();
        var blocks = new List<RowBlock>();

        // Coefficients: key terms, or every slope in order of first appearance; the constant last.
        var allSlopes = models.SelectMany(m => m.Coefficients.Select(c => c.Term)).Where(t => t != InterceptTerm).Distinct().ToList();
        List<string> shown;
        if (o.KeyTerms is { } keys)
        {
            var missing = keys.Where(k => !allSlopes.Contains(k)).ToList();
            if (missing.Count > 0) throw new ArgumentException($"key term(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} in no model; terms: {string.Join(", ", allSlopes)}", nameof(options));
            shown = [.. keys];
        }
        else shown = allSlopes;
        // Transformed forms of a key variable reported on its row (term → row term).
        var rowOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o.KeyTerms is not null && o.MergeTransformed)
            foreach (var k in shown)
                if (TransformedColumn(k) is { } x && x != k && shown.Contains(x) && !rowOf.ContainsKey(x)
                    && !models.Any(m => m.Coefficients.Any(c => c.Term == k) && m.Coefficients.Any(c => c.Term == x)))
                    rowOf[k] = x;
        shown = [.. shown.Where(k => !rowOf.ContainsKey(k))];
        var coefRows = new List<TableRow>();
        if (o.DependentVariableRow)
            coefRows.Add(new TableRow(W("depvar"), "depvar", RowKind.Statistic, [.. models.Select(m => new Cell(Label(m.Formula.Split('~', 2)[0].Trim())))]));
        foreach (var term in shown)
        {
            var cs = models.Select(m => m.Coefficients.FirstOrDefault(c => c.Term == term || rowOf.GetValueOrDefault(c.Term) == term)).ToList();
            AddEstimate(coefRows, Label(term), term, cs.Select(c => c is null ? ((double, double, double, double)?)null : (c.Estimate, c.StdError, c.Statistic, c.PValue)).ToList(), o);
        }
        var cons = models.Select(Constant).ToList();
        if (cons.Any(c => c is not null)) AddEstimate(coefRows, W("constant"), "_cons", cons, o);
        blocks.Add(new RowBlock(BlockKind.Coefficients, coefRows));

        // Indicators.
        var ind = new List<TableRow>();
        if (o.KeyTerms is { } kt)
        {
            ind.Add(YesNo(W("controls"), "controls", models.Select(m => m.Coefficients.Any(c => c.Term != InterceptTerm && !kt.Contains(c.Term))).ToList(), lang));
        }
        var factors = models.SelectMany(m => m.FixedEffects.Keys).Distinct().ToList();
        foreach (var f in factors)
        {
            string label = f == o.UnitColumn ? W("unit_fe") : f == o.TimeColumn ? W("year_fe") : TableWords.Format("fe", lang, FactorLabel(f));
            ind.Add(YesNo(label, "fe:" + f, models.Select(m => m.FixedEffects.ContainsKey(f)).ToList(), lang));
        }
        if (ind.Count > 0) blocks.Add(new RowBlock(BlockKind.Indicators, ind));

        // Summary.
        bool anyFe = models.Any(m => m.FixedEffects.Count > 0);
        bool within = o.R2 == R2Kind.Within && anyFe;
        string r2Key = !anyFe ? "r2" : within ? "r2_within" : "r2_lsdv";
        var summary = new List<TableRow>
        {
            new(W("n"), "N", RowKind.Statistic, models.Select(m => new Cell(m.N.ToString(CultureInfo.InvariantCulture), m.N)).ToList()),
            new(W(r2Key), r2Key, RowKind.Statistic, models.Select(m => Num(within && m.R2Within is { } w ? w : m.R2, d.R2)).ToList()),
            new(W("adj_" + r2Key), "adj_" + r2Key, RowKind.Statistic, models.Select(m => Num(within && m.R2Within is { } w ? 1 - (1 - w) * (m.N - 1) / m.DfResid : m.AdjR2, d.R2)).ToList()),
        };
        if (o.UnitColumn is { } unit)
        {
            summary.Add(new TableRow(W("units"), "units", RowKind.Statistic, models.Select(m =>
                m.FixedEffects.TryGetValue(unit, out int g) || m.Clusters.TryGetValue(unit, out g) ? new Cell(g.ToString(CultureInfo.InvariantCulture), g) : Cell.Empty).ToList()));
        }
        blocks.Add(new RowBlock(BlockKind.Summary, summary));

        // IV diagnostics.
        if (models.Any(m => m.Iv is not null))
        {
            var diag = new List<TableRow>();
            var endog = models.SelectMany(m => m.FirstStages ?? []).Select(f => f.Endogenous).Distinct().ToList();
            foreach (var e in endog)
            {
                string label = endog.Count == 1 ? W("first_stage_f") : TableWords.Format("first_stage_f_of", lang, Label(e));
                diag.Add(new TableRow(label, "first_stage_f:" + e, RowKind.Statistic, models.Select(m =>
                    m.FirstStages?.FirstOrDefault(f => f.Endogenous == e) is { } fs ? Num(fs.FTest.Statistic, d.Diagnostic) : Cell.Empty).ToList()));
            }
            diag.Add(new TableRow(W("kp_f"), "kp_rk_wald_f", RowKind.Statistic, models.Select(m => m.Iv?.KleibergenPaapWaldF is { } f ? Num(f, d.Diagnostic) : Cell.Empty).ToList()));
            bool allAnderson = models.Where(m => m.Iv is not null).All(m => m.Iv!.KleibergenPaapLm.Name.StartsWith("Anderson", StringComparison.OrdinalIgnoreCase));
            diag.Add(new TableRow(W(allAnderson ? "anderson_lm_p" : "kp_lm_p"), "kp_rk_lm_p", RowKind.Statistic, models.Select(m => m.Iv is { } iv ? Num(iv.KleibergenPaapLm.PValue, d.PValue) : Cell.Empty).ToList()));
            diag.Add(new TableRow(W("cd_f"), "cd_wald_f", RowKind.Statistic, models.Select(m => m.Iv is { } iv ? Num(iv.CraggDonaldF, d.Diagnostic) : Cell.Empty).ToList()));
            diag.Add(new TableRow(W("sy10"), "stock_yogo_10", RowKind.Statistic, models.Select(m => m.Iv?.StockYogoSize is { Count: > 0 } sy ? Num(sy[0], d.Diagnostic) : Cell.Empty).ToList()));
            blocks.Add(new RowBlock(BlockKind.Diagnostics, diag));
        }

        var notes = new List<string> { TableWords.VarianceNote([.. models.Select(m => m.Vcov)], o.Stat, lang, Label) };
        notes.AddRange(TableWords.WeightsNotes([.. models.Select(m => m.Weights)], lang, Label));
        foreach (var (k, x) in rowOf)
        {
            var cols = models.Select((m, j) => (m, j)).Where(p => p.m.Coefficients.Any(c => c.Term == k)).Select(p => $"({p.j + 1})").ToList();
            if (cols.Count == 0) continue;
            notes.Add(lang == TableLanguage.Zh ? $"第{string.Join("、", cols)}列报告{Label(k)}的估计系数，列于{Label(x)}一行"
                : $"{(cols.Count == 1 ? "Column" : "Columns")} {string.Join(", ", cols)} {(cols.Count == 1 ? "reports" : "report")} the coefficient of {Label(k)}, on the row of {Label(x)}");
        }
        if (within && models.Any(m => m.FixedEffects.Count == 0))
            notes.Add(lang == TableLanguage.Zh ? "无固定效应的列报告普通R²" : "Columns without fixed effects report the ordinary R²");
        if (TableWords.SingletonNote([.. models.Select(m => m.SingletonsRemoved)], lang) is { } singletons) notes.Add(singletons);
        return new Table(o.Title ?? W("regression_title"), "", columns, blocks, notes);
    }

    /// <summary>The constant of a model: its "(Intercept)" coefficient, or Stata's _cons of a fixed-effects fit; null when neither exists.</summary>
    internal static (double B, double Se, double T, double P)? Constant(RegressionResult m)
    {
        if (m.Coefficients.FirstOrDefault(c => c.Term == InterceptTerm) is { } c) return (c.Estimate, c.StdError, c.Statistic, c.PValue);
        if (m.Statistics.TryGetValue("intercept_stata", out double b) && m.Statistics.TryGetValue("intercept_stata_se", out double se))
        {
            double t = b / se;
            return (b, se, t, Distributions.StudentTTwoSided(t, m.DfTests));
        }
        return null;
    }

    private static void AddEstimate(List<TableRow> rows, string label, string key, IReadOnlyList<(double B, double Se, double T, double P)?> cells, RegressionTableOptions o)
    {
        var top = new List<Cell>();
        var under = new List<Cell>();
        foreach (var c in cells)
        {
            if (c is not { } v) { top.Add(Cell.Empty); under.Add(Cell.Empty); continue; }
            top.Add(EstimateCell(v.B, v.Se, v.T, v.P, o.Decimals.Coefficient));
            double shown = o.Stat == ParenthesisStat.T ? v.T : v.Se;
            under.Add(new Cell("(" + NumberFormat.Fixed(shown, o.Decimals.Statistic) + ")", shown, v.Se, v.T, v.P));
        }
        rows.Add(new TableRow(label, key, RowKind.Estimate, top));
        rows.Add(new TableRow("", key + (o.Stat == ParenthesisStat.T ? ":t" : ":se"), RowKind.Parenthesised, under));
    }

    /// <summary>The one column a term transforms (lag(x), lead(x,2), log(x) → x); null for a plain variable, an interaction or text that is no term.</summary>
    private static string? TransformedColumn(string term)
    {
        if (!term.Contains('(', StringComparison.Ordinal)) return null;
        try
        {
            var e = Formula.Parse("y__ ~ " + term).Regressors;
            return e.Count == 1 && e[0] is CallExpr && e[0].Columns.Distinct().ToList() is [var only] ? only : null;
        }
        catch (InputException) { return null; }
    }

    /// <summary>An estimate as the regression tables print it: fixed decimals with the stars of its p-value, its SE, t and p kept in the cell.</summary>
    internal static Cell EstimateCell(double b, double se, double t, double p, int decimals)
    {
        string stars = NumberFormat.Stars(p);
        return new Cell(NumberFormat.Fixed(b, decimals) + stars, b, se, t, p, stars);
    }

    private static TableRow YesNo(string label, string key, IReadOnlyList<bool> values, TableLanguage lang) =>
        new(label, key, RowKind.Indicator, values.Select(v => new Cell(TableWords.Get(v ? "yes" : "no", lang), v ? 1 : 0)).ToList());

    private static Cell Num(double v, int decimals) => new(NumberFormat.Fixed(v, decimals), v);
}
