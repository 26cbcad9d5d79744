using System.Globalization;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>Our files read by DuckDB and arrow-rs; DuckDB's and arrow-rs's files read by us, with every common type.</summary>
public class InteropTests
{
    private static readonly string Dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "de-interop-" + Environment.ProcessId)).FullName;

    /// <summary>Three rows of every type DuckDB commonly writes (all columns OPTIONAL), and what `de parquet` shows for them.</summary>
    internal const string TypesQuery =
        "SELECT * FROM (VALUES " +
        "(1, 12.34::DECIMAL(10,2), 123456789.0123::DECIMAL(18,4), 1234567890123456789012.5::DECIMAL(38,10), DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:56.123456', TIMESTAMPTZ '2024-02-29 13:45:56.5+00', true, 'a', -8::TINYINT, -16::SMALLINT, -32::INTEGER, -64::BIGINT, 200::UTINYINT, 60000::USMALLINT, 4000000000::UINTEGER, 18446744073709551615::UBIGINT, 1.5::FLOAT, 2.25::DOUBLE, [1, NULL, 3], ['x', NULL], TIME '12:34:56'), " +
        "(2, NULL, NULL, -0.0000000001::DECIMAL(38,10), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, [], NULL), " +
        "(3, -0.05, 0, 0, DATE '1969-12-31', TIMESTAMP '1900-01-01 00:00:00', TIMESTAMPTZ '2024-06-30 23:59:59.999999+08', false, 'say \"hi\", ok', 127, 32767, 2147483647, 9223372036854775807, 0, 0, 0, 0, 'NaN'::FLOAT, '-inf'::DOUBLE, [], [], TIME '00:00:00')" +
        ") t(id, dec2, dec4, dec38, d, ts, tstz, b, s, i8, i16, i32, i64, u8, u16, u32, u64, f, db, li, ls, tm)";

    internal static readonly string[] TypesShown =
    [
        "1|12.34|123456789.0123|1234567890123456789012.5000000000|2024-02-29|2024-02-29T13:45:56.123456|2024-02-29T13:45:56.500000Z|true|a|-8|-16|-32|-64|200|60000|4000000000|18446744073709551615|1.5|2.25|[1,null,3]|[\"x\",null]|12:34:56.000000",
        "2|<null>|<null>|-0.0000000001|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|[]|<null>",
        "3|-0.05|0.0000|0.0000000000|1969-12-31|1900-01-01T00:00:00.000000|2024-06-30T15:59:59.999999Z|false|say \"hi\", ok|127|32767|2147483647|9223372036854775807|0|0|0|0|NaN|-Inf|[]|[]|00:00:00.000000",
    ];

    internal static readonly string[] TypesNames =
    [
        "id:INT32", "dec2:DECIMAL(10,2)", "dec4:DECIMAL(18,4)", "dec38:DECIMAL(38,10)", "d:DATE", "ts:TIMESTAMP", "tstz:TIMESTAMP WITH TIME ZONE", "b:BOOLEAN", "s:STRING",
        "i8:INT8", "i16:INT16", "i32:INT32", "i64:INT64", "u8:UINT8", "u16:UINT16", "u32:UINT32", "u64:UINT64", "f:FLOAT", "db:DOUBLE", "li:LIST<INT32>", "ls:LIST<STRING>", "tm:TIME",
    ];

    private static async Task<List<string>> Shown(string path)
    {
        await using var t = await ParquetTable.OpenAsync(path);
        var lines = new List<string>();
        for (int g = 0; g < t.RowGroupCount; g++)
        {
            var cols = await t.ReadRowGroupAsync(g);
            for (int i = 0; i < cols[0].Length; i++) lines.Add(string.Join("|", cols.Select((c, j) => t.Text(c[i], j) ?? "<null>")));
        }
        return lines;
    }

    [Theory]
    [InlineData("snappy", "V1")]
    [InlineData("gzip", "V1")]
    [InlineData("zstd", "V1")]
    [InlineData("uncompressed", "V2")]
    [InlineData("snappy", "V2")]
    public async Task We_ReadDuckDbFiles_WithEveryCommonType(string codec, string version)
    {
        string path = Path.Combine(Dir, $"duck-types-{codec}-{version}.parquet");
        var r = Duck.Run($"COPY ({TypesQuery}) TO {Duck.Quote(path)} (FORMAT parquet, COMPRESSION {codec}, PARQUET_VERSION {version})");
        Assert.Null(r[0].Error);
        await using (var t = await ParquetTable.OpenAsync(path))
        {
            Assert.Equal(TypesNames, t.Columns.Select(c => $"{c.Name}:{c.Type}"));
            Assert.All(t.Columns, c => Assert.True(c.Nullable));
        }
        Assert.Equal(TypesShown, await Shown(path));
    }

    [Fact]
    public async Task We_ReadALargeDuckDbFile_ManyRowGroups_SameValuesAsDuckDb()
    {
        string path = Path.Combine(Dir, "duck-large.parquet");
        const string Query = "SELECT i::INTEGER AS i32, i::BIGINT * 1000003 AS i64, (i * 0.5)::DOUBLE AS d, " +
                             "CASE WHEN i % 7 = 0 THEN NULL ELSE 'city_' || (i % 13) END AS s, i % 2 = 0 AS b, DATE '2020-01-01' + (i % 400)::INTEGER AS dt, " +
                             "(i / 100)::DECIMAL(10,2) AS dec, CASE WHEN i % 5 = 0 THEN NULL ELSE [i, NULL] END AS li FROM range(5000) t(i)";
        var res = Duck.Run($"COPY ({Query}) TO {Duck.Quote(path)} (FORMAT parquet, ROW_GROUP_SIZE 2048)", $"SELECT * FROM ({Query}) ORDER BY i32");
        Assert.Null(res[0].Error);
        var ours = await Shown(path);
        await using (var t = await ParquetTable.OpenAsync(path)) Assert.True(t.RowGroupCount >= 2);
        Assert.Equal(5000, ours.Count);
        for (int i = 0; i < 5000; i++)
        {
            // DuckDB's JSON quotes BIGINT list elements; the values are the same.
            var want = res[1].Rows[i].Select((v, c) => v is null ? "<null>" : c == 7 ? v.Replace("\"", "", StringComparison.Ordinal) : v);
            Assert.Equal(string.Join("|", want), ours[i]);
        }
    }

    [Fact]
    public async Task We_ReadArrowRsFiles_WithEveryCommonType()
    {
        string path = Path.Combine(Dir, "arrow-types.parquet");
        ArrowRs.WriteTypes(path);
        await using (var t = await ParquetTable.OpenAsync(path))
            Assert.Equal(["i8:INT8", "i16:INT16", "i32:INT32", "i64:INT64", "u8:UINT8", "u16:UINT16", "u32:UINT32", "u64:UINT64", "f:FLOAT", "d:DOUBLE", "b:BOOLEAN",
                "s:STRING", "dt:DATE", "ts:TIMESTAMP", "tstz:TIMESTAMP WITH TIME ZONE", "li:LIST<INT32>"], t.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(
        [
            "-8|-16|-32|-64|200|60000|4000000000|18446744073709551615|1.5|2.25|true|北京|2024-02-29|2024-02-29T13:45:56.123|2024-02-29T13:45:56.500Z|[1,null,3]",
            "<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>",
            "127|32767|2147483647|9223372036854775807|0|0|0|0|-0.25|1E-300|false|a,\"b\"|1969-12-31|1900-01-01T00:00:00.000|2024-06-30T15:59:59.999Z|[]",
        ], await Shown(path));
    }

    [Fact]
    public async Task AColumnWeCannotShow_IsRefusedInOneLineNamingIt()
    {
        string path = Path.Combine(Dir, "duck-struct.parquet");
        var r = Duck.Run($"COPY (SELECT 1 AS id, {{'a': 1, 'b': 'x'}} AS pair, 'ab'::BLOB AS raw) TO {Duck.Quote(path)} (FORMAT parquet)");
        Assert.Null(r[0].Error);
        await using var t = await ParquetTable.OpenAsync(path);
        var e = await Assert.ThrowsAsync<Core.InputException>(() => t.ReadRowGroupAsync(0));
        Assert.Equal($"{path}: column 'pair' is STRUCT, which de parquet cannot show (flatten it first, e.g. with DuckDB)", e.Message);
        Assert.Equal("binary data, which de parquet cannot show as text (cast it to VARCHAR or hex first)", t.Columns[2].Refusal);
    }

    [Fact]
    public async Task DuckDbAndArrowRs_ReadEveryResultTableWeWrite_WithTheWrittenValues()
    {
        var rnd = new RandomData(2026);
        var specs = Enumerable.Range(0, 250).Select(rnd.Spec).ToList();
        var boot = Enumerable.Range(0, 700).Select(rnd.Boot).ToList();
        var idx = Enumerable.Range(0, 300).Select(rnd.Index).ToList();
        string fs = Path.Combine(Dir, "r-specs.parquet"), fb = Path.Combine(Dir, "r-boot.parquet"), fi = Path.Combine(Dir, "r-idx.parquet"), fe = Path.Combine(Dir, "r-empty.parquet");
        await ResultTables.Specs.WriteFileAsync(fs, specs);
        await ResultTables.Bootstrap.WriteFileAsync(fb, boot);
        await ResultTables.Indices.WriteFileAsync(fi, idx);
        await ResultTables.Specs.WriteFileAsync(fe, []);
        // Expected cells as text, per file: strings as written, numbers parsed back and compared as doubles.
        object?[][] S(SpecificationRow r) => [[r.SpecId, r.Formula, r.Term, r.Outcome, r.Controls, r.FixedEffects, r.Sample, r.Winsor, r.Lag, r.Vcov,
            r.Estimate, r.StdError, r.Statistic, r.PValue, r.ConfLow, r.ConfHigh, r.BootMethod, r.BootReplicates, r.BootStdError, r.BootPercentileLow,
            r.BootPercentileHigh, r.BootBcLow, r.BootBcHigh, r.WildPValue, r.WildConfLow, r.WildConfHigh, r.BootNote, r.N, r.R2, r.R2Within, r.Error, r.DataKey, r.Estimator, r.Weights]];
        string[] specDuck = [.. Enumerable.Repeat("VARCHAR", 10), .. Enumerable.Repeat("DOUBLE", 6), "VARCHAR", "BIGINT", .. Enumerable.Repeat("DOUBLE", 8), "VARCHAR",
            "BIGINT", "DOUBLE", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"];
        string[] specArrow = [.. Enumerable.Repeat("Utf8", 10), .. Enumerable.Repeat("Float64", 6), "Utf8", "Int64", .. Enumerable.Repeat("Float64", 8), "Utf8",
            "Int64", "Float64", "Float64", "Utf8", "Utf8", "Utf8", "Utf8"];
        var expected = new (string Path, object?[][] Rows, string[] DuckTypes, string[] ArrowTypes)[]
        {
            (fs, [.. specs.Select(r => S(r)[0])], specDuck, specArrow),
            (fb, [.. boot.Select(r => new object?[] { r.SpecId, r.Replicate, r.Estimate, r.Error })], ["VARCHAR", "BIGINT", "DOUBLE", "VARCHAR"], ["Utf8", "Int64", "Float64", "Utf8"]),
            (fi, [.. idx.Select(r => new object?[] { r.Index, r.Unit, r.Time, r.Region, r.Score })], ["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "DOUBLE"], ["Utf8", "Utf8", "Int64", "Utf8", "Float64"]),
            (fe, [], specDuck, specArrow),
        };
        var duck = Duck.Run([.. expected.Select(f => $"SELECT * FROM read_parquet({Duck.Quote(f.Path)})")]);
        var arrow = ArrowRs.Read([.. expected.Select(f => f.Path)]);
        for (int k = 0; k < expected.Length; k++)
        {
            var (path, rows, duckTypes, arrowTypes) = expected[k];
            Assert.True(duck[k].Error is null, $"{path}: DuckDB error {duck[k].Error}");
            Assert.Equal(duckTypes, duck[k].Types);
            Assert.Equal(arrowTypes, arrow[k].Types);
            Assert.Equal(rows.Length, duck[k].Rows.Length);
            Assert.Equal(rows.Length, arrow[k].Rows);
            for (int i = 0; i < rows.Length; i++)
                for (int c = 0; c < rows[i].Length; c++)
                {
                    Assert.True(Same(rows[i][c], duck[k].Rows[i][c]), $"{path} row {i} column {c}: wrote {rows[i][c]}, DuckDB read {duck[k].Rows[i][c]}");
                    Assert.True(Same(rows[i][c], arrow[k].Columns[c][i]), $"{path} row {i} column {c}: wrote {rows[i][c]}, arrow-rs read {arrow[k].Columns[c][i]}");
                }
        }
    }

    private static bool Same(object? want, string? got) => (want, got) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (double d, var g) => Double(g) is var x && (x.Equals(d) || (x == 0 && d == 0)), // JSON loses the sign of −0.0
        (long l, var g) => g == l.ToString(CultureInfo.InvariantCulture),
        (string s, var g) => s == g,
        _ => false,
    };

    private static double Double(string s) => s switch
    {
        "Infinity" or "inf" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        "NaN" or "nan" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
