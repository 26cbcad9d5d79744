namespace DigitalEconomy.Parquet;

/// <summary>The column types of a flat schema and how they are stored.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The members are the Parquet type names.")]
public enum ParquetType
{
    /// <summary>BOOLEAN.</summary>
    Boolean,
    /// <summary>INT32.</summary>
    Int32,
    /// <summary>INT64.</summary>
    Int64,
    /// <summary>FLOAT.</summary>
    Float,
    /// <summary>DOUBLE.</summary>
    Double,
    /// <summary>BYTE_ARRAY with the STRING logical type (UTF-8).</summary>
    String,
    /// <summary>INT32 with the DATE logical type (days since 1970-01-01).</summary>
    Date,
    /// <summary>INT64 with the TIMESTAMP(isAdjustedToUTC = true, MICROS) logical type.</summary>
    Timestamp,
}

/// <summary>One column: name, type, and whether it may hold nulls (OPTIONAL) or not (REQUIRED).</summary>
public sealed record ParquetField(string Name, ParquetType Type, bool Nullable = true);

/// <summary>A flat schema: an ordered list of uniquely named fields.</summary>
public sealed class ParquetSchema
{
    /// <summary>Creates a schema.</summary>
    /// <exception cref="ArgumentException">No fields, or a repeated name.</exception>
    public ParquetSchema(params ParquetField[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length == 0) throw new ArgumentException("A schema needs at least one field.", nameof(fields));
        var dup = fields.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Field '{dup.Key}' appears more than once.", nameof(fields));
        Fields = fields;
    }

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<ParquetField> Fields { get; }

    /// <summary>Index of a field by name, or −1.</summary>
    public int IndexOf(string name) => Fields.Select((f, i) => (f, i)).FirstOrDefault(p => p.f.Name == name, (null!, -1)).Item2;
}

/// <summary>
/// The values of one column (of a row group or a whole file). Exactly one of the typed arrays is set,
/// by the field's type: Booleans; Int32s (Int32 and Date as days since the epoch); Int64s (Int64 and
/// Timestamp as microseconds since the epoch, UTC); Floats; Doubles; Strings. <see cref="IsNull"/>
/// tells nulls apart (their slot in the typed array holds the default value).
/// </summary>
public sealed class ParquetColumn
{
    internal ParquetColumn(ParquetField field, int count)
    {
        Field = field;
        Count = count;
        switch (field.Type)
        {
            case ParquetType.Boolean: Booleans = new bool[count]; break;
            case ParquetType.Int32 or ParquetType.Date: Int32s = new int[count]; break;
            case ParquetType.Int64 or ParquetType.Timestamp: Int64s = new long[count]; break;
            case ParquetType.Float: Floats = new float[count]; break;
            case ParquetType.Double: Doubles = new double[count]; break;
            default: Strings = new string?[count]; break;
        }
    }

    /// <summary>The field.</summary>
    public ParquetField Field { get; }

    /// <summary>Number of values (rows).</summary>
    public int Count { get; }

    /// <summary>Null flags; null when the column has no nulls.</summary>
    public bool[]? Nulls { get; internal set; }

    /// <summary>BOOLEAN values.</summary>
    public bool[]? Booleans { get; }

    /// <summary>INT32 and DATE values.</summary>
    public int[]? Int32s { get; }

    /// <summary>INT64 and TIMESTAMP values.</summary>
    public long[]? Int64s { get; }

    /// <summary>FLOAT values.</summary>
    public float[]? Floats { get; }

    /// <summary>DOUBLE values.</summary>
    public double[]? Doubles { get; }

    /// <summary>STRING values (null for nulls).</summary>
    public string?[]? Strings { get; }

    /// <summary>True when row i is null.</summary>
    public bool IsNull(int i) => Nulls is { } n && n[i];

    /// <summary>Row i as an object: bool, int, long, float, double, string, DateOnly, DateTime (UTC) or null.</summary>
    public object? GetValue(int i)
    {
        if (IsNull(i)) return null;
        return Field.Type switch
        {
            ParquetType.Boolean => Booleans![i],
            ParquetType.Int32 => Int32s![i],
            ParquetType.Date => ToDate(Int32s![i]),
            ParquetType.Int64 => Int64s![i],
            ParquetType.Timestamp => ToTimestamp(Int64s![i]),
            ParquetType.Float => Floats![i],
            ParquetType.Double => Doubles![i],
            _ => Strings![i],
        };
    }

    internal static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>Days since the epoch as a DateOnly; a ParquetException when outside years 1–9999.</summary>
    internal static DateOnly ToDate(int days)
    {
        long n = (long)Epoch.DayNumber + days;
        if (n < DateOnly.MinValue.DayNumber || n > DateOnly.MaxValue.DayNumber) throw new ParquetException($"date value {days} (days since 1970-01-01) is outside the years 1-9999");
        return DateOnly.FromDayNumber((int)n);
    }

    /// <summary>Microseconds since the epoch as a UTC DateTime; a ParquetException when outside years 1–9999.</summary>
    internal static DateTime ToTimestamp(long micros)
    {
        const long MaxMicros = (long)((9999 - 1970 + 1) * 365.2425 * 86_400_000_000L);
        if (micros > MaxMicros || micros < -DateTime.UnixEpoch.Ticks / 10) throw new ParquetException($"timestamp value {micros} (µs since 1970) is outside the years 1-9999");
        var t = DateTime.UnixEpoch.Ticks + micros * 10;
        if (t < DateTime.MinValue.Ticks || t > DateTime.MaxValue.Ticks) throw new ParquetException($"timestamp value {micros} (µs since 1970) is outside the years 1-9999");
        return new DateTime(t, DateTimeKind.Utc);
    }
}
