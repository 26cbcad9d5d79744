using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>
/// <c>gmm-diff</c> (Arellano–Bond difference GMM) and <c>gmm-sys</c> (Blundell–Bond system GMM) as grid nodes, fitted by core's
/// <see cref="GmmEstimator"/> (docs/methods.md "Non-linear grid nodes"). Defaults close to studies/provincial_dynamic.yaml:
/// <list type="bullet">
/// <item>the model in levels: outcome ~ lag(outcome) + treatment + controls (the treatment as <c>lag(T)</c> under <c>lag: yes</c>; with
/// <c>grid.gmm.lags: L</c> the treatment and controls also enter with lags 1 … L);</item>
/// <item>two-step with Windmeijer-corrected SEs; period dummies always (the unit effect is differenced out, so the node is formed at
/// the baseline fixed effects only, and at the baseline variance: its SE is Windmeijer's whatever grid.vcov says);</item>
/// <item>GMM-style instruments: lags 2 and up of the outcome, of the treatment (endogenous) and of the controls listed in
/// <c>grid.gmm.endogenous</c>, collapsed unless <c>grid.gmm.collapse: false</c>; the other controls (and their lags) IV-style.</item>
/// </list>
/// The reported N is the number of transformed equations used (differences), plus the level equations for system GMM.
/// </summary>
public sealed class GmmGridEstimator : IGridEstimator
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Words => ["gmm-diff", "gmm-sys"];

    /// <inheritdoc/>
    public string? Needs(string word, GridSpec grid) => null;

    /// <inheritdoc/>
    public IEnumerable<GridNode> Nodes(string word, GridSpec grid, Specification choices, string? weights)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (!GridEstimatorRegistry.AtBaseline(grid, choices, weights, lag: false)) return [];
        return [new GridNode(word, Gmm: grid.Gmm ?? GridGmmSettings.Default)];
    }

    /// <inheritdoc/>
    public string FormulaText(Specification s) => Spec(s).Text;

    /// <summary>The dynamic model of a node, as core takes it.</summary>
    public static GmmSpec Spec(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var settings = s.Node?.Gmm ?? GridGmmSettings.Default;
        var endogenous = settings.Endogenous.IsDefault ? [] : settings.Endogenous;
        static Expr Lag(string column, int k) => k == 0 ? new VarExpr(column) : Formula.ParseTerm(k == 1 ? $"lag({column})" : string.Create(CultureInfo.InvariantCulture, $"lag({column}, {k})"));
        int first = s.Lag ? 1 : 0;
        var regressors = new List<Expr> { Lag(s.Outcome, 1) };
        for (int k = first; k <= first + settings.Lags; k++) regressors.Add(Lag(s.Treatment, k));
        foreach (var c in s.Controls)
            for (int k = 0; k <= settings.Lags; k++) regressors.Add(Lag(c, k));
        var sets = new[] { s.Outcome, s.Treatment }.Concat(s.Controls.Where(endogenous.Contains))
            .Select(v => new GmmStyle(new VarExpr(v), 2, GmmStyle.AllLags, settings.Collapse)).ToList();
        return new GmmSpec(new VarExpr(s.Outcome), regressors, sets, null, System: s.Node?.Estimator == "gmm-sys", TwoStep: true, TimeEffects: true);
    }

    /// <inheritdoc/>
    public SpecificationResult Fit(Panel panel, Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var spec = Spec(s);
        var fit = GmmEstimator.Fit(panel, spec, s.Model.Filters);
        string term = spec.Regressors[1].Text;
        var c = fit.Coefficients.First(x => x.Term == term);
        return GridEstimatorRegistry.Normal(s.Id, c.Estimate, c.RobustStdError, fit.TransformedObservations + fit.LevelObservations);
    }
}
