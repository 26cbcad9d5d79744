using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>A column whose name is not a Stata name, and the name it was written under (its original name is its variable label).</summary>
public sealed record DtaRename(string From, string To);

/// <summary>
/// Writes a <see cref="DataFrame"/> as a Stata .dta file of format 118 (Stata 14 and later), little-endian.
/// </summary>
/// <remarks>
/// <para>Written by hand against StataCorp's published description of the format ("help dta"), as <see cref="DtaReader"/> is:
/// no maintained .NET library writes .dta. Tested with pandas (Debian's 1.5.3) reading our files, and with our reader.</para>
/// <para>Conventions: a numeric column whose values are all whole numbers is stored in the smallest of Stata's byte, int and
/// long that holds them (within Stata's non-missing ranges: −127…100, −32,767…32,740, −2,147,483,647…2,147,483,620), any other
/// as double; a missing value (NaN), ±∞ and a double of 2^1023 or more (Stata's missing codes start there) are written as
/// Stata's system missing <c>.</c>. A text column is a str# of its longest value's UTF-8 bytes (1 to 2,045), or a strL when a
/// value is longer; a missing text is the empty string, which is Stata's missing for strings. Variable names follow Stata's
/// rules (1–32 characters: letters, including Chinese, digits and _, not starting with a digit, not a reserved word):
/// any other character becomes _, a leading digit gets a leading _, a reserved word a trailing _, a clash a suffix _2, _3…;
/// every renamed column keeps its original name as its variable label. No timestamp is written (the format allows none),
/// so the same frame always gives the same bytes.</para>
/// </remarks>
public static class DtaWriter
{
    private const ushort StrL = 32768, Double = 65526, Long = 65528, Int = 65529, Byte = 65530;
    private const int NameBytes = 129, FormatBytes = 57, LabelBytes = 321, MaxStr = 2045;

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi", "_pred",
        "_rc", "_skip", "strL", "using", "with",
    };

    /// <summary>The bytes of <paramref name="frame"/> as a format-118 .dta file, and the columns written under another name.</summary>
    /// <exception cref="InputException">More columns or rows than a .dta file of format 118 holds.</exception>
    public static (byte[] Bytes, IReadOnlyList<DtaRename> Renamed) Write(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int k = frame.Columns.Count, n = frame.RowCount;
        if (k > 32767) throw new InputException($"{k} columns: a Stata file of format 118 holds at most 32,767 variables");
        var (names, renamed) = Names(frame.Columns.Select(c => c.Name).ToList());
        var cols = frame.Columns.Select(Plan).ToArray();

        using var ms = new MemoryStream();
        void Ascii(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        void U16(int v) { Span<byte> s = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)v); ms.Write(s); }
        void U32(long v) { Span<byte> s = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)v); ms.Write(s); }
        void U64(long v) { Span<byte> s = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(s, (ulong)v); ms.Write(s); }
        void Fixed(string s, int width)
        {
            var bytes = Utf8Prefix(s, width - 1);
            ms.Write(bytes);
            ms.Write(new byte[width - bytes.Length]);
        }

        var map = new long[14];
        Ascii("<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>");
        U16(k);
        Ascii("</K><N>");
        U64(n);
        Ascii("</N><label>");
        U16(0);
        Ascii("</label><timestamp>");
        ms.WriteByte(0);
        Ascii("</timestamp></header>");
        map[1] = ms.Position;
        Ascii("<map>");
        long mapAt = ms.Position;
        for (int i = 0; i < 14; i++) U64(0);
        Ascii("</map>");
        map[2] = ms.Position;
        Ascii("<variable_types>");
        foreach (var c in cols) U16(c.Type);
        Ascii("</variable_types>");
        map[3] = ms.Position;
        Ascii("<varnames>");
        foreach (var name in names) Fixed(name, NameBytes);
        Ascii("</varnames>");
        map[4] = ms.Position;
        Ascii("<sortlist>");
        for (int i = 0; i <= k; i++) U16(0);
        Ascii("</sortlist>");
        map[5] = ms.Position;
        Ascii("<formats>");
        foreach (var c in cols) Fixed(c.Format, FormatBytes);
        Ascii("</formats>");
        map[6] = ms.Position;
        Ascii("<value_label_names>");
        for (int i = 0; i < k; i++) Fixed("", NameBytes);
        Ascii("</value_label_names>");
        map[7] = ms.Position;
        Ascii("<variable_labels>");
        for (int j = 0; j < k; j++) Fixed(names[j] == frame.Columns[j].Name ? "" : frame.Columns[j].Name, LabelBytes);
        Ascii("</variable_labels>");
        map[8] = ms.Position;
        Ascii("<characteristics></characteristics>");
        map[9] = ms.Position;
        Ascii("<data>");
        for (int r = 0; r < n; r++)
            for (int j = 0; j < k; j++)
            {
                var c = frame.Columns[j];
                switch (cols[j].Type)
                {
                    case Byte: ms.WriteByte(unchecked((byte)(sbyte)(Whole(c.Values![r]) ?? 101))); break;
                    case Int: U16(unchecked((ushort)(short)(Whole(c.Values![r]) ?? 32741))); break;
                    case Long: U32(unchecked((uint)(int)(Whole(c.Values![r]) ?? 2147483621))); break;
                    case Double:
                        double v = c.Values![r];
                        U64(InDoubleRange(v) ? BitConverter.DoubleToInt64Bits(v) : 0x7fe0000000000000);
                        break;
                    case StrL:
                        // (v, o) in 8 bytes: v, the 1-based variable, in the low 2 bytes; o, the 1-based observation, in the high 6. (0, 0) is "".
                        U64(string.IsNullOrEmpty(c.Texts![r]) ? 0 : (long)((ulong)(uint)(j + 1) | ((ulong)(uint)(r + 1) << 16)));
                        break;
                    default:
                        Cell(c.Texts![r] ?? "", cols[j].Type);
                        break;
                }
            }
        Ascii("</data>");
        map[10] = ms.Position;
        Ascii("<strls>");
        for (int j = 0; j < k; j++)
        {
            if (cols[j].Type != StrL) continue;
            var texts = frame.Columns[j].Texts!;
            for (int r = 0; r < n; r++)
            {
                if (string.IsNullOrEmpty(texts[r])) continue;
                var bytes = Encoding.UTF8.GetBytes(texts[r]!);
                Ascii("GSO");
                U32(j + 1);
                U64(r + 1);
                ms.WriteByte(130); // text, stored with its terminating NUL
                U32(bytes.Length + 1);
                ms.Write(bytes);
                ms.WriteByte(0);
            }
        }
        Ascii("</strls>");
        map[11] = ms.Position;
        Ascii("<value_labels></value_labels>");
        map[12] = ms.Position;
        Ascii("</stata_dta>");
        map[13] = ms.Position;
        ms.Position = mapAt;
        foreach (long offset in map) U64(offset);
        return (ms.ToArray(), renamed);

        // A str# cell: exactly `width` bytes, the text's UTF-8 bytes then NULs (no terminator needed when the text fills it).
        void Cell(string s, int width)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            ms.Write(bytes);
            ms.Write(new byte[width - bytes.Length]);
        }
    }

    private sealed record Layout(ushort Type, string Format);

    /// <summary>The Stata type and display format of a column (conventions in the remarks).</summary>
    private static Layout Plan(Column c)
    {
        if (c.Texts is { } texts)
        {
            int width = texts.Select(t => t is null ? 0 : Encoding.UTF8.GetByteCount(t)).DefaultIfEmpty(0).Max();
            return width > MaxStr ? new Layout(StrL, "%9s") : new Layout((ushort)Math.Max(1, width), $"%{Math.Max(1, width).ToString(CultureInfo.InvariantCulture)}s");
        }
        long min = 0, max = 0;
        foreach (double v in c.Values!)
        {
            if (double.IsNaN(v)) continue;
            if (Whole(v) is not { } w) return new Layout(Double, "%10.0g");
            min = Math.Min(min, w);
            max = Math.Max(max, w);
        }
        return min >= -127 && max <= 100 ? new Layout(Byte, "%8.0g")
            : min >= -32767 && max <= 32740 ? new Layout(Int, "%8.0g")
            : min >= -2147483647 && max <= 2147483620 ? new Layout(Long, "%12.0g")
            : new Layout(Double, "%10.0g");
    }

    /// <summary>The value as a whole number when it is one (−0 is not: an integer type would lose its sign); null otherwise or when missing.</summary>
    private static long? Whole(double v) =>
        double.IsFinite(v) && Math.Abs(v) < 4e18 && v == Math.Floor(v) && !(v == 0 && double.IsNegative(v)) ? (long)v : null;

    /// <summary>A double Stata reads as a value: finite and below 2^1023, where its missing codes start.</summary>
    private static bool InDoubleRange(double v) => double.IsFinite(v) && v < 8.98846567431158e307;

    /// <summary>The longest prefix of the text's UTF-8 bytes of at most <paramref name="max"/> bytes that ends on a character boundary.</summary>
    private static byte[] Utf8Prefix(string s, int max)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length <= max) return bytes;
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--;
        return bytes[..end];
    }

    /// <summary>Stata names for the columns (rules in the remarks), and the columns renamed.</summary>
    internal static (string[] Names, IReadOnlyList<DtaRename> Renamed) Names(IReadOnlyList<string> columns)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[columns.Count];
        var renamed = new List<DtaRename>();
        for (int j = 0; j < columns.Count; j++)
        {
            var sb = new StringBuilder();
            foreach (var rune in columns[j].EnumerateRunes())
                sb.Append(Rune.IsLetterOrDigit(rune) || rune.Value == '_' ? rune.ToString() : "_");
            string name = sb.ToString();
            if (name.Length == 0 || char.IsDigit(name[0])) name = "_" + name;
            name = Cut(name, 32);
            if (Reserved.Contains(name) || IsReservedPattern(name)) name = Cut(name, 31) + "_";
            string stem = name;
            for (int i = 2; !used.Add(name); i++)
            {
                string suffix = "_" + i.ToString(CultureInfo.InvariantCulture);
                name = Cut(stem, 32 - suffix.Length) + suffix;
            }
            names[j] = name;
            if (name != columns[j]) renamed.Add(new DtaRename(columns[j], name));
        }
        return (names, renamed);
    }

    /// <summary>Stata also reserves str1…str2045 as names.</summary>
    private static bool IsReservedPattern(string name) =>
        name.Length > 3 && name.StartsWith("str", StringComparison.Ordinal) && name[3..].All(char.IsAsciiDigit) && name[3] != '0';

    /// <summary>The first <paramref name="max"/> characters (runes), as Stata counts a name's length.</summary>
    private static string Cut(string s, int max)
    {
        var runes = s.EnumerateRunes().ToList();
        return runes.Count <= max ? s : string.Concat(runes.Take(max).Select(r => r.ToString()));
    }
}
