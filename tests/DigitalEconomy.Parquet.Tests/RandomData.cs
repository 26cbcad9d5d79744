using System.Globalization;

namespace DigitalEconomy.Parquet.Tests;

/// <summary>Deterministic random schemas and rows (SplitMix64), with the awkward values on purpose.</summary>
internal sealed class RandomData(ulong seed)
{
    private ulong _s = seed;

    public ulong Next()
    {
        _s += 0x9E3779B97F4A7C15UL;
        ulong z = _s;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Int(int max) => (int)(Next() % (ulong)max);

    private static readonly string[] Texts = ["", "a", "北京市", "Ürümqi 乌鲁木齐", "x,y\"z", "emoji 🚀", new string('长', 300), "Z", "zz", "\u00e9"];
    private static readonly double[] SpecialDoubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.MaxValue, double.Epsilon, -1e-300, 0.1];

    public ParquetSchema Schema()
    {
        int n = 1 + Int(7);
        var types = Enum.GetValues<ParquetType>();
        return new ParquetSchema(Enumerable.Range(0, n).Select(i => new ParquetField($"c{i}_{types[Int(types.Length)]}".ToLowerInvariant(), types[Int(types.Length)], Int(3) > 0)).ToArray());
    }

    /// <summary>A value for the field: null (if nullable) about 1 in 6, else one of the edge cases or a random value.</summary>
    public object? Value(ParquetField f, bool lowCardinality)
    {
        if (f.Nullable && Int(6) == 0) return null;
        bool edge = Int(5) == 0;
        return f.Type switch
        {
            ParquetType.Boolean => Int(2) == 0,
            ParquetType.Int32 => edge ? new[] { int.MinValue, int.MaxValue, 0, -1 }[Int(4)] : lowCardinality ? Int(5) : (int)Next(),
            ParquetType.Int64 => edge ? new[] { long.MinValue, long.MaxValue, 0L, -1L }[Int(4)] : lowCardinality ? Int(5) : (long)Next(),
            ParquetType.Float => edge ? new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, float.MaxValue }[Int(5)] : (float)((Next() >> 11) * 1e-10),
            ParquetType.Double => edge ? SpecialDoubles[Int(SpecialDoubles.Length)] : lowCardinality ? Int(4) * 0.25 : BitConverter.Int64BitsToDouble((long)(Next() & 0x7FEF_FFFF_FFFF_FFFFUL)) * (Int(2) == 0 ? 1 : -1),
            ParquetType.String => lowCardinality || edge ? Texts[Int(Texts.Length)] : "s" + Next().ToString(CultureInfo.InvariantCulture),
            ParquetType.Date => DateOnly.FromDayNumber(Int(800_000)),
            _ => new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(Next() % 60_000_000_000_000_000UL) / 10 * 10),
        };
    }

    public static void Set(ParquetWriter w, int i, ParquetField f, object? v)
    {
        if (v is null) { w.SetNull(i); return; }
        switch (f.Type)
        {
            case ParquetType.Boolean: w.SetBoolean(i, (bool)v); break;
            case ParquetType.Int32: w.SetInt32(i, (int)v); break;
            case ParquetType.Int64: w.SetInt64(i, (long)v); break;
            case ParquetType.Float: w.SetFloat(i, (float)v); break;
            case ParquetType.Double: w.SetDouble(i, (double)v); break;
            case ParquetType.String: w.SetString(i, (string)v); break;
            case ParquetType.Date: w.SetDate(i, (DateOnly)v); break;
            default: w.SetTimestamp(i, (DateTime)v); break;
        }
    }

    public static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y) || (double.IsNaN(x) && double.IsNaN(y)),
        (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y) || (float.IsNaN(x) && float.IsNaN(y)),
        _ => Equals(a, b),
    };
}
