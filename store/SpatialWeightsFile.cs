using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads a spatial weight matrix from a CSV file (read as a dataset: UTF-8, or GB18030 when not UTF-8) in one of two
/// shapes, told apart by the header:
/// <list type="bullet">
/// <item>an edge list: columns <c>from,to</c> and optionally <c>weight</c> (1 when absent); each row is the weight of
/// <c>to</c> in the row of <c>from</c>. Units with no edge in either column are unknown to W;</item>
/// <item>a coordinates file: a first column naming the unit, and columns <c>lat</c> and <c>lon</c> (degrees), with a
/// <see cref="DistanceWeighting"/> rule (inverse distance or k nearest neighbours);</item>
/// <item>a named unit × unit table: the first column holds the row unit's name (its header is free, e.g. <c>state</c>),
/// the other headers are the column units' names; the columns may be in another order than the rows.</item>
/// </list>
/// Rows are row-standardised unless <c>rowStandardise</c> is false. W is matched to the panel by unit name later
/// (<see cref="SpatialWeights.AlignTo"/>), so its order is free.
/// </summary>
public static class SpatialWeightsFile
{
    /// <summary>W from <paramref name="path"/>.</summary>
    /// <exception cref="InputException">A missing file, a cell that is not a number, or a shape that is neither form (one line).</exception>
    public static SpatialWeights Read(string path, bool rowStandardise = true, string? encoding = null, DistanceWeighting? coordinates = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputException($"--w {path}: no such file");
        var frame = DatasetFile.Read(path, encoding);
        string name = Path.GetFileName(path);
        if (frame.Has("lat") && frame.Has("lon"))
        {
            // A coordinates file: the first column names the unit; W from the distances (DistanceWeighting).
            if (coordinates is null) throw new InputException($"{name}: a coordinates file (lat, lon) needs a rule: inverse[:POWER[:CUTOFF_KM]] or knn:K");
            var unitCol = frame.Columns[0];
            var units = Enumerable.Range(0, frame.RowCount).Select(r => unitCol.TextAt(r) ?? throw new InputException($"{frame.Where(r)}: the unit ('{unitCol.Name}') is empty")).ToList();
            var lat = frame.Numeric("lat");
            var lon = frame.Numeric("lon");
            return coordinates.Build(units, lat, lon, rowStandardise);
        }
        if (coordinates is not null) throw new InputException($"{name}: a distance rule was given but the file has no lat and lon columns");
        if (frame.Has("from") && frame.Has("to") && frame.Columns.Count <= 3)
        {
            bool weighted = frame.Has("weight");
            if (frame.Columns.Count == 3 && !weighted) throw new InputException($"{name}: an edge list has the columns from,to[,weight]; found {string.Join(",", frame.Columns.Select(c => c.Name))}");
            var weights = weighted ? frame.Numeric("weight") : null;
            var edges = new List<(string, string, double)>(frame.RowCount);
            var units = new SortedSet<string>(StringComparer.Ordinal);
            for (int r = 0; r < frame.RowCount; r++)
            {
                string from = frame["from"].TextAt(r) ?? throw new InputException($"{frame.Where(r)}: 'from' is empty");
                string to = frame["to"].TextAt(r) ?? throw new InputException($"{frame.Where(r)}: 'to' is empty");
                double wt = weights?[r] ?? 1;
                if (double.IsNaN(wt)) throw new InputException($"{frame.Where(r)}: 'weight' is empty or not a number");
                edges.Add((from, to, wt));
                units.Add(from);
                units.Add(to);
            }
            return SpatialWeights.FromEdges([.. units], edges, symmetric: false, rowStandardise);
        }
        if (frame.Columns.Count < 3) throw new InputException($"{name}: expected a unit × unit table (first column the row unit, the other headers the column units) or an edge list (from,to[,weight])");
        var first = frame.Columns[0];
        var rows = new string[frame.RowCount];
        for (int r = 0; r < rows.Length; r++) rows[r] = first.TextAt(r) ?? throw new InputException($"{frame.Where(r)}: the row unit ('{first.Name}') is empty");
        var cols = frame.Columns.Skip(1).ToList();
        var values = new double[rows.Length, cols.Count];
        for (int j = 0; j < cols.Count; j++)
        {
            if (!cols[j].IsNumeric)
            {
                var bad = cols[j].FirstNonNumeric;
                throw new InputException(bad is null ? $"{name}: column '{cols[j].Name}' is not numeric" : $"{bad.Source}: line {bad.Line.ToString(CultureInfo.InvariantCulture)}, column '{cols[j].Name}': '{bad.Text}' is not a weight (expected a number)");
            }
            var v = cols[j].Values!;
            for (int r = 0; r < rows.Length; r++)
            {
                if (double.IsNaN(v[r])) throw new InputException($"{frame.Where(r)}, column '{cols[j].Name}': the weight is empty (write 0 for no link)");
                values[r, j] = v[r];
            }
        }
        return SpatialWeights.FromMatrix(rows, [.. cols.Select(c => c.Name)], values, rowStandardise);
    }
}
