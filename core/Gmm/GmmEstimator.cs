using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Gmm;

/// <summary>
/// Arellano–Bond difference GMM and Blundell–Bond system GMM, one- and two-step, reproducing plm's <c>pgmm</c>,
/// <c>vcovHC</c>, <c>sargan</c>, <c>mtest</c> and <c>pwaldtest</c> (docs/methods.md, "Dynamic panels (GMM)").
/// Written by hand on the dense helpers: the estimator is a handful of small matrix products per unit (L ≤ a few hundred
/// instruments), and no .NET library implements panel GMM or Windmeijer's correction.
/// </summary>
public static class GmmEstimator
{
    /// <summary>plm's threshold on the smallest eigenvalue below which a generalised inverse is used.</summary>
    private const double SingularEigen = 1e-9;

    /// <summary>Fits the model. <paramref name="differenceInHansen"/> adds a C test per instrument block (one refit each).</summary>
    /// <exception cref="InputException">A model the options describe wrongly (no instruments, too few periods).</exception>
    /// <exception cref="EstimationException">Fewer instruments than coefficients, or a singular design.</exception>
    public static GmmResult Fit(Panel panel, GmmSpec spec, bool differenceInHansen = false) => Fit(panel, spec, [], differenceInHansen);

    /// <summary>
    /// Fits the model on the rows that pass every filter (a study's sample): the panel is cut to them first, so lags and
    /// instruments do not reach a dropped row (unlike a regression's filters, whose lags see dropped rows).
    /// </summary>
    /// <exception cref="InputException">A filter that keeps no row, or a model the options describe wrongly.</exception>
    /// <exception cref="EstimationException">Fewer instruments than coefficients, or a singular design.</exception>
    public static GmmResult Fit(Panel panel, GmmSpec spec, IReadOnlyList<RowFilter> filters, bool differenceInHansen = false)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count > 0)
        {
            var pass = new int[panel.RowCount];
            foreach (var f in filters) foreach (int r in f.Apply(panel.Frame)) pass[r]++;
            panel = panel.Subset([.. Enumerable.Range(0, panel.RowCount).Where(r => pass[r] == filters.Count)]);
        }
        var design = GmmDesign.Build(panel, spec);
        var warnings = new List<string>();
        var core = Solve(design, spec.TwoStep, null, warnings);
        var result = Diagnose(design, spec, core, warnings);
        if (!differenceInHansen) return result;
        var tests = new List<DifferenceInHansen>();
        foreach (var block in design.Blocks)
        {
            int rest = design.L - block.Columns.Count;
            // The time effects' columns are what identifies their coefficients: no C test of them (nor does xtabond2 give one).
            if (block.Columns.Count == 0 || rest <= design.K || block.Name.StartsWith("time effects", StringComparison.Ordinal)) continue;
            var keep = new bool[design.L];
            Array.Fill(keep, true);
            foreach (int c in block.Columns) keep[c] = false;
            Core excl;
            try { excl = Solve(design, spec.TwoStep, keep, []); }
            catch (EstimationException) { continue; }
            var jx = Hansen(excl, rest - design.K);
            double diff = result.Hansen.Statistic - jx.Statistic;
            tests.Add(new DifferenceInHansen(block.Name, block.Columns.Count, jx,
                new GmmTest(diff, block.Columns.Count, Distributions.ChiSquaredUpper(diff, block.Columns.Count))));
        }
        return result with { DifferenceInHansen = tests };
    }

    /// <summary>Everything one estimation produces, on the instrument columns kept.</summary>
    private sealed class Core
    {
        public required double[][] Y; public required double[][,] X; public required double[][,] Z;
        public required double[,] WX; public required double[] Wy;
        public required double[,] A1; public required double[,] A2; public required double[,] S2;
        public required double[,] B1; public required double[,] B2;
        public required double[] Beta1; public required double[] Beta;
        public required double[][] E1; public required double[][] E;
        public required double[,] V; public required double[,] VRobust; public required double[,] V1Robust;
        public required double[] We;
        public required bool TwoStep;
    }

    private static Core Solve(GmmDesign d, bool twoStep, bool[]? keep, List<string> warnings)
    {
        int n = d.Units, k = d.K;
        var z = d.Z;
        if (keep is not null)
        {
            var cols = Enumerable.Range(0, d.L).Where(c => keep[c]).ToArray();
            z = new double[n][,];
            for (int i = 0; i < n; i++)
            {
                var zi = new double[d.Rows, cols.Length];
                for (int r = 0; r < d.Rows; r++) for (int c = 0; c < cols.Length; c++) zi[r, c] = d.Z[i][r, cols[c]];
                z[i] = zi;
            }
        }
        int l = z[0].GetLength(1);
        if (l < k) throw new EstimationException($"gmm: {l} instruments for {k} coefficients; the model is not identified (add instruments or lags)");
        var wx = new double[l, k];
        var wy = new double[l];
        var s1 = new double[l, l];
        for (int i = 0; i < n; i++)
        {
            AddTransposeProduct(wx, z[i], d.X[i]);
            AddTransposeVector(wy, z[i], d.Y[i]);
            var hz = Dense.Multiply(d.H, z[i]);
            AddTransposeProduct(s1, z[i], hz);
        }
        var a1 = Dense.Scale(InvertPlm(s1, "the first-step matrix", warnings), n);
        var b1 = InvertSymmetric(Quad(wx, a1), "the one-step");
        var beta1 = Dense.MultiplyVector(b1, Dense.MultiplyVector(Transpose(wx), Dense.MultiplyVector(a1, wy)));
        var e1 = Residuals(d.Y, d.X, beta1);
        var s2 = new double[l, l];
        for (int i = 0; i < n; i++)
        {
            var ze = TransposeVector(z[i], e1[i]);
            for (int a = 0; a < l; a++) for (int b = 0; b < l; b++) s2[a, b] += ze[a] * ze[b];
        }
        var a2 = InvertPlm(s2, "the second-step matrix", warnings);
        // plm's vcovHC takes solve(A2), i.e. S2 itself when A2 was a regular inverse.
        var v1r = Dense.Sandwich(b1, Quad(wx, Dense.Multiply(Dense.Multiply(a1, s2), a1)));
        var beta = beta1; var b2 = b1; var e = e1; var v = b1; var vr = v1r;
        var we = new double[l];
        if (twoStep)
        {
            b2 = InvertSymmetric(Quad(wx, a2), "the two-step");
            beta = Dense.MultiplyVector(b2, Dense.MultiplyVector(Transpose(wx), Dense.MultiplyVector(a2, wy)));
            e = Residuals(d.Y, d.X, beta);
            v = b2;
            for (int i = 0; i < n; i++) AddTransposeVector(we, z[i], e[i]);
            // Windmeijer (2005, eq. 3.3; Roodman 2009 eq. 18; plm's vcovHC.pgmm): D_k = −B2 X'Z A2 (∂S2/∂β_k) A2 Z'e2 with
            // ∂S2/∂β_k = −Σ Z_i'(x_ik e1_i' + e1_i x_ik')Z_i, and V = B2 + D B2 + B2 D' + D V1r D'.
            var c = Dense.MultiplyVector(a2, we);
            var zeByUnit = new double[n][];
            for (int i = 0; i < n; i++) zeByUnit[i] = TransposeVector(z[i], e1[i]);
            var dm = new double[k, k];
            var wxa2 = Dense.Multiply(Transpose(wx), a2);
            for (int kk = 0; kk < k; kk++)
            {
                var m = new double[l]; // (∂S2/∂β_k) c = −Σ (a_i b_i'c + b_i a_i'c)
                for (int i = 0; i < n; i++)
                {
                    var ai = TransposeColumn(z[i], d.X[i], kk);
                    var bi = zeByUnit[i];
                    double bc = Dot(bi, c), ac = Dot(ai, c);
                    for (int a = 0; a < l; a++) m[a] -= ai[a] * bc + bi[a] * ac;
                }
                var col = Dense.MultiplyVector(b2, Dense.MultiplyVector(wxa2, m));
                for (int r = 0; r < k; r++) dm[r, kk] = -col[r];
            }
            var db2 = Dense.Multiply(dm, b2);
            var sand = Dense.Sandwich(dm, v1r);
            vr = new double[k, k];
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) vr[a, b] = b2[a, b] + db2[a, b] + db2[b, a] + sand[a, b];
        }
        else
            for (int i = 0; i < n; i++) AddTransposeVector(we, z[i], e1[i]);
        return new Core
        {
            Y = d.Y, X = d.X, Z = z, WX = wx, Wy = wy, A1 = a1, A2 = a2, S2 = s2, B1 = b1, B2 = b2, Beta1 = beta1, Beta = beta,
            E1 = e1, E = e, V = v, VRobust = vr, V1Robust = v1r, We = we, TwoStep = twoStep,
        };
    }

    /// <summary>plm's <c>sargan()</c>: (Σ Z_i'e_i)' A2 (Σ Z_i'e_i) with A2 from the one-step residuals.</summary>
    private static GmmTest Hansen(Core c, int df)
    {
        double j = Dot(c.We, Dense.MultiplyVector(c.A2, c.We));
        return new GmmTest(j, df, Distributions.ChiSquaredUpper(j, df));
    }

    private static GmmResult Diagnose(GmmDesign d, GmmSpec spec, Core c, List<string> warnings)
    {
        int k = d.K, l = d.L, n = d.Units;
        int usedUnits = d.Used.Count(u => u.Any(b => b));
        if (l > usedUnits)
            warnings.Add($"{l} instruments for {usedUnits} units: more instruments than units weakens the Hansen test and biases the two-step estimates toward OLS (Roodman 2009); consider --collapse or shorter lag ranges");
        var coefs = new GmmCoefficient[k];
        for (int j = 0; j < k; j++)
        {
            double se = Math.Sqrt(c.V[j, j]), rse = Math.Sqrt(c.VRobust[j, j]), zz = c.Beta[j] / rse;
            coefs[j] = new GmmCoefficient(d.Names[j], c.Beta[j], se, rse, zz, Distributions.NormalTwoSided(zz), j >= d.TimeStart);
        }
        var hansen = Hansen(c, l - k);
        // Sargan with the one-step weighting (Σ Z'HZ)⁻¹ = A1/N, scaled by σ̂² = Σ e1'e1 / Σ tr(H) over the used rows.
        double ssr = 0, trh = 0;
        var z1 = new double[l];
        for (int i = 0; i < n; i++)
        {
            AddTransposeVector(z1, c.Z[i], c.E1[i]);
            for (int r = 0; r < d.Rows; r++) if (d.Used[i][r]) { ssr += c.E1[i][r] * c.E1[i][r]; trh += d.H[r, r]; }
        }
        double sigma2 = ssr / trh;
        double sargan = Dot(z1, Dense.MultiplyVector(c.A1, z1)) / n / sigma2;
        var sarganTest = new GmmTest(sargan, l - k, Distributions.ChiSquaredUpper(sargan, l - k));
        int nD = d.TransformedRows;
        var idx = Enumerable.Range(0, spec.Regressors.Count).ToArray();
        var dummies = Enumerable.Range(d.TimeStart, k - d.TimeStart).Where(j => j != d.Intercept).ToArray();
        return new GmmResult
        {
            Spec = spec,
            Coefficients = coefs,
            OneStep = c.Beta1,
            Vcov = c.V,
            RobustVcov = c.VRobust,
            Units = usedUnits,
            PanelUnits = n,
            TransformedObservations = d.Used.Sum(u => u.Take(nD).Count(b => b)),
            LevelObservations = d.Used.Sum(u => u.Skip(nD).Count(b => b)),
            StackedRows = n * d.Rows,
            Instruments = l,
            Blocks = d.Blocks,
            Hansen = hansen,
            Sargan = sarganTest,
            Ar1 = ArTest(d, c, 1, c.VRobust),
            Ar2 = nD > 2 ? ArTest(d, c, 2, c.VRobust) : null,
            Ar1NonRobust = ArTest(d, c, 1, c.V),
            Ar2NonRobust = nD > 2 ? ArTest(d, c, 2, c.V) : null,
            WaldCoefficients = Wald(c.Beta, c.VRobust, idx),
            WaldTime = dummies.Length > 0 ? Wald(c.Beta, c.VRobust, dummies) : null,
            DifferenceInHansen = [],
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The Arellano–Bond test of order m (plm's <c>mtest</c>) on the first-differenced residuals Δe and their m-th lag
    /// within the unit's rows (zeros where a row is not used): z = Σ Δe'l / √(Σ(Δe'l)² − 2 EX B X'Z A ZVE + EX V EX'),
    /// EX = Σ l'ΔX, ZVE = Σ Z'r (Δe'l), r the estimation residuals of the transformed rows (level rows zero, as plm).
    /// </summary>
    private static GmmTest ArTest(GmmDesign d, Core c, int order, double[,] vv)
    {
        int k = d.K, l = c.Z[0].GetLength(1), nD = d.TransformedRows;
        double num = 0, eve = 0;
        var ex = new double[k];
        var zve = new double[l];
        for (int i = 0; i < d.Units; i++)
        {
            double[] de; double[,] dx;
            var r = new double[d.Rows];
            for (int row = 0; row < nD; row++) r[row] = c.E[i][row];
            if (d.DiffX is null) { de = r; dx = c.X[i]; }
            else
            {
                dx = d.DiffX[i];
                var beta = c.Beta;
                de = new double[d.Rows];
                for (int row = 0; row < nD; row++)
                {
                    if (!d.DiffUsed![i][row]) continue;
                    double s = d.DiffY![i][row];
                    for (int j = 0; j < k; j++) s -= dx[row, j] * beta[j];
                    de[row] = s;
                }
            }
            var lag = new double[d.Rows];
            for (int row = order; row < nD; row++) lag[row] = de[row - order];
            double q = 0;
            for (int row = 0; row < nD; row++) q += de[row] * lag[row];
            num += q; eve += q * q;
            for (int j = 0; j < k; j++) { double s = 0; for (int row = 0; row < nD; row++) s += lag[row] * dx[row, j]; ex[j] += s; }
            var zr = TransposeVector(c.Z[i], r);
            for (int t = 0; t < l; t++) zve[t] += zr[t] * q;
        }
        var aw = c.TwoStep ? c.A2 : c.A1;
        var bw = c.TwoStep ? c.B2 : c.B1;
        double cross = Dot(Dense.MultiplyVector(bw, ex), Dense.MultiplyVector(Transpose(c.WX), Dense.MultiplyVector(aw, zve)));
        double quad = Dot(ex, Dense.MultiplyVector(vv, ex));
        double zstat = num / Math.Sqrt(eve - 2 * cross + quad);
        return new GmmTest(zstat, 0, Distributions.NormalTwoSided(zstat));
    }

    private static GmmTest Wald(double[] beta, double[,] v, int[] idx)
    {
        var sub = new double[idx.Length, idx.Length];
        var b = new double[idx.Length];
        for (int a = 0; a < idx.Length; a++) { b[a] = beta[idx[a]]; for (int c = 0; c < idx.Length; c++) sub[a, c] = v[idx[a], idx[c]]; }
        double w = Dense.QuadraticInverse(b, sub);
        return new GmmTest(w, idx.Length, Distributions.ChiSquaredUpper(w, idx.Length));
    }

    /// <summary>plm's rule: solve() unless the smallest eigenvalue is below 1e-9, then MASS::ginv (tolerance √ε·max).</summary>
    private static double[,] InvertPlm(double[,] s, string what, List<string> warnings)
    {
        var ev = Dense.SymmetricEigenvalues(s);
        if (ev.Length > 0 && ev[0] >= SingularEigen && Dense.InverseSpd(s) is { } inv) return inv;
        warnings.Add($"{what} is singular; a generalised inverse is used (as plm)");
        return Dense.SymmetricPower(s, -1, 1.4901161193847656e-8);
    }

    private static double[,] InvertSymmetric(double[,] m, string what) =>
        Dense.InverseSpd(m) ?? Dense.Inverse(m) ?? throw new EstimationException($"gmm: {what} estimator's X'Z A Z'X is singular (collinear regressors, or a regressor no instrument reaches)");

    private static double[][] Residuals(double[][] y, double[][,] x, double[] beta)
    {
        var e = new double[y.Length][];
        for (int i = 0; i < y.Length; i++)
        {
            var ei = new double[y[i].Length];
            for (int r = 0; r < ei.Length; r++)
            {
                double s = y[i][r];
                for (int j = 0; j < beta.Length; j++) s -= x[i][r, j] * beta[j];
                ei[r] = s;
            }
            e[i] = ei;
        }
        return e;
    }

    /// <summary>A' W A for the k × l matrix A' = wx'.</summary>
    private static double[,] Quad(double[,] wx, double[,] w) => Dense.Multiply(Transpose(wx), Dense.Multiply(w, wx));

    private static double[,] Transpose(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var t = new double[m, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) t[j, i] = a[i, j];
        return t;
    }

    private static void AddTransposeProduct(double[,] acc, double[,] a, double[,] b)
    {
        int rows = a.GetLength(0), p = a.GetLength(1), q = b.GetLength(1);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < p; i++)
            {
                double v = a[r, i];
                if (v == 0) continue;
                for (int j = 0; j < q; j++) acc[i, j] += v * b[r, j];
            }
    }

    private static void AddTransposeVector(double[] acc, double[,] a, double[] y)
    {
        int rows = a.GetLength(0), p = a.GetLength(1);
        for (int r = 0; r < rows; r++)
        {
            double v = y[r];
            if (v == 0) continue;
            for (int i = 0; i < p; i++) acc[i] += a[r, i] * v;
        }
    }

    private static double[] TransposeVector(double[,] a, double[] y)
    {
        var r = new double[a.GetLength(1)];
        AddTransposeVector(r, a, y);
        return r;
    }

    private static double[] TransposeColumn(double[,] z, double[,] x, int col)
    {
        int rows = z.GetLength(0), p = z.GetLength(1);
        var r = new double[p];
        for (int row = 0; row < rows; row++)
        {
            double v = x[row, col];
            if (v == 0) continue;
            for (int i = 0; i < p; i++) r[i] += z[row, i] * v;
        }
        return r;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
