using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DigitalEconomy.Store;

/// <summary>
/// Writes a <see cref="DataFrame"/> as an Excel workbook (.xlsx) of one sheet with the OpenXml SDK: the column names in
/// row 1, then one row per frame row; numbers as numeric cells (shortest round-trip text, so Excel reads the same double),
/// text as shared strings (as Excel itself writes them; each distinct text stored once); a missing cell, NaN and ±∞ (Excel
/// has no infinity) as no cell at all, which every reader takes as empty.
/// </summary>
public static class XlsxWriter
{
    /// <summary>Excel's limits: rows per sheet (header included), columns, characters in a cell.</summary>
    private const int MaxRows = 1_048_576, MaxColumns = 16_384, MaxCellText = 32_767;

    /// <summary>The workbook's bytes.</summary>
    /// <param name="frame">The table.</param>
    /// <param name="sheetName">The sheet's name (at most 31 characters, none of : \ / ? * [ ]).</param>
    /// <exception cref="InputException">More rows, columns or characters in a cell than Excel holds, or a bad sheet name.</exception>
    public static byte[] Write(DataFrame frame, string sheetName = "data")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sheetName);
        if (frame.RowCount + 1 > MaxRows) throw new InputException($"{frame.RowCount} rows: an Excel sheet holds at most {MaxRows - 1} below its header; write .csv, .parquet or .dta");
        if (frame.Columns.Count > MaxColumns) throw new InputException($"{frame.Columns.Count} columns: an Excel sheet holds at most {MaxColumns}; write .csv, .parquet or .dta");
        if (sheetName.Length is 0 or > 31 || sheetName.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) >= 0)
            throw new InputException($"sheet name '{sheetName}': expected 1 to 31 characters, none of : \\ / ? * [ ]");

        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        var sharedList = new List<string>();
        uint references = 0;
        string Index(string s)
        {
            references++;
            if (s.Length > MaxCellText) throw new InputException($"a text of {s.Length} characters: an Excel cell holds at most {MaxCellText}; write .csv, .parquet or .dta");
            if (!shared.TryGetValue(s, out int i)) { i = sharedList.Count; shared[s] = i; sharedList.Add(s); }
            return i.ToString(CultureInfo.InvariantCulture);
        }

        var letters = Enumerable.Range(1, frame.Columns.Count).Select(YearbookReader.ColumnLetter).ToArray();
        var data = new SheetData();
        var header = new Row { RowIndex = 1U };
        for (int j = 0; j < frame.Columns.Count; j++)
            header.Append(new Cell { CellReference = letters[j] + "1", DataType = CellValues.SharedString, CellValue = new CellValue(Index(frame.Columns[j].Name)) });
        data.Append(header);
        for (int r = 0; r < frame.RowCount; r++)
        {
            uint at = (uint)r + 2;
            string rowText = at.ToString(CultureInfo.InvariantCulture);
            var row = new Row { RowIndex = at };
            for (int j = 0; j < frame.Columns.Count; j++)
            {
                var c = frame.Columns[j];
                if (c.Values is { } values)
                {
                    double v = values[r];
                    if (double.IsFinite(v)) row.Append(new Cell { CellReference = letters[j] + rowText, CellValue = new CellValue(v.ToString("R", CultureInfo.InvariantCulture)) });
                }
                else if (c.Texts![r] is { } s)
                    row.Append(new Cell { CellReference = letters[j] + rowText, DataType = CellValues.SharedString, CellValue = new CellValue(Index(s)) });
            }
            data.Append(row);
        }

        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var book = doc.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rId1");
            book.Workbook = new Workbook();
            // Fixed relationship ids (the SDK would draw random ones), so the parts of two writes of one frame are identical.
            var sheet = book.AddNewPart<WorksheetPart>("rId1");
            sheet.Worksheet = new Worksheet(data);
            var strings = book.AddNewPart<SharedStringTablePart>("rId2");
            strings.SharedStringTable = new SharedStringTable(sharedList.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
            {
                Count = references,
                UniqueCount = references,
            };
            book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(sheet), SheetId = 1U, Name = sheetName }));
        }
        return ms.ToArray();
    }
}
