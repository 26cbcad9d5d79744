namespace DigitalEconomy.Core.Gmm;

/// <summary>A χ² or normal test: statistic, degrees of freedom (0 for a z test) and p-value.</summary>
public sealed record GmmTest(double Statistic, double Df, double PValue);

/// <summary>A difference-in-Hansen (C) test of one instrument block: the Hansen J without it, and the difference.</summary>
/// <param name="Block">The block's name (e.g. <c>gmm(y, 2:.) level</c>).</param>
/// <param name="Instruments">How many columns it has.</param>
/// <param name="Excluded">Hansen J of the model estimated without the block (df = L − L_block − K).</param>
/// <param name="Difference">J − J_excluded with df = L_block (H0: the block's moments are valid).</param>
public sealed record DifferenceInHansen(string Block, int Instruments, GmmTest Excluded, GmmTest Difference);

/// <summary>One coefficient of a GMM fit.</summary>
/// <param name="Term">The term (<c>lag(log(emp), 1)</c>, <c>(Intercept)</c>, or a period for the time effects).</param>
/// <param name="Estimate">The one- or two-step estimate.</param>
/// <param name="StdError">Non-robust: one-step plm's B1 (see docs/methods.md), two-step (X'Z A2 Z'X)⁻¹.</param>
/// <param name="RobustStdError">One-step: the cluster-robust (by unit) sandwich; two-step: Windmeijer (2005) corrected.</param>
/// <param name="Z">Estimate / robust SE.</param>
/// <param name="PValue">Two-sided normal p-value of <paramref name="Z"/>.</param>
/// <param name="IsTimeEffect">A period dummy or the system intercept.</param>
public sealed record GmmCoefficient(string Term, double Estimate, double StdError, double RobustStdError, double Z, double PValue, bool IsTimeEffect);

/// <summary>
/// The result of a difference or system GMM fit (<see cref="GmmEstimator"/>), with the diagnostics a referee asks for.
/// </summary>
public sealed record GmmResult
{
    /// <summary>The model as fitted.</summary>
    public required GmmSpec Spec { get; init; }
    /// <summary>The coefficients, time effects last.</summary>
    public required IReadOnlyList<GmmCoefficient> Coefficients { get; init; }
    /// <summary>The one-step estimates (equal to the estimates of a one-step fit).</summary>
    public required IReadOnlyList<double> OneStep { get; init; }
    /// <summary>The non-robust covariance matrix.</summary>
    public required double[,] Vcov { get; init; }
    /// <summary>The robust covariance matrix (one-step sandwich, or two-step Windmeijer).</summary>
    public required double[,] RobustVcov { get; init; }
    /// <summary>Units with at least one used equation.</summary>
    public required int Units { get; init; }
    /// <summary>Units in the panel (plm's n, units without a usable equation included).</summary>
    public required int PanelUnits { get; init; }
    /// <summary>Used transformed equations (differences or orthogonal deviations).</summary>
    public required int TransformedObservations { get; init; }
    /// <summary>Used level equations (system GMM; 0 otherwise).</summary>
    public required int LevelObservations { get; init; }
    /// <summary>Stacked rows, units × rows per unit, the unused ones included (plm's residual count).</summary>
    public required int StackedRows { get; init; }
    /// <summary>Instrument columns.</summary>
    public required int Instruments { get; init; }
    /// <summary>The instrument blocks, in column order.</summary>
    public required IReadOnlyList<InstrumentBlock> Blocks { get; init; }
    /// <summary>Hansen's J with the two-step weighting from the one-step residuals (plm's <c>sargan()</c>), df = L − K.</summary>
    public required GmmTest Hansen { get; init; }
    /// <summary>Sargan's statistic with the one-step (homoskedastic) weighting, scaled by the one-step σ̂² (docs/methods.md).</summary>
    public required GmmTest Sargan { get; init; }
    /// <summary>Arellano–Bond AR(1) and AR(2) with the robust covariance (z, p).</summary>
    public required GmmTest Ar1 { get; init; }
    /// <inheritdoc cref="Ar1"/>
    public required GmmTest? Ar2 { get; init; }
    /// <summary>The same with the non-robust covariance (plm's <c>mtest</c> without <c>vcov</c>).</summary>
    public required GmmTest Ar1NonRobust { get; init; }
    /// <inheritdoc cref="Ar1NonRobust"/>
    public required GmmTest? Ar2NonRobust { get; init; }
    /// <summary>Wald χ² that every coefficient but the time effects and the intercept is 0 (robust covariance).</summary>
    public required GmmTest WaldCoefficients { get; init; }
    /// <summary>Wald χ² that every period dummy is 0 (robust covariance); null without time effects.</summary>
    public required GmmTest? WaldTime { get; init; }
    /// <summary>Difference-in-Hansen tests, one per instrument block that can be left out (empty when not asked).</summary>
    public required IReadOnlyList<DifferenceInHansen> DifferenceInHansen { get; init; }
    /// <summary>Warnings (more instruments than units, generalised inverses).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The coefficient of a term.</summary>
    /// <exception cref="KeyNotFoundException">No such term.</exception>
    public GmmCoefficient this[string term] => Coefficients.FirstOrDefault(c => c.Term == term) ?? throw new KeyNotFoundException($"no coefficient '{term}'");
}
