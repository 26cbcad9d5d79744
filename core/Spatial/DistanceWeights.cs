using System.Globalization;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// How coordinates become weights (docs/methods.md, "Spatial panels"): great-circle distances d_ij in km between points
/// given by latitude and longitude (haversine, R = 6371 km), then either inverse distance w_ij = d_ij^−power (0 beyond an
/// optional cut-off) or the k nearest neighbours (w_ij = 1 for the k closest j of each i; ties broken by unit order).
/// Text form (CLI and studies): <c>inverse[:POWER[:CUTOFF_KM]]</c> or <c>knn:K</c>.
/// </summary>
/// <param name="Nearest">k of the k-nearest-neighbour rule; 0 for inverse distance.</param>
/// <param name="Power">Power of the inverse distance.</param>
/// <param name="CutoffKm">Pairs farther apart get weight 0 (null: no cut-off).</param>
public sealed record DistanceWeighting(int Nearest, double Power, double? CutoffKm)
{
    /// <summary>Earth's mean radius in km used by the haversine distance.</summary>
    public const double EarthRadiusKm = 6371.0;

    /// <summary>Parses <c>inverse[:POWER[:CUTOFF_KM]]</c> or <c>knn:K</c>; <paramref name="where"/> names the option or key in the error.</summary>
    public static DistanceWeighting Parse(string text, string where)
    {
        var parts = (text ?? "").Trim().Split(':');
        string Bad() => $"{where} '{text}': expected inverse[:POWER[:CUTOFF_KM]] (e.g. inverse, inverse:2, inverse:1:500) or knn:K (e.g. knn:5)";
        double Num(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 ? v : throw new InputException(Bad());
        return parts[0].ToLowerInvariant() switch
        {
            "inverse" when parts.Length <= 3 => new DistanceWeighting(0, parts.Length > 1 ? Num(parts[1]) : 1, parts.Length > 2 ? Num(parts[2]) : null),
            "knn" when parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0 => new DistanceWeighting(k, 0, null),
            _ => throw new InputException(Bad()),
        };
    }

    /// <summary>The great-circle distance in km between two points (degrees).</summary>
    public static double Kilometres(double lat1, double lon1, double lat2, double lon2)
    {
        double p1 = lat1 * Math.PI / 180, p2 = lat2 * Math.PI / 180, dl = (lon2 - lon1) * Math.PI / 180;
        double h = Math.Pow(Math.Sin((p2 - p1) / 2), 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Pow(Math.Sin(dl / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(h));
    }

    /// <summary>W over <paramref name="units"/> at the given points.</summary>
    /// <exception cref="InputException">A coordinate out of range, two units at the same point (inverse distance), or k ≥ the number of units.</exception>
    public SpatialWeights Build(IReadOnlyList<string> units, IReadOnlyList<double> lat, IReadOnlyList<double> lon, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(lat);
        ArgumentNullException.ThrowIfNull(lon);
        int n = units.Count;
        for (int i = 0; i < n; i++)
            if (!(Math.Abs(lat[i]) <= 90) || !(Math.Abs(lon[i]) <= 180))
                throw new InputException($"coordinates of '{units[i]}': ({lat[i]}, {lon[i]}) is not a latitude in [−90, 90] and a longitude in [−180, 180]");
        if (Nearest >= n) throw new InputException($"knn:{Nearest}: there are only {n} units");
        var edges = new List<(string, string, double)>();
        for (int i = 0; i < n; i++)
        {
            var d = new double[n];
            for (int j = 0; j < n; j++) d[j] = i == j ? double.PositiveInfinity : Kilometres(lat[i], lon[i], lat[j], lon[j]);
            if (Nearest > 0)
            {
                foreach (int j in Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => d[j]).ThenBy(j => j).Take(Nearest)) edges.Add((units[i], units[j], 1));
                continue;
            }
            for (int j = 0; j < n; j++)
            {
                if (j == i || (CutoffKm is { } c && d[j] > c)) continue;
                if (d[j] == 0) throw new InputException($"coordinates: '{units[i]}' and '{units[j]}' are at the same point; inverse distance needs distinct points");
                edges.Add((units[i], units[j], Math.Pow(d[j], -Power)));
            }
        }
        return SpatialWeights.FromEdges(units, edges, symmetric: false, rowStandardise);
    }
}
