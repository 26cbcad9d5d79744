using System.Collections.Immutable;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Gmm;

namespace DigitalEconomy.Contracts;

/// <summary>
/// The settings of a <c>type: gmm</c> analysis (study/Analyses/GmmAnalysis.cs): its dynamic-panel models, one per table
/// column, and the rows they are fitted on. Carried in <see cref="AnalysisSpec.Settings"/>.
/// </summary>
/// <param name="Columns">The models in column order.</param>
/// <param name="Filters">The rows the models are fitted on (the baseline's sample unless the analysis says otherwise).</param>
[GenerateSerializer, Immutable]
public sealed record GmmAnalysisSettings(ImmutableArray<GmmColumn> Columns, ImmutableArray<RowFilter> Filters) : AnalysisSettings;

/// <summary>One column of a GMM table: its header label and the model.</summary>
[GenerateSerializer, Immutable]
public sealed record GmmColumn(string Label, GmmSpec Model);

/// <summary>The wire form of a <see cref="GmmStyle"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record GmmStyleSurrogate(ExprSurrogate Variable, int MinLag, int MaxLag, bool Collapse);

/// <summary>The wire form of a <see cref="GmmSpec"/>: every field (<c>Iv</c> null is <c>DefaultIv</c>).</summary>
[GenerateSerializer, Immutable]
public readonly record struct GmmSpecSurrogate(ExprSurrogate Response, ImmutableArray<ExprSurrogate> Regressors, ImmutableArray<GmmStyleSurrogate> Gmm,
    bool DefaultIv, ImmutableArray<ExprSurrogate> Iv, bool System, bool TwoStep, bool TimeEffects, int Transformation);

/// <summary>Converts <see cref="GmmSpec"/> for Orleans.</summary>
[RegisterConverter]
public sealed class GmmSpecConverter : IConverter<GmmSpec, GmmSpecSurrogate>
{
    /// <inheritdoc/>
    public GmmSpec ConvertFromSurrogate(in GmmSpecSurrogate s) => new(
        s.Response.ToExpr(), [.. s.Regressors.Select(e => e.ToExpr())], [.. s.Gmm.Select(g => new GmmStyle(g.Variable.ToExpr(), g.MinLag, g.MaxLag, g.Collapse))],
        s.DefaultIv ? null : [.. s.Iv.Select(e => e.ToExpr())], s.System, s.TwoStep, s.TimeEffects, (GmmTransformation)s.Transformation);

    /// <inheritdoc/>
    public GmmSpecSurrogate ConvertToSurrogate(in GmmSpec m) => new(
        ExprSurrogate.From(m.Response), [.. m.Regressors.Select(ExprSurrogate.From)],
        [.. m.Gmm.Select(g => new GmmStyleSurrogate(ExprSurrogate.From(g.Variable), g.MinLag, g.MaxLag, g.Collapse))],
        m.Iv is null, m.Iv is null ? [] : [.. m.Iv.Select(ExprSurrogate.From)], m.System, m.TwoStep, m.TimeEffects, (int)m.Transformation);
}
