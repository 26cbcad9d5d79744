namespace DigitalEconomy.Core.Numerics;

/// <summary>
/// Least squares by the Cholesky factor of the Gram matrix X'X with one step of iterative refinement
/// on the residuals (corrected semi-normal equations), which recovers QR-level accuracy for the
/// well-scaled designs of panel regressions while allocating nothing per observation. Columns whose
/// residual after projection on the earlier kept columns has a squared norm below
/// <c>tolerance</c> × their reference squared norm are dropped in order (Stata's <c>_rmcoll</c>).
/// </summary>
internal sealed class GramSolver
{
    private readonly IReadOnlyList<double[]> _x;
    private readonly double[,] _l; // lower Cholesky factor of the kept columns' Gram matrix

    public GramSolver(IReadOnlyList<double[]> columns, IReadOnlyList<double>? referenceNorms = null, double tolerance = 1e-14)
        : this(columns, CrossProducts(columns), referenceNorms, tolerance)
    {
    }

    /// <summary>
    /// The solver for <paramref name="columns"/> given their Gram matrix <paramref name="gram"/>, which must hold
    /// exactly <c>ThinQr.Dot(columns[i], columns[j])</c> (a specification grid forms it once for many models).
    /// </summary>
    public GramSolver(IReadOnlyList<double[]> columns, double[,] gram, IReadOnlyList<double>? referenceNorms = null, double tolerance = 1e-14)
    {
        int k = columns.Count;
        var g = gram;
        var kept = new List<int>();
        var dropped = new List<int>();
        var l = new double[k, k];
        for (int j = 0; j < k; j++)
        {
            double scale = g[j, j];
            if (referenceNorms is not null) scale = Math.Max(scale, referenceNorms[j] * referenceNorms[j]);
            // Row of L for column j against the kept columns.
            var row = new double[kept.Count];
            for (int a = 0; a < kept.Count; a++)
            {
                double s = g[j, kept[a]];
                for (int t = 0; t < a; t++) s -= row[t] * l[a, t];
                row[a] = s / l[a, a];
            }
            double d = g[j, j];
            foreach (double v in row) d -= v * v;
            if (scale == 0 || d <= tolerance * scale) { dropped.Add(j); continue; }
            int m = kept.Count;
            for (int t = 0; t < m; t++) l[m, t] = row[t];
            l[m, m] = Math.Sqrt(d);
            kept.Add(j);
        }
        Kept = kept;
        Dropped = dropped;
        _x = kept.Select(i => columns[i]).ToList();
        int r = kept.Count;
        _l = new double[r, r];
        for (int i = 0; i < r; i++) for (int j = 0; j <= i; j++) _l[i, j] = l[i, j];
    }

    /// <summary>X'X of the columns, symmetric.</summary>
    public static double[,] CrossProducts(IReadOnlyList<double[]> columns)
    {
        int k = columns.Count;
        var g = new double[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++) { g[i, j] = ThinQr.Dot(columns[i], columns[j]); g[j, i] = g[i, j]; }
        return g;
    }

    public IReadOnlyList<int> Kept { get; }

    public IReadOnlyList<int> Dropped { get; }

    public int Rank => Kept.Count;

    private double[] SolveGram(double[] rhs)
    {
        int m = rhs.Length;
        var z = new double[m];
        for (int i = 0; i < m; i++)
        {
            double s = rhs[i];
            for (int t = 0; t < i; t++) s -= _l[i, t] * z[t];
            z[i] = s / _l[i, i];
        }
        var b = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int t = i + 1; t < m; t++) s -= _l[t, i] * b[t];
            b[i] = s / _l[i, i];
        }
        return b;
    }

    /// <summary>Coefficients of y on the kept columns, refined once on the residuals.</summary>
    public double[] Solve(double[] y) => Solve(y, out _);

    /// <summary>Coefficients of y on the kept columns, refined once, and the final residuals.</summary>
    public double[] Solve(double[] y, out double[] residuals) => Solve(y, _x.Select(c => ThinQr.Dot(c, y)).ToArray(), out residuals);

    /// <summary>As <see cref="Solve(double[], out double[])"/> given X'y of the kept columns (exactly <c>ThinQr.Dot(column, y)</c>).</summary>
    public double[] Solve(double[] y, double[] crossProducts, out double[] residuals)
    {
        residuals = Solve(y, crossProducts, new double[y.Length], out var b);
        return b;
    }

    /// <summary>As <see cref="Solve(double[], double[], out double[])"/>, the residuals written into <paramref name="residuals"/> (same length as y, any contents) and returned.</summary>
    public double[] Solve(double[] y, double[] crossProducts, double[] residuals, out double[] coefficients)
    {
        var b = SolveGram(crossProducts);
        var r = residuals;
        Array.Copy(y, r, y.Length);
        for (int j = 0; j < b.Length; j++) ThinQr.Axpy(-b[j], _x[j], r);
        var xr = new double[_x.Count];
        for (int j = 0; j < xr.Length; j++) xr[j] = ThinQr.Dot(_x[j], r);
        var db = SolveGram(xr);
        for (int j = 0; j < b.Length; j++) { b[j] += db[j]; ThinQr.Axpy(-db[j], _x[j], r); }
        coefficients = b;
        return r;
    }

    /// <summary>(X'X)⁻¹ of the kept columns.</summary>
    public double[,] InverseCrossProduct()
    {
        int m = Rank;
        var inv = new double[m, m];
        var e = new double[m];
        for (int j = 0; j < m; j++)
        {
            Array.Clear(e);
            e[j] = 1;
            var col = SolveGram(e);
            for (int i = 0; i < m; i++) inv[i, j] = col[i];
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++) { double v = 0.5 * (inv[i, j] + inv[j, i]); inv[i, j] = v; inv[j, i] = v; }
        return inv;
    }
}
