using System.Collections.Immutable;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

// Orleans converters for core's typed model, so that a ModelSpec crosses grain calls as is: core stays free of
// Orleans, and the silo receives the parsed tree, never a text to parse again. Each surrogate carries every field
// of its type (a test round-trips every field through the serializer).

/// <summary>The wire form of a formula term (<see cref="Expr"/>): a column, a function of a term, or a product.</summary>
/// <param name="Kind">var, call or product.</param>
/// <param name="Name">var: the column; call: the function (log, lag, lead).</param>
/// <param name="Order">call: the lag or lead order.</param>
/// <param name="Written">call: the term as written.</param>
/// <param name="Left">call: the argument; product: the left factor.</param>
/// <param name="Right">product: the right factor.</param>
[GenerateSerializer, Immutable]
public sealed record ExprSurrogate(string Kind, string Name, int Order, string Written, ExprSurrogate? Left, ExprSurrogate? Right)
{
    /// <summary>The wire form of a term.</summary>
    /// <exception cref="ArgumentException">A term kind that has no wire form (internal terms of core never cross a grain call).</exception>
    public static ExprSurrogate From(Expr e) => e switch
    {
        VarExpr v => new("var", v.Name, 0, "", null, null),
        CallExpr c => new("call", c.Function, c.Order, c.Written, From(c.Argument), null),
        ProductExpr p => new("product", "", 0, "", From(p.Left), From(p.Right)),
        _ => throw new ArgumentException($"the term '{e.Text}' ({e.GetType().Name}) cannot cross a grain call", nameof(e)),
    };

    /// <summary>The term.</summary>
    public Expr ToExpr() => Kind switch
    {
        "var" => new VarExpr(Name),
        "call" => new CallExpr(Name, Left!.ToExpr(), Order, Written),
        "product" => new ProductExpr(Left!.ToExpr(), Right!.ToExpr()),
        _ => throw new InvalidOperationException($"unknown term kind '{Kind}'"),
    };
}

/// <summary>The wire form of a <see cref="Formula"/>: its text as written and its parsed parts.</summary>
[GenerateSerializer, Immutable]
public readonly record struct FormulaSurrogate(string Source, ExprSurrogate Response, ImmutableArray<ExprSurrogate> Regressors,
    ImmutableArray<ImmutableArray<string>> FixedEffects, ImmutableArray<ExprSurrogate> Endogenous, ImmutableArray<ExprSurrogate> Instruments);

/// <summary>Converts <see cref="Formula"/> for Orleans.</summary>
[RegisterConverter]
public sealed class FormulaConverter : IConverter<Formula, FormulaSurrogate>
{
    /// <inheritdoc/>
    public Formula ConvertFromSurrogate(in FormulaSurrogate s) => new(s.Source, s.Response.ToExpr(), [.. s.Regressors.Select(e => e.ToExpr())],
        [.. s.FixedEffects.Select(f => new FixedEffect([.. f]))], [.. s.Endogenous.Select(e => e.ToExpr())], [.. s.Instruments.Select(e => e.ToExpr())]);

    /// <inheritdoc/>
    public FormulaSurrogate ConvertToSurrogate(in Formula f) => new(f.Source, ExprSurrogate.From(f.Response), [.. f.Regressors.Select(ExprSurrogate.From)],
        [.. f.FixedEffects.Select(x => x.Columns.ToImmutableArray())], [.. f.Endogenous.Select(ExprSurrogate.From)], [.. f.Instruments.Select(ExprSurrogate.From)]);
}

/// <summary>The wire form of a fixed effect: its factor's columns (an interaction a^b has two).</summary>
[GenerateSerializer, Immutable]
public readonly record struct FixedEffectSurrogate(ImmutableArray<string> Columns);

/// <summary>Orleans converter for core's <see cref="FixedEffect"/>.</summary>
[RegisterConverter]
public sealed class FixedEffectConverter : IConverter<FixedEffect, FixedEffectSurrogate>
{
    /// <inheritdoc/>
    public FixedEffect ConvertFromSurrogate(in FixedEffectSurrogate surrogate) => new([.. surrogate.Columns]);

    /// <inheritdoc/>
    public FixedEffectSurrogate ConvertToSurrogate(in FixedEffect value) => new([.. value.Columns]);
}

/// <summary>The wire form of a <see cref="VcovSpec"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct VcovSurrogate(string Name, ImmutableArray<string> ClusterColumns, int Convention);

/// <summary>Converts <see cref="VcovSpec"/> for Orleans.</summary>
[RegisterConverter]
public sealed class VcovConverter : IConverter<VcovSpec, VcovSurrogate>
{
    /// <inheritdoc/>
    public VcovSpec ConvertFromSurrogate(in VcovSurrogate s) => new(s.Name, [.. s.ClusterColumns], (SmallSample)s.Convention);

    /// <inheritdoc/>
    public VcovSurrogate ConvertToSurrogate(in VcovSpec v) => new(v.Name, [.. v.ClusterColumns], (int)v.Convention);
}

/// <summary>One comparison of a row filter.</summary>
[GenerateSerializer, Immutable]
public sealed record FilterTermSurrogate(string Column, string Op, string Value);

/// <summary>The wire form of a <see cref="RowFilter"/>: its text as written and its comparisons.</summary>
[GenerateSerializer, Immutable]
public readonly record struct RowFilterSurrogate(string Text, ImmutableArray<FilterTermSurrogate> Terms);

/// <summary>Converts <see cref="RowFilter"/> for Orleans.</summary>
[RegisterConverter]
public sealed class RowFilterConverter : IConverter<RowFilter, RowFilterSurrogate>
{
    /// <inheritdoc/>
    public RowFilter ConvertFromSurrogate(in RowFilterSurrogate s) => RowFilter.Of(s.Text, [.. s.Terms.Select(t => (t.Column, t.Op, t.Value))]);

    /// <inheritdoc/>
    public RowFilterSurrogate ConvertToSurrogate(in RowFilter f) => new(f.Text, [.. f.Terms.Select(t => new FilterTermSurrogate(t.Column, t.Op, t.Value))]);
}

/// <summary>The wire form of a <see cref="ModelSpec"/> (estimator −1 = the formula's default).</summary>
[GenerateSerializer, Immutable]
public readonly record struct ModelSpecSurrogate(Formula Formula, int Estimator, ImmutableArray<VcovSpec> Variances, ImmutableArray<RowFilter> Filters,
    string? Weights, ImmutableArray<string> Winsorize, bool DropSingletons);

/// <summary>Converts <see cref="ModelSpec"/> for Orleans.</summary>
[RegisterConverter]
public sealed class ModelSpecConverter : IConverter<ModelSpec, ModelSpecSurrogate>
{
    /// <inheritdoc/>
    public ModelSpec ConvertFromSurrogate(in ModelSpecSurrogate s) => new()
    {
        Formula = s.Formula,
        Estimator = s.Estimator < 0 ? null : (EstimatorKind)s.Estimator,
        Variances = s.Variances,
        Filters = s.Filters,
        Weights = s.Weights,
        Winsorize = s.Winsorize,
        DropSingletons = s.DropSingletons,
    };

    /// <inheritdoc/>
    public ModelSpecSurrogate ConvertToSurrogate(in ModelSpec m) => new(m.Formula, m.Estimator is { } e ? (int)e : -1,
        m.Variances.IsDefault ? [] : m.Variances, m.Filters.IsDefault ? [] : m.Filters, m.Weights, m.Winsorize.IsDefault ? [] : m.Winsorize, m.DropSingletons);
}
