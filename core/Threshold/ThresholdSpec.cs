using System.Collections.Immutable;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Threshold;

/// <summary>
/// How the unit fixed effects are removed before the threshold search (docs/methods.md, "Panel threshold regression").
/// </summary>
public enum ThresholdTransform
{
    /// <summary>
    /// <c>full_within</c> (the default): every row of the within (unit-demeaned) data is used, n = Σ Tᵢ rows. The regime
    /// slopes and SSR at given thresholds are those of the fixed-effects regression <c>y ~ x + z:i(regime) | unit</c>
    /// (fixest, Stata <c>xtreg, fe</c>), which is what the field's papers print.
    /// </summary>
    FullWithin,

    /// <summary>
    /// <c>hansen_drop_last_period</c>: Hansen (1999, eq. 6–7) and his GAUSS code: after demeaning, each unit's last
    /// period is deleted (n = Σ (Tᵢ − 1) rows), so that the transformed errors of a unit are not linearly dependent.
    /// </summary>
    DropLastPeriod,
}

/// <summary>The settings of a threshold estimation.</summary>
public sealed record ThresholdOptions
{
    /// <summary>Number of thresholds estimated sequentially (1, 2, 3, … no cap). The default value is 1.</summary>
    public int Thresholds { get; init; } = 1;

    /// <summary>
    /// Hansen's <c>qn</c>: the grid is <c>dd[⌊s·|dd|⌋]</c> over the sorted distinct values dd of the threshold variable for
    /// s = trim, trim + 1/qn, …, 1 − trim. 0 asks for the exact search: every distinct value (the same rule with qn = |dd|).
    /// The default value is 400 (Hansen 1999).
    /// </summary>
    public int GridPoints { get; init; } = 400;

    /// <summary>
    /// Trimming per step (step k uses entry k, the last entry repeats): step 1's trims the grid's ends; step k ≥ 2 excludes
    /// the grid positions within qn·trim of each earlier threshold. The default value is [0.01] (Hansen 1999).
    /// </summary>
    public ImmutableArray<double> Trim { get; init; } = [0.01];

    /// <summary>The within transform. The default value is <see cref="ThresholdTransform.FullWithin"/>.</summary>
    public ThresholdTransform Transform { get; init; } = ThresholdTransform.FullWithin;

    /// <summary>Confidence level of the LR-inversion intervals of the thresholds. The default value is 0.95.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Variance estimators of the regime coefficients (the first is the primary one). The default value is [iid].</summary>
    public ImmutableArray<VcovSpec> Variances { get; init; } = [VcovSpec.Iid];

    /// <summary>
    /// Computes every candidate's SSR by its own regression instead of the sorted cumulative sums: the slow textbook
    /// search, kept only so the benchmark can run both side by side (same grid, same answers to rounding).
    /// </summary>
    public bool RefitPerCandidate { get; init; }

    /// <summary>The trim of step <paramref name="step"/> (1-based).</summary>
    public double TrimAt(int step) => Trim.IsDefaultOrEmpty ? 0.01 : Trim[Math.Min(step - 1, Trim.Length - 1)];

    /// <summary>The option text of the transform (<c>full_within</c>, <c>hansen_drop_last_period</c>).</summary>
    public static string Name(ThresholdTransform t) => t == ThresholdTransform.FullWithin ? "full_within" : "hansen_drop_last_period";

    /// <summary>Parses a transform's name (also <c>full</c>, <c>drop_last</c>, <c>hansen</c>).</summary>
    /// <exception cref="InputException">Any other text.</exception>
    public static ThresholdTransform ParseTransform(string text, string where) => text?.Trim().ToLowerInvariant() switch
    {
        "full_within" or "full" or "within" => ThresholdTransform.FullWithin,
        "hansen_drop_last_period" or "drop_last" or "hansen" => ThresholdTransform.DropLastPeriod,
        _ => throw new InputException($"{where}: expected full_within or hansen_drop_last_period, got '{text}'"),
    };
}

/// <summary>
/// A threshold model: y = μᵢ + x'β + Σₖ z·1(γₖ₋₁ ≤ q &lt; γₖ)'δₖ + e with unit fixed effects.
/// </summary>
/// <param name="Formula">The response and the regime-independent regressors x; its fixed-effects part is empty or the panel's unit.</param>
/// <param name="ThresholdVariable">The threshold variable q.</param>
/// <param name="Regime">The regime-dependent terms z (one or more).</param>
/// <param name="Options">The settings.</param>
public sealed record ThresholdSpec(Formula Formula, Expr ThresholdVariable, IReadOnlyList<Expr> Regime, ThresholdOptions Options);
