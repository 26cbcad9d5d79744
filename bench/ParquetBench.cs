using System.Diagnostics;
using System.Globalization;
using DigitalEconomy.Store;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// Write and read 1,000,000 rows × 10 columns (8 doubles, 1 int, 1 low-cardinality string), SNAPPY, with
/// Parquet.Net as the store writes it (<see cref="ParquetFormat.Writer"/>: Snappy, CompressionLevel.Optimal,
/// one row group). Reading is timed three ways: the column API one column after another, the column API
/// with one reader per column in parallel, and the high-level ParquetSerializer into records. Best of
/// several runs after a warm-up; bench/parquet_bench.sh runs DuckDB on the same file and prints ratios.
/// </summary>
internal static class ParquetBench
{
    private static readonly DataField[] Fields =
        [.. Enumerable.Range(0, 8).Select(j => (DataField)new DataField<double>($"d{j}", false)), new DataField<int>("year", false), new DataField<string>("region", false)];

    private static readonly ParquetSchema Schema = new(Fields.Cast<Field>());

    private static readonly string[] Regions = ["East", "Central", "West", "Northeast"];

    /// <summary>One row, for the high-level serializer.</summary>
    public sealed class Row
    {
        public double d0 { get; set; }
        public double d1 { get; set; }
        public double d2 { get; set; }
        public double d3 { get; set; }
        public double d4 { get; set; }
        public double d5 { get; set; }
        public double d6 { get; set; }
        public double d7 { get; set; }
        public int year { get; set; }
        [Parquet.Serialization.Attributes.ParquetRequired]
        public string region { get; set; } = "";
    }

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

    public static async Task WriteAsync(string path, (double[][] D, int[] Year, string[] Region) data)
    {
        await using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        await using var w = await ParquetWriter.CreateAsync(Schema, fs, ParquetFormat.Writer());
        using var rg = w.CreateRowGroup();
        for (int j = 0; j < 8; j++) await rg.WriteAsync(Fields[j], (ReadOnlyMemory<double>)data.D[j]);
        await rg.WriteAsync(Fields[8], (ReadOnlyMemory<int>)data.Year);
        await rg.WriteAsync(Fields[9], data.Region);
    }

    /// <summary>Column API: every column of every row group into arrays, one after another.</summary>
    public static async Task<double> ReadColumnsAsync(string path)
    {
        await using var r = await ParquetReader.CreateAsync(path, ParquetFormat.Reader());
        double check = 0;
        for (int g = 0; g < r.RowGroupCount; g++)
        {
            using var rg = r.OpenRowGroupReader(g);
            check += await ReadGroupColumnsAsync(r, rg, Enumerable.Range(0, Fields.Length));
        }
        return check;
    }

    /// <summary>Column API with one reader (and file stream) per column, the columns read in parallel.</summary>
    public static async Task<double> ReadColumnsParallelAsync(string path)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, Fields.Length).Select(c => Task.Run(async () =>
        {
            await using var r = await ParquetReader.CreateAsync(path, ParquetFormat.Reader());
            double check = 0;
            for (int g = 0; g < r.RowGroupCount; g++)
            {
                using var rg = r.OpenRowGroupReader(g);
                check += await ReadGroupColumnsAsync(r, rg, [c]);
            }
            return check;
        })));
        return parts.Sum();
    }

    private static async Task<double> ReadGroupColumnsAsync(ParquetReader r, ParquetRowGroupReader rg, IEnumerable<int> columns)
    {
        var fields = r.Schema.GetDataFields();
        int n = (int)rg.RowCount;
        double check = 0;
        foreach (int c in columns)
        {
            if (c < 8)
            {
                var v = new double[n];
                await rg.ReadAsync(fields[c], v.AsMemory());
                check += v[n - 1];
            }
            else if (c == 8)
            {
                var v = new int[n];
                await rg.ReadAsync(fields[c], v.AsMemory());
                check += v[n - 1];
            }
            else
            {
                var v = new string?[n];
                await rg.ReadAsync(fields[c], v.AsMemory());
                check += v[n - 1]!.Length;
            }
        }
        return check;
    }

    /// <summary>High-level: ParquetSerializer into a list of records.</summary>
    public static async Task<double> ReadRecordsAsync(string path)
    {
        var rows = await ParquetSerializer.DeserializeAsync<Row>(path);
        return rows.Data[^1].d0;
    }

    public static async Task RunAsync(string dir, int rows, int reps)
    {
        Directory.CreateDirectory(dir);
        var data = Data(rows);
        string path = Path.Combine(dir, "ours.parquet");
        await WriteAsync(path, data);
        var readers = new (string Name, Func<string, Task<double>> Read)[]
        {
            ("columns", ReadColumnsAsync), ("columns_parallel", ReadColumnsParallelAsync), ("records", ReadRecordsAsync),
        };
        foreach (var (_, read) in readers) await read(path);
        double bestW = double.MaxValue;
        var bestR = readers.ToDictionary(r => r.Name, _ => double.MaxValue);
        for (int k = 0; k < reps; k++)
        {
            var sw = Stopwatch.StartNew();
            await WriteAsync(path, data);
            bestW = Math.Min(bestW, sw.Elapsed.TotalMilliseconds);
            foreach (var (name, read) in readers)
            {
                sw.Restart();
                await read(path);
                bestR[name] = Math.Min(bestR[name], sw.Elapsed.TotalMilliseconds);
            }
        }
        var fastest = bestR.MinBy(kv => kv.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours write_ms={bestW:F1} read_ms={fastest.Value:F1} read_path={fastest.Key} {string.Join(" ", bestR.Select(kv => $"read_{kv.Key}_ms={kv.Value:F1}"))} bytes={new FileInfo(path).Length}"));
    }
}
