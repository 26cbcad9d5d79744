using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads a Stata .dta file of format 117 (Stata 13), 118 (Stata 14–18) or 119 (more than 32,767 variables) into a
/// <see cref="DataFrame"/>: every numeric type (byte, int, long, float, double) as numbers, Stata's missing values
/// (. and .a–.z) as missing, str# and strL as text, a numeric variable with a value label as its labels' text (an
/// unlabelled value as its number), variable names in UTF-8 (118/119) or, for 117, UTF-8 when valid and else GB18030
/// (Stata 13 wrote the machine's code page: GBK on a Chinese Windows).
/// </summary>
/// <remarks>
/// Written against StataCorp's published description of the format ("help dta", the <c>&lt;stata_dta&gt;</c> tagged layout):
/// no maintained .NET library reads .dta. Tested with files written by pandas and R haven, never only by our own writer.
/// </remarks>
public static class DtaReader
{
    private const ushort StrL = 32768, Double = 65526, Float = 65527, Long = 65528, Int = 65529, Byte = 65530;

    /// <summary>True when the bytes start as a .dta file of format 117 or later does.</summary>
    public static bool Looks(ReadOnlySpan<byte> head) => head.StartsWith("<stata_dta>"u8);

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">Not a .dta of a format we read, or damaged; one line naming the file.</exception>
    public static DataFrame Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Reads a .dta file from its bytes; <paramref name="source"/> names it in messages and in the frame.</summary>
    /// <exception cref="InputException">Not a .dta of a format we read, or damaged.</exception>
    public static DataFrame Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            return new Reader(bytes, source).Frame();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException or ArgumentException)
        {
            throw new InputException($"{source}: a damaged or truncated Stata file ({e.Message})");
        }
    }

    private sealed class Reader(byte[] b, string source)
    {
        private int _at;
        private int _release;
        private bool _little;

        private InputException Bad(string what) => new($"{source}: {what}");

        private void Tag(string tag)
        {
            var t = Encoding.ASCII.GetBytes(tag);
            if (_at + t.Length > b.Length || !b.AsSpan(_at, t.Length).SequenceEqual(t)) throw Bad($"not a Stata .dta of format 117–119: expected {tag} at byte {_at}");
            _at += t.Length;
        }

        private string Between(string open, string close)
        {
            Tag(open);
            int end = b.AsSpan(_at).IndexOf(Encoding.ASCII.GetBytes(close));
            if (end < 0) throw Bad($"no {close}");
            string s = Encoding.ASCII.GetString(b, _at, end);
            _at += end + close.Length;
            return s;
        }

        private ulong U(int size)
        {
            var s = b.AsSpan(_at, size);
            _at += size;
            return size switch
            {
                1 => s[0],
                2 => _little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s),
                4 => _little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s),
                _ => _little ? BinaryPrimitives.ReadUInt64LittleEndian(s) : BinaryPrimitives.ReadUInt64BigEndian(s),
            };
        }

        /// <summary>Text of a fixed-width, NUL-terminated field.</summary>
        private string Text(ReadOnlySpan<byte> field)
        {
            int nul = field.IndexOf((byte)0);
            return Decode(nul < 0 ? field : field[..nul]);
        }

        private string Decode(ReadOnlySpan<byte> raw)
        {
            if (_release >= 118) return Encoding.UTF8.GetString(raw);
            // Format 117 has no declared encoding: UTF-8 when the bytes are, else the Chinese code page Stata 13 used.
            try { return new UTF8Encoding(false, true).GetString(raw); }
            catch (DecoderFallbackException)
            {
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding(54936).GetString(raw);
            }
        }

        public DataFrame Frame()
        {
            Tag("<stata_dta>");
            Tag("<header>");
            if (!int.TryParse(Between("<release>", "</release>"), NumberStyles.None, CultureInfo.InvariantCulture, out _release) || _release is < 117 or > 119)
                throw Bad($"Stata format {_release} is not read (117, 118 and 119 are: Stata 13 and later; save older files again with a recent Stata, or export CSV)");
            string order = Between("<byteorder>", "</byteorder>");
            _little = order == "LSF";
            if (!_little && order != "MSF") throw Bad($"byte order '{order}' is neither LSF nor MSF");
            Tag("<K>");
            int k = (int)U(_release == 119 ? 4 : 2);
            Tag("</K>");
            Tag("<N>");
            long n = (long)U(_release == 117 ? 4 : 8);
            Tag("</N>");
            if (n > int.MaxValue) throw Bad($"{n} observations are more than a dataset here can hold");
            Tag("<label>");
            int labelLength = (int)U(_release == 117 ? 1 : 2); // read before advancing: `_at += U(…)` would add to the old _at
            _at += labelLength;
            Tag("</label>");
            Tag("<timestamp>");
            int stampLength = (int)U(1);
            _at += stampLength;
            Tag("</timestamp>");
            Tag("</header>");
            Tag("<map>");
            var map = new long[14];
            for (int i = 0; i < 14; i++) map[i] = (long)U(8);

            // The map's offsets: 2 types, 3 names, 4 sortlist, 5 formats, 6 value-label names, 7 labels, 8 characteristics, 9 data, 10 strls, 11 value labels.
            _at = (int)map[2];
            Tag("<variable_types>");
            var types = new ushort[k];
            for (int i = 0; i < k; i++) types[i] = (ushort)U(2);
            int nameLen = _release == 117 ? 33 : 129;
            _at = (int)map[3];
            Tag("<varnames>");
            var names = new string[k];
            for (int i = 0; i < k; i++) { names[i] = Text(b.AsSpan(_at, nameLen)); _at += nameLen; }
            _at = (int)map[6];
            Tag("<value_label_names>");
            var labelNames = new string[k];
            for (int i = 0; i < k; i++) { labelNames[i] = Text(b.AsSpan(_at, nameLen)); _at += nameLen; }

            var labels = ValueLabels((int)map[11], nameLen);
            var strls = Strls((int)map[10]);

            _at = (int)map[9];
            Tag("<data>");
            int rows = (int)n;
            var numbers = new double[k][];
            var texts = new string?[k][];
            var strlRefs = new (ulong V, ulong O)[k][];
            for (int j = 0; j < k; j++)
            {
                if (types[j] is >= 1 and <= 2045 or StrL) texts[j] = new string?[rows];
                else if (types[j] is >= Double and <= Byte) numbers[j] = new double[rows];
                else throw Bad($"variable '{names[j]}' has type code {types[j]}, which is not a Stata type");
                if (types[j] == StrL) strlRefs[j] = new (ulong, ulong)[rows];
            }
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < k; j++)
                {
                    ushort t = types[j];
                    if (t <= 2045)
                    {
                        string s = Text(b.AsSpan(_at, t));
                        _at += t;
                        texts[j][r] = s.Length == 0 ? null : s;
                    }
                    else if (t == StrL)
                    {
                        // (v, o): 4 + 4 bytes in 117; 2 + 6 in 118; 3 + 5 in 119, as one little- or big-endian 8-byte field.
                        ulong raw = U(8);
                        strlRefs[j][r] = (_release, _little) switch
                        {
                            (117, true) => (raw & 0xFFFFFFFF, raw >> 32),
                            (117, false) => (raw >> 32, raw & 0xFFFFFFFF),
                            (118, true) => (raw & 0xFFFF, raw >> 16),
                            (118, false) => (raw >> 48, raw & 0xFFFFFFFFFFFF),
                            (_, true) => (raw & 0xFFFFFF, raw >> 24),
                            _ => (raw >> 40, raw & 0xFFFFFFFFFF),
                        };
                    }
                    else numbers[j][r] = Number(t);
                }

            var columns = new List<Column>(k);
            for (int j = 0; j < k; j++)
            {
                if (types[j] == StrL)
                    for (int r = 0; r < rows; r++)
                        texts[j][r] = strlRefs[j][r] is (0, 0) ? null
                            : strls.TryGetValue(strlRefs[j][r], out var s) ? (s.Length == 0 ? null : s)
                            : throw Bad($"variable '{names[j]}', observation {r + 1}: a strL with no stored text");
                if (texts[j] is { } tx) { columns.Add(Column.Text(names[j], tx)); continue; }
                if (labelNames[j].Length > 0 && labels.TryGetValue(labelNames[j], out var table))
                {
                    // A labelled variable is its labels' text, as users see it in Stata; an unlabelled value keeps its number.
                    var shown = numbers[j].Select(v => double.IsNaN(v) ? null : table.TryGetValue(v, out var l) ? l : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
                    columns.Add(Column.Text(names[j], shown));
                    continue;
                }
                columns.Add(Column.Numeric(names[j], numbers[j]));
            }
            return new DataFrame(columns, source);
        }

        /// <summary>A numeric value; Stata's missing codes (., .a–.z) are NaN.</summary>
        private double Number(ushort type)
        {
            switch (type)
            {
                case Byte:
                {
                    sbyte v = (sbyte)U(1);
                    return v > 100 ? double.NaN : v;
                }
                case Int:
                {
                    short v = (short)U(2);
                    return v > 32740 ? double.NaN : v;
                }
                case Long:
                {
                    int v = (int)U(4);
                    return v > 2147483620 ? double.NaN : v;
                }
                case Float:
                {
                    uint bits = (uint)U(4);
                    float f = BitConverter.UInt32BitsToSingle(bits);
                    // Missing: 2^127 (0x7f000000) and above, as Stata codes . and .a–.z.
                    return f >= BitConverter.UInt32BitsToSingle(0x7f000000) || float.IsNaN(f) ? double.NaN : f;
                }
                default:
                {
                    double d = BitConverter.UInt64BitsToDouble(U(8));
                    // Missing: 2^1023 (0x7fe0000000000000) and above.
                    return d >= BitConverter.UInt64BitsToDouble(0x7fe0000000000000) || double.IsNaN(d) ? double.NaN : d;
                }
            }
        }

        /// <summary>The value-label tables by name: value → label.</summary>
        private Dictionary<string, Dictionary<double, string>> ValueLabels(int offset, int nameLen)
        {
            var all = new Dictionary<string, Dictionary<double, string>>(StringComparer.Ordinal);
            _at = offset;
            Tag("<value_labels>");
            while (b.AsSpan(_at).StartsWith("<lbl>"u8))
            {
                Tag("<lbl>");
                int len = (int)U(4);
                string name = Text(b.AsSpan(_at, nameLen));
                _at += nameLen + 3;
                int start = _at;
                int count = (int)U(4), txtLen = (int)U(4);
                var offs = new int[count];
                for (int i = 0; i < count; i++) offs[i] = (int)U(4);
                var vals = new int[count];
                for (int i = 0; i < count; i++) vals[i] = (int)U(4);
                var txt = b.AsSpan(_at, txtLen);
                var table = new Dictionary<double, string>();
                for (int i = 0; i < count; i++) table[vals[i]] = Text(txt[offs[i]..]);
                all[name] = table;
                _at = start + len;
                Tag("</lbl>");
            }
            return all;
        }

        /// <summary>The strL texts by (v, o).</summary>
        private Dictionary<(ulong, ulong), string> Strls(int offset)
        {
            var all = new Dictionary<(ulong, ulong), string>();
            _at = offset;
            Tag("<strls>");
            while (b.AsSpan(_at).StartsWith("GSO"u8))
            {
                _at += 3;
                ulong v = U(4);
                ulong o = U(_release == 117 ? 4 : 8);
                byte t = (byte)U(1);
                int len = (int)U(4);
                var data = b.AsSpan(_at, len);
                _at += len;
                // t = 130: text with its terminating NUL; 129: binary (kept as its bytes decoded as text).
                all[(v, o)] = t == 130 ? Text(data) : Decode(data);
            }
            return all;
        }
    }
}
