using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DigitalEconomy.Tests;

/// <summary>
/// Writes a small .xlsx the way yearbook sheets are laid out (title row, merged cells, Chinese headers,
/// dashes for missing, footnotes) with the Open XML SDK. Rows are keyed by their sheet row number, so a
/// row left out is absent from the file, as an empty row of a real workbook is.
/// </summary>
internal static class YearbookXlsx
{
    public static void Write(string path, string sheetName, IReadOnlyDictionary<int, object?[]> rows, params string[] merges)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        foreach (var (number, cells) in rows.OrderBy(r => r.Key))
        {
            var row = new Row { RowIndex = (uint)number };
            for (int c = 0; c < cells.Length; c++)
            {
                string reference = $"{(char)('A' + c)}{number}";
                switch (cells[c])
                {
                    case null:
                        break;
                    case string s:
                        row.Append(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s) { Space = SpaceProcessingModeValues.Preserve }) });
                        break;
                    case var v:
                        row.Append(new Cell { CellReference = reference, CellValue = new CellValue(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)) });
                        break;
                }
            }
            data.Append(row);
        }
        sheetPart.Worksheet = new Worksheet(data);
        if (merges.Length > 0) sheetPart.Worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
        var sheets = workbook.Workbook.AppendChild(new Sheets());
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName });
        workbook.Workbook.Save();
    }
}
