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
    public void Read_ProvinceNamesInEverySpelling_BecomeOneUnitEach_WithTheirNbsAttributes()
    {
        // A CNRDS-style short name, a yearbook full name, pinyin and a padded yearbook name, and the national total.
        string path = Path.Combine(_dir, "prov.csv");
        File.WriteAllText(path, "地区,年份,gdp\n北京,2011,1\n北京市,2012,2\nBeijing,2013,3\n内蒙古自治区,2012,4\n重  庆,2012,5\nShaanxi,2012,6\nShanxi,2012,7\n全国,2012,8\n");
        var map = new IngestMap(SourceLayout.Default with { SkipUnits = ["全国"] },
            new KeyColumn("province", "地区", null) { Divisions = "province", Attributes = ["region", "municipality", "code"] },
            new KeyColumn("year", "年份", null), [new VariableMap("gdp", "gdp", VariableType.Number, 1, 1, null, null, null, false, null)]);
        var t = YearbookReader.Read(path, map);
        Assert.Equal(["province", "year", "gdp", "region", "municipality", "province_code"], t.Map.Columns);
        Assert.Equal(
            [
                new IngestedRow(2, "北京", 2011, ["1", "东部", "1", "110000"]),
                new IngestedRow(3, "北京", 2012, ["2", "东部", "1", "110000"]),
                new IngestedRow(4, "北京", 2013, ["3", "东部", "1", "110000"]),
                new IngestedRow(5, "内蒙古", 2012, ["4", "西部", "0", "150000"]),
                new IngestedRow(6, "重庆", 2012, ["5", "西部", "1", "500000"]),
                new IngestedRow(7, "陕西", 2012, ["6", "西部", "0", "610000"]),
                new IngestedRow(8, "山西", 2012, ["7", "中部", "0", "140000"]),
            ], t.Rows, new RowComparer());
        Assert.Equal(1, t.RowsSkipped);
        Assert.Equal([new UnitRename("北京市", "北京", 110000), new UnitRename("Beijing", "北京", 110000), new UnitRename("内蒙古自治区", "内蒙古", 150000),
            new UnitRename("Shaanxi", "陕西", 610000), new UnitRename("Shanxi", "山西", 140000)], t.Renamed);
    }

    [Fact]
    public void Read_ANameThatIsNoProvince_IsRefusedWithTheClosestNames()
    {
        string path = Path.Combine(_dir, "prov.csv");
        File.WriteAllText(path, "地区,年份,gdp\n北京,2011,1\n黑龙红,2011,2\n");
        var map = new IngestMap(SourceLayout.Default, new KeyColumn("province", "地区", null) { Divisions = "province" },
            new KeyColumn("year", "年份", null), [new VariableMap("gdp", "gdp", VariableType.Number, 1, 1, null, null, null, false, null)]);
        var e = Assert.Throws<InputException>(() => YearbookReader.Read(path, map));
        Assert.Equal("prov.csv: row 3: '黑龙红' is not a province (closest: 黑龙江, 上海, 云南); fix the name, or list it in source.skip_units if it is a total", e.Message);
    }

    [Fact]
    public void Read_WideSheet_YearsAsColumns_BecomesOneRowPerUnitAndYear()
    {
        // Years as column headers, a note column that is no year, ".." for not available, a bad cell.
        string path = Path.Combine(_dir, "wide.csv");
        File.WriteAllText(path, "表1 地区生产总值（万元）,,,,\n地区,2011年,2012年,2013 年,备注\n北京,162519000,178794000,..,x\n天津,113073000,abc,144420000,\n全国,1,2,3,\n");
        var map = new IngestMap(SourceLayout.Default with { SkipUnits = ["全国"] }, new KeyColumn("province", "地区", null), new KeyColumn("year", null, null) { HeaderPattern = @"(\d{4})年" },
            [new VariableMap("gdp", "", VariableType.Number, 1, 10000, "亿元", null, null, false, null)]);
        var t = YearbookReader.Read(path, map);
        Assert.Equal((2, 3, 1), (t.HeaderRow, t.RowsRead, t.RowsSkipped)); // sheet rows, not rows × periods
        Assert.Equal(["2011", "2012", "2013"], t.Periods);
        Assert.Equal(
            [
                new IngestedRow(3, "北京", 2011, ["16251.9"]), new IngestedRow(3, "北京", 2012, ["17879.4"]), new IngestedRow(3, "北京", 2013, [null]),
                new IngestedRow(4, "天津", 2011, ["11307.3"]), new IngestedRow(4, "天津", 2012, [null]), new IngestedRow(4, "天津", 2013, ["14442"]),
            ], t.Rows, new RowComparer());
        Assert.Equal(new QuarantineEntry("wide.csv", null, 4, "天津", "2012", "gdp", "type number", "abc", QuarantineEntry.CellMissing), Assert.Single(t.Quarantine));
        Assert.Equal(["province", "year", "gdp"], t.Map.Columns);
    }

    [Fact]
    public void Read_WideSheetWithoutAPeriodHeader_SaysWhatIsMissing()
    {
        string path = Path.Combine(_dir, "wide.csv");
        File.WriteAllText(path, "地区,GDP\n北京,1\n");
        var map = new IngestMap(SourceLayout.Default, new KeyColumn("province", "地区", null), new KeyColumn("year", null, null) { HeaderPattern = @"(\d{4})年" },
            [new VariableMap("gdp", "", VariableType.Number, 1, 1, null, null, null, false, null)]);
        var e = Assert.Throws<InputException>(() => YearbookReader.Read(path, map));
        Assert.StartsWith("wide.csv: no row holds every mapped header; row 1 comes closest but lacks 'a period header matching ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provinces_Table_HasTheNbsFourRegionsAndFourMunicipalities()
    {
        // NBS (2011): 东部 10, 中部 6, 西部 12, 东北 3 of the 31 mainland provinces; GB/T 2260 codes are unique.
        Assert.Equal([("东北", 3), ("东部", 10), ("中部", 6), ("西部", 12)],
            Core.Data.Provinces.All.Where(p => p.Region.Length > 0).GroupBy(p => p.Region).Select(g => (g.Key, g.Count())).OrderBy(x => x.Key, StringComparer.Ordinal).ToList());
        Assert.Equal(["上海", "北京", "天津", "重庆"], Core.Data.Provinces.All.Where(p => p.Municipality).Select(p => p.ShortName).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(34, Core.Data.Provinces.All.Select(p => p.Code).Distinct().Count());
        Assert.Equal(["辽宁", "吉林", "黑龙江"], Core.Data.Provinces.All.Where(p => p.Region == "东北").Select(p => p.ShortName).ToList());
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
