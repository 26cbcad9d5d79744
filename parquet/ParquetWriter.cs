using System.Text;

namespace DigitalEconomy.Parquet;

/// <summary>
/// Writes a flat Parquet file row by row: set every column of a row (<c>SetDouble</c>, <c>SetString</c>,
/// <c>SetNull</c>…), call <see cref="EndRow"/>; a row group is written whenever
/// <see cref="ParquetOptions.RowGroupSize"/> rows are buffered, so memory stays bounded. Pages are
/// data page v1 with RLE definition levels; PLAIN or, for low-cardinality chunks, RLE_DICTIONARY
/// values; statistics (min_value, max_value, null_count, with the specification's NaN and ±0 rules
/// and unsigned byte order for strings) on every page and column chunk. Dispose (or
/// <see cref="Close"/>) writes the footer; the stream is left open.
/// </summary>
public sealed class ParquetWriter : IDisposable, IAsyncDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly Stream _stream;
    private readonly ParquetOptions _options;
    private readonly ColumnBuilder[] _columns;
    private readonly FileMeta _meta = new();
    private readonly Codec _codec;
    private long _offset;
    private int _rows;
    private bool _closed;

    private ParquetWriter(ParquetSchema schema, Stream stream, ParquetOptions options)
    {
        Schema = schema;
        _stream = stream;
        _options = options;
        _codec = options.Compression switch { ParquetCompression.None => Codec.Uncompressed, ParquetCompression.Gzip => Codec.Gzip, _ => Codec.Snappy };
        _columns = schema.Fields.Select(f => new ColumnBuilder(f)).ToArray();
        _meta.Schema.Add(new SchemaElement { Name = "schema", NumChildren = schema.Fields.Count });
        foreach (var f in schema.Fields) _meta.Schema.Add(Element(f));
        _meta.CreatedBy = options.CreatedBy;
        _meta.ColumnOrders = schema.Fields.Count;
        foreach (var (k, v) in options.Metadata) _meta.KeyValues.Add(new(k, v));
        Write(Magic);
    }

    /// <summary>The schema being written.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Rows written so far (including buffered ones).</summary>
    public long RowCount => _meta.NumRows + _rows;

    /// <summary>Starts a file on <paramref name="stream"/> (which must be writable; it is not closed).</summary>
    public static ParquetWriter Create(ParquetSchema schema, Stream stream, ParquetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new ParquetOptions();
        options.Validate();
        if (!stream.CanWrite) throw new ArgumentException("The stream is not writable.", nameof(stream));
        return new ParquetWriter(schema, stream, options);
    }

    /// <summary>Async factory, for symmetry with <see cref="DisposeAsync"/>.</summary>
    public static Task<ParquetWriter> CreateAsync(ParquetSchema schema, Stream stream, ParquetOptions? options = null) =>
        Task.FromResult(Create(schema, stream, options));

    private static SchemaElement Element(ParquetField f)
    {
        var e = new SchemaElement { Name = f.Name, RepetitionType = f.Nullable ? Repetition.Optional : Repetition.Required };
        switch (f.Type)
        {
            case ParquetType.Boolean: e.Type = PhysicalType.Boolean; break;
            case ParquetType.Int32: e.Type = PhysicalType.Int32; break;
            case ParquetType.Int64: e.Type = PhysicalType.Int64; break;
            case ParquetType.Float: e.Type = PhysicalType.Float; break;
            case ParquetType.Double: e.Type = PhysicalType.Double; break;
            case ParquetType.String: e.Type = PhysicalType.ByteArray; e.ConvertedType = 0; e.Logical = 1; break;
            case ParquetType.Date: e.Type = PhysicalType.Int32; e.ConvertedType = 6; e.Logical = 6; break;
            case ParquetType.Timestamp: e.Type = PhysicalType.Int64; e.ConvertedType = 10; e.Logical = 8; e.TimestampUtc = true; e.TimestampUnit = 2; break;
        }
        return e;
    }

    /// <summary>Sets a BOOLEAN column of the current row.</summary>
    public void SetBoolean(int column, bool value) => _columns[column].Add(value);
    /// <summary>Sets an INT32 column of the current row.</summary>
    public void SetInt32(int column, int value) => _columns[column].AddInt32(value, ParquetType.Int32);
    /// <summary>Sets an INT64 column of the current row.</summary>
    public void SetInt64(int column, long value) => _columns[column].AddInt64(value, ParquetType.Int64);
    /// <summary>Sets a FLOAT column of the current row.</summary>
    public void SetFloat(int column, float value) => _columns[column].Add(value);
    /// <summary>Sets a DOUBLE column of the current row (NaN and ±∞ are stored as they are).</summary>
    public void SetDouble(int column, double value) => _columns[column].Add(value);
    /// <summary>Sets a STRING column of the current row (null writes a null).</summary>
    public void SetString(int column, string? value) => _columns[column].Add(value);
    /// <summary>Sets a DATE column of the current row.</summary>
    public void SetDate(int column, DateOnly value) => _columns[column].AddInt32(value.DayNumber - ParquetColumn.Epoch.DayNumber, ParquetType.Date);
    /// <summary>Sets a TIMESTAMP column (microsecond precision; the value is converted to UTC).</summary>
    public void SetTimestamp(int column, DateTime value) =>
        _columns[column].AddInt64((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks / 10 - DateTime.UnixEpoch.Ticks / 10, ParquetType.Timestamp);
    /// <summary>Sets a column of the current row to null (the field must be nullable).</summary>
    public void SetNull(int column) => _columns[column].Null();

    /// <summary>Completes the current row; writes a row group when it is full.</summary>
    /// <exception cref="InvalidOperationException">A column was not set, or set twice, in this row.</exception>
    public void EndRow()
    {
        foreach (var c in _columns)
            if (c.Count != _rows + 1)
                throw new InvalidOperationException($"Row {RowCount + 1}: column '{c.Field.Name}' was set {c.Count - _rows} times; set every column exactly once per row.");
        _rows++;
        if (_rows >= _options.RowGroupSize) FlushRowGroup();
    }

    /// <summary>Writes the buffered rows and the footer. Further writes are an error.</summary>
    public void Close()
    {
        if (_closed) return;
        if (_columns.Any(c => c.Count != _rows)) throw new InvalidOperationException("The last row is incomplete; call EndRow after setting every column.");
        if (_rows > 0) FlushRowGroup();
        _closed = true;
        var footer = _meta.Serialize();
        Write(footer);
        Write(BitConverter.GetBytes(footer.Length));
        Write(Magic);
        _stream.Flush();
    }

    /// <inheritdoc/>
    public void Dispose() => Close();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _offset += bytes.Length;
    }

    private void FlushRowGroup()
    {
        var group = new RowGroupMeta { NumRows = _rows };
        foreach (var c in _columns)
        {
            long start = _offset;
            group.ColumnFileOffsets.Add(start);
            var meta = WriteChunk(c);
            group.Columns.Add(meta);
            group.TotalByteSize += meta.TotalUncompressedSize;
            c.Reset();
        }
        _meta.RowGroups.Add(group);
        _meta.NumRows += _rows;
        _rows = 0;
    }

    private ColumnMeta WriteChunk(ColumnBuilder c)
    {
        var e = Element(c.Field);
        var meta = new ColumnMeta { Type = e.Type!.Value, Path = [c.Field.Name], Codec = _codec, NumValues = c.Count };
        long uncompressed = 0, compressed = 0;
        var dict = BuildDictionary(c);
        if (dict is not null)
        {
            var body = new ByteBuffer();
            EncodePlain(c, dict.Value.Rows, body);
            meta.DictionaryPageOffset = _offset;
            (long u, long z) = WritePage(new PageHeader { Type = PageType.DictionaryPage, NumValues = dict.Value.Rows.Length }, body.Span);
            uncompressed += u; compressed += z;
            meta.Encodings = [Enc.Plain, Enc.Rle, Enc.RleDictionary];
        }
        else meta.Encodings = [Enc.Plain, Enc.Rle];
        meta.DataPageOffset = _offset;
        StatisticsMeta? chunkStats = null;
        var levels = new int[Math.Min(_options.PageRows, Math.Max(1, c.Count))];
        for (int from = 0; from < c.Count || (from == 0 && c.Count == 0); from += _options.PageRows)
        {
            int to = Math.Min(c.Count, from + _options.PageRows);
            var body = new ByteBuffer();
            if (c.Field.Nullable)
            {
                for (int i = from; i < to; i++) levels[i - from] = c.Nulls[i] ? 0 : 1;
                var lv = new ByteBuffer();
                RleHybrid.Encode(levels.AsSpan(0, to - from), 1, lv);
                Le.I32(body, lv.Length);
                body.Write(lv.Span);
            }
            bool contiguous = c.NullCount == 0;
            int[]? rows = null;
            if (!contiguous)
            {
                var list = new List<int>(to - from);
                for (int i = from; i < to; i++) if (!c.Nulls[i]) list.Add(i);
                rows = [.. list];
            }
            if (dict is not null)
            {
                var idx = rows is null ? dict.Value.Index.AsSpan(from, to - from).ToArray() : rows.Select(r => dict.Value.Index[r]).ToArray();
                int bw = Math.Max(1, RleHybrid.BitWidth(dict.Value.Rows.Length - 1));
                body.WriteByte((byte)bw);
                RleHybrid.Encode(idx, bw, body);
            }
            else if (rows is null) EncodePlain(c, from, to, body);
            else EncodePlain(c, rows, body);
            var pageStats = Statistics.Compute(c, from, to);
            chunkStats = chunkStats is null ? pageStats : Statistics.Merge(c.Field.Type, chunkStats, pageStats);
            var header = new PageHeader
            {
                Type = PageType.DataPage,
                NumValues = to - from,
                Encoding = dict is not null ? Enc.RleDictionary : Enc.Plain,
                Statistics = pageStats,
            };
            (long u, long z) = WritePage(header, body.Span);
            uncompressed += u; compressed += z;
            if (c.Count == 0) break;
        }
        meta.TotalUncompressedSize = uncompressed;
        meta.TotalCompressedSize = compressed;
        meta.Statistics = chunkStats ?? Statistics.Compute(c, 0, c.Count);
        return meta;
    }

    private (long Uncompressed, long Compressed) WritePage(PageHeader header, ReadOnlySpan<byte> body)
    {
        var data = Codecs.Compress(_codec, body);
        header.UncompressedSize = body.Length;
        header.CompressedSize = data.Length;
        var h = header.Serialize();
        Write(h);
        Write(data);
        return (h.Length + body.Length, h.Length + data.Length);
    }

    /// <summary>Dictionary for a chunk: distinct values (as the row of their first occurrence) and each row's index.</summary>
    private (int[] Rows, int[] Index)? BuildDictionary(ColumnBuilder c)
    {
        int nonNull = c.Count - c.NullCount;
        if (_options.DictionaryRatio <= 0 || c.Field.Type == ParquetType.Boolean || nonNull < 16) return null;
        int limit = (int)Math.Min(65_536, nonNull * _options.DictionaryRatio);
        if (!LooksLowCardinality(c, limit)) return null;
        var index = new int[c.Count];
        var firstRows = new List<int>();
        bool Fill<T>(Func<int, T> key, IEqualityComparer<T>? cmp = null) where T : notnull
        {
            var map = new Dictionary<T, int>(cmp);
            for (int i = 0; i < c.Count; i++)
            {
                if (c.Nulls[i]) continue;
                var k = key(i);
                if (!map.TryGetValue(k, out int id))
                {
                    if (map.Count >= limit) return false;
                    id = map.Count;
                    map[k] = id;
                    firstRows.Add(i);
                }
                index[i] = id;
            }
            return true;
        }
        bool ok = c.Field.Type switch
        {
            ParquetType.Int32 or ParquetType.Date => Fill(i => c.Ints![i]),
            ParquetType.Int64 or ParquetType.Timestamp => Fill(i => c.Longs![i]),
            ParquetType.Float => Fill(i => BitConverter.SingleToInt32Bits(c.Floats![i])),
            ParquetType.Double => Fill(i => BitConverter.DoubleToInt64Bits(c.Doubles![i])),
            _ => Fill(i => c.Strings![i]!, StringComparer.Ordinal),
        };
        return ok ? ([.. firstRows], index) : null;
    }

    /// <summary>
    /// Cheap probe before building a dictionary: among the first 4 096 non-null values, the distinct
    /// count must stay within the ratio (high-cardinality columns such as measurements fail fast).
    /// </summary>
    private bool LooksLowCardinality(ColumnBuilder c, int limit)
    {
        const int Probe = 4096;
        var seen = new HashSet<long>();
        var seenText = new HashSet<string>(StringComparer.Ordinal);
        int looked = 0;
        for (int i = 0; i < c.Count && looked < Probe; i++)
        {
            if (c.Nulls[i]) continue;
            looked++;
            switch (c.Field.Type)
            {
                case ParquetType.Int32 or ParquetType.Date: seen.Add(c.Ints![i]); break;
                case ParquetType.Int64 or ParquetType.Timestamp: seen.Add(c.Longs![i]); break;
                case ParquetType.Float: seen.Add(BitConverter.SingleToInt32Bits(c.Floats![i])); break;
                case ParquetType.Double: seen.Add(BitConverter.DoubleToInt64Bits(c.Doubles![i])); break;
                default: seenText.Add(c.Strings![i]!); break;
            }
        }
        int distinct = seen.Count + seenText.Count;
        return distinct <= limit && distinct <= looked * _options.DictionaryRatio;
    }

    private static void EncodePlain(ColumnBuilder c, int from, int to, ByteBuffer o)
    {
        // Fast path for a null-free range of a fixed-width type on a little-endian machine: one copy.
        if (BitConverter.IsLittleEndian)
        {
            int n = to - from;
            switch (c.Field.Type)
            {
                case ParquetType.Double: o.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Doubles.AsSpan(from, n))); return;
                case ParquetType.Float: o.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Floats.AsSpan(from, n))); return;
                case ParquetType.Int32 or ParquetType.Date: o.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Ints.AsSpan(from, n))); return;
                case ParquetType.Int64 or ParquetType.Timestamp: o.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Longs.AsSpan(from, n))); return;
            }
        }
        EncodePlain(c, Enumerable.Range(from, to - from).ToArray(), o);
    }

    private static void EncodePlain(ColumnBuilder c, int[] rows, ByteBuffer o)
    {
        switch (c.Field.Type)
        {
            case ParquetType.Boolean:
            {
                var bytes = o.Allocate((rows.Length + 7) / 8);
                bytes.Clear();
                for (int k = 0; k < rows.Length; k++) if (c.Bools![rows[k]]) bytes[k >> 3] |= (byte)(1 << (k & 7));
                break;
            }
            case ParquetType.Int32 or ParquetType.Date: foreach (int r in rows) Le.I32(o, c.Ints![r]); break;
            case ParquetType.Int64 or ParquetType.Timestamp: foreach (int r in rows) Le.I64(o, c.Longs![r]); break;
            case ParquetType.Float: foreach (int r in rows) Le.F32(o, c.Floats![r]); break;
            case ParquetType.Double: foreach (int r in rows) Le.F64(o, c.Doubles![r]); break;
            default:
                foreach (int r in rows)
                {
                    var s = c.Strings![r]!;
                    int len = Encoding.UTF8.GetByteCount(s);
                    Le.I32(o, len);
                    Encoding.UTF8.GetBytes(s, o.Allocate(len));
                }
                break;
        }
    }
}
