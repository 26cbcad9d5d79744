using System.Collections.Immutable;
using System.Text;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// One model, typed: the parsed formula (outcome, terms, fixed effects, instruments), the estimator, the
/// variance estimators computed from its fit, the parsed sample filters, the weights, the winsorised
/// columns and the singleton rule. Every producer of a model (the grid, analyses, mediation, group tests,
/// the bootstraps, curve inference) builds one, and it crosses grain calls as is (contracts holds its
/// Orleans converter), so nothing is parsed a second time. <see cref="Text"/> is its one canonical text,
/// used for ids, hashes and messages; two models are equal when their texts are.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>The parsed formula.</summary>
    public required Formula Formula { get; init; }

    /// <summary>The estimator; null chooses from the formula (IV part → 2SLS, fixed effects → within, otherwise OLS).</summary>
    public EstimatorKind? Estimator { get; init; }

    /// <summary>The variance estimators, computed from one fit; the first is the model's primary one. The default value is iid alone.</summary>
    public ImmutableArray<VcovSpec> Variances { get; init; } = [VcovSpec.Iid];

    /// <summary>Sample restrictions (all must hold), applied after the terms are evaluated on the whole panel. The default value is none.</summary>
    public ImmutableArray<RowFilter> Filters { get; init; } = [];

    /// <summary>The analytic-weight column, or null for an unweighted fit (the default).</summary>
    public string? Weights { get; init; }

    /// <summary>Columns winsorised at 1/99 % (pooled) before the fit. The default value is none. A caller that fits on a panel it has already winsorised says so by fitting with <see cref="BatchEstimation"/>, which takes the panel as given.</summary>
    public ImmutableArray<string> Winsorize { get; init; } = [];

    /// <summary>Drop observations alone in a fixed-effect group, iteratively (see <see cref="EstimationOptions.DropSingletons"/>).</summary>
    public bool DropSingletons { get; init; }

    /// <summary>The primary variance estimator.</summary>
    public VcovSpec Vcov => Variances.IsDefaultOrEmpty ? VcovSpec.Iid : Variances[0];

    /// <summary>The estimator this model is fitted with: the chosen one, or the formula's default.</summary>
    public EstimatorKind ResolvedEstimator => Estimator ?? DefaultEstimator(Formula);

    /// <summary>The default estimator of a formula: IV part → 2SLS, fixed effects → within, otherwise pooled OLS (the one rule every path uses).</summary>
    public static EstimatorKind DefaultEstimator(Formula formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        return formula.IsIv ? EstimatorKind.Iv2sls : formula.FixedEffects.Count > 0 ? EstimatorKind.Within : EstimatorKind.Ols;
    }

    /// <summary>A model of <paramref name="formula"/> with the estimator, variance, filters, weights and singleton rule of <paramref name="options"/>.</summary>
    public static ModelSpec Of(Formula formula, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(formula);
        options ??= new EstimationOptions();
        return new ModelSpec
        {
            Formula = formula,
            Estimator = options.Estimator,
            Variances = [options.Vcov],
            Filters = [.. options.Filters],
            DropSingletons = options.DropSingletons,
            Weights = options.Weights,
        };
    }

    /// <summary>
    /// The estimation options of this model: <paramref name="defaults"/> (tolerances, confidence level, collinearity policy;
    /// library defaults when null) with the model's estimator, primary variance, filters, weights and singleton rule.
    /// </summary>
    public EstimationOptions Options(EstimationOptions? defaults = null) => (defaults ?? new EstimationOptions()) with
    {
        Estimator = Estimator,
        Vcov = Vcov,
        Filters = Filters.IsDefault ? [] : Filters,
        DropSingletons = DropSingletons,
        Weights = Weights,
    };

    /// <summary>
    /// The canonical text: the formula in canonical form, then the non-default choices in a fixed order, e.g.
    /// <c>y ~ x + z | unit + year [vcov=cluster:unit; filter=year &gt;= 2015; winsor=y,x]</c>.
    /// </summary>
    /// <remarks>Built on each call, not cached: a cached field would be copied by <c>with</c> and go stale.</remarks>
    public string Text => BuildText();

    private string BuildText()
    {
        var parts = new List<string>();
        if (Estimator is { } e) parts.Add("estimator=" + Estimation.Name(e));
        if (!(Variances.IsDefaultOrEmpty || (Variances.Length == 1 && Variances[0] == VcovSpec.Iid)))
            parts.Add("vcov=" + string.Join(" ; ", Variances.Select(v => v.ToString())));
        if (!Filters.IsDefaultOrEmpty) parts.Add("filter=" + string.Join(" & ", Filters.Select(f => f.Text)));
        if (Weights is not null) parts.Add("weights=" + Weights);
        if (!Winsorize.IsDefaultOrEmpty) parts.Add("winsor=" + string.Join(",", Winsorize));
        if (DropSingletons) parts.Add("singletons=drop");
        var sb = new StringBuilder(Formula.ToString());
        if (parts.Count > 0) sb.Append(" [").Append(string.Join("; ", parts)).Append(']');
        return sb.ToString();
    }

    /// <summary>Every data column the model reads: the formula's, the filters', the weights, the winsorised and the cluster columns.</summary>
    public IEnumerable<string> Columns =>
        Formula.Columns
            .Concat(Filters.IsDefault ? [] : Filters.SelectMany(f => f.Columns))
            .Concat(Weights is null ? [] : [Weights])
            .Concat(Winsorize.IsDefault ? [] : Winsorize)
            .Concat(Variances.IsDefault ? [] : Variances.SelectMany(v => v.ClusterColumns))
            .Distinct(StringComparer.Ordinal);

    /// <inheritdoc/>
    public bool Equals(ModelSpec? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
