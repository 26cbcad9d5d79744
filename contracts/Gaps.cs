using System.Collections.Immutable;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

/// <summary>
/// The settings of a regional-gap analysis (<c>trends</c>, <c>disparity</c>, <c>convergence</c>,
/// <c>coupling</c>; docs/methods.md, "Composite indices and regional gaps"), read and checked by the client; the run computes every
/// number with core's <c>Disparity</c> on the prepared panel.
/// </summary>
/// <param name="Variable">trends / disparity / convergence: the variable (positive for Theil, Dagum and logs).</param>
/// <param name="By">The grouping column (default: the dataset's region column).</param>
/// <param name="Weight">trends: weighted mean Σwy/Σw; disparity: weights of the Theil index (e.g. population); null: equal.</param>
/// <param name="Filters">Row filters, all applied (the sample described), parsed by the client.</param>
/// <param name="Subsystems">coupling: the subsystem columns (two or more, each in [0, 1]).</param>
/// <param name="Alpha">coupling: contribution weights of T, one per subsystem, summing to 1 (empty: equal).</param>
/// <param name="Controls">convergence: the controls of conditional β-convergence (a second column; empty: absolute only).</param>
/// <param name="Fe">convergence: fixed effects of the conditional column (empty: none).</param>
/// <param name="Vcov">convergence: variance estimator of both columns, parsed by the client.</param>
/// <param name="Groups">trends, disparity, coupling: the groups kept, in the order tables and charts show them (empty: every group, ordered by name).</param>
[GenerateSerializer, Immutable]
public sealed record GapsSpec(string? Variable, string By, string? Weight, ImmutableArray<RowFilter> Filters, ImmutableArray<string> Subsystems, ImmutableArray<double> Alpha,
    ImmutableArray<string> Controls, ImmutableArray<FixedEffect> Fe, VcovSpec Vcov, ImmutableArray<string> Groups)
{
    /// <summary>The fixed effects as the tables print them, <c>province + year</c>, or <c>0</c> for none.</summary>
    public string FeText => Fe.IsDefaultOrEmpty ? "0" : string.Join(" + ", Fe.Select(f => f.Text));
}
