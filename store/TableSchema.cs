using Parquet;
using Parquet.Schema;
using DigitalEconomy.Core;

namespace DigitalEconomy.Store;

/// <summary>
/// The declared schema of one result table: its columns (name, type, nullability) with the getter
/// that writes each and the function that builds a record back from a row read by column name.
/// The same declaration writes every part and the aggregate of the table and reads them, so every
/// file of one table has one schema. Every file carries the key
/// <see cref="SchemaVersionKey"/> with <see cref="Version"/> in its key-value metadata.
/// <code>
/// var t = new TableSchema&lt;Row&gt;("specs", "2")
///     .Text("spec_id", r =&gt; r.Id, nullable: false)
///     .NullableDouble("estimate", r =&gt; r.Estimate)
///     .Reads(row =&gt; new Row(row.Text("spec_id")!, row.NullableDouble("estimate")));
/// await t.WriteFileAsync("specs.parquet", rows);
/// var back = await t.ReadFileAsync("specs.parquet");
/// </code>
/// </summary>
/// <typeparam name="T">The record of one row.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The methods are named after the column types.")]
public sealed class TableSchema<T>
{
    /// <summary>The key-value metadata key that carries the schema version.</summary>
    public const string SchemaVersionKey = "digitaleconomy.schema_version";

    /// <summary>Rows per row group (a table larger than this is written in several, deterministically).</summary>
    public const int RowGroupRows = 1 << 20;

    private readonly List<TableColumn<T>> _columns = [];
    private readonly HashSet<string> _optional = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _formerly = new(StringComparer.Ordinal);
    private Func<TableRow, T>? _read;

    /// <summary>Declares a table named <paramref name="name"/> (for messages) at schema version <paramref name="version"/>.</summary>
    public TableSchema(string name, string version)
    {
        Name = name;
        Version = version;
    }

    /// <summary>The table's name, used in messages.</summary>
    public string Name { get; }

    /// <summary>The schema version written into every file's metadata.</summary>
    public string Version { get; }

    /// <summary>Columns renamed in a later schema version: today's name → the name older files carry (read under either).</summary>
    public IReadOnlyDictionary<string, string> Renamed => _formerly;

    /// <summary>Declares that <paramref name="name"/> was called <paramref name="formerly"/> in older files: they read as if it were today's name.</summary>
    public TableSchema<T> Formerly(string name, string formerly)
    {
        if (_columns.All(c => c.Name != name)) throw new ArgumentException($"table {Name} has no column '{name}'", nameof(name));
        _formerly[name] = formerly;
        return this;
    }

    /// <summary>The declared columns in file order.</summary>
    public IReadOnlyList<TableColumn<T>> Columns => _columns;

    /// <summary>The Parquet schema of the declared columns.</summary>
    /// <remarks>
    /// A new schema of new fields each time: Parquet.Net sets a field's path and definition level when a schema is built from
    /// it, so fields shared by concurrent writers of one table could be read half-set (a nullable column's definition levels
    /// written as 1/2 instead of 0/1 was seen in a silo test that wrote analyses.parquet from several runs at once).
    /// </remarks>
    public ParquetSchema ParquetSchema => new(_columns.Select(c => (Field)c.NewField()));

    private TableSchema<T> Add(TableColumn<T> column)
    {
        if (_columns.Any(c => c.Name == column.Name)) throw new ArgumentException($"column '{column.Name}' is declared twice in table {Name}", nameof(column));
        _columns.Add(column);
        return this;
    }

    /// <summary>A UTF-8 string column.</summary>
    public TableSchema<T> Text(string name, Func<T, string?> get, bool nullable = true) => Add(new TextColumn<T>(name, nullable, get));

    /// <summary>A UTF-8 string column added in a later schema version: a file written before it reads as all null.</summary>
    public TableSchema<T> OptionalText(string name, Func<T, string?> get)
    {
        Add(new TextColumn<T>(name, true, get));
        _optional.Add(name);
        return this;
    }

    /// <summary>A required INT64 column.</summary>
    public TableSchema<T> Int64(string name, Func<T, long> get) => Add(new ValueColumn<T, long>(name, x => get(x)));

    /// <summary>An optional INT64 column.</summary>
    public TableSchema<T> NullableInt64(string name, Func<T, long?> get) => Add(new ValueColumn<T, long>(name, get, nullable: true));

    /// <summary>A required DOUBLE column (NaN is written as NaN).</summary>
    public TableSchema<T> Double(string name, Func<T, double> get) => Add(new ValueColumn<T, double>(name, x => get(x)));

    /// <summary>An optional DOUBLE column.</summary>
    public TableSchema<T> NullableDouble(string name, Func<T, double?> get) => Add(new ValueColumn<T, double>(name, get, nullable: true));

    /// <summary>How a record is built from a row read by column name.</summary>
    public TableSchema<T> Reads(Func<TableRow, T> read)
    {
        _read = read;
        return this;
    }

    /// <summary>Writes the rows to a stream (left open).</summary>
    public async Task WriteAsync(Stream stream, IReadOnlyList<T> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var schema = ParquetSchema;
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetFormat.Writer(), false, ct).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { [SchemaVersionKey] = Version };
        var fields = schema.GetDataFields();
        // An empty table still gets one (empty) row group, so that readers see its columns' types.
        for (int start = 0; start == 0 || start < rows.Count; start += RowGroupRows)
        {
            int count = Math.Min(RowGroupRows, rows.Count - start);
            using var rg = writer.CreateRowGroup();
            for (int c = 0; c < _columns.Count; c++)
                await _columns[c].WriteAsync(rg, fields[c], rows, start, count, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the rows to a file atomically (temporary file in the same folder, flushed, renamed).</summary>
    public Task WriteFileAsync(string path, IEnumerable<T> rows, CancellationToken ct = default)
    {
        var list = rows as IReadOnlyList<T> ?? rows.ToList();
        return AtomicFile.WriteAsync(path, s => WriteAsync(s, list, ct));
    }

    /// <summary>Reads a file of this table by column name (extra columns are ignored; a missing one is an error naming it).</summary>
    /// <exception cref="InputException">Not a Parquet file, a missing column, or a column of another type.</exception>
    public async Task<List<T>> ReadFileAsync(string path, CancellationToken ct = default)
    {
        var read = _read ?? throw new InvalidOperationException($"table {Name} declares no Reads(...) function");
        await using var reader = await ParquetFormat.OpenAsync(path, ct).ConfigureAwait(false);
        var fileFields = reader.Schema.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        // A column renamed since the file was written is read under its former name.
        foreach (var (name, old) in _formerly)
            if (!fileFields.ContainsKey(name) && fileFields.Remove(old, out var former)) fileFields[name] = former;
        var missing = _columns.Where(c => !fileFields.ContainsKey(c.Name) && !_optional.Contains(c.Name)).Select(c => c.Name).ToList();
        var absent = _columns.Where(c => !fileFields.ContainsKey(c.Name)).ToList();
        if (missing.Count > 0)
            throw new InputException($"{path}: no column {string.Join(", ", missing)} (written by another schema version? this reader expects {Name} version {Version})");
        var values = new Dictionary<string, Array>(StringComparer.Ordinal);
        var parts = _columns.ToDictionary(c => c.Name, _ => new List<Array>(), StringComparer.Ordinal);
        long total = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            total += rg.RowCount;
            foreach (var c in _columns.Except(absent))
            {
                if (fileFields[c.Name] is not DataField f || f.MaxRepetitionLevel > 0 || !c.Accepts(f))
                    throw new InputException($"{path}: column '{c.Name}' is {ParquetTypes.Describe(fileFields[c.Name])}; table {Name} expects {c.TypeName}");
                try { parts[c.Name].Add(await c.ReadAsync(rg, f, path, ct).ConfigureAwait(false)); }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or InputException))
                {
                    throw new InputException($"{path}: row group {g}, column '{c.Name}': cannot read it ({e.Message.ReplaceLineEndings(" ")})", e);
                }
            }
        }
        foreach (var c in _columns) values[c.Name] = absent.Contains(c) ? new string?[total] : c.Concat(parts[c.Name], (int)total);
        var rows = new List<T>((int)total);
        for (int i = 0; i < total; i++) rows.Add(read(new TableRow(values, i, path)));
        return rows;
    }
}

/// <summary>One row of a table being read: its cells by column name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The methods are named after the column types.")]
public readonly struct TableRow
{
    private readonly IReadOnlyDictionary<string, Array> _values;
    private readonly string _source;

    internal TableRow(IReadOnlyDictionary<string, Array> values, int index, string source)
    {
        _values = values;
        Index = index;
        _source = source;
    }

    /// <summary>The row's position in the file (0-based).</summary>
    public int Index { get; }

    private Array Column(string name) => _values.TryGetValue(name, out var a) ? a : throw new InvalidOperationException($"column '{name}' is not declared");

    /// <summary>A string cell (null when missing).</summary>
    public string? Text(string column) => ((string?[])Column(column))[Index];

    /// <summary>A string cell that must be present.</summary>
    public string RequiredText(string column) => Text(column) ?? throw new InputException($"{_source}: row {Index + 1}, column '{column}': missing value in a required column");

    /// <summary>An INT64 cell that must be present.</summary>
    public long Int64(string column) => NullableInt64(column) ?? throw new InputException($"{_source}: row {Index + 1}, column '{column}': missing value in a required column");

    /// <summary>An INT64 cell (null when missing).</summary>
    public long? NullableInt64(string column) => ((long?[])Column(column))[Index];

    /// <summary>A DOUBLE cell that must be present.</summary>
    public double Double(string column) => NullableDouble(column) ?? throw new InputException($"{_source}: row {Index + 1}, column '{column}': missing value in a required column");

    /// <summary>A DOUBLE cell (null when missing).</summary>
    public double? NullableDouble(string column) => ((double?[])Column(column))[Index];
}

/// <summary>A declared column: its Parquet field, how it is written from a record and read back.</summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class TableColumn<T>
{
    private readonly Func<DataField> _newField;

    private protected TableColumn(Func<DataField> newField)
    {
        _newField = newField;
        Field = newField();
    }

    /// <summary>The declared Parquet field (name, type, nullability), never attached to a schema; each write builds its own (<see cref="NewField"/>).</summary>
    public DataField Field { get; }

    /// <summary>A new field like <see cref="Field"/>, for one schema.</summary>
    internal DataField NewField() => _newField();

    /// <summary>The column's name.</summary>
    public string Name => Field.Name;

    /// <summary>The declared type, for messages.</summary>
    public string TypeName => ParquetTypes.Describe(Field) + (Field.IsNullable ? "" : " NOT NULL");

    internal abstract bool Accepts(DataField fileField);
    internal abstract Task WriteAsync(ParquetRowGroupWriter rg, DataField field, IReadOnlyList<T> rows, int start, int count, CancellationToken ct);
    internal abstract Task<Array> ReadAsync(ParquetRowGroupReader rg, DataField fileField, string path, CancellationToken ct);
    internal abstract Array Concat(List<Array> parts, int total);

    private protected static TArr[] ConcatArrays<TArr>(List<Array> parts, int total)
    {
        var all = new TArr[total];
        int at = 0;
        foreach (TArr[] p in parts) { p.CopyTo(all, at); at += p.Length; }
        return all;
    }
}

internal sealed class TextColumn<T>(string name, bool nullable, Func<T, string?> get) : TableColumn<T>(() => new DataField<string>(name, nullable))
{
    internal override bool Accepts(DataField fileField) => fileField.ClrType == typeof(string) || fileField.ClrType == typeof(ReadOnlyMemory<char>);

    internal override Task WriteAsync(ParquetRowGroupWriter rg, DataField field, IReadOnlyList<T> rows, int start, int count, CancellationToken ct)
    {
        var values = new string?[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = get(rows[start + i]);
            if (values[i] is null && !Field.IsNullable) throw new InvalidOperationException($"column '{Name}' is required but row {start + i} has no value");
        }
        return rg.WriteAsync(field, values);
    }

    internal override async Task<Array> ReadAsync(ParquetRowGroupReader rg, DataField fileField, string path, CancellationToken ct)
    {
        var values = new string?[rg.RowCount];
        await rg.ReadAsync(fileField, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values;
    }

    internal override Array Concat(List<Array> parts, int total) => ConcatArrays<string?>(parts, total);
}

internal sealed class ValueColumn<T, TValue> : TableColumn<T> where TValue : struct
{
    private readonly Func<T, TValue?> _get;

    public ValueColumn(string name, Func<T, TValue?> get, bool nullable = false) : base(() => new DataField<TValue>(name, nullable)) => _get = get;

    internal override bool Accepts(DataField fileField) => fileField.ClrType == typeof(TValue);

    internal override Task WriteAsync(ParquetRowGroupWriter rg, DataField field, IReadOnlyList<T> rows, int start, int count, CancellationToken ct)
    {
        if (Field.IsNullable)
        {
            var values = new TValue?[count];
            for (int i = 0; i < count; i++) values[i] = _get(rows[start + i]);
            return rg.WriteAsync(field, (ReadOnlyMemory<TValue?>)values, null, null, ct);
        }
        var required = new TValue[count];
        for (int i = 0; i < count; i++)
            required[i] = _get(rows[start + i]) ?? throw new InvalidOperationException($"column '{Name}' is required but row {start + i} has no value");
        return rg.WriteAsync(field, (ReadOnlyMemory<TValue>)required, null, null, ct);
    }

    internal override async Task<Array> ReadAsync(ParquetRowGroupReader rg, DataField fileField, string path, CancellationToken ct)
    {
        var values = new TValue?[rg.RowCount];
        if (fileField.IsNullable) await rg.ReadAsync(fileField, values.AsMemory(), null, ct).ConfigureAwait(false);
        else
        {
            var plain = new TValue[rg.RowCount];
            await rg.ReadAsync(fileField, plain.AsMemory(), null, ct).ConfigureAwait(false);
            for (int i = 0; i < plain.Length; i++) values[i] = plain[i];
        }
        return values;
    }

    internal override Array Concat(List<Array> parts, int total) => ConcatArrays<TValue?>(parts, total);
}
