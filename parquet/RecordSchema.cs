namespace DigitalEconomy.Parquet;

/// <summary>
/// A declared mapping from records of type <typeparamref name="T"/> to columns, built from getter
/// delegates (no reflection in the hot path):
/// <code>
/// var schema = new RecordSchema&lt;Estimate&gt;()
///     .String("spec_id", e =&gt; e.SpecId, nullable: false)
///     .Double("estimate", e =&gt; e.Value)
///     .NullableDouble("p_value", e =&gt; e.P);
/// schema.WriteFile("specs/part-0001.parquet", estimates);
/// </code>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The methods are named after the Parquet column types.")]
public sealed class RecordSchema<T>
{
    private readonly List<ParquetField> _fields = [];
    private readonly List<Action<ParquetWriter, int, T>> _setters = [];

    private RecordSchema<T> Add(ParquetField field, Action<ParquetWriter, int, T> set)
    {
        _fields.Add(field);
        _setters.Add(set);
        return this;
    }

    /// <summary>A BOOLEAN column.</summary>
    public RecordSchema<T> Boolean(string name, Func<T, bool> get) => Add(new(name, ParquetType.Boolean, false), (w, i, r) => w.SetBoolean(i, get(r)));
    /// <summary>An INT32 column.</summary>
    public RecordSchema<T> Int32(string name, Func<T, int> get) => Add(new(name, ParquetType.Int32, false), (w, i, r) => w.SetInt32(i, get(r)));
    /// <summary>An INT64 column.</summary>
    public RecordSchema<T> Int64(string name, Func<T, long> get) => Add(new(name, ParquetType.Int64, false), (w, i, r) => w.SetInt64(i, get(r)));
    /// <summary>A DOUBLE column (NaN kept as NaN).</summary>
    public RecordSchema<T> Double(string name, Func<T, double> get) => Add(new(name, ParquetType.Double, false), (w, i, r) => w.SetDouble(i, get(r)));
    /// <summary>A nullable DOUBLE column.</summary>
    public RecordSchema<T> NullableDouble(string name, Func<T, double?> get) =>
        Add(new(name, ParquetType.Double, true), (w, i, r) => { if (get(r) is { } v) w.SetDouble(i, v); else w.SetNull(i); });
    /// <summary>A nullable INT64 column.</summary>
    public RecordSchema<T> NullableInt64(string name, Func<T, long?> get) =>
        Add(new(name, ParquetType.Int64, true), (w, i, r) => { if (get(r) is { } v) w.SetInt64(i, v); else w.SetNull(i); });
    /// <summary>A STRING column.</summary>
    public RecordSchema<T> String(string name, Func<T, string?> get, bool nullable = true) => Add(new(name, ParquetType.String, nullable), (w, i, r) => w.SetString(i, get(r)));
    /// <summary>A DATE column.</summary>
    public RecordSchema<T> Date(string name, Func<T, DateOnly> get) => Add(new(name, ParquetType.Date, false), (w, i, r) => w.SetDate(i, get(r)));
    /// <summary>A TIMESTAMP column (UTC, microseconds).</summary>
    public RecordSchema<T> Timestamp(string name, Func<T, DateTime> get) => Add(new(name, ParquetType.Timestamp, false), (w, i, r) => w.SetTimestamp(i, get(r)));

    /// <summary>The Parquet schema of the declared columns.</summary>
    public ParquetSchema Schema => new([.. _fields]);

    /// <summary>Writes the records to a stream.</summary>
    public void Write(Stream stream, IEnumerable<T> records, ParquetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var w = ParquetWriter.Create(Schema, stream, options);
        var setters = _setters.ToArray();
        foreach (var r in records)
        {
            for (int i = 0; i < setters.Length; i++) setters[i](w, i, r);
            w.EndRow();
        }
    }

    /// <summary>Writes the records to a file atomically (temporary file, flush, rename).</summary>
    public void WriteFile(string path, IEnumerable<T> records, ParquetOptions? options = null) =>
        AtomicFile.Write(path, s => Write(s, records, options));
}
