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
/// What to fit: the model, the effects and whether to apply the Lee–Yu (2010) correction (default off, as splm's
/// <c>spml</c>): with individual effects σ² × T/(T−1) and T − 1, N(T − 1) in the information matrix (as splm); with
/// two-way effects Lee &amp; Yu's transformation approach (F_{T,T−1} and F_{n,n−1}, row-standardised W only).
/// </summary>
public sealed record SpatialOptions(SpatialModel Model, SpatialEffects Effects, bool LeeYu = false);

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
        var core = new Problem(aw, n, t, y, xt, names, formula.Source, options, terms, absorber);
        return options.Model switch
        {
            SpatialModel.Sar or SpatialModel.Sdm => core.FitLag(),
            SpatialModel.Sem => core.FitError(),
            _ => core.FitSac(),
        };
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

    /// <summary>The maximiser of f on (lo, hi) from a grid and the Brent root of its derivative df (bisection if Brent fails).</summary>
    internal static double Maximise(Func<double, double> f, Func<double, double> df, double lo, double hi)
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
        double da = df(a), db = df(b);
        if (!(da > 0 && db < 0)) return xs[best]; // no sign change: the grid's best (a boundary optimum)
        if (Brent.TryFindRoot(df, a, b, 1e-15, 200, out double root)) return root;
        for (int i = 0; i < 200 && b - a > 1e-16 * Math.Max(1, Math.Abs(a)); i++)
        {
            double m = 0.5 * (a + b);
            if (df(m) > 0) a = m; else b = m;
        }
        return 0.5 * (a + b);
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
    private sealed class Problem(SpatialWeights w, int n, int t, double[] y, List<double[]> x, List<string> names, string formula, SpatialOptions options, List<string> terms, Absorber absorber)
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

        /// <summary>log|I − aW|, or log|F'(I − aW)F| = log|I − aW| − log(1 − a).</summary>
        private double LD(double a) => _tw ? w.LogDet(a) - Math.Log(1 - a) : w.LogDet(a);

        private double LDd(double a) => _tw ? w.LogDetDerivative(a) + 1 / (1 - a) : w.LogDetDerivative(a);

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
            var iv = w.Interval();
            double rho = Maximise(r => Conc(LD(r), Sse(r)), r => -Obs * (r * a11 - a01) / Sse(r) + DetT * LDd(r), iv.Lower, iv.Upper);
            var b0 = qr.Solve(y);
            var b1 = qr.Solve(Wy);
            var beta = b0.Zip(b1, (u, v) => u - rho * v).ToArray();
            var e = e0.Zip(e1, (u, v) => u - rho * v).ToArray();
            double sse = Sse(rho);
            double s2 = Sigma2(sse);
            // Information matrix in (σ², ρ, β) (splm's sar information; Lee–Yu: T−1 and N(T−1)).
            int k = x.Count;
            var g = Star(GMatrix(rho));
            var xb = new double[Nt];
            for (int j = 0; j < k; j++) ThinQr.Axpy(beta[j], x[j], xb);
            var gxb = Apply(g, xb);
            var info = new double[k + 2, k + 2];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * Trace(g) / s2;
            info[1, 1] = Tm * (TraceSquare(g) + FrobeniusSquare(g)) + ThinQr.Dot(gxb, gxb) / s2;
            for (int j = 0; j < k; j++)
            {
                info[1, j + 2] = info[j + 2, 1] = ThinQr.Dot(x[j], gxb) / s2;
                for (int l = 0; l <= j; l++) info[j + 2, l + 2] = info[l + 2, j + 2] = ThinQr.Dot(x[j], x[l]) / s2;
            }
            var v = Invert(info);
            double ll = options.LeeYu ? Tm * LD(rho) - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * w.LogDet(rho), sse);
            var est = new[] { rho }.Concat(beta).ToArray();
            var impacts = Impacts.Exact(w, rho, beta[..terms.Count], options.Model == SpatialModel.Sdm ? beta[terms.Count..] : null, terms);
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
            var iv = w.Interval();
            double lam = Maximise(l => Conc(LD(l), ErrorSse(l, y, Wy)), l => ErrorDerivative(l, y, Wy), iv.Lower, iv.Upper);
            var (sse, beta, e, xs) = ErrorParts(lam);
            double s2 = Sigma2(sse);
            int k = x.Count;
            var h = Star(GMatrix(lam));
            var info = new double[k + 2, k + 2];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * Trace(h) / s2;
            info[1, 1] = Tm * (TraceSquare(h) + FrobeniusSquare(h));
            for (int j = 0; j < k; j++)
                for (int l = 0; l <= j; l++) info[j + 2, l + 2] = info[l + 2, j + 2] = ThinQr.Dot(xs[j], xs[l]) / s2;
            var v = Invert(info);
            double ll = options.LeeYu ? Tm * LD(lam) - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * w.LogDet(lam), sse);
            return Result(["lambda", .. names], [lam, .. beta], Sub(v, 1, k + 1), s2, Math.Sqrt(v[0, 0]), ll, e, null);
        }

        // ---- SAC: (I − λW)(I − ρW)ỹ = (I − λW)X̃β + e.
        public SpatialFit FitSac()
        {
            var iv = w.Interval();
            var w2y = Lag(Wy);
            double InnerLambda(double rho, out double[] yr, out double[] wyr)
            {
                // (I − ρW)ỹ and its W-lag; then the SEM problem in λ.
                var a = y.Zip(Wy, (u, v) => u - rho * v).ToArray();
                var b = Wy.Zip(w2y, (u, v) => u - rho * v).ToArray();
                yr = a; wyr = b;
                return Maximise(l => Conc(LD(l), ErrorSse(l, a, b)), l => ErrorDerivative(l, a, b), iv.Lower, iv.Upper);
            }
            double Profile(double rho)
            {
                double lam = InnerLambda(rho, out var a, out var b);
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
            double rho = Maximise(Profile, ProfileDerivative, iv.Lower, iv.Upper);
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
            var g = GMatrix(rho);
            var h = GMatrix(lamHat);
            var r = new double[n, n];
            var wd = w.Dense();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[i, j] = (i == j ? 1 : 0) - lamHat * wd[i, j];
            var rinv = Dense.Inverse(r) ?? throw new EstimationException("spatial panel: I − λW is singular at the estimate");
            var gd = Star(Dense.Multiply(Dense.Multiply(r, g), rinv));
            h = Star(h);
            var xb = new double[Nt];
            for (int j = 0; j < k; j++) ThinQr.Axpy(beta[j], xl[j], xb);
            var gdxb = Apply(gd, xb);
            var info = new double[k + 3, k + 3];
            info[0, 0] = NtM / (2 * s2 * s2);
            info[0, 1] = info[1, 0] = Tm * Trace(gd) / s2;
            info[0, 2] = info[2, 0] = Tm * Trace(h) / s2;
            info[1, 1] = ThinQr.Dot(gdxb, gdxb) / s2 + Tm * (TraceSquare(gd) + FrobeniusSquare(gd));
            info[1, 2] = info[2, 1] = Tm * (TraceProduct(h, gd) + TraceTransposeProduct(h, gd));
            info[2, 2] = Tm * (TraceSquare(h) + FrobeniusSquare(h));
            for (int j = 0; j < k; j++)
            {
                info[1, j + 3] = info[j + 3, 1] = ThinQr.Dot(gdxb, xl[j]) / s2;
                for (int l = 0; l <= j; l++) info[j + 3, l + 3] = info[l + 3, j + 3] = ThinQr.Dot(xl[j], xl[l]) / s2;
            }
            var v = Invert(info);
            double ld = LD(rho) + LD(lamHat);
            double ll = options.LeeYu ? Tm * ld - NtM / 2 * Math.Log(2 * Math.PI * s2) - sse / (2 * s2) : FullLl(t * ld, sse);
            var impacts = Impacts.Exact(w, rho, beta, null, terms);
            return Result(["rho", "lambda", .. names], [rho, lamHat, .. beta], Sub(v, 1, k + 2), s2, Math.Sqrt(v[0, 0]), ll, e, impacts);
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
                LogLik = ll, Terms = terms, Impacts = impacts, Residuals = e, Interval = w.Interval(),
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

    /// <summary>The canonical name of the effects.</summary>
    public static string Name(SpatialEffects e) => e == SpatialEffects.TwoWays ? "twoways" : "individual";
}
