using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Indices;

/// <summary>Options of the PCA index.</summary>
public sealed record PcaOptions
{
    /// <summary>
    /// Keep components until their cumulative variance share reaches this threshold (e.g. 0.85);
    /// null keeps the components with eigenvalue &gt; 1 (Kaiser rule, at least one). The default is null.
    /// </summary>
    public double? CumulativeVariance { get; init; }
}

/// <summary>The PCA index and its decomposition.</summary>
/// <param name="Eigenvalues">Eigenvalues of the correlation matrix, descending.</param>
/// <param name="VarianceShare">λ_k / Σλ.</param>
/// <param name="Loadings">Loadings[k][j]: weight of indicator j in component k (unit eigenvector).</param>
/// <param name="Components">How many components the index uses.</param>
/// <param name="Score">Σ_k (λ_k/Σ_selected λ) PC_k per row.</param>
/// <param name="SignFlipped">True when the index was negated to correlate positively with the reference score.</param>
public sealed record PcaResult(double[] Eigenvalues, double[] VarianceShare, double[][] Loadings, int Components, double[] Score, bool SignFlipped);

/// <summary>
/// PCA index (主成分分析法, docs/methods.md, "Composite indices and regional gaps"): indicators standardised to z-scores (sample standard
/// deviation, as R's <c>scale()</c>) with cost indicators negated, eigen-decomposition of their
/// correlation matrix, components chosen by eigenvalue &gt; 1 or a cumulative-variance threshold,
/// score = Σ_k (λ_k/Σλ) PC_k with PC_k = Z v_k. Each eigenvector's sign is fixed so that its loadings
/// sum to a non-negative number; the index is then negated if it correlates negatively with the
/// reference (entropy) score. A constant indicator cannot be standardised and is an error.
/// </summary>
public static class PcaIndex
{
    /// <summary>Builds the PCA index; <paramref name="reference"/> (e.g. the entropy score) fixes its sign.</summary>
    public static PcaResult Build(IndexInput input, PcaOptions? options = null, IReadOnlyList<double>? reference = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new PcaOptions();
        int m = input.Columns.Count, n = input.RowCount;
        if (n < 3) throw new InputException($"PCA needs at least three observations; got {n}");
        var z = new double[m][];
        for (int j = 0; j < m; j++)
        {
            var x = input.Columns[j];
            double mean = x.Average();
            double ss = 0;
            foreach (double v in x) ss += (v - mean) * (v - mean);
            double sd = Math.Sqrt(ss / (n - 1));
            if (!(sd > 0)) throw new InputException($"indicator '{input.System.Indicators[j].Code}' is constant: it cannot be standardised for PCA");
            double sign = input.System.Indicators[j].Direction == Direction.Positive ? 1 : -1;
            z[j] = x.Select(v => sign * (v - mean) / sd).ToArray();
        }
        var corr = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b <= a; b++)
            {
                double s = Numerics.ThinQr.Dot(z[a], z[b]) / (n - 1);
                corr[a, b] = s; corr[b, a] = s;
            }
        var evd = Matrix<double>.Build.DenseOfArray(corr).Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, m).OrderByDescending(k => evd.EigenValues[k].Real).ToArray();
        var eig = order.Select(k => evd.EigenValues[k].Real).ToArray();
        var loadings = order.Select(k =>
        {
            var v = evd.EigenVectors.Column(k).ToArray();
            if (v.Sum() < 0) for (int j = 0; j < m; j++) v[j] = -v[j];
            return v;
        }).ToArray();
        double total = eig.Sum();
        var share = eig.Select(l => l / total).ToArray();
        int keep;
        if (options.CumulativeVariance is { } c)
        {
            if (!(c > 0 && c <= 1)) throw new InputException($"--cumulative {c}: expected a share in (0, 1], e.g. 0.85");
            keep = 0;
            double cum = 0;
            while (keep < m && cum < c - 1e-12) cum += share[keep++];
        }
        else keep = Math.Max(1, eig.Count(l => l > 1));
        double selected = eig.Take(keep).Sum();
        var score = new double[n];
        for (int k = 0; k < keep; k++)
        {
            double w = eig[k] / selected;
            for (int j = 0; j < m; j++)
            {
                double l = w * loadings[k][j];
                var zj = z[j];
                for (int i = 0; i < n; i++) score[i] += l * zj[i];
            }
        }
        bool flipped = false;
        if (reference is not null)
        {
            if (reference.Count != n) throw new ArgumentException($"The reference score has {reference.Count} rows; expected {n}.", nameof(reference));
            double mr = reference.Average(), cov = 0;
            for (int i = 0; i < n; i++) cov += score[i] * (reference[i] - mr);
            if (cov < 0) { flipped = true; for (int i = 0; i < n; i++) score[i] = -score[i]; }
        }
        return new PcaResult(eig, share, loadings, keep, score, flipped);
    }
}
