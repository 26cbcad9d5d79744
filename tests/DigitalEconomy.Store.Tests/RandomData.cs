using System.Globalization;

namespace DigitalEconomy.Store.Tests;

/// <summary>Deterministic random result rows (SplitMix64), with the awkward values on purpose.</summary>
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

    private static readonly string[] Texts = ["", "a", "北京市", "Ürümqi 乌鲁木齐", "x,y\"z", "emoji 🚀", new string('长', 300), "Z", "line\nbreak", "\u00e9"];
    private static readonly double[] SpecialDoubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.MaxValue, double.Epsilon, -1e-300, 0.1];

    public string Text() => Int(3) == 0 ? Texts[Int(Texts.Length)] : "s" + Next().ToString(CultureInfo.InvariantCulture);

    public string? NullableText() => Int(4) == 0 ? null : Text();

    public double Double() => Int(5) == 0 ? SpecialDoubles[Int(SpecialDoubles.Length)] : BitConverter.Int64BitsToDouble((long)(Next() & 0x7FEF_FFFF_FFFF_FFFFUL)) * (Int(2) == 0 ? 1 : -1);

    public double? NullableDouble() => Int(6) == 0 ? null : Double();

    public long? NullableLong() => Int(6) == 0 ? null : Int(5) == 0 ? new[] { long.MinValue, long.MaxValue, 0L, -1L }[Int(4)] : (long)Next();

    public SpecificationRow Spec(int i) => new($"spec{i:D6}", Text(), Text(), Text(), Text(), Text(), Text(), Int(2) == 0 ? "yes" : "no", "no", Text(),
        NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableLong(), NullableDouble(), NullableDouble(), NullableText(),
        NullableText(), NullableLong(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableDouble(), NullableText(),
        NullableText());

    public BootstrapRow Boot(int i) => new(Text(), i, NullableDouble(), NullableText());

    public IndexScoreRow Index(int i) => new(Text(), Text(), (long)Next(), Text(), Double());

    public static bool Same(double? a, double? b) => (a, b) switch
    {
        (null, null) => true,
        ({ } x, { } y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y) || (double.IsNaN(x) && double.IsNaN(y)),
        _ => false,
    };
}
