using System.Diagnostics;
using System.Globalization;
using DigitalEconomy.Parquet;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// Write and read 1,000,000 rows × 10 columns (8 doubles, 1 int, 1 low-cardinality string), SNAPPY,
/// timed as the best of several runs after a warm-up; bench/parquet_bench.sh runs DuckDB on the same
/// data and prints the ratios.
/// </summary>
internal static class ParquetBench
{
    public static ParquetSchema Schema { get; } = new([.. Enumerable.Range(0, 8).Select(j => new ParquetField($"d{j}", ParquetType.Double, false)),
        new ParquetField("year", ParquetType.Int32, false), new ParquetField("region", ParquetType.String, false)]);

    private static readonly string[] Regions = ["East", "Central", "West", "Northeast"];

    public static (double[][] D, int[] Year, string[] Region) Data(int rows)
    {
        ulong s = 20261122;
        double U() { s += 0x9E3779B97F4A7C15UL; ulong z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return ((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0); }
        var d = Enumerable.Range(0, 8).Select(_ => new double[rows]).ToArray();
        var year = new int[rows];
        var region = new string[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 8; j++) d[j][i] = U() * 1000;
            year[i] = 2013 + i % 10;
            region[i] = Regions[(int)(U() * 4)];
        }
        return (d, year, region);
    }

    public static void Write(string path, (double[][] D, int[] Year, string[] Region) data)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = ParquetWriter.Create(Schema, fs);
        int n = data.Year.Length;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 8; j++) w.SetDouble(j, data.D[j][i]);
            w.SetInt32(8, data.Year[i]);
            w.SetString(9, data.Region[i]);
            w.EndRow();
        }
    }

    public static double Read(string path)
    {
        using var r = ParquetReader.Open(path);
        var cols = r.ReadAll();
        return cols[0].Doubles![0];
    }

    public static void Run(string dir, int rows, int reps)
    {
        Directory.CreateDirectory(dir);
        var data = Data(rows);
        string path = Path.Combine(dir, "ours.parquet");
        Write(path, data);
        Read(path);
        double bestW = double.MaxValue, bestR = double.MaxValue;
        for (int k = 0; k < reps; k++)
        {
            var sw = Stopwatch.StartNew();
            Write(path, data);
            bestW = Math.Min(bestW, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            Read(path);
            bestR = Math.Min(bestR, sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours write_ms={bestW:F1} read_ms={bestR:F1} bytes={new FileInfo(path).Length}"));
    }
}
