using System.Globalization;
using System.Text;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// Reads comma-separated text (RFC 4180: quoted fields, doubled quotes, CR/LF or LF line ends,
/// UTF-8 with or without BOM; GB18030/GBK or UTF-16 through <see cref="Read(ReadOnlySpan{byte}, string, string?)"/>) into a <see cref="DataFrame"/>. A file whose header has tabs and no
/// comma is read as tab-separated; a header with semicolons and no comma is refused with the
/// delimiter named (semicolon files usually carry decimal commas, which are not read as numbers).
/// Every message about a row gives its line in the file.
/// </summary>
/// <remarks>
/// A column whose every non-missing cell parses as a number (invariant culture, <c>.</c> decimal
/// point) becomes numeric; otherwise it is kept as text and the first non-numeric cell is
/// remembered so that a later numeric use can name its file, line and column. Missing cells:
/// empty, <c>NA</c> (R) and <c>.</c> (Stata). The texts <c>NaN</c>, <c>Inf</c> and <c>Infinity</c>
/// are rejected: non-finite values are never data.
/// </remarks>
public static class CsvReader
{
    /// <summary>Reads a CSV file (encoding detected, see <see cref="TextDecoding"/>); <paramref name="path"/> is also used in error messages.</summary>
    /// <exception cref="InputException">Missing file, bytes in no known encoding, ragged row, unterminated quote, duplicate header, NaN/∞ cell.</exception>
    public static DataFrame ReadFile(string path, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new InputException($"data file '{path}' is a directory, not a CSV file");
        if (!File.Exists(path))
            throw new InputException($"data file '{path}' does not exist");
        return Read(File.ReadAllBytes(path), Path.GetFileName(path), encoding);
    }

    /// <summary>
    /// Reads CSV bytes: UTF-8, a UTF-16 file with its byte order mark, or GB18030/GBK when not valid UTF-8
    /// (<see cref="DataFrame.Encoding"/> says which); never with U+FFFD in place of bytes it could not decode.
    /// </summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">Names the file in messages.</param>
    /// <param name="encoding">A canonical encoding name (<see cref="TextDecoding.Canonical"/>) to force it, or null to detect.</param>
    /// <exception cref="InputException">Bytes in no known encoding (line and byte offset), or a bad row or cell.</exception>
    public static DataFrame Read(ReadOnlySpan<byte> bytes, string source, string? encoding = null)
    {
        var (text, used) = TextDecoding.Decode(bytes, source, encoding);
        return Read(new StringReader(text), source, used);
    }

    /// <summary>Reads CSV text from a reader; <paramref name="source"/> names it in error messages.</summary>
    public static DataFrame Read(TextReader reader, string source) => Read(reader, source, null);

    private static DataFrame Read(TextReader reader, string source, TextEncoding? encoding)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = ReadRecords(reader, source);
        using var e = rows.GetEnumerator();
        if (!e.MoveNext())
            throw new InputException($"{source}: the file is empty (a header row was expected)");
        var header = e.Current.Fields;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Count; c++)
        {
            header[c] = header[c].Trim();
            if (header[c].Length == 0)
                throw new InputException($"{source}: line 1, column {c + 1}: empty column name in the header");
            if (!seen.Add(header[c]))
                throw new InputException($"{source}: line 1, column {c + 1}: duplicate column name '{Echo.OneLine(header[c])}'");
        }
        var cells = new List<string>[header.Count];
        var lines = new List<int>();
        for (int c = 0; c < cells.Length; c++) cells[c] = [];
        while (e.MoveNext())
        {
            var rec = e.Current;
            if (rec.Fields.Count == 1 && rec.Fields[0].Length == 0) continue; // blank line
            if (rec.Fields.Count != header.Count)
                throw new InputException($"{source}: line {rec.Line}: expected {header.Count} fields as in the header, found {rec.Fields.Count}");
            for (int c = 0; c < cells.Length; c++) cells[c].Add(rec.Fields[c]);
            lines.Add(rec.Line);
        }
        var columns = new Column[header.Count];
        for (int c = 0; c < header.Count; c++)
            columns[c] = BuildColumn(header[c], cells[c], lines, source, c + 1);
        return new DataFrame(columns, source, lines) { Encoding = encoding };
    }

    private static Column BuildColumn(string name, List<string> cells, List<int> lines, string source, int colNo)
    {
        var values = new double[cells.Count];
        CellLocation? firstText = null;
        for (int r = 0; r < cells.Count; r++)
        {
            string s = cells[r].Trim();
            if (IsMissing(s)) { values[r] = double.NaN; continue; }
            if (IsNonFiniteText(s))
                throw new InputException($"{source}: line {lines[r]}, column {colNo} ('{Echo.OneLine(name)}'): non-finite value '{Echo.OneLine(s)}' (NaN and infinities are not data; leave the cell empty for a missing value)");
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                if (!double.IsFinite(v))
                    throw new InputException($"{source}: line {lines[r]}, column {colNo} ('{Echo.OneLine(name)}'): non-finite value '{Echo.OneLine(s)}' (NaN and infinities are not data; leave the cell empty for a missing value)");
                values[r] = v;
            }
            else
            {
                firstText = new CellLocation(source, lines[r], colNo, name, s);
                break;
            }
        }
        if (firstText is null)
            return Column.Numeric(name, values);
        var texts = new string?[cells.Count];
        for (int r = 0; r < cells.Count; r++)
        {
            string s = cells[r].Trim();
            texts[r] = IsMissing(s) ? null : s;
        }
        return Column.Text(name, texts, firstText);
    }

    private static bool IsNonFiniteText(string s)
    {
        var t = s.TrimStart('+', '-').ToLowerInvariant();
        return t is "nan" or "inf" or "infinity" or "∞";
    }

    internal static bool IsMissing(string s) => s.Length == 0 || s == "NA" || s == ".";

    /// <summary>
    /// Reads the header and the raw text of every cell (no type conversion), with each row's line
    /// number, for callers that infer their own types (e.g. CSV → Parquet).
    /// </summary>
    /// <exception cref="InputException">Empty file, ragged row, unterminated quote, duplicate header.</exception>
    public static (IReadOnlyList<string> Header, IReadOnlyList<(int Line, string[] Cells)> Rows) ReadRaw(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var e = ReadRecords(reader, source).GetEnumerator();
        if (!e.MoveNext()) throw new InputException($"{source}: the file is empty (a header row was expected)");
        var header = e.Current.Fields.Select(h => h.Trim()).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Count; c++)
        {
            if (header[c].Length == 0) throw new InputException($"{source}: line 1, column {c + 1}: empty column name in the header");
            if (!seen.Add(header[c])) throw new InputException($"{source}: line 1, column {c + 1}: duplicate column name '{Echo.OneLine(header[c])}'");
        }
        var rows = new List<(int, string[])>();
        while (e.MoveNext())
        {
            var rec = e.Current;
            if (rec.Fields.Count == 1 && rec.Fields[0].Length == 0) continue;
            if (rec.Fields.Count != header.Count)
                throw new InputException($"{source}: line {rec.Line}: expected {header.Count} fields as in the header, found {rec.Fields.Count}");
            rows.Add((rec.Line, [.. rec.Fields]));
        }
        return (header, rows);
    }

    private readonly record struct Record(int Line, List<string> Fields);

    /// <summary>The records of the text, after choosing the delimiter from its first line.</summary>
    private static IEnumerable<Record> ReadRecords(TextReader reader, string source)
    {
        string text = reader.ReadToEnd();
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        string first = end < 0 ? text : text[..end];
        char delimiter = ',';
        if (!first.Contains(',', StringComparison.Ordinal))
        {
            if (first.Contains('\t', StringComparison.Ordinal)) delimiter = '\t';
            else if (first.Contains(';', StringComparison.Ordinal))
                throw new InputException($"{source}: line 1: the header is separated by ';', not ','; save the file as comma-separated values (with '.' as the decimal point) or with tabs");
        }
        return ReadRecords(new StringReader(text), source, delimiter);
    }

    private static IEnumerable<Record> ReadRecords(TextReader reader, string source, char delimiter)
    {
        var field = new StringBuilder();
        var fields = new List<string>();
        int line = 1, recordLine = 1;
        bool inQuotes = false, fieldWasQuoted = false, any = false;
        int ch;
        while ((ch = reader.Read()) != -1)
        {
            any = true;
            char c = (char)ch;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    if (field.Length == 0 && !fieldWasQuoted) { inQuotes = true; fieldWasQuoted = true; }
                    else throw new InputException($"{source}: line {line}, column {fields.Count + 1}: a quote inside an unquoted field (quote the whole field and double inner quotes)");
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear(); fieldWasQuoted = false;
                    yield return new Record(recordLine, fields);
                    fields = [];
                    line++; recordLine = line; any = false;
                    break;
                default:
                    if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); fieldWasQuoted = false; }
                    else field.Append(c);
                    break;
            }
        }
        if (inQuotes)
            throw new InputException($"{source}: line {recordLine}: a quoted field is not closed before the end of the file");
        if (any)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields);
        }
    }
}
