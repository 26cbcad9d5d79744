using System.Text;

namespace DigitalEconomy.Parquet;

/// <summary>
/// Column statistics per the specification's type-defined sort order: signed comparison for
/// integers, dates and timestamps; false &lt; true; IEEE order for floats with NaN ignored (no min/max
/// when every value is NaN), a zero minimum written as −0.0 and a zero maximum as +0.0; strings by
/// unsigned byte-wise comparison of their UTF-8.
/// </summary>
internal static class Statistics
{
    public static StatisticsMeta Compute(ColumnBuilder c, int from, int to)
    {
        long nulls = 0;
        if (c.NullCount > 0) for (int i = from; i < to; i++) if (c.Nulls[i]) nulls++;
        var s = new StatisticsMeta { NullCount = nulls };
        int first = -1;
        for (int i = from; i < to; i++) if (!c.Nulls[i]) { first = i; break; }
        if (first < 0) return s;
        switch (c.Field.Type)
        {
            case ParquetType.Boolean:
            {
                bool min = true, max = false;
                for (int i = from; i < to; i++) if (!c.Nulls[i]) { min &= c.Bools![i]; max |= c.Bools![i]; }
                s.MinValue = [(byte)(min ? 1 : 0)];
                s.MaxValue = [(byte)(max ? 1 : 0)];
                break;
            }
            case ParquetType.Int32 or ParquetType.Date:
            {
                int min = int.MaxValue, max = int.MinValue;
                for (int i = from; i < to; i++) if (!c.Nulls[i]) { min = Math.Min(min, c.Ints![i]); max = Math.Max(max, c.Ints![i]); }
                s.MinValue = BitConverter.GetBytes(min);
                s.MaxValue = BitConverter.GetBytes(max);
                break;
            }
            case ParquetType.Int64 or ParquetType.Timestamp:
            {
                long min = long.MaxValue, max = long.MinValue;
                for (int i = from; i < to; i++) if (!c.Nulls[i]) { min = Math.Min(min, c.Longs![i]); max = Math.Max(max, c.Longs![i]); }
                s.MinValue = BitConverter.GetBytes(min);
                s.MaxValue = BitConverter.GetBytes(max);
                break;
            }
            case ParquetType.Float:
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                bool any = false;
                for (int i = from; i < to; i++)
                {
                    if (c.Nulls[i] || float.IsNaN(c.Floats![i])) continue;
                    any = true; min = Math.Min(min, c.Floats[i]); max = Math.Max(max, c.Floats[i]);
                }
                if (!any) break;
                if (min == 0) min = -0.0f;
                if (max == 0) max = 0.0f;
                s.MinValue = BitConverter.GetBytes(min);
                s.MaxValue = BitConverter.GetBytes(max);
                break;
            }
            case ParquetType.Double:
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                bool any = false;
                for (int i = from; i < to; i++)
                {
                    if (c.Nulls[i] || double.IsNaN(c.Doubles![i])) continue;
                    any = true; min = Math.Min(min, c.Doubles[i]); max = Math.Max(max, c.Doubles[i]);
                }
                if (!any) break;
                if (min == 0) min = -0.0;
                if (max == 0) max = 0.0;
                s.MinValue = BitConverter.GetBytes(min);
                s.MaxValue = BitConverter.GetBytes(max);
                break;
            }
            default:
            {
                string? min = null, max = null;
                for (int i = from; i < to; i++)
                {
                    if (c.Nulls[i]) continue;
                    var v = c.Strings![i]!;
                    if (min is null || CompareCodePoints(v, min) < 0) min = v;
                    if (max is null || CompareCodePoints(v, max) > 0) max = v;
                }
                s.MinValue = min is null ? null : Encoding.UTF8.GetBytes(min);
                s.MaxValue = max is null ? null : Encoding.UTF8.GetBytes(max);
                break;
            }
        }
        return s;
    }

    /// <summary>
    /// Orders strings as their UTF-8 bytes compare (= Unicode code point order) without encoding them:
    /// UTF-16 units compare the same way except surrogates (D800–DFFF), which must sort above E000–FFFF.
    /// </summary>
    public static int CompareCodePoints(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x == y) continue;
            if (x >= 0xD800 && y >= 0xD800) return Fix(x).CompareTo(Fix(y));
            return x.CompareTo(y);
        }
        return a.Length.CompareTo(b.Length);

        static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /// <summary>Chunk statistics from two page statistics of the same column.</summary>
    public static StatisticsMeta Merge(ParquetType type, StatisticsMeta a, StatisticsMeta b)
    {
        var m = new StatisticsMeta { NullCount = (a.NullCount ?? 0) + (b.NullCount ?? 0) };
        if (a.MinValue is null) { m.MinValue = b.MinValue; m.MaxValue = b.MaxValue; return m; }
        if (b.MinValue is null) { m.MinValue = a.MinValue; m.MaxValue = a.MaxValue; return m; }
        m.MinValue = Compare(type, a.MinValue, b.MinValue) <= 0 ? a.MinValue : b.MinValue;
        m.MaxValue = Compare(type, a.MaxValue!, b.MaxValue!) >= 0 ? a.MaxValue : b.MaxValue;
        return m;
    }

    private static int Compare(ParquetType type, byte[] a, byte[] b) => type switch
    {
        ParquetType.Boolean => a[0].CompareTo(b[0]),
        ParquetType.Int32 or ParquetType.Date => BitConverter.ToInt32(a).CompareTo(BitConverter.ToInt32(b)),
        ParquetType.Int64 or ParquetType.Timestamp => BitConverter.ToInt64(a).CompareTo(BitConverter.ToInt64(b)),
        // Page statistics never hold NaN; −0.0 and +0.0 compare equal, and either keeps the written sign rule.
        ParquetType.Float => BitConverter.ToSingle(a).CompareTo(BitConverter.ToSingle(b)),
        ParquetType.Double => BitConverter.ToDouble(a).CompareTo(BitConverter.ToDouble(b)),
        _ => a.AsSpan().SequenceCompareTo(b),
    };
}
