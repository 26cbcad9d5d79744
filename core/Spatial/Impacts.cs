using DigitalEconomy.Core.Resampling;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// LeSage–Pace impacts of a model with a spatial lag ρ: S_k = (I − ρW)⁻¹(β_k I + θ_k W), direct = tr(S_k)/N,
/// total = 1'S_k 1/N, indirect = total − direct. Exact: the traces come from W's eigenvalues
/// (tr((I − ρW)⁻¹) = Σ 1/(1 − ρω), tr(W(I − ρW)⁻¹) = Σ ω/(1 − ρω)); for a row-standardised W the total is
/// (β_k + θ_k)/(1 − ρ), otherwise 1'(I − ρW)⁻¹ from one dense solve. Simulated SEs draw the parameters from
/// their asymptotic normal N(θ̂, V) (V the inverse information, cross covariances included) with counter-based
/// streams keyed by the draw index, so a draw is the same whatever block it runs in.
/// </summary>
public static class Impacts
{
    /// <summary>
    /// The exact impacts at (ρ, β, θ) for the terms named; with <paramref name="sparse"/> (the sparse path of the same W)
    /// the traces come from its n sparse solves and a non-standardised W's total from one sparse solve, not from the
    /// eigenvalues and a dense solve.
    /// </summary>
    public static IReadOnlyList<SpatialImpact> Exact(SpatialWeights w, double rho, IReadOnlyList<double> beta, IReadOnlyList<double>? theta, IReadOnlyList<string> terms, SparseLogDet? sparse = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(terms);
        var (cDirect, cDirectW, cTotal, cTotalW) = sparse is null ? Multipliers(w, rho) : SparseMultipliers(w, rho, sparse);
        var res = new List<SpatialImpact>(beta.Count);
        for (int k = 0; k < beta.Count; k++)
        {
            double th = theta is null ? 0 : theta[k];
            double direct = beta[k] * cDirect + th * cDirectW;
            double total = beta[k] * cTotal + th * cTotalW;
            res.Add(new SpatialImpact(terms[k], direct, total - direct, total));
        }
        return res;
    }

    /// <summary>tr(A)/N, tr(AW)/N, 1'A1/N and 1'AW1/N with A = (I − ρW)⁻¹.</summary>
    internal static (double Direct, double DirectW, double Total, double TotalW) Multipliers(SpatialWeights w, double rho)
    {
        int n = w.N;
        var (ta, twa) = w.Traces(rho);
        double total, totalW;
        if (w.RowStandardised)
        {
            total = 1 / (1 - rho);
            totalW = 1 / (1 - rho);
        }
        else
        {
            // u = A'1 from (I − ρW)'u = 1; then 1'A1 = u'1 and 1'AW1 = u'(W1).
            var m = Matrix<double>.Build.DenseOfArray(w.Dense());
            var a = Matrix<double>.Build.DenseIdentity(n) - rho * m;
            var u = a.Transpose().Solve(Vector<double>.Build.Dense(n, 1.0));
            var w1 = new double[n];
            w.Multiply(Enumerable.Repeat(1.0, n).ToArray(), w1);
            total = u.Sum() / n;
            totalW = u.DotProduct(Vector<double>.Build.DenseOfArray(w1)) / n;
        }
        return (ta / n, twa / n, total, totalW);
    }

    /// <summary>tr(A)/N, tr(AW)/N, 1'A1/N and 1'AW1/N by the sparse path: tr(AW) = tr(WA) = tr(G), and u = A'1 by one solve.</summary>
    private static (double, double, double, double) SparseMultipliers(SpatialWeights w, double rho, SparseLogDet sparse)
    {
        int n = w.N;
        var tr = sparse.Traces(rho);
        if (w.RowStandardised) return (tr.A / n, tr.G / n, 1 / (1 - rho), 1 / (1 - rho));
        var u = sparse.SolveWTransposed(rho, Enumerable.Repeat(1.0, n).ToArray());
        var w1 = new double[n];
        w.Multiply(Enumerable.Repeat(1.0, n).ToArray(), w1);
        double total = 0, totalW = 0;
        for (int i = 0; i < n; i++) { total += u[i]; totalW += u[i] * w1[i]; }
        return (tr.A / n, tr.G / n, total / n, totalW / n);
    }

    /// <summary>
    /// The impacts of draws <paramref name="first"/> .. first + count − 1: draw r is (ρ, β, θ) = mean + L z with L the
    /// Cholesky factor of <paramref name="vcov"/> and z standard normals from stream (seed, key, r) (inverse CDF of
    /// 53-bit uniforms). <paramref name="mean"/> is (ρ, β₁..β_K, θ₁..θ_K) — θ only for SDM. Returns per draw
    /// (direct₁..K, indirect₁..K, total₁..K).
    /// </summary>
    public static double[][] SimulateBlock(SpatialWeights w, double[] mean, double[,] vcov, int termCount, bool durbin, long seed, string key, long first, int count)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(vcov);
        int p = mean.Length;
        var chol = Cholesky(vcov);
        var family = CounterRng.Family(seed, key);
        var res = new double[count][];
        var z = new double[p];
        var draw = new double[p];
        var beta = new double[termCount];
        var theta = durbin ? new double[termCount] : null;
        for (int c = 0; c < count; c++)
        {
            var rng = CounterRng.InFamily(family, first + c);
            for (int i = 0; i < p; i++) z[i] = Normal.InvCDF(0, 1, ((rng.NextUInt64() >> 11) + 0.5) * (1.0 / 9007199254740992.0));
            for (int i = 0; i < p; i++)
            {
                double s = mean[i];
                for (int j = 0; j <= i; j++) s += chol[i, j] * z[j];
                draw[i] = s;
            }
            Array.Copy(draw, 1, beta, 0, termCount);
            if (theta is not null) Array.Copy(draw, 1 + termCount, theta, 0, termCount);
            var (d, dw, t, tw) = Multipliers(w, draw[0]);
            var row = new double[3 * termCount];
            for (int k = 0; k < termCount; k++)
            {
                double th = theta?[k] ?? 0;
                double direct = beta[k] * d + th * dw, total = beta[k] * t + th * tw;
                row[k] = direct;
                row[termCount + k] = total - direct;
                row[2 * termCount + k] = total;
            }
            res[c] = row;
        }
        return res;
    }

    /// <summary>The SDs (denominator R − 1) of each column of the draws, summed in draw order.</summary>
    public static double[] StandardDeviations(IReadOnlyList<double[]> draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        int m = draws[0].Length, r = draws.Count;
        var mean = new double[m];
        foreach (var d in draws) for (int j = 0; j < m; j++) mean[j] += d[j];
        for (int j = 0; j < m; j++) mean[j] /= r;
        var ss = new double[m];
        foreach (var d in draws) for (int j = 0; j < m; j++) ss[j] += (d[j] - mean[j]) * (d[j] - mean[j]);
        return [.. ss.Select(s => Math.Sqrt(s / (r - 1)))];
    }

    /// <summary>The exact impacts with simulated SEs attached (from all draws, in draw order).</summary>
    public static IReadOnlyList<SpatialImpact> WithStandardErrors(IReadOnlyList<SpatialImpact> exact, IReadOnlyList<double[]> draws)
    {
        ArgumentNullException.ThrowIfNull(exact);
        var sd = StandardDeviations(draws);
        int k = exact.Count;
        return [.. exact.Select((e, i) => e with { DirectSe = sd[i], IndirectSe = sd[k + i], TotalSe = sd[2 * k + i] })];
    }

    /// <summary>The parameters an impacts simulation draws: (ρ, β, θ) and their covariance, from a fit with a spatial lag.</summary>
    public static (double[] Mean, double[,] Vcov) DrawParameters(SpatialFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Options.Model == SpatialModel.Sem) throw new InputException("impacts: a spatial error model has no spillovers (its direct effects are β)");
        var idx = new List<int> { 0 };
        int offset = fit.Options.Model == SpatialModel.Sac ? 2 : 1;
        int k = fit.Terms.Count * (fit.Options.Model == SpatialModel.Sdm ? 2 : 1);
        for (int j = 0; j < k; j++) idx.Add(offset + j);
        var mean = idx.Select(i => fit.Coefficients[i].Estimate).ToArray();
        var v = new double[idx.Count, idx.Count];
        for (int i = 0; i < idx.Count; i++) for (int j = 0; j < idx.Count; j++) v[i, j] = fit.Vcov[idx[i], idx[j]];
        return (mean, v);
    }

    private static double[,] Cholesky(double[,] v)
    {
        var m = Matrix<double>.Build.DenseOfArray(v);
        try { return m.Cholesky().Factor.ToArray(); }
        catch (ArgumentException) { throw new EstimationException("impacts: the parameters' covariance is not positive definite"); }
    }
}
