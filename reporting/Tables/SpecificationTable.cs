using System.Globalization;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>One specification of a grid as <see cref="SpecificationTable"/> reads it.</summary>
/// <param name="Choices">Its choice in each dimension, in the order of <see cref="SpecificationTableOptions.Dimensions"/>.</param>
/// <param name="Estimate">The treatment's coefficient; null or non-finite when the fit failed.</param>
/// <param name="StdError">Its standard error.</param>
/// <param name="PValue">Its two-sided p-value (the stars).</param>
/// <param name="N">Observations used.</param>
/// <param name="R2">The LSDV (ordinary) R².</param>
/// <param name="R2Within">The within R² of a fixed-effects fit; null without fixed effects.</param>
/// <param name="Failed">True when the specification could not be estimated.</param>
public sealed record GridSpecification(IReadOnlyList<string> Choices, double? Estimate, double? StdError, double? PValue, long? N, double? R2, double? R2Within, bool Failed = false);

/// <summary>Options of <see cref="SpecificationTable.Build"/>.</summary>
public sealed record SpecificationTableOptions
{
    /// <summary>The caption; null for the language's "Specification grid: baseline and one-choice departures".</summary>
    public string? Title { get; init; }
    /// <summary>The treatment term whose coefficient the table shows. <value>The default value is "treatment".</value></summary>
    public string Treatment { get; init; } = "treatment";
    /// <summary>
    /// The grid's dimensions, in the order of <see cref="GridSpecification.Choices"/>. The keys outcome,
    /// controls, fe, sample, winsor, lag and vcov print as fixed words of the language; others as written.
    /// <value>The default value is outcome, controls, fe, sample, winsor, lag, vcov.</value>
    /// </summary>
    public IReadOnlyList<string> Dimensions { get; init; } = ["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov"];
    /// <summary>Labels of the treatment and of choice values (e.g. outcome variables; any language); unlisted names print as written.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Language of the fixed words. <value>The default value is <see cref="TableLanguage.En"/>.</value></summary>
    public TableLanguage Language { get; init; } = TableLanguage.En;
    /// <summary>What goes in parentheses. <value>The default value is <see cref="ParenthesisStat.T"/>.</value></summary>
    public ParenthesisStat Stat { get; init; } = ParenthesisStat.T;
    /// <summary>Which R² is shown: within R² for specifications with fixed effects, or LSDV. <value>The default value is <see cref="R2Kind.Lsdv"/>.</value></summary>
    public R2Kind R2 { get; init; } = R2Kind.Lsdv;
    /// <summary>Decimals (coefficient, statistic, R²).</summary>
    public TableDecimals Decimals { get; init; } = new();
    /// <summary>Lines added after the table's own notes (e.g. the bootstrap of the baseline, curve inference).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>
    /// Dimensions whose choice can force another's: a specification that departs from the baseline in the key dimension and,
    /// with it, in the value dimension counts as a departure in the key dimension alone when the grid has no specification with
    /// the same choices and the baseline's value there (the choice forced it). <value>The default value is estimator → fe: random
    /// effects and pooled OLS take no fixed effects, so an <c>re</c> or <c>ols</c> node of a grid whose baseline is a within fit
    /// differs from it in the estimator and the fixed effects, yet is the estimator's departure.</value>
    /// </summary>
    public IReadOnlyDictionary<string, string> Forces { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["estimator"] = "fe" };
}

/// <summary>
/// The table of a specification grid: column (1) is the baseline (the specification whose every choice
/// equals <c>baseline</c>), then every specification that departs from it in exactly one choice, ordered
/// by the dimension changed (in <see cref="SpecificationTableOptions.Dimensions"/> order), then by its
/// choices joined with '|' (ordinal). Columns are "(1)"…"(k)" under a spanning group: "Baseline" over
/// column (1), the changed dimension over each departure.
/// Blocks: coefficients (the treatment's estimate with stars — "failed" when it could not be estimated —
/// and its t or SE in parentheses), indicators (one row per dimension with each column's choice; yes/no
/// as the language's YES/NO, values through the labels), summary (N, R²: the within R² of fixed-effects
/// fits when asked, else the LSDV R²).
/// Notes: what is in parentheses and the stars; what the columns are; how many specifications the grid
/// has and how many failed (counted over <c>all</c>, not only the columns shown); then the caller's notes.
/// </summary>
public static class SpecificationTable
{
    /// <summary>Builds the table from every specification of a grid and the baseline's choices.</summary>
    /// <exception cref="ArgumentException">A specification or the baseline with another number of choices than dimensions; no specification equals the baseline or departs from it in one choice.</exception>
    public static Table Build(IReadOnlyList<GridSpecification> all, IReadOnlyList<string> baseline, SpecificationTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(baseline);
        var o = options ?? new SpecificationTableOptions();
        var lang = o.Language;
        var dims = o.Dimensions;
        if (baseline.Count != dims.Count) throw new ArgumentException($"{baseline.Count} baseline choices for {dims.Count} dimensions.", nameof(baseline));
        var wrong = all.FirstOrDefault(s => s.Choices.Count != dims.Count);
        if (wrong is not null) throw new ArgumentException($"a specification has {wrong.Choices.Count} choices for {dims.Count} dimensions: {string.Join("|", wrong.Choices)}", nameof(all));
        string W(string key) => TableWords.Get(key, lang);
        string Label(string name) => o.Labels.TryGetValue(name, out var l) && !string.IsNullOrWhiteSpace(l) ? l : name;
        string Dim(string d) => TableWords.TryGet("dim_" + d, lang) ?? d;
        // The variance choice in words (城市层面聚类稳健, not cluster:city) unless the study labels it; fixed effects likewise.
        string Value(string dim, string v) => v switch
        {
            "yes" => W("yes"),
            "no" => W("no"),
            _ when dim == "vcov" && !o.Labels.ContainsKey(v) => TableWords.VarianceChoice(v, lang, Label),
            // Fixed effects by their labels (城市、年份, not city + year) in a Chinese table, unless the study labels the formula.
            _ when dim == "fe" && !o.Labels.ContainsKey(v) => TableWords.FixedEffectsChoice(v, lang, Label),
            // The grid's estimator and weights dimensions in words: 固定效应 / Random effects, 不加权 / the weight column's label.
            _ when dim is "estimator" or "weights" && !o.Labels.ContainsKey(v) => TableWords.ModelChoice(dim, v, lang, Label),
            _ => Label(v),
        };

        // Choices of every specification, to tell a forced companion change (no specification keeps the baseline's value there).
        var present = all.Select(s => string.Join("\u001f", s.Choices)).ToHashSet(StringComparer.Ordinal);
        var forced = o.Forces.Select(f => (By: IndexOf(dims, f.Key), Of: IndexOf(dims, f.Value))).Where(f => f.By >= 0 && f.Of >= 0).ToList();
        int Forced(GridSpecification s)
        {
            foreach (var (by, of) in forced)
            {
                if (s.Choices[by] == baseline[by] || s.Choices[of] == baseline[of]) continue;
                var kept = s.Choices.ToArray();
                kept[of] = baseline[of];
                if (!present.Contains(string.Join("\u001f", kept))) return of;
            }
            return -1;
        }
        int Diff(GridSpecification s)
        {
            int n = s.Choices.Where((c, k) => c != baseline[k]).Count();
            return n == 2 && Forced(s) >= 0 ? 1 : n;
        }
        int FirstDiff(GridSpecification s)
        {
            int skip = Forced(s);
            return Enumerable.Range(0, dims.Count).First(k => k != skip && s.Choices[k] != baseline[k]);
        }
        var cols = all.Where(s => Diff(s) == 0).Take(1)
            .Concat(all.Where(s => Diff(s) == 1).OrderBy(FirstDiff).ThenBy(s => string.Join("|", s.Choices), StringComparer.Ordinal)).ToList();
        if (cols.Count == 0) throw new ArgumentException($"no specification equals the baseline ({string.Join("|", baseline)}) or departs from it in one choice.", nameof(all));

        var columns = cols.Select((s, j) => new TableColumn($"({j + 1})", null, Diff(s) == 0 ? W("baseline") : Dim(dims[FirstDiff(s)]))).ToList();
        var d = o.Decimals;
        var top = new List<Cell>();
        var under = new List<Cell>();
        foreach (var s in cols)
        {
            if (s.Failed || s.Estimate is not { } e || !double.IsFinite(e)) { top.Add(new Cell(W("failed"))); under.Add(Cell.Empty); continue; }
            double se = s.StdError ?? double.NaN, p = s.PValue ?? double.NaN, t = e / se;
            string stars = NumberFormat.Stars(p);
            top.Add(new Cell(NumberFormat.Fixed(e, d.Coefficient) + stars, e, se, t, p, stars));
            double shown = o.Stat == ParenthesisStat.T ? t : se;
            under.Add(double.IsFinite(shown) ? new Cell("(" + NumberFormat.Fixed(shown, d.Statistic) + ")", shown, se, t, p) : Cell.Empty);
        }
        string term = o.Treatment;
        var coefficients = new RowBlock(BlockKind.Coefficients,
        [
            new TableRow(Label(term), term, RowKind.Estimate, top),
            new TableRow("", term + (o.Stat == ParenthesisStat.T ? ":t" : ":se"), RowKind.Parenthesised, under),
        ]);

        bool within = o.R2 == R2Kind.Within && cols.Any(s => s.R2Within is not null);
        string r2Key = within ? "r2_within" : "r2_lsdv";
        var summary = new RowBlock(BlockKind.Summary,
        [
            new TableRow(W("n"), "N", RowKind.Statistic, [.. cols.Select(s => s.N is { } n ? new Cell(n.ToString(CultureInfo.InvariantCulture), n) : Cell.Empty)]),
            new TableRow(W(r2Key), r2Key, RowKind.Statistic, [.. cols.Select(s => (within ? s.R2Within ?? s.R2 : s.R2) is { } r && double.IsFinite(r) ? new Cell(NumberFormat.Fixed(r, d.R2), r) : Cell.Empty)]),
        ]);
        var choices = new RowBlock(BlockKind.Indicators,
            [.. dims.Select((dim, k) => new TableRow(Dim(dim), "choice:" + dim, RowKind.Indicator, [.. cols.Select(s => new Cell(Value(dim, s.Choices[k])))]))]);

        string sep = lang == TableLanguage.Zh ? "；" : "; ";
        var notes = new List<string>
        {
            W(o.Stat == ParenthesisStat.T ? "t_note" : "se_note") + sep + W("stars"),
            TableWords.Format("spec_columns", lang, Label(term)),
            TableWords.Format("spec_count", lang, all.Count.ToString(CultureInfo.InvariantCulture), all.Count(s => s.Failed).ToString(CultureInfo.InvariantCulture)),
        };
        if (within && cols.Any(s => s.R2Within is null)) notes.Add(lang == TableLanguage.Zh ? "无固定效应的列报告普通R²" : "Columns without fixed effects report the ordinary R²");
        notes.AddRange(o.Notes);
        return new Table(o.Title ?? W("spec_title"), "", columns, [coefficients, choices, summary], notes);
    }

    private static int IndexOf(IReadOnlyList<string> dims, string name)
    {
        for (int k = 0; k < dims.Count; k++) if (dims[k] == name) return k;
        return -1;
    }
}
