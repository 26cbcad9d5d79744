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
        Assert.Equal([new IngestedRow(3, "南京", 2022, ["1690.785", "2"]), new IngestedRow(4, "苏州", 2022, ["2395.83", "2"])], t.Rows, new RowComparer());
        var q = Assert.Single(t.Quarantine);
        Assert.Equal(new QuarantineEntry("cities.csv", null, 6, "杭州", "2022", "tier", "type integer", "2.5"), q);
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
