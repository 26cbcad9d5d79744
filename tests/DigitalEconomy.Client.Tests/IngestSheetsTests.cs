using DigitalEconomy.Store;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `source.sheets`: two sheets of one workbook in one ingest, each with its own map part — a wide GDP sheet with full province
/// names (北京市, 天津市, 河北省; 2011–2012) and a long population sheet with short names (北京, 天津 for 2011–2012, 山西 2012) —
/// merged by (province, year) into one version, with Stata's merge counts: matched 4 keys (北京 and 天津 × 2 years), only in the
/// GDP sheet 2 (河北 × 2), only in the population sheet 1 (山西 2012). Counted by hand from the sheets below.
/// </summary>
public sealed class IngestSheetsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-ingest-sheets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private const string Map = """
        source:
          sheets:
            - sheet: 表1
              time: { header: '(\d{4})年', name: year }
              variables:
                gdp: { from: 万元, to: 亿元 }
            - sheet: 表2
              variables:
                pop: 年末人口
        unit: { column: 地区, name: province, divisions: province }
        time: { column: 年份, name: year }
        """;

    [Fact]
    public void TwoSheetsOneVersion_MergeReportInOutputAndManifest()
    {
        Workbook(P("book.xlsx"),
            ("表1", [["表1 地区生产总值"], ["地区", "2011年", "2012年"], ["北京市", 162519000, 178794000], ["天津市", 113073000, 128938800], ["河北省", 245157600, 265750100]]),
            ("表2", [["地区", "年份", "年末人口"], ["北京", 2011, 2019], ["北京", 2012, 2069], ["天津", 2011, 1355], ["天津", 2012, 1413], ["山西", 2012, 3611]]));
        File.WriteAllText(P("map.yaml"), Map);
        var (code, stdout, err) = CliRunner.Run("ingest", "prov", P("book.xlsx"), "--map", P("map.yaml"), "--root", P("datasets"));
        Assert.True(code == 0, err);
        Assert.Contains("merged sheet '表2' onto '表1' by (province, year): matched 4; not matched 3 (only in '表1' 2, only in '表2' 1)", stdout);
        Assert.Contains("added 7, changed 0, removed 0", stdout);
        var f = DatasetFile.Read(new DatasetVersions(P("datasets")).Resolve("prov").Path);
        Assert.Equal(["province", "year", "gdp", "pop"], f.Columns.Select(c => c.Name));
        // Sorted by unit (code point: 北 < 天 < 山 < 河) then year; 万元 → 亿元 divides by 10,000.
        Assert.Equal(["北京", "北京", "天津", "天津", "山西", "河北", "河北"], f["province"].Texts!.AsEnumerable());
        Assert.Equal([16251.9, 17879.4, 11307.3, 12893.88, double.NaN, 24515.76, 26575.01], f.Numeric("gdp"));
        Assert.Equal([2019, 2069, 1355, 1413, 3611, double.NaN, double.NaN], f.Numeric("pop"));
        var m = new DatasetVersions(P("datasets")).Manifest("prov", 1);
        Assert.Equal([new SheetMerge("表1", "表2", 4, 2, 1)], m.SheetMerges!);
        Assert.Equal("表1, 表2", m.Sources[0].Sheet);
    }

    [Fact]
    public void AVariableInTwoSheetsIsRefusedByKey()
    {
        Workbook(P("book.xlsx"), ("表1", [["地区", "年份", "x"], ["北京", 2011, 1]]), ("表2", [["地区", "年份", "x"], ["北京", 2011, 1]]));
        File.WriteAllText(P("map.yaml"), "source:\n  sheets:\n    - { sheet: 表1, variables: { x: x } }\n    - { sheet: 表2, variables: { x: x } }\nunit: { column: 地区, name: province }\ntime: { column: 年份, name: year }\n");
        var (code, _, err) = CliRunner.Run("ingest", "prov", P("book.xlsx"), "--map", P("map.yaml"), "--root", P("datasets"));
        Assert.Equal(2, code);
        Assert.Contains("key 'source.sheets[1].variables': 'x' is a variable of an earlier sheet too", err);
    }

    /// <summary>A workbook of several sheets (strings as inline strings, numbers as numbers), rows from row 1.</summary>
    private static void Workbook(string path, params (string Name, object[][] Rows)[] sheets)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var book = doc.AddWorkbookPart();
        book.Workbook = new Workbook();
        var list = book.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var (name, rows) in sheets)
        {
            var part = book.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (int r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)r + 1 };
                for (int c = 0; c < rows[r].Length; c++)
                {
                    string at = $"{(char)('A' + c)}{r + 1}";
                    row.Append(rows[r][c] is string s
                        ? new Cell { CellReference = at, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s)) }
                        : new Cell { CellReference = at, CellValue = new CellValue(Convert.ToDouble(rows[r][c], System.Globalization.CultureInfo.InvariantCulture)) });
                }
                data.Append(row);
            }
            part.Worksheet = new Worksheet(data);
            list.Append(new Sheet { Id = book.GetIdOfPart(part), SheetId = id++, Name = name });
        }
        book.Workbook.Save();
    }
}
