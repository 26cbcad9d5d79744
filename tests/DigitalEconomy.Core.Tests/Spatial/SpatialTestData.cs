using System.Globalization;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>splm's usaww (tests/data/validation/usaww.csv) read as a named table: header `state,ALABAMA,…`, one row per state.</summary>
internal static class SpatialTestData
{
    public static (string[] Rows, string[] Cols, double[,] Values) Table(string file)
    {
        var lines = File.ReadAllLines(TestData.PathOf(file)).Where(l => l.Length > 0).ToArray();
        var cols = lines[0].Split(',')[1..];
        var rows = new string[lines.Length - 1];
        var v = new double[rows.Length, cols.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var f = lines[i + 1].Split(',');
            rows[i] = f[0];
            for (int j = 0; j < cols.Length; j++) v[i, j] = double.Parse(f[j + 1], CultureInfo.InvariantCulture);
        }
        return (rows, cols, v);
    }

    public static SpatialWeights Usaww(string file = "usaww.csv")
    {
        var (r, c, v) = Table(file);
        return SpatialWeights.FromMatrix(r, c, v);
    }

    /// <summary>The same table with rows and columns in another (reversed-odd, shuffled) order.</summary>
    public static SpatialWeights Shuffled(string file = "usaww.csv")
    {
        var (r, c, v) = Table(file);
        int n = r.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => (i * 17) % n).ToArray();
        var colOrder = Enumerable.Range(0, n).OrderBy(i => (i * 29 + 5) % n).ToArray();
        var m = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = v[order[i], colOrder[j]];
        return SpatialWeights.FromMatrix([.. order.Select(i => r[i])], [.. colOrder.Select(j => c[j])], m);
    }
}
