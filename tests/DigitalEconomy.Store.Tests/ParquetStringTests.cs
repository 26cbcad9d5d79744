using DigitalEconomy.Core;
using DigitalEconomy.Store;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>Issue 19, item 3: a Parquet string column with bytes that are not UTF-8 (a GBK name written as raw bytes) is refused, never read as U+FFFD strings.</summary>
public sealed class ParquetStringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-pqstr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An uncompressed file whose 'region' column holds "北京" as UTF-8 and, in row 3, the GBK bytes of 北京 (B1 B1 BE A9).</summary>
    private async Task<string> WriteAsync(bool gbkRow)
    {
        string path = Path.Combine(_dir, "p.parquet");
        var schema = new ParquetSchema(new DataField<string>("region"), new DataField<double>("y"));
        await using (var fs = File.Create(path))
        await using (var w = await ParquetWriter.CreateAsync(schema, fs, new ParquetOptions { CompressionMethod = CompressionMethod.None }))
        {
            using var rg = w.CreateRowGroup();
            await rg.WriteAsync(schema.DataFields[0], new[] { "北京", "上海", "QQQQ" }, null);
            await rg.WriteAsync<double>(schema.DataFields[1], new double[] { 1.0, 2.0, 3.0 }, null);
        }
        var bytes = File.ReadAllBytes(path);
        byte[] marker = "QQQQ"u8.ToArray(), gbk = gbkRow ? [0xB1, 0xB1, 0xBE, 0xA9] : "QQQQ"u8.ToArray();
        for (int i = 0; i + 4 <= bytes.Length; i++)
            if (bytes.AsSpan(i, 4).SequenceEqual(marker)) gbk.CopyTo(bytes, i);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task ValidStrings_AreRead()
    {
        var frame = DatasetFile.Read(await WriteAsync(gbkRow: false));
        Assert.Equal("北京|上海|QQQQ", string.Join("|", frame["region"].Texts!));
    }

    [Fact]
    public async Task InvalidUtf8String_IsRefusedInOneLine_NamingFileAndColumn()
    {
        string path = await WriteAsync(gbkRow: true);
        var e = Assert.Throws<InputException>(() => DatasetFile.Read(path));
        Assert.Equal($"{path}: row group 0, column 'region', row 3: a string that is not valid UTF-8 (read as U+FFFD); write the column as UTF-8", e.Message);
        e = await Assert.ThrowsAsync<InputException>(() => DatasetFile.ReadAsync(File.ReadAllBytes(path), "p.parquet"));
        Assert.Equal("p.parquet: row group 0, column 'region', row 3: a string that is not valid UTF-8 (read as U+FFFD); write the column as UTF-8", e.Message);
    }
}
