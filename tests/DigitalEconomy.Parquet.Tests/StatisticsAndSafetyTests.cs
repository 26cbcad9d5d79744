using FsCheck;
using FsCheck.Fluent;
using System.Diagnostics;
using Xunit;

namespace DigitalEconomy.Parquet.Tests;

public class StatisticsAndSafetyTests
{
    private static byte[] Write(ParquetSchema schema, Action<ParquetWriter> rows, ParquetOptions? o = null)
    {
        using var ms = new MemoryStream();
        using (var w = ParquetWriter.Create(schema, ms, o)) rows(w);
        return ms.ToArray();
    }

    [Fact]
    public void Statistics_FollowTheSpecificationsRules()
    {
        var schema = new ParquetSchema(new ParquetField("d", ParquetType.Double), new ParquetField("s", ParquetType.String), new ParquetField("allnan", ParquetType.Double), new ParquetField("i", ParquetType.Int64));
        var file = Write(schema, w =>
        {
            (double? D, string? S, double N, long I)[] rows =
            [
                (double.NaN, "Z", double.NaN, -5), (0.0, "a", double.NaN, long.MaxValue), (null, null, double.NaN, long.MinValue),
                (2.5, "é", double.NaN, 0), (-0.0, "中", double.NaN, 7),
            ];
            foreach (var r in rows)
            {
                if (r.D is { } d) w.SetDouble(0, d); else w.SetNull(0);
                w.SetString(1, r.S);
                w.SetDouble(2, r.N);
                w.SetInt64(3, r.I);
                w.EndRow();
            }
        });
        using var reader = ParquetReader.Open(new MemoryStream(file));
        var info = reader.Describe().ToDictionary(c => c.Column);
        // NaN is ignored; a zero minimum is written as −0.0, a zero maximum as +0.0.
        Assert.Equal("-0", info["d"].Min);
        Assert.Equal("2.5", info["d"].Max);
        Assert.Equal(1, info["d"].NullCount);
        // Strings compare by unsigned UTF-8 bytes: "Z" (0x5A) < "a" (0x61) < "é" (0xC3 0xA9) < "中" (0xE4 …).
        Assert.Equal("Z", info["s"].Min);
        Assert.Equal("中", info["s"].Max);
        // Only NaN values: no min/max at all.
        Assert.Null(info["allnan"].Min);
        Assert.Null(info["allnan"].Max);
        Assert.Equal(long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), info["i"].Min);
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), info["i"].Max);
        Assert.Equal("SNAPPY", info["i"].Codec);
    }

    [Fact]
    public void Writer_RejectsIncompleteRowsAndWrongTypes()
    {
        var schema = new ParquetSchema(new ParquetField("a", ParquetType.Double, false), new ParquetField("b", ParquetType.String));
        using var ms = new MemoryStream();
        var w = ParquetWriter.Create(schema, ms);
        w.SetDouble(0, 1);
        Assert.Contains("column 'b' was set 0 times", Assert.Throws<InvalidOperationException>(w.EndRow).Message, StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Throws<InvalidOperationException>(() => ParquetWriter.Create(schema, new MemoryStream()).SetNull(0)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be written", Assert.Throws<InvalidOperationException>(() => ParquetWriter.Create(schema, new MemoryStream()).SetInt64(0, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_TruncatedAndBitFlippedFiles_EndInParquetException()
    {
        var (file, _, _) = RoundTripTests.Make(12345, 300, 100, 40, ParquetCompression.Snappy, lowCardinality: true);
        var (gz, _, _) = RoundTripTests.Make(777, 200, 1000, 64, ParquetCompression.Gzip, lowCardinality: false);
        var v2 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "parquet", "duckdb_v2.parquet"));
        using (var check = ParquetReader.Open(new MemoryStream(v2)))
        {
            var cols = check.ReadAll();
            Assert.Equal(300, cols[0].Count);
            Assert.Equal(897L, cols[1].Int64s![299]);
            Assert.Equal("u299", cols[3].Strings![299]);
            Assert.True(cols[3].IsNull(0));
        }
        var rnd = new RandomData(99);
        var cases = new List<byte[]>();
        foreach (var f in new[] { file, gz, v2 })
        {
            for (int len = 0; len < f.Length; len += Math.Max(1, f.Length / 400)) cases.Add(f[..len]);
            for (int k = 0; k < 1500; k++)
            {
                var c = (byte[])f.Clone();
                int flips = 1 + rnd.Int(4);
                for (int b = 0; b < flips; b++) c[rnd.Int(c.Length)] ^= (byte)(1 << rnd.Int(8));
                cases.Add(c);
            }
        }
        int errors = 0;
        foreach (var c in cases)
        {
            var task = Task.Run(() =>
            {
                try
                {
                    using var r = ParquetReader.Open(new MemoryStream(c));
                    var cols = r.ReadAll();
                    r.Describe();
                    foreach (var col in cols) for (int i = 0; i < col.Count; i++) col.GetValue(i);
                    return true;
                }
                catch (ParquetException) { return false; }
            });
            var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(done == task, "the reader did not finish within 10 s on a corrupted file");
            if (!await task) errors++;
        }
        // Every case either reads (a flip in a value byte yields another valid file) or raises ParquetException;
        // any other exception fails the task above. Most corruptions must be detected.
        Assert.True(errors > cases.Count / 4, $"only {errors} of {cases.Count} corrupted files were rejected");
    }

    [Fact]
    public void AtomicFile_FailureLeavesTheOldFileAndNoTemporary()
    {
        string dir = Path.Combine(Path.GetTempPath(), "de-atomic-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "part-0001.parquet");
        var schema = new RecordSchema<(string Id, double V)>().String("id", r => r.Id, nullable: false).Double("v", r => r.V);
        schema.WriteFile(path, [("a", 1.0), ("b", 2.0)]);
        var before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => schema.WriteFile(path, Failing()));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        using var r = ParquetReader.Open(path);
        Assert.Equal(new string?[] { "a", "b" }, r.ReadAll()[0].Strings!);

        static IEnumerable<(string, double)> Failing()
        {
            yield return ("x", 1);
            throw new InvalidOperationException("simulated crash while writing");
        }
    }

    [Fact]
    public void AtomicFile_TargetIsADirectory_IsRefusedAndLeavesNoTemporary()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-atomic-dir-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string target = Path.Combine(dir, "out");
        Directory.CreateDirectory(target);
        try
        {
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, s => s.WriteByte(1)));
            Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
            Assert.Equal([target], Directory.GetFileSystemEntries(dir));
            Assert.Empty(Directory.GetFileSystemEntries(target));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AtomicFile_UnwritableFolder_NamesTheTargetNotTheTemporary()
    {
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.Write("/proc/nope.csv", s => s.WriteByte(1)));
        Assert.Contains("/proc/nope.csv", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_RejectsUnsupportedCodecWithItsName()
    {
        // Rewrite the codec of every column chunk in the footer to ZSTD (6) by re-serialising the metadata.
        var (file, _, _) = RoundTripTests.Make(5, 50, 100, 100, ParquetCompression.None, false);
        int footerLength = BitConverter.ToInt32(file, file.Length - 8);
        var meta = FileMeta.Read(new CompactReader(file, file.Length - 8 - footerLength, footerLength));
        foreach (var g in meta.RowGroups) foreach (var c in g.Columns) c.Codec = Codec.Zstd;
        var footer = meta.Serialize();
        var patched = file[..(file.Length - 8 - footerLength)].Concat(footer).Concat(BitConverter.GetBytes(footer.Length)).Concat("PAR1"u8.ToArray()).ToArray();
        using var r = ParquetReader.Open(new MemoryStream(patched));
        var e = Assert.Throws<ParquetException>(() => r.ReadAll());
        Assert.Contains("ZSTD codec, which this reader does not support", e.Message, StringComparison.Ordinal);
    }
}

public class CodePointOrderTests
{
    [Fact]
    public void CompareCodePoints_EqualsUtf8ByteOrder()
    {
        char[] alphabet = ['a', 'Z', 'é', '中', '\uE000', '\uFFFD', '0'];
        string[] pairs = ["\U0001F680", "\U00010000", "\U0001F600"];
        var gen = Gen.ListOf(Gen.Elements(alphabet.Select(c => c.ToString()).Concat(pairs).ToArray()), 6).Select(l => string.Concat(l));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Arb.From(gen.Two()), t =>
        {
            var (a, b) = t;
            int expected = Math.Sign(System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)));
            return Math.Sign(Statistics.CompareCodePoints(a, b)) == expected;
        }));
    }
}
