using DigitalEconomy.Core.Resampling;
using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Tests.Resampling;

/// <summary>
/// The slow, independent wild cluster bootstrap: least squares with explicit fixed-effect dummies (LSDV, MathNet
/// QR; no within transformation, no sufficient statistics). Each draw builds y* = fitted + residual∘v explicitly,
/// refits it on the full design, forms the residuals and the cluster sandwich of the coefficient and its t.
/// The QR of the design is factored once (it does not change between draws); everything from y* on is per draw.
/// </summary>
internal sealed class WildReference
{
    private readonly Matrix<double> _z;
    private readonly MathNet.Numerics.LinearAlgebra.Factorization.QR<double> _qr;
    private readonly double[] _h; // row j of (Z'Z)⁻¹Z'
    private readonly double[] _y;
    private readonly double[] _zj;
    private readonly int[] _cluster;
    private readonly int _g, _j;
    private readonly double _factor;

    /// <param name="y">The response.</param>
    /// <param name="x">The regressors (the tested one at index j).</param>
    /// <param name="fe">Fixed-effect codes per factor (first factor: all levels; later factors: all but level 0); none adds an intercept.</param>
    /// <param name="cluster">Cluster code per row, 0..G−1.</param>
    /// <param name="factor">The small-sample factor f of the cluster variance.</param>
    public WildReference(double[] y, IReadOnlyList<double[]> x, IReadOnlyList<int[]> fe, int[] cluster, int j, double factor)
    {
        int n = y.Length;
        var cols = new List<double[]>(x);
        if (fe.Count == 0) cols.Add(Enumerable.Repeat(1.0, n).ToArray());
        for (int f = 0; f < fe.Count; f++)
        {
            int levels = fe[f].Max() + 1;
            for (int l = f == 0 ? 0 : 1; l < levels; l++) cols.Add(fe[f].Select(c => c == l ? 1.0 : 0.0).ToArray());
        }
        _z = Matrix<double>.Build.Dense(n, cols.Count, (i, p) => cols[p][i]);
        _qr = _z.QR();
        var inv = (_z.TransposeThisAndMultiply(_z)).Inverse();
        _h = (inv.Row(j) * _z.Transpose()).ToArray();
        _y = y;
        _zj = x[j];
        _cluster = cluster;
        _g = cluster.Max() + 1;
        _j = j;
        _factor = factor;
    }

    /// <summary>β_j and its t against <paramref name="r"/> for the response <paramref name="y"/>, refitted from scratch.</summary>
    public (double Beta, double T, double[] Residuals) Fit(double[] y, double r)
    {
        var b = _qr.Solve(Vector<double>.Build.DenseOfArray(y));
        var u = (Vector<double>.Build.DenseOfArray(y) - _z * b).ToArray();
        var s = new double[_g];
        for (int i = 0; i < y.Length; i++) s[_cluster[i]] += _h[i] * u[i];
        double v = _factor * s.Sum(z => z * z);
        return (b[_j], (b[_j] - r) / Math.Sqrt(v), u);
    }

    /// <summary>Residuals of the model with β_j = r imposed (regress y − r·x_j on the other columns).</summary>
    private double[] Restricted(double r)
    {
        var keep = Enumerable.Range(0, _z.ColumnCount).Where(p => p != _j).ToArray();
        var z = Matrix<double>.Build.Dense(_z.RowCount, keep.Length, (i, p) => _z[i, keep[p]]);
        var yr = Vector<double>.Build.Dense(_y.Length, i => _y[i] - r * _zj[i]);
        return (yr - z * z.QR().Solve(yr)).ToArray();
    }

    /// <summary>The observed t and each draw's t* (WCR: y* = y − ü + ü∘v, t* against r; WCU: y* = y − û + û∘v, t* against β̂).</summary>
    public (double T, double[] TStar) Run(double r, WildType type, IEnumerable<double[]> weights)
    {
        var (beta, t, uhat) = Fit(_y, r);
        var e = type == WildType.Restricted ? Restricted(r) : uhat;
        double centre = type == WildType.Restricted ? r : beta;
        var stars = new List<double>();
        foreach (var v in weights)
        {
            var ys = new double[_y.Length];
            for (int i = 0; i < ys.Length; i++) ys[i] = _y[i] - e[i] + e[i] * v[_cluster[i]];
            stars.Add(Fit(ys, centre).T);
        }
        return (t, [.. stars]);
    }

    /// <summary>
    /// The symmetric p-value: the share of |t*| &gt; |t|. A refit reproduces t only to rounding, so draws with
    /// ||t*| − |t|| ≤ 1e-9·|t| are ties (under WCR the sign vectors ±1 reproduce t exactly); the caller checks that no
    /// other draw lies near |t|.
    /// </summary>
    public static (int Count, double Closest) Exceedances(double t, double[] stars)
    {
        int count = 0;
        double closest = double.PositiveInfinity;
        foreach (double s in stars)
        {
            double gap = Math.Abs(s) - Math.Abs(t);
            if (Math.Abs(gap) <= 1e-9 * Math.Abs(t)) continue;
            closest = Math.Min(closest, Math.Abs(gap) / Math.Abs(t));
            if (gap > 0) count++;
        }
        return (count, closest);
    }
}
