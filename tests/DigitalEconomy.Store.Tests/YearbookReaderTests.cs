using DigitalEconomy.Core;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Store.Tests;

public sealed class YearbookReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-yearbook-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("万元", "亿元", 1, 10000)]
    [InlineData("亿元", "万元", 10000, 1)]
    [InlineData("万人", "人", 10000, 1)]
    [InlineData("千万元", "亿元", 1, 10)]
    [InlineData("元", "元", 1, 1)]
    public void Conversion_MagnitudesOfOneBase_ArePowersOfTen(string from, string to, double multiply, double divide) =>
        Assert.Equal((multiply, divide), MagnitudeUnits.Conversion(from, to));

    [Fact]
    public void Conversion_DifferentBases_IsNull() => Assert.Null(MagnitudeUnits.Conversion("万元", "亿人"));

    private static IngestMap Map(SourceLayout layout) => new(layout, new KeyColumn("city", "城市", null), new KeyColumn("year", null, 2022),
    [
        new VariableMap("gdp", "地区生产总值(万元)", VariableType.Number, 1, 10000, "亿元", null, null, true, null),
        new VariableMap("tier", "等级", VariableType.WholeNumber, 1, 1, null, 1, 5, false, null),
    ]);

    [Fact]
    public void Read_CsvWithTitleGivenHeaderRowBlankFillDownAndConstantYear()
    {
        // A CSV export of a one-year sheet: a title line, the header on line 2, the province left blank
        // below its first city (fill-down of blanks, as CSV has no merge information), a blank line
        // inside the table (skipped: the table ends only at its last row), thousands separators in text.
        string path = Path.Combine(_dir, "cities.csv");
        File.WriteAllText(path, "2022年城市主要指标,,,\n省份,城市,地区生产总值（万元）,等级\n江苏,南京,\"16,907,850\",2\n,苏州,23958300,2\n,,,\n浙江,杭州,…,2.5\n");
        var map = Map(SourceLayout.Default with { HeaderRow = 2, End = TableEnd.LastRow, FillDown = ["省份"] });
        var t = YearbookReader.Read(path, map);
        Assert.Equal(2, t.HeaderRow);
        Assert.Equal(3, t.RowsRead);
        // 杭州's "…" is missing and its tier 2.5 breaks "integer": that cell is missing, the row stays.
        Assert.Equal([new IngestedRow(3, "南京", 2022, ["1690.785", "2"]), new IngestedRow(4, "苏州", 2022, ["2395.83", "2"]), new IngestedRow(6, "杭州", 2022, [null, null])], t.Rows, new RowComparer());
        Assert.Equal([1], t.Rows[2].Broken);
        var q = Assert.Single(t.Quarantine);
        Assert.Equal(new QuarantineEntry("cities.csv", null, 6, "杭州", "2022", "tier", "type integer", "2.5", QuarantineEntry.CellMissing), q);
        Assert.Equal((0, 1), (t.QuarantinedRows, t.MissingCells));
    }

    [Fact]
    public void Read_GbkExportWithEpsMissingMarkers_DecodesAndReadsTheMarkersAsMissing()
    {
        // An EPS-style export in GBK: ".." for not available, a lone "-" and "/" for not applicable; "-5" is a number
        // (and breaks the map's non-negative rule, so only that cell is missing).
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        string path = Path.Combine(_dir, "eps.csv");
        File.WriteAllBytes(path, System.Text.Encoding.GetEncoding(936).GetBytes("城市,地区生产总值(万元),等级\n南京,..,2\n苏州,-,/\n杭州,-5,3\n"));
        var detected = YearbookReader.Read(path, Map(SourceLayout.Default));
        Assert.Equal("GB18030", detected.Encoding!.Name);
        Assert.Equal([new IngestedRow(2, "南京", 2022, [null, "2"]), new IngestedRow(3, "苏州", 2022, [null, null]), new IngestedRow(4, "杭州", 2022, [null, "3"])],
            detected.Rows, new RowComparer());
        Assert.Equal(new QuarantineEntry("eps.csv", null, 4, "杭州", "2022", "gdp", "non_negative (converted: -0.0005)", "-5", QuarantineEntry.CellMissing), Assert.Single(detected.Quarantine));

        // Declared (source.encoding: gbk), the encoding is the one asked for and is recorded as such.
        var declared = YearbookReader.Read(path, Map(SourceLayout.Default with { Encoding = "GBK" }));
        Assert.Equal(("GBK", "asked for"), (declared.Encoding!.Name, declared.Encoding.Reason));
        Assert.Equal(detected.Rows, declared.Rows, new RowComparer());

        // Declared UTF-8 for GBK bytes is refused in one line naming the file.
        var e = Assert.Throws<InputException>(() => YearbookReader.Read(path, Map(SourceLayout.Default with { Encoding = "UTF-8" })));
        Assert.StartsWith("eps.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    // 53,508,030.1 万元 = 5,350.80301 亿元 exactly; binary arithmetic gives 5350.8030100000005.
    [InlineData("53508030.1", 1, 10000, "5350.80301")]
    [InlineData("\"1,234.5\"", 1, 10000, "0.12345")]
    [InlineData("0.1", 3, 1, "0.3")]
    [InlineData("12345", 1, 1000, "12.345")]
    public void Read_UnitConversion_IsTheExactDecimalRoundedOnce(string cell, double multiply, double divide, string expected)
    {
        string path = Path.Combine(_dir, "conv.csv");
        File.WriteAllText(path, $"城市,地区生产总值(万元),等级\n南京,{cell},1\n");
        var map = Map(SourceLayout.Default) is var m ? m with { Variables = [m.Variables[0] with { Multiply = multiply, Divide = divide }, m.Variables[1]] } : null!;
        Assert.Equal(expected, YearbookReader.Read(path, map).Rows.Single().Values[0]);
    }

    [Fact]
    public void UnitConversion_InBinaryArithmetic_IsOffByOneUlp_WhichTheExactRuleAvoids()
    {
        // The premise of the test above: these are the cases where double arithmetic rounds twice.
        Assert.NotEqual(5350.80301, 53508030.1 / 10000);
        Assert.NotEqual(0.3, 0.1 * 3);
    }

    [Fact]
    public void Read_GivenHeaderRowWithoutTheHeaders_NamesWhatIsMissing()
    {
        string path = Path.Combine(_dir, "c.csv");
        File.WriteAllText(path, "title,,\n城市,地区生产总值(万元),等级\n南京,1,2\n");
        var e = Assert.Throws<InputException>(() => YearbookReader.Read(path, Map(SourceLayout.Default with { HeaderRow = 1 })));
        Assert.Equal("c.csv: header row 1 lacks '城市', '地区生产总值(万元)', '等级'; it holds 'title'", e.Message);
    }

    [Fact]
    public async Task DatasetFile_WorkbookBytes_AreRefusedByName()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => DatasetFile.ReadAsync([0x50, 0x4B, 0x03, 0x04, 0, 0], "/x/panel.xlsx"));
        Assert.StartsWith("panel.xlsx is an Excel workbook (.xlsx), not CSV or Parquet", e.Message, StringComparison.Ordinal);
    }

    private sealed class RowComparer : IEqualityComparer<IngestedRow>
    {
        public bool Equals(IngestedRow? x, IngestedRow? y) => x!.SourceRow == y!.SourceRow && x.Unit == y.Unit && x.Time == y.Time && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(IngestedRow obj) => obj.SourceRow;
    }
}
