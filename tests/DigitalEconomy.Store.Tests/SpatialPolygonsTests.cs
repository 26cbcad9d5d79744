using DigitalEconomy.Core;
using DigitalEconomy.Store;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// Queen and rook contiguity from polygons (GeoJSON and shapefile) on a 2 × 2 grid of unit squares, derived by hand:
/// a = [0,1]×[0,1], b = [1,2]×[0,1], c = [0,1]×[1,2], d = [1,2]×[1,2]. Rook: a–b, a–c, b–d, c–d (shared edges); queen adds
/// the corner contacts a–d and b–c.
/// </summary>
public class SpatialPolygonsTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-polygons-{Environment.ProcessId}");

    private static string Square(double x, double y, double size = 1) =>
        $"[[[{x},{y}],[{x + size},{y}],[{x + size},{y + size}],[{x},{y + size}],[{x},{y}]]]";

    private static string GeoJson(string name, params (string Unit, string Coordinates)[] features)
    {
        Directory.CreateDirectory(Dir);
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features.Select(f =>
            $"{{\"type\":\"Feature\",\"properties\":{{\"NAME_1\":\"{f.Unit}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{f.Coordinates}}}}}")) + "]}");
        return path;
    }

    private static readonly (string, string)[] Grid = [("d", Square(1, 1)), ("a", Square(0, 0)), ("b", Square(1, 0)), ("c", Square(0, 1))];

    private static string[] Pairs(Core.Spatial.SpatialWeights w) =>
        [.. w.RawEdges().Where(e => string.CompareOrdinal(e.From, e.To) < 0).Select(e => e.From + e.To).Order(StringComparer.Ordinal)];

    [Fact]
    public void Queen_and_rook_contiguity_of_a_grid_from_geojson()
    {
        string path = GeoJson("grid.geojson", Grid);
        var queen = SpatialWeightsFile.Read(path, contiguity: ContiguityRule.Parse("queen:NAME_1", "--w-rule"));
        Assert.Equal(["d", "a", "b", "c"], queen.Names); // the file's order
        Assert.Equal(["ab", "ac", "ad", "bc", "bd", "cd"], Pairs(queen));
        Assert.Equal(1 / 3.0, queen.Dense()[1, 2], 15); // a's row: b, c, d
        var rook = SpatialWeightsFile.Read(path, contiguity: ContiguityRule.Parse("rook:NAME_1", "--w-rule"));
        Assert.Equal(["ab", "ac", "bd", "cd"], Pairs(rook));
        Assert.Equal(0.5, rook.Dense()[1, 2], 15);
        Assert.True(rook.SymmetricBase);
    }

    [Fact]
    public void Snap_joins_polygons_a_small_gap_apart_and_rook_with_snap_ignores_corner_contacts()
    {
        // The same grid with gaps of 0.001 between the squares (sides 0.999).
        string path = GeoJson("gaps.geojson", ("a", Square(0, 0, 0.999)), ("b", Square(1, 0, 0.999)), ("c", Square(0, 1, 0.999)), ("d", Square(1, 1, 0.999)));
        var none = SpatialWeightsFile.Read(path, rowStandardise: false, contiguity: ContiguityRule.Parse("queen:NAME_1", "--w-rule"));
        Assert.Equal(0, none.NonZeros);
        Assert.Equal(["ab", "ac", "ad", "bc", "bd", "cd"], Pairs(SpatialWeightsFile.Read(path, contiguity: ContiguityRule.Parse("queen:NAME_1:0.01", "--w-rule"))));
        // Rook with snap 0.01: a shared stretch of 0.999 > 10 × 0.01; a corner contact gives about 2 × 0.01.
        Assert.Equal(["ab", "ac", "bd", "cd"], Pairs(SpatialWeightsFile.Read(path, contiguity: ContiguityRule.Parse("rook:NAME_1:0.01", "--w-rule"))));
    }

    [Fact]
    public void The_same_grid_from_a_shapefile()
    {
        Directory.CreateDirectory(Dir);
        var factory = new GeometryFactory();
        Polygon Sq(double x, double y) => factory.CreatePolygon([new(x, y), new(x + 1, y), new(x + 1, y + 1), new(x, y + 1), new(x, y)]);
        var features = new[] { ("a", Sq(0, 0)), ("b", Sq(1, 0)), ("c", Sq(0, 1)), ("d", Sq(1, 1)) }
            .Select(f => (IFeature)new Feature(f.Item2, new AttributesTable { { "name", f.Item1 } })).ToList();
        string shp = Path.Combine(Dir, "grid.shp");
        Shapefile.WriteAllFeatures(features, shp);
        Assert.Equal(["ab", "ac", "ad", "bc", "bd", "cd"], Pairs(SpatialWeightsFile.Read(shp)));
        Assert.Equal(["ab", "ac", "bd", "cd"], Pairs(SpatialWeightsFile.Read(shp, contiguity: ContiguityRule.Parse("rook", "--w-rule"))));
    }

    [Fact]
    public void An_island_a_missing_name_and_a_bad_rule_are_refused_in_one_line()
    {
        string path = GeoJson("island.geojson", [.. Grid, ("e", Square(5, 5))]);
        var e = Assert.Throws<InputException>(() => SpatialWeightsFile.Read(path, contiguity: ContiguityRule.Parse("queen:NAME_1", "--w-rule")));
        Assert.StartsWith("weight matrix: 1 units without any neighbour: e;", e.Message);
        Assert.Equal(4, SpatialWeightsFile.Read(path, rowStandardise: false, contiguity: ContiguityRule.Parse("rook:NAME_1", "--w-rule")).RawEdges().Count(x => x.From == "a" || x.To == "a"));
        e = Assert.Throws<InputException>(() => SpatialWeightsFile.Read(path));
        Assert.Equal("island.geojson: feature 1 has no 'name' attribute (the unit's name; choose the attribute with queen:PROPERTY or rook:PROPERTY)", e.Message);
        e = Assert.Throws<InputException>(() => ContiguityRule.Parse("rook:NAME_1:-1", "--w-rule"));
        Assert.StartsWith("--w-rule 'rook:NAME_1:-1': expected queen[:PROPERTY[:SNAP]] or rook[:PROPERTY[:SNAP]]", e.Message);
    }

    [Fact]
    public void The_shipped_polygon_pairs_are_the_hand_list_without_the_hainan_island_link()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        string weights = Path.Combine(dir.FullName, "examples", "weights");
        static HashSet<string> Read(string p) => [.. File.ReadAllLines(p).Skip(1).Select(l => string.Join(",", l.Split(',').Order(StringComparer.Ordinal)))];
        var hand = Read(Path.Combine(weights, "province_borders.csv"));
        var polygons = Read(Path.Combine(weights, "province_borders_echarts.csv"));
        Assert.Equal(65, hand.Count);
        Assert.Equal(64, polygons.Count);
        Assert.Equal(["Guangdong,Hainan"], hand.Except(polygons).ToArray());
        Assert.Empty(polygons.Except(hand));
    }
}
