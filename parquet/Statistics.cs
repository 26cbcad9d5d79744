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
        var s = new StatisticsMeta { NullCount = Enumerable.Range(from, to - from).Count(i => c.Nulls[i]) };
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
                byte[]? min = null, max = null;
                for (int i = from; i < to; i++)
                {
                    if (c.Nulls[i]) continue;
                    var b = Encoding.UTF8.GetBytes(c.Strings![i]!);
                    if (min is null || b.AsSpan().SequenceCompareTo(min) < 0) min = b;
                    if (max is null || b.AsSpan().SequenceCompareTo(max) > 0) max = b;
                }
                s.MinValue = min;
                s.MaxValue = max;
                break;
            }
        }
        return s;
    }
}
