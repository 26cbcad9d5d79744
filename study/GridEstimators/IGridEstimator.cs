using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>
/// A non-linear estimator family in the specification grid (docs/methods.md "Non-linear grid nodes"): one class each
/// (<see cref="GmmGridEstimator"/>, <see cref="DidGridEstimator"/>, <see cref="SpatialGridEstimator"/>), registered on one line
/// in <see cref="GridEstimatorRegistry.All"/>. The linear family (ols, within, re, iv-2sls, iv-gmm2s) is not here: it stays on
/// the batch path (<c>BatchEstimation</c>, one projection per column shared by a batch).
/// </summary>
public interface IGridEstimator
{
    /// <summary>The words of <c>grid.estimators</c> this family takes.</summary>
    IReadOnlyList<string> Words { get; }

    /// <summary>What the grid lacks for <paramref name="word"/> (one line naming the key to add), or null when it can form nodes.</summary>
    string? Needs(string word, GridSpec grid);

    /// <summary>
    /// The nodes of <paramref name="word"/> that these choices form: none when the family does not vary along a dimension and the
    /// choice is not that dimension's baseline (so the curve does not repeat one fit), several when the family has a dimension of its
    /// own (the spatial matrices). <paramref name="weights"/> is the weights choice (null: unweighted).
    /// </summary>
    IEnumerable<GridNode> Nodes(string word, GridSpec grid, Specification choices, string? weights);

    /// <summary>The model a node fits, as text (the <c>formula</c> column and the canonical text).</summary>
    string FormulaText(Specification s);

    /// <summary>
    /// Fits one node on <paramref name="panel"/> (already winsorised when the node winsorises): the treatment's estimate, standard
    /// error, statistic, p, interval and N, or a result carrying why it could not be fitted (one line).
    /// </summary>
    SpecificationResult Fit(Panel panel, Specification s);
}
