using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>Rook contiguity of an m × m lattice: the spatial tests' matrix of known eigenvalues (products of two paths).</summary>
internal static class RookLattice
{
    /// <summary>The symmetric 0/1 rook matrix of an m × m lattice (units c000_000 …, row by row), row-standardised when asked.</summary>
    public static SpatialWeights Of(int m, bool rowStandardise)
    {
        var units = Enumerable.Range(0, m * m).Select(i => $"c{i / m:D3}_{i % m:D3}").ToArray();
        var edges = new List<(string, string, double)>();
        for (int r = 0; r < m; r++)
            for (int c = 0; c < m; c++)
            {
                if (c + 1 < m) edges.Add((units[r * m + c], units[r * m + c + 1], 1));
                if (r + 1 < m) edges.Add((units[r * m + c], units[(r + 1) * m + c], 1));
            }
        return SpatialWeights.FromEdges(units, edges, symmetric: true, rowStandardise);
    }
}
