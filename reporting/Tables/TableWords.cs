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
        ["depvar"] = ("Dependent variable", "被解释变量"),
        ["est_ols"] = ("Pooled OLS", "混合OLS"),
        ["est_re"] = ("Random effects", "随机效应"),
        ["est_fe"] = ("Fixed effects", "固定效应"),
        ["est_2sls"] = ("2SLS", "2SLS"),
        ["est_gmm"] = ("GMM", "GMM"),
        ["variable"] = ("Variable", "变量"),
        ["mean"] = ("Mean", "均值"),
        ["sd"] = ("SD", "标准差"),
        ["min"] = ("Min", "最小值"),
        ["p50"] = ("P50", "中位数"),
        ["max"] = ("Max", "最大值"),
        ["stars"] = ("* p<0.1, ** p<0.05, *** p<0.01", "***、**、*分别表示在1%、5%、10%的水平上显著"),
        ["t_note"] = ("t statistics in parentheses", "括号内为t值"),
        ["se_note"] = ("Standard errors in parentheses", "括号内为标准误"),
        ["regression_title"] = ("Regression results", "回归结果"),
        ["describe_title"] = ("Descriptive statistics", "描述性统计"),
        ["corr_title"] = ("Correlation matrix", "相关系数矩阵"),
        ["hausman"] = ("Hausman χ² (FE vs RE)", "Hausman检验χ²"),
        ["hausman_not_pd"] = ("Hausman test: V_FE − V_RE is not positive definite; as plm::phtest and Stata's hausman, its plain inverse is used; interpret with care", "Hausman检验中两模型系数协方差矩阵之差非正定，与Stata的hausman命令一致直接求逆，结果需谨慎解读"),
        ["hausman_singular"] = ("Hausman test: V_FE − V_RE is singular; a generalised inverse is used and df is its rank", "Hausman检验中两模型系数协方差矩阵之差奇异，使用广义逆，自由度取其秩"),
        ["hausman_p"] = ("Hausman p", "Hausman检验p值"),
        ["chow_f"] = ("Chow test of equal coefficients (F)", "组间系数差异检验（Chow，F值）"),
        ["chow_p"] = ("Chow test p", "组间系数差异检验p值（Chow）"),
        ["perm_p"] = ("Permutation test p", "费舍尔组合检验p值"),
        ["perm_p_upper"] = ("Permutation share d* ≥ d (bdiff)", "费舍尔组合检验经验p值（d* ≥ d）"),
        ["perm_blank"] = ("A blank permutation p-value: no permuted fit of that pair could be estimated", "置换检验p值空白表示该组对的置换样本均无法估计"),
        ["difference"] = ("Difference", "系数差异"),
        ["se"] = ("SE", "标准误"),
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
        ["dim_estimator"] = ("Estimator", "估计方法"),
        ["dim_weights"] = ("Weights", "权重"),
        ["unweighted"] = ("Unweighted", "不加权"),
        ["weights_note"] = ("Weighted by {0}.", "以{0}加权"),
        ["weights_cols_note"] = ("{1} weighted by {0}.", "{1}以{0}加权"),
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

    /// <summary>
    /// The note on singletons removed before estimation (observations alone in a level of a fixed effect, removed
    /// iteratively as reghdfe), naming the count of each column; null when no column removed any (so tables of
    /// models without singletons read as before).
    /// </summary>
    public static string? SingletonNote(IReadOnlyList<int> removed, TableLanguage language)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (removed.All(n => n == 0)) return null;
        bool zh = language == TableLanguage.Zh;
        if (removed.Count == 1)
            return zh ? $"估计前已迭代剔除{removed[0]}个单例观测值（所在固定效应组仅有一个观测值，与reghdfe一致）"
                : $"{removed[0]} singleton observation{(removed[0] == 1 ? "" : "s")} (alone in a fixed-effect group) removed iteratively before estimation, as reghdfe";
        var parts = removed.Select((n, j) => zh ? $"第({j + 1})列{n}个" : $"({j + 1}) {n}");
        return zh ? $"估计前已迭代剔除单例观测值（所在固定效应组仅有一个观测值，与reghdfe一致）：{string.Join("，", parts)}"
            : $"Singleton observations (alone in a fixed-effect group) removed iteratively before estimation, as reghdfe: {string.Join(", ", parts)}";
    }

    /// <summary>
    /// The note on what is in parentheses and how the standard errors were estimated, in journal words
    /// (e.g. "括号内为省份层面聚类稳健标准误", "Standard errors clustered by province in parentheses"),
    /// followed by the stars legend. <paramref name="vcovs"/> holds each column's variance estimator as
    /// models record it (<c>iid</c>, <c>hc1</c>, <c>cluster:A[,B]</c>, optionally followed by a convention
    /// in parentheses); cluster columns print as their <paramref name="label"/>. Columns with different
    /// estimators are named by their numbers.
    /// </summary>
    public static string VarianceNote(IReadOnlyList<string> vcovs, ParenthesisStat stat, TableLanguage language, Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(vcovs);
        ArgumentNullException.ThrowIfNull(label);
        bool zh = language == TableLanguage.Zh;
        string sep = zh ? "；" : "; ";
        var distinct = vcovs.Distinct(StringComparer.Ordinal).ToList();
        string text;
        if (distinct.Count == 1)
        {
            string v = VarianceWords(distinct[0], language, label);
            text = stat == ParenthesisStat.Se
                ? zh ? "括号内为" + v : Capitalise(v) + " in parentheses"
                : zh ? "括号内为t值，标准误为" + v : $"t statistics in parentheses ({v})";
        }
        else
        {
            string Cols(string v) => string.Join(zh ? "、" : ", ", vcovs.Select((x, j) => (x, j)).Where(p => p.x == v).Select(p => $"({p.j + 1})"));
            var parts = distinct.Select(v => zh ? $"第{Cols(v)}列标准误为{VarianceWords(v, language, label)}" : $"{Cols(v)} {VarianceWords(v, language, label, bare: true)}");
            text = zh ? Get(stat == ParenthesisStat.Se ? "se_note" : "t_note", language) + sep + string.Join("，", parts)
                : Get(stat == ParenthesisStat.Se ? "se_note" : "t_note", language) + "; standard errors: " + string.Join(", ", parts);
        }
        return text + sep + Get("stars", language);
    }

    /// <summary>
    /// The note on analytic weights (one per weight column; none for unweighted tables): "Weighted by emp." /
    /// "以 emp 加权" when every column is weighted by it, else naming the columns ("(1), (3) weighted by emp.").
    /// <paramref name="weights"/> holds each column's weight column (null when unweighted).
    /// </summary>
    public static IEnumerable<string> WeightsNotes(IReadOnlyList<string?> weights, TableLanguage language, Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(label);
        bool zh = language == TableLanguage.Zh;
        foreach (var w in weights.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            string name = label(w);
            // Latin names stand apart from the Chinese words around them ("以 emp 加权", "以就业人数加权").
            if (zh && name.Length > 0 && char.IsAscii(name[0])) name = " " + name;
            if (zh && name.Length > 0 && char.IsAscii(name[^1])) name += " ";
            if (weights.All(x => x == w)) { yield return Format("weights_note", language, name); continue; }
            var cols = weights.Select((x, j) => (x, j)).Where(p => p.x == w).Select(p => $"({p.j + 1})");
            string list = zh ? "第" + string.Join("、", cols) + "列" : (weights.Count(x => x == w) == 1 ? "Column " : "Columns ") + string.Join(", ", cols);
            yield return Format("weights_cols_note", language, name, list);
        }
    }

    /// <summary>
    /// A grid's estimator or weights choice in words: the estimator's name as a Hausman comparison prints it
    /// (固定效应 / Random effects, 2SLS), <c>none</c> weights as 不加权 / Unweighted, a weight column by its label; a non-linear
    /// grid estimator (<c>gmm-sys</c>, <c>sdm:contiguity</c>) by its label.
    /// </summary>
    public static string ModelChoice(string dimension, string value, TableLanguage lang, Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(label);
        string? key = dimension switch
        {
            // A non-linear grid node's word (gmm-sys, did-cs, sdm:contiguity) is printed as written, or by its tables.labels entry.
            "estimator" when value is "ols" or "within" or "re" or "iv-2sls" or "iv-gmm2s" => EstimatorKey(Core.Regression.Estimation.ParseName(value)),
            "weights" when value == "none" => "unweighted",
            _ => null,
        };
        return key is null ? label(value) : Get(key, lang);
    }

    /// <summary>The word key of an estimator as a Hausman comparison or a grid choice prints it (Pooled OLS / 混合OLS, Random effects / 随机效应, Fixed effects / 固定效应, 2SLS, GMM).</summary>
    public static string EstimatorKey(Core.Regression.EstimatorKind e) => e switch
    {
        Core.Regression.EstimatorKind.Ols => "est_ols",
        Core.Regression.EstimatorKind.RandomEffects => "est_re",
        Core.Regression.EstimatorKind.Within => "est_fe",
        Core.Regression.EstimatorKind.Iv2sls => "est_2sls",
        _ => "est_gmm",
    };

    /// <summary>
    /// A variance estimator as a short choice, for the choice cells of the specification table and curve:
    /// zh "城市层面聚类稳健", "异方差稳健", "普通"; en "clustered by city", "heteroskedasticity-robust (HC1)",
    /// "conventional". Text that is no variance estimator is returned as written.
    /// </summary>
    public static string VarianceChoice(string vcov, TableLanguage language, Func<string, string> label)
    {
        string words = VarianceWords(vcov, language, label, bare: true);
        if (words == vcov || language != TableLanguage.Zh) return words;
        int end = words.IndexOf("标准误", StringComparison.Ordinal);
        return end > 0 ? words.Remove(end, "标准误".Length) : words;
    }

    /// <summary>
    /// Fixed effects as a choice of the specification table and curve, for a Chinese table: each term through
    /// <paramref name="label"/>, interactions (<c>province^year</c>) joined by ×, terms (<c>city + year</c>) by 、
    /// ("城市、年份"), none (<c>0</c>) as 无. English tables print the formula as written.
    /// </summary>
    public static string FixedEffectsChoice(string fe, TableLanguage language, Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(fe);
        ArgumentNullException.ThrowIfNull(label);
        if (language != TableLanguage.Zh) return fe;
        string f = fe.Trim();
        if (f is "" or "0") return "无";
        var split = StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries;
        return string.Join("、", f.Split('+', split).Select(t => string.Join("×", t.Split('^', split).Select(label))));
    }

    /// <summary>
    /// A variance estimator in words: zh "省份层面聚类稳健标准误", "省份和年份双向聚类稳健标准误", "异方差稳健标准误",
    /// "普通标准误"; en "standard errors clustered by province", "heteroskedasticity-robust standard errors (HC1)",
    /// "conventional standard errors" (<paramref name="bare"/>: without "standard errors", for lists).
    /// Text that is no variance estimator is returned as written.
    /// </summary>
    public static string VarianceWords(string vcov, TableLanguage language, Func<string, string> label, bool bare = false)
    {
        ArgumentNullException.ThrowIfNull(vcov);
        ArgumentNullException.ThrowIfNull(label);
        bool zh = language == TableLanguage.Zh;
        // The grammar is core's (VcovSpec.ParseFormatted reads back what VcovSpec.ToString, VcovRegistry.Format, writes).
        if (Core.Regression.VcovSpec.ParseFormatted(vcov) is not { } spec) return vcov;
        // The convention is named when the text names one (Format omits stata, the default).
        string c = vcov.Trim().Contains(" (", StringComparison.Ordinal) ? spec.Convention.ToString().ToLowerInvariant() : "";
        string convention = c.Length == 0 ? "" : zh ? $"（{c}小样本校正）" : $" ({c} small-sample correction)";
        string words;
        if (spec.Kind == Core.Regression.VcovKind.Cluster)
        {
            var cols = spec.ClusterColumns.Select(label).ToList();
            words = zh ? (cols.Count == 1 ? $"{cols[0]}层面聚类稳健标准误" : $"{string.Join("和", cols)}双向聚类稳健标准误")
                : (bare ? "" : "standard errors ") + "clustered by " + string.Join(" and ", cols) + (cols.Count > 1 ? " (two-way)" : "");
        }
        else words = spec.Kind switch
        {
            Core.Regression.VcovKind.Hc1 => zh ? "异方差稳健标准误" : "heteroskedasticity-robust" + (bare ? "" : " standard errors") + " (HC1)",
            Core.Regression.VcovKind.Iid => zh ? "普通标准误" : "conventional" + (bare ? "" : " standard errors"),
            _ => vcov,
        };
        return words == vcov ? vcov : words + convention;
    }

    /// <summary>
    /// The Hausman test's note (as the core words it) in the table's language: the known notes (difference
    /// of the covariance matrices not positive definite, or singular) are translated; others print as written.
    /// </summary>
    public static string HausmanNote(string note, TableLanguage language)
    {
        ArgumentNullException.ThrowIfNull(note);
        string? key = note.Contains("not positive definite", StringComparison.Ordinal) ? "hausman_not_pd"
            : note.Contains("singular", StringComparison.Ordinal) ? "hausman_singular" : null;
        return key is not null ? Get(key, language) : language == TableLanguage.Zh ? Get("hausman", language) + "：" + note : "Hausman test: " + note;
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    internal static string Format(string key, TableLanguage language, params object[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Get(key, language), args);
}
