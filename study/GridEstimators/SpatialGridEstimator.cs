using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>
/// <c>sar</c>, <c>sem</c>, <c>sac</c> and <c>sdm</c> fixed-effects spatial panels (maximum likelihood, core's <see cref="SpatialPanel"/>)
/// as grid nodes, one per weight matrix of <c>grid.matrices</c> (docs/methods.md "Non-linear grid nodes"). The fixed-effects choice
/// sets the spatial effects: one factor = individual effects, two or more = two-way effects (the panel's unit and period), none = no
/// node. The node reports the treatment's coefficient β with its analytic (information-matrix) SE, z and normal p — not the
/// LeSage–Pace impacts, whose SEs are simulated (the spatial analysis type prints those); it is formed at the baseline variance and
/// lag, unweighted. N = units × periods.
/// </summary>
public sealed class SpatialGridEstimator : IGridEstimator
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Words => ["sar", "sem", "sac", "sdm"];

    /// <inheritdoc/>
    public string? Needs(string word, GridSpec grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return grid.Matrices.IsDefaultOrEmpty ? $"{word} needs weight matrices: add grid.matrices, naming matrices a spatial analysis declares (e.g. [contiguity, distance])" : null;
    }

    /// <inheritdoc/>
    public IEnumerable<GridNode> Nodes(string word, GridSpec grid, Specification choices, string? weights)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(choices);
        if (!GridEstimatorRegistry.AtBaseline(grid, choices, weights, fixedEffects: false) || choices.FixedEffects.IsDefaultOrEmpty) return [];
        return (grid.Matrices.IsDefault ? [] : grid.Matrices).Select(m => new GridNode(word, Matrix: m));
    }

    private static SpatialEffects Effects(Specification s) => s.FixedEffects.Length >= 2 ? SpatialEffects.TwoWays : SpatialEffects.Individual;

    private static Formula Model(Specification s) =>
        Formula.Of(new VarExpr(s.Outcome), [new VarExpr(s.Treatment), .. s.Controls.Select(c => (Expr)new VarExpr(c))], []);

    /// <inheritdoc/>
    public string FormulaText(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return $"{Model(s).Source} | W: {s.Node?.Matrix?.Name}, {s.Node?.Estimator}, {(Effects(s) == SpatialEffects.TwoWays ? "two-way" : "individual")} effects";
    }

    /// <inheritdoc/>
    public SpecificationResult Fit(Panel panel, Specification s)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(s);
        var matrix = s.Node?.Matrix ?? throw new InputException($"{s.Node?.Estimator}: the node carries no weight matrix");
        if (GridEstimatorRegistry.SampleRows(panel, s) is { } rows) panel = panel.Subset(rows);
        var w = SpatialWeightsCache.AlignedTo(matrix.Weights, panel.UnitLabels, $"matrix '{matrix.Name}'");
        var model = s.Node?.Estimator switch { "sar" => SpatialModel.Sar, "sem" => SpatialModel.Sem, "sac" => SpatialModel.Sac, _ => SpatialModel.Sdm };
        var fit = SpatialPanel.Fit(panel, Model(s), w, new SpatialOptions(model, Effects(s)));
        var c = fit[s.Treatment];
        return GridEstimatorRegistry.Normal(s.Id, c.Estimate, c.StdError, fit.Observations);
    }
}
