using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Did;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>
/// <c>did-twfe</c> (two-way FE DID), <c>did-sa</c> (Sun–Abraham interaction-weighted ATT) and <c>did-cs</c> (Callaway–Sant'Anna simple
/// ATT, never-treated controls) as grid nodes, fitted by core/Did's public estimators (docs/methods.md "Non-linear grid nodes").
/// The adoption design comes from <c>grid.cohort</c> (each unit's first treated period), or, without it, from the treatment as a 0/1
/// column. The node's outcome, covariates (the control set) and sample vary with the grid; the unit and period effects are the
/// estimator's own, so the node is formed at the baseline fixed effects and lag only. did-twfe and did-sa take the grid's variance
/// (their one regression's), did-cs reports its analytic influence-function SE and is formed at the baseline variance, with an
/// empty control set only (it is unconditional here). A sample that keeps no treated unit is refused in the node's error, in one line.
/// N: the regression's observations (did-twfe, did-sa); units × periods of the balanced panel (did-cs).
/// </summary>
public sealed class DidGridEstimator : IGridEstimator
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Words => ["did-twfe", "did-sa", "did-cs"];

    /// <inheritdoc/>
    public string? Needs(string word, GridSpec grid) => null;

    /// <inheritdoc/>
    public IEnumerable<GridNode> Nodes(string word, GridSpec grid, Specification choices, string? weights)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(choices);
        bool cs = word == "did-cs";
        if (!GridEstimatorRegistry.AtBaseline(grid, choices, weights, vcov: cs)) return [];
        if (cs && !choices.Controls.IsDefaultOrEmpty) return [];
        return [new GridNode(word, Cohort: grid.Cohort)];
    }

    /// <summary>Whether a column holds only 0, 1 and missing values (a treatment the design can be read from).</summary>
    public static bool IsBinary(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.All(v => double.IsNaN(v) || v == 0 || v == 1);
    }

    private static string Design(Specification s) => s.Node?.Cohort is { } c ? $"cohort {c}" : $"treatment {s.Treatment}";

    /// <inheritdoc/>
    public string FormulaText(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string covariates = string.Concat(s.Controls.Select(c => " + " + c));
        return $"{s.Outcome} ~ att({Design(s)}){covariates} | unit + period ({s.Node?.Estimator})";
    }

    /// <inheritdoc/>
    public SpecificationResult Fit(Panel panel, Specification s)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(s);
        var design = s.Node?.Cohort is { } cohort ? DidDesign.FromCohort(panel, cohort) : DidDesign.FromTreatment(panel, s.Treatment);
        if (GridEstimatorRegistry.SampleRows(panel, s) is { } rows) design = design.Subset(rows);
        if (design.Cohorts.Count == 0)
            throw new InputException($"sample '{s.Sample}' keeps no unit treated within the sample ({design.Source}): {s.Node?.Estimator} has no treated cohort to estimate");
        var options = new DidOptions { Outcome = new VarExpr(s.Outcome), Covariates = [.. s.Controls.Select(c => (Expr)new VarExpr(c))], Variances = [s.Model.Vcov] };
        switch (s.Node?.Estimator)
        {
            case "did-twfe":
            {
                var r = EventStudy.Twfe(design, options);
                return FromCoefficient(s.Id, r.Att, r.Fit);
            }
            case "did-sa":
            {
                var r = SunAbraham.Fit(design, options);
                return FromCoefficient(s.Id, r.Att, r.Fit);
            }
            default:
            {
                var r = CallawaySantAnna.Fit(design, options with { Variances = null }, ControlGroup.Never);
                var simple = r.Simple;
                return GridEstimatorRegistry.Normal(s.Id, simple.Att, simple.StdError, (long)r.Units * design.Panel.Periods.Count);
            }
        }
    }

    private static SpecificationResult FromCoefficient(string id, Core.Regression.Coefficient c, Core.Regression.RegressionResult fit) =>
        new(id, GridEstimatorRegistry.Finite(c.Estimate), GridEstimatorRegistry.Finite(c.StdError), GridEstimatorRegistry.Finite(c.Statistic),
            GridEstimatorRegistry.Finite(c.PValue), GridEstimatorRegistry.Finite(c.ConfLow), GridEstimatorRegistry.Finite(c.ConfHigh), fit.N, fit.R2, fit.R2Within, null);
}
