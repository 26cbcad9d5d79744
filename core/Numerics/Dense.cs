
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using Vector = System.Numerics.Vector;

namespace DigitalEconomy.Core.Numerics;

/// <summary>
/// Thin QR factorisation X = Q R of a tall matrix given by columns, computed by modified Gram-Schmidt
/// with one re-orthogonalisation pass (accurate to machine precision). Columns that are linearly
/// dependent on earlier ones (their residual norm falls below <c>tolerance</c> times their own norm)
/// are dropped and reported, in the order given, as Stata's <c>_rmcoll</c> does.
/// </summary>
internal sealed class ThinQr
{
    public ThinQr(IReadOnlyList<double[]> columns, double tolerance = 1e-9, IReadOnlyList<double>? referenceNorms = null)
    {
        int k = columns.Count;
        var q = new List<double[]>(k);
        var kept = new List<int>(k);
        var dropped = new List<int>();
        var rCols = new List<double[]>(k); // R columns (upper part), filled lazily
        for (int j = 0; j < k; j++)
        {
            var v = (double[])columns[j].Clone();
            double norm0 = Math.Sqrt(Dot(v, v));
            if (referenceNorms is not null) norm0 = Math.Max(norm0, referenceNorms[j]);
            var r = new double[k];
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < q.Count; i++)
                {
                    double c = Dot(q[i], v);
                    r[i] += c;
                    Axpy(-c, q[i], v);
                }
            }
            double norm = Math.Sqrt(Dot(v, v));
            if (norm0 == 0 || norm <= tolerance * norm0)
            {
                dropped.Add(j);
                continue;
            }
            for (int t = 0; t < v.Length; t++) v[t] /= norm;
            r[q.Count] = norm;
            q.Add(v);
            kept.Add(j);
            rCols.Add(r);
        }
        Q = q;
        Kept = kept;
        Dropped = dropped;
        int m = q.Count;
        R = new double[m, m];
        for (int j = 0; j < m; j++)
            for (int i = 0; i <= j; i++) R[i, j] = rCols[j][i];
    }

    /// <summary>Orthonormal columns, one per kept input column.</summary>
    public IReadOnlyList<double[]> Q { get; }

    /// <summary>Upper-triangular R (kept × kept).</summary>
    public double[,] R { get; }

    /// <summary>Indices of the input columns kept.</summary>
    public IReadOnlyList<int> Kept { get; }

    /// <summary>Indices of the input columns dropped as collinear.</summary>
    public IReadOnlyList<int> Dropped { get; }

    public int Rank => Q.Count;

    /// <summary>Q'y.</summary>
    public double[] QtY(double[] y)
    {
        var r = new double[Q.Count];
        for (int i = 0; i < r.Length; i++) r[i] = Dot(Q[i], y);
        return r;
    }

    /// <summary>Solves R b = Q'y.</summary>
    public double[] Solve(double[] y) => Dense.BackSubstitute(R, QtY(y));

    /// <summary>(X'X)^-1 = R^-1 R^-T for the kept columns.</summary>
    public double[,] InverseCrossProduct()
    {
        int m = Rank;
        var rinv = Dense.InverseUpper(R);
        var result = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = i; j < m; j++)
            {
                double s = 0;
                for (int t = Math.Max(i, j); t < m; t++) s += rinv[i, t] * rinv[j, t];
                result[i, j] = s; result[j, i] = s;
            }
        return result;
    }

    /// <summary>The projection of y on the column space: Q Q'y.</summary>
    public double[] Project(double[] y)
    {
        var c = QtY(y);
        var p = new double[y.Length];
        for (int i = 0; i < c.Length; i++) Axpy(c[i], Q[i], p);
        return p;
    }

    internal static double Dot(double[] a, double[] b)
    {
        int n = a.Length, i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * System.Numerics.Vector<double>.Count)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            var va = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a.AsSpan(0, n));
            var vb = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b.AsSpan(0, n));
            for (int v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            s = Vector.Sum(acc);
            i = va.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    internal static void Axpy(double a, double[] x, double[] y)
    {
        int n = y.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * System.Numerics.Vector<double>.Count)
        {
            var va = new System.Numerics.Vector<double>(a);
            var vx = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(x.AsSpan(0, n));
            var vy = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(y.AsSpan(0, n));
            for (int v = 0; v < vy.Length; v++) vy[v] += va * vx[v];
            i = vy.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += a * x[i];
    }
}

/// <summary>Small dense matrix helpers (k × k with k the number of regressors).</summary>
internal static class Dense
{
    public static double[] BackSubstitute(double[,] r, double[] b)
    {
        int m = b.Length;
        var x = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int j = i + 1; j < m; j++) s -= r[i, j] * x[j];
            x[i] = s / r[i, i];
        }
        return x;
    }

    public static double[,] InverseUpper(double[,] r)
    {
        int m = r.GetLength(0);
        var inv = new double[m, m];
        for (int j = 0; j < m; j++)
        {
            inv[j, j] = 1 / r[j, j];
            for (int i = j - 1; i >= 0; i--)
            {
                double s = 0;
                for (int t = i + 1; t <= j; t++) s += r[i, t] * inv[t, j];
                inv[i, j] = -s / r[i, i];
            }
        }
        return inv;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = a.GetLength(1), p = b.GetLength(1);
        var c = new double[n, p];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < m; t++)
            {
                double v = a[i, t];
                if (v == 0) continue;
                for (int j = 0; j < p; j++) c[i, j] += v * b[t, j];
            }
        return c;
    }

    /// <summary>A B A' for symmetric B.</summary>
    public static double[,] Sandwich(double[,] a, double[,] b)
    {
        var ab = Multiply(a, b);
        int n = a.GetLength(0), m = a.GetLength(1);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int t = 0; t < m; t++) s += ab[i, t] * a[j, t];
                c[i, j] = s; c[j, i] = s;
            }
        return c;
    }

    public static double[,] Scale(double[,] a, double f)
    {
        var c = (double[,])a.Clone();
        for (int i = 0; i < c.GetLength(0); i++)
            for (int j = 0; j < c.GetLength(1); j++) c[i, j] *= f;
        return c;
    }

    public static double[] MultiplyVector(double[,] a, double[] x)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < m; j++) s += a[i, j] * x[j];
            y[i] = s;
        }
        return y;
    }

    /// <summary>Inverse of a symmetric matrix; null when it is not positive definite.</summary>
    public static double[,]? InverseSpd(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j];
            for (int t = 0; t < j; t++) d -= l[j, t] * l[j, t];
            if (!(d > 0)) return null;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int t = 0; t < j; t++) s -= l[i, t] * l[j, t];
                l[i, j] = s / l[j, j];
            }
        }
        // inverse = L^-T L^-1
        var lt = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) lt[i, j] = l[j, i];
        var ui = InverseUpper(lt);
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int t = j; t < n; t++) s += ui[i, t] * ui[j, t];
                inv[i, j] = s; inv[j, i] = s;
            }
        return inv;
    }

    /// <summary>Inverse of a general square matrix by LU; null when singular.</summary>
    public static double[,]? Inverse(double[,] a)
    {
        var m = Matrix<double>.Build.DenseOfArray(a);
        var lu = m.LU();
        if (lu.Determinant == 0 || double.IsNaN(lu.Determinant)) return null;
        return lu.Inverse().ToArray();
    }

    /// <summary>Moore-Penrose inverse of a symmetric matrix and its numerical rank.</summary>
    public static (double[,] Inverse, int Rank) PseudoInverseSymmetric(double[,] a)
    {
        var m = Matrix<double>.Build.DenseOfArray(a);
        var evd = m.Evd(Symmetricity.Symmetric);
        var ev = evd.EigenValues.Select(c => c.Real).ToArray();
        double max = ev.Select(Math.Abs).DefaultIfEmpty(0).Max();
        double tol = max * ev.Length * 1e-12;
        int n = ev.Length, rank = 0;
        var v = evd.EigenVectors;
        var result = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (ev[k] <= tol) continue;
            rank++;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) result[i, j] += v[i, k] * v[j, k] / ev[k];
        }
        return (result, rank);
    }

    /// <summary>Quadratic form b' A^-1 b via an SPD solve (pseudo-inverse fallback).</summary>
    public static double QuadraticInverse(double[] b, double[,] a)
    {
        var inv = InverseSpd(a) ?? PseudoInverseSymmetric(a).Inverse;
        var t = MultiplyVector(inv, b);
        double s = 0;
        for (int i = 0; i < b.Length; i++) s += b[i] * t[i];
        return s;
    }

    /// <summary>
    /// The eigenvalue fix of Cameron, Gelbach &amp; Miller (2011, §2.3): a symmetric matrix with a negative
    /// eigenvalue is rebuilt as Σ max(λ_k, 0) v_k v_k' (negative eigenvalues set to 0, eigenvectors kept).
    /// A matrix with no negative eigenvalue, or with a non-finite entry, is returned as it is.
    /// <paramref name="negatives"/> counts the eigenvalues below −1e-12·max|λ| (those that are not rounding)
    /// and <paramref name="min"/> is the smallest eigenvalue (0 when the matrix is returned unchanged).
    /// </summary>
    public static double[,] ClipNegativeEigenvalues(double[,] a, out int negatives, out double min)
    {
        negatives = 0;
        min = 0;
        int n = a.GetLength(0);
        foreach (double x in a) if (!double.IsFinite(x)) return a;
        var evd = Matrix<double>.Build.DenseOfArray(a).Evd(Symmetricity.Symmetric);
        var ev = evd.EigenValues.Select(c => c.Real).ToArray();
        if (ev.Length == 0 || ev.Min() >= 0) return a;
        min = ev.Min();
        double tol = 1e-12 * ev.Select(Math.Abs).Max();
        negatives = ev.Count(l => l < -tol);
        var v = evd.EigenVectors;
        var r = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (ev[k] <= 0) continue;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) r[i, j] += ev[k] * v[i, k] * v[j, k];
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) { double m = 0.5 * (r[i, j] + r[j, i]); r[i, j] = m; r[j, i] = m; }
        return r;
    }

    /// <summary>
    /// Symmetric (generalised) matrix power V diag(λᵖ) V' of the symmetric part of <paramref name="a"/>, by
    /// MathNet's symmetric eigen-decomposition; eigenvalues at or below <paramref name="relTol"/>·max|λ| are
    /// treated as 0 (their power is 0), so p = −1 gives the Moore–Penrose inverse and p = −½ the generalised
    /// inverse square root (clubSandwich's CR2/CR3 adjustment matrices; R's sympow with tol 1e-10).
    /// </summary>
    public static double[,] SymmetricPower(double[,] a, double p, double relTol = 1e-10)
    {
        int n = a.GetLength(0);
        var sym = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) sym[i, j] = 0.5 * (a[i, j] + a[j, i]);
        var evd = Matrix<double>.Build.DenseOfArray(sym).Evd(Symmetricity.Symmetric);
        var ev = evd.EigenValues.Select(c => c.Real).ToArray();
        double max = ev.Select(Math.Abs).DefaultIfEmpty(0).Max();
        var v = evd.EigenVectors;
        var r = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (!(ev[k] > relTol * max)) continue;
            double w = Math.Pow(ev[k], p);
            for (int i = 0; i < n; i++)
            {
                double vi = v[i, k] * w;
                for (int j = 0; j < n; j++) r[i, j] += vi * v[j, k];
            }
        }
        return r;
    }

    /// <summary>Eigenvalues of a symmetric matrix, ascending.</summary>
    public static double[] SymmetricEigenvalues(double[,] a)
    {
        var evd = Matrix<double>.Build.DenseOfArray(a).Evd(Symmetricity.Symmetric);
        var ev = evd.EigenValues.Select(c => c.Real).ToArray();
        Array.Sort(ev);
        return ev;
    }
}
