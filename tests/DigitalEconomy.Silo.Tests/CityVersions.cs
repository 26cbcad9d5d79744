using System.Globalization;
using System.Text;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Versions of a small city panel made through the real `de ingest` path: the shipped examples/cities.csv
/// cut to a few columns, version 1 without its last year, version 2 adding the last year of one region's cities.
/// </summary>
internal static class CityVersions
{
    public static string CitiesPath => Path.Combine(AppContext.BaseDirectory, "data", "cities.csv");

    /// <summary>The columns kept (the unit and time first, as the canonical file orders them).</summary>
    public static readonly string[] Columns = ["city", "year", "region", "province", "lngdp", "dfi_index", "gov", "market", "fin"];

    /// <summary>The column map of the kept columns (de ingest, and the inbox's map.yaml).</summary>
    public const string Map = """
        unit: { column: city, name: city }
        time: { column: year, name: year }
        variables:
          region: { column: region, type: text }
          province: { column: province, type: text }
          lngdp: lngdp
          dfi_index: dfi_index
          gov: gov
          market: market
          fin: fin

        """;

    /// <summary>The rows of the shipped panel (kept columns) whose year and region pass <paramref name="keep"/>.</summary>
    public static string Csv(Func<long, string, bool> keep)
    {
        var lines = File.ReadAllLines(CitiesPath);
        var header = lines[0].Split(',');
        int[] at = [.. Columns.Select(c => Array.IndexOf(header, c))];
        Assert.DoesNotContain(-1, at);
        int year = Array.IndexOf(header, "year"), region = Array.IndexOf(header, "region");
        var sb = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (keep(long.Parse(cells[year], CultureInfo.InvariantCulture), cells[region]))
                sb.Append(string.Join(',', at.Select(i => cells[i]))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Ingests <paramref name="csv"/> into dataset <paramref name="name"/> under <paramref name="root"/> with `de ingest` (the map is written beside it).</summary>
    public static void Ingest(string dir, string root, string name, string csv, string file)
    {
        Directory.CreateDirectory(dir);
        string source = Path.Combine(dir, file), map = Path.Combine(dir, "cities-map.yaml");
        File.WriteAllText(source, csv);
        File.WriteAllText(map, Map);
        var (code, o, e) = De.Run("ingest", name, source, "--map", map, "--root", root);
        Assert.True(code == 0, o + e);
    }

    /// <summary>SHA-256 of every file under <paramref name="dir"/>, by relative path.</summary>
    public static SortedDictionary<string, string> Hashes(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), Grains.RunStart.HashFile), StringComparer.Ordinal);
}
