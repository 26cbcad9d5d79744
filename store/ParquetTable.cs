using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using Parquet;

using Parquet.Schema;

namespace DigitalEconomy.Store;

/// <summary>A column as `de parquet` shows it: name, type in words, nullability, and why it cannot be shown (if so).</summary>
public sealed record ParquetColumnInfo(string Name, string Type, bool Nullable, string? Refusal);

/// <summary>One column chunk's metadata (one row group, one leaf column).</summary>
public sealed record ParquetChunkInfo(int RowGroup, string Column, string Codec, IReadOnlyList<string> Encodings, long Values, long CompressedSize, long? NullCount, string? Min, string? Max);

/// <summary>Type names in words for Parquet.Net fields (DECIMAL(10,2), TIMESTAMP WITH TIME ZONE, LIST&lt;INT32&gt;, ...).</summary>
public static class ParquetTypes
{
    /// <summary>The field's type in words.</summary>
    public static string Describe(Field field) => field switch
    {
        ListField l => $"LIST<{Describe(l.Item)}>",
        MapField => "MAP",
        StructField => "STRUCT",
        DecimalDataField d => $"DECIMAL({d.Precision},{d.Scale})",
        DateTimeDataField t => t.IsAdjustedToUTC ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP",
        TimeDataField => "TIME",
        DataField d => Leaf(d.ClrType),
        _ => field.SchemaType.ToString().ToUpperInvariant(),
    };

    private static string Leaf(System.Type t) =>
        t == typeof(bool) ? "BOOLEAN" : t == typeof(sbyte) ? "INT8" : t == typeof(short) ? "INT16" : t == typeof(int) ? "INT32" : t == typeof(long) ? "INT64"
        : t == typeof(byte) ? "UINT8" : t == typeof(ushort) ? "UINT16" : t == typeof(uint) ? "UINT32" : t == typeof(ulong) ? "UINT64"
        : t == typeof(float) ? "FLOAT" : t == typeof(double) ? "DOUBLE" : t == typeof(Half) ? "FLOAT16"
        : t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? "STRING" : t == typeof(DateOnly) ? "DATE" : t == typeof(DateTime) ? "TIMESTAMP"
        : t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) ? "BLOB" : t == typeof(Guid) ? "UUID" : t == typeof(decimal) ? "DECIMAL"
        : t == typeof(System.Numerics.BigInteger) ? "INT96" : t.Name.ToUpperInvariant();
}

/// <summary>
/// Any Parquet file (ours, DuckDB's, pandas/pyarrow's, R arrow's) opened for `de parquet`: its
/// schema and chunk metadata, and its rows as values. Columns are read through Parquet.Net's column
/// API (definition and repetition levels), so NULL list elements are kept; every column is read as
/// nullable whatever the file declares. Values come boxed: numbers as their CLR type, DECIMAL as
/// <see cref="decimal"/>, DATE as <see cref="DateOnly"/>, TIMESTAMP as <see cref="DateTime"/> (Kind Utc
/// when adjusted to UTC), TIME as <see cref="TimeOnly"/>, strings, UUID as <see cref="Guid"/>, LIST as
/// <see cref="List{T}"/> of such values.
/// </summary>
public sealed class ParquetTable : IAsyncDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly ParquetReader _reader;
    private readonly Field[] _fields;

    private ParquetTable(string path, ParquetReader reader)
    {
        Path = path;
        _reader = reader;
        _fields = [.. reader.Schema.Fields];
        Columns = [.. _fields.Select(f => new ParquetColumnInfo(f.Name, ParquetTypes.Describe(f), f.IsNullable, Refusal(f)))];
    }

    /// <summary>Opens a file; not-a-Parquet-file and corrupt footers are <see cref="InputException"/>s naming it.</summary>
    public static async Task<ParquetTable> OpenAsync(string path, CancellationToken ct = default) =>
        new(path, await ParquetFormat.OpenAsync(path, ct).ConfigureAwait(false));

    /// <summary>Opens Parquet bytes from a seekable stream (owned by the table); <paramref name="name"/> names it in messages.</summary>
    public static async Task<ParquetTable> OpenAsync(Stream stream, string name, CancellationToken ct = default) =>
        new(name, await ParquetFormat.OpenAsync(stream, name, ct).ConfigureAwait(false));

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The top-level columns.</summary>
    public IReadOnlyList<ParquetColumnInfo> Columns { get; }

    /// <summary>Rows in the file.</summary>
    public long RowCount => _reader.Metadata?.NumRows ?? 0;

    /// <summary>Row groups in the file.</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>The writer's created_by.</summary>
    public string? CreatedBy => _reader.Metadata?.CreatedBy;

    /// <summary>The key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _reader.CustomMetadata;

    /// <summary>Refuses, with one line naming the first such column, a file with a column that cannot be shown as text.</summary>
    /// <exception cref="InputException">A column of a type we cannot show.</exception>
    public void EnsureShowable()
    {
        if (Columns.FirstOrDefault(c => c.Refusal is not null) is { } bad)
            throw new InputException($"{Path}: column '{bad.Name}' is {bad.Type}, {bad.Refusal}");
    }

    private static string? Refusal(Field f) => f switch
    {
        ListField { Item: DataField item } => LeafRefusal(item),
        ListField => "a nested list, which de parquet cannot show (only lists of plain values)",
        MapField or StructField => "which de parquet cannot show (flatten it first, e.g. with DuckDB)",
        DataField d => LeafRefusal(d),
        _ => "which de parquet cannot show",
    };

    private static string? LeafRefusal(DataField d)
    {
        var t = d.ClrType;
        if (t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>)) return "binary data, which de parquet cannot show as text (cast it to VARCHAR or hex first)";
        if (t == typeof(System.Numerics.BigInteger)) return "a legacy INT96 value, which de parquet cannot show (write timestamps as TIMESTAMP)";
        if (t == typeof(Parquet.File.Values.Primitives.Interval)) return "an INTERVAL, which de parquet cannot show";
        if (d is TimeDataField) return null;
        return t.IsPrimitive || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(string) || t == typeof(ReadOnlyMemory<char>) || t == typeof(Guid) || t == typeof(Half)
            ? null : $"of CLR type {t.Name}, which de parquet cannot show";
    }

    /// <summary>Every column chunk's codec, encodings, sizes and statistics.</summary>
    public IReadOnlyList<ParquetChunkInfo> Describe()
    {
        var list = new List<ParquetChunkInfo>();
        var leaves = _reader.Schema.GetDataFields();
        for (int g = 0; g < _reader.RowGroupCount; g++)
        {
            using var rg = _reader.OpenRowGroupReader(g);
            foreach (var f in leaves)
            {
                var meta = rg.GetMetadata(f)?.MetaData;
                if (meta is null) continue;
                string? min = null, max = null;
                long? nulls = meta.Statistics?.NullCount;
                try
                {
                    var st = rg.GetStatistics(f);
                    if (f.MaxRepetitionLevel == 0 && Refusal(f) is null)
                    {
                        // Parquet.Net decodes some statistics as the physical type (unscaled decimals, day numbers, signed
                        // UINT32): only values of the column's own type are shown.
                        min = st?.MinValue is { } mn && SameType(mn, f) ? Text(Box(mn, f), f) : null;
                        max = st?.MaxValue is { } mx && SameType(mx, f) ? Text(Box(mx, f), f) : null;
                    }
                }
                catch (Exception e) when (e is ParquetException or InvalidCastException or ArgumentException or NotSupportedException) { }
                list.Add(new ParquetChunkInfo(g, f.Path.ToString(), meta.Codec.ToString().ToUpperInvariant(), [.. meta.Encodings.Select(e => e.ToString())],
                    meta.NumValues, meta.TotalCompressedSize, nulls, min, max));
            }
        }
        return list;
    }

    private static bool SameType(object v, DataField f) =>
        f is not TimeDataField && (v.GetType() == f.ClrType || (v is string or ReadOnlyMemory<char> && (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>))));

    /// <summary>Reads row group <paramref name="group"/>: one array of boxed values per top-level column (null = NULL).</summary>
    /// <exception cref="InputException">A column that cannot be shown (see <see cref="EnsureShowable"/>), or a corrupt page.</exception>
    public async Task<object?[][]> ReadRowGroupAsync(int group, CancellationToken ct = default)
    {
        EnsureShowable();
        using var rg = _reader.OpenRowGroupReader(group);
        int rows = checked((int)rg.RowCount);
        var result = new object?[_fields.Length][];
        for (int c = 0; c < _fields.Length; c++)
        {
            try
            {
                result[c] = _fields[c] switch
                {
                    ListField { Item: DataField item } l => await ReadListAsync(rg, l, item, rows, ct).ConfigureAwait(false),
                    DataField d => await ReadLeafAsync(rg, d, rows, ct).ConfigureAwait(false),
                    _ => throw new InvalidOperationException("unreachable: refused above"),
                };
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or InputException))
            {
                throw new InputException($"{Path}: row group {group}, column '{_fields[c].Name}': cannot read it ({e.Message})", e);
            }
            // Parquet.Net decodes string bytes that are not UTF-8 (e.g. GBK written as raw bytes) into U+FFFD: refused, never
            // read as such; a U+FFFD written on purpose is refused too (it is the trace of an earlier lossy decoding).
            if (FirstReplacement(result[c]) is int bad)
                throw new InputException($"{Path}: row group {group}, column '{_fields[c].Name}', row {RowsBefore(group) + bad + 1}: a string that is not valid UTF-8 (read as U+FFFD); write the column as UTF-8");
        }
        return result;
    }

    private static int? FirstReplacement(object?[] column)
    {
        static bool Bad(object? v) => v is string s && s.Contains('\uFFFD', StringComparison.Ordinal);
        for (int i = 0; i < column.Length; i++)
            if (Bad(column[i]) || (column[i] is List<object?> list && list.Exists(Bad))) return i;
        return null;
    }

    private long RowsBefore(int group)
    {
        long n = 0;
        for (int g = 0; g < group; g++) n += _reader.Metadata!.RowGroups[g].NumRows;
        return n;
    }

    private static async Task<object?[]> ReadLeafAsync(ParquetRowGroupReader rg, DataField f, int rows, CancellationToken ct)
    {
        Array values;
        int[]? dl;
        try { (values, dl, _) = await ReadLevelsAsync(rg, f, ct).ConfigureAwait(false); }
        catch (NotSupportedException) when (f.MaxRepetitionLevel == 0 && rg.GetMetadata(f)?.MetaData?.Type is Parquet.Meta.Type.INT32 or Parquet.Meta.Type.INT64)
        {
            // Parquet.Net 6.1.0 decodes DELTA_BINARY_PACKED (DuckDB's PARQUET_VERSION V2) only into int and long, not
            // into DECIMAL, DATE, TIMESTAMP or the small integer types: read the physical integers, then convert.
            (values, dl) = await ReadPhysicalAsync(rg, f, ct).ConfigureAwait(false);
        }
        var result = new object?[rows];
        int vi = 0;
        for (int i = 0; i < rows; i++)
            result[i] = dl is null || dl[i] == f.MaxDefinitionLevel ? Box(values.GetValue(vi++)!, f) : null;
        return result;
    }

    private static async Task<(Array Values, int[]? Dl)> ReadPhysicalAsync(ParquetRowGroupReader rg, DataField f, CancellationToken ct)
    {
        bool is32 = rg.GetMetadata(f)!.MetaData!.Type == Parquet.Meta.Type.INT32;
        DataField plain = is32 ? new DataField<int>(f.Name, f.IsNullable) : new DataField<long>(f.Name, f.IsNullable);
        _ = new ParquetSchema(plain); // sets the field's path and definition level as in the file (top-level column)
        var (raw, dl, _) = is32 ? await Levels<int>(rg, plain, ct).ConfigureAwait(false) : await Levels<long>(rg, plain, ct).ConfigureAwait(false);
        decimal unit = 1;
        if (f is DecimalDataField dec) for (int k = 0; k < dec.Scale; k++) unit *= 10;
        var epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var values = Array.CreateInstance(f.ClrType, raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            long v = Convert.ToInt64(raw.GetValue(i), CultureInfo.InvariantCulture);
            object converted = f switch
            {
                DecimalDataField => v / unit,
                DateTimeDataField t => epoch.AddTicks(t.Unit switch { DateTimeTimeUnit.Millis => v * 10_000, DateTimeTimeUnit.Nanos => v / 100, _ => v * 10 }),
                _ when f.ClrType == typeof(DateOnly) => DateOnly.FromDayNumber(DateOnly.FromDateTime(epoch).DayNumber + (int)v),
                _ when f.ClrType == typeof(sbyte) => unchecked((sbyte)v),
                _ when f.ClrType == typeof(short) => unchecked((short)v),
                _ when f.ClrType == typeof(byte) => unchecked((byte)v),
                _ when f.ClrType == typeof(ushort) => unchecked((ushort)v),
                _ when f.ClrType == typeof(uint) => unchecked((uint)v),
                _ when f.ClrType == typeof(ulong) => unchecked((ulong)v),
                _ => throw new NotSupportedException($"{ParquetTypes.Describe(f)} in DELTA_BINARY_PACKED"),
            };
            values.SetValue(converted, i);
        }
        return (values, dl);
    }

    /// <summary>A LIST column from its leaf's levels: definition below the list's own level is a NULL list, equal to it an empty list, below the leaf's maximum a NULL element.</summary>
    private static async Task<object?[]> ReadListAsync(ParquetRowGroupReader rg, ListField list, DataField item, int rows, CancellationToken ct)
    {
        var (values, dl, rl) = await ReadLevelsAsync(rg, item, ct).ConfigureAwait(false);
        int listLevel = list.IsNullable ? 1 : 0;
        var result = new object?[rows];
        int row = -1, vi = 0;
        List<object?>? current = null;
        for (int k = 0; k < dl!.Length; k++)
        {
            if (rl is null || rl[k] == 0)
            {
                row++;
                if (row >= rows) throw new InvalidDataException($"more list rows than the row group's {rows}");
                if (dl[k] < listLevel) { result[row] = current = null; continue; }
                result[row] = current = [];
                if (dl[k] == listLevel) continue;
            }
            if (current is null) throw new InvalidDataException("a repeated value follows a NULL list");
            current.Add(dl[k] == item.MaxDefinitionLevel ? Box(values.GetValue(vi++)!, item) : null);
        }
        if (row != rows - 1) throw new InvalidDataException($"{row + 1} list rows for {rows} rows");
        return result;
    }

    private static Task<(Array Values, int[]? Dl, int[]? Rl)> ReadLevelsAsync(ParquetRowGroupReader rg, DataField f, CancellationToken ct)
    {
        var t = f.ClrType;
        return t == typeof(bool) ? Levels<bool>(rg, f, ct) : t == typeof(sbyte) ? Levels<sbyte>(rg, f, ct) : t == typeof(short) ? Levels<short>(rg, f, ct)
            : t == typeof(int) ? Levels<int>(rg, f, ct) : t == typeof(long) ? Levels<long>(rg, f, ct) : t == typeof(byte) ? Levels<byte>(rg, f, ct)
            : t == typeof(ushort) ? Levels<ushort>(rg, f, ct) : t == typeof(uint) ? Levels<uint>(rg, f, ct) : t == typeof(ulong) ? Levels<ulong>(rg, f, ct)
            : t == typeof(float) ? Levels<float>(rg, f, ct) : t == typeof(double) ? Levels<double>(rg, f, ct) : t == typeof(Half) ? Levels<Half>(rg, f, ct)
            : t == typeof(decimal) ? Levels<decimal>(rg, f, ct) : t == typeof(DateOnly) ? Levels<DateOnly>(rg, f, ct) : t == typeof(DateTime) ? Levels<DateTime>(rg, f, ct)
            : t == typeof(Guid) ? Levels<Guid>(rg, f, ct) : t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? Levels<ReadOnlyMemory<char>>(rg, f, ct)
            : throw new NotSupportedException($"type {t.Name}");
    }

    private static async Task<(Array Values, int[]? Dl, int[]? Rl)> Levels<T>(ParquetRowGroupReader rg, DataField f, CancellationToken ct) where T : struct
    {
        long n = rg.GetMetadata(f)?.MetaData?.NumValues ?? throw new InvalidDataException("no column chunk metadata");
        var values = new T[n];
        int[]? dl = f.MaxDefinitionLevel > 0 ? new int[n] : null;
        int[]? rl = f.MaxRepetitionLevel > 0 ? new int[n] : null;
        await rg.ReadRawAsync(f, values.AsMemory(), dl is null ? (Memory<int>?)null : dl.AsMemory(), rl is null ? (Memory<int>?)null : rl.AsMemory(), ct).ConfigureAwait(false);
        return (values, dl, rl);
    }

    /// <summary>A raw Parquet.Net value as the boxed value this class hands out.</summary>
    private static object Box(object v, DataField f) => v switch
    {
        ReadOnlyMemory<char> m => m.ToString(),
        DateTime t when f is DateTimeDataField { IsAdjustedToUTC: true } => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
        int ms when f is TimeDataField => TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(ms)),
        long us when f is TimeDataField td => TimeOnly.FromTimeSpan(td.Precision == TimeUnitPrecision.Nanos ? TimeSpan.FromTicks(us / 100) : TimeSpan.FromMicroseconds(us)),
        _ => v,
    };

    /// <summary>A value as text (CSV cell, terminal): doubles in shortest round-trip form, DECIMAL with its scale, dates ISO 8601, timestamps with 'Z' when in UTC, lists as JSON; NULL is null.</summary>
    public string? Text(object? value, int column) => Text(value, _fields[column]);

    private static string? Text(object? value, Field f) => value switch
    {
        null => null,
        List<object?> list => Json(list, f is ListField { Item: DataField item } ? item : f),
        _ => Scalar(value, f),
    };

    private static string Scalar(object v, Field f) => v switch
    {
        double d => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Inf" : double.IsNegativeInfinity(d) ? "-Inf" : d.ToString("R", Inv),
        float x => float.IsNaN(x) ? "NaN" : float.IsPositiveInfinity(x) ? "Inf" : float.IsNegativeInfinity(x) ? "-Inf" : x.ToString("R", Inv),
        Half h => Scalar((float)h, f),
        bool b => b ? "true" : "false",
        decimal m => m.ToString(f is DecimalDataField dd ? "F" + dd.Scale.ToString(Inv) : "G", Inv),
        DateOnly d => d.ToString("yyyy-MM-dd", Inv),
        DateTime t => t.ToString(Fraction(f, "yyyy-MM-dd'T'HH:mm:ss"), Inv) + (t.Kind == DateTimeKind.Utc ? "Z" : ""),
        TimeOnly t => t.ToString(Fraction(f, "HH:mm:ss"), Inv),
        Guid g => g.ToString("D"),
        IFormattable n => n.ToString(null, Inv),
        _ => v.ToString() ?? "",
    };

    private static string Fraction(Field f, string format) => f switch
    {
        DateTimeDataField { Unit: DateTimeTimeUnit.Millis } or TimeDataField { Precision: TimeUnitPrecision.Millis } => format + ".fff",
        DateTimeDataField { Unit: DateTimeTimeUnit.Nanos } or TimeDataField { Precision: TimeUnitPrecision.Nanos } => format + ".fffffff",
        _ => format + ".ffffff",
    };

    private static string Json(List<object?> list, Field item)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0) sb.Append(',');
            var v = list[i];
            if (v is null) { sb.Append("null"); continue; }
            string s = Scalar(v, item);
            bool number = v is sbyte or short or int or long or byte or ushort or uint or ulong or decimal || (v is double or float or Half && s is not ("NaN" or "Inf" or "-Inf"));
            if (number || v is bool) sb.Append(s);
            else sb.Append(JsonText.Quote(s));
        }
        return sb.Append(']').ToString();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
