using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>Issue 9: the bad inputs a new user hit, end to end through `de`.</summary>
public sealed class HardeningTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-harden-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public HardeningTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private string Tmp(string name) => Path.Combine(_dir, name);

    /// <summary>examples/Produc.csv with one cell of unemp (line 5: ALABAMA 1973) replaced.</summary>
    private string ProducWith(string unemp)
    {
        var lines = File.ReadAllLines(CliRunner.Data("Produc.csv"));
        var cells = lines[4].Split(',');
        Assert.Equal("ALABAMA", cells[0]);
        Assert.Equal("1973", cells[1]);
        cells[10] = unemp;
        lines[4] = string.Join(',', cells);
        string path = Tmp($"produc-{unemp}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    // ---- item 1

    [Theory]
    [InlineData("1e155")]
    [InlineData("1e160")]
    [InlineData("1e200")]
    public void Estimate_HugeCell_IsRefusedNamingTheCell(string value)
    {
        var (code, _, err) = Run("estimate", "log(gsp) ~ unemp", "--data", ProducWith(value), "--unit", "state", "--time", "year");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Contains("line 5", err, StringComparison.Ordinal);
        Assert.Contains("state 'ALABAMA', year 1973", err, StringComparison.Ordinal);
        Assert.DoesNotContain("collinear", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_HugeCellUnderLog_IsEstimated()
    {
        // log(1e200) = 460.5 is an ordinary value: the model is fitted.
        var lines = File.ReadAllLines(CliRunner.Data("Produc.csv"));
        var cells = lines[4].Split(',');
        cells[8] = "1e200";
        lines[4] = string.Join(',', cells);
        File.WriteAllLines(Tmp("gsp.csv"), lines);
        var (code, output, _) = Run("estimate", "log(gsp) ~ unemp", "--data", Tmp("gsp.csv"), "--unit", "state", "--time", "year", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(816, doc.RootElement.GetProperty("n").GetInt32());
    }

    // ---- item 3

    [Fact]
    public void Estimate_TwoWayClusterNotPsd_AppliesTheEigenFixWithAWarning()
    {
        Assert.Equal(0, Run("generate", "cities", "--out", Tmp("cities.csv")).Code);
        Assert.Equal(0, Run("index", "--data", Tmp("cities.csv"), "--unit", "city", "--time", "year", "--system", "de", "--shift", "0.0001", "--out", Tmp("de.csv")).Code);
        var score = File.ReadLines(Tmp("de.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0] + "|" + c[1], c => c[2]);
        var city = File.ReadAllLines(Tmp("cities.csv"));
        var joined = new List<string> { city[0] + ",de_index" };
        joined.AddRange(city.Skip(1).Select(l => { var c = l.Split(','); return l + "," + score[c[0] + "|" + c[2]]; }));
        File.WriteAllLines(Tmp("cities_de.csv"), joined);
        string[] args = ["estimate", "tech_market_gdp ~ lag(de_index) + gov + market + lngdp | city", "--data", Tmp("cities_de.csv"), "--unit", "city", "--time", "year",
            "--filter", "region == East", "--vcov", "cluster:city,year"];
        var (code, output, _) = Run([.. args, "--json"]);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var treatment = doc.RootElement.GetProperty("coefficients")[0];
        Assert.Equal("lag(de_index)", treatment.GetProperty("term").GetString());
        Assert.Equal(JsonValueKind.Number, treatment.GetProperty("std_error").ValueKind);
        Assert.True(treatment.GetProperty("std_error").GetDouble() >= 0);
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("negative eigenvalue", StringComparison.Ordinal) && w.Contains("Cameron, Gelbach & Miller", StringComparison.Ordinal));
        var (code2, _, err) = Run(args);
        Assert.Equal(0, code2);
        Assert.Contains("negative eigenvalue", err, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecificationCurve_NaNAndInfiniteEstimates_AreLeftOut()
    {
        var choices = new Dictionary<string, string> { ["sample"] = "all" };
        var points = new[]
        {
            new Reporting.Charts.SpecCurvePoint("a", 1.0, 0.0, 2.0, 0.04, choices),
            new Reporting.Charts.SpecCurvePoint("b", 2.0, double.NaN, double.NaN, double.NaN, choices),
            new Reporting.Charts.SpecCurvePoint("c", double.NaN, 0, 1, 0.5, choices),
        };
        string svg = System.Text.Encoding.UTF8.GetString(Reporting.Charts.SpecificationCurveChart.Render(points, null, new Reporting.Charts.ChartOptions { Format = Reporting.Charts.ChartFormat.Svg }));
        System.Xml.Linq.XDocument.Parse(svg);
        Assert.Contains("Specifications ranked by estimate", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
    }

    // ---- item 5

    [Fact]
    public void Index_OutputIsTheInput_IsRefusedAndTheInputKept()
    {
        string input = Tmp("in.csv");
        File.Copy(CliRunner.Data("entropy_input.csv"), input);
        string before = File.ReadAllText(input);
        var (code, _, err) = Run("index", "--data", input, "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+", "--out", Path.Combine(_dir, ".", "in.csv"));
        Assert.Equal(2, code);
        Assert.Contains("--out", err, StringComparison.Ordinal);
        Assert.Contains("input", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(input));
    }

    [Fact]
    public void Index_OutputIsASymlinkToTheInput_IsRefused()
    {
        string input = Tmp("in.csv");
        File.Copy(CliRunner.Data("entropy_input.csv"), input);
        string link = Tmp("link.csv");
        File.CreateSymbolicLink(link, input);
        string before = File.ReadAllText(input);
        var (code, _, err) = Run("index", "--data", input, "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+", "--out", link);
        Assert.Equal(2, code);
        Assert.Contains("input", err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(input));
    }

    [Fact]
    public void ParquetFromCsv_OutputIsTheInput_IsRefused()
    {
        string input = Tmp("in.csv");
        File.WriteAllText(input, "a,b\n1,2\n");
        var (code, _, err) = Run("parquet", "from-csv", input, input);
        Assert.Equal(2, code);
        Assert.Contains("input", err, StringComparison.Ordinal);
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(input));
    }

    [Fact]
    public void ParquetToCsv_OutputIsTheInput_IsRefused()
    {
        string csv = Tmp("in.csv");
        File.WriteAllText(csv, "a,b\n1,2\n");
        string pq = Tmp("in.parquet");
        Assert.Equal(0, Run("parquet", "from-csv", csv, pq).Code);
        long size = new FileInfo(pq).Length;
        var (code, _, err) = Run("parquet", "to-csv", pq, pq);
        Assert.Equal(2, code);
        Assert.Contains("input", err, StringComparison.Ordinal);
        Assert.Equal(size, new FileInfo(pq).Length);
    }

    // ---- item 6

    [Fact]
    public void Index_OutIsADirectory_LeavesNoTemporaryFile()
    {
        string outDir = Tmp("outdir");
        Directory.CreateDirectory(outDir);
        var (code, _, err) = Run("index", "--data", CliRunner.Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("is a directory", err, StringComparison.Ordinal);
        Assert.Equal([outDir], Directory.GetFileSystemEntries(_dir));
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void Index_OutInAnUnwritableFolder_DoesNotNameATemporaryFile()
    {
        var (code, _, err) = Run("index", "--data", CliRunner.Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+", "--out", "/proc/nope.csv");
        Assert.Equal(2, code);
        Assert.Contains("/proc/nope.csv", err, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", err, StringComparison.Ordinal);
    }

    // ---- item 9

    [Fact]
    public void Index_Scale7_IsRefused()
    {
        var (code, _, err) = Run("index", "--data", CliRunner.Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+", "--scale", "7");
        Assert.Equal(2, code);
        Assert.Contains("--scale 7", err, StringComparison.Ordinal);
        Assert.Contains("1 or 100", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ParquetFromCsv_HeaderOnly_WritesStringColumnsWithANote()
    {
        File.WriteAllText(Tmp("h.csv"), "a,b\n");
        var (code, output, err) = Run("parquet", "from-csv", Tmp("h.csv"), Tmp("h.parquet"));
        Assert.Equal(0, code);
        Assert.Contains("a: string, b: string", output, StringComparison.Ordinal);
        Assert.Contains("no values", err, StringComparison.Ordinal);
        var (code2, schema, _) = Run("parquet", "schema", Tmp("h.parquet"));
        Assert.Equal(0, code2);
        Assert.Contains("a: STRING", schema, StringComparison.Ordinal);
    }

    [Fact]
    public void ParquetHead_NegativeCount_IsRefused()
    {
        File.WriteAllText(Tmp("x.csv"), "a\n1\n2\n");
        Assert.Equal(0, Run("parquet", "from-csv", Tmp("x.csv"), Tmp("x.parquet")).Code);
        var (code, output, err) = Run("parquet", "head", Tmp("x.parquet"), "-n", "-3");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("-n -3", err, StringComparison.Ordinal);
    }

    // ---- item 10

    [Fact]
    public void Estimate_DataIsADirectory_SaysSo()
    {
        var (code, _, err) = Run("estimate", "y ~ x", "--data", _dir, "--unit", "u", "--time", "t");
        Assert.Equal(2, code);
        Assert.Contains("is a directory", err, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Parquet_InputIsADirectory_SaysSo()
    {
        var (code, _, err) = Run("parquet", "schema", _dir);
        Assert.Equal(2, code);
        Assert.Contains("is a directory", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_SemicolonCsv_NamesTheDelimiter()
    {
        File.WriteAllLines(Tmp("semi.csv"), File.ReadAllLines(CliRunner.Data("Produc.csv")).Select(l => l.Replace(',', ';')));
        var (code, _, err) = Run("estimate", "log(gsp) ~ unemp", "--data", Tmp("semi.csv"), "--unit", "state", "--time", "year");
        Assert.Equal(2, code);
        Assert.Contains("';'", err, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown column", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_MissingValueWarning_GivesTheFileLine()
    {
        // Line 3 of the file is ALABAMA 1971; rows are sorted, so the file line is what the user can find.
        var lines = File.ReadAllLines(CliRunner.Data("Produc.csv"));
        var cells = lines[2].Split(',');
        Assert.Equal("1971", cells[1]);
        cells[10] = "";
        lines[2] = string.Join(',', cells);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllLines(Tmp("gap.csv"), lines);
        var (code, _, err) = Run("estimate", "log(gsp) ~ unemp", "--data", Tmp("gap.csv"), "--unit", "state", "--time", "year");
        Assert.Equal(0, code);
        Assert.Contains("state 'ALABAMA', year 1971 (line 2)", err, StringComparison.Ordinal);
    }

    // ---- item 11

    [Fact]
    public void Estimate_WeakInstrument_Warns()
    {
        // KP rk Wald F of log(util) for log(emp) is far below 5.53, the smallest Stock–Yogo (2005) critical
        // value for one endogenous regressor and one instrument (25 % maximal size).
        string[] args = ["estimate", "log(gsp) ~ log(pcap) | state | log(emp) ~ log(util)", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--vcov", "cluster:state"];
        var (code, output, _) = Run([.. args, "--json"]);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        double f = doc.RootElement.GetProperty("diagnostics").GetProperty("kleibergen_paap_rk_wald_f").GetDouble();
        Assert.True(f < 5.53);
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.Contains("weak", StringComparison.Ordinal) && w.Contains("5.53", StringComparison.Ordinal)
            && w.Contains(f.ToString("0.00", CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var (_, _, err) = Run(args);
        Assert.Contains("weak", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_StrongInstrument_DoesNotWarn()
    {
        var (code, output, _) = Run("estimate", "log(gsp) ~ log(pcap) | state | log(emp) ~ unemp", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--vcov", "cluster:state", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.DoesNotContain(doc.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("weak", StringComparison.Ordinal));
    }
}
