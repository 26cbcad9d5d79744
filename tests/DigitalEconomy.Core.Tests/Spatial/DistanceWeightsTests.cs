using System.Globalization;
using DigitalEconomy.Core.Spatial;
using Xunit;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>Weights from coordinates: inverse great-circle distance and k nearest neighbours.</summary>
public class DistanceWeightsTests
{
    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    [Fact]
    public void Inverse_distance_of_the_capitals_equals_the_shipped_matrix_built_by_the_python_script()
    {
        string weights = Path.Combine(Repo(), "examples", "weights");
        var caps = File.ReadAllLines(Path.Combine(weights, "province_capitals.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var w = new DistanceWeighting(0, 1, null).Build([.. caps.Select(c => c[0])], [.. caps.Select(c => double.Parse(c[2], CultureInfo.InvariantCulture))],
            [.. caps.Select(c => double.Parse(c[3], CultureInfo.InvariantCulture))], rowStandardise: false);
        var table = File.ReadAllLines(Path.Combine(weights, "provinces_distance.csv"));
        var names = table[0].Split(',')[1..];
        int checkedCells = 0;
        foreach (var line in table.Skip(1))
        {
            var f = line.Split(',');
            int i = w.Names.ToList().IndexOf(f[0]);
            var dense = w.Dense();
            for (int j = 0; j < names.Length; j++)
            {
                double expected = double.Parse(f[j + 1], CultureInfo.InvariantCulture);
                double actual = dense[i, w.Names.ToList().IndexOf(names[j])];
                Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Abs(expected), $"{f[0]}–{names[j]}: {expected} vs {actual}");
                checkedCells++;
            }
        }
        Assert.Equal(900, checkedCells);
        // Beijing–Shanghai: about 1,068 km between the two cities.
        Assert.InRange(DistanceWeighting.Kilometres(39.90, 116.41, 31.23, 121.47), 1060, 1075);
    }

    [Fact]
    public void Nearest_neighbours_and_cut_off()
    {
        // Three points on the equator at longitudes 0, 1 and 3 degrees (111.19 km per degree).
        string[] u = ["a", "b", "c"];
        var knn = DistanceWeighting.Parse("knn:1", "--w-rule").Build(u, [0, 0, 0], [0, 1, 3]);
        Assert.Equal(new double[,] { { 0, 1, 0 }, { 1, 0, 0 }, { 0, 1, 0 } }, knn.Dense());
        var cut = DistanceWeighting.Parse("inverse:2:250", "--w-rule").Build(u, [0, 0, 0], [0, 1, 3], rowStandardise: false);
        double km = DistanceWeighting.EarthRadiusKm * Math.PI / 180;
        Assert.Equal(Math.Pow(km, -2), cut.Dense()[0, 1], 15);
        Assert.Equal(Math.Pow(2 * km, -2), cut.Dense()[1, 2], 15);
        Assert.Equal(0, cut.Dense()[0, 2]); // 333 km > 250 km
        var e = Assert.Throws<InputException>(() => DistanceWeighting.Parse("gauss:3", "--w-rule"));
        Assert.Contains("--w-rule 'gauss:3': expected inverse", e.Message);
    }
}
