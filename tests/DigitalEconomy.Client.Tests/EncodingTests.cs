using System.Text;
using System.Text.Json;
using DigitalEconomy.Tests;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 19, items 3 and 12: a GBK file (the default of EPS/CSMAR exports on Chinese Windows) is read as
/// GB18030 and said so, never decoded into U+FFFD strings; a file valid in neither is refused in one line;
/// a multi-line cell echoed in an error keeps the error on one line.
/// </summary>
public sealed class EncodingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-encoding-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private (string Gbk, string Utf8) WritePanel(bool chineseHeader = true)
    {
        string gbk = P("gbk.csv"), utf8 = P("utf8.csv");
        GbkPanel.Write(gbk, utf8, chineseHeader);
        return (gbk, utf8);
    }

    private static string[] Estimate(string data, params string[] extra) =>
        ["estimate", "创新 ~ 数字经济 | 城市", "--data", data, "--unit", "城市", "--time", "年份", .. extra];

    /// <summary>A labels file saved as GBK: refused in one line (line and byte named), not read as U+FFFD labels in the table.</summary>
    [Fact]
    public void ALabelsFileSavedAsGbk_IsRefusedInOneLine()
    {
        var (_, utf8) = WritePanel();
        string labels = P("labels.yaml");
        File.WriteAllBytes(labels, Encoding.GetEncoding(936).GetBytes("数字经济: 数字经济指数\n"));
        var (code, output, err) = CliRunner.Run(Estimate(utf8, "--table", P("t.md"), "--labels", labels));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("error: labels.yaml: line 1, byte offset 0 (0xCA): not valid UTF-8; save the file as UTF-8\n", err);
        Assert.False(File.Exists(P("t.md")));
    }

    [Fact]
    public void Estimate_GbkCsv_SixClustersAndTheSeOfTheUtf8File_WithANote()
    {
        var (gbk, utf8) = WritePanel();
        var (code8, out8, err8) = CliRunner.Run(Estimate(utf8, "--vcov", "cluster:省份", "--json"));
        Assert.Equal(0, code8);
        Assert.Equal("", err8);
        var (code, output, err) = CliRunner.Run(Estimate(gbk, "--vcov", "cluster:省份", "--json"));
        Assert.Equal(0, code);
        Assert.Equal($"note: {gbk} read as GB18030 (not valid UTF-8)\n", err);
        using var a = JsonDocument.Parse(output);
        using var b = JsonDocument.Parse(out8);
        Assert.Equal(6, a.RootElement.GetProperty("clusters").GetProperty("省份").GetInt32());
        Assert.Equal(6, b.RootElement.GetProperty("clusters").GetProperty("省份").GetInt32());
        Assert.Equal(72, a.RootElement.GetProperty("n").GetInt32());
        double se = a.RootElement.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble();
        Assert.Equal(b.RootElement.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble(), se);
        Assert.Equal(b.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), a.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble());
        Assert.True(se > 0);
    }

    /// <summary>The wrong result of the issue: with ASCII headers the GBK names decoded as UTF-8 merge, silently.</summary>
    [Fact]
    public void Estimate_GbkNamesUnderAsciiHeaders_AreSixClusters_NotMerged()
    {
        var (gbk, utf8) = WritePanel(chineseHeader: false);
        string[] args(string data) => ["estimate", "innov ~ dei | city", "--data", data, "--unit", "city", "--time", "year", "--vcov", "cluster:province", "--json"];
        var (code8, out8, _) = CliRunner.Run(args(utf8));
        var (code, output, err) = CliRunner.Run(args(gbk));
        Assert.Equal((0, 0), (code8, code));
        using var a = JsonDocument.Parse(output);
        using var b = JsonDocument.Parse(out8);
        Assert.Equal(6, a.RootElement.GetProperty("clusters").GetProperty("province").GetInt32());
        Assert.Equal(b.RootElement.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble(), a.RootElement.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble());
        Assert.Equal($"note: {gbk} read as GB18030 (not valid UTF-8)\n", err);
    }

    [Fact]
    public void Provinces_MergeWhenGbkIsReadAsUtf8()
    {
        var gbk = GbkPanel.Gbk;
        Assert.Equal(4, GbkPanel.Provinces.Select(p => Encoding.UTF8.GetString(gbk.GetBytes(p))).Distinct().Count());
        Assert.Equal(Encoding.UTF8.GetString(gbk.GetBytes("北京")), Encoding.UTF8.GetString(gbk.GetBytes("江苏")));
        Assert.Equal(Encoding.UTF8.GetString(gbk.GetBytes("山西")), Encoding.UTF8.GetString(gbk.GetBytes("山东")));
    }

    [Fact]
    public void GbkHeaders_AreTheChineseNames()
    {
        var (gbk, _) = WritePanel();
        var (code, _, err) = CliRunner.Run(Estimate(gbk, "--vcov", "cluster:区域"));
        Assert.Equal(2, code);
        Assert.EndsWith("available columns: 城市, 年份, 省份, 数字经济, 创新\n", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8WithBom_IsUtf8_WithoutANote()
    {
        string bom = P("bom.csv");
        File.WriteAllBytes(bom, [.. new UTF8Encoding(true).GetPreamble(), .. new UTF8Encoding(false).GetBytes(GbkPanel.Csv())]);
        var (code, output, err) = CliRunner.Run(Estimate(bom, "--vcov", "cluster:省份", "--json"));
        Assert.Equal(0, code);
        Assert.Equal("", err);
        using var a = JsonDocument.Parse(output);
        Assert.Equal(6, a.RootElement.GetProperty("clusters").GetProperty("省份").GetInt32());
    }

    [Fact]
    public void InvalidInUtf8AndGb18030_IsRefusedInOneLine_NamingLineAndByteOffset()
    {
        string bad = P("bad.csv");
        // 0xFF is never a byte of UTF-8 nor of GB18030.
        byte[] head = Encoding.ASCII.GetBytes("id,year,y,x\na,2001,1,2\nb");
        File.WriteAllBytes(bad, [.. head, 0xFF, .. Encoding.ASCII.GetBytes(",2001,1,2\n")]);
        var (code, output, err) = CliRunner.Run("estimate", "y ~ x", "--data", bad, "--unit", "id", "--time", "year");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: bad.csv: line 3, byte offset {head.Length} (0xFF): neither UTF-8 nor GB18030; save the file as UTF-8\n", err);
    }

    [Fact]
    public void EncodingOption_ForcesTheEncoding()
    {
        var (gbk, utf8) = WritePanel();
        var (code, _, err) = CliRunner.Run(Estimate(gbk, "--vcov", "cluster:省份", "--encoding", "gbk"));
        Assert.Equal(0, code);
        Assert.Equal("", err);
        (code, _, err) = CliRunner.Run(Estimate(gbk, "--encoding", "utf-8"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: gbk.csv: line 1, byte offset 0 (0xB3): not valid UTF-8", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        (code, _, err) = CliRunner.Run(Estimate(utf8, "--encoding", "latin1"));
        Assert.Equal(2, code);
        Assert.Equal("error: --encoding 'latin1': expected utf-8, gbk or gb18030\n", err);
    }

    [Fact]
    public void Index_GbkCsv_TheSameScoresAsUtf8_WithANote()
    {
        var (gbk, utf8) = WritePanel();
        var (code8, out8, _) = CliRunner.Run("index", "--data", utf8, "--unit", "城市", "--time", "年份", "--indicators", "数字经济:+,创新:+");
        var (code, output, err) = CliRunner.Run("index", "--data", gbk, "--unit", "城市", "--time", "年份", "--indicators", "数字经济:+,创新:+");
        Assert.Equal(0, code8);
        Assert.Equal(0, code);
        Assert.Equal(out8, output);
        Assert.Equal($"note: {gbk} read as GB18030 (not valid UTF-8)\n", err);
    }

    [Fact]
    public void Ingest_GbkCsv_KeepsTheChineseNames_AndSaysTheEncoding()
    {
        string src = P("src.csv"), map = P("map.yaml");
        File.WriteAllBytes(src, GbkPanel.Gbk.GetBytes("地区,年份,地区生产总值\n北京,2021,100\n上海,2021,200\n天津,2021,300\n"));
        File.WriteAllText(map, """
            unit: { column: 地区, name: province }
            time: { column: 年份, name: year }
            variables:
              gdp:
                column: 地区生产总值

            """);
        var (code, output, err) = CliRunner.Run("ingest", "gdp", src, "--map", map, "--root", P("datasets"));
        Assert.Equal("", err.Replace($"note: {src} read as GB18030 (not valid UTF-8)\n", "", StringComparison.Ordinal));
        Assert.Contains("read as GB18030", err, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("read 3 rows from src.csv", output, StringComparison.Ordinal);
        Assert.Equal("province,year,gdp\n上海,2021,200\n北京,2021,100\n天津,2021,300\n".Split('\n').Order(StringComparer.Ordinal),
            File.ReadAllText(Path.Combine(P("datasets"), "gdp", "v1", "data.csv")).Split('\n').Order(StringComparer.Ordinal));
        // The version's manifest says how its source was read.
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(P("datasets"), "gdp", "v1", "manifest.json")));
        var sources = m.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(x => x.GetProperty("role").GetString()!);
        Assert.Equal("GB18030", sources["source"].GetProperty("encoding").GetString());
        Assert.Equal(JsonValueKind.Null, sources["map"].GetProperty("encoding").ValueKind);
    }

    [Fact]
    public void Ingest_InvalidInBoth_IsRefusedInOneLine()
    {
        string src = P("src.csv"), map = P("map.yaml");
        File.WriteAllBytes(src, [.. Encoding.ASCII.GetBytes("a,year,gdp\nx,2021,1"), 0x80, .. "\n"u8]);
        File.WriteAllText(map, "unit: { column: a, name: province }\ntime: { column: year, name: year }\nvariables:\n  gdp:\n    column: gdp\n");
        var (code, _, err) = CliRunner.Run("ingest", "gdp", src, "--map", map, "--root", P("datasets"));
        Assert.Equal(2, code);
        Assert.Equal("error: src.csv: line 2, byte offset 19 (0x80): neither UTF-8 nor GB18030; save the file as UTF-8\n", err);
    }

    [Fact]
    public void ParquetFromCsv_GbkCsv_WritesTheChineseNames_WithANote()
    {
        var (gbk, _) = WritePanel();
        string pq = P("gbk.parquet");
        var (code, _, err) = CliRunner.Run("parquet", "from-csv", gbk, pq);
        Assert.Equal(0, code);
        Assert.Equal($"note: {gbk} read as GB18030 (not valid UTF-8)\n", err);
        var frame = DigitalEconomy.Store.DatasetFile.Read(pq);
        Assert.Equal(["城市", "年份", "省份", "数字经济", "创新"], frame.Columns.Select(c => c.Name));
        Assert.Equal(GbkPanel.Provinces, frame["省份"].Texts!.Distinct().Select(t => t!));
    }

    [Fact]
    public void Ingest_AMultiLineHeader_InAnError_StaysOnOneLine()
    {
        string src = P("src.csv"), map = P("map.yaml");
        File.WriteAllText(src, "地区,年份,\"地区生产总值\n（万元）\"\n北京,2021,100\n");
        File.WriteAllText(map, "source:\n  fill_down: [区域]\nunit: { column: 地区, name: province }\ntime: { column: 年份, name: year }\nvariables:\n  gdp:\n    column: 地区生产总值（万元）\n");
        var (code, _, err) = CliRunner.Run("ingest", "gdp", src, "--map", map, "--root", P("datasets"));
        Assert.Equal(2, code);
        Assert.Equal("error: src.csv: row 1: no header '区域' to fill down; headers: 地区, 年份, 地区生产总值\\n（万元）\n", err);
    }

    [Fact]
    public void MultiLineCell_InAnError_StaysOnOneLine()
    {
        string csv = P("multi.csv");
        File.WriteAllText(csv, "id,year,y,x\na,2001,1,2\na,2002,1,\"3\n4\"\nb,2001,2,3\n");
        var (code, _, err) = CliRunner.Run("estimate", "y ~ x", "--data", csv, "--unit", "id", "--time", "year");
        Assert.Equal(2, code);
        Assert.Equal("error: multi.csv: line 3, column 4 ('x'): expected a number, found '3\\n4'\n", err);
    }
}
