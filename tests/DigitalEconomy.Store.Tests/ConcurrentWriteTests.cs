using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// One declared table written from many threads at once gives the bytes of a lone write every time. Parquet.Net sets a field's
/// definition level when a schema is built from it (assign, then increment), so two writers building their schemas from shared
/// field objects could leave a nullable column at level 2 and write its definition levels as 1/2 instead of 0/1 (a silo test saw
/// analyses.parquet differ between two runs of one study this way). Each write now builds its schema from fields of its own.
/// </summary>
public class ConcurrentWriteTests
{
    private static async Task<byte[]> Bytes(IReadOnlyList<PermutationRow> rows)
    {
        using var ms = new MemoryStream();
        await ResultTables.Permutations.WriteAsync(ms, rows);
        return ms.ToArray();
    }

    [Fact]
    public void EachSchema_HasFieldsOfItsOwn()
    {
        var a = ResultTables.AnalysisCells.ParquetSchema.GetDataFields();
        var b = ResultTables.AnalysisCells.ParquetSchema.GetDataFields();
        Assert.Equal(15, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.NotSame(a[i], b[i]);
            Assert.Equal((a[i].Name, a[i].IsNullable, a[i].MaxDefinitionLevel), (b[i].Name, b[i].IsNullable, b[i].MaxDefinitionLevel));
        }
        // column_label is the nullable text column of the failure: level 1, as in a file Parquet.Net or DuckDB writes.
        Assert.Equal(1, a.Single(f => f.Name == "column_label").MaxDefinitionLevel);
    }

    [Fact]
    public async Task ManyWritersAtOnce_WriteTheBytesOfALoneWrite()
    {
        // Every other statistic missing: the nullable column's definition levels alternate 0/1.
        var rows = Enumerable.Range(0, 40).Select(i => new PermutationRow("a", "placebo", "x", i, i % 2 == 0 ? null : i * 0.5)).ToList();
        var lone = await Bytes(rows);
        int differ = 0;
        var tasks = Enumerable.Range(0, Environment.ProcessorCount * 4).Select(_ => Task.Run(async () =>
        {
            for (int k = 0; k < 400; k++)
                if (!(await Bytes(rows)).AsSpan().SequenceEqual(lone)) Interlocked.Increment(ref differ);
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(0, differ);
        // And the lone write reads back: nulls where they were written.
        string path = Path.Combine(Path.GetTempPath(), $"de-concurrent-{Environment.ProcessId}.parquet");
        await File.WriteAllBytesAsync(path, lone);
        var back = await ResultTables.Permutations.ReadFileAsync(path);
        File.Delete(path);
        Assert.Equal(rows.Select(r => r.Statistic), back.Select(r => r.Statistic));
    }
}
