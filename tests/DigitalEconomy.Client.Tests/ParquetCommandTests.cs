using DigitalEconomy.Client;
using DigitalEconomy.Parquet;
using Xunit;

namespace DigitalEconomy.Client.Tests;

public class ParquetCommandTests
{
    private static readonly string Dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "de-pqcli-" + Environment.ProcessId)).FullName;

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void FromCsv_InfersTypes_AndToCsvRoundTripsExactly()
    {
        string csv = Path.Combine(Dir, "in.csv"), pq = Path.Combine(Dir, "out.parquet"), back = Path.Combine(Dir, "back.csv");
        File.WriteAllText(csv, "城市,year,gdp,big,note\n北京,2020,0.1,9223372036854775807,\"a, b\"\n上海,2021,,−1,\n广州,,NaN,-9223372036854775808,x\n深圳,2023,1e-300,0,\"say \"\"hi\"\"\"\n");
        var (code, output, err) = Run("parquet", "from-csv", csv, pq, "--codec", "gzip");
        Assert.True(code == 0, err);
        Assert.Contains("城市: string, year: int64, gdp: double, big: string, note: string", output, StringComparison.Ordinal); // "−1" (U+2212) is not a number
        using (var r = ParquetReader.Open(pq))
        {
            var cols = r.ReadAll();
            Assert.Equal(ParquetType.Int64, cols[1].Field.Type);
            Assert.True(cols[1].IsNull(2));
            Assert.Equal(0.1, cols[2].Doubles![0]);
            Assert.True(cols[2].IsNull(1));
            Assert.True(double.IsNaN(cols[2].Doubles![2]));
            Assert.Equal(1e-300, cols[2].Doubles![3]);
            Assert.Equal("GZIP", r.Describe()[0].Codec);
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
        Assert.Contains("v: DOUBLE", output, StringComparison.Ordinal);
        Assert.Matches(@"0 v\s+SNAPPY\s+PLAIN,RLE\s+3\s+\d+\s+1\s+-1 \.\. 2\.5", output);
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
        Assert.Equal("error: corrupt or truncated Parquet file: no PAR1 magic at the end (not a Parquet file, or truncated)", err.Trim());
    }
}
