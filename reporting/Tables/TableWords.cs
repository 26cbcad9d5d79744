namespace DigitalEconomy.Reporting.Tables;

/// <summary>The language of the fixed words of a table (labels of variables come from the caller's map).</summary>
public enum TableLanguage
{
    /// <summary>English: Controls, Unit FE, Year FE, N, Constant…</summary>
    En,
    /// <summary>Chinese: 控制变量, 个体固定效应, 时间固定效应, 观测值, 常数项…</summary>
    Zh,
}

/// <summary>The fixed words of tables in each <see cref="TableLanguage"/>.</summary>
public static class TableWords
{
    private static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["constant"] = ("Constant", "常数项"),
        ["controls"] = ("Controls", "控制变量"),
        ["unit_fe"] = ("Unit FE", "个体固定效应"),
        ["year_fe"] = ("Year FE", "时间固定效应"),
        ["fe"] = ("{0} FE", "{0}固定效应"),
        ["yes"] = ("YES", "是"),
        ["no"] = ("NO", "否"),
        ["n"] = ("N", "观测值"),
        ["r2_lsdv"] = ("R² (LSDV)", "R²（LSDV）"),
        ["r2_within"] = ("R² (within)", "R²（组内）"),
        ["r2"] = ("R²", "R²"),
        ["adj_r2_lsdv"] = ("Adj. R² (LSDV)", "调整R²（LSDV）"),
        ["adj_r2_within"] = ("Adj. R² (within)", "调整R²（组内）"),
        ["adj_r2"] = ("Adj. R²", "调整R²"),
        ["units"] = ("Units", "个体数"),
        ["first_stage_f"] = ("First-stage F", "第一阶段F值"),
        ["first_stage_f_of"] = ("First-stage F ({0})", "第一阶段F值（{0}）"),
        ["kp_f"] = ("KP rk Wald F", "KP rk Wald F"),
        ["kp_lm_p"] = ("KP rk LM p", "KP rk LM p值"),
        ["anderson_lm_p"] = ("Anderson LM p", "Anderson LM p值"),
        ["cd_f"] = ("CD Wald F", "CD Wald F"),
        ["sy10"] = ("Stock-Yogo 10% size", "Stock-Yogo 10%临界值"),
        ["variable"] = ("Variable", "变量"),
        ["mean"] = ("Mean", "均值"),
        ["sd"] = ("SD", "标准差"),
        ["min"] = ("Min", "最小值"),
        ["p50"] = ("P50", "中位数"),
        ["max"] = ("Max", "最大值"),
        ["stars"] = ("* p<0.1, ** p<0.05, *** p<0.01", "* p<0.1，** p<0.05，*** p<0.01"),
        ["t_note"] = ("t statistics in parentheses", "括号内为t值"),
        ["se_note"] = ("Standard errors in parentheses", "括号内为标准误"),
        ["regression_title"] = ("Regression results", "回归结果"),
        ["describe_title"] = ("Descriptive statistics", "描述性统计"),
        ["corr_title"] = ("Correlation matrix", "相关系数矩阵"),
        ["hausman"] = ("Hausman χ² (FE vs RE)", "Hausman检验χ²（FE vs RE）"),
        ["hausman_p"] = ("Hausman p", "Hausman检验p值"),
        ["chow_f"] = ("Chow test of equal coefficients (F)", "组间系数差异检验（Chow，F值）"),
        ["chow_p"] = ("Chow test p", "组间系数差异检验p值（Chow）"),
        ["perm_p"] = ("Permutation test p", "费舍尔组合检验p值"),
        ["perm_p_upper"] = ("Permutation share d* ≥ d (bdiff)", "费舍尔组合检验经验p值（d* ≥ d）"),
        ["difference"] = ("Difference", "系数差异"),
        ["groups"] = ("Groups", "分组"),
        ["indirect"] = ("Indirect effect a·b", "间接效应a·b"),
        ["sobel_z"] = ("Sobel z", "Sobel z值"),
        ["sobel_p"] = ("Sobel p", "Sobel p值"),
        ["aroian_p"] = ("Aroian p", "Aroian p值"),
        ["boot_pct_low"] = ("a·b bootstrap CI, percentile: lower", "a·b自助法置信区间（百分位）下限"),
        ["boot_pct_high"] = ("a·b bootstrap CI, percentile: upper", "a·b自助法置信区间（百分位）上限"),
        ["boot_bc_low"] = ("a·b bootstrap CI, bias-corrected: lower", "a·b自助法置信区间（偏差校正）下限"),
        ["boot_bc_high"] = ("a·b bootstrap CI, bias-corrected: upper", "a·b自助法置信区间（偏差校正）上限"),
        ["boot_replicates"] = ("Bootstrap replicates (usable)", "自助抽样次数（有效）"),
        ["failed"] = ("failed", "估计失败"),
        ["hetero_note"] = ("Chow: Wald test of the treatment × group terms in the fully interacted model (fixed effects by group), same variance estimator; permutation: Fisher test, group labels permuted across units", "Chow检验：完全交互模型（固定效应按组交互）中处理变量×组别项的Wald检验，方差估计同上；组合检验：组别标签在个体间置换的费舍尔检验"),
        ["spec_title"] = ("Specification grid: baseline and one-choice departures", "设定网格：基准设定与单维度变化"),
        ["spec_columns"] = ("Coefficient of {0}. Column (1) is the baseline; each other column changes the one choice named above it", "{0}的估计系数。第(1)列为基准设定，其余各列只改变其上方所注的一项设定"),
        ["spec_count"] = ("{0} specifications in all (specs.parquet); {1} could not be estimated (see its error column)", "网格共{0}个设定（specs.parquet），其中{1}个无法估计（见其error列）"),
        ["baseline"] = ("Baseline", "基准"),
        ["dim_outcome"] = ("Outcome", "被解释变量"),
        ["dim_controls"] = ("Controls", "控制变量"),
        ["dim_fe"] = ("Fixed effects", "固定效应"),
        ["dim_sample"] = ("Sample", "样本"),
        ["dim_winsor"] = ("Winsorised", "缩尾处理"),
        ["dim_lag"] = ("Lagged treatment", "滞后一期"),
        ["dim_vcov"] = ("Variance", "方差估计"),
        ["corr_note"] = ("Pearson correlations, pairwise complete observations; stars from the two-sided t test of r = 0 with n - 2 df", "Pearson相关系数（成对完整观测）；星号来自 r = 0 的双侧t检验（自由度 n - 2）"),
    };

    /// <summary>The word for <paramref name="key"/> in <paramref name="language"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown key.</exception>
    public static string Get(string key, TableLanguage language)
    {
        var w = Words.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"No table word '{key}'.");
        return language == TableLanguage.Zh ? w.Zh : w.En;
    }

    /// <summary>The word for <paramref name="key"/> in <paramref name="language"/>, or null for an unknown key.</summary>
    public static string? TryGet(string key, TableLanguage language) =>
        Words.TryGetValue(key, out var w) ? language == TableLanguage.Zh ? w.Zh : w.En : null;

    /// <summary>Parses "zh" or "en" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Anything else; the message lists the choices.</exception>
    public static TableLanguage ParseLanguage(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "en" => TableLanguage.En,
        "zh" => TableLanguage.Zh,
        _ => throw new ArgumentException($"table language '{text}': expected zh or en"),
    };

    internal static string Format(string key, TableLanguage language, params object[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Get(key, language), args);
}
