using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// The .xlsx writer, checked against another program: tests/data/xlsx/written.xlsx is what <see cref="XlsxWriter"/> writes for
/// <see cref="ExportFrames.Panel"/> (the first test checks that every part of the package is still the same: a zip's entry
/// times differ between writes, the parts do not), and written.openpyxl.json is what openpyxl 3.0.9 and pandas 1.5.3
/// (Debian) read from it (tests/data/xlsx/read_written.py). The expected values are the frame's, written out by hand; our own
/// workbook reader (ExcelDataReader, used by de ingest) reads it back in addition.
/// To rewrite the fixtures: DE_WRITE_FIXTURES=1 dotnet test … --filter XlsxWriter, then run read_written.py with /usr/bin/python3.
/// </summary>
public sealed class XlsxWriterTests
{
    [Fact]
    public void WritesTheCommittedParts()
    {
        var bytes = XlsxWriter.Write(ExportFrames.Panel());
        if (Environment.GetEnvironmentVariable("DE_WRITE_FIXTURES") == "1")
            File.WriteAllBytes(Path.Combine(ExportFrames.SourceData(), "xlsx", "written.xlsx"), bytes);
        Assert.Equal(Parts(File.ReadAllBytes(DtaWriterTests.Fixture("xlsx", "written.xlsx"))), Parts(bytes));
    }

    [Fact]
    public void OpenpyxlAndPandasReadNumbersAsNumbersAndTextAsText()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DtaWriterTests.Fixture("xlsx", "written.openpyxl.json")));
        var root = doc.RootElement;
        Assert.Equal("data", root.GetProperty("sheet").GetString());
        var rows = root.GetProperty("cells").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
        Assert.Equal(4, rows.Count); // header + 3
        Assert.Equal(["province", "year", "pilot", "pop", "gdp", "big", "median(estimate)", "区域", "note"], rows[0].Select(c => c[0].GetString()));
        Assert.All(rows[0], c => Assert.Equal("s", c[1].GetString()));
        // openpyxl's data types: n = number, s = string; a missing cell has no value (null).
        Assert.Equal([("北京", "s"), ("2011", "n"), ("1", "n"), ("21893095", "n"), ("16251.93", "n"), ("3000000000", "n"), ("1.5", "n"), ("东部", "s"), (ExportFrames.LongNote, "s")], Row(rows[1]));
        Assert.Equal([("天津", "s"), ("2012", "n"), ("0", "n"), ("13866009", "n"), (null, "n"), ("-1", "n"), ("-3", "n"), ("东部", "s"), (null, "n")], Row(rows[2]));
        Assert.Equal([("河北", "s"), ("2013", "n"), (null, "n"), ("-74610235", "n"), ("24515.76", "n"), (null, "n"), (null, "n"), ("中部", "s"), ("短", "s")], Row(rows[3]));
        var p = root.GetProperty("pandas");
        Assert.Equal("int64", p.GetProperty("dtypes").GetProperty("year").GetString());
        Assert.Equal("float64", p.GetProperty("dtypes").GetProperty("gdp").GetString());
        Assert.Equal("object", p.GetProperty("dtypes").GetProperty("province").GetString());
    }

    [Fact]
    public void OurWorkbookReaderReadsItBack()
    {
        string path = Path.Combine(Path.GetTempPath(), $"xlsx-{Guid.NewGuid():N}.xlsx");
        try
        {
            File.WriteAllBytes(path, XlsxWriter.Write(ExportFrames.Panel()));
            var rows = YearbookReader.ReadSheet(path, null).Rows;
            Assert.Equal(4, rows.Count);
            Assert.Equal("median(estimate)", rows[0].Cells[6]);
            Assert.Equal(["北京", "2011", "1", "21893095", "16251.93", "3000000000", "1.5", "东部", ExportFrames.LongNote], rows[1].Cells);
            Assert.True(string.IsNullOrEmpty(rows[2].Cells[4])); // a missing number: no cell
            Assert.Equal("短", rows[3].Cells[8]);
        }
        finally { File.Delete(path); }
    }

    private static (string?, string?)[] Row(List<JsonElement> row) =>
        [.. row.Select(c => (c[0].ValueKind == JsonValueKind.Null ? null : c[0].ValueKind == JsonValueKind.Number ? c[0].GetRawText() : c[0].GetString(), c[1].GetString()))];

    private static SortedDictionary<string, string> Parts(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in zip.Entries)
        {
            using var r = new StreamReader(e.Open());
            parts[e.FullName] = r.ReadToEnd();
        }
        return parts;
    }
}
