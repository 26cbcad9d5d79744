using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using ExcelDataReader;

namespace DigitalEconomy.Store;

/// <summary>One row of a sheet as text: numbers in round-trip form, null for an empty cell. <see cref="Number"/> is 1-based (the sheet's row number).</summary>
public sealed record SheetRow(int Number, IReadOnlyList<string?> Cells);

/// <summary>A merged range of a sheet, 1-based rows and columns, inclusive.</summary>
public sealed record MergedRange(int FromRow, int FromColumn, int ToRow, int ToColumn);

/// <summary>
/// A sheet as read from its file, before any map: every row as text, and the merged ranges (an Excel
/// workbook reports them; CSV and Parquet have none, so <see cref="HasMergeInfo"/> is false).
/// </summary>
public sealed record RawSheet(string Source, string? Sheet, IReadOnlyList<SheetRow> Rows, IReadOnlyList<MergedRange> Merges, bool HasMergeInfo)
{
    /// <summary>The encoding a CSV source was read in (null for a workbook or Parquet file).</summary>
    public TextEncoding? Encoding { get; init; }
}

/// <summary>
/// A rule a cell broke and what became of it (<see cref="Action"/>): a unit or time cell that breaks a rule, or a
/// unit-time key found twice, drops its row (<see cref="RowDropped"/>); any other cell is set missing and its row
/// enters the dataset (<see cref="CellMissing"/>), as a yearbook's one bad cell should not cost the row's other values.
/// </summary>
public sealed record QuarantineEntry(string Source, string? Sheet, int Row, string? Unit, string? Time, string Column, string Rule, string Value, string Action = QuarantineEntry.RowDropped)
{
    /// <summary>The row did not enter the dataset.</summary>
    public const string RowDropped = "row dropped";

    /// <summary>The cell was set missing (and keeps a previous version's value); the row entered the dataset.</summary>
    public const string CellMissing = "cell missing";
}

/// <summary>
/// A row whose key passed: its values as canonical text (numbers in round-trip form, null = missing), in the map's
/// variable order; <see cref="Broken"/> lists the variables whose cells broke a rule and were set missing.
/// </summary>
public sealed record IngestedRow(int SourceRow, string Unit, long Time, IReadOnlyList<string?> Values)
{
    /// <summary>Indices (in the map's variable order) of the cells that broke a rule: missing here, and a previous version's value stays.</summary>
    public IReadOnlyList<int> Broken { get; init; } = [];
}

/// <summary>
/// The table read from one source through a map: where it was (sheet, header row, where and why it ended),
/// how many data rows were read and skipped, the rows that passed and the quarantined rule violations.
/// </summary>
public sealed record IngestedTable(
    IngestMap Map,
    string Source,
    string? Sheet,
    int HeaderRow,
    string EndNote,
    int RowsRead,
    int RowsSkipped,
    IReadOnlyList<IngestedRow> Rows,
    IReadOnlyList<QuarantineEntry> Quarantine,
    IReadOnlyList<RowKey> QuarantinedKeys)
{
    /// <summary>The number of distinct source rows dropped (a broken unit or time, or a key found twice).</summary>
    public int QuarantinedRows => Quarantine.Where(q => q.Action == QuarantineEntry.RowDropped).Select(q => q.Row).Distinct().Count();

    /// <summary>The number of cells set missing because they broke a rule (their rows entered the dataset).</summary>
    public int MissingCells => Quarantine.Count(q => q.Action == QuarantineEntry.CellMissing);

    /// <summary>The encoding a CSV source was read in (null for a workbook or Parquet file).</summary>
    public TextEncoding? Encoding { get; init; }

    /// <summary>A wide sheet's periods as read from its headers, in column order (empty for a long table).</summary>
    public IReadOnlyList<string> Periods { get; init; } = [];

    /// <summary>Unit names normalised through the division table (<see cref="KeyColumn.Divisions"/>): each distinct spelling that changed, in order of first appearance.</summary>
    public IReadOnlyList<UnitRename> Renamed { get; init; } = [];

    /// <summary>With <c>source.sheets</c>: how each sheet after the first merged onto the ones before it (empty for one sheet).</summary>
    public IReadOnlyList<SheetMerge> SheetMerges { get; init; } = [];
}

/// <summary>
/// One sheet merged onto the sheets before it by (unit, time), as Stata's <c>merge 1:1</c> reports it: the keys in both, the
/// keys only in the sheets before (<see cref="Left"/>, Stata's "from master") and only in this sheet (<see cref="Right"/>, "from using").
/// </summary>
public sealed record SheetMerge(string Left, string Right, int Matched, int OnlyLeft, int OnlyRight);

/// <summary>A unit name as the source wrote it and the canonical name (and GB/T 2260 code) it was read as.</summary>
public sealed record UnitRename(string From, string To, int Code);

/// <summary>
/// Reads a yearbook table — CSV, Excel (.xlsx/.xls through ExcelDataReader) or Parquet — and applies a
/// column map: finds the header row (given or detected), stops at the end of the table (first empty row,
/// footnote marker), fills merged cells down where the map says, converts units, checks every rule, sets a
/// cell that breaks one missing and drops a row whose key breaks one, recording each in the quarantine.
/// </summary>
public static class YearbookReader
{
    static YearbookReader()
    {
        // ExcelDataReader decodes legacy .xls strings and non-UTF-8 CSV through code pages.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>The kind of a file by its first bytes: "xlsx" (zip), "xls" (OLE compound file), "parquet", "dta" (Stata 13 and later) or "csv".</summary>
    public static string Sniff(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var s = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        int n = s.Read(head);
        return Sniff(head[..n]);
    }

    /// <summary>The kind of a file by its first bytes.</summary>
    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8)) return "xlsx";
        if (head.Length >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0) return "xls";
        if (head.Length >= 4 && head[..4].SequenceEqual("PAR1"u8)) return "parquet";
        if (head.Length >= 4 && head[..4].SequenceEqual("<sta"u8)) return "dta";
        return "csv";
    }

    /// <summary>Reads one sheet of a source file as text rows (a CSV or Parquet file has one sheet).</summary>
    /// <param name="path">The file.</param>
    /// <param name="sheet">Sheet name, or its 1-based number; null for the first sheet.</param>
    /// <param name="encoding">A CSV source's encoding as <see cref="TextDecoding.Canonical"/> names it (UTF-8, GBK, GB18030), or null to detect.</param>
    /// <exception cref="InputException">Missing or unreadable file, no such sheet (the message lists the sheets), bytes invalid in the encoding.</exception>
    public static RawSheet ReadSheet(string path, string? sheet, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new InputException($"source '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new InputException($"source '{path}' does not exist");
        string name = Path.GetFileName(path);
        switch (Sniff(path))
        {
            case "parquet" or "dta":
                {
                    var frame = DatasetFile.Read(path);
                    var rows = new List<SheetRow> { new(1, [.. frame.Columns.Select(c => (string?)c.Name)]) };
                    for (int r = 0; r < frame.RowCount; r++) rows.Add(new SheetRow(r + 2, [.. frame.Columns.Select(c => c.TextAt(r))]));
                    return new RawSheet(name, null, rows, [], false);
                }
            case "csv":
                {
                    // Decoded here, never by ExcelDataReader's UTF-8 fallback (which puts U+FFFD for GBK bytes): the encoding
                    // asked for, else UTF-8, or GB18030 when not valid UTF-8, or refused.
                    var (text, used) = TextDecoding.Decode(File.ReadAllBytes(path), name, encoding);
                    using var utf8 = new MemoryStream(new UTF8Encoding(false).GetBytes(text), writable: false);
                    return ReadWorkbook(utf8, name, null, csv: true) with { Encoding = used };
                }
            default:
                {
                    using var stream = File.OpenRead(path);
                    return ReadWorkbook(stream, name, sheet, csv: false);
                }
        }
    }

    private static RawSheet ReadWorkbook(Stream stream, string name, string? sheet, bool csv)
    {
        IExcelDataReader reader;
        try
        {
            reader = csv
                ? ExcelReaderFactory.CreateCsvReader(stream, new ExcelReaderConfiguration { FallbackEncoding = Encoding.UTF8, AutodetectSeparators = [',', '\t'] })
                : ExcelReaderFactory.CreateReader(stream);
        }
        catch (Exception e) when (e is not InputException and not OutOfMemoryException)
        {
            throw new InputException($"{name}: not a readable {(csv ? "CSV" : "Excel")} file ({e.Message})", e);
        }
        using (reader)
        {
            var names = new List<string>();
            int index = 0;
            try
            {
                do
                {
                    index++;
                    string sheetName = reader.Name ?? $"{index}";
                    names.Add(sheetName);
                    bool wanted = sheet is null
                        || string.Equals(sheet, sheetName, StringComparison.Ordinal)
                        || (int.TryParse(sheet, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k == index && !SheetNamed(reader, sheet));
                    if (!wanted) continue;
                    var rows = new List<SheetRow>();
                    while (reader.Read())
                    {
                        var cells = new string?[reader.FieldCount];
                        for (int c = 0; c < cells.Length; c++) cells[c] = CellText(reader.GetValue(c));
                        rows.Add(new SheetRow(reader.Depth + 1, cells));
                    }
                    // Merged ranges are known once the sheet has been read (they follow the cells in the file).
                    var merges = csv ? [] : (reader.MergeCells ?? []).Select(m => new MergedRange(m.FromRow + 1, m.FromColumn + 1, m.ToRow + 1, m.ToColumn + 1)).ToList();
                    return new RawSheet(name, csv ? null : sheetName, rows, merges, !csv);
                }
                while (reader.NextResult());
            }
            catch (Exception e) when (e is not InputException and not OutOfMemoryException)
            {
                throw new InputException($"{name}: not a readable {(csv ? "CSV" : "Excel")} file ({e.Message})", e);
            }
            throw new InputException($"{name}: no sheet '{sheet}'; sheets: {string.Join(", ", names)}");
        }
    }

    // A sheet literally named "2" is chosen by name before the second sheet is chosen by number.
    private static bool SheetNamed(IExcelDataReader reader, string sheet) => string.Equals(reader.Name, sheet, StringComparison.Ordinal);

    private static string? CellText(object? v) => v switch
    {
        null or DBNull => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        string s => s.Length == 0 ? null : s,
        var o => Convert.ToString(o, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A header as compared with the map: whitespace (line breaks, full-width spaces) removed and full-width
    /// brackets and colons made ASCII, so that "地区生产总值\n（万元）" matches "地区生产总值(万元)".
    /// </summary>
    public static string NormalHeader(string? text)
    {
        if (text is null) return "";
        var b = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            if (char.IsWhiteSpace(ch)) continue;
            b.Append(ch switch { '（' => '(', '）' => ')', '：' => ':', '［' => '[', '］' => ']', _ => ch });
        }
        return b.ToString();
    }

    /// <summary>Reads the source through the map: the rows that pass and the quarantined ones.</summary>
    /// <exception cref="InputException">Unreadable source, no sheet or header row with every mapped header, a header found twice.</exception>
    public static IngestedTable Read(string path, IngestMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Apply(ReadSheet(path, map.Layout.Sheet, map.Layout.Encoding), map);
    }

    /// <summary>Applies the map to a sheet already read.</summary>
    /// <exception cref="InputException">No header row with every mapped header, a header found twice.</exception>
    public static IngestedTable Apply(RawSheet sheet, IngestMap map)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(map);
        var layout = map.Layout;
        string where = sheet.Sheet is null ? sheet.Source : $"{sheet.Source}, sheet '{sheet.Sheet}'";
        var wanted = new List<string>();
        if (map.Unit.Source is { } us) wanted.Add(us);
        if (map.Time.Source is { } ts) wanted.Add(ts);
        if (map.Time.HeaderPattern is null) wanted.AddRange(map.Variables.Select(v => v.Source));
        var periodHeader = map.Time.HeaderPattern is { } hp ? new Regex($"^(?:{hp})$", RegexOptions.None, TimeSpan.FromSeconds(1)) : null;

        int headerIndex = FindHeader(sheet, wanted, layout.HeaderRow, where, periodHeader, map.Time.HeaderPattern);
        var header = sheet.Rows[headerIndex];
        var columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in wanted.Distinct(StringComparer.Ordinal))
        {
            var hits = Enumerable.Range(0, header.Cells.Count).Where(c => NormalHeader(header.Cells[c]) == NormalHeader(w)).ToList();
            if (hits.Count > 1)
                throw new InputException($"{where}: row {header.Number}: header '{Echo.OneLine(w)}' appears in columns {string.Join(" and ", hits.Select(h => ColumnLetter(h + 1)))}; rename one in the source");
            columnOf[w] = hits[0];
        }

        // The data rows: after the header, up to the end of the table.
        var data = new List<SheetRow>();
        string endNote = "table ends at the last row";
        for (int i = headerIndex + 1; i < sheet.Rows.Count; i++)
        {
            var row = sheet.Rows[i];
            var first = row.Cells.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
            if (first is null)
            {
                if (layout.End.HasFlag(TableEnd.EmptyRow)) { endNote = $"table ends at row {row.Number}: empty row"; break; }
                continue;
            }
            string trimmed = first.Trim();
            var marker = layout.FootnoteMarkers.FirstOrDefault(m => trimmed.StartsWith(m, StringComparison.Ordinal));
            if (layout.End.HasFlag(TableEnd.Footnote) && marker is not null)
            {
                endNote = $"table ends at row {row.Number}: footnote '{Shorten(trimmed)}'";
                break;
            }
            data.Add(row);
        }

        var fillColumns = layout.FillDown.Select(f => columnOf.TryGetValue(f, out int c) ? c : ColumnOfHeader(header, f, where)).ToHashSet();
        var cells = FillDown(sheet, data, fillColumns);
        if (periodHeader is null) return Check(sheet, map, header.Number, endNote, data, cells, columnOf);

        // A wide sheet: one long row (unit, period, value) per row and period header, in row then column order; each keeps
        // its sheet row number for the quarantine. The checks are then those of any long table.
        var periods = Enumerable.Range(0, header.Cells.Count)
            .Select(c => (Column: c, Match: header.Cells[c] is { } h ? periodHeader.Match(NormalHeader(h)) : Match.Empty))
            .Where(x => x.Match.Success)
            .Select(x => (x.Column, Period: x.Match.Groups.Count > 1 ? x.Match.Groups[1].Value : x.Match.Value))
            .ToList();
        const string TimeSource = "\u0001period", ValueSource = "\u0001value";
        var longData = new List<SheetRow>();
        var longCells = new List<string?[]>();
        int unitColumn = columnOf[map.Unit.Source!];
        for (int i = 0; i < data.Count; i++)
            foreach (var (column, period) in periods)
            {
                longData.Add(data[i]);
                longCells.Add([unitColumn < cells[i].Length ? cells[i][unitColumn] : null, period, column < cells[i].Length ? cells[i][column] : null]);
            }
        var longMap = map with
        {
            Time = new KeyColumn(map.Time.Name, TimeSource, null),
            Variables = [map.Variables[0] with { Source = ValueSource }],
        };
        var table = Check(sheet, longMap, header.Number, endNote, longData, [.. longCells],
            new Dictionary<string, int>(StringComparer.Ordinal) { [map.Unit.Source!] = 0, [TimeSource] = 1, [ValueSource] = 2 });
        // Counted in sheet rows, as for a long table: each sheet row made one long row per period.
        return table with { RowsRead = data.Count, RowsSkipped = table.RowsSkipped / Math.Max(1, periods.Count), Periods = [.. periods.Select(p => p.Period)] };
    }

    private static int ColumnOfHeader(SheetRow header, string name, string where)
    {
        for (int c = 0; c < header.Cells.Count; c++)
            if (NormalHeader(header.Cells[c]) == NormalHeader(name)) return c;
        throw new InputException($"{where}: row {header.Number}: no header '{Echo.OneLine(name)}' to fill down; headers: {Echo.OneLine(string.Join(", ", header.Cells.Where(h => h is not null)))}");
    }

    private static int FindHeader(RawSheet sheet, List<string> wanted, int? given, string where, Regex? periodHeader, string? periodPattern)
    {
        var normal = wanted.Select(NormalHeader).ToList();
        List<string> Missing(SheetRow r)
        {
            var have = r.Cells.Select(NormalHeader).ToHashSet(StringComparer.Ordinal);
            List<string> missing = [.. wanted.Where((w, i) => !have.Contains(normal[i]))];
            if (periodHeader is not null && !r.Cells.Any(c => c is not null && periodHeader.IsMatch(NormalHeader(c))))
                missing.Add($"a period header matching {periodPattern} (time.header)");
            return missing;
        }
        if (given is { } g)
        {
            int at = -1;
            for (int i = 0; i < sheet.Rows.Count; i++) if (sheet.Rows[i].Number == g) at = i;
            if (at < 0) throw new InputException($"{where}: no row {g} (the sheet has {sheet.Rows.Count} rows)");
            var miss = Missing(sheet.Rows[at]);
            if (miss.Count > 0)
                throw new InputException($"{where}: header row {g} lacks {string.Join(", ", miss.Select(m => $"'{m}'"))}; it holds {Cells(sheet.Rows[at])}");
            return at;
        }
        int best = -1, bestMissing = int.MaxValue;
        for (int i = 0; i < sheet.Rows.Count; i++)
        {
            int m = Missing(sheet.Rows[i]).Count;
            if (m == 0) return i;
            if (m < bestMissing) { best = i; bestMissing = m; }
        }
        if (best < 0) throw new InputException($"{where}: the sheet is empty");
        throw new InputException($"{where}: no row holds every mapped header; row {sheet.Rows[best].Number} comes closest but lacks {string.Join(", ", Missing(sheet.Rows[best]).Select(m => $"'{m}'"))}; it holds {Cells(sheet.Rows[best])}");
    }

    private static string Cells(SheetRow r) => string.Join(", ", r.Cells.Where(c => c is not null).Select(c => $"'{c!.ReplaceLineEndings(" ")}'"));

    private static string Shorten(string s) => s.Length > 20 ? s[..20] + "…" : s;

    /// <summary>Column letters as Excel shows them (1 → A, 27 → AA).</summary>
    public static string ColumnLetter(int column)
    {
        var b = new StringBuilder();
        for (int c = column; c > 0; c = (c - 1) / 26) b.Insert(0, (char)('A' + (c - 1) % 26));
        return b.ToString();
    }

    /// <summary>
    /// The data rows' cells with fill-down applied: in an Excel sheet a cell inside a merged range takes the
    /// value of the range's first cell (Excel keeps the value only there); CSV and Parquet carry no merge
    /// information, so there an empty cell takes the value above it.
    /// </summary>
    private static string?[][] FillDown(RawSheet sheet, List<SheetRow> data, HashSet<int> columns)
    {
        var cells = data.Select(r => r.Cells.ToArray()).ToArray();
        if (columns.Count == 0) return cells;
        if (sheet.HasMergeInfo)
        {
            var byNumber = sheet.Rows.ToDictionary(r => r.Number);
            for (int i = 0; i < data.Count; i++)
                foreach (int c in columns)
                {
                    var range = sheet.Merges.FirstOrDefault(m => m.FromColumn <= c + 1 && c + 1 <= m.ToColumn && m.FromRow < data[i].Number && data[i].Number <= m.ToRow);
                    if (range is null || !byNumber.TryGetValue(range.FromRow, out var top)) continue;
                    string? value = range.FromColumn - 1 < top.Cells.Count ? top.Cells[range.FromColumn - 1] : null;
                    if (c < cells[i].Length) cells[i][c] = value;
                }
            return cells;
        }
        for (int i = 1; i < cells.Length; i++)
            foreach (int c in columns)
                if (c < cells[i].Length && string.IsNullOrWhiteSpace(cells[i][c]) && c < cells[i - 1].Length) cells[i][c] = cells[i - 1][c];
        return cells;
    }

    private static IngestedTable Check(RawSheet sheet, IngestMap map, int headerRow, string endNote, List<SheetRow> data, string?[][] cells, Dictionary<string, int> columnOf)
    {
        var layout = map.Layout;
        var missing = layout.Missing.Select(m => m.Trim()).ToHashSet(StringComparer.Ordinal);
        var skip = layout.SkipUnits.Select(Compact).ToHashSet(StringComparer.Ordinal);
        var quarantine = new List<QuarantineEntry>();
        var rows = new List<IngestedRow>();
        var quarantinedKeys = new List<RowKey>();
        int skipped = 0;
        string? Cell(int i, string source) => columnOf[source] < cells[i].Length ? cells[i][columnOf[source]]?.Trim() : null;
        bool IsMissing(string? s) => s is null || missing.Contains(s);

        var renamed = new List<UnitRename>();
        var attributes = map.Unit.Attributes;
        for (int i = 0; i < data.Count; i++)
        {
            int number = data[i].Number;
            var broken = new List<(string Column, string Rule, string Value)>();
            string? unit = map.Unit.Source is { } us ? Cell(i, us) : null;
            unit = IsMissing(unit) ? null : Compact(unit!);
            if (unit is not null && skip.Contains(unit)) { skipped++; continue; }
            DivisionUnit? division = null;
            if (unit is not null && map.Unit.Divisions is { } kind)
            {
                // Two spellings of one division (北京 and 北京市, 苏州 and 苏州市) must never become two units: every name is read
                // as its division's canonical name, and a name that is none (or is ambiguous, or was dissolved) stops the ingest.
                division = Divisions.Find(kind, unit, out var problem) ?? throw new InputException(
                    $"{sheet.Source}{(sheet.Sheet is null ? "" : $", sheet '{sheet.Sheet}'")}: row {number}: {problem}; fix the name, or list it in source.skip_units if it is a total");
                if (division.Name != unit && !renamed.Any(r => r.From == unit)) renamed.Add(new UnitRename(unit, division.Name, division.Code));
                unit = division.Name;
            }
            if (unit is null) broken.Add((map.Unit.Name, "unit required", Cell(i, map.Unit.Source!) ?? ""));

            long time = 0;
            string? timeText = map.Time.Constant is { } k ? k.ToString(CultureInfo.InvariantCulture) : Cell(i, map.Time.Source!);
            if (map.Time.AllPeriods) { time = 0; timeText = "all"; }
            else if (map.Time.Constant is { } kk) time = kk;
            else if (IsMissing(timeText)) broken.Add((map.Time.Name, "time required", timeText ?? ""));
            else if (!TryTime(timeText!, out time)) broken.Add((map.Time.Name, "time must be an integer period (e.g. 2022 or 2022年)", timeText!));

            if (broken.Count > 0)
            {
                // The key itself is bad: the row cannot be placed, so it is dropped.
                foreach (var (column, rule, value) in broken)
                    quarantine.Add(new QuarantineEntry(sheet.Source, sheet.Sheet, number, unit, timeText, column, rule, value, QuarantineEntry.RowDropped));
                if (unit is not null && (map.Time.Constant is not null || (timeText is not null && TryTime(timeText, out _)))) quarantinedKeys.Add(new RowKey(unit, time));
                continue;
            }
            var values = new string?[map.Variables.Count + attributes.Count];
            for (int a = 0; a < attributes.Count; a++)
                values[map.Variables.Count + a] = attributes[a] switch
                {
                    "region" => division!.Province.Region.Length == 0 ? null : division.Province.Region,
                    "municipality" => division!.Municipality ? "1" : "0",
                    "province" => division!.Province.ShortName,
                    _ => division!.Code.ToString(CultureInfo.InvariantCulture),
                };
            var badCells = new List<int>();
            for (int v = 0; v < map.Variables.Count; v++)
            {
                var vm = map.Variables[v];
                string? text = Cell(i, vm.Source);
                if (IsMissing(text)) { values[v] = null; continue; }
                var (value, rule) = ConvertCell(vm, text!);
                if (rule is null) { values[v] = value; continue; }
                // One bad cell costs that cell, not its row's other values.
                quarantine.Add(new QuarantineEntry(sheet.Source, sheet.Sheet, number, unit, timeText, vm.Name, rule, text!, QuarantineEntry.CellMissing));
                badCells.Add(v);
            }
            rows.Add(new IngestedRow(number, unit!, time, values) { Broken = badCells });
        }

        // Unit-time uniqueness: when two rows of the source share a key, neither can be trusted over the
        // other, so every row of that key is quarantined.
        var duplicates = rows.GroupBy(r => (r.Unit, r.Time)).Where(g => g.Count() > 1).ToList();
        foreach (var g in duplicates)
            foreach (var r in g)
                quarantine.Add(map.Time.AllPeriods
                    ? new QuarantineEntry(sheet.Source, sheet.Sheet, r.SourceRow, r.Unit, "all", map.Unit.Name,
                        "unit unique", $"{r.Unit} also at row {string.Join(", ", g.Where(o => o != r).Select(o => o.SourceRow))}", QuarantineEntry.RowDropped)
                    : new QuarantineEntry(sheet.Source, sheet.Sheet, r.SourceRow, r.Unit, r.Time.ToString(CultureInfo.InvariantCulture), $"{map.Unit.Name}+{map.Time.Name}",
                        "unit-time unique", $"{r.Unit} {r.Time} also at row {string.Join(", ", g.Where(o => o != r).Select(o => o.SourceRow))}", QuarantineEntry.RowDropped));
        // A row dropped as a duplicate key takes its cell entries with it: they no longer describe a cell of the dataset.
        var dupNumbers = duplicates.SelectMany(g => g).Select(r => r.SourceRow).ToHashSet();
        quarantine.RemoveAll(q => q.Action == QuarantineEntry.CellMissing && dupNumbers.Contains(q.Row));
        var dupRows = duplicates.SelectMany(g => g).ToHashSet();
        quarantinedKeys.AddRange(duplicates.Select(g => new RowKey(g.Key.Unit, g.Key.Time)));
        rows.RemoveAll(dupRows.Contains);
        quarantine = [.. quarantine.OrderBy(q => q.Row)]; // stable: a row's entries stay in column order
        // The division attributes enter the dataset as variables of their own (text region; 0/1 municipality; integer code).
        var withAttributes = attributes.Count == 0 ? map : map with
        {
            Variables = [.. map.Variables, .. attributes.Select(a => new VariableMap(a == "code" ? $"{map.Unit.Name}_code" : a, "", a is "region" or "province" ? VariableType.Text : VariableType.WholeNumber, 1, 1, null, null, null, false, null))],
        };
        return new IngestedTable(withAttributes, sheet.Source, sheet.Sheet, headerRow, endNote, data.Count, skipped, rows, quarantine, quarantinedKeys) { Encoding = sheet.Encoding, Renamed = renamed };
    }

    // Yearbooks pad short names with spaces to align them ("北  京"); a unit is its text without whitespace.
    private static string Compact(string s) => new([.. s.Where(c => !char.IsWhiteSpace(c))]);

    private static bool TryTime(string text, out long time)
    {
        string t = text.Trim().TrimEnd('年').Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out time)) return true;
        // An Excel number cell holding a year reads as "2022"; a formula result may read as "2022.0".
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 1e15) { time = (long)d; return true; }
        return false;
    }

    /// <summary>A cell's canonical text under the variable's type, conversion and rules, or the rule it breaks.</summary>
    private static (string? Value, string? Rule) ConvertCell(VariableMap vm, string text)
    {
        switch (vm.Type)
        {
            case VariableType.Text:
                return (text, null);
            case VariableType.Category:
                return vm.Allowed is { } allowed && !allowed.Contains(text, StringComparer.Ordinal)
                    ? (null, $"category: one of {string.Join(", ", allowed)}")
                    : (text, null);
        }
        // Thousands separators appear in yearbook cells stored as text ("1,234.5").
        if (!double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double raw) || !double.IsFinite(raw))
            return (null, vm.Type == VariableType.WholeNumber ? "type integer" : "type number");
        double v = Scaled(text, raw, vm.Multiply, vm.Divide);
        if (!double.IsFinite(v)) return (null, "type number");
        if (vm.Type == VariableType.WholeNumber && v != Math.Floor(v)) return (null, "type integer");
        string converted = vm.Multiply == 1 && vm.Divide == 1 ? "" : $" (converted: {Num(v)})";
        if (vm.NonNegative && v < 0) return (null, "non_negative" + converted);
        if ((vm.Min is { } min && v < min) || (vm.Max is { } max && v > max))
            return (null, $"range [{Num(vm.Min)}, {Num(vm.Max)}]{converted}");
        return (CsvWriter.Number(v == 0 ? 0 : v), null);
    }

    /// <summary>
    /// The cell times <paramref name="multiply"/> over <paramref name="divide"/>, as the exact decimal result rounded once to
    /// the nearest double: 53508030.1 万元 → 5350.80301 亿元, not the 5350.8030100000005 that binary arithmetic gives
    /// (53508030.1 has no exact double, and dividing the nearest one by 10⁴ rounds a second time). System.Decimal holds
    /// the cell's 28 significant digits exactly; a cell or factor beyond its range falls back to binary arithmetic.
    /// </summary>
    internal static double Scaled(string text, double raw, double multiply, double divide)
    {
        if (multiply == 1 && divide == 1) return raw;
        if (decimal.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out decimal cell)
            && Exact(multiply) is { } m && Exact(divide) is { } d && d != 0)
        {
            try
            {
                decimal r = cell * m / d;
                // decimal → string → double: the string is the exact decimal, and double.Parse rounds it correctly once.
                return double.Parse(r.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            catch (OverflowException) { }
        }
        return raw * multiply / divide;
    }

    /// <summary>A factor as the decimal it was written as (a double's shortest round-trip text), or null when System.Decimal cannot hold it.</summary>
    private static decimal? Exact(double factor) =>
        decimal.TryParse(factor.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m) ? m : null;

    private static string Num(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
}
