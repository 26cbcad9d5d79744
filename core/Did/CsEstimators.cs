using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Did;

/// <summary>How Callaway–Sant'Anna estimates a group-time ATT with covariates (R did's <c>est_method</c>).</summary>
public enum CsEstimator
{
    /// <summary>Outcome regression (did's <c>"reg"</c>, DRDID's <c>reg_did_panel</c>).</summary>
    Regression,
    /// <summary>Normalised (Hajek) inverse probability weighting (did's <c>"ipw"</c>, DRDID's <c>std_ipw_did_panel</c>).</summary>
    Ipw,
    /// <summary>Doubly robust (did's default <c>"dr"</c>, DRDID's <c>drdid_panel</c>).</summary>
    DoublyRobust,
}

/// <summary>The base period of Callaway–Sant'Anna's pre-treatment cells (R did's <c>base_period</c>).</summary>
public enum CsBasePeriod
{
    /// <summary>Pre-treatment cells compare t with t − 1 (did's default <c>"varying"</c>).</summary>
    Varying,
    /// <summary>Every cell compares t with g − 1, the last period before adoption (did's <c>"universal"</c>); the cell t = g − 1 is 0 by construction.</summary>
    Universal,
}

/// <summary>Options of Callaway–Sant'Anna beyond the shared <see cref="DidOptions"/>.</summary>
public sealed record CsOptions
{
    /// <summary>The estimator with covariates; without covariates the three coincide with the 2×2 difference of mean changes. The default value is doubly robust (did's default).</summary>
    public CsEstimator Estimator { get; init; } = CsEstimator.DoublyRobust;

    /// <summary>The base period. The default value is varying (did's default).</summary>
    public CsBasePeriod BasePeriod { get; init; } = CsBasePeriod.Varying;
}

/// <summary>
/// The 2×2 estimators with covariates of Sant'Anna and Zhao (2020), transcribed from DRDID's panel functions (the versions R's
/// did 2.5 calls; unit weights 1) with their influence functions on the 2×2's own sample (DRDID's scale: SE = √(Σψ²)/n₁):
/// <list type="bullet">
/// <item>outcome regression: β from OLS of ΔY on X among controls; ATT = mean_T(ΔY) − mean_T(Xβ);</item>
/// <item>IPW: logit propensity p(X) by maximum likelihood, p capped at 1 − 10⁻⁶, controls with p ≥ 0.995 trimmed (weight 0);
/// ATT = Σ_T ΔY/n_T − Σ_C w ΔY / Σ_C w with w = p/(1 − p) (normalised weights);</item>
/// <item>doubly robust: the IPW form applied to ΔY − Xβ (did's <c>drdid_panel</c>).</item>
/// </list>
/// X is an intercept and the covariates, taken at the earlier period of the 2×2 (did's convention). The logit and the small
/// least-squares solves are written by hand: core has no GLM and adding a package for a p × p Newton step is not worth it.
/// </summary>
internal static class CsEstimators
{
    private const double PsCap = 1 - 1e-6, TrimLevel = 0.995;

    /// <summary>The ATT of one 2×2 and its influence function (length n₁, DRDID's scale).</summary>
    /// <param name="estimator">Which estimator.</param>
    /// <param name="dy">ΔY of the 2×2's units.</param>
    /// <param name="d">1 for the treated cohort, 0 for controls.</param>
    /// <param name="x">Rows: intercept then covariates, per unit.</param>
    /// <param name="where">The cell, for messages.</param>
    /// <exception cref="InputException">The controls' covariate matrix is singular, or the propensity score cannot be fitted.</exception>
    public static (double Att, double[] Inf) Estimate(CsEstimator estimator, double[] dy, bool[] d, double[][] x, string where)
    {
        int n = dy.Length, p = x[0].Length;
        double[] beta = [], ps = [];
        double[,] xpxInv = new double[0, 0], hessian = new double[0, 0];
        if (estimator != CsEstimator.Ipw)
        {
            // OLS among controls; XpX = Σ_C x x' / n (DRDID divides by the 2×2's n).
            var xpx = new double[p, p];
            var xy = new double[p];
            for (int i = 0; i < n; i++)
            {
                if (d[i]) continue;
                for (int a = 0; a < p; a++)
                {
                    xy[a] += x[i][a] * dy[i];
                    for (int b = 0; b < p; b++) xpx[a, b] += x[i][a] * x[i][b];
                }
            }
            var inv = Dense.InverseSpd(xpx) ?? throw new InputException($"{where}: the covariates are collinear among the control units; the outcome regression cannot be fitted");
            beta = Dense.MultiplyVector(inv, xy);
            xpxInv = Dense.Scale(inv, n);
        }
        if (estimator != CsEstimator.Regression)
        {
            var fitted = Logit(d, x, where);
            ps = new double[n];
            var w = new double[p, p];
            for (int i = 0; i < n; i++)
            {
                ps[i] = Math.Min(fitted[i], PsCap);
                double v = ps[i] * (1 - ps[i]);
                for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) w[a, b] += v * x[i][a] * x[i][b];
            }
            var inv = Dense.InverseSpd(w) ?? throw new InputException($"{where}: the propensity score's information matrix is singular; the covariates do not vary enough");
            hessian = Dense.Scale(inv, n);
        }
        var outDelta = new double[n];
        if (beta.Length > 0) for (int i = 0; i < n; i++) outDelta[i] = Dot(beta, x[i]);
        // Weights: treated 1; controls 1 (regression's treated-side average uses D) or trimmed p/(1 − p).
        var wT = new double[n];
        var wC = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (estimator == CsEstimator.Regression) { wT[i] = d[i] ? 1 : 0; wC[i] = wT[i]; continue; }
            bool keep = d[i] || ps[i] < TrimLevel;
            wT[i] = keep && d[i] ? 1 : 0;
            wC[i] = keep && !d[i] ? ps[i] / (1 - ps[i]) : 0;
        }
        double mwT = wT.Sum() / n, mwC = wC.Sum() / n;
        // The outcome each side averages: regression: ΔY (treated) and Xβ (their prediction); IPW: ΔY; DR: ΔY − Xβ.
        double YT(int i) => estimator == CsEstimator.DoublyRobust ? dy[i] - outDelta[i] : dy[i];
        double YC(int i) => estimator switch { CsEstimator.Regression => outDelta[i], CsEstimator.Ipw => dy[i], _ => dy[i] - outDelta[i] };
        double etaT = 0, etaC = 0;
        for (int i = 0; i < n; i++) { etaT += wT[i] * YT(i); etaC += wC[i] * YC(i); }
        etaT = etaT / n / mwT;
        etaC = etaC / n / mwC;
        var inf = new double[n];
        // Linear representations of the OLS and logit estimates: rows (1 − D)(ΔY − Xβ) x' (X'X/n)⁻¹ and (D − p) x' (X'WX/n)⁻¹.
        double[] OlsRep(int i) => d[i] ? new double[p] : Dense.MultiplyVector(xpxInv, [.. x[i].Select(v => v * (dy[i] - outDelta[i]))]);
        double[] PsRep(int i) => Dense.MultiplyVector(hessian, [.. x[i].Select(v => v * ((d[i] ? 1 : 0) - ps[i]))]);
        double[] ColMeans(Func<int, double> f)
        {
            var m = new double[p];
            for (int i = 0; i < n; i++) { double fi = f(i); for (int a = 0; a < p; a++) m[a] += fi * x[i][a]; }
            for (int a = 0; a < p; a++) m[a] /= n;
            return m;
        }
        switch (estimator)
        {
            case CsEstimator.Regression:
            {
                var m1 = ColMeans(i => wC[i]);
                for (int i = 0; i < n; i++)
                {
                    double infT = (wT[i] * dy[i] - wT[i] * etaT) / mwT;
                    double infC = (wC[i] * outDelta[i] - wC[i] * etaC + Dot(OlsRep(i), m1)) / mwC;
                    inf[i] = infT - infC;
                }
                break;
            }
            case CsEstimator.Ipw:
            {
                var m2 = ColMeans(i => wC[i] * (dy[i] - etaC));
                for (int i = 0; i < n; i++)
                {
                    double infT = (wT[i] * dy[i] - wT[i] * etaT) / mwT;
                    double infC = (wC[i] * dy[i] - wC[i] * etaC + Dot(PsRep(i), m2)) / mwC;
                    inf[i] = infT - infC;
                }
                break;
            }
            default:
            {
                var m1 = ColMeans(i => wT[i]);
                var m2 = ColMeans(i => wC[i] * (dy[i] - outDelta[i] - etaC));
                var m3 = ColMeans(i => wC[i]);
                for (int i = 0; i < n; i++)
                {
                    var ols = OlsRep(i);
                    double r = dy[i] - outDelta[i];
                    double infT = (wT[i] * r - wT[i] * etaT - Dot(ols, m1)) / mwT;
                    double infC = (wC[i] * r - wC[i] * etaC + Dot(PsRep(i), m2) - Dot(ols, m3)) / mwC;
                    inf[i] = infT - infC;
                }
                break;
            }
        }
        return (etaT - etaC, inf);
    }

    /// <summary>
    /// Maximum-likelihood logit of <paramref name="d"/> on the rows of <paramref name="x"/> (which hold the intercept) by Newton's
    /// method from β = 0 — the same estimate as R's glm(binomial) — run until the step is below 1e-13 (at most 100 steps).
    /// </summary>
    /// <exception cref="InputException">Singular information matrix or no convergence (e.g. perfect separation).</exception>
    internal static double[] Logit(bool[] d, double[][] x, string where)
    {
        int n = d.Length, p = x[0].Length;
        var beta = new double[p];
        var fitted = new double[n];
        for (int iter = 0; iter < 100; iter++)
        {
            var h = new double[p, p];
            var s = new double[p];
            for (int i = 0; i < n; i++)
            {
                double pi = 1 / (1 + Math.Exp(-Dot(beta, x[i])));
                fitted[i] = pi;
                double v = pi * (1 - pi), e = (d[i] ? 1 : 0) - pi;
                for (int a = 0; a < p; a++)
                {
                    s[a] += e * x[i][a];
                    for (int b = 0; b < p; b++) h[a, b] += v * x[i][a] * x[i][b];
                }
            }
            var inv = Dense.InverseSpd(h) ?? throw new InputException($"{where}: the propensity score cannot be fitted (singular information; the covariates may separate the cohort from its controls)");
            var step = Dense.MultiplyVector(inv, s);
            double size = 0, scale = 0;
            for (int a = 0; a < p; a++) { beta[a] += step[a]; size = Math.Max(size, Math.Abs(step[a])); scale = Math.Max(scale, Math.Abs(beta[a])); }
            if (size <= 1e-13 * Math.Max(1, scale))
            {
                for (int i = 0; i < n; i++) fitted[i] = 1 / (1 + Math.Exp(-Dot(beta, x[i])));
                return fitted;
            }
        }
        throw new InputException($"{where}: the propensity score did not converge in 100 Newton steps (the covariates may separate the cohort from its controls)");
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }
}
