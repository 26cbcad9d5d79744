using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// The hat matrix of the full LSDV regression (slopes and every fixed-effect dummy), without forming the
/// dummies: H = P_D + X̃BX̃' where P_D is the projection on the FE design and B = (X̃'X̃)⁻¹. P_D applied to a
/// vector is z − demean(z), so any absorber (one-way, two-way, unbalanced, interacted) gives exact
/// leverages; with one factor P_D is the group mean, 1/n_g, in closed form. Used by HC2/HC3 and CR2/CR3.
/// </summary>
internal static class FeProjection
{
    /// <summary>x̃ᵢ'Bx̃ᵢ for every row: the leverage of the partialled regressors.</summary>
    public static double[] RegressorLeverage(double[,] bread, IReadOnlyList<double[]> x, int n)
    {
        int m = x.Count;
        var h = new double[n];
        var row = new double[m];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < m; p++) row[p] = x[p][i];
            double s = 0;
            for (int p = 0; p < m; p++)
            {
                double t = 0;
                for (int q = 0; q < m; q++) t += bread[p, q] * row[q];
                s += row[p] * t;
            }
            h[i] = s;
        }
        return h;
    }

    /// <summary>
    /// The diagonal of P_D (the leverage of the fixed effects alone): 0 without fixed effects, 1/n_g with
    /// one factor, else 1 − (demeaned unit vector)ᵢ row by row (N demeanings: exact for unbalanced and
    /// multi-way designs; the balanced two-way value is 1/T + 1/G − 1/(GT)).
    /// </summary>
    public static double[] Diagonal(Absorber? absorber, int n)
    {
        var h = new double[n];
        if (absorber is null || absorber.Codes.Count == 0) return h;
        if (absorber.Codes.Count == 1)
        {
            var codes = absorber.Codes[0];
            var count = new int[codes.Max() + 1];
            foreach (int c in codes) count[c]++;
            for (int i = 0; i < n; i++) h[i] = 1.0 / count[codes[i]];
            return h;
        }
        var e = new double[n];
        var into = new double[n];
        for (int i = 0; i < n; i++)
        {
            e[i] = 1;
            h[i] = 1 - absorber.Demean(e, into)[i];
            e[i] = 0;
        }
        return h;
    }

    /// <summary>The block H_gg of the full LSDV hat matrix on <paramref name="rows"/>.</summary>
    public static double[,] Block(Absorber? absorber, double[,] bread, IReadOnlyList<double[]> x, int[] rows, int n)
    {
        int ng = rows.Length, m = x.Count;
        var h = new double[ng, ng];
        if (absorber is not null && absorber.Codes.Count == 1)
        {
            var codes = absorber.Codes[0];
            var count = new int[codes.Max() + 1];
            foreach (int c in codes) count[c]++;
            for (int a = 0; a < ng; a++)
                for (int b = 0; b < ng; b++)
                    if (codes[rows[a]] == codes[rows[b]]) h[a, b] = 1.0 / count[codes[rows[a]]];
        }
        else if (absorber is not null && absorber.Codes.Count > 1)
        {
            var e = new double[n];
            var into = new double[n];
            for (int a = 0; a < ng; a++)
            {
                e[rows[a]] = 1;
                var d = absorber.Demean(e, into);
                for (int b = 0; b < ng; b++) h[b, a] = (rows[b] == rows[a] ? 1 : 0) - d[rows[b]];
                e[rows[a]] = 0;
            }
        }
        // + X̃_g B X̃_g'
        var xb = new double[ng, m];
        for (int a = 0; a < ng; a++)
            for (int p = 0; p < m; p++)
            {
                double t = 0;
                for (int q = 0; q < m; q++) t += x[q][rows[a]] * bread[q, p];
                xb[a, p] = t;
            }
        for (int a = 0; a < ng; a++)
            for (int b = 0; b < ng; b++)
            {
                double t = 0;
                for (int p = 0; p < m; p++) t += xb[a, p] * x[p][rows[b]];
                h[a, b] += t;
            }
        return h;
    }

    /// <summary>(I − H)z = demean(z) − X̃B(X̃'z): the residual maker of the full LSDV regression applied to z.</summary>
    public static double[] ResidualMaker(Absorber? absorber, double[,] bread, IReadOnlyList<double[]> x, double[] z)
    {
        int n = z.Length, m = x.Count;
        var r = absorber is null ? (double[])z.Clone() : absorber.Demean(z);
        var xz = new double[m];
        for (int p = 0; p < m; p++) xz[p] = ThinQr.Dot(x[p], z);
        var bxz = Dense.MultiplyVector(bread, xz);
        for (int p = 0; p < m; p++) ThinQr.Axpy(-bxz[p], x[p], r);
        return r;
    }

    /// <summary>The rows of each cluster, in row order.</summary>
    public static int[][] RowsByCluster(int[] codes, int g)
    {
        var count = new int[g];
        foreach (int c in codes) count[c]++;
        var rows = new int[g][];
        for (int c = 0; c < g; c++) rows[c] = new int[count[c]];
        Array.Clear(count);
        for (int i = 0; i < codes.Length; i++) rows[codes[i]][count[codes[i]]++] = i;
        return rows;
    }
}
