using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;

namespace DigitalEconomy.Store;

/// <summary>
/// How polygons become a contiguity matrix (docs/methods.md, "Spatial panels"). Text form (CLI <c>--w-rule</c>, a study's
/// <c>rule</c>): <c>queen[:PROPERTY[:SNAP]]</c> or <c>rook[:PROPERTY[:SNAP]]</c>; PROPERTY is the feature attribute naming the
/// unit (default <c>name</c>), SNAP a tolerance in the file's coordinate units (default 0: boundaries must meet exactly).
/// </summary>
/// <param name="Rook">Rook (a shared edge of positive length) rather than queen (any shared point).</param>
/// <param name="NameProperty">The attribute holding the unit's name.</param>
/// <param name="Snap">Two polygons closer than this count as touching (simplified boundary files do not meet exactly).</param>
public sealed record ContiguityRule(bool Rook, string NameProperty, double Snap)
{
    /// <summary>True when <paramref name="text"/> is a contiguity rule (starts with queen or rook).</summary>
    public static bool Is(string? text) => text is not null && (text.Trim().Split(':')[0].ToLowerInvariant() is "queen" or "rook");

    /// <summary>Parses <c>queen[:PROPERTY[:SNAP]]</c> or <c>rook[:PROPERTY[:SNAP]]</c>; <paramref name="where"/> names the option or key.</summary>
    public static ContiguityRule Parse(string text, string where)
    {
        var parts = (text ?? "").Trim().Split(':');
        string bad = $"{where} '{text}': expected queen[:PROPERTY[:SNAP]] or rook[:PROPERTY[:SNAP]] (e.g. queen, rook:NAME_1, queen:name:0.01)";
        if (parts.Length > 3 || !Is(text)) throw new InputException(bad);
        string property = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "name";
        double snap = 0;
        if (parts.Length > 2 && !(double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out snap) && snap >= 0 && double.IsFinite(snap))) throw new InputException(bad);
        return new ContiguityRule(parts[0].Equals("rook", StringComparison.OrdinalIgnoreCase), property, snap);
    }
}

/// <summary>
/// Contiguity matrices from polygons in a GeoJSON FeatureCollection (<c>.geojson</c>, <c>.json</c>) or an ESRI shapefile
/// (<c>.shp</c> with its <c>.dbf</c>), read by NetTopologySuite (BSD-3-Clause). The polygons of one unit may be spread over
/// several features (they are merged); the unit's name is the feature attribute named by the rule.
/// <list type="bullet">
/// <item>queen: units i and j are neighbours when their polygons are within Snap of each other (Snap 0: they share at least
/// one point);</item>
/// <item>rook: when they share a stretch of boundary: Snap 0, the intersection has a line of positive length; Snap &gt; 0,
/// the part of j's boundary within Snap of i's is longer than 10 × Snap (a corner contact gives about 2 × Snap) — a
/// heuristic for simplified files, stated as such.</item>
/// </list>
/// A unit with no neighbour (an island) is left without: the caller adds an edge list or refuses it (row-standardising).
/// </summary>
public static class SpatialPolygonsFile
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>True when <paramref name="path"/> names a polygon file by its extension.</summary>
    public static bool IsPolygonFile(string path) => Path.GetExtension(path).ToLowerInvariant() is ".geojson" or ".json" or ".shp";

    /// <summary>The units and their (merged) polygons from <paramref name="path"/>, in the file's order of first appearance.</summary>
    public static (string[] Units, Geometry[] Shapes) ReadShapes(string path, string nameProperty)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        if (!File.Exists(path)) throw new InputException($"{path}: no such file");
        IEnumerable<IFeature> features;
        if (Path.GetExtension(path).Equals(".shp", StringComparison.OrdinalIgnoreCase))
        {
            try { features = Shapefile.ReadAllFeatures(path); }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or FileNotFoundException)
            { throw new InputException($"{file}: not a readable shapefile ({e.Message})"); }
        }
        else
        {
            FeatureCollection? fc;
            try
            {
                using var s = File.OpenRead(path);
                fc = JsonSerializer.Deserialize<FeatureCollection>(s, GeoJson);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            { throw new InputException($"{file}: not a GeoJSON FeatureCollection ({e.Message})"); }
            features = fc ?? throw new InputException($"{file}: not a GeoJSON FeatureCollection");
        }
        var order = new List<string>();
        var parts = new Dictionary<string, List<Geometry>>(StringComparer.Ordinal);
        int k = 0;
        foreach (var f in features)
        {
            k++;
            object? value = f.Attributes is { } a && a.Exists(nameProperty) ? a[nameProperty] : null;
            string name = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (name.Length == 0) throw new InputException($"{file}: feature {k} has no '{nameProperty}' attribute (the unit's name; choose the attribute with queen:PROPERTY or rook:PROPERTY)");
            if (f.Geometry is not (Polygon or MultiPolygon)) throw new InputException($"{file}: feature {k} ('{name}') is a {f.Geometry?.GeometryType ?? "missing geometry"}, not a polygon");
            if (!parts.TryGetValue(name, out var list)) { parts[name] = list = []; order.Add(name); }
            list.Add(f.Geometry);
        }
        if (order.Count < 2) throw new InputException($"{file}: {order.Count} unit(s); contiguity needs at least two polygons");
        // Several features of one unit (e.g. islands stored apart) become one geometry; invalid rings are repaired by Buffer(0).
        var shapes = order.Select(n => { var g = parts[n].Count == 1 ? parts[n][0] : new GeometryCollection([.. parts[n]]).Union(); return g.IsValid ? g : g.Buffer(0); }).ToArray();
        return ([.. order], shapes);
    }

    /// <summary>The neighbour pairs (i &lt; j) of <paramref name="shapes"/> under <paramref name="rule"/>.</summary>
    public static List<(int I, int J)> Pairs(Geometry[] shapes, ContiguityRule rule)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(rule);
        // An STR-tree of the envelopes (grown by Snap) limits the exact tests to nearby pairs.
        var tree = new STRtree<int>();
        for (int i = 0; i < shapes.Length; i++) tree.Insert(Grown(shapes[i], rule.Snap), i);
        tree.Build();
        var pairs = new List<(int, int)>();
        for (int i = 0; i < shapes.Length; i++)
            foreach (int j in tree.Query(Grown(shapes[i], rule.Snap)).Where(j => j > i).Order())
                if (Neighbours(shapes[i], shapes[j], rule)) pairs.Add((i, j));
        return pairs;
    }

    private static Envelope Grown(Geometry g, double snap)
    {
        var e = new Envelope(g.EnvelopeInternal);
        e.ExpandBy(snap);
        return e;
    }

    private static bool Neighbours(Geometry a, Geometry b, ContiguityRule rule)
    {
        if (rule.Snap == 0)
        {
            if (!a.Intersects(b)) return false;
            return !rule.Rook || a.Boundary.Intersection(b.Boundary).Length > 0;
        }
        if (a.Distance(b) > rule.Snap) return false;
        return !rule.Rook || b.Boundary.Intersection(a.Boundary.Buffer(rule.Snap)).Length > 10 * rule.Snap;
    }

    /// <summary>The contiguity matrix (symmetric 0/1, row-standardised unless told otherwise) of the polygons in <paramref name="path"/>.</summary>
    public static SpatialWeights Read(string path, ContiguityRule rule, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (units, shapes) = ReadShapes(path, rule.NameProperty);
        var edges = Pairs(shapes, rule).Select(p => (units[p.I], units[p.J], 1.0));
        return SpatialWeights.FromEdges(units, edges, symmetric: true, rowStandardise);
    }
}
