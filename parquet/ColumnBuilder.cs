namespace DigitalEconomy.Parquet;

/// <summary>The growing buffer of one column within the current row group.</summary>
internal sealed class ColumnBuilder(ParquetField field)
{
    public ParquetField Field { get; } = field;
    public int Count;
    public bool[] Nulls = new bool[1024];
    public int NullCount;
    public bool[]? Bools = field.Type == ParquetType.Boolean ? new bool[1024] : null;
    public int[]? Ints = field.Type is ParquetType.Int32 or ParquetType.Date ? new int[1024] : null;
    public long[]? Longs = field.Type is ParquetType.Int64 or ParquetType.Timestamp ? new long[1024] : null;
    public float[]? Floats = field.Type == ParquetType.Float ? new float[1024] : null;
    public double[]? Doubles = field.Type == ParquetType.Double ? new double[1024] : null;
    public string?[]? Strings = field.Type == ParquetType.String ? new string?[1024] : null;

    private void Grow()
    {
        int size = Nulls.Length * 2;
        Array.Resize(ref Nulls, size);
        if (Bools is not null) Array.Resize(ref Bools, size);
        if (Ints is not null) Array.Resize(ref Ints, size);
        if (Longs is not null) Array.Resize(ref Longs, size);
        if (Floats is not null) Array.Resize(ref Floats, size);
        if (Doubles is not null) Array.Resize(ref Doubles, size);
        if (Strings is not null) Array.Resize(ref Strings, size);
    }

    private int Next(ParquetType t1, ParquetType? t2 = null)
    {
        if (Field.Type != t1 && Field.Type != t2)
            throw new InvalidOperationException($"Column '{Field.Name}' is {Field.Type}; a {t1} value cannot be written to it.");
        if (Count == Nulls.Length) Grow();
        Nulls[Count] = false;
        return Count++;
    }

    public void Null()
    {
        if (!Field.Nullable) throw new InvalidOperationException($"Column '{Field.Name}' is required (not nullable); it cannot hold a null.");
        if (Count == Nulls.Length) Grow();
        Nulls[Count] = true;
        if (Strings is not null) Strings[Count] = null;
        NullCount++;
        Count++;
    }

    // Next() may grow (replace) the arrays, so it runs before the array is read.
    public void Add(bool v) { int i = Next(ParquetType.Boolean); Bools![i] = v; }
    public void AddInt32(int v, ParquetType t) { int i = Next(t); Ints![i] = v; }
    public void AddInt64(long v, ParquetType t) { int i = Next(t); Longs![i] = v; }
    public void Add(float v) { int i = Next(ParquetType.Float); Floats![i] = v; }
    public void Add(double v) { int i = Next(ParquetType.Double); Doubles![i] = v; }

    public void Add(string? v)
    {
        if (v is null) { Null(); return; }
        int i = Next(ParquetType.String);
        Strings![i] = v;
    }

    public void Reset()
    {
        Count = 0;
        NullCount = 0;
        if (Strings is not null) Array.Clear(Strings);
    }
}
