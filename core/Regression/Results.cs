namespace DigitalEconomy.Core.Regression;

/// <summary>One row of a coefficient table.</summary>
/// <param name="Term">The term as written in the formula, e.g. <c>log(emp)</c>.</param>
/// <param name="Estimate">The coefficient.</param>
/// <param name="StdError">Its standard error under the chosen variance estimator.</param>
/// <param name="Statistic">Estimate / StdError (t, or z for random effects).</param>
/// <param name="PValue">Two-sided p-value from t(df) or the normal.</param>
/// <param name="ConfLow">Lower confidence limit.</param>
/// <param name="ConfHigh">Upper confidence limit.</param>
public sealed record Coefficient(string Term, double Estimate, double StdError, double Statistic, double PValue, double ConfLow, double ConfHigh);

/// <summary>A joint test: statistic, degrees of freedom and p-value (Df2 is null for χ² tests).</summary>
public sealed record TestResult(string Name, double Statistic, double Df1, double? Df2, double PValue);

/// <summary>First-stage regression of one endogenous regressor on all instruments.</summary>
/// <param name="Endogenous">The endogenous term.</param>
/// <param name="Coefficients">Coefficients of the excluded instruments, then the included exogenous ones.</param>
/// <param name="FTest">Wald F of the excluded instruments under the chosen variance estimator.</param>
/// <param name="PartialR2">Partial R² of the excluded instruments (after fixed effects and exogenous regressors).</param>
public sealed record FirstStage(string Endogenous, IReadOnlyList<Coefficient> Coefficients, TestResult FTest, double PartialR2);

/// <summary>Weak- and under-identification diagnostics of an IV fit.</summary>
/// <param name="CraggDonaldF">Cragg-Donald Wald F (ivreg2 <c>cdf</c>).</param>
/// <param name="KleibergenPaapWaldF">Kleibergen-Paap rk Wald F (robust/cluster only; ivreg2 <c>rkf</c>).</param>
/// <param name="KleibergenPaapLm">Kleibergen-Paap rk LM under-identification test (Anderson LM for iid).</param>
/// <param name="StockYogoSize">2SLS-size critical values at 10/15/20/25 %, when published.</param>
/// <param name="OverIdentification">Hansen J (robust) or Sargan (iid) when over-identified.</param>
public sealed record IvDiagnostics(
    double CraggDonaldF,
    double? KleibergenPaapWaldF,
    TestResult KleibergenPaapLm,
    IReadOnlyList<double>? StockYogoSize,
    TestResult? OverIdentification);

/// <summary>
/// The result of a fit. R² conventions: <see cref="R2"/> is 1 − SSR/TSS of the response about its
/// mean on the estimation sample (for fixed-effects models the LSDV R², as reghdfe's "R-squared" and
/// areg), <see cref="R2Within"/> is 1 − SSR/Σỹ² of the fixed-effects-transformed response (reghdfe's
/// "Within R-sq.", plm's rsq; for one-way unit FE equal to xtreg's within R²), and
/// <see cref="AdjR2"/> is 1 − (1 − R2)(N − 1)/df_resid.
/// </summary>
public sealed record RegressionResult
{
    /// <summary>The formula as given.</summary>
    public required string Formula { get; init; }
    /// <summary>The estimator run.</summary>
    public required EstimatorKind Estimator { get; init; }
    /// <summary>Observations used.</summary>
    public required int N { get; init; }
    /// <summary>Residual degrees of freedom N − k − absorbed.</summary>
    public required int DfResid { get; init; }
    /// <summary>Degrees of freedom of the t tests (df_resid, G − 1 for clusters, ∞ for z tests).</summary>
    public required double DfTests { get; init; }
    /// <summary>Number of clusters per cluster column.</summary>
    public required IReadOnlyDictionary<string, int> Clusters { get; init; }
    /// <summary>The variance estimator, as text.</summary>
    public required string Vcov { get; init; }
    /// <summary>The small-sample factor applied to HC0/CR0 (1 for iid).</summary>
    public required double SmallSampleFactor { get; init; }

    /// <summary>
    /// Degrees of freedom of each coefficient's t test, in the order of <see cref="Coefficients"/>, when the
    /// variance estimator gives them per coefficient (CR2: Satterthwaite, as clubSandwich coef_test); null
    /// when every t test uses <see cref="DfTests"/>.
    /// </summary>
    public IReadOnlyList<double>? CoefficientDf { get; init; }
    /// <summary>The coefficient table (omitted regressors are not listed).</summary>
    public required IReadOnlyList<Coefficient> Coefficients { get; init; }
    /// <summary>The variance matrix of the listed coefficients, row by row.</summary>
    public required IReadOnlyList<IReadOnlyList<double>> Covariance { get; init; }
    /// <summary>See the type's remarks.</summary>
    public required double R2 { get; init; }
    /// <summary>See the type's remarks; null without fixed effects.</summary>
    public double? R2Within { get; init; }
    /// <summary>See the type's remarks.</summary>
    public required double AdjR2 { get; init; }
    /// <summary>Sum of squared residuals.</summary>
    public required double Ssr { get; init; }
    /// <summary>Root mean squared error sqrt(SSR/df_resid).</summary>
    public required double Sigma { get; init; }
    /// <summary>Joint Wald test that all slopes are zero (F, or χ² for random effects).</summary>
    public TestResult? WaldTest { get; init; }
    /// <summary>Fixed-effect factors and their number of levels.</summary>
    public IReadOnlyDictionary<string, int> FixedEffects { get; init; } = new Dictionary<string, int>();
    /// <summary>Degrees of freedom absorbed by the fixed effects.</summary>
    public int AbsorbedDf { get; init; }
    /// <summary>How the fixed effects were swept out.</summary>
    public DemeanMethod DemeanMethod { get; init; }
    /// <summary>Iterations of the alternating projections (0 when exact).</summary>
    public int DemeanIterations { get; init; }
    /// <summary>Regressors omitted because of collinearity.</summary>
    public IReadOnlyList<string> Omitted { get; init; } = [];
    /// <summary>First stages of an IV fit.</summary>
    public IReadOnlyList<FirstStage>? FirstStages { get; init; }
    /// <summary>IV diagnostics.</summary>
    public IvDiagnostics? Iv { get; init; }
    /// <summary>Further named statistics (see the README for each key).</summary>
    public IReadOnlyDictionary<string, double> Statistics { get; init; } = new Dictionary<string, double>();
    /// <summary>
    /// Observations removed as singletons (alone in a level of a fixed-effect factor, removed iteratively as reghdfe)
    /// before the fit; 0 when there were none or singletons were kept (<see cref="EstimationOptions.DropSingletons"/>).
    /// </summary>
    public int SingletonsRemoved { get; init; }
    /// <summary>Messages about the fit (dropped rows, omitted regressors, singletons...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The column of analytic weights, or null for an unweighted fit (<see cref="EstimationOptions.Weights"/>).</summary>
    public string? Weights { get; init; }
    /// <summary>Σ wᵢ over the estimation sample of a weighted fit, else null. With weights, <see cref="Ssr"/> is Σ wᵢeᵢ², <see cref="Sigma"/> √(Σ wᵢeᵢ²/df_resid) and the R²s are weighted.</summary>
    public double? SumWeights { get; init; }

    /// <summary>The coefficient of a term.</summary>
    /// <exception cref="KeyNotFoundException">No such term.</exception>
    public Coefficient this[string term] => Coefficients.FirstOrDefault(c => c.Term == term) ?? throw new KeyNotFoundException($"No coefficient '{term}'.");
}

/// <summary>Hausman test of fixed against random effects.</summary>
public sealed record HausmanResult(double Statistic, int Df, double PValue, IReadOnlyList<string> Terms, string? Note);
