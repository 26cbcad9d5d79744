using DigitalEconomy.Tests;
using System.Security.Cryptography;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `de ingest` and `de dataset`: a yearbook-shaped .xlsx through a column map into versions. Expected
/// values are derived by hand: 万元 → 亿元 divides by 10,000 (402,695,600 万元 = 40,269.56 亿元).
/// </summary>
public sealed class IngestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-ingest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Root => Path.Combine(_dir, "datasets");

    private string P(string name) => Path.Combine(_dir, name);

    private const string Map = """
        source:
          sheet: 表2-1
          fill_down: [地区, 区域]
        unit: { column: 地区, name: province }
        time: { column: 年份, name: year }
        variables:
          gdp:
            column: 地区生产总值(万元)
            from: 万元
            to: 亿元
            range: [0, 200000]
            non_negative: true
          gdp_pc:
            column: 人均地区生产总值（元）
            type: integer
            non_negative: true
          region:
            column: 区域
            type: category
            allowed: [东部, 中部, 西部, 东北]
        """;

    private static readonly object?[] Header = ["地区", "年份", "地区生产总值\n（万元）", "人均地区生产总值（元）", "区域"];

    /// <summary>Title row merged over the table, an empty row, the header, regions merged down two rows, "—", a footnote and a source note.</summary>
    private void Book1(string path) => YearbookXlsx.Write(path, "表2-1", new Dictionary<int, object?[]>
    {
        [1] = ["表2-1 各地区主要经济指标（2021—2022年）"],
        [3] = Header,
        [4] = ["北京", 2021, 402695600, 183980, "东部"],
        [5] = [null, 2022, 416108000, 190313, null],
        [6] = ["天津", 2021, 157237000, 113732, "东部"],
        [7] = [null, 2022, "—", 119235, null],
        [8] = ["河北", 2022, 423702000, -56995, "东部"],
        [9] = ["山西", 2022, 256428000, 73675, "中部"],
        [10] = ["内蒙古", 2022, 2500000000, 98000, "西部"],
        [11] = ["注：地区生产总值按当年价格计算。"],
        [12] = ["资料来源：国家统计局。"],
    }, "A1:E1", "A4:A5", "E4:E5", "A6:A7", "E6:E7", "A11:E11");

    /// <summary>The next yearbook: 北京 2022 again (unchanged) and 北京 2023, new.</summary>
    private void Book2(string path) => YearbookXlsx.Write(path, "表2-1", new Dictionary<int, object?[]>
    {
        [1] = ["表2-1 各地区主要经济指标（2022—2023年）"],
        [2] = Header,
        [3] = ["北京", 2022, 416108000, 190313, "东部"],
        [4] = [null, 2023, 437607000, 200278, null],
        [5] = ["注：2023年为初步核算数。"],
    }, "A1:E1", "A3:A4", "E3:E4");

    // 内蒙古's GDP breaks its range and 河北's per-capita GDP is negative: those two cells are missing, their rows stay.
    private const string V1Data = """
        province,year,gdp,gdp_pc,region
        内蒙古,2022,,98000,西部
        北京,2021,40269.56,183980,东部
        北京,2022,41610.8,190313,东部
        天津,2021,15723.7,113732,东部
        天津,2022,,119235,东部
        山西,2022,25642.8,73675,中部
        河北,2022,42370.2,,东部

        """;

    private (int Code, string Out, string Err) Ingest(string source, string map = "map.yaml", params string[] extra)
    {
        if (!File.Exists(P(map))) File.WriteAllText(P(map), Map);
        return CliRunner.Run(["ingest", "prov", P(source), "--map", P(map), "--root", Root, .. extra]);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Ingest_YearbookSheet_ConvertsUnitsKeepsMissingStopsAtFootnoteAndSetsBadCellsMissing()
    {
        Book1(P("book1.xlsx"));
        var (code, o, e) = Ingest("book1.xlsx");
        Assert.True(code == 0, e);
        Assert.Equal("", e);
        string v1 = Path.Combine(Root, "prov", "v1");
        var lines = o.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("read 7 rows from book1.xlsx, sheet '表2-1' (header row 3; table ends at row 11: footnote '注：地区生产总值按当年价格计算。')", lines[0]);
        Assert.Equal("added 7, changed 0, removed 0, quarantined 0, cells set missing 2", lines[1]);
        Assert.Equal($"quarantine: {Path.Combine(v1, "quarantine.csv")} (0 rows dropped, 2 cells set missing; 2 broken rules)", lines[2]);
        Assert.StartsWith($"prov v1: {Path.Combine(v1, "data.csv")} (7 rows, sha256 ", lines[3]);

        // Regions merged down are filled, "—" is missing (empty), the footnotes are not rows.
        Assert.Equal(V1Data.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(v1, "data.csv")));
        var frame = DatasetFile.Read(Path.Combine(v1, "data.csv"));
        Assert.Equal(40269.56, frame.Numeric("gdp")[1], 12);
        Assert.True(double.IsNaN(frame.Numeric("gdp")[4]));
        Assert.Equal("""
            source,sheet,row,unit,time,column,rule,value,action
            book1.xlsx,表2-1,8,河北,2022,gdp_pc,non_negative,-56995,cell missing
            book1.xlsx,表2-1,10,内蒙古,2022,gdp,"range [0, 200000] (converted: 250000)",2500000000,cell missing

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(v1, "quarantine.csv")));

        var m = new DatasetVersions(Root).Manifest("prov", 1);
        Assert.Equal(Sha(Path.Combine(v1, "data.csv")), m.Sha256);
        Assert.Equal(Sha(P("book1.xlsx")), m.Sources.Single(s => s.Role == "source").Sha256);
        Assert.Equal(Sha(P("map.yaml")), m.Sources.Single(s => s.Role == "map").Sha256);
        Assert.Equal("表2-1", m.Sources[0].Sheet);
        Assert.Null(m.Previous);
        Assert.Equal(0, m.Quarantined);
        Assert.Equal(2, m.CellsMissing);
        Assert.Equal(7, m.Diff.Added.Count);
    }

    [Fact]
    public void Ingest_SecondYearbookAddsOneYearForOneRegion_DiffListsExactlyThatRowAndV1IsUntouched()
    {
        Book1(P("book1.xlsx"));
        Book2(P("book2.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        string v1 = Path.Combine(Root, "prov", "v1");
        var before = Directory.GetFiles(v1).ToDictionary(f => f, Sha);

        var (code, o, e) = Ingest("book2.xlsx");
        Assert.True(code == 0, e);
        Assert.Contains("added 1, changed 0, removed 0, quarantined 0\n", o, StringComparison.Ordinal);
        Assert.Contains($"prov v2: {Path.Combine(Root, "prov", "v2", "data.csv")} (8 rows, sha256 ", o, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(v1).ToDictionary(f => f, Sha));

        var m2 = new DatasetVersions(Root).Manifest("prov", 2);
        Assert.Equal(1, m2.Previous);
        Assert.Equal([new RowKey("北京", 2023)], m2.Diff.Added);
        Assert.Empty(m2.Diff.Changed);
        Assert.Empty(m2.Diff.Removed);
        Assert.Empty(m2.Diff.Cells);
        Assert.Null(m2.QuarantineFile);
        // v2 = v1 + the new row, in key order (43,760.7 亿元 = 437,607,000 万元 / 10,000).
        Assert.Equal(V1Data.ReplaceLineEndings("\n").Replace("北京,2022,41610.8,190313,东部\n", "北京,2022,41610.8,190313,东部\n北京,2023,43760.7,200278,东部\n", StringComparison.Ordinal),
            File.ReadAllText(Path.Combine(Root, "prov", "v2", "data.csv")));

        var diff = CliRunner.Run("dataset", "diff", "prov", "1", "v2", "--root", Root);
        Assert.Equal(0, diff.Code);
        Assert.Equal("prov v1 → v2: added 1, changed 0, removed 0 rows; 0 changed cells\n+ 北京 2023\n", diff.Out.ReplaceLineEndings("\n"));

        var log = CliRunner.Run("dataset", "log", "prov", "--root", Root);
        Assert.Equal(0, log.Code);
        var logLines = log.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, logLines.Length);
        Assert.Matches(@"^v1  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  7 rows  sha256 [0-9a-f]{12}…  \+7 ~0 -0  cells set missing 2$", logLines[0]);
        Assert.Equal($"    source: book1.xlsx [表2-1]  sha256 {Sha(P("book1.xlsx"))[..12]}…", logLines[1]);
        Assert.Matches(@"^v2  .*  8 rows  sha256 [0-9a-f]{12}…  \+1 ~0 -0$", logLines[3]);

        Assert.Equal(Path.Combine(v1, "data.csv") + "\n", CliRunner.Run("dataset", "path", "prov@1", "--root", Root).Out.ReplaceLineEndings("\n"));
        Assert.Equal(Path.Combine(Root, "prov", "v2", "data.csv") + "\n", CliRunner.Run("dataset", "path", "prov", "--root", Root).Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Ingest_SameSourceAgain_MakesNoVersionAndSaysSo()
    {
        Book1(P("book1.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        var (code, o, _) = Ingest("book1.xlsx");
        Assert.Equal(0, code);
        Assert.Contains("added 0, changed 0, removed 0, quarantined 0, cells set missing 2\n", o, StringComparison.Ordinal);
        Assert.Contains("no change: every row equals prov v1; no new version made", o, StringComparison.Ordinal);
        Assert.Equal([1], new DatasetVersions(Root).Versions("prov"));
        // The quarantine still has a place, outside any version.
        string q = Directory.GetFiles(Path.Combine(Root, "prov", "quarantine")).Single();
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "prov", "v1", "quarantine.csv")), File.ReadAllText(q));
    }

    [Fact]
    public void Ingest_RevisedCellFromCsv_DiffListsTheCellOldAndNew()
    {
        Book1(P("book1.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        File.WriteAllText(P("rev.csv"), "地区,年份,地区生产总值（万元）,人均地区生产总值（元）,区域\n天津,2022,163113000,119235,东部\n山西,2022,256428000,73675,中部\n");
        File.WriteAllText(P("csvmap.yaml"), Map.Replace("  sheet: 表2-1\n", "", StringComparison.Ordinal));
        var (code, o, e) = Ingest("rev.csv", "csvmap.yaml");
        Assert.True(code == 0, e);
        Assert.Contains("read 2 rows from rev.csv (header row 1; table ends at the last row)", o, StringComparison.Ordinal);
        Assert.Contains("added 0, changed 1, removed 0, quarantined 0", o, StringComparison.Ordinal);
        var diff = CliRunner.Run("dataset", "diff", "prov", "v1", "v2", "--root", Root);
        Assert.Equal("prov v1 → v2: added 0, changed 1, removed 0 rows; 1 changed cell\n~ 天津 2022: gdp (missing) → 16311.3\n", diff.Out.ReplaceLineEndings("\n"));
        var m = new DatasetVersions(Root).Manifest("prov", 2);
        Assert.Equal([new CellChange("天津", 2022, "gdp", null, "16311.3")], m.Diff.Cells);
        Assert.Equal(7, m.Rows);
    }

    [Fact]
    public void Ingest_RemoveAbsent_RemovesOnlyWithTheFlag()
    {
        Book1(P("book1.xlsx"));
        Book2(P("book2.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        var (code, o, _) = Ingest("book2.xlsx", "map.yaml", "--remove-absent");
        Assert.Equal(0, code);
        Assert.Contains("added 1, changed 0, removed 6, quarantined 0", o, StringComparison.Ordinal);
        Assert.Equal("province,year,gdp,gdp_pc,region\n北京,2022,41610.8,190313,东部\n北京,2023,43760.7,200278,东部\n",
            File.ReadAllText(Path.Combine(Root, "prov", "v2", "data.csv")));
        Assert.Equal([new RowKey("内蒙古", 2022), new RowKey("北京", 2021), new RowKey("天津", 2021), new RowKey("天津", 2022), new RowKey("山西", 2022), new RowKey("河北", 2022)],
            new DatasetVersions(Root).Manifest("prov", 2).Diff.Removed);
    }

    [Fact]
    public void Ingest_ABadCellInANewerSource_KeepsThePreviousValueAndRecordsIt()
    {
        Book1(P("book1.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        // A revision whose 北京 2021 GDP cell is text: the cell is set missing in the source's reading, but a bad cell
        // is no news, so v1's 40269.56 stays; 北京 2021's per-capita GDP is revised and changes.
        File.WriteAllText(P("rev.csv"), "地区,年份,地区生产总值（万元）,人均地区生产总值（元）,区域\n北京,2021,见附表,184000,东部\n");
        File.WriteAllText(P("csvmap.yaml"), Map.Replace("  sheet: 表2-1\n", "", StringComparison.Ordinal));
        var (code, o, e) = Ingest("rev.csv", "csvmap.yaml");
        Assert.True(code == 0, e);
        Assert.Contains("added 0, changed 1, removed 0, quarantined 0, cells set missing 1\n", o, StringComparison.Ordinal);
        var m = new DatasetVersions(Root).Manifest("prov", 2);
        Assert.Equal([new CellChange("北京", 2021, "gdp_pc", "183980", "184000")], m.Diff.Cells);
        Assert.Equal(1, m.CellsMissing);
        Assert.Equal("source,sheet,row,unit,time,column,rule,value,action\nrev.csv,,2,北京,2021,gdp,type number,见附表,cell missing\n",
            File.ReadAllText(Path.Combine(Root, "prov", "v2", "quarantine.csv")));
    }

    [Fact]
    public void Ingest_CnrdsShortNamesThenYearbookFullNames_StayOneUnitPerProvince()
    {
        // The silent corruption this prevents: 北京 (CNRDS) and 北京市 (yearbook) became two units, 61 "provinces".
        const string provMap = """
            unit: { column: 地区, name: province, divisions: province, attributes: [region, municipality] }
            time: { column: 年份, name: year }
            variables:
              gdp: 地区生产总值
            """;
        File.WriteAllText(P("pmap.yaml"), provMap);
        File.WriteAllText(P("cnrds.csv"), "\uFEFF地区,年份,地区生产总值\n北京,2011,16251.9\n天津,2011,11307.3\n");
        File.WriteAllText(P("yearbook.csv"), "地区,年份,地区生产总值\n北京市,2012,17879.4\n天津市,2012,12893.9\n北京市,2011,16251.93\n");
        Assert.Equal(0, Ingest("cnrds.csv", "pmap.yaml").Code);
        var (code, o, e) = Ingest("yearbook.csv", "pmap.yaml");
        Assert.True(code == 0, e);
        Assert.Contains("added 2, changed 1, removed 0, quarantined 0\n", o, StringComparison.Ordinal);
        Assert.Contains("units renamed: 北京市 → 北京, 天津市 → 天津\n", o, StringComparison.Ordinal);
        Assert.Equal("province,year,gdp,region,municipality\n北京,2011,16251.93,东部,1\n北京,2012,17879.4,东部,1\n天津,2011,11307.3,东部,1\n天津,2012,12893.9,东部,1\n",
            File.ReadAllText(Path.Combine(Root, "prov", "v2", "data.csv")));
        var m = new DatasetVersions(Root).Manifest("prov", 2);
        Assert.Equal([new UnitRename("北京市", "北京", 110000), new UnitRename("天津市", "天津", 120000)], m.Renamed);
        Assert.StartsWith("GB/T 2260", m.Divisions, StringComparison.Ordinal);
        Assert.Null(new DatasetVersions(Root).Manifest("prov", 1).Renamed);
    }

    [Fact]
    public void Ingest_WideYearbookSheet_OneIngestForEveryYear_WithProvinceNamesNormalised()
    {
        // One sheet, years as columns: one map and one ingest (it took ten of each before).
        File.WriteAllText(P("wide.yaml"), """
            source: { sheet: 表3 }
            unit: { column: 地区, name: province, divisions: province }
            time: { header: '(\d{4})年', name: year }
            variables:
              gdp: { from: 万元, to: 亿元 }
            """);
        YearbookXlsx.Write(P("wide.xlsx"), "表3", new Dictionary<int, object?[]>
        {
            [1] = ["表3 各地区生产总值（万元）"],
            [2] = ["地区", "2011年", "2012年", "2013年"],
            [3] = ["北京市", 162519000, 178794000, ".."],
            [4] = ["内蒙古自治区", 143597600, 158806000, 167324000],
            [5] = ["注：按当年价格计算。"],
        }, "A1:D1", "A5:D5");
        var (code, o, e) = Ingest("wide.xlsx", "wide.yaml");
        Assert.True(code == 0, e);
        Assert.Equal("""
            read 2 rows from wide.xlsx, sheet '表3' (header row 2; table ends at row 5: footnote '注：按当年价格计算。')
            periods from the headers: 2011, 2012, 2013
            added 6, changed 0, removed 0, quarantined 0
            units renamed: 北京市 → 北京, 内蒙古自治区 → 内蒙古
            """.ReplaceLineEndings("\n"), string.Join("\n", o.ReplaceLineEndings("\n").Split('\n').Take(4)));
        Assert.Equal("province,year,gdp\n内蒙古,2011,14359.76\n内蒙古,2012,15880.6\n内蒙古,2013,16732.4\n北京,2011,16251.9\n北京,2012,17879.4\n北京,2013,\n",
            File.ReadAllText(Path.Combine(Root, "prov", "v1", "data.csv")));
    }

    [Fact]
    public void Ingest_UnitLevelSheet_MergesOntoEveryYearOfItsUnit_WithAStataStyleReport()
    {
        File.WriteAllText(P("panel.csv"), "地区,年份,地区生产总值\n北京,2011,1\n北京,2012,2\n天津,2011,3\n天津,2012,4\n");
        File.WriteAllText(P("pmap.yaml"), "unit: { column: 地区, name: province, divisions: province }\ntime: { column: 年份, name: year }\nvariables:\n  gdp: 地区生产总值\n");
        Assert.Equal(0, Ingest("panel.csv", "pmap.yaml").Code);
        // Region and pilot year, one row per province (full names; 上海 is not in the panel, 天津 has no pilot year).
        File.WriteAllText(P("units.csv"), "地区,区域,试点年份\n北京市,东部,2012\n天津市,东部,..\n上海市,东部,2013\n");
        File.WriteAllText(P("umap.yaml"), "unit: { column: 地区, name: province, divisions: province }\ntime: { all: year }\nvariables:\n  region: { column: 区域, type: text }\n  pilot_year: { column: 试点年份, type: integer }\n");
        var (code, o, e) = Ingest("units.csv", "umap.yaml");
        Assert.True(code == 0, e);
        Assert.Contains("merged m:1 by province: matched 2 units (4 rows); only in the source: 上海 (not added); only in the dataset: none\n", o, StringComparison.Ordinal);
        Assert.Contains("added 0, changed 4, removed 0, quarantined 0\n", o, StringComparison.Ordinal);
        Assert.Equal("province,year,gdp,region,pilot_year\n北京,2011,1,东部,2012\n北京,2012,2,东部,2012\n天津,2011,3,东部,\n天津,2012,4,东部,\n",
            File.ReadAllText(Path.Combine(Root, "prov", "v2", "data.csv")));
        Assert.Equal(new UnitMerge(2, 4, ["上海"], []), new DatasetVersions(Root).Manifest("prov", 2).Merge, new UnitMergeComparer());

        // Onto no panel: refused in one line.
        var fresh = CliRunner.Run(["ingest", "other", P("units.csv"), "--map", P("umap.yaml"), "--root", Root]);
        Assert.Equal((2, "error: dataset 'other' has no version yet: a unit-level sheet (time.all) merges onto the years of a panel; ingest the panel first\n"), (fresh.Code, fresh.Err.ReplaceLineEndings("\n")));
    }

    private sealed class UnitMergeComparer : IEqualityComparer<UnitMerge?>
    {
        public bool Equals(UnitMerge? x, UnitMerge? y) => x is not null && y is not null && x.MatchedUnits == y.MatchedUnits && x.MatchedRows == y.MatchedRows
            && x.OnlyInSource.SequenceEqual(y.OnlyInSource) && x.OnlyInDataset.SequenceEqual(y.OnlyInDataset);

        public int GetHashCode(UnitMerge? obj) => obj?.MatchedRows ?? 0;
    }

    [Fact]
    public void Ingest_EncodingAskedFor_IsUsedAndRecordedInTheManifest()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(P("gbk.csv"), System.Text.Encoding.GetEncoding(936).GetBytes("地区,年份,地区生产总值（万元）,人均地区生产总值（元）,区域\n天津,2022,..,119235,东部\n"));
        File.WriteAllText(P("csvmap.yaml"), Map.Replace("  sheet: 表2-1\n", "", StringComparison.Ordinal));
        var (code, o, e) = Ingest("gbk.csv", "csvmap.yaml", "--encoding", "gbk");
        Assert.True(code == 0, e);
        Assert.Equal("", e); // asked for: no "read as GB18030" note
        Assert.Contains("added 1, changed 0, removed 0, quarantined 0\n", o, StringComparison.Ordinal);
        Assert.Equal("province,year,gdp,gdp_pc,region\n天津,2022,,119235,东部\n", File.ReadAllText(Path.Combine(Root, "prov", "v1", "data.csv")));
        Assert.Equal("GBK", new DatasetVersions(Root).Manifest("prov", 1).Sources.Single(s => s.Role == "source").Encoding);

        var bad = Ingest("gbk.csv", "csvmap.yaml", "--encoding", "big5");
        Assert.Equal((2, "error: --encoding 'big5': expected utf-8, gbk or gb18030\n"), (bad.Code, bad.Err.ReplaceLineEndings("\n")));
    }

    [Fact]
    public void Ingest_DuplicateUnitTime_QuarantinesEveryRowOfThatKey()
    {
        File.WriteAllText(P("dup.csv"), "地区,年份,地区生产总值（万元）,人均地区生产总值（元）,区域\n天津,2022,1,2,东部\n天津,2022,3,4,东部\n山西,2022,5,6,中部\n");
        File.WriteAllText(P("csvmap.yaml"), Map.Replace("  sheet: 表2-1\n", "", StringComparison.Ordinal));
        var (code, o, _) = Ingest("dup.csv", "csvmap.yaml");
        Assert.Equal(0, code);
        Assert.Contains("added 1, changed 0, removed 0, quarantined 2", o, StringComparison.Ordinal);
        Assert.Equal("""
            source,sheet,row,unit,time,column,rule,value,action
            dup.csv,,2,天津,2022,province+year,unit-time unique,天津 2022 also at row 3,row dropped
            dup.csv,,3,天津,2022,province+year,unit-time unique,天津 2022 also at row 2,row dropped

            """.ReplaceLineEndings("\n"), File.ReadAllText(Path.Combine(Root, "prov", "v1", "quarantine.csv")));
    }

    [Theory]
    [InlineData("range: [0, 200000]", "range: [5]", "line 11, key 'variables.gdp.range': expected [min, max]; use ~ for an open end, e.g. [0, ~]")]
    [InlineData("type: integer", "type: float", "line 15, key 'variables.gdp_pc.type': expected number, integer, text or category, found 'float'")]
    [InlineData("to: 亿元", "to: 亿人", "line 10, key 'variables.gdp.to': cannot convert 万元 to 亿人: different base units")]
    [InlineData("  fill_down: [地区, 区域]", "  fill_dwn: [地区, 区域]", "line 3, key 'source.fill_dwn': unknown key; expected one of: sheet, sheets, header_row, end")]
    [InlineData("allowed: [东部, 中部, 西部, 东北]", "allowed: 东部\n    non_negative: yes", "line 21, key 'variables.region.non_negative': applies to number and integer variables; 'region' is category")]
    [InlineData("  fill_down: [地区, 区域]", "  fill_down: [地区, 区域]\n  encoding: big5", "line 4, key 'source.encoding': expected utf-8, gbk or gb18030, found 'big5'")]
    [InlineData("time: { column: 年份, name: year }", "time: { column: 年份, header: '(\\d{4})', name: year }", "line 5, key 'time.header': give header (periods as column headers), column or value, only one")]
    public void Ingest_BadMap_OneLineWithFileLineAndKeyPath(string from, string to, string expected)
    {
        Book1(P("book1.xlsx"));
        File.WriteAllText(P("bad.yaml"), Map.Replace(from, to, StringComparison.Ordinal));
        var (code, o, e) = Ingest("book1.xlsx", "bad.yaml");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Single(e.Trim().Split('\n'));
        Assert.StartsWith("error: bad.yaml: " + expected, e, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "prov")));
    }

    [Fact]
    public void Ingest_HeaderNotInSheet_NamesTheMissingHeader()
    {
        Book1(P("book1.xlsx"));
        File.WriteAllText(P("map2.yaml"), Map.Replace("column: 区域", "column: 地区类别", StringComparison.Ordinal));
        var (code, _, e) = Ingest("book1.xlsx", "map2.yaml");
        Assert.Equal(2, code);
        Assert.StartsWith("error: book1.xlsx, sheet '表2-1': no row holds every mapped header; row 3 comes closest but lacks '地区类别'; it holds '地区', '年份', ", e, StringComparison.Ordinal);
        Assert.Single(e.Trim().Split('\n'));
    }

    [Fact]
    public void Ingest_UnknownSheet_ListsTheSheets()
    {
        Book1(P("book1.xlsx"));
        File.WriteAllText(P("map3.yaml"), Map.Replace("sheet: 表2-1", "sheet: 表9", StringComparison.Ordinal));
        var (code, _, e) = Ingest("book1.xlsx", "map3.yaml");
        Assert.Equal(2, code);
        Assert.Equal("error: book1.xlsx: no sheet '表9'; sheets: 表2-1\n", e.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void DatasetPath_DataFileChangedAfterwards_IsRefused()
    {
        Book1(P("book1.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        string data = Path.Combine(Root, "prov", "v1", "data.csv");
        // Files of a version are read-only (root may write them anyway, which is what this test does).
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(data));
        File.AppendAllText(data, "北京,2024,1,2,东部\n");
        var (code, _, e) = CliRunner.Run("dataset", "path", "prov@v1", "--root", Root);
        Assert.Equal(2, code);
        Assert.Contains("differs from", e, StringComparison.Ordinal);
        Assert.Contains("version 1 of 'prov' was changed after it was made", e, StringComparison.Ordinal);
    }

    [Fact]
    public void DatasetCommands_UnknownDatasetOrVersion_OneLine()
    {
        Assert.Equal($"error: no dataset 'nope' under {Root} (make one with: de ingest nope SOURCE --map MAP.yaml)\n", CliRunner.Run("dataset", "log", "nope", "--root", Root).Err.ReplaceLineEndings("\n"));
        Book1(P("book1.xlsx"));
        Assert.Equal(0, Ingest("book1.xlsx").Code);
        Assert.Equal("error: dataset 'prov' has no version 3; versions: v1\n", CliRunner.Run("dataset", "diff", "prov", "1", "3", "--root", Root).Err.ReplaceLineEndings("\n"));
        Assert.Equal("error: 'prov@x' : version 'x': expected a version number such as 2 or v2\n".Replace("' :", "':", StringComparison.Ordinal), CliRunner.Run("dataset", "path", "prov@x", "--root", Root).Err.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Estimate_XlsxGivenAsData_SaysItIsAWorkbook()
    {
        Book1(P("book1.xlsx"));
        var (code, o, e) = CliRunner.Run("estimate", "gdp ~ gdp_pc", "--data", P("book1.xlsx"), "--unit", "province", "--time", "year");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Single(e.Trim().Split('\n'));
        Assert.StartsWith("error: book1.xlsx is an Excel workbook (.xlsx), not CSV or Parquet; bring its table in with 'de ingest NAME book1.xlsx --map MAP.yaml'", e, StringComparison.Ordinal);
    }

    [Fact]
    public void ParquetFromCsv_XlsxGiven_SaysItIsAWorkbook()
    {
        Book1(P("book1.xlsx"));
        var (code, _, e) = CliRunner.Run("parquet", "from-csv", P("book1.xlsx"), P("out.parquet"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: book1.xlsx is an Excel workbook (.xlsx), not CSV or Parquet", e, StringComparison.Ordinal);
        Assert.False(File.Exists(P("out.parquet")));
    }

    [Fact]
    public void Ingest_SameSourceIntoTwoRoots_GivesByteIdenticalDataFiles()
    {
        Book1(P("book1.xlsx"));
        File.WriteAllText(P("map.yaml"), Map);
        foreach (var root in new[] { "a", "b" })
            Assert.Equal(0, CliRunner.Run("ingest", "prov", P("book1.xlsx"), "--map", P("map.yaml"), "--root", P(root)).Code);
        foreach (var file in new[] { "data.csv", "quarantine.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(P("a"), "prov", "v1", file)), File.ReadAllBytes(Path.Combine(P("b"), "prov", "v1", file)));
        Assert.Equal(new DatasetVersions(P("a")).Manifest("prov", 1).Sha256, new DatasetVersions(P("b")).Manifest("prov", 1).Sha256);
    }
}
