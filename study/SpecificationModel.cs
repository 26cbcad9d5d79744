using DigitalEconomy.Core.Data;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Study;

/// <summary>
/// From a grid's typed <see cref="Specification"/> to core's model: the formula tree, estimator, variance,
/// filter, weights and winsorised columns of its choices, built once when the grid is expanded.
/// </summary>
public static class SpecificationModel
{
    /// <summary>The reported term: the treatment, or <c>lag(treatment)</c>.</summary>
    public static string Term(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Lag ? $"lag({s.Treatment})" : s.Treatment;
    }

    /// <summary>The fixed effects as written (<c>province + year</c>, or <c>0</c> for none).</summary>
    public static string FixedEffectsText(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.FixedEffects.IsDefaultOrEmpty ? "0" : string.Join(" + ", s.FixedEffects);
    }

    /// <summary>The formula as text (for tables and the Parquet row): the canonical text of its model's formula.</summary>
    public static string FormulaText(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Node is not null ? GridEstimators.GridEstimatorRegistry.Of(s).FormulaText(s) : (s.Model?.Formula ?? Formula(s)).Source;
    }

    /// <summary>The typed model of a specification's choices: formula tree, estimator, variance, filter, weights and winsorised columns.</summary>
    /// <remarks>With an IV estimator the treatment is the endogenous regressor and <paramref name="instruments"/> its instruments.</remarks>
    public static ModelSpec Build(Specification s, VcovSpec vcov, RowFilter? filter, EstimatorKind? estimator = null, IReadOnlyList<string>? instruments = null, string? weights = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(vcov);
        bool iv = estimator is EstimatorKind.Iv2sls or EstimatorKind.IvGmm2s;
        return new ModelSpec
        {
            Formula = iv ? Formula(s, instruments ?? []) : Formula(s),
            Estimator = estimator,
            Variances = [vcov],
            Filters = filter is null ? [] : [filter],
            Weights = weights,
            Winsorize = [.. WinsorColumns(s)],
        };
    }

    /// <summary>The formula of the choices as core's tree: outcome ~ treatment + controls | fixed effects.</summary>
    public static Formula Formula(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Core.Formulas.Formula.Of(new VarExpr(s.Outcome), [Treatment(s), .. s.Controls.Select(c => (Expr)new VarExpr(c))], Effects(s));
    }

    /// <summary>The IV formula of the choices: outcome ~ controls | fixed effects | treatment ~ instruments.</summary>
    private static Formula Formula(Specification s, IReadOnlyList<string> instruments) =>
        Core.Formulas.Formula.Of(new VarExpr(s.Outcome), [.. s.Controls.Select(c => (Expr)new VarExpr(c))], Effects(s), [Treatment(s)], [.. instruments.Select(Core.Formulas.Formula.ParseTerm)]);

    private static Expr Treatment(Specification s) => s.Lag ? new CallExpr("lag", new VarExpr(s.Treatment), 1, Term(s)) : new VarExpr(s.Treatment);

    private static List<FixedEffect> Effects(Specification s) =>
        s.FixedEffects.IsDefaultOrEmpty ? [] : [.. s.FixedEffects.Select(f => new FixedEffect(f.Split('^', StringSplitOptions.TrimEntries)))];

    /// <summary>The columns winsorised for this specification: outcome, treatment and controls (none when not winsorised).</summary>
    public static IReadOnlyList<string> WinsorColumns(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Winsorize ? [.. s.Controls.Prepend(s.Treatment).Prepend(s.Outcome).Distinct(StringComparer.Ordinal)] : [];
    }
}
