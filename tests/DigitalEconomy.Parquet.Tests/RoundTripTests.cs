using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DigitalEconomy.Parquet.Tests;

public class RoundTripTests
{
    internal static (byte[] File, ParquetSchema Schema, object?[][] Rows) Make(ulong seed, int rows, int rowGroup, int pageRows, ParquetCompression codec, bool lowCardinality)
    {
        var rnd = new RandomData(seed);
        var schema = rnd.Schema();
        var data = Enumerable.Range(0, rows).Select(_ => schema.Fields.Select(f => rnd.Value(f, lowCardinality)).ToArray()).ToArray();
        var options = new ParquetOptions { RowGroupSize = rowGroup, PageRows = pageRows, Compression = codec };
        options.Metadata["schema_version"] = "1";
        using var ms = new MemoryStream();
        using (var w = ParquetWriter.Create(schema, ms, options))
        {
            foreach (var row in data)
            {
                for (int c = 0; c < row.Length; c++) RandomData.Set(w, c, schema.Fields[c], row[c]);
                w.EndRow();
            }
        }
        return (ms.ToArray(), schema, data);
    }

    internal static void AssertReadsBack(byte[] file, ParquetSchema schema, object?[][] rows)
    {
        using var r = ParquetReader.Open(new MemoryStream(file));
        Assert.Equal(schema.Fields, r.Schema.Fields);
        Assert.Equal(rows.Length, r.RowCount);
        Assert.Equal("1", r.Metadata["schema_version"]);
        var cols = r.ReadAll();
        for (int c = 0; c < schema.Fields.Count; c++)
            for (int i = 0; i < rows.Length; i++)
                Assert.True(RandomData.SameValue(rows[i][c], cols[c].GetValue(i)), $"column {schema.Fields[c].Name} row {i}: wrote {rows[i][c]}, read {cols[c].GetValue(i)}");
    }

    [Fact]
    public void RandomSchemasAndValues_RoundTrip()
    {
        var gen = from seed in Gen.Choose(0, int.MaxValue)
                  from rows in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Constant(1)), (6, Gen.Choose(2, 400)), (1, Gen.Choose(1025, 5000)))
                  from rowGroup in Gen.Elements(1, 7, 64, 100_000)
                  from pageRows in Gen.Elements(1, 5, 50, 32_768)
                  from codec in Gen.Elements(ParquetCompression.None, ParquetCompression.Snappy, ParquetCompression.Gzip)
                  from low in Gen.Elements(true, false)
                  select (seed, rows, rowGroup, pageRows, codec, low);
        var written = new List<(string, ParquetSchema, object?[][])>();
        string dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"de-roundtrip-{Environment.ProcessId}")).FullName;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Arb.From(gen), t =>
        {
            var (file, schema, rows) = Make((ulong)t.seed, t.rows, t.rowGroup, t.pageRows, t.codec, t.low);
            AssertReadsBack(file, schema, rows);
            string path = Path.Combine(dir, $"rt-{written.Count}.parquet");
            File.WriteAllBytes(path, file);
            written.Add((path, schema, rows));
        }));
        // Every file of this property test is also read by two independent readers: DuckDB (C++) and arrow-rs (Rust).
        DuckDbInteropTests.AssertDuckDbReads(written);
        ArrowRs.AssertReads(written);
    }

    [Fact]
    public void LowCardinalityStrings_UseTheDictionary_AndManyRowGroups()
    {
        var schema = new ParquetSchema(new ParquetField("region", ParquetType.String, false), new ParquetField("v", ParquetType.Int64, false));
        using var ms = new MemoryStream();
        using (var w = ParquetWriter.Create(schema, ms, new ParquetOptions { RowGroupSize = 1000 }))
            for (int i = 0; i < 3500; i++) { w.SetString(0, new[] { "East", "Central", "West", "Northeast" }[i % 4]); w.SetInt64(1, i); w.EndRow(); }
        using var r = ParquetReader.Open(new MemoryStream(ms.ToArray()));
        Assert.Equal(4, r.RowGroupCount);
        var info = r.Describe();
        Assert.All(info.Where(c => c.Column == "region"), c => Assert.Contains("RLE_DICTIONARY", c.Encodings));
        Assert.All(info.Where(c => c.Column == "v"), c => Assert.DoesNotContain("RLE_DICTIONARY", c.Encodings));
        var cols = r.ReadAll();
        Assert.Equal("Northeast", cols[0].Strings![3499]);
        Assert.Equal(3499, cols[1].Int64s![3499]);
    }
}
