using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Resampling;

/// <summary>The bootstrap data-generating process of the wild cluster bootstrap.</summary>
public enum WildType
{
    /// <summary>WCR: residuals of the model with the null imposed (the default; better size with few clusters).</summary>
    Restricted,
    /// <summary>WCU: residuals of the unrestricted model; the bootstrap t is centred at the estimate.</summary>
    Unrestricted,
}

/// <summary>The distribution of the wild weights, one draw per cluster (mean 0, variance 1).</summary>
public enum WildWeights
{
    /// <summary>±1 with probability 1/2 each (the default).</summary>
    Rademacher,
    /// <summary>Webb's six points ±√(1/2), ±1, ±√(3/2), each with probability 1/6.</summary>
    Webb,
    /// <summary>Mammen's two points: −(√5−1)/2 with probability (√5+1)/(2√5), else (√5+1)/2.</summary>
    Mammen,
}

/// <summary>Which p-value the bootstrap reports (boottest / wildboottest conventions).</summary>
public enum WildPValue
{
    /// <summary>Symmetric two-sided: the share of draws with |t*| &gt; |t| (ties, within 1e-12·|t|, not counted). The default.</summary>
    Symmetric,
    /// <summary>Equal-tailed: 2·min(share t* &lt; t, share t* &gt; t), at most 1.</summary>
    EqualTailed,
    /// <summary>One-sided against β &gt; r: the share of draws with t* &gt; t.</summary>
    Upper,
    /// <summary>One-sided against β &lt; r: the share of draws with t* &lt; t.</summary>
    Lower,
}

/// <summary>
/// The sufficient statistics of a block of bootstrap draws [First, First + Count). For draw b and a null
/// value r the bootstrap t is t*_b(r) = (N0_b − r·N1_b) / √(f·(Q00_b − 2r·Q01_b + r²·Q11_b)), with f the
/// small-sample factor of the cluster variance (for WCU N1 = Q01 = Q11 = 0 and t* does not depend on r).
/// Blocks computed anywhere, in any order, are joined with <see cref="Concat"/>.
/// </summary>
/// <param name="First">Index of the first draw.</param>
/// <param name="N0">Numerator constant per draw.</param>
/// <param name="N1">Numerator slope in r per draw.</param>
/// <param name="Q00">Constant of the quadratic Σ_g D_g(r)² per draw.</param>
/// <param name="Q01">Minus half the linear coefficient of that quadratic per draw.</param>
/// <param name="Q11">Quadratic coefficient per draw.</param>
public sealed record WildDraws(long First, double[] N0, double[] N1, double[] Q00, double[] Q01, double[] Q11)
{
    /// <summary>Number of draws in the block.</summary>
    public int Count => N0.Length;

    /// <summary>Joins blocks that together cover a contiguous range of draw indices (given in any order).</summary>
    /// <exception cref="ArgumentException">The blocks overlap or leave a gap.</exception>
    public static WildDraws Concat(IEnumerable<WildDraws> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var list = blocks.OrderBy(b => b.First).ToList();
        if (list.Count == 0) throw new ArgumentException("no blocks to join", nameof(blocks));
        for (int i = 1; i < list.Count; i++)
            if (list[i].First != list[i - 1].First + list[i - 1].Count)
                throw new ArgumentException($"blocks are not contiguous: draws [{list[i - 1].First}, {list[i - 1].First + list[i - 1].Count}) then [{list[i].First}, …)", nameof(blocks));
        double[] Join(Func<WildDraws, double[]> part) => list.SelectMany(part).ToArray();
        return new WildDraws(list[0].First, Join(b => b.N0), Join(b => b.N1), Join(b => b.Q00), Join(b => b.Q01), Join(b => b.Q11));
    }
}

/// <summary>The result of a wild cluster bootstrap test of one coefficient.</summary>
/// <param name="Term">The coefficient tested.</param>
/// <param name="Null">The null value r of H0: β = r.</param>
/// <param name="Type">WCR or WCU.</param>
/// <param name="Weights">The weight distribution.</param>
/// <param name="PValueKind">Which p-value <paramref name="PValue"/> is.</param>
/// <param name="Estimate">The coefficient's estimate.</param>
/// <param name="Statistic">The t statistic (β̂ − r)/SE with the analytic CR1 cluster SE of the fit.</param>
/// <param name="PValue">The bootstrap p-value.</param>
/// <param name="Draws">Number of bootstrap draws B (2^G under full enumeration).</param>
/// <param name="Enumerated">True when all 2^G Rademacher sign vectors were used (no random numbers; exact).</param>
/// <param name="Clusters">Number of clusters G.</param>
/// <param name="ConfLow">Lower limit of the interval by test inversion (−∞ when the test never rejects below the estimate).</param>
/// <param name="ConfHigh">Upper limit (+∞ when the test never rejects above the estimate).</param>
/// <param name="Level">Confidence level of the interval.</param>
/// <param name="Seed">Seed of the random streams (unused under enumeration).</param>
/// <param name="SmallSampleFactor">The CR1 factor f in t and t*.</param>
public sealed record WildResult(
    string Term, double Null, WildType Type, WildWeights Weights, WildPValue PValueKind, double Estimate, double Statistic, double PValue,
    long Draws, bool Enumerated, int Clusters, double ConfLow, double ConfHigh, double Level, long Seed, double SmallSampleFactor);

/// <summary>Options of <see cref="WildBootstrap.Run"/>, with documented defaults.</summary>
public sealed record WildOptions
{
    /// <summary>The null value r of H0: β = r. The default value is 0.</summary>
    public double Null { get; init; }

    /// <summary>WCR or WCU. The default value is <see cref="WildType.Restricted"/>.</summary>
    public WildType Type { get; init; } = WildType.Restricted;

    /// <summary>The weights. The default value is <see cref="WildWeights.Rademacher"/>.</summary>
    public WildWeights Weights { get; init; } = WildWeights.Rademacher;

    /// <summary>Which p-value to report. The default value is <see cref="WildPValue.Symmetric"/>.</summary>
    public WildPValue PValue { get; init; } = WildPValue.Symmetric;

    /// <summary>Number of draws B. With Rademacher weights and 2^G ≤ B all 2^G sign vectors are enumerated instead. The default value is 9 999.</summary>
    public int Replications { get; init; } = 9999;

    /// <summary>Seed of the counter-based streams. The default value is 0.</summary>
    public long Seed { get; init; }

    /// <summary>Stream key (e.g. the specification id), so different tests draw different numbers. The default value is "wild".</summary>
    public string Key { get; init; } = "wild";

    /// <summary>Confidence level of the inverted interval; null takes the estimation options' level.</summary>
    public double? Level { get; init; }

    /// <summary>Bisection tolerance of the interval limits, relative to the analytic SE. The default value is 1e-9.</summary>
    public double Tolerance { get; init; } = 1e-9;
}

/// <summary>
/// Wild cluster bootstrap of one coefficient of a linear (pooled OLS or fixed-effects) model with one-way
/// clustered errors, by the fast algorithm of Roodman, MacKinnon, Nielsen &amp; Webb (2019, "Fast and wild").
/// </summary>
/// <remarks>
/// <para>Fixed effects are projected out (Frisch–Waugh–Lovell): X̃, ỹ are the within-transformed data, A = (X̃'X̃)⁻¹,
/// a = A e_j for the tested coefficient j, q = X̃a. WCR residuals are ü(r) = ü₀ − r·m with ü₀ = M ỹ, m = M x̃_j and
/// M the residual maker of the other regressors (and the fixed effects); WCU residuals are û. A draw v (one weight
/// per cluster) gives y* = fitted + ü∘v; its refit has β*_j − r = Σ_h v_h q_h'ü_h and cluster scores
/// a'X̃_g'u*_g = Σ_h C_gh v_h with C_gh = δ_gh q_h'ü_h − q_g'(P_D z_h)_g − (X̃_g'q_g)'A X̃_h'ü_h, z_h = ü restricted
/// to cluster h and P_D the projection on the fixed effects. The P_D term is non-zero only through fixed-effect
/// levels that span several clusters; it has rank r ≤ (their number) and is formed from r demeanings of basis
/// vectors z_h. So the per-cluster statistics are formed once (cost O(N·(k + r))) and each draw costs O(G·(k + r)),
/// independent of N; there is no refit per draw. Everything is linear in the null value r, so a draw is kept as
/// five numbers and t*_b(r) is O(1) for any r: the interval by test inversion costs O(B) per evaluated r.</para>
/// <para>The bootstrapped statistic is t = (β̂_j − r)/√(f·V_jj) with the CR1 factor f of the analytic cluster
/// variance under the estimation's small-sample convention (<see cref="SmallSample"/>); the same f enters t*, so the
/// p-value does not depend on it, and neither does the inverted interval. Under WCR the observed t is computed as
/// the draw with all weights 1, so the sign vectors ±1 reproduce |t| bit for bit and count as ties.</para>
/// <para>Draw b uses the counter-based stream (seed, key, b) (<see cref="CounterRng.InFamily"/>): a block of draws gives the same numbers wherever and
/// in whatever split it is computed. Under full enumeration draw b is the sign vector whose cluster h weight is −1
/// when bit h of b is set (b = 0 is all +1).</para>
/// </remarks>
public static class WildBootstrap
{
    /// <summary>Prepares the per-cluster sufficient statistics for testing <paramref name="term"/>.</summary>
    /// <exception cref="InputException">No single cluster column, an estimator other than OLS or within, weights, a term not in the model.</exception>
    /// <exception cref="EstimationException">The model cannot be fitted (see <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/>).</exception>
    public static WildProblem Prepare(Panel panel, Formula formula, EstimationOptions options, string term, WildType type = WildType.Restricted)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(term);
        if (options.Vcov.Kind != VcovKind.Cluster || options.Vcov.ClusterColumns.Count != 1)
            throw new InputException("the wild cluster bootstrap needs one-way clustered errors: add --vcov cluster:COL");
        if (options.Weights is not null)
            throw new InputException($"the wild cluster bootstrap does not support weights; drop --weights {options.Weights} or use the analytic cluster variance");
        var kind = options.Estimator ?? ModelSpec.DefaultEstimator(formula);
        if (kind is not (EstimatorKind.Ols or EstimatorKind.Within))
            throw new InputException($"the wild cluster bootstrap is implemented for pooled OLS and fixed-effects (within) models, not {Estimation.Name(kind)}");
        var (fit, fitted) = Estimation.FitLinearKept(panel, formula, options);
        return Prepare(fit, fitted, term, type);
    }

    /// <summary>
    /// Prepares the wild bootstrap of <paramref name="term"/> from a kept fit: its demeaned kept regressors and response,
    /// absorber, fixed-effect and cluster codes are the fit's own (nothing is rebuilt or demeaned again).
    /// </summary>
    internal static WildProblem Prepare(RegressionResult fit, FittedModel fitted, string term, WildType type)
    {
        var coef = fit.Coefficients.FirstOrDefault(c => c.Term == term)
            ?? throw new InputException($"'{term}' is not a coefficient of the model; coefficients: {string.Join(", ", fit.Coefficients.Select(c => c.Term))}");
        var d = fitted.Design ?? throw new ArgumentException("the wild bootstrap needs a fit with its own design", nameof(fitted));
        int j = fit.Coefficients.ToList().IndexOf(coef);
        return new WildProblem(fit, coef, j, fitted.Xk, fitted.DemeanedY, d.ClusterCodes[0], fitted.Absorber, d.FeCodes, type);
    }

    /// <summary>Prepares, draws B (or enumerates 2^G) and summarises: the p-value at the null and the interval.</summary>
    /// <exception cref="InputException">See <see cref="Prepare(Panel, Formula, EstimationOptions, string, WildType)"/>; fewer than one replication.</exception>
    public static WildResult Run(Panel panel, Formula formula, EstimationOptions options, string term, WildOptions wild)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(wild);
        if (wild.Replications < 1) throw new InputException($"--reps {wild.Replications}: expected at least 1 bootstrap draw");
        var problem = Prepare(panel, formula, options, term, wild.Type);
        bool enumerate = problem.CanEnumerate(wild.Weights, wild.Replications);
        int b = enumerate ? 1 << problem.Clusters : wild.Replications;
        var draws = enumerate ? problem.Enumerate(0, b) : problem.Draw(wild.Weights, wild.Seed, wild.Key, 0, b);
        return problem.Summarise(draws, wild.Null, wild.Level ?? options.ConfidenceLevel, wild.PValue, enumerate, wild.Weights, wild.Seed, wild.Tolerance);
    }

    private static readonly double[] WebbPoints = [-Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5)];

    /// <summary>
    /// The weights of draw <paramref name="draw"/> for <paramref name="clusters"/> clusters from stream
    /// <c>CounterRng.InFamily(CounterRng.Family(seed, key), draw)</c>:
    /// Rademacher from successive bits of 64-bit words, Webb from uniform integers in [0, 6), Mammen from uniforms.
    /// </summary>
    public static double[] DrawWeights(WildWeights weights, int clusters, long seed, string key, long draw)
    {
        var v = new double[clusters];
        FillWeights(v, weights, CounterRng.Family(seed, key), draw);
        return v;
    }

    /// <summary>Sign vector <paramref name="index"/> of the 2^G enumeration: cluster h gets −1 when bit h is set, else +1.</summary>
    public static double[] SignVector(int clusters, long index)
    {
        var v = new double[clusters];
        for (int h = 0; h < clusters; h++) v[h] = ((index >> h) & 1) == 1 ? -1 : 1;
        return v;
    }

    internal static void FillWeights(double[] v, WildWeights weights, ulong family, long draw)
    {
        var rng = CounterRng.InFamily(family, draw);
        switch (weights)
        {
            case WildWeights.Rademacher:
                ulong word = 0;
                for (int h = 0; h < v.Length; h++)
                {
                    if ((h & 63) == 0) word = rng.NextUInt64();
                    v[h] = ((word >> (h & 63)) & 1) == 1 ? -1 : 1;
                }
                break;
            case WildWeights.Webb:
                for (int h = 0; h < v.Length; h++) v[h] = WebbPoints[rng.NextInt(6)];
                break;
            default:
                double s5 = Math.Sqrt(5);
                double p = (s5 + 1) / (2 * s5);
                for (int h = 0; h < v.Length; h++) v[h] = rng.NextDouble() < p ? -(s5 - 1) / 2 : (s5 + 1) / 2;
                break;
        }
    }
}

/// <summary>
/// The per-cluster sufficient statistics of a wild cluster bootstrap test (see <see cref="WildBootstrap"/>),
/// formed once; draws are computed in blocks from them at a cost independent of N.
/// </summary>
public sealed class WildProblem
{
    private readonly int _g, _k, _r, _j, _comps;
    private readonly double[,] _a;       // (X̃'X̃)⁻¹, k × k
    private readonly double[] _rg;       // X̃_g'q_g, g-major [g*k + p]
    private readonly double[] _w;        // q_g'(P_D ζ_b)_g, g-major [g*r + b]
    private readonly double[][] _n;      // per component: q_h'res_h, [h]
    private readonly double[][] _s;      // per component: X̃_h'res_h, h-major [h*k + p]
    private readonly double[][] _gamma;  // per component: basis coefficients, b-major [b*G + h]
    private readonly double _factor;
    private readonly WildDraws _observed;
    private readonly int _m;              // r + k
    private readonly double[] _left;      // L = [W, R·A], g-major [g*m + a]
    private readonly double[][] _right;   // per component: P_c, row-major [(a)*G + h], rows 0..m (m: n_c)

    internal WildProblem(RegressionResult fit, Coefficient coef, int j, List<double[]> x, double[] y, int[] cluster, Absorber absorber, List<int[]> feCodes, WildType type)
    {
        Term = coef.Term;
        Type = type;
        Estimate = coef.Estimate;
        StdError = coef.StdError;
        Fit = fit;
        _factor = fit.SmallSampleFactor;
        _j = j;
        int n = y.Length, k = x.Count;
        _k = k;
        int g = 0;
        foreach (int c in cluster) g = Math.Max(g, c + 1);
        _g = g;
        var solver = new GramSolver(x, null, Collinearity.Gram);
        _a = solver.InverseCrossProduct();
        var q = new double[n];
        for (int p = 0; p < k; p++) ThinQr.Axpy(_a[p, j], x[p], q);
        // The residual vectors whose cluster pieces are wild-weighted: WCR ü₀ = M₋ⱼỹ and m = M₋ⱼx̃ⱼ; WCU û.
        List<double[]> res;
        if (type == WildType.Unrestricted)
        {
            solver.Solve(y, out var u);
            res = [u];
        }
        else
        {
            var others = x.Where((_, i) => i != j).ToList();
            if (others.Count == 0) res = [(double[])y.Clone(), (double[])x[j].Clone()];
            else
            {
                var s = new GramSolver(others, null, Collinearity.Gram);
                s.Solve(y, out var u0);
                s.Solve(x[j], out var m);
                res = [u0, m];
            }
        }
        _comps = res.Count;
        _rg = new double[g * k];
        for (int i = 0; i < n; i++)
        {
            int o = cluster[i] * k;
            for (int p = 0; p < k; p++) _rg[o + p] += x[p][i] * q[i];
        }
        _n = new double[_comps][];
        _s = new double[_comps][];
        for (int c = 0; c < _comps; c++)
        {
            var e = res[c];
            var nn = new double[g];
            var ss = new double[g * k];
            for (int i = 0; i < n; i++)
            {
                int h = cluster[i];
                nn[h] += q[i] * e[i];
                int o = h * k;
                for (int p = 0; p < k; p++) ss[o + p] += x[p][i] * e[i];
            }
            _n[c] = nn;
            _s[c] = ss;
        }
        (_r, _w, _gamma) = FixedEffectTerm(res, q, cluster, g, absorber, feCodes);
        // Per draw D_c = n_c∘v − L·(P_c v) with L = [W, R·A] (G × m) and P_c = [Γ_c; S_c'; n_c'] ((m + 1) × G), whose
        // last row gives the numerator Σ_h n_c,h v_h.
        _m = _r + k;
        _left = new double[g * _m];
        for (int gg = 0; gg < g; gg++)
        {
            for (int b = 0; b < _r; b++) _left[gg * _m + b] = _w[gg * _r + b];
            for (int p = 0; p < k; p++)
            {
                double acc = 0;
                for (int t = 0; t < k; t++) acc += _rg[gg * k + t] * _a[t, p];
                _left[gg * _m + _r + p] = acc;
            }
        }
        _right = new double[_comps][];
        for (int c = 0; c < _comps; c++)
        {
            var pr = new double[(_m + 1) * g];
            for (int b = 0; b < _r; b++) Array.Copy(_gamma[c], b * g, pr, b * g, g);
            for (int p = 0; p < k; p++) for (int h = 0; h < g; h++) pr[(_r + p) * g + h] = _s[c][h * k + p];
            Array.Copy(_n[c], 0, pr, _m * g, g);
            _right[c] = pr;
        }
        // The observed statistic: under WCR the draw with all weights 1 (so ±1 reproduce it exactly, lane for lane the
        // same arithmetic); under WCU the numerator is β̂ − r and the denominator that of the all-ones draw (the
        // original scores).
        var obs = NewDraws(0, 1);
        ComputeBlock((v, _) => Array.Fill(v, 1.0), 0, 1, obs, 0, new Work(this));
        if (type == WildType.Unrestricted) { obs.N0[0] = Estimate; obs.N1[0] = 1; }
        _observed = obs;
    }

    /// <summary>The coefficient tested.</summary>
    public string Term { get; }

    /// <summary>WCR or WCU.</summary>
    public WildType Type { get; }

    /// <summary>The coefficient's estimate.</summary>
    public double Estimate { get; }

    /// <summary>Its analytic cluster-robust (CR1) standard error.</summary>
    public double StdError { get; }

    /// <summary>The full fit of the model.</summary>
    public RegressionResult Fit { get; }

    /// <summary>Number of clusters G.</summary>
    public int Clusters => _g;

    /// <summary>Rank of the fixed-effects term of the score matrix (0 when every fixed-effect level lies inside one cluster).</summary>
    public int FixedEffectRank => _r;

    /// <summary>True when <paramref name="weights"/> is Rademacher and 2^G ≤ <paramref name="replications"/>: then all sign vectors are enumerated.</summary>
    public bool CanEnumerate(WildWeights weights, int replications) =>
        weights == WildWeights.Rademacher && _g < 31 && (1L << _g) <= replications;

    /// <summary>The observed statistic t(r) = (β̂ − r)/SE.</summary>
    public double Statistic(double nullValue) => T(_observed, 0, nullValue);

    /// <summary>The bootstrap statistic t*_b(r) of draw <paramref name="index"/> of <paramref name="draws"/> (0-based within the block).</summary>
    public double Statistic(WildDraws draws, int index, double nullValue)
    {
        ArgumentNullException.ThrowIfNull(draws);
        return T(draws, index, nullValue);
    }

    private double T(WildDraws d, int i, double r) =>
        (d.N0[i] - r * d.N1[i]) / Math.Sqrt(_factor * (d.Q00[i] - 2 * r * d.Q01[i] + r * r * d.Q11[i]));

    /// <summary>Draws [first, first + count) with weights from the streams (seed, key, draw).</summary>
    public WildDraws Draw(WildWeights weights, long seed, string key, long first, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong family = CounterRng.Family(seed, key);
        return Run(first, count, (v, b) => WildBootstrap.FillWeights(v, weights, family, b));
    }

    /// <summary>Sign vectors [first, first + count) of the 2^G enumeration (no random numbers).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves [0, 2^G).</exception>
    public WildDraws Enumerate(long first, int count)
    {
        if (_g > 62 || first < 0 || first + count > (1L << _g))
            throw new ArgumentOutOfRangeException(nameof(count), $"sign vectors [{first}, {first + count}) are outside [0, 2^{_g})");
        return Run(first, count, (v, b) =>
        {
            for (int h = 0; h < v.Length; h++) v[h] = ((b >> h) & 1) == 1 ? -1 : 1;
        });
    }

    private static WildDraws NewDraws(long first, int count) =>
        new(first, new double[count], new double[count], new double[count], new double[count], new double[count]);

    /// <summary>Draws per block: a multiple of every SIMD width, small enough for the block to stay in cache.</summary>
    private const int Block = 32;

    private WildDraws Run(long first, int count, Action<double[], long> weights)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must not be negative");
        var result = NewDraws(first, count);
        int blocks = (count + Block - 1) / Block;
        // Each draw depends only on its own index (each SIMD lane does the same operations in the same order), so
        // neither the block boundaries nor the split across threads changes any number.
        Parallel.For(0, blocks, () => new Work(this), (c, _, work) =>
        {
            int start = c * Block;
            ComputeBlock(weights, first + start, Math.Min(Block, count - start), result, start, work);
            return work;
        }, _ => { });
        return result;
    }

    private sealed class Work(WildProblem p)
    {
        public readonly double[] V = new double[p._g * Block];
        public readonly double[] One = new double[p._g];
        public readonly double[][] Y = [new double[(p._m + 1) * Block], new double[(p._m + 1) * Block]];
        public readonly double[] Q = new double[3 * Block];
    }

    /// <summary>
    /// Draws [first, first + count) (count ≤ Block) into <paramref name="into"/> at <paramref name="at"/>: Y_c = P_c V,
    /// D_c = n_c∘V − L Y_c, then the quadratic forms of D — O(G·m) per draw, vectorised across the draws of the block.
    /// </summary>
    private void ComputeBlock(Action<double[], long> weights, long first, int count, WildDraws into, int at, Work w)
    {
        int g = _g, m = _m, lanes = System.Numerics.Vector<double>.Count;
        var v = w.V;
        Array.Clear(v);
        for (int d = 0; d < count; d++)
        {
            weights(w.One, first + d);
            for (int h = 0; h < g; h++) v[h * Block + d] = w.One[h];
        }
        var vs = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(v);
        int perRow = Block / lanes;
        for (int c = 0; c < _comps; c++)
        {
            var ys = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(w.Y[c].AsSpan());
            var pr = _right[c];
            for (int a = 0; a <= m; a++)
            {
                int row = a * g, yo = a * perRow;
                for (int l = 0; l < perRow; l++)
                {
                    var acc = System.Numerics.Vector<double>.Zero;
                    for (int h = 0; h < g; h++) acc += new System.Numerics.Vector<double>(pr[row + h]) * vs[h * perRow + l];
                    ys[yo + l] = acc;
                }
            }
        }
        var y0 = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(w.Y[0]);
        var y1 = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(w.Y[_comps - 1]);
        var n0 = _right[0];
        var n1 = _right[_comps - 1];
        for (int l = 0; l < perRow; l++)
        {
            var q00 = System.Numerics.Vector<double>.Zero;
            var q01 = System.Numerics.Vector<double>.Zero;
            var q11 = System.Numerics.Vector<double>.Zero;
            for (int h = 0; h < g; h++)
            {
                var vh = vs[h * perRow + l];
                int lo = h * m;
                var d0 = new System.Numerics.Vector<double>(n0[m * g + h]) * vh;
                for (int a = 0; a < m; a++) d0 -= new System.Numerics.Vector<double>(_left[lo + a]) * y0[a * perRow + l];
                q00 += d0 * d0;
                if (_comps == 2)
                {
                    var d1 = new System.Numerics.Vector<double>(n1[m * g + h]) * vh;
                    for (int a = 0; a < m; a++) d1 -= new System.Numerics.Vector<double>(_left[lo + a]) * y1[a * perRow + l];
                    q01 += d0 * d1;
                    q11 += d1 * d1;
                }
            }
            for (int e = 0; e < lanes; e++)
            {
                int d = l * lanes + e;
                if (d >= count) break;
                into.N0[at + d] = y0[m * perRow + l][e];
                into.N1[at + d] = _comps == 2 ? y1[m * perRow + l][e] : 0;
                into.Q00[at + d] = q00[e];
                into.Q01[at + d] = q01[e];
                into.Q11[at + d] = q11[e];
            }
        }
    }

    /// <summary>
    /// The fixed-effects term q_g'(P_D z_h)_g of the score matrix as W Γ. P_D z depends on z only through D'z, whose
    /// entries at levels inside one cluster vanish (residuals sum to zero within every level); at the levels that
    /// span clusters the columns D'z_h span a space of dimension r. Basis columns are chosen by pivoted Gram–Schmidt,
    /// projected once each (z − demeaned z), and every column is expressed in the basis (Γ).
    /// </summary>
    private static (int R, double[] W, double[][] Gamma) FixedEffectTerm(List<double[]> res, double[] q, int[] cluster, int g, Absorber absorber, List<int[]> feCodes)
    {
        int n = q.Length, comps = res.Count;
        // Levels spanning more than one cluster, numbered across factors.
        var split = new List<int[]>();
        int ls = 0;
        foreach (var codes in feCodes)
        {
            int levels = 0;
            foreach (int c in codes) levels = Math.Max(levels, c + 1);
            var owner = new int[levels];
            Array.Fill(owner, -1);
            var isSplit = new bool[levels];
            for (int i = 0; i < n; i++)
            {
                int o = owner[codes[i]];
                if (o == -1) owner[codes[i]] = cluster[i];
                else if (o != cluster[i]) isSplit[codes[i]] = true;
            }
            var index = new int[levels];
            for (int l = 0; l < levels; l++) index[l] = isSplit[l] ? ls++ : -1;
            split.Add(index);
        }
        var empty = Enumerable.Range(0, comps).Select(_ => Array.Empty<double>()).ToArray();
        if (ls == 0) return (0, [], empty);
        // Columns D'z_h (level-major within a column): column (c, h) at cols[c * g + h].
        int m = comps * g;
        var cols = new double[m][];
        for (int c = 0; c < m; c++) cols[c] = new double[ls];
        for (int c = 0; c < comps; c++)
        {
            var e = res[c];
            for (int f = 0; f < feCodes.Count; f++)
            {
                var codes = feCodes[f]; var index = split[f];
                for (int i = 0; i < n; i++)
                {
                    int l = index[codes[i]];
                    if (l >= 0) cols[c * g + cluster[i]][l] += e[i];
                }
            }
        }
        // Pivoted modified Gram–Schmidt on copies; coordinates of every column in the orthonormal basis.
        double maxNorm = 0;
        foreach (var col in cols) maxNorm = Math.Max(maxNorm, Norm2(col));
        var work = cols.Select(c => (double[])c.Clone()).ToArray();
        var basis = new List<double[]>();
        var chosen = new List<int>();
        while (basis.Count < ls && maxNorm > 0)
        {
            int best = -1; double bestNorm = 0;
            for (int c = 0; c < m; c++) { double nn = Norm2(work[c]); if (nn > bestNorm) { bestNorm = nn; best = c; } }
            if (best < 0 || bestNorm <= 1e-20 * maxNorm) break; // 1e-10 of the largest column norm
            double len = Math.Sqrt(bestNorm);
            var qv = work[best].Select(z => z / len).ToArray();
            basis.Add(qv);
            chosen.Add(best);
            for (int c = 0; c < m; c++)
            {
                double dot = 0;
                for (int l = 0; l < ls; l++) dot += qv[l] * work[c][l];
                for (int l = 0; l < ls; l++) work[c][l] -= dot * qv[l];
            }
        }
        int r = basis.Count;
        if (r == 0) return (0, [], empty);
        // Coordinates Y (r × m) of the original columns; R = Y restricted to the chosen columns is upper triangular.
        var y = new double[r, m];
        for (int b = 0; b < r; b++)
            for (int c = 0; c < m; c++)
            {
                double dot = 0;
                for (int l = 0; l < ls; l++) dot += basis[b][l] * cols[c][l];
                y[b, c] = dot;
            }
        var rr = new double[r, r];
        for (int b = 0; b < r; b++) for (int a = 0; a <= b; a++) rr[a, b] = y[a, chosen[b]];
        var gamma = new double[comps][];
        for (int c = 0; c < comps; c++) gamma[c] = new double[r * g];
        var col2 = new double[r];
        for (int c = 0; c < m; c++)
        {
            for (int b = 0; b < r; b++) col2[b] = y[b, c];
            var coef = Dense.BackSubstitute(rr, col2);
            int comp = c / g, h = c % g;
            for (int b = 0; b < r; b++) gamma[comp][b * g + h] = coef[b];
        }
        // W_gb = q_g'(P_D ζ_b)_g with ζ_b the chosen residual piece and P_D ζ = ζ − demeaned ζ.
        var w = new double[g * r];
        var zeta = new double[n];
        for (int b = 0; b < r; b++)
        {
            int comp = chosen[b] / g, h = chosen[b] % g;
            var e = res[comp];
            for (int i = 0; i < n; i++) zeta[i] = cluster[i] == h ? e[i] : 0;
            var dm = absorber.Demean(zeta);
            for (int i = 0; i < n; i++) w[cluster[i] * r + b] += q[i] * (zeta[i] - dm[i]);
        }
        return (r, w, gamma);
    }

    private static double Norm2(double[] a) { double s = 0; foreach (double v in a) s += v * v; return s; }

    /// <summary>
    /// The bootstrap p-value of H0: β = <paramref name="nullValue"/> from <paramref name="draws"/> (all B of them): the share
    /// of draws whose t* is more extreme than t (<see cref="WildPValue"/>), ties (within 1e-12·|t|) not counted, over B.
    /// </summary>
    public double PValue(WildDraws draws, double nullValue, WildPValue kind = WildPValue.Symmetric)
    {
        ArgumentNullException.ThrowIfNull(draws);
        double t = Statistic(nullValue);
        long above = 0, below = 0, absAbove = 0;
        double at = Math.Abs(t);
        // Ties are not counted. Draws that reproduce t in exact arithmetic (WCR: every weight equal, e.g. the Rademacher
        // vectors ±1 — bit for bit — or a constant Mammen or Webb vector, to rounding) differ from it by rounding only,
        // so differences within 1e-12·|t| count as ties.
        double tol = 1e-12 * at;
        for (int i = 0; i < draws.Count; i++)
        {
            double s = T(draws, i, nullValue);
            if (s > t + tol) above++;
            if (s < t - tol) below++;
            if (Math.Abs(s) > at + tol) absAbove++;
        }
        double b = draws.Count;
        return kind switch
        {
            WildPValue.Symmetric => absAbove / b,
            WildPValue.EqualTailed => Math.Min(1, 2 * Math.Min(above, below) / b),
            WildPValue.Upper => above / b,
            _ => below / b,
        };
    }

    /// <summary>
    /// The confidence interval by test inversion: the limits are where the p-value (symmetric, or equal-tailed when
    /// asked; one-sided choices use the symmetric one) crosses 1 − level. From the estimate the search steps outward
    /// (SE·t-critical, doubling) to the first rejected value, then bisects to <paramref name="tolerance"/>·SE; the
    /// limit returned is the last value not rejected (p &gt; 1 − level). When no value within 2^40 SE is rejected the
    /// limit is infinite.
    /// </summary>
    public (double Low, double High) ConfidenceInterval(WildDraws draws, double level, WildPValue kind = WildPValue.Symmetric, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var k = kind == WildPValue.EqualTailed ? WildPValue.EqualTailed : WildPValue.Symmetric;
        double alpha = 1 - level;
        bool Inside(double r) => PValue(draws, r, k) > alpha;
        double se = StdError > 0 && double.IsFinite(StdError) ? StdError : Math.Max(Math.Abs(Estimate), 1);
        double step = se * Distributions.CriticalValue(level, Math.Max(1, _g - 1));
        double Limit(int sign)
        {
            double inside = Estimate, dist = step;
            double outside = double.NaN;
            for (int it = 0; it < 80; it++)
            {
                double r = Estimate + sign * dist;
                if (!Inside(r)) { outside = r; break; }
                inside = r;
                dist *= 2;
                if (dist > se * 1099511627776.0) break;
            }
            if (double.IsNaN(outside)) return sign * double.PositiveInfinity;
            double tol = tolerance * se;
            while (Math.Abs(outside - inside) > tol)
            {
                double mid = 0.5 * (inside + outside);
                if (mid == inside || mid == outside) break;
                if (Inside(mid)) inside = mid; else outside = mid;
            }
            return inside;
        }
        return (Limit(-1), Limit(+1));
    }

    /// <summary>The test at <paramref name="nullValue"/> and the interval, from draws covering [0, B).</summary>
    /// <exception cref="ArgumentException">The draws do not start at 0.</exception>
    public WildResult Summarise(WildDraws draws, double nullValue, double level, WildPValue kind, bool enumerated, WildWeights weights, long seed, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.First != 0) throw new ArgumentException($"the summary needs every draw from 0; this block starts at {draws.First}", nameof(draws));
        var (lo, hi) = ConfidenceInterval(draws, level, kind, tolerance);
        return new WildResult(Term, nullValue, Type, weights, kind, Estimate, Statistic(nullValue), PValue(draws, nullValue, kind),
            draws.Count, enumerated, _g, lo, hi, level, seed, _factor);
    }
}
