using System.Buffers;
using System.Globalization;
using System.Text;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// Reads comma-separated text (RFC 4180: quoted fields, doubled quotes, CR/LF or LF line ends,
/// UTF-8 with or without BOM; GB18030/GBK or UTF-16 through <see cref="Read(byte[], string, string?)"/>) into a <see cref="DataFrame"/>. A file whose header has tabs and no
/// comma is read as tab-separated; a header with semicolons and no comma is refused with the
/// delimiter named (semicolon files usually carry decimal commas, which are not read as numbers).
/// Every message about a row gives its line in the file.
/// </summary>
/// <remarks>
/// A column whose every non-missing cell parses as a number (invariant culture, <c>.</c> decimal
/// point) becomes numeric; otherwise it is kept as text and the first non-numeric cell is
/// remembered so that a later numeric use can name its file, line and column. Missing cells:
/// empty, <c>NA</c> (R) and <c>.</c> (Stata). The texts <c>NaN</c>, <c>Inf</c> and <c>Infinity</c>
/// are rejected: non-finite values are never data. Cells are trimmed of white space (Unicode's, so the
/// ideographic space U+3000 of Chinese exports too).
/// <para>
/// Hand-written rather than Sep or Sylvan.Data.Csv (both served here): those accept malformed quoting
/// silently (<c>a"b</c>, a field continuing after its closing quote), which this reader refuses with the line and
/// column, and the fast path here is the same kind of code they run — a vectorised search
/// (<see cref="SearchValues{T}"/>) for the next delimiter, line end or quote over the UTF-8 bytes, numbers
/// parsed from the bytes (<see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>)
/// straight into the column, and repeated texts (unit names, years as text) shared as one string. A UTF-8 file
/// is never turned into a .NET string as a whole: memory is the file's bytes plus the columns.
/// </para>
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
    public static DataFrame Read(byte[] bytes, string source, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (TextDecoding.AsUtf8(bytes, encoding) is { } utf8)
            return Parse(bytes, utf8.Skip, source, utf8.Encoding);
        var (text, used) = TextDecoding.Decode(bytes, source, encoding);
        return Parse(Encoding.UTF8.GetBytes(text), 0, source, used);
    }

    /// <summary>Reads CSV text from a reader; <paramref name="source"/> names it in error messages.</summary>
    public static DataFrame Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Parse(Encoding.UTF8.GetBytes(reader.ReadToEnd()), 0, source, null);
    }

    /// <summary>
    /// Reads the header and the raw text of every cell (no type conversion), with each row's line
    /// number, for callers that infer their own types (e.g. CSV → Parquet).
    /// </summary>
    /// <exception cref="InputException">Empty file, ragged row, unterminated quote, duplicate header.</exception>
    public static (IReadOnlyList<string> Header, IReadOnlyList<(int Line, string[] Cells)> Rows) ReadRaw(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ReadOnlySpan<byte> bytes = Encoding.UTF8.GetBytes(reader.ReadToEnd());
        var records = new Records(bytes, source);
        var header = Header(ref records, source);
        var rows = new List<(int, string[])>();
        while (records.Next())
        {
            if (records.IsBlank) continue;
            CheckWidth(ref records, header.Length, source);
            var cells = new string[header.Length];
            for (int c = 0; c < cells.Length; c++) cells[c] = Encoding.UTF8.GetString(records.Field(c));
            rows.Add((records.Line, cells));
        }
        return (header, rows);
    }

    internal static bool IsMissing(string s) => s.Length == 0 || s == "NA" || s == ".";

    /// <summary>Files smaller than this are read on one thread.</summary>
    private const int ParallelBytes = 4 << 20;

    /// <summary>
    /// Parses the UTF-8 bytes from <paramref name="skip"/> (after a byte order mark). A large file without any quote is
    /// cut at line ends into one piece per core, read in parallel into the same column arrays (each piece from the row
    /// its lines start at) and closed up over skipped blank lines; with quotes (a quoted field may hold a line break)
    /// it is read in one piece. When the pieces disagree — a column text in one and numbers in another, or an error in
    /// any — the file is read again in one piece, which decides (the first non-number makes a column text, and the
    /// first error in the file is the one told): the frame and the messages never depend on the pieces.
    /// </summary>
    private static DataFrame Parse(byte[] data, int skip, string source, TextEncoding? encoding, bool onePiece = false)
    {
        var bytes = data.AsSpan(skip);
        var records = new Records(bytes, source);
        var header = Header(ref records, source);
        int body = records.Position, bodyLine = records.NextLine;
        // Rows are at most the lines after the header: columns are allocated once at that size (a vectorised count), which
        // is the row count itself for a file without blank lines, so the columns need no trimming copy.
        int capacity = bytes[body..].Count((byte)'\n') + (bytes.Length > body && bytes[^1] != (byte)'\n' ? 1 : 0);
        var lines = new int[capacity];
        var starts = new int[capacity];
        var values = new double[header.Length][];
        for (int c = 0; c < values.Length; c++) values[c] = new double[capacity];
        var pieces = onePiece || bytes.Length < ParallelBytes || Environment.ProcessorCount < 2 || bytes[body..].Contains((byte)'"')
            ? [new Piece(body, bytes.Length, 0, bodyLine, capacity)]
            : Pieces(bytes, body, bodyLine, Math.Min(Environment.ProcessorCount, 8));
        var read = new PieceRows[pieces.Length];
        if (pieces.Length == 1)
            read[0] = ReadPiece(bytes, pieces[0], header, source, values, lines, starts);
        else
        {
            var failed = false;
            Parallel.For(0, pieces.Length, k =>
            {
                try { read[k] = ReadPiece(data.AsSpan(skip, pieces[k].End), pieces[k], header, source, values, lines, starts); }
                catch (InputException) { Volatile.Write(ref failed, true); }
            });
            if (failed || Enumerable.Range(0, header.Length).Any(c => read.Select(r => r.Columns[c].IsText).Distinct().Count() > 1))
                return Parse(data, skip, source, encoding, onePiece: true);
        }
        return Join(header, read, pieces, values, lines, source, encoding);
    }

    /// <summary>A piece of the body: bytes [Start, End), its first row's place in the column arrays, its first line and at most how many rows it has.</summary>
    private readonly record struct Piece(int Start, int End, int Offset, int Line, int Capacity);

    /// <summary>What a piece read: its rows and each column's builder.</summary>
    private readonly record struct PieceRows(int Rows, ColumnBuilder[] Columns);

    /// <summary>The body cut at line ends into about <paramref name="count"/> pieces (no quotes: a line end ends a row).</summary>
    private static Piece[] Pieces(ReadOnlySpan<byte> bytes, int body, int bodyLine, int count)
    {
        var pieces = new List<Piece>();
        int start = body, linesBefore = 0;
        for (int k = 1; k <= count && start < bytes.Length; k++)
        {
            int end = bytes.Length;
            if (k < count)
            {
                int target = body + (int)((long)(bytes.Length - body) * k / count);
                int nl = target <= start ? -1 : bytes[target..].IndexOf((byte)'\n');
                end = nl < 0 ? bytes.Length : target + nl + 1;
                if (end <= start) continue;
            }
            int piecesLines = bytes[start..end].Count((byte)'\n');
            pieces.Add(new Piece(start, end, linesBefore, bodyLine + linesBefore, piecesLines + 1));
            linesBefore += piecesLines;
            start = end;
        }
        return [.. pieces];
    }

    private static PieceRows ReadPiece(ReadOnlySpan<byte> bytes, Piece piece, string[] header, string source, double[][] values, int[] lines, int[] starts)
    {
        var records = new Records(bytes, source, piece.Start, piece.Line);
        var texts = new TextPool();
        int capacity = Math.Min(piece.Capacity, lines.Length - piece.Offset);
        var columns = new ColumnBuilder[header.Length];
        for (int c = 0; c < columns.Length; c++) columns[c] = new ColumnBuilder(header[c], c + 1, source, values[c], lines, starts, piece.Offset, capacity);
        int rows = 0;
        while (records.Position < piece.End && records.Next())
        {
            if (records.IsBlank) continue;
            CheckWidth(ref records, header.Length, source);
            lines[piece.Offset + rows] = records.Line;
            starts[piece.Offset + rows] = records.Start;
            for (int c = 0; c < columns.Length; c++)
                if (!columns[c].Add(rows, records.Field(c), texts))
                    columns[c].BecomeText(rows, records.Field(c), texts, bytes);
            rows++;
        }
        return new PieceRows(rows, columns);
    }

    /// <summary>The pieces' rows closed up (a piece's blank lines leave a gap before the next piece's rows) into the frame.</summary>
    private static DataFrame Join(string[] header, PieceRows[] read, Piece[] pieces, double[][] values, int[] lines, string source, TextEncoding? encoding)
    {
        int total = read.Sum(r => r.Rows);
        var built = new Column[header.Length];
        for (int c = 0; c < built.Length; c++)
        {
            if (read[0].Columns[c].IsText)
            {
                var texts = new string?[total];
                for (int k = 0, at = 0; k < read.Length; at += read[k].Rows, k++)
                    Array.Copy(read[k].Columns[c].Texts!, 0, texts, at, read[k].Rows);
                built[c] = Column.Text(header[c], texts, read[0].Columns[c].FirstText);
                continue;
            }
            Close(values[c], read, pieces);
            built[c] = Column.Numeric(header[c], total == values[c].Length ? values[c] : values[c][..total]);
        }
        Close(lines, read, pieces);
        return new DataFrame(built, source, total == lines.Length ? lines : lines[..total]) { Encoding = encoding };
    }

    private static void Close<T>(T[] array, PieceRows[] read, Piece[] pieces)
    {
        for (int k = 0, at = 0; k < read.Length; at += read[k].Rows, k++)
            if (pieces[k].Offset != at) Array.Copy(array, pieces[k].Offset, array, at, read[k].Rows);
    }

    private static string[] Header(ref Records records, string source)
    {
        if (!records.Next())
            throw new InputException($"{source}: the file is empty (a header row was expected)");
        var header = new string[records.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            header[c] = Encoding.UTF8.GetString(records.Field(c)).Trim();
            if (header[c].Length == 0)
                throw new InputException($"{source}: line 1, column {c + 1}: empty column name in the header");
            if (!seen.Add(header[c]))
                throw new InputException($"{source}: line 1, column {c + 1}: duplicate column name '{Echo.OneLine(header[c])}'");
        }
        return header;
    }

    private static void CheckWidth(ref Records records, int width, string source)
    {
        if (records.Count != width)
            throw new InputException($"{source}: line {records.Line}: expected {width} fields as in the header, found {records.Count}");
    }

    private static bool IsNonFiniteText(ReadOnlySpan<char> s)
    {
        var t = s.TrimStart("+-");
        return t.Equals("nan", StringComparison.OrdinalIgnoreCase) || t.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.SequenceEqual("∞");
    }

    private static bool IsNonFiniteText(ReadOnlySpan<byte> s)
    {
        var t = s.TrimStart("+-"u8);
        return Ascii.EqualsIgnoreCase(t, "nan"u8) || Ascii.EqualsIgnoreCase(t, "inf"u8) || Ascii.EqualsIgnoreCase(t, "infinity"u8);
    }

    /// <summary>
    /// A number as <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/> reads it
    /// (invariant culture, <see cref="NumberStyles.Float"/>), through csFastFloat (Lemire's fast_float, about twice as fast
    /// on a file's numbers) when it reads the whole cell; both round correctly, so the value is the same bit for bit, and
    /// whatever csFastFloat does not take whole (a leading '+', text) goes to the BCL's parser, which decides.
    /// </summary>
    internal static bool ParseNumber(ReadOnlySpan<byte> text, out double value)
    {
        if (csFastFloat.FastDoubleParser.TryParseDouble(text, out int used, out value) && used == text.Length) return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>One column while the rows arrive: numbers until a cell is not one, then text for good.</summary>
    private sealed class ColumnBuilder(string name, int number, string source, double[] values, int[] lines, int[] starts, int offset, int capacity)
    {
        private string?[]? _texts;

        /// <summary>True once a cell was not a number.</summary>
        public bool IsText => _texts is not null;

        /// <summary>The piece's cells as text (a text column).</summary>
        public string?[]? Texts => _texts;

        /// <summary>The first cell that was not a number.</summary>
        public CellLocation? FirstText { get; private set; }

        /// <summary>Adds row <paramref name="row"/>'s cell; false when a numeric column meets a cell that is not a number.</summary>
        public bool Add(int row, ReadOnlySpan<byte> raw, TextPool pool)
        {
            if (_texts is not null)
            {
                _texts[row] = pool.Cell(raw);
                return true;
            }
            var trimmed = raw[Ascii.Trim(raw)];
            if (trimmed.Length > 0 && (trimmed[0] >= 0x80 || trimmed[^1] >= 0x80))
                return AddChars(row, Encoding.UTF8.GetString(raw).AsSpan().Trim());
            if (trimmed.Length == 0 || trimmed.SequenceEqual("NA"u8) || trimmed.SequenceEqual("."u8)) { values[offset + row] = double.NaN; return true; }
            // NaN and infinities are looked for only when a cell is not a finite number: most cells are.
            if (!ParseNumber(trimmed, out double v))
                return IsNonFiniteText(trimmed) ? throw NonFinite(row, Encoding.UTF8.GetString(trimmed)) : false;
            if (!double.IsFinite(v)) throw NonFinite(row, Encoding.UTF8.GetString(trimmed));
            values[offset + row] = v;
            return true;
        }

        // A cell with a non-ASCII first or last character: trimmed as a .NET string is (U+3000, U+00A0 …).
        private bool AddChars(int row, ReadOnlySpan<char> s)
        {
            if (s.Length == 0 || s is "NA" or ".") { values[offset + row] = double.NaN; return true; }
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                return IsNonFiniteText(s) ? throw NonFinite(row, s.ToString()) : false;
            if (!double.IsFinite(v)) throw NonFinite(row, s.ToString());
            values[offset + row] = v;
            return true;
        }

        private InputException NonFinite(int row, string text) => new(
            $"{source}: line {lines[offset + row]}, column {number} ('{Echo.OneLine(name)}'): non-finite value '{Echo.OneLine(text)}' (NaN and infinities are not data; leave the cell empty for a missing value)");

        /// <summary>
        /// Turns the column into text at row <paramref name="row"/>, the first cell that is not a number: the earlier
        /// rows' cells are read again from the bytes (their original text, e.g. "001", not the number it parsed as).
        /// </summary>
        public void BecomeText(int row, ReadOnlySpan<byte> raw, TextPool pool, ReadOnlySpan<byte> bytes)
        {
            FirstText = new CellLocation(source, lines[offset + row], number, name, Encoding.UTF8.GetString(raw).Trim());
            _texts = new string?[capacity];
            for (int r = 0; r < row; r++)
            {
                var again = new Records(bytes, source, starts[offset + r], lines[offset + r]);
                again.Next();
                _texts[r] = pool.Cell(again.Field(number - 1));
            }
            _texts[row] = pool.Cell(raw);
        }
    }

    /// <summary>Texts of cells, trimmed, missing as null, each distinct text one string (a panel repeats its unit names in every period).</summary>
    private sealed class TextPool
    {
        private readonly HashSet<string> _set = new(StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private char[] _chars = new char[256];

        public TextPool() => _lookup = _set.GetAlternateLookup<ReadOnlySpan<char>>();

        public string? Cell(ReadOnlySpan<byte> raw)
        {
            int max = Encoding.UTF8.GetMaxCharCount(raw.Length);
            if (_chars.Length < max) _chars = new char[Math.Max(max, 2 * _chars.Length)];
            int n = Encoding.UTF8.GetChars(raw, _chars);
            var s = _chars.AsSpan(0, n).Trim();
            if (s.Length == 0 || s is "NA" or ".") return null;
            if (_lookup.TryGetValue(s, out var found)) return found;
            var text = s.ToString();
            _set.Add(text);
            return text;
        }
    }

    /// <summary>
    /// The records of UTF-8 CSV bytes, one at a time, with each field as a span (of the bytes, or of a scratch buffer
    /// when it had quotes or a stray carriage return to remove). The delimiter is chosen from the first line.
    /// </summary>
    private ref struct Records
    {
        private static readonly SearchValues<byte> CommaStops = SearchValues.Create(",\n\"\r"u8);
        private static readonly SearchValues<byte> TabStops = SearchValues.Create("\t\n\"\r"u8);

        private readonly ReadOnlySpan<byte> _bytes;
        private readonly string _source;
        private readonly byte _delimiter;
        private readonly SearchValues<byte> _stops;
        private int _pos;
        private int _line;
        private int[] _from = new int[16];
        private int[] _length = new int[16];
        private byte[] _scratch = [];
        private int _scratchUsed;

        /// <summary>
        /// Records from byte <paramref name="start"/>, which is on line <paramref name="line"/> (the start of the bytes, or a
        /// record's start to read it again). The delimiter: a comma, or a tab when the first line has tabs and no comma.
        /// </summary>
        /// <exception cref="InputException">The first line is separated by semicolons.</exception>
        public Records(ReadOnlySpan<byte> bytes, string source, int start = 0, int line = 1)
        {
            _bytes = bytes; _source = source; _pos = start; _line = line;
            _delimiter = (byte)','; _stops = CommaStops;
            int end = bytes.IndexOf((byte)'\n');
            var first = end < 0 ? bytes : bytes[..end];
            if (first.Contains((byte)',')) return;
            if (first.Contains((byte)'\t')) { _delimiter = (byte)'\t'; _stops = TabStops; }
            else if (first.Contains((byte)';'))
                throw new InputException($"{source}: line 1: the header is separated by ';', not ','; save the file as comma-separated values (with '.' as the decimal point) or with tabs");
        }

        /// <summary>The current record's first line in the file.</summary>
        public int Line { get; private set; }

        /// <summary>The byte where the current record starts.</summary>
        public int Start { get; private set; }

        /// <summary>The byte where the next record starts.</summary>
        public readonly int Position => _pos;

        /// <summary>The line the next record starts on.</summary>
        public readonly int NextLine => _line;

        /// <summary>The current record's number of fields.</summary>
        public int Count { get; private set; }

        /// <summary>A blank line: one empty field.</summary>
        public readonly bool IsBlank => Count == 1 && _length[0] == 0;

        /// <summary>Field <paramref name="i"/> of the current record, quotes removed.</summary>
        public readonly ReadOnlySpan<byte> Field(int i) =>
            _from[i] >= 0 ? _bytes.Slice(_from[i], _length[i]) : _scratch.AsSpan(~_from[i], _length[i]);

        /// <summary>Moves to the next record; false at the end of the bytes.</summary>
        public bool Next()
        {
            if (_pos >= _bytes.Length) return false;
            Line = _line; Start = _pos; Count = 0; _scratchUsed = 0;
            while (true)
            {
                // Fast path: an unquoted field that ends at the delimiter, at LF or at CRLF.
                var rest = _bytes[_pos..];
                int at = rest.IndexOfAny(_stops);
                if (at < 0) { AddField(_pos, rest.Length); _pos = _bytes.Length; return true; }
                byte b = rest[at];
                if (b == _delimiter) { AddField(_pos, at); _pos += at + 1; continue; }
                if (b == '\n') { AddField(_pos, at); _pos += at + 1; _line++; return true; }
                if (b == '\r' && at + 1 < rest.Length && rest[at + 1] == '\n') { AddField(_pos, at); _pos += at + 2; _line++; return true; }
                if (Slow()) return true;
            }
        }

        /// <summary>
        /// A field with a quote or a lone carriage return, byte by byte: a quote opens a quoted field only as its first
        /// character, a doubled quote inside is one quote, text after the closing quote is kept, CR outside quotes is
        /// dropped. True when the record ended with it.
        /// </summary>
        private bool Slow()
        {
            int begin = _scratchUsed, length = 0;
            bool inQuotes = false, wasQuoted = false;
            while (_pos < _bytes.Length)
            {
                byte b = _bytes[_pos++];
                if (inQuotes)
                {
                    if (b == '"')
                    {
                        if (_pos < _bytes.Length && _bytes[_pos] == '"') { _pos++; Append(b, ref length); }
                        else inQuotes = false;
                    }
                    else
                    {
                        if (b == '\n') _line++;
                        Append(b, ref length);
                    }
                    continue;
                }
                if (b == '"')
                {
                    if (length == 0 && !wasQuoted) { inQuotes = true; wasQuoted = true; }
                    else throw new InputException($"{_source}: line {_line}, column {Count + 1}: a quote inside an unquoted field (quote the whole field and double inner quotes)");
                }
                else if (b == '\r') { }
                else if (b == '\n') { AddScratch(begin, length); _line++; return true; }
                else if (b == _delimiter) { AddScratch(begin, length); return false; }
                else Append(b, ref length);
            }
            if (inQuotes)
                throw new InputException($"{_source}: line {Line}: a quoted field is not closed before the end of the file");
            AddScratch(begin, length);
            return true;
        }

        private void Append(byte b, ref int length)
        {
            if (_scratchUsed == _scratch.Length) Array.Resize(ref _scratch, Math.Max(64, 2 * _scratch.Length));
            _scratch[_scratchUsed++] = b;
            length++;
        }

        private void AddField(int from, int length) => Add(from, length);

        private void AddScratch(int begin, int length) => Add(~begin, length);

        private void Add(int from, int length)
        {
            if (Count == _from.Length) { Array.Resize(ref _from, 2 * Count); Array.Resize(ref _length, 2 * Count); }
            _from[Count] = from; _length[Count] = length; Count++;
        }
    }
}
