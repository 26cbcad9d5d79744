using DigitalEconomy.Client;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Client.Tests;

public class ParquetCommandTests
{
    private static readonly string Dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "de-pqcli-" + Environment.ProcessId)).FullName;

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task FromCsv_InfersTypes_AndToCsvRoundTripsExactly()
    {
        string csv = Path.Combine(Dir, "in.csv"), pq = Path.Combine(Dir, "out.parquet"), back = Path.Combine(Dir, "back.csv");
        File.WriteAllText(csv, "城市,year,gdp,big,note\n北京,2020,0.1,9223372036854775807,\"a, b\"\n上海,2021,,−1,\n广州,,NaN,-9223372036854775808,x\n深圳,2023,1e-300,0,\"say \"\"hi\"\"\"\n");
        var (code, output, err) = Run("parquet", "from-csv", csv, pq, "--codec", "gzip");
        Assert.True(code == 0, err);
        Assert.Contains("城市: string, year: int64, gdp: double, big: string, note: string", output, StringComparison.Ordinal); // "−1" (U+2212) is not a number
        await using (var t = await ParquetTable.OpenAsync(pq))
        {
            Assert.Equal(["城市:STRING", "year:INT64", "gdp:DOUBLE", "big:STRING", "note:STRING"], t.Columns.Select(c => $"{c.Name}:{c.Type}"));
            var cols = await t.ReadRowGroupAsync(0);
            Assert.Equal(new object?[] { 2020L, 2021L, null, 2023L }, cols[1]);
            Assert.Equal(0.1, cols[2][0]);
            Assert.Null(cols[2][1]);
            Assert.True(double.IsNaN((double)cols[2][2]!));
            Assert.Equal(1e-300, cols[2][3]);
            Assert.All(t.Describe(), c => Assert.Equal("GZIP", c.Codec));
        }
        (code, _, err) = Run("parquet", "to-csv", pq, back);
        Assert.True(code == 0, err);
        Assert.Equal(
            "城市,year,gdp,big,note\n北京,2020,0.1,9223372036854775807,\"a, b\"\n上海,2021,,−1,\n广州,,NaN,-9223372036854775808,x\n深圳,2023,1E-300,0,\"say \"\"hi\"\"\"\n",
            File.ReadAllText(back));
    }

    [Fact]
    public void SchemaAndHead_ShowColumnsStatisticsAndRows()
    {
        string csv = Path.Combine(Dir, "s.csv"), pq = Path.Combine(Dir, "s.parquet");
        File.WriteAllText(csv, "id,v\n1,2.5\n2,-1\n3,\n");
        Assert.Equal(0, Run("parquet", "from-csv", csv, pq).Code);
        var (code, output, _) = Run("parquet", "schema", pq);
        Assert.Equal(0, code);
        Assert.Contains("3 rows, 1 row group(s)", output, StringComparison.Ordinal);
        Assert.Contains("  v: DOUBLE\n", output, StringComparison.Ordinal);
        Assert.Matches(@"0 v\s+SNAPPY\s+\S+\s+3\s+\d+\s+1\s+-1 \.\. 2\.5", output);
        (code, output, _) = Run("parquet", "head", pq, "-n", "2");
        Assert.Equal(0, code);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("2.5", output, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAParquetFile_OneLine()
    {
        string f = Path.Combine(Dir, "bad.parquet");
        File.WriteAllText(f, "id,v\n1,2\n3,4\n5,6\n");
        var (code, _, err) = Run("parquet", "head", f);
        Assert.Equal(2, code);
        Assert.Equal($"error: {f}: not a Parquet file (no PAR1 magic at its start and end)", err.Trim());
    }

    [Fact]
    public void ToCsv_OfADuckDbFile_DecimalDateTimestampBooleanNullsAndList()
    {
        // tests/data/parquet/duckdb_types.parquet: written by DuckDB 1.5.6, every column OPTIONAL (SOURCE.md has the SQL).
        string csv = Path.Combine(Dir, "duck.csv");
        var (code, output, err) = Run("parquet", "to-csv", Path.Combine(AppContext.BaseDirectory, "data", "parquet", "duckdb_types.parquet"), csv);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 3 rows", output, StringComparison.Ordinal);
        Assert.Equal(
            "id,amount,day,ts,flag,city,tags\n" +
            "1,12.34,2024-02-29,2024-02-29T13:45:56.123456,true,\"Beijing, 北京\",\"[1,null,3]\"\n" +
            "2,,,,,,\n" +
            "3,-0.05,1969-12-31,1900-01-01T00:00:00.000000,false,\"say \"\"hi\"\"\",[]\n",
            File.ReadAllText(csv));
        (code, output, err) = Run("parquet", "schema", Path.Combine(AppContext.BaseDirectory, "data", "parquet", "duckdb_types.parquet"));
        Assert.True(code == 0, err);
        Assert.Contains("  amount: DECIMAL(10,2)\n  day: DATE\n  ts: TIMESTAMP\n  flag: BOOLEAN\n  city: STRING\n  tags: LIST<INT32>\n", output, StringComparison.Ordinal);
        (code, output, _) = Run("parquet", "head", Path.Combine(AppContext.BaseDirectory, "data", "parquet", "duckdb_types.parquet"), "-n", "2");
        Assert.Equal(0, code);
        // "Beijing, 北京" is 13 terminal cells wide (each Chinese character takes two), so "tags" starts at the same cell on every line.
        Assert.Equal(["id  amount  day         ts                          flag  city           tags", "1   12.34   2024-02-29  2024-02-29T13:45:56.123456  true  Beijing, 北京  [1,null,3]", "2   null    null        null                        null  null           null"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }

    [Fact]
    public void AColumnWeCannotShow_IsOneLineNamingIt()
    {
        string f = Path.Combine(AppContext.BaseDirectory, "data", "parquet", "duckdb_struct.parquet");
        var (code, output, err) = Run("parquet", "to-csv", f, Path.Combine(Dir, "struct.csv"));
        Assert.Equal(2, code);
        Assert.Equal($"error: {f}: column 'pair' is STRUCT, which de parquet cannot show (flatten it first, e.g. with DuckDB)\n", err.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(Dir, "struct.csv")));
        (code, output, _) = Run("parquet", "schema", f);
        Assert.Equal(0, code);
        Assert.Contains("pair: STRUCT  (not shown by head/to-csv)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_ReadsAParquetDataset_AsItReadsTheSameCsv()
    {
        string pq = Path.Combine(Dir, "produc.parquet");
        Assert.Equal(0, Run("parquet", "from-csv", CliRunner.Data("Produc.csv"), pq).Code);
        var fromCsv = Run("estimate", "log(gsp) ~ log(pcap) + unemp", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--json");
        var fromPq = Run("estimate", "log(gsp) ~ log(pcap) + unemp", "--data", pq, "--unit", "state", "--time", "year", "--json");
        Assert.True(fromCsv.Code == 0, fromCsv.Err);
        Assert.True(fromPq.Code == 0, fromPq.Err);
        Assert.Contains("\"estimate\"", fromPq.Out, StringComparison.Ordinal);
        Assert.Equal(fromCsv.Out.Replace("Produc.csv", "produc.parquet", StringComparison.Ordinal), fromPq.Out);
    }
}
