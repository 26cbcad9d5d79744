using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;
using MathNet.Numerics.RootFinding;

namespace DigitalEconomy.Core.Spatial;

/// <summary>The spatial model: lag (SAR), error (SEM), both (SAC) or Durbin (SDM: SAR with W·X).</summary>
public enum SpatialModel
{
    /// <summary>y = ρWy + Xβ + μ + e.</summary>
    Sar,
    /// <summary>y = Xβ + μ + u, u = λWu + e.</summary>
    Sem,
    /// <summary>y = ρWy + Xβ + μ + u, u = λWu + e.</summary>
    Sac,
    /// <summary>y = ρWy + Xβ + WXθ + μ + e.</summary>
    Sdm,
}

/// <summary>The fixed effects swept out: unit effects, or unit and period effects.</summary>
public enum SpatialEffects
{
    /// <summary>Unit fixed effects.</summary>
    Individual,
    /// <summary>Unit and period fixed effects.</summary>
    TwoWays,
}

/// <summary>
/// How log|I − aW| and the traces are computed (docs/methods.md, "Sparse log-determinants for large W"): <c>Auto</c>
/// (the default) takes <c>Sparse</c> when N &gt; <see cref="SpatialPanel.SparseThreshold"/> and W has a symmetric form,
/// else <c>Eigen</c>; <c>Eigen</c> uses W's eigenvalues and dense n × n inverses (O(n³)); <c>Sparse</c> the sparse
/// Cholesky of the symmetric form, Lanczos for the interval and traces by sparse solves (refused when W has no symmetric form).
/// </summary>
public enum SpatialLogDet
{
    /// <summary>Sparse above <see cref="SpatialPanel.SparseThreshold"/> units when W allows it, else eigen.</summary>
    Auto,
    /// <summary>Eigenvalues and dense inverses.</summary>
    Eigen,
    /// <summary>Sparse Cholesky, Lanczos and sparse solves.</summary>
    Sparse,
}

/// <summary>
/// What to fit: the model, the effects and whether to apply the Lee–Yu (2010) correction (default off, as splm's
/// <c>spml</c>): with individual effects σ² × T/(T−1) and T − 1, N(T − 1) in the information matrix (as splm); with
/// two-way effects Lee &amp; Yu's transformation approach (F_{T,T−1} and F_{n,n−1}, row-standardised W only); and the
/// log-determinant method (<see cref="SpatialLogDet"/>, default auto).
/// </summary>
public sealed record SpatialOptions(SpatialModel Model, SpatialEffects Effects, bool LeeYu = false, SpatialLogDet LogDet = SpatialLogDet.Auto);

/// <summary>
/// One parameter of a fitted spatial model. Names: <c>rho</c> is the coefficient of W·y and <c>lambda</c> that of
/// W·u (LeSage–Pace, Stata's xsmle and spxtregress; splm uses the reverse names), then the regressors by their
/// formula text, then (SDM) <c>W*term</c> for each θ.
/// </summary>
public sealed record SpatialCoefficient(string Name, double Estimate, double StdError, double Z, double P);

/// <summary>Direct, indirect and total effects of one regressor (LeSage–Pace), with simulated SEs when computed.</summary>
public sealed record SpatialImpact(string Term, double Direct, double Indirect, double Total)
{
    /// <summary>Simulated standard errors (null until simulated).</summary>
    public double? DirectSe { get; init; }
    /// <summary>Simulated standard error of the indirect effect.</summary>
    public double? IndirectSe { get; init; }
    /// <summary>Simulated standard error of the total effect.</summary>
    public double? TotalSe { get; init; }
}

/// <summary>A fitted FE spatial panel (docs/methods.md, "Spatial panels").</summary>
public sealed record SpatialFit
{
    /// <summary>Model and effects.</summary>
    public required SpatialOptions Options { get; init; }
    /// <summary>The formula fitted (response ~ regressors; the effects are swept out).</summary>
    public required string Formula { get; init; }
    /// <summary>Units and periods.</summary>
    public required int N { get; init; }
    /// <summary>Number of periods.</summary>
    public required int T { get; init; }
    /// <summary>rho (W·y) and lambda (W·u) when in the model, then β, then θ (SDM): estimates, SEs, z and normal p.</summary>
    public required IReadOnlyList<SpatialCoefficient> Coefficients { get; init; }
    /// <summary>Covariance of <see cref="Coefficients"/> (the inverse of the analytic information matrix, σ² left out).</summary>
    public required double[,] Vcov { get; init; }
    /// <summary>σ² = SSE/NT (Lee–Yu: × T/(T−1) with individual effects, SSE/((N−1)(T−1)) with two-way effects) and its SE from the information matrix.</summary>
    public required double Sigma2 { get; init; }
    /// <summary>Standard error of σ².</summary>
    public required double Sigma2Se { get; init; }
    /// <summary>The full log-likelihood at the estimate (with all constants).</summary>
    public required double LogLik { get; init; }
    /// <summary>The regressors' terms (β order).</summary>
    public required IReadOnlyList<string> Terms { get; init; }
    /// <summary>The exact impacts (null for SEM, whose direct effect is β and indirect effect 0).</summary>
    public IReadOnlyList<SpatialImpact>? Impacts { get; init; }
    /// <summary>Residuals e (stacked period by period, within-transformed), and the admissible interval searched.</summary>
    public required double[] Residuals { get; init; }
    /// <summary>The admissible interval (1/ω_min, 1/ω_max).</summary>
    public required (double Lower, double Upper) Interval { get; init; }
    /// <summary>W's extreme real eigenvalues (ω_min, ω_max): exact (eigen) or by Lanczos (sparse).</summary>
    public (double Min, double Max) EigenRange { get; init; }
    /// <summary>The log-determinant method used (eigen or sparse; never auto).</summary>
    public SpatialLogDet LogDetMethod { get; init; } = SpatialLogDet.Eigen;
    /// <summary>A one-line note on the method (auto above the threshold with a W that has no symmetric form), or null.</summary>
    public string? Note { get; init; }
    /// <summary>Observations NT.</summary>
    public int Observations => N * T;
    /// <summary>The coefficient named <paramref name="name"/>.</summary>
    public SpatialCoefficient this[string name] => Coefficients.First(c => c.Name == name);
}

/// <summary>
/// Fixed-effects spatial panels by maximum likelihood (Elhorst 2014; Lee &amp; Yu 2010), as splm's
/// <c>spml(model = "within", method = "eigen")</c>: the data are within-transformed (the absorber's exact unit or
/// unit + period demeaning), the log-likelihood is concentrated in β and σ² and maximised over the spatial
/// coefficients on the admissible interval with exact log-determinants Σlog(1 − aω) from W's eigenvalues; SEs
/// come from the analytic information matrix. The maximiser: a 41-point grid of the concentrated log-likelihood
/// (to pick the mode on the interval), then the root of its analytic derivative by MathNet's Brent solver, so the
/// estimate is the exact maximiser (to ~1e-14), not an optimiser's tolerance. SAC is profiled: the inner
/// maximisation over λ for each ρ, the outer over ρ with the profile's envelope derivative.
/// </summary>
public static class SpatialPanel
{
    private const int GridPoints = 41;

    /// <summary>
    /// Above this many units <see cref="SpatialLogDet.Auto"/> takes the sparse path: at N = 1,000 the eigen path's
    /// O(n³) eigenvalues and dense inverses take a few seconds and 8 MB per n × n matrix, and the sparse path's n
    /// solves per trace are already cheaper on contiguity-like matrices (bench/spatial_large.sh).
    /// </summary>
    public const int SparseThreshold = 1000;

    /// <summary>Fits <paramref name="formula"/> (no fixed effects, no instruments: the effects come from <paramref name="options"/>).</summary>
    /// <exception cref="InputException">An unbalanced or incomplete panel, W not matching the units, a formula with
    /// fixed effects or instruments, collinear regressors, Lee–Yu with two-way effects and a W that is not row-standardised.</exception>
    public static SpatialFit Fit(Panel panel, Formula formula, SpatialWeights w, SpatialOptions options)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(options);
        if (formula.FixedEffects.Count > 0 || formula.IsIv)
            throw new InputException($"formula '{formula.Source}': a spatial panel takes 'y ~ x1 + x2' only; its fixed effects come from --effects individual|twoways");
        if (formula.Regressors.Count == 0) throw new InputException($"formula '{formula.Source}': a spatial panel needs at least one regressor");
        var terms = formula.Regressors.Select(e => e.Text).ToList();
        var cols = new List<(string, double[])> { (formula.Response.Text, formula.Response.Evaluate(panel)) };
        cols.AddRange(formula.Regressors.Select(e => (e.Text, e.Evaluate(panel))));
        var stacked = SpatialData.Stack(panel, w, cols, out var periods, out var aw);
        int n = aw.N, t = periods.Count;
        if (t < 2) throw new InputException("spatial panel: fixed effects need at least 2 periods");
        CheckLeeYu(aw, options);
        var x = stacked.Skip(1).ToList();
        var names = new List<string>(terms);
        if (options.Model == SpatialModel.Sdm)
        {
            // W·x of the RAW regressors, period by period (splm's construction); the demeaning below commutes with W.
            foreach (var (term, col) in terms.Zip(stacked.Skip(1)).ToList()) { x.Add(aw.Lag(col)); names.Add("W*" + term); }
        }
        var absorber = Demeaner(n, t, options.Effects);
        var y = absorber.Demean(stacked[0]);
        var xt = x.Select(absorber.Demean).ToList();
        var sparse = SparsePath(aw, options, out string? note);
        var core = new Problem(aw, n, t, y, xt, names, formula.Source, options, terms, absorber, sparse);
        var fit = options.Model switch
        {
            SpatialModel.Sar or SpatialModel.Sdm => core.FitLag(),
            SpatialModel.Sem => core.FitError(),
            _ => core.FitSac(),
        };
        return note is null ? fit : fit with { Note = note };
    }

    /// <summary>The sparse path for this fit, or null for the eigen path (docs/methods.md, "Sparse log-determinants for large W").</summary>
    private static SparseLogDet? SparsePath(SpatialWeights w, SpatialOptions options, out string? note)
    {
        note = null;
        switch (options.LogDet)
        {
            case SpatialLogDet.Eigen: return null;
            case SpatialLogDet.Sparse:
                return SparseLogDet.TryCreate(w) ?? throw new InputException(
                    "logdet sparse: W is not D⁻¹B with B symmetric (a row-standardised symmetric matrix), so log|I − aW| has no symmetric sparse Cholesky form; use logdet eigen (or auto)");
            default:
                if (w.N <= SparseThreshold) return null;
                var s = SparseLogDet.TryCreate(w);
                if (s is null) note = $"note: N = {w.N} > {SparseThreshold} but W is not D⁻¹B with B symmetric, so the log-determinants come from its eigenvalues (O(n³))";
                return s;
        }
    }

    /// <summary>
    /// The concentrated log-likelihood at a spatial coefficient (SAR/SDM: ρ; SEM: λ), and its SSE and log-determinant
    /// (with Lee–Yu and two-way effects: the transformed form, log|I − aW| − log(1 − a), and (n − 1)(T − 1) observations).
    /// </summary>
    public static (double LogLik, double Sse, double LogDet) ConcentratedLogLik(Panel panel, Formula formula, SpatialWeights w, SpatialOptions options, double a)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(options);
        var cols = new List<(string, double[])> { (formula.Response.Text, formula.Response.Evaluate(panel)) };
        cols.AddRange(formula.Regressors.Select(e => (e.Text, e.Evaluate(panel))));
        var stacked = SpatialData.Stack(panel, w, cols, out var periods, out var aw);
        CheckLeeYu(aw, options);
        var x = stacked.Skip(1).ToList();
        if (options.Model == SpatialModel.Sdm) x.AddRange(stacked.Skip(1).Select(aw.Lag).ToList());
        var absorber = Demeaner(aw.N, periods.Count, options.Effects);
        var p = new Problem(aw, aw.N, periods.Count, absorber.Demean(stacked[0]), [.. x.Select(absorber.Demean)], [], formula.Source, options, [], absorber);
        return options.Model switch
        {
            SpatialModel.Sar or SpatialModel.Sdm => p.LagLogLik(a),
            SpatialModel.Sem => p.ErrorLogLik(a),
            _ => throw new InputException("the concentrated log-likelihood at one coefficient is defined for SAR, SDM and SEM"),
        };
    }

    /// <summary>
    /// The residuals of the non-spatial within fit (plm's <c>within</c> residuals: ỹ on X̃ after sweeping out the
    /// effects), stacked period by period in the panel's unit order, for Moran's I of a model's residuals.
    /// </summary>
    public static (double[] Residuals, IReadOnlyList<long> Periods) WithinResiduals(Panel panel, Formula formula, SpatialWeights w, SpatialEffects effects)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(w);
        var cols = new List<(string, double[])> { (formula.Response.Text, formula.Response.Evaluate(panel)) };
        cols.AddRange(formula.Regressors.Select(e => (e.Text, e.Evaluate(panel))));
        var stacked = SpatialData.Stack(panel, w, cols, out var periods, out var aw);
        var absorber = Demeaner(aw.N, periods.Count, effects);
        var x = stacked.Skip(1).Select(absorber.Demean).ToList();
        var p = new Problem(aw, aw.N, periods.Count, absorber.Demean(stacked[0]), x, [.. formula.Regressors.Select(e => e.Text)], formula.Source, new SpatialOptions(SpatialModel.Sar, effects), [], absorber);
        return (p.WithinResiduals(), periods);
    }

    /// <summary>
    /// Lee–Yu with two-way effects transforms the cross-section by F_{n,n−1}, which needs W·1 = 1 (then
    /// F'WF carries the model and |F'(I − aW)F| = |I − aW|/(1 − a)): refuse any other W in one line.
    /// </summary>
    private static void CheckLeeYu(SpatialWeights w, SpatialOptions options)
    {
        if (!options.LeeYu || options.Effects != SpatialEffects.TwoWays) return;
        for (int i = 0; i < w.N; i++)
        {
            double s = 0;
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) s += w.Values[k];
            if (Math.Abs(s - 1) > 1e-10)
                throw new InputException($"Lee–Yu (--lee-yu, lee_yu) with two-way effects needs a row-standardised W (W·1 = 1, for the cross-section transformation F_(n,n−1)); row '{w.Names[i]}' sums to {s.ToString("g6", System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static Absorber Demeaner(int n, int t, SpatialEffects effects)
    {
        var unit = new int[n * t];
        var period = new int[n * t];
        for (int k = 0; k < unit.Length; k++) { unit[k] = k % n; period[k] = k / n; }
        return new Absorber(effects == SpatialEffects.TwoWays ? [unit, period] : [unit]);
    }

    /// <summary>
    /// The best of <see cref="GridPoints"/> equally spaced interior points of (lo, hi) and the bracket around it (its grid
    /// neighbours, or the interval's end a hair inside): where both maximisers start.
    /// </summary>
    private static (double A, double B, double Mode) GridBracket(Func<double, double> f, double lo, double hi)
    {
        double width = hi - lo;
        var xs = new double[GridPoints];
        int best = 0;
        double bestF = double.NegativeInfinity;
        for (int k = 0; k < GridPoints; k++)
        {
            xs[k] = lo + width * (k + 1) / (GridPoints + 1);
            double v = f(xs[k]);
            if (v > bestF) { bestF = v; best = k; }
        }
        double a = best == 0 ? lo + width * 1e-12 : xs[best - 1];
        double b = best == GridPoints - 1 ? hi - width * 1e-12 : xs[best + 1];
        return (a, b, xs[best]);
    }

    /// <summary>The maximiser of f on (lo, hi) from a grid and the Brent root of its derivative df (bisection if Brent fails).</summary>
    internal static double Maximise(Func<double, double> f, Func<double, double> df, double lo, double hi)
    {
        var (a, b, mode) = GridBracket(f, lo, hi);
        double da = df(a), db = df(b);
        if (!(da > 0 && db < 0)) return mode; // no sign change: the grid's best (a boundary optimum)
        if (Brent.TryFindRoot(df, a, b, 1e-15, 200, out double root)) return root;
        for (int i = 0; i < 200 && b - a > 1e-16 * Math.Max(1, Math.Abs(a)); i++)
        {
            double m = 0.5 * (a + b);
            if (df(m) > 0) a = m; else b = m;
        }
        return 0.5 * (a + b);
    }

    /// <summary>
    /// The sparse path's maximiser of f on (lo, hi): the same 41-point grid as <see cref="Maximise"/> picks the mode, then
    /// Brent's derivative-free minimisation of −f (<see cref="BrentMinimise"/>) on the grid's bracket. A flat maximum
    /// locates x only to about sqrt(ε)·|x| (≈ 1e-8) from function values, so with <paramref name="polish"/> secant steps
    /// on the exact derivative df follow (each df costs n sparse solves, <see cref="SparseLogDet.Traces"/>, which the
    /// information matrix needs at the estimate anyway) until the next step is below 1e-13: the estimate is then the
    /// root of df, the same estimator as the eigen path's to rounding. A maximum at the bracket's edge is not polished.
    /// </summary>
    internal static double MaximiseSparse(Func<double, double> f, Func<double, double> df, double lo, double hi, bool polish = true)
    {
        var (a, b, mode) = GridBracket(f, lo, hi);
        double x0 = BrentMinimise(q => -f(q), a, b, 1e-12 * Math.Max(1, Math.Abs(mode)));
        if (!polish) return x0;
        double h = 1e-7 * Math.Max(1, Math.Abs(x0));
        if (x0 - a < 10 * h || b - x0 < 10 * h) return x0; // at the bracket's edge: no interior root to polish
        double x1 = x0, d1 = df(x1);
        double x2 = x0 + h, d2 = df(x2);
        for (int i = 0; i < 8; i++)
        {
            if (d2 == d1) break;
            double step = -d2 * (x2 - x1) / (d2 - d1);
            double x3 = x2 + step;
            if (!(x3 > a && x3 < b)) return x0;
            if (Math.Abs(step) <= 1e-13 * Math.Max(1, Math.Abs(x2)) && Math.Abs(d2) <= Math.Abs(d1)) return x2;
            (x1, d1) = (x2, d2);
            (x2, d2) = (x3, df(x3));
        }
        return x2;
    }

    /// <summary>
    /// The minimiser of f on [a, b] by Brent's method (golden section with parabolic steps; Brent 1973, ch. 5, the
    /// netlib <c>fmin</c>), to tolerance 2(sqrt(ε)|x| + tol/3). By hand because MathNet 5 has only a golden-section
    /// minimiser (slower, no parabolic steps) and Brent's root finder needs the derivative this path avoids.
    /// </summary>
    internal static double BrentMinimise(Func<double, double> f, double a, double b, double tol)
    {
        const double c = 0.3819660112501051; // (3 − sqrt 5)/2
        double eps = Math.Sqrt(2.220446049250313e-16);
        double v = a + c * (b - a), w = v, x = v, e = 0, d = 0;
        double fv = f(v), fw = fv, fx = fv;
        for (int iter = 0; iter < 500; iter++)
        {
            double xm = 0.5 * (a + b), tol1 = eps * Math.Abs(x) + tol / 3, tol2 = 2 * tol1;
            if (Math.Abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
            bool golden = true;
            if (Math.Abs(e) > tol1)
            {
                double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) p = -p; else q = -q;
                double etemp = e;
                e = d;
                if (Math.Abs(p) < Math.Abs(0.5 * q * etemp) && p > q * (a - x) && p < q * (b - x))
                {
                    d = p / q;
                    double u0 = x + d;
                    if (u0 - a < tol2 || b - u0 < tol2) d = xm >= x ? tol1 : -tol1;
                    golden = false;
                }
            }
            if (golden) { e = (x >= xm ? a : b) - x; d = c * e; }
            double u = Math.Abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
            double fu = f(u);
            if (fu <= fx)
            {
                if (u >= x) a = x; else b = x;
                (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
            }
            else
            {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x) { (v, fv, w, fw) = (w, fw, u, fu); }
                else if (fu <= fv || v == x || v == w) { v = u; fv = fu; }
            }
        }
        return x;
    }

    /// <summary>
    /// One fitting problem on within-transformed data. With Lee–Yu and two-way effects (<see cref="_tw"/>) it is the
    /// transformation approach of Lee &amp; Yu (2010, section 4): the data are transformed by F_{T,T−1} ⊗ F_{n,n−1}
    /// (orthonormal, orthogonal to 1), which on a balanced panel with W·1 = 1 is carried exactly in the
    /// original coordinates by the two-way demeaning J = J_T ⊗ J_n: the transformed W is represented by J·W (the lag
    /// of a demeaned vector demeaned again, <see cref="Lag"/>), every n × n matrix M of the information matrix by
    /// J_n M J_n (<see cref="Star"/>, same traces as F'MF), log|F'(I − aW)F| = log|I − aW| − log(1 − a), and the
    /// effective counts are T − 1 periods and (n − 1)(T − 1) observations. Without it the problem is unchanged.
    /// </summary>
    private sealed class Problem(SpatialWeights w, int n, int t, double[] y, List<double[]> x, List<string> names, string formula, SpatialOptions options, List<string> terms, Absorber absorber, SparseLogDet? sparse = null)
    {
        private readonly bool _tw = options.LeeYu && options.Effects == SpatialEffects.TwoWays;
        private double[]? Wyc;
        private double[] Wy => Wyc ??= Lag(y);
        private int Nt => n * t;
        private double Tm => options.LeeYu ? t - 1 : t;
        private double NtM => _tw ? (n - 1.0) * (t - 1.0) : options.LeeYu ? n * (t - 1.0) : n * (double)t;
        // The weights of the log-determinant and of log SSE in the concentrated likelihood that is maximised.
        private double DetT => _tw ? t - 1.0 : t;
        private double Obs => _tw ? (n - 1.0) * (t - 1.0) : Nt;

        /// <summary>W·v, or with the two-way Lee–Yu transformation J·W·v.</summary>
        private double[] Lag(double[] v) => _tw ? absorber.Demean(w.Lag(v)) : w.Lag(v);

        /// <summary>log|I − aW| by the eigenvalues or the sparse Cholesky.</summary>
        private double WLogDet(double a) => sparse is null ? w.LogDet(a) : sparse.LogDet(a);

        /// <summary>log|I − aW|, or log|F'(I − aW)F| = log|I − aW| − log(1 − a).</summary>
        private double LD(double a) => _tw ? WLogDet(a) - Math.Log(1 - a) : WLogDet(a);

        /// <summary>d/da log|I − aW| = −tr(G): the eigenvalues, or n sparse solves (<see cref="SparseLogDet.Traces"/>).</summary>
        private double WLogDetD(double a) => sparse is null ? w.LogDetDerivative(a) : -sparse.Traces(a).G;

        private double LDd(double a) => _tw ? WLogDetD(a) + 1 / (1 - a) : WLogDetD(a);

        private (double Lower, double Upper)? _interval;

        /// <summary>The admissible interval: from the eigenvalues, or from Lanczos' extreme eigenvalues of the symmetric form.</summary>
        private (double Lower, double Upper) Interval => _interval ??= sparse is null ? w.Interval() : SparseInterval();

        private (double, double) SparseInterval()
        {
            var (lo, hi) = sparse!.ExtremeEigenvalues();
            if (!(lo < 0) || !(hi > 0)) throw new InputException($"weight matrix: its real eigenvalues span [{lo:g6}, {hi:g6}]; a spatial coefficient needs ω_min < 0 < ω_max");
            return (1 / lo, 1 / hi);
        }

        private (double Min, double Max) Range => sparse is null ? w.EigenRange() : sparse.ExtremeEigenvalues();

        /// <summary>The maximiser of f: the eigen path's grid and Brent root of df, or the sparse path's (<see cref="MaximiseSparse"/>).</summary>
        private double Max(Func<double, double> f, Func<double, double> df, double lo, double hi) =>
            sparse is null ? Maximise(f, df, lo, hi) : MaximiseSparse(f, df, lo, hi);

        /// <summary>
        /// The information matrix's traces of M* for M = G(a) = W(I − aW)⁻¹ (M* = J_n M J_n under the two-way Lee–Yu
        /// transformation, else M): tr(M*) and tr(M*²) + tr(M*'M*). Eigen path: the dense G (O(n³)); sparse path: n
        /// solves, and with J_n, W·1 = 1 gives G1 = c·1, c = 1/(1 − a), so tr(JGJ) = tr(G) − c,
        /// tr((JGJ)²) = tr(G²) − c² and tr((JGJ)'JGJ) = tr(G'G) − ‖G'1‖²/n.
        /// </summary>
        private (double Tr, double SqFrob, double[,]? Dense) InfoTraces(double a)
        {
            if (sparse is null)
            {
                var g = Star(GMatrix(a));
                return (Trace(g), TraceSquare(g) + FrobeniusSquare(g), g);
            }
            var tr = sparse.Traces(a);
            if (!_tw) return (tr.G, tr.GG + tr.GtG, null);
            double c = 1 / (1 - a);
            var gt1 = sparse.GTransposedOne(a);
            return (tr.G - c, tr.GG - c * c + tr.GtG - ThinQr.Dot(gt1, gt1) / n, null);
        }

        /// <summary>M*·v per period (M* as in <see cref="InfoTraces"/>): dense, or J_n G J_n v by a sparse solve per period.</summary>
        private double[] ApplyInfo(double a, double[,]? dense, double[] v)
        {
            if (dense is not null) return Apply(dense, v);
            var r = new double[v.Length];
            var block = new double[n];
            for (int p = 0; p < t; p++)
            {
                Array.Copy(v, p * n, block, 0, n);
                if (_tw) CentreInPlace(block);
                var g = sparse!.ApplyG(a, block);
                if (_tw) CentreInPlace(g);
                Array.Copy(g, 0, r, p * n, n);
            }
            return r;
        }

        private static void CentreInPlace(double[] v)
        {
            double m = v.Average();
            for (int i = 0; i < v.Length; i++) v[i] -= m;
        }

        /// <summary>The concentrated log-likelihood for the summed log-determinants and the SSE.</summary>
        private double Conc(double ldSum, double sse) =>
            _tw ? DetT * ldSum - Obs / 2 * Math.Log(2 * Math.PI * sse / Obs) - Obs / 2 : FullLl(t * ldSum, sse);

        private double Sigma2(double sse) => _tw ? sse / Obs : sse / Nt * (options.LeeYu ? t / (t - 1.0) : 1);

        /// <summary>J_n M J_n (row and column means removed) under the two-way transformation, else M.</summary>
        private double[,] Star(double[,] m)
        {
            if (!_tw) return m;
            var row = new double[n];
            var col = new double[n];
            double all = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) { row[i] += m[i, j] / n; col[j] += m[i, j] / n; all += m[i, j] / ((double)n * n); }
            var r = new double[n, n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i, j] = m[i, j] - row[i] - col[j] + all;
            return r;
        }

        private ThinQr Qr(List<double[]> cols)
        {
            var qr = new ThinQr(cols);
            if (qr.Dropped.Count > 0)
                throw new InputException($"formula '{formula}': {string.Join(", ", qr.Dropped.Select(i => names.Count > i ? names[i] : $"column {i + 1}"))} is collinear with the other regressors after the fixed effects are swept out");
            return qr;
        }

        private static double[] Resid(ThinQr qr, double[] v) => Regression.Estimation.Subtract(v, qr.Project(v));

        private double FullLl(double logDetSum, double sse) => logDetSum - Nt / 2.0 * Math.Log(2 * Math.PI * sse / Nt) - Nt / 2.0;

        // ---- SAR / SDM: SSE(ρ) = e0'e0 − 2ρ e0'e1 + ρ² e1'e1.
        private (ThinQr Qr, double[] E0, double[] E1, double A00, double A01, double A11) LagParts()
        {
            var qr = Qr(x);
            var e0 = Resid(qr, y);
            var e1 = Resid(qr, Wy);
            return (qr, e0, e1, ThinQr.Dot(e0, e0), ThinQr.Dot(e0, e1), ThinQr.Dot(e1, e1));
        }

        public double[] WithinResiduals() => LagParts().E0;

        public (double, double, double) LagLogLik(double rho)
        {
            var p = LagParts();
            double sse = p.A00 - 2 * rho * p.A01 + rho * rho * p.A11;
            double ld = LD(rho);
            return (Conc(ld, sse), sse, ld);
        }

        public SpatialFit FitLag()
        {
            var (qr, e0, e1, a00, a01, a11) = LagParts();
            double Sse(double r) => a00 - 2 * r * a01 + r * r * a11;
            var iv = Interval;
            double rho = Max(r => Conc(LD(r), Sse(r)), r => -Obs * (r * a11 - a01) / Sse(r) + DetT * LDd(r), iv.Lower, iv.Upper);
            var b0 = qr.Solve(y);
            var b1 = qr.Solve(Wy);
            var beta = b0.Zip(b1, (u, v) => u - rho * v).ToArray();
            var e = e0.Zip(e1, (u, v) => u - rho * v).ToArray();
            double sse = Sse(rho);
            double s2 = Sigma2(sse);
            // Information matrix in (σ², ρ, β) (splm's sar information; Lee–Yu: T−1 and N(T−1)).
            int k = x.Count;
            var (trG, sqG, g) = InfoTraces(rho);
            var xb = new double[Nt];
            for (int j = 0; j < k; j++) ThinQr.Axpy(beta[j], x[j], xb);
            var gxb = ApplyInfo(rho, g, xb);
            var info = new double[k + 2, k + 2];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * trG / s2;
            info[1, 1] = Tm * sqG + ThinQr.Dot(gxb, gxb) / s2;
            for (int j = 0; j < k; j++)
            {
                info[1, j + 2] = info[j + 2, 1] = ThinQr.Dot(x[j], gxb) / s2;
                for (int l = 0; l <= j; l++) info[j + 2, l + 2] = info[l + 2, j + 2] = ThinQr.Dot(x[j], x[l]) / s2;
            }
            var v = Invert(info);
            double ll = options.LeeYu ? Tm * LD(rho) - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * WLogDet(rho), sse);
            var est = new[] { rho }.Concat(beta).ToArray();
            var impacts = Impacts.Exact(w, rho, beta[..terms.Count], options.Model == SpatialModel.Sdm ? beta[terms.Count..] : null, terms, sparse);
            return Result(["rho", .. names], est, Sub(v, 1, k + 1), s2, Math.Sqrt(v[0, 0]), ll, e, impacts);
        }

        // ---- SEM: for λ, GLS of (I − λW)ỹ on (I − λW)X̃.
        private (double Sse, double[] Beta, double[] E, List<double[]> Xs) ErrorParts(double lam)
        {
            var ys = y.Zip(Wy, (u, v) => u - lam * v).ToArray();
            var xs = x.Select((c, j) => c.Zip(Wx[j], (u, v) => u - lam * v).ToArray()).ToList();
            var qr = Qr(xs);
            var e = Resid(qr, ys);
            return (ThinQr.Dot(e, e), qr.Solve(ys), e, xs);
        }

        private List<double[]>? _wx;
        private List<double[]> Wx => _wx ??= [.. x.Select(Lag)];

        public (double, double, double) ErrorLogLik(double lam)
        {
            double sse = ErrorParts(lam).Sse;
            double ld = LD(lam);
            return (Conc(ld, sse), sse, ld);
        }

        private double ErrorDerivative(double lam, double[] yBase, double[] wyBase)
        {
            // d/dλ [T log|I − λW| − NT/2 log SSE]; by the envelope theorem dSSE/dλ = −2 e'(W·ỹ_base − W X̃ β).
            var ys = yBase.Zip(wyBase, (u, v) => u - lam * v).ToArray();
            var xs = x.Select((c, j) => c.Zip(Wx[j], (u, v) => u - lam * v).ToArray()).ToList();
            var qr = Qr(xs);
            var e = Resid(qr, ys);
            var beta = qr.Solve(ys);
            var d = (double[])wyBase.Clone();
            for (int j = 0; j < beta.Length; j++) ThinQr.Axpy(-beta[j], Wx[j], d);
            double sse = ThinQr.Dot(e, e);
            return DetT * LDd(lam) + Obs * ThinQr.Dot(e, d) / sse;
        }

        private double ErrorSse(double lam, double[] yBase, double[] wyBase)
        {
            var ys = yBase.Zip(wyBase, (u, v) => u - lam * v).ToArray();
            var xs = x.Select((c, j) => c.Zip(Wx[j], (u, v) => u - lam * v).ToArray()).ToList();
            var e = Resid(Qr(xs), ys);
            return ThinQr.Dot(e, e);
        }

        public SpatialFit FitError()
        {
            var iv = Interval;
            double lam = Max(l => Conc(LD(l), ErrorSse(l, y, Wy)), l => ErrorDerivative(l, y, Wy), iv.Lower, iv.Upper);
            var (sse, beta, e, xs) = ErrorParts(lam);
            double s2 = Sigma2(sse);
            int k = x.Count;
            var (trH, sqH, _) = InfoTraces(lam);
            var info = new double[k + 2, k + 2];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * trH / s2;
            info[1, 1] = Tm * sqH;
            for (int j = 0; j < k; j++)
                for (int l = 0; l <= j; l++) info[j + 2, l + 2] = info[l + 2, j + 2] = ThinQr.Dot(xs[j], xs[l]) / s2;
            var v = Invert(info);
            double ll = options.LeeYu ? Tm * LD(lam) - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * WLogDet(lam), sse);
            return Result(["lambda", .. names], [lam, .. beta], Sub(v, 1, k + 1), s2, Math.Sqrt(v[0, 0]), ll, e, null);
        }

        // ---- SAC: (I − λW)(I − ρW)ỹ = (I − λW)X̃β + e.
        public SpatialFit FitSac()
        {
            var iv = Interval;
            var w2y = Lag(Wy);
            // Sparse path: the profile's inner λ is found derivative-free while the outer search runs (no solves), and
            // polished on its exact derivative where the envelope derivative needs it (ProfileDerivative, the estimate).
            double InnerLambda(double rho, out double[] yr, out double[] wyr, bool polish = true)
            {
                // (I − ρW)ỹ and its W-lag; then the SEM problem in λ.
                var a = y.Zip(Wy, (u, v) => u - rho * v).ToArray();
                var b = Wy.Zip(w2y, (u, v) => u - rho * v).ToArray();
                yr = a; wyr = b;
                if (sparse is not null) return MaximiseSparse(l => Conc(LD(l), ErrorSse(l, a, b)), l => ErrorDerivative(l, a, b), iv.Lower, iv.Upper, polish);
                return Maximise(l => Conc(LD(l), ErrorSse(l, a, b)), l => ErrorDerivative(l, a, b), iv.Lower, iv.Upper);
            }
            double Profile(double rho)
            {
                double lam = InnerLambda(rho, out var a, out var b, polish: false);
                return Conc(LD(rho) + LD(lam), ErrorSse(lam, a, b));
            }
            double ProfileDerivative(double rho)
            {
                double lam = InnerLambda(rho, out var a, out var b);
                // ∂SSE/∂ρ = 2 e'·∂yl/∂ρ with yl = (I − λW)(I − ρW)ỹ: ∂yl/∂ρ = −(I − λW)Wỹ.
                var ys = a.Zip(b, (u, v) => u - lam * v).ToArray();
                var xs = x.Select((c, j) => c.Zip(Wx[j], (u, v) => u - lam * v).ToArray()).ToList();
                var e = Resid(Qr(xs), ys);
                var dy = Wy.Zip(w2y, (u, v) => -(u - lam * v)).ToArray();
                double sse = ThinQr.Dot(e, e);
                return DetT * LDd(rho) - Obs * ThinQr.Dot(e, dy) / sse;
            }
            double rho = Max(Profile, ProfileDerivative, iv.Lower, iv.Upper);
            double lamHat = InnerLambda(rho, out var yr, out var wyr);
            var yl = yr.Zip(wyr, (u, v) => u - lamHat * v).ToArray();
            var xl = x.Select((c, j) => c.Zip(Wx[j], (u, v) => u - lamHat * v).ToArray()).ToList();
            var qr = Qr(xl);
            var beta = qr.Solve(yl);
            var e = Resid(qr, yl);
            double sse = ThinQr.Dot(e, e);
            double s2 = Sigma2(sse);
            int k = x.Count;
            // Information matrix (Lee & Yu 2010 eq. 39, as splm) in (σ², ρ, λ, β): G = W(I − ρW)⁻¹, H = W(I − λW)⁻¹,
            // Gd = R G R⁻¹ with R = I − λW; Xd = R X̃ (= xl); GdXb = Gd Xd β.
            var xb = new double[Nt];
            for (int j = 0; j < k; j++) ThinQr.Axpy(beta[j], xl[j], xb);
            var (trGd, sqGd, trH, sqH, cross, gdxb) = sparse is not null && !_tw ? SacSparse(rho, lamHat, xb) : SacDense(rho, lamHat, xb);
            var info = new double[k + 3, k + 3];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * trGd / s2;
            info[0, 2] = info[2, 0] = Tm * trH / s2;
            info[1, 1] = ThinQr.Dot(gdxb, gdxb) / s2 + Tm * sqGd;
            info[1, 2] = info[2, 1] = Tm * cross;
            info[2, 2] = Tm * sqH;
            for (int j = 0; j < k; j++)
            {
                info[1, j + 3] = info[j + 3, 1] = ThinQr.Dot(gdxb, xl[j]) / s2;
                for (int l = 0; l <= j; l++) info[j + 3, l + 3] = info[l + 3, j + 3] = ThinQr.Dot(xl[j], xl[l]) / s2;
            }
            var v = Invert(info);
            double ld = LD(rho) + LD(lamHat);
            double ll = options.LeeYu ? Tm * ld - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * ld, sse);
            var impacts = Impacts.Exact(w, rho, beta, null, terms, sparse);
            return Result(["rho", "lambda", .. names], [rho, lamHat, .. beta], Sub(v, 1, k + 2), s2, Math.Sqrt(v[0, 0]), ll, e, impacts);
        }

        /// <summary>SAC's information traces from dense n × n matrices (the eigen path; and two-way Lee–Yu, whose J_n·M·J_n cross terms are not by solves).</summary>
        private (double TrGd, double SqGd, double TrH, double SqH, double Cross, double[] GdXb) SacDense(double rho, double lamHat, double[] xb)
        {
            var g = GMatrix(rho);
            var h = GMatrix(lamHat);
            var r = new double[n, n];
            var wd = w.Dense();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i, j] = (i == j ? 1 : 0) - lamHat * wd[i, j];
            var rinv = Dense.Inverse(r) ?? throw new EstimationException("spatial panel: I − λW is singular at the estimate");
            var gd = Star(Dense.Multiply(Dense.Multiply(r, g), rinv));
            h = Star(h);
            return (Trace(gd), TraceSquare(gd) + FrobeniusSquare(gd), Trace(h), TraceSquare(h) + FrobeniusSquare(h),
                TraceProduct(h, gd) + TraceTransposeProduct(h, gd), Apply(gd, xb));
        }

        /// <summary>
        /// SAC's information traces by sparse solves: tr(Gd) = tr(G) and tr(Gd²) = tr(G²) (Gd is similar to G), ‖Gd‖²_F and
        /// the cross traces column by column (<see cref="SparseLogDet.SacCrossTraces"/>), H's from its own sweep, and
        /// Gd·Xd·β = R G R⁻¹ per period — O(n·profile), no n × n matrix.
        /// </summary>
        private (double, double, double, double, double, double[]) SacSparse(double rho, double lamHat, double[] xb)
        {
            var lamPath = SparseLogDet.TryCreate(w)!; // a second factor: the ρ and λ factors are needed at once
            var tg = sparse!.Traces(rho);
            var th = lamPath.Traces(lamHat);
            var (frob, hg, htg) = sparse.SacCrossTraces(lamPath, rho, lamHat);
            var gdxb = new double[Nt];
            var block = new double[n];
            var wg = new double[n];
            for (int p = 0; p < t; p++)
            {
                Array.Copy(xb, p * n, block, 0, n);
                var g = sparse.ApplyG(rho, lamPath.SolveW(lamHat, block));
                w.Multiply(g, wg);
                for (int i = 0; i < n; i++) gdxb[p * n + i] = g[i] - lamHat * wg[i];
            }
            return (tg.G, tg.GG + frob, th.G, th.GG + th.GtG, hg + htg, gdxb);
        }

        private SpatialFit Result(List<string> coefNames, double[] est, double[,] vcov, double s2, double s2Se, double ll, double[] e, IReadOnlyList<SpatialImpact>? impacts)
        {
            var coefs = new List<SpatialCoefficient>(est.Length);
            for (int i = 0; i < est.Length; i++)
            {
                double se = Math.Sqrt(vcov[i, i]);
                double z = est[i] / se;
                coefs.Add(new SpatialCoefficient(coefNames[i], est[i], se, z, Distributions.NormalTwoSided(z)));
            }
            return new SpatialFit
            {
                Options = options, Formula = formula, N = n, T = t, Coefficients = coefs, Vcov = vcov, Sigma2 = s2, Sigma2Se = s2Se,
                LogLik = ll, Terms = terms, Impacts = impacts, Residuals = e, Interval = Interval, EigenRange = Range,
                LogDetMethod = sparse is null ? SpatialLogDet.Eigen : SpatialLogDet.Sparse,
            };
        }

        /// <summary>W(I − aW)⁻¹, dense.</summary>
        private double[,] GMatrix(double a)
        {
            var m = new double[n, n];
            var wd = w.Dense();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = (i == j ? 1 : 0) - a * wd[i, j];
            var inv = Dense.Inverse(m) ?? throw new EstimationException($"spatial panel: I − {a:g6}·W is singular");
            return Dense.Multiply(wd, inv);
        }

        private double[] Apply(double[,] g, double[] v)
        {
            var r = new double[v.Length];
            for (int p = 0; p < t; p++)
                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += g[i, j] * v[p * n + j];
                    r[p * n + i] = s;
                }
            return r;
        }

        private static double Trace(double[,] a) { double s = 0; for (int i = 0; i < a.GetLength(0); i++) s += a[i, i]; return s; }
        private static double TraceSquare(double[,] a) => TraceProduct(a, a);
        private static double TraceProduct(double[,] a, double[,] b)
        {
            // tr(AB) = Σ_ij A_ij B_ji
            double s = 0; int m = a.GetLength(0);
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) s += a[i, j] * b[j, i];
            return s;
        }
        private static double TraceTransposeProduct(double[,] a, double[,] b)
        {
            // tr(A'B) = Σ_ij A_ij B_ij
            double s = 0; int m = a.GetLength(0);
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) s += a[i, j] * b[i, j];
            return s;
        }
        private static double FrobeniusSquare(double[,] a) => TraceTransposeProduct(a, a);

        private static double[,] Invert(double[,] info) =>
            Dense.Inverse(info) ?? throw new EstimationException("spatial panel: the information matrix is singular at the estimate");

        private static double[,] Sub(double[,] v, int from, int count)
        {
            var s = new double[count, count];
            for (int i = 0; i < count; i++) for (int j = 0; j < count; j++) s[i, j] = v[from + i, from + j];
            return s;
        }
    }
}

/// <summary>The texts of the spatial choices, one grammar for the CLI and study files.</summary>
public static class SpatialText
{
    /// <summary>The model choices.</summary>
    public const string Models = "sar | sem | sac | sdm";

    /// <summary>The effects choices.</summary>
    public const string EffectChoices = "individual | twoways";

    /// <summary>Parses a model name; <paramref name="where"/> names the option or key in the one-line error.</summary>
    public static SpatialModel Model(string text, string where) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "sar" or "lag" => SpatialModel.Sar,
        "sem" or "error" => SpatialModel.Sem,
        "sac" or "sarar" => SpatialModel.Sac,
        "sdm" or "durbin" => SpatialModel.Sdm,
        _ => throw new InputException($"{where} '{text}': expected {Models}"),
    };

    /// <summary>Parses an effects name.</summary>
    public static SpatialEffects Effects(string text, string where) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "individual" or "unit" => SpatialEffects.Individual,
        "twoways" or "twoway" or "two-way" => SpatialEffects.TwoWays,
        _ => throw new InputException($"{where} '{text}': expected {EffectChoices}"),
    };

    /// <summary>The canonical name of a model.</summary>
    public static string Name(SpatialModel m) => m.ToString().ToLowerInvariant();

    /// <summary>The log-determinant method choices.</summary>
    public const string LogDetChoices = "auto | eigen | sparse";

    /// <summary>Parses a log-determinant method name.</summary>
    public static SpatialLogDet LogDet(string text, string where) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "auto" => SpatialLogDet.Auto,
        "eigen" => SpatialLogDet.Eigen,
        "sparse" => SpatialLogDet.Sparse,
        _ => throw new InputException($"{where} '{text}': expected {LogDetChoices}"),
    };

    /// <summary>The canonical name of a log-determinant method.</summary>
    public static string Name(SpatialLogDet m) => m.ToString().ToLowerInvariant();

    /// <summary>The canonical name of the effects.</summary>
    public static string Name(SpatialEffects e) => e == SpatialEffects.TwoWays ? "twoways" : "individual";
}
