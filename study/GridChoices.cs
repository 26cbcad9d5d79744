using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Study;

/// <summary>
/// A grid specification's choices as the grid's table and its specification curve show them: one text per dimension, in the
/// order of <see cref="Dimensions"/> (estimator and weights only when the grid varies them). Pure; the report and publish
/// stages use it.
/// </summary>
internal static class GridChoices
{
    /// <summary>The grid's choice dimensions, in the order of <see cref="Choices"/>: estimator and weights only when the grid varies them.</summary>
    public static string[] Dimensions(GridSpec grid) => [
        "outcome", "controls", "fe", "sample", "winsor", "lag", "vcov",
        .. grid.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : ["estimator"],
        .. grid.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : ["weights"]];

    public static string[] Choices(GridSpec grid, SpecificationRow r) => [
        r.Outcome, r.Controls, r.FixedEffects, r.Sample, r.Winsor, r.Lag, r.Vcov,
        .. grid.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : [r.Estimator ?? ""],
        .. grid.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : [r.Weights ?? GridSpec.Unweighted]];

    /// <summary>The baseline's choices (the first entry of each grid dimension), in the order of <see cref="Choices"/>.</summary>
    public static string[] Baseline(GridSpec g)
    {
        return [g.Outcomes[0], g.Controls[0].Name, g.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", g.FixedEffects[0]), g.Samples[0].Name,
            GridExpansion.YesNo(g.Winsorize[0]), GridExpansion.YesNo(g.Lag[0]), g.Vcov[0],
            .. g.Estimators.IsDefaultOrEmpty ? Array.Empty<string>() : [g.Estimators[0]],
            .. g.Weights.IsDefaultOrEmpty ? Array.Empty<string>() : [g.Weights[0]]];
    }
}
