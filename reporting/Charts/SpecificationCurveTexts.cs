using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>
/// The texts of a grid's specification curve (the run's publish stage draws it): the title, the axis and interval words in
/// the study's language, and the choice panel's labels — dimensions and yes/no choices with the tables' words, variance,
/// fixed-effects, estimator and weights choices in words as tables/specifications.* prints them; the study's own labels
/// always come first. Pure: the same points and labels give the same options.
/// </summary>
public static class SpecificationCurveTexts
{
    /// <param name="study">The study's name (the title's first part).</param>
    /// <param name="treatment">The grid's treatment (its label, when the study gives one, is the title's second part).</param>
    /// <param name="dimensions">The grid's choice dimensions, in the order of the points' choices.</param>
    /// <param name="points">The points drawn (their choices decide which choice words are needed).</param>
    /// <param name="labels">The study's labels (<c>tables.labels</c>).</param>
    /// <param name="language">The study's table language.</param>
    public static SpecificationCurveOptions Options(string study, string treatment, IReadOnlyList<string> dimensions, IReadOnlyList<SpecCurvePoint> points,
        IReadOnlyDictionary<string, string> labels, TableLanguage language)
    {
        bool zh = language == TableLanguage.Zh;
        string Label(string s) => labels.TryGetValue(s, out var l) ? l : s;
        var chartLabels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var d in dimensions)
        {
            if (TableWords.TryGet("dim_" + d, language) is { } word) chartLabels.TryAdd(d, word);
            chartLabels.TryAdd(d + "=yes", TableWords.Get("yes", language));
            chartLabels.TryAdd(d + "=no", TableWords.Get("no", language));
        }
        // Variance choices in words, as in the specification table (the study's labels first).
        if (dimensions.Contains("vcov"))
            foreach (var v in points.Select(p => p.Choices["vcov"]).Distinct(StringComparer.Ordinal))
                if (!labels.ContainsKey(v)) chartLabels.TryAdd("vcov=" + v, TableWords.VarianceChoice(v, language, Label));
        // Fixed effects by their labels (城市、年份) in a Chinese chart, as in the specification table.
        if (dimensions.Contains("fe"))
            foreach (var v in points.Select(p => p.Choices["fe"]).Distinct(StringComparer.Ordinal))
                if (!labels.ContainsKey(v)) chartLabels.TryAdd("fe=" + v, TableWords.FixedEffectsChoice(v, language, Label));
        // The grid's estimator and weights choices in words, as in the specification table.
        foreach (var d in dimensions.Where(d => d is "estimator" or "weights"))
            foreach (var v in points.Select(p => p.Choices[d]).Distinct(StringComparer.Ordinal))
                if (!labels.ContainsKey(v)) chartLabels.TryAdd(d + "=" + v, TableWords.ModelChoice(d, v, language, Label));
        return new SpecificationCurveOptions
        {
            Title = $"{study}{(zh ? "：" : ": ")}{Label(treatment)}",
            Dimensions = [.. dimensions],
            Labels = chartLabels,
            Interval = zh ? "95%置信区间" : "95% CI",
            BinnedNote = zh ? "（每列约{0}个设定；颜色深浅为具有该选择的设定所占比例）" : " (one column ≈ {0} specifications; shade = share with the choice)",
            EstimateAxis = zh ? "估计系数（95%置信区间）" : "Estimate (95% CI)",
            RankAxis = zh ? "按估计值排序的设定" : "Specifications ranked by estimate",
            Baseline = zh ? "基准" : "Baseline",
        };
    }
}
