using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads a spatial weight matrix from a CSV file (read as a dataset: UTF-8, or GB18030 when not UTF-8) in one of two
/// shapes, told apart by the header:
/// <list type="bullet">
/// <item>polygons (<c>.geojson</c>, <c>.json</c>, <c>.shp</c>): queen or rook contiguity (<see cref="SpatialPolygonsFile"/>, queen by default);</item>
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
    /// <summary>
    /// W from the value of a --w option (docs/methods.md, "Spatial panels"): a CSV file (<see cref="Read"/>), or
    /// <c>economic:VAR</c> (economic distance 1/|Ȳi − Ȳj| of the units' means of column VAR of <paramref name="frame"/>), or
    /// <c>nested:FILE,VAR</c> (product w^d_ij·w^e_ij of the file's matrix and that economic matrix) or
    /// <c>nested:FILE,VAR,PHI</c> (φ·W_d + (1 − φ)·W_e of the two row-standardised matrices).
    /// </summary>
    public static SpatialWeights Resolve(string text, string option, DataFrame frame, string unitColumn, bool rowStandardise = true, string? rule = null, string ruleOption = "--w-rule")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(frame);
        string where = $"{option} {text}";
        var (distance, contiguity) = ParseRule(rule, ruleOption);
        if (text.StartsWith("economic:", StringComparison.Ordinal))
        {
            string v = text["economic:".Length..].Trim();
            if (v.Length == 0 || v.Contains(',', StringComparison.Ordinal)) throw new InputException($"{where}: expected economic:VAR (a column of the data, e.g. economic:gdp_pc)");
            return Economic(frame, unitColumn, v, where, rowStandardise);
        }
        if (text.StartsWith("nested:", StringComparison.Ordinal))
        {
            var parts = text["nested:".Length..].Split(',');
            if (parts.Length is < 2 or > 3 || parts.Any(q => q.Trim().Length == 0))
                throw new InputException($"{where}: expected nested:FILE,VAR (product of the file's matrix and the economic matrix of VAR) or nested:FILE,VAR,PHI (φ-mixture, 0 ≤ φ ≤ 1)");
            double? phi = null;
            if (parts.Length == 3)
                phi = double.TryParse(parts[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f >= 0 && f <= 1
                    ? f : throw new InputException($"{where}: φ '{parts[2].Trim()}' is not a number from 0 to 1");
            var geographic = Read(parts[0].Trim(), rowStandardise, null, distance, contiguity);
            return EconomicWeights.Nested(geographic, Economic(frame, unitColumn, parts[1].Trim(), where, rowStandardise), phi, where, rowStandardise);
        }
        return Read(text, rowStandardise, null, distance, contiguity);
    }

    /// <summary>
    /// A rule's text: <c>queen|rook[:PROPERTY[:SNAP]]</c> (polygons, <see cref="ContiguityRule"/>) or
    /// <c>inverse[:POWER[:CUTOFF_KM]]|knn:K</c> (coordinates, <see cref="DistanceWeighting"/>); null gives neither.
    /// </summary>
    public static (DistanceWeighting? Distance, ContiguityRule? Contiguity) ParseRule(string? rule, string where) =>
        rule is null ? (null, null) : ContiguityRule.Is(rule) ? (null, ContiguityRule.Parse(rule, where)) : (DistanceWeighting.Parse(rule, where), null);

    /// <summary>The economic-distance matrix of the units' means of <paramref name="variable"/> (<see cref="EconomicWeights"/>).</summary>
    public static SpatialWeights Economic(DataFrame frame, string unitColumn, string variable, string where, bool rowStandardise = true)
    {
        var (units, means) = EconomicWeights.UnitMeans(frame, unitColumn, variable, where);
        return EconomicWeights.Build(units, means, where, rowStandardise);
    }

    /// <summary>W from <paramref name="path"/>.</summary>
    /// <exception cref="InputException">A missing file, a cell that is not a number, or a shape that is neither form (one line).</exception>
    public static SpatialWeights Read(string path, bool rowStandardise = true, string? encoding = null, DistanceWeighting? coordinates = null, ContiguityRule? contiguity = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputException($"--w {path}: no such file");
        if (SpatialPolygonsFile.IsPolygonFile(path))
        {
            if (coordinates is not null) throw new InputException($"{Path.GetFileName(path)}: a polygon file takes a contiguity rule (queen or rook), not a distance rule");
            return SpatialPolygonsFile.Read(path, contiguity ?? new ContiguityRule(false, "name", 0), rowStandardise);
        }
        if (contiguity is not null) throw new InputException($"{Path.GetFileName(path)}: a contiguity rule (queen, rook) needs a polygon file (.geojson, .json or .shp)");
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
