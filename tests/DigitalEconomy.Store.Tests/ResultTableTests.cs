using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DigitalEconomy.Store.Tests;

public class ResultTableTests
{
    private static readonly string Dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "de-tables-" + Environment.ProcessId)).FullName;

    private static async Task<byte[]> Bytes<T>(TableSchema<T> table, IReadOnlyList<T> rows)
    {
        using var ms = new MemoryStream();
        await table.WriteAsync(ms, rows);
        return ms.ToArray();
    }

    private static void AssertSameSpecs(IReadOnlyList<SpecificationRow> want, IReadOnlyList<SpecificationRow> got)
    {
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            var (a, b) = (want[i], got[i]);
            Assert.Equal((a.SpecId, a.Formula, a.Term, a.Outcome, a.Controls, a.FixedEffects, a.Sample, a.Winsor, a.Lag, a.Vcov, a.N, a.Error),
                         (b.SpecId, b.Formula, b.Term, b.Outcome, b.Controls, b.FixedEffects, b.Sample, b.Winsor, b.Lag, b.Vcov, b.N, b.Error));
            double?[] x = [a.Estimate, a.StdError, a.Statistic, a.PValue, a.ConfLow, a.ConfHigh, a.R2, a.R2Within];
            double?[] y = [b.Estimate, b.StdError, b.Statistic, b.PValue, b.ConfLow, b.ConfHigh, b.R2, b.R2Within];
            for (int k = 0; k < x.Length; k++) Assert.True(RandomData.Same(x[k], y[k]), $"row {i} number {k}: wrote {x[k]}, read {y[k]}");
        }
    }

    [Fact]
    public void Specs_RandomRows_RoundTripBitExact_AndGiveTheSameBytesTwice()
    {
        var gen = from seed in Gen.Choose(0, int.MaxValue) from n in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (6, Gen.Choose(2, 300))) select (seed, n);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(Arb.From(gen), t =>
        {
            var rnd = new RandomData((ulong)t.seed);
            var rows = Enumerable.Range(0, t.n).Select(rnd.Spec).ToList();
            string path = Path.Combine(Dir, $"specs-{t.seed}.parquet");
            ResultTables.Specs.WriteFileAsync(path, rows).GetAwaiter().GetResult();
            var first = File.ReadAllBytes(path);
            ResultTables.Specs.WriteFileAsync(path, rows).GetAwaiter().GetResult();
            Assert.Equal(first, File.ReadAllBytes(path));
            AssertSameSpecs(rows, ResultTables.Specs.ReadFileAsync(path).GetAwaiter().GetResult());
        }));
    }

    [Fact]
    public async Task EveryTable_CarriesTheSchemaVersion_AndAConstantCreatedBy()
    {
        var rnd = new RandomData(7);
        string specs = Path.Combine(Dir, "v-specs.parquet"), boot = Path.Combine(Dir, "v-boot.parquet"), idx = Path.Combine(Dir, "v-idx.parquet");
        await ResultTables.Specs.WriteFileAsync(specs, Enumerable.Range(0, 5).Select(rnd.Spec));
        await ResultTables.Bootstrap.WriteFileAsync(boot, Enumerable.Range(0, 5).Select(rnd.Boot));
        await ResultTables.Indices.WriteFileAsync(idx, Enumerable.Range(0, 5).Select(rnd.Index));
        foreach (var f in new[] { specs, boot, idx })
        {
            await using var t = await ParquetTable.OpenAsync(f);
            Assert.Equal(new Dictionary<string, string> { ["digitaleconomy.schema_version"] = "7" }, t.Metadata);
            Assert.Equal("Parquet.Net version 6.1.0 (build c179d97bd2549b5f44a9241e729f869d4947ee59)", t.CreatedBy);
            Assert.All(t.Describe(), c => Assert.Equal("SNAPPY", c.Codec));
        }
        await using (var t = await ParquetTable.OpenAsync(specs))
        {
            Assert.Equal(["spec_id", "formula", "term", "outcome", "controls", "fe", "sample", "winsor", "lag", "vcov", "estimate", "std_error",
                "statistic", "p_value", "conf_low", "conf_high", "boot_method", "boot_replicates", "boot_std_error", "boot_pct_low", "boot_pct_high",
                "boot_bc_low", "boot_bc_high", "wild_p_value", "wild_conf_low", "wild_conf_high", "boot_note", "n", "r2", "r2_within", "error", "data_key", "estimator", "weights"], t.Columns.Select(c => c.Name));
            Assert.Equal("STRING", t.Columns[0].Type);
            Assert.False(t.Columns[0].Nullable);
            Assert.Equal(("DOUBLE", true), (t.Columns[10].Type, t.Columns[10].Nullable));
            Assert.Equal(("INT64", true), (t.Columns[27].Type, t.Columns[27].Nullable));
            Assert.True(t.Columns[30].Nullable);
        }
        await using (var t = await ParquetTable.OpenAsync(idx))
            Assert.Equal(["index:STRING:False", "unit:STRING:False", "time:INT64:False", "region:STRING:False", "score:DOUBLE:False"], t.Columns.Select(c => $"{c.Name}:{c.Type}:{c.Nullable}"));
    }

    [Fact]
    public async Task SameRows_SameBytes_AcrossTimeAndInstances()
    {
        var rows = Enumerable.Range(0, 2000).Select(new RandomData(3).Boot).ToList();
        var a = await Bytes(ResultTables.Bootstrap, rows);
        await Task.Delay(1100); // a timestamp in the footer would differ now
        var b = await Bytes(ResultTables.Bootstrap, rows.Select(r => r with { }).ToList());
        Assert.Equal(a, b);
        var empty1 = await Bytes(ResultTables.Indices, []);
        Assert.Equal(empty1, await Bytes(ResultTables.Indices, []));
    }

    [Fact]
    public async Task BootstrapAndIndices_RoundTrip_IncludingAnEmptyTable()
    {
        var rnd = new RandomData(11);
        var boot = Enumerable.Range(0, 777).Select(rnd.Boot).ToList();
        string path = Path.Combine(Dir, "boot.parquet");
        await ResultTables.Bootstrap.WriteFileAsync(path, boot);
        var back = await ResultTables.Bootstrap.ReadFileAsync(path);
        Assert.Equal(boot.Select(r => (r.SpecId, r.Replicate, r.Error)), back.Select(r => (r.SpecId, r.Replicate, r.Error)));
        Assert.True(boot.Zip(back).All(p => RandomData.Same(p.First.Estimate, p.Second.Estimate)));
        var idx = Enumerable.Range(0, 300).Select(rnd.Index).ToList();
        await ResultTables.Indices.WriteFileAsync(path, idx);
        var idxBack = await ResultTables.Indices.ReadFileAsync(path);
        Assert.Equal(idx.Select(r => (r.Index, r.Unit, r.Time, r.Region)), idxBack.Select(r => (r.Index, r.Unit, r.Time, r.Region)));
        Assert.True(idx.Zip(idxBack).All(p => RandomData.Same(p.First.Score, p.Second.Score)));
        await ResultTables.Specs.WriteFileAsync(path, []);
        Assert.Empty(await ResultTables.Specs.ReadFileAsync(path));
    }

    [Fact]
    public async Task Reading_IsByName_WhateverTheOrder_ExtraColumnsAndNullability()
    {
        // DuckDB writes every column OPTIONAL, in the order asked, with an extra column.
        string ours = Path.Combine(Dir, "order-ours.parquet"), duck = Path.Combine(Dir, "order-duck.parquet");
        var rows = new[] { new BootstrapRow("b", 2, null, "failed"), new BootstrapRow("a", 1, 0.25, null) };
        await ResultTables.Bootstrap.WriteFileAsync(ours, rows);
        var r = Duck.Run($"COPY (SELECT error, 42 AS extra, estimate, replicate, spec_id FROM read_parquet({Duck.Quote(ours)})) TO {Duck.Quote(duck)} (FORMAT parquet)");
        Assert.Null(r[0].Error);
        Assert.Equal(rows, await ResultTables.Bootstrap.ReadFileAsync(duck));
    }

    [Fact]
    public async Task MissingColumnOrWrongType_IsOneLineNamingIt()
    {
        string path = Path.Combine(Dir, "missing.parquet");
        var r = Duck.Run($"COPY (SELECT 'a' AS spec_id, 1::BIGINT AS replicate, 'x' AS estimate) TO {Duck.Quote(path)} (FORMAT parquet)");
        Assert.Null(r[0].Error);
        var e = await Assert.ThrowsAsync<Core.InputException>(() => ResultTables.Bootstrap.ReadFileAsync(path));
        Assert.Equal($"{path}: no column error (written by another schema version? this reader expects bootstrap version 7)", e.Message);
        r = Duck.Run($"COPY (SELECT 'a' AS spec_id, 1::BIGINT AS replicate, 'x' AS estimate, NULL::VARCHAR AS error) TO {Duck.Quote(path)} (FORMAT parquet)");
        Assert.Null(r[0].Error);
        e = await Assert.ThrowsAsync<Core.InputException>(() => ResultTables.Bootstrap.ReadFileAsync(path));
        Assert.Equal($"{path}: column 'estimate' is STRING; table bootstrap expects DOUBLE", e.Message);
    }

    [Fact]
    public async Task SpecsOfSchema4_WithoutDataKey_ReadWithANullKey()
    {
        // specs.parquet as schema 4 wrote it: every column of today's but data_key.
        var v4 = new TableSchema<SpecificationRow>("specs", "4")
            .Text("spec_id", r => r.SpecId, nullable: false).Text("formula", r => r.Formula, nullable: false).Text("term", r => r.Term, nullable: false)
            .Text("outcome", r => r.Outcome, nullable: false).Text("controls", r => r.Controls, nullable: false).Text("fe", r => r.FixedEffects, nullable: false)
            .Text("sample", r => r.Sample, nullable: false).Text("winsor", r => r.Winsor, nullable: false).Text("lag", r => r.Lag, nullable: false).Text("vcov", r => r.Vcov, nullable: false)
            .NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError).NullableDouble("statistic", r => r.Statistic)
            .NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow).NullableDouble("conf_high", r => r.ConfHigh)
            .Text("boot_method", r => r.BootMethod).NullableInt64("boot_replicates", r => r.BootReplicates).NullableDouble("boot_std_error", r => r.BootStdError)
            .NullableDouble("boot_pct_low", r => r.BootPercentileLow).NullableDouble("boot_pct_high", r => r.BootPercentileHigh)
            .NullableDouble("boot_bc_low", r => r.BootBcLow).NullableDouble("boot_bc_high", r => r.BootBcHigh)
            .NullableDouble("wild_p_value", r => r.WildPValue).NullableDouble("wild_conf_low", r => r.WildConfLow).NullableDouble("wild_conf_high", r => r.WildConfHigh)
            .Text("boot_note", r => r.BootNote).NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within).Text("error", r => r.Error);
        var row = new SpecificationRow("0123456789abcdef", "y ~ x", "x", "y", "none", "0", "all", "no", "no", "hc1", 0.5, 0.1, 5, 1e-6, 0.3, 0.7, 120, 0.4, 0.2, null,
            DataKey: "should not be written");
        string path = Path.Combine(Dir, "specs-v4.parquet");
        await v4.WriteFileAsync(path, [row]);
        var read = Assert.Single(await ResultTables.Specs.ReadFileAsync(path));
        Assert.Equal(row with { DataKey = null }, read);
        // Today's files carry the key.
        string now = Path.Combine(Dir, "specs-v5.parquet");
        await ResultTables.Specs.WriteFileAsync(now, [row with { DataKey = new string('a', 64) }]);
        Assert.Equal(new string('a', 64), Assert.Single(await ResultTables.Specs.ReadFileAsync(now)).DataKey);
    }

    [Fact]
    public async Task NotParquet_Truncated_AndCorrupt_AreOneLineInputExceptions()
    {
        string path = Path.Combine(Dir, "bad.parquet");
        File.WriteAllText(path, "id,v\n1,2\n3,4\n5,6\n");
        var e = await Assert.ThrowsAsync<Core.InputException>(() => ParquetTable.OpenAsync(path));
        Assert.Equal($"{path}: not a Parquet file (no PAR1 magic at its start and end)", e.Message);
        var good = await Bytes(ResultTables.Indices, [.. Enumerable.Range(0, 50).Select(new RandomData(5).Index)]);
        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        e = await Assert.ThrowsAsync<Core.InputException>(() => ResultTables.Indices.ReadFileAsync(path));
        Assert.DoesNotContain('\n', e.Message);
        // Flipped bytes: either a value changes or the reader says the file is unreadable, never anything else.
        var rnd = new RandomData(9);
        int refused = 0;
        for (int k = 0; k < 300; k++)
        {
            var c = (byte[])good.Clone();
            c[4 + rnd.Int(c.Length - 12)] ^= (byte)(1 << rnd.Int(8));
            File.WriteAllBytes(path, c);
            try { await ResultTables.Indices.ReadFileAsync(path); }
            catch (Core.InputException) { refused++; }
        }
        Assert.True(refused > 0, "no corruption detected at all");
    }

    [Fact]
    public async Task ModelsColumnNumber_IsCol_QueriedWithoutQuoting_AndFilesOfSchema5StillRead()
    {
        // 'column' is a reserved word in DuckDB: the column number of models.parquet and analyses.parquet is 'col'.
        var row = new ModelCoefficientRow("robustness", "robustness/6", 6, "y ~ lag(x)", "within", "cluster:city", "", "", "lag(x)", 0.07, 0.01, 7, 1e-9, 0.05, 0.09, 100, 0.2, 0.1, 0.1, null);
        string dir = Directory.CreateDirectory(Path.Combine(Dir, "query-col")).FullName;
        await ResultTables.Models.WriteFileAsync(Path.Combine(dir, "models.parquet"), [row]);
        var q = ResultQuery.Run([new RunFolder("r1", dir)], "SELECT analysis, col FROM models");
        Assert.Equal(["analysis", "col"], q.Columns);
        Assert.Equal(6L, Convert.ToInt64(q.Rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        // A run written before (schema 5, 'column'): read back, and queried as 'col' too.
        var v5 = new TableSchema<ModelCoefficientRow>("models", "5")
            .Text("analysis", r => r.Analysis, nullable: false).Text("model_id", r => r.ModelId, nullable: false).Int64("column", r => r.Column)
            .Text("formula", r => r.Formula, nullable: false).Text("estimator", r => r.Estimator, nullable: false).Text("vcov", r => r.Vcov, nullable: false)
            .Text("filters", r => r.Filters, nullable: false).Text("winsorize", r => r.Winsorize, nullable: false)
            .Text("term", r => r.Term).NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError)
            .NullableDouble("statistic", r => r.Statistic).NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow)
            .NullableDouble("conf_high", r => r.ConfHigh).NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within)
            .NullableDouble("adj_r2", r => r.AdjR2).Text("error", r => r.Error);
        string old = Directory.CreateDirectory(Path.Combine(Dir, "query-col-v5")).FullName;
        await v5.WriteFileAsync(Path.Combine(old, "models.parquet"), [row]);
        Assert.Equal(row, Assert.Single(await ResultTables.Models.ReadFileAsync(Path.Combine(old, "models.parquet"))));
        var both = ResultQuery.Run([new RunFolder("new", dir), new RunFolder("old", old)], "SELECT run_id, col FROM models ORDER BY run_id");
        Assert.Equal(["run_id", "col"], both.Columns);
        Assert.Equal([6L, 6L], both.Rows.Select(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
