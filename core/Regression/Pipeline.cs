using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// The columns of a design as the fit stage sees them: the raw values on the estimation rows and their
/// demeaned (fixed effects swept out, and for a weighted fit scaled by √w) counterparts, with the cross-products,
/// norms and total sums of squares a linear fit needs. One implementation per way of sharing the work: a single
/// fit computes each once (<see cref="SingleFitColumns"/>); a batch of models on the same rows and fixed effects
/// keeps one projection per column for all of them (<see cref="BatchEstimation"/>'s group). Every value is the
/// same arithmetic whichever implementation gives it, so a fit does not depend on who shares its columns.
/// </summary>
internal abstract class DesignColumns
{
    /// <summary>The absorber of the design's fixed effects (no factors for pooled OLS).</summary>
    public abstract Absorber Absorber { get; }

    /// <summary>Estimation rows.</summary>
    public abstract int N { get; }

    /// <summary>The column of <paramref name="term"/> with <paramref name="values"/> (in the source rows of this design); its index.</summary>
    public abstract int Column(Expr term, double[] values);

    /// <summary>The intercept column (all ones); its index.</summary>
    public abstract int Intercept();

    /// <summary>The raw values of column <paramref name="i"/> on the estimation rows.</summary>
    public abstract double[] Raw(int i);

    /// <summary>Column <paramref name="i"/> demeaned (and scaled by √w when weighted).</summary>
    /// <exception cref="EstimationException">The demeaning did not converge.</exception>
    public abstract double[] Demeaned(int i);

    /// <summary>Demeans the columns given ahead of their use (in parallel where that pays); the default asks for each in turn.</summary>
    public virtual void DemeanAll(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (int i in columns) Demeaned(i);
    }

    /// <summary><c>ThinQr.Dot</c> of two demeaned columns (exactly symmetric: the products commute, the order of the sums is the same).</summary>
    public abstract double Cross(int i, int j);

    /// <summary>The norm of the raw column (scaled by √w when weighted): the scale collinearity is judged against.</summary>
    public abstract double Norm(int i);

    /// <summary>The (weighted) centred sum of squares of the raw column: the TSS of R².</summary>
    public abstract double Tss(int i);
}

/// <summary>
/// The columns of one fit: every value computed when asked, the demeaned columns in this thread's scratch arrays
/// (returned on <see cref="Dispose"/>) unless <c>keep</c> asks for arrays that outlive the fit (the wild bootstrap's).
/// </summary>
internal sealed class SingleFitColumns : DesignColumns, IDisposable
{
    private readonly List<double[]> _raw = [];
    private readonly List<double[]?> _demeaned = [];
    private readonly double[]? _weights;
    private readonly double[]? _sqrtWeights;
    private readonly Scratch.Lease? _lease;

    public SingleFitColumns(Absorber absorber, int n, double[]? weights, bool keep = false)
    {
        Absorber = absorber;
        N = n;
        _weights = weights;
        _sqrtWeights = SqrtWeights(weights);
        _lease = keep ? null : new Scratch.Lease();
    }

    public override Absorber Absorber { get; }

    public override int N { get; }

    public override int Column(Expr term, double[] values)
    {
        // No sharing by term: a single fit takes its columns as the formula lists them.
        _raw.Add(values);
        _demeaned.Add(null);
        return _raw.Count - 1;
    }

    public override int Intercept()
    {
        _raw.Add(Estimation.Ones(N));
        _demeaned.Add(null);
        return _raw.Count - 1;
    }

    public override double[] Raw(int i) => _raw[i];

    public override double[] Demeaned(int i)
    {
        if (_demeaned[i] is { } d) return d;
        var into = _lease is null ? new double[N] : _lease.Rent(N);
        return _demeaned[i] = Finish(Absorber.Demean(_raw[i], into));
    }

    // Weighted fits run the unweighted arithmetic on √w·(weighted within transform): the scores, bread,
    // SSR and leverage-free variances are then the weighted ones (docs/methods.md, "Weights").
    private double[] Finish(double[] d)
    {
        if (_sqrtWeights is not null) for (int r = 0; r < d.Length; r++) d[r] *= _sqrtWeights[r];
        return d;
    }

    /// <summary>
    /// Below this many rows columns are demeaned one after the other: on small panels a fit takes well under a millisecond
    /// and starting threads would cost more than it saves.
    /// </summary>
    private const int ParallelRows = 50_000;

    /// <summary>
    /// On large samples with alternating projections, the columns are demeaned in parallel: each column's projection is
    /// its own computation with its own arrays, so the values are the same bits whatever the threads.
    /// </summary>
    public override void DemeanAll(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var todo = columns.Distinct().Where(i => _demeaned[i] is null).ToArray();
        if (todo.Length < 2 || N < ParallelRows || Absorber.Method != DemeanMethod.AlternatingProjections)
        {
            base.DemeanAll(columns);
            return;
        }
        // Scratch arrays are rented on this thread (the lease is not shared across threads), then filled in parallel.
        var into = todo.Select(_ => _lease is null ? new double[N] : _lease.Rent(N)).ToArray();
        Parallel.For(0, todo.Length, k => Finish(Absorber.Demean(_raw[todo[k]], into[k])));
        for (int k = 0; k < todo.Length; k++) _demeaned[todo[k]] = into[k];
    }

    public override double Cross(int i, int j) => ThinQr.Dot(Demeaned(i), Demeaned(j));

    public override double Norm(int i)
    {
        var raw = _raw[i];
        if (_sqrtWeights is null) return Math.Sqrt(ThinQr.Dot(raw, raw));
        var s = new double[raw.Length];
        for (int r = 0; r < s.Length; r++) s[r] = raw[r] * _sqrtWeights[r];
        return Math.Sqrt(ThinQr.Dot(s, s));
    }

    public override double Tss(int i) =>
        _weights is null ? Estimation.CenteredSumSquares(_raw[i]) : Estimation.WeightedCenteredSumSquares(_raw[i], _weights);

    public void Dispose() => _lease?.Dispose();

    private static double[]? SqrtWeights(double[]? weights)
    {
        if (weights is null) return null;
        var r = new double[weights.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Sqrt(weights[i]);
        return r;
    }
}

/// <summary>
/// A fitted OLS or within model: what every post-estimation step needs, kept from the one fit — the demeaned
/// regressors and response, the coefficients, residuals and bread (X̃'X̃)⁻¹, which candidate regressors were kept or
/// omitted, and (for a fit of its own) the design with its row → unit/time/cluster maps and weights. Variance
/// estimators (through the registry), the Wald test, the Stata intercept and the wild bootstrap all start from it.
/// </summary>
internal sealed class FittedModel
{
    public required Formula Formula { get; init; }

    /// <summary>The design (sample, factors, cluster codes, unit/time maps, weights) when the fit has one of its own; null in a batch, whose group holds it.</summary>
    public ModelData? Design { get; init; }

    public required DesignColumns Columns { get; init; }

    public required bool HasFixedEffects { get; init; }

    /// <summary>Candidate regressor names: the intercept (without fixed effects), then the formula's regressors.</summary>
    public required List<string> Names { get; init; }

    /// <summary>Column indices (in <see cref="Columns"/>) of the candidates, in the order of <see cref="Names"/>.</summary>
    public required List<int> ColumnIndex { get; init; }

    public required int ResponseIndex { get; init; }

    /// <summary>Indices into <see cref="Names"/> of the regressors kept, in order.</summary>
    public required IReadOnlyList<int> Kept { get; init; }

    public required List<string> Omitted { get; init; }

    public required double[] B { get; init; }

    public required double[] Residuals { get; init; }

    /// <summary>The demeaned kept regressors (the scores' columns).</summary>
    public required List<double[]> Xk { get; init; }

    public required double[] DemeanedY { get; init; }

    /// <summary>(X̃'X̃)⁻¹ of the kept regressors.</summary>
    public required double[,] Bread { get; init; }

    public required double Ssr { get; init; }

    public required List<string> Warnings { get; init; }

    public int N => Columns.N;

    public int K => Kept.Count;

    public Absorber Absorber => Columns.Absorber;

    public int DfResid => N - K - Absorber.AbsorbedDf;

    public List<string> KeptNames => [.. Kept.Select(i => Names[i])];

    /// <summary>R² against the raw response's (weighted) centred sum of squares (the LSDV R² with fixed effects).</summary>
    public double R2 => 1 - Ssr / Columns.Tss(ResponseIndex);

    /// <summary>Within R² (fixed effects only).</summary>
    public double? R2Within => HasFixedEffects ? 1 - Ssr / Columns.Cross(ResponseIndex, ResponseIndex) : null;
}

/// <summary>The fit stage of OLS and within models: one implementation for a single fit and for every model of a batch.</summary>
internal static class LinearFit
{
    /// <summary>
    /// Fits <paramref name="f"/>'s response <paramref name="y"/> on its regressors <paramref name="x"/> (values in the
    /// source rows of <paramref name="columns"/>): Gram–Cholesky with the collinearity rule of <see cref="Collinearity.Gram"/>,
    /// one refinement step on the residuals. Errors as a single fit: the collinearity policy, no regressor left, no df left.
    /// </summary>
    public static FittedModel Fit(Formula f, double[] y, IReadOnlyList<double[]> x, DesignColumns columns, EstimationOptions o, List<string> warnings, ModelData? design = null)
    {
        bool hasFe = f.FixedEffects.Count > 0;
        var names = new List<string>(x.Count + 1);
        var idx = new List<int>(x.Count + 1);
        if (!hasFe) { names.Add("(Intercept)"); idx.Add(columns.Intercept()); }
        for (int j = 0; j < x.Count; j++) { names.Add(f.Regressors[j].Text); idx.Add(columns.Column(f.Regressors[j], x[j])); }
        int yi = columns.Column(f.Response, y);
        columns.DemeanAll([yi, .. idx]);
        var yT = columns.Demeaned(yi);
        var xT = idx.Select(columns.Demeaned).ToList();
        int kAll = idx.Count;
        var gram = new double[kAll, kAll];
        for (int i = 0; i < kAll; i++)
            for (int j = 0; j <= i; j++) { gram[i, j] = columns.Cross(idx[i], idx[j]); gram[j, i] = gram[i, j]; }
        var solver = new GramSolver(xT, gram, idx.Select(columns.Norm).ToList(), Collinearity.Gram);
        var kept = solver.Kept;
        var omitted = solver.Dropped.Select(i => names[i]).ToList();
        Estimation.ReportOmitted(omitted, o, warnings);
        Estimation.CheckRegressorsLeft(f, hasFe, kept.Count, names, x.Count, omitted);
        var xty = new double[kept.Count];
        for (int j = 0; j < xty.Length; j++) xty[j] = columns.Cross(idx[kept[j]], yi);
        var resid = solver.Solve(yT, xty, GC.AllocateUninitializedArray<double>(columns.N), out var b); // written whole by the solve
        Estimation.CheckDf(columns.N, kept.Count, columns.Absorber.AbsorbedDf, f);
        return new FittedModel
        {
            Formula = f,
            Design = design,
            Columns = columns,
            HasFixedEffects = hasFe,
            Names = names,
            ColumnIndex = idx,
            ResponseIndex = yi,
            Kept = kept,
            Omitted = omitted,
            B = b,
            Residuals = resid,
            Xk = [.. kept.Select(i => xT[i])],
            DemeanedY = yT,
            Bread = solver.InverseCrossProduct(),
            Ssr = ThinQr.Dot(resid, resid),
            Warnings = warnings,
        };
    }
}
