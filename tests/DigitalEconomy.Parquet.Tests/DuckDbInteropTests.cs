using System.Globalization;
using Xunit;

namespace DigitalEconomy.Parquet.Tests;

/// <summary>Our files read by DuckDB, and DuckDB's files read by us (tests/interop, @duckdb/node-api).</summary>
public class DuckDbInteropTests
{
    private static readonly string Dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "de-duck-" + Environment.ProcessId)).FullName;

    private static string Text(object? v) => v switch
    {
        null => "<null>",
        double d when d == 0 => "0", // DuckDB's JSON output drops the sign of −0.0 (checked separately with signbit)
        float f when f == 0 => "0",
        double d => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "NaN" : float.IsPositiveInfinity(f) ? "Infinity" : float.IsNegativeInfinity(f) ? "-Infinity" : f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString()!,
    };

    private static string DuckText(string? v, string type) => v is null ? "<null>" : type switch
    {
        "DOUBLE" => double.Parse(v, CultureInfo.InvariantCulture) is var d && double.IsNaN(d) ? "NaN" : Text(double.Parse(v, CultureInfo.InvariantCulture)),
        "FLOAT" => Text(float.Parse(v, CultureInfo.InvariantCulture)),
        "TIMESTAMP WITH TIME ZONE" => Text(DateTime.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
        _ => v,
    };

    private static readonly Dictionary<ParquetType, string> DuckTypes = new()
    {
        [ParquetType.Boolean] = "BOOLEAN", [ParquetType.Int32] = "INTEGER", [ParquetType.Int64] = "BIGINT", [ParquetType.Float] = "FLOAT",
        [ParquetType.Double] = "DOUBLE", [ParquetType.String] = "VARCHAR", [ParquetType.Date] = "DATE", [ParquetType.Timestamp] = "TIMESTAMP WITH TIME ZONE",
    };

    [Fact]
    public void DuckDb_ReadsOurFiles_WithIdenticalValuesTypesAndStatistics()
    {
        var files = new List<(string Path, ParquetSchema Schema, object?[][] Rows)>();
        for (int k = 0; k < 24; k++)
        {
            var codec = (ParquetCompression)(k % 3);
            var (bytes, schema, rows) = RoundTripTests.Make((ulong)(1000 + k), k == 0 ? 1 : 30 + 17 * k, k % 4 == 0 ? 10 : 1000, k % 5 == 0 ? 7 : 32_768, codec, lowCardinality: k % 2 == 0);
            string path = Path.Combine(Dir, $"ours-{k}.parquet");
            File.WriteAllBytes(path, bytes);
            files.Add((path, schema, rows));
        }
        AssertDuckDbReads(files);
    }

    /// <summary>DuckDB reads each file with the written values and the expected types, and its parquet_metadata shows our statistics.</summary>
    internal static void AssertDuckDbReads(IReadOnlyList<(string Path, ParquetSchema Schema, object?[][] Rows)> files)
    {
        // Timestamps are compared in UTC text; the session time zone is pinned.
        var statements = new List<string> { "SET TimeZone = 'UTC'" };
        foreach (var f in files)
        {
            statements.Add($"SELECT * FROM read_parquet({Duck.Quote(f.Path)})");
            statements.Add($"SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata({Duck.Quote(f.Path)}) WHERE row_group_id = 0 ORDER BY column_id");
        }
        var results = Duck.Run([.. statements]);
        for (int k = 0; k < files.Count; k++)
        {
            var (path, schema, rows) = files[k];
            var data = results[1 + 2 * k];
            Assert.True(data.Error is null, $"{path}: DuckDB error {data.Error}");
            Assert.Equal(schema.Fields.Select(f => f.Name), data.Columns);
            Assert.Equal(schema.Fields.Select(f => DuckTypes[f.Type]), data.Types);
            Assert.Equal(rows.Length, data.Rows.Length);
            for (int i = 0; i < rows.Length; i++)
                for (int c = 0; c < schema.Fields.Count; c++)
                    Assert.True(Text(rows[i][c]) == DuckText(data.Rows[i][c], data.Types[c]), $"{path} row {i} column {schema.Fields[c].Name}: wrote {Text(rows[i][c])}, DuckDB read {data.Rows[i][c]}");
            var meta = results[2 + 2 * k];
            Assert.True(meta.Error is null, meta.Error);
            using var ours = ParquetReader.Open(path);
            var info = ours.Describe().Where(c => c.RowGroup == 0).ToList();
            for (int c = 0; c < info.Count; c++)
            {
                Assert.Equal(info[c].NullCount?.ToString(CultureInfo.InvariantCulture), meta.Rows[c][3]);
                if (info[c].Min is not null && schema.Fields[c].Type is ParquetType.Int64 or ParquetType.Int32 or ParquetType.String)
                {
                    Assert.Equal(info[c].Min, meta.Rows[c][1]);
                    Assert.Equal(info[c].Max, meta.Rows[c][2]);
                }
            }
        }
    }

    [Fact]
    public void DuckDb_SeesNegativeZeroAndNaN()
    {
        string path = Path.Combine(Dir, "zeros.parquet");
        var schema = new RecordSchema<double>().Double("d", x => x);
        schema.WriteFile(path, [-0.0, 0.0, double.NaN, double.NegativeInfinity]);
        var r = Duck.Run($"SELECT signbit(d), isnan(d), isinf(d) FROM read_parquet({Duck.Quote(path)})")[0];
        Assert.Null(r.Error);
        Assert.Equal(new[] { "true", "false", "false" }, r.Rows[0]);
        Assert.Equal(new[] { "false", "false", "false" }, r.Rows[1]);
        Assert.Equal("true", r.Rows[2][1]); // .NET's double.NaN has its sign bit set, so only isnan is asserted
        Assert.Equal(new[] { "true", "false", "true" }, r.Rows[3]);
    }

    [Theory]
    [InlineData("snappy", "V1")]
    [InlineData("gzip", "V1")]
    [InlineData("uncompressed", "V1")]
    [InlineData("snappy", "V2")]
    public void We_ReadDuckDbFiles(string codec, string version)
    {
        string path = Path.Combine(Dir, $"duck-{codec}-{version}.parquet");
        const string Query = "SELECT i::INTEGER AS i32, i::BIGINT * 1000003 AS i64, (i * 0.5)::DOUBLE AS d, (i * 0.25)::FLOAT AS f, " +
                             "CASE WHEN i % 7 = 0 THEN NULL ELSE 'city_' || (i % 13) END AS s, i % 2 = 0 AS b, DATE '2020-01-01' + (i % 400)::INTEGER AS dt, " +
                             "CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END::DOUBLE AS nd, 'u' || i AS su FROM range(5000) t(i)";
        var res = Duck.Run($"COPY ({Query}) TO {Duck.Quote(path)} (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 2048, PARQUET_VERSION {version})", $"SELECT * FROM ({Query}) ORDER BY i32");
        Assert.Null(res[0].Error);
        var expected = res[1];
        using var r = ParquetReader.Open(path);
        Assert.Equal(5000, r.RowCount);
        Assert.True(r.RowGroupCount >= 2);
        Assert.Contains(codec.ToUpperInvariant(), r.Describe().Select(c => c.Codec));
        var cols = r.ReadAll();
        Assert.Equal(expected.Columns, r.Schema.Fields.Select(f => f.Name));
        for (int i = 0; i < 5000; i++)
            for (int c = 0; c < cols.Count; c++)
                Assert.True(DuckText(expected.Rows[i][c], expected.Types[c]) == Text(cols[c].GetValue(i)), $"row {i} column {expected.Columns[c]}: DuckDB {expected.Rows[i][c]}, ours {Text(cols[c].GetValue(i))}");
    }

    [Fact]
    public void We_RejectZstd_WithAClearMessage()
    {
        string path = Path.Combine(Dir, "duck-zstd.parquet");
        var res = Duck.Run($"COPY (SELECT range AS x FROM range(100)) TO {Duck.Quote(path)} (FORMAT parquet, COMPRESSION zstd)");
        Assert.Null(res[0].Error);
        using var r = ParquetReader.Open(path);
        var e = Assert.Throws<ParquetException>(() => r.ReadAll());
        Assert.Equal("column 'x' uses the ZSTD codec, which this reader does not support (supported: UNCOMPRESSED, SNAPPY, GZIP)", e.Message);
    }
}
