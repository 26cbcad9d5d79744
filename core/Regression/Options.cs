namespace DigitalEconomy.Core.Regression;

/// <summary>
/// The family of the three original variance estimators, kept for callers that ask "is this the CR1
/// cluster estimator?". New estimators are registry entries (<see cref="VcovSpec.Name"/>) and map to
/// <see cref="Other"/>; code should test <see cref="VcovSpec.Name"/>.
/// </summary>
public enum VcovKind
{
    /// <summary>Conventional (homoskedastic): σ̂²(X'X)⁻¹ with σ̂² = SSR/df_resid.</summary>
    Iid,
    /// <summary>Heteroskedasticity-robust sandwich, HC1 small-sample factor.</summary>
    Hc1,
    /// <summary>Cluster-robust by one column, or two (Cameron–Gelbach–Miller), CR1 factors.</summary>
    Cluster,
    /// <summary>Any other registered estimator (HC2, HC3, CR2, CR3, Driscoll–Kraay, panel Newey–West).</summary>
    Other,
}

/// <summary>
/// Which K enters the small-sample factors N/(N−K) (HC1) and G/(G−1)·(N−1)/(N−K) (cluster).
/// k = slope regressors (for pooled OLS including the intercept), a = degrees of freedom absorbed
/// by fixed effects.
/// </summary>
public enum SmallSample
{
    /// <summary>
    /// Stata (default). Cluster: K = k + 1 when every fixed effect is nested in the clusters (xtreg, fe
    /// vce(cluster id); reghdfe), else K = k + (df of the non-nested effects, counting the constant);
    /// for pooled OLS K = k. HC1: N/(N − k − a), as areg/reghdfe vce(robust).
    /// </summary>
    Stata,
    /// <summary>plm / xtivreg2 small: K = k slopes only, for both HC1 and cluster.</summary>
    Plm,
    /// <summary>LSDV (regress with dummies, areg): K = k + a.</summary>
    Lsdv,
    /// <summary>No small-sample factor (HC0 / CR0).</summary>
    None,
}

/// <summary>
/// A variance estimator: its registry name (<c>iid</c>, <c>hc1</c>, <c>cluster</c>, …), its cluster
/// columns and its small-sample convention. The text grammar and the list of estimators live in
/// <see cref="Variance.VcovRegistry"/>.
/// </summary>
/// <param name="Name">The canonical registry name of the estimator.</param>
/// <param name="ClusterColumns">The cluster columns, for estimators that take them.</param>
/// <param name="Convention">The small-sample convention. The default value is <see cref="SmallSample.Stata"/>.</param>
public sealed record VcovSpec(string Name, IReadOnlyList<string> ClusterColumns, SmallSample Convention = SmallSample.Stata)
{
    /// <summary>The original family of this estimator (<see cref="VcovKind.Other"/> for the newer ones).</summary>
    public VcovKind Kind => Name switch
    {
        "iid" => VcovKind.Iid,
        "hc1" => VcovKind.Hc1,
        "cluster" => VcovKind.Cluster,
        _ => VcovKind.Other,
    };

    /// <summary>Conventional errors.</summary>
    public static VcovSpec Iid { get; } = new("iid", []);

    /// <summary>HC1 robust errors.</summary>
    public static VcovSpec Hc1 { get; } = new("hc1", []);

    /// <summary>Cluster-robust errors by the given columns.</summary>
    public static VcovSpec Cluster(params string[] columns) => new("cluster", columns);

    /// <summary>Parses one estimator, e.g. <c>iid</c>, <c>hc1</c> (also <c>robust</c>, <c>hetero</c>) or <c>cluster:COL[,COL]</c>; see <see cref="Variance.VcovRegistry"/>.</summary>
    /// <exception cref="InputException">Any other text.</exception>
    public static VcovSpec Parse(string text, SmallSample convention = SmallSample.Stata) => Variance.VcovRegistry.Parse(text, convention);

    /// <summary>Reads back the text <see cref="ToString"/> writes (<c>NAME[:COL,COL]</c>, then <c>(convention)</c>); null when the text is no estimator's. See <see cref="Variance.VcovRegistry.ParseFormatted"/>.</summary>
    public static VcovSpec? ParseFormatted(string text) => Variance.VcovRegistry.ParseFormatted(text);

    /// <summary>
    /// Parses several estimators to compute from one fit: <c>hc1,cluster:state,dk</c> or <c>hc1;cluster:state,year</c>
    /// (see <see cref="Variance.VcovRegistry.ParseList"/> for when a comma starts a new estimator).
    /// </summary>
    /// <exception cref="InputException">An item that does not parse.</exception>
    public static IReadOnlyList<VcovSpec> ParseList(string text, SmallSample convention = SmallSample.Stata) => Variance.VcovRegistry.ParseList(text, convention);

    /// <summary>The registered estimators as written, e.g. "iid, hc1, …, cluster:COL[,COL], …" (for help texts).</summary>
    public static string Syntaxes => Variance.VcovRegistry.Expected;

    /// <summary>Parses a convention name: stata, plm, lsdv (also areg) or none (also cr0, hc0).</summary>
    public static SmallSample ParseConvention(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "stata" or "xtreg" or "reghdfe" => SmallSample.Stata,
            "plm" or "slopes" or "xtivreg2" => SmallSample.Plm,
            "lsdv" or "areg" => SmallSample.Lsdv,
            "none" or "cr0" or "hc0" => SmallSample.None,
            _ => throw new InputException($"--ssc '{text}': expected stata, plm, lsdv or none"),
        };
    }

    /// <summary>Equal when the name, the cluster columns (in order) and the convention are (not the list instances: a copy that crossed a grain call is the same estimator).</summary>
    public bool Equals(VcovSpec? other) =>
        other is not null && Name == other.Name && Convention == other.Convention && ClusterColumns.SequenceEqual(other.ClusterColumns, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Name, StringComparer.Ordinal);
        h.Add(Convention);
        foreach (var c in ClusterColumns) h.Add(c, StringComparer.Ordinal);
        return h.ToHashCode();
    }

    /// <summary>Short text for output, e.g. <c>cluster:state</c> or <c>hc1 (plm)</c>; parses back to this estimator.</summary>
    public override string ToString() => Variance.VcovRegistry.Format(this);
}

/// <summary>The estimator to run.</summary>
public enum EstimatorKind
{
    /// <summary>Pooled OLS with an intercept.</summary>
    Ols,
    /// <summary>Fixed effects (within) absorbing the formula's factors.</summary>
    Within,
    /// <summary>Random effects, Swamy–Arora variance components (Stata xtreg, re; plm "swar").</summary>
    RandomEffects,
    /// <summary>Two-stage least squares with absorbed fixed effects.</summary>
    Iv2sls,
    /// <summary>Two-step efficient GMM with absorbed fixed effects (ivreg2 gmm2s).</summary>
    IvGmm2s,
}

/// <summary>How a regressor that is collinear with earlier ones (or absorbed by the fixed effects) is handled.</summary>
public enum CollinearPolicy
{
    /// <summary>Omit it and say so in the warnings, as Stata does (default in the library).</summary>
    Drop,
    /// <summary>Stop with an error naming it.</summary>
    Error,
}

/// <summary>Options of an estimation, with documented defaults.</summary>
public sealed record EstimationOptions
{
    /// <summary>The variance estimator. The default value is conventional (iid).</summary>
    public VcovSpec Vcov { get; init; } = VcovSpec.Iid;

    /// <summary>The estimator; null chooses: IV formula → 2SLS, fixed effects → within, otherwise OLS.</summary>
    public EstimatorKind? Estimator { get; init; }

    /// <summary>What to do with collinear regressors. The default value is <see cref="CollinearPolicy.Drop"/>.</summary>
    public CollinearPolicy Collinear { get; init; } = CollinearPolicy.Drop;

    /// <summary>
    /// Drop observations that are alone in a fixed-effect group, iteratively (reghdfe's default; fixest's
    /// <c>fixef.rm = "singleton"</c> makes one pass only). The default value of this library option is false,
    /// as Stata xtreg and plm keep them (they do not change the coefficients but do change N, the clusters
    /// and the HC1/cluster factors); <c>de estimate</c> and studies drop them unless told
    /// <c>--singletons keep</c> / <c>singletons: keep</c> (docs/methods.md, "Singletons").
    /// </summary>
    public bool DropSingletons { get; init; }

    /// <summary>
    /// Sample restrictions applied after the formula's terms are evaluated on the whole panel, so a
    /// lag at the first kept period still sees the period before (as Stata's <c>if</c> with <c>L.</c>).
    /// The default value is none.
    /// </summary>
    public IReadOnlyList<Data.RowFilter> Filters { get; init; } = [];

    /// <summary>
    /// The name of a numeric column of analytic (precision) weights, as fixest <c>weights = ~w</c> and
    /// <c>lm(weights = w)</c>: the fit minimises Σ wᵢeᵢ², with the fixed effects swept out by weighted
    /// group means. Rows with a missing weight are left out like other missing values, rows with weight 0
    /// are dropped (and counted in the warnings), a negative or non-finite weight is refused. N counts the
    /// rows with positive weight. Random effects, the leverage-based variance estimators (HC2, HC3, CR2,
    /// CR3) and the wild bootstrap refuse weights (docs/methods.md, "Weights"). The default value is null
    /// (unweighted).
    /// </summary>
    public string? Weights { get; init; }

    /// <summary>Confidence level of the intervals. The default value is 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Tolerance of the alternating projections. The default value is 1e-13.</summary>
    public double Tolerance { get; init; } = 1e-13;

    /// <summary>Iteration cap of the alternating projections. The default value is 10 000.</summary>
    public int MaxIterations { get; init; } = 10_000;
}
