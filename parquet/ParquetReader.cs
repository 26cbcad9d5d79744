using System.Buffers.Binary;
using System.Text;

namespace DigitalEconomy.Parquet;

/// <summary>What <c>de parquet schema</c> shows about one column chunk.</summary>
public sealed record ColumnChunkInfo(int RowGroup, string Column, string PhysicalType, string Codec, IReadOnlyList<string> Encodings,
    long Values, long CompressedSize, long UncompressedSize, long? NullCount, string? Min, string? Max);

/// <summary>
/// Reads flat Parquet files written by this library, DuckDB, pyarrow and other writers: PLAIN,
/// PLAIN_DICTIONARY and RLE_DICTIONARY values, data pages v1 and v2, UNCOMPRESSED/SNAPPY/GZIP.
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT (DuckDB's V2 files) are read too.
/// Anything else (another codec such as ZSTD, DELTA_BYTE_ARRAY, nested or decimal columns) and any
/// corrupt or truncated input raise a <see cref="ParquetException"/> that says what it met; every
/// length read from the file is checked before it is used.
/// </summary>
public sealed class ParquetReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FileMeta _meta;
    private readonly SchemaElement[] _leaves;
    private readonly long _length;

    private ParquetReader(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _length = stream.Length;
        if (_length < 12) throw CompactReader.Corrupt($"the file has {_length} bytes; a Parquet file has at least 12");
        var tail = ReadAt(_length - 8, 8);
        if (!tail.AsSpan(4).SequenceEqual("PAR1"u8)) throw CompactReader.Corrupt("no PAR1 magic at the end (not a Parquet file, or truncated)");
        var head = ReadAt(0, 4);
        if (!head.AsSpan().SequenceEqual("PAR1"u8)) throw CompactReader.Corrupt("no PAR1 magic at the start");
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > _length - 12) throw CompactReader.Corrupt($"footer length {footerLength} does not fit in the file");
        var footer = ReadAt(_length - 8 - footerLength, footerLength);
        _meta = FileMeta.Read(new CompactReader(footer, 0, footer.Length));
        if (_meta.Schema.Count < 2) throw CompactReader.Corrupt("the schema has no columns");
        var root = _meta.Schema[0];
        if (root.NumChildren != _meta.Schema.Count - 1 || _meta.Schema.Skip(1).Any(e => e.NumChildren is > 0))
            throw new ParquetException("nested schemas are not supported (flat schemas only)");
        _leaves = [.. _meta.Schema.Skip(1)];
        Schema = new ParquetSchema(_leaves.Select(ToField).ToArray());
        foreach (var g in _meta.RowGroups)
        {
            if (g.Columns.Count != _leaves.Length) throw CompactReader.Corrupt($"a row group has {g.Columns.Count} columns; the schema has {_leaves.Length}");
            if (g.NumRows < 0 || g.NumRows > int.MaxValue) throw CompactReader.Corrupt($"row group with {g.NumRows} rows");
        }
    }

    /// <summary>The file's schema.</summary>
    public ParquetSchema Schema { get; }

    /// <summary>Total rows.</summary>
    public long RowCount => _meta.NumRows;

    /// <summary>Number of row groups.</summary>
    public int RowGroupCount => _meta.RowGroups.Count;

    /// <summary>The footer's created_by.</summary>
    public string? CreatedBy => _meta.CreatedBy;

    /// <summary>Key-value metadata from the footer.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _meta.KeyValues.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>Opens a file.</summary>
    public static ParquetReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try { return new ParquetReader(fs, false); }
        catch { fs.Dispose(); throw; }
    }

    /// <summary>Opens a seekable stream.</summary>
    public static ParquetReader Open(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
        return Guard(() => new ParquetReader(stream, leaveOpen));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    private static T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (Exception e) when (e is not (ParquetException or ArgumentException or IOException or OutOfMemoryException))
        {
            throw CompactReader.Corrupt($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static ParquetField ToField(SchemaElement e)
    {
        bool nullable = e.RepetitionType != Repetition.Required;
        if (e.RepetitionType == Repetition.Repeated) throw new ParquetException($"column '{e.Name}' is repeated; only flat schemas are supported");
        var type = e.Type switch
        {
            PhysicalType.Boolean => ParquetType.Boolean,
            PhysicalType.Int32 => e.Logical == 6 || e.ConvertedType == 6 ? ParquetType.Date
                : e.ConvertedType == 5 || e.Logical == 5 && e.ConvertedType is null ? throw new ParquetException($"column '{e.Name}' is a DECIMAL, which is not supported") : ParquetType.Int32,
            PhysicalType.Int64 => e.Logical == 8 || e.ConvertedType is 9 or 10 ? ParquetType.Timestamp
                : e.ConvertedType == 5 ? throw new ParquetException($"column '{e.Name}' is a DECIMAL, which is not supported") : ParquetType.Int64,
            PhysicalType.Float => ParquetType.Float,
            PhysicalType.Double => ParquetType.Double,
            PhysicalType.ByteArray => e.ConvertedType == 5 ? throw new ParquetException($"column '{e.Name}' is a DECIMAL, which is not supported") : ParquetType.String,
            PhysicalType.FixedLenByteArray => throw new ParquetException($"column '{e.Name}' is FIXED_LEN_BYTE_ARRAY{(e.ConvertedType == 5 || e.Logical == 5 ? " (DECIMAL)" : "")}, which is not supported"),
            PhysicalType.Int96 => throw new ParquetException($"column '{e.Name}' is INT96 (legacy timestamp), which is not supported"),
            _ => throw CompactReader.Corrupt($"column '{e.Name}' has no or an unknown physical type"),
        };
        return new ParquetField(e.Name, type, nullable);
    }

    private byte[] ReadAt(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset + count > _length) throw CompactReader.Corrupt($"a read of {count} bytes at offset {offset} goes past the end of the file ({_length} bytes)");
        var buf = new byte[count];
        _stream.Seek(offset, SeekOrigin.Begin);
        _stream.ReadExactly(buf);
        return buf;
    }

    /// <summary>Describes every column chunk (for <c>de parquet schema</c>).</summary>
    public IReadOnlyList<ColumnChunkInfo> Describe() => Guard(DescribeChunks);

    private List<ColumnChunkInfo> DescribeChunks()
    {
        var list = new List<ColumnChunkInfo>();
        for (int g = 0; g < _meta.RowGroups.Count; g++)
            for (int c = 0; c < _leaves.Length; c++)
            {
                var m = _meta.RowGroups[g].Columns[c];
                var st = m.Statistics;
                list.Add(new ColumnChunkInfo(g, _leaves[c].Name, m.Type.ToString().ToUpperInvariant(), Codecs.Name(m.Codec), m.Encodings.Select(Enc.Name).Distinct().ToList(),
                    m.NumValues, m.TotalCompressedSize, m.TotalUncompressedSize, st?.NullCount,
                    StatText(Schema.Fields[c], st?.MinValue ?? st?.Min), StatText(Schema.Fields[c], st?.MaxValue ?? st?.Max)));
            }
        return list;
    }

    private static string? StatText(ParquetField f, byte[]? b)
    {
        if (b is null) return null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return f.Type switch
        {
            ParquetType.Boolean when b.Length >= 1 => (b[0] != 0).ToString(inv),
            ParquetType.Int32 when b.Length >= 4 => BinaryPrimitives.ReadInt32LittleEndian(b).ToString(inv),
            ParquetType.Date when b.Length >= 4 => SafeText(() => ParquetColumn.ToDate(BinaryPrimitives.ReadInt32LittleEndian(b)).ToString("yyyy-MM-dd", inv)),
            ParquetType.Int64 when b.Length >= 8 => BinaryPrimitives.ReadInt64LittleEndian(b).ToString(inv),
            ParquetType.Timestamp when b.Length >= 8 => SafeText(() => ParquetColumn.ToTimestamp(BinaryPrimitives.ReadInt64LittleEndian(b)).ToString("yyyy-MM-dd HH:mm:ss.ffffff", inv)),
            ParquetType.Float when b.Length >= 4 => BinaryPrimitives.ReadSingleLittleEndian(b).ToString("R", inv),
            ParquetType.Double when b.Length >= 8 => BinaryPrimitives.ReadDoubleLittleEndian(b).ToString("R", inv),
            ParquetType.String => Encoding.UTF8.GetString(b),
            _ => null,
        };
    }

    private static string SafeText(Func<string> f)
    {
        try { return f(); }
        catch (ParquetException) { return "(out of range)"; }
    }

    /// <summary>Reads the given columns (all when null) of one row group.</summary>
    public IReadOnlyList<ParquetColumn> ReadRowGroup(int rowGroup, IReadOnlyList<string>? columns = null)
    {
        if (rowGroup < 0 || rowGroup >= _meta.RowGroups.Count) throw new ArgumentOutOfRangeException(nameof(rowGroup), rowGroup, $"The file has {_meta.RowGroups.Count} row groups.");
        var idx = Projection(columns);
        return Guard(() => idx.Select(c => ReadChunk(rowGroup, c)).ToList());
    }

    /// <summary>Reads the given columns (all when null) of the whole file, row groups concatenated.</summary>
    public IReadOnlyList<ParquetColumn> ReadAll(IReadOnlyList<string>? columns = null)
    {
        var idx = Projection(columns);
        if (_meta.NumRows > int.MaxValue) throw new ParquetException("the file has more rows than fit in one array; read it by row group");
        int n = (int)_meta.RowGroups.Sum(g => g.NumRows);
        return Guard(() => idx.Select(c =>
        {
            var all = new ParquetColumn(Schema.Fields[c], n);
            int at = 0;
            for (int g = 0; g < _meta.RowGroups.Count; g++)
            {
                var part = ReadChunk(g, c);
                Copy(part, all, at);
                at += part.Count;
            }
            return all;
        }).ToList());
    }

    private int[] Projection(IReadOnlyList<string>? columns)
    {
        if (columns is null) return Enumerable.Range(0, _leaves.Length).ToArray();
        return columns.Select(name =>
        {
            int i = Schema.IndexOf(name);
            return i >= 0 ? i : throw new ParquetException($"no column '{name}'; the file has: {string.Join(", ", Schema.Fields.Select(f => f.Name))}");
        }).ToArray();
    }

    private static void Copy(ParquetColumn from, ParquetColumn to, int at)
    {
        if (from.Nulls is { } n)
        {
            to.Nulls ??= new bool[to.Count];
            Array.Copy(n, 0, to.Nulls, at, from.Count);
        }
        if (from.Booleans is not null) Array.Copy(from.Booleans, 0, to.Booleans!, at, from.Count);
        if (from.Int32s is not null) Array.Copy(from.Int32s, 0, to.Int32s!, at, from.Count);
        if (from.Int64s is not null) Array.Copy(from.Int64s, 0, to.Int64s!, at, from.Count);
        if (from.Floats is not null) Array.Copy(from.Floats, 0, to.Floats!, at, from.Count);
        if (from.Doubles is not null) Array.Copy(from.Doubles, 0, to.Doubles!, at, from.Count);
        if (from.Strings is not null) Array.Copy(from.Strings, 0, to.Strings!, at, from.Count);
    }

    private ParquetColumn ReadChunk(int g, int c)
    {
        var group = _meta.RowGroups[g];
        var meta = group.Columns[c];
        var field = Schema.Fields[c];
        string name = field.Name;
        int rows = (int)group.NumRows;
        var expected = _leaves[c].Type;
        if (meta.Type != expected) throw CompactReader.Corrupt($"column '{name}' chunk type {meta.Type} differs from the schema's {expected}");
        if (meta.Codec is not (Codec.Uncompressed or Codec.Snappy or Codec.Gzip))
            throw new ParquetException($"column '{name}' uses the {Codecs.Name(meta.Codec)} codec, which this reader does not support (supported: UNCOMPRESSED, SNAPPY, GZIP)");
        long start = meta.DictionaryPageOffset is { } d && d > 0 && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        if (meta.TotalCompressedSize <= 0 || meta.TotalCompressedSize > _length) throw CompactReader.Corrupt($"column '{name}' has a chunk size of {meta.TotalCompressedSize} bytes");
        var chunk = ReadAt(start, meta.TotalCompressedSize);
        var col = new ParquetColumn(field, rows);
        bool[]? nulls = null;
        ParquetColumn? dict = null;
        int pos = 0, row = 0;
        while (row < rows)
        {
            if (pos >= chunk.Length) throw CompactReader.Corrupt($"column '{name}' ends after {row} of {rows} values");
            var r = new CompactReader(chunk, pos, chunk.Length - pos);
            var h = PageHeader.Read(r);
            pos = r.Position;
            if (h.CompressedSize > chunk.Length - pos) throw CompactReader.Corrupt($"a page of column '{name}' is longer than its chunk");
            var raw = chunk.AsSpan(pos, h.CompressedSize);
            pos += h.CompressedSize;
            switch (h.Type)
            {
                case PageType.DictionaryPage:
                {
                    if (h.Encoding is not (Enc.Plain or Enc.PlainDictionary)) throw new ParquetException($"column '{name}': dictionary page in {Enc.Name(h.Encoding)} is not supported");
                    var data = Codecs.Decompress(meta.Codec, raw, h.UncompressedSize, name);
                    dict = new ParquetColumn(field with { Nullable = false }, h.NumValues);
                    int p = 0;
                    DecodePlain(data, ref p, dict, Enumerable.Range(0, h.NumValues).ToArray(), name);
                    break;
                }
                case PageType.DataPage or PageType.DataPageV2:
                {
                    int count = h.NumValues;
                    if (count > rows - row) throw CompactReader.Corrupt($"column '{name}' has more values than rows");
                    byte[] data;
                    int p = 0;
                    var levels = new int[count];
                    if (h.Type == PageType.DataPage)
                    {
                        data = Codecs.Decompress(meta.Codec, raw, h.UncompressedSize, name);
                        if (field.Nullable)
                        {
                            if (data.Length < 4) throw CompactReader.Corrupt($"column '{name}': page too short for its definition levels");
                            int len = BinaryPrimitives.ReadInt32LittleEndian(data);
                            if (len < 0 || len > data.Length - 4) throw CompactReader.Corrupt($"column '{name}': definition levels longer than the page");
                            RleHybrid.Decode(data.AsSpan(4, len), 1, levels);
                            p = 4 + len;
                        }
                        else Array.Fill(levels, 1);
                    }
                    else
                    {
                        if (h.RepLevelsLength != 0) throw new ParquetException($"column '{name}' has repetition levels; only flat schemas are supported");
                        if (h.DefLevelsLength < 0 || h.DefLevelsLength > raw.Length) throw CompactReader.Corrupt($"column '{name}': definition levels longer than the page");
                        if (field.Nullable) RleHybrid.Decode(raw[..h.DefLevelsLength], 1, levels);
                        else Array.Fill(levels, 1);
                        var values = raw[h.DefLevelsLength..];
                        int valueSize = h.UncompressedSize - h.DefLevelsLength;
                        data = h.V2Compressed ? Codecs.Decompress(meta.Codec, values, valueSize, name) : values.ToArray();
                    }
                    var present = new List<int>(count);
                    for (int k = 0; k < count; k++)
                    {
                        if (levels[k] == 1) present.Add(row + k);
                        else if (levels[k] == 0) { nulls ??= new bool[rows]; nulls[row + k] = true; }
                        else throw CompactReader.Corrupt($"column '{name}': definition level {levels[k]} in a flat column");
                    }
                    var targets = present.ToArray();
                    switch (h.Encoding)
                    {
                        case Enc.Plain:
                            DecodePlain(data, ref p, col, targets, name);
                            break;
                        case Enc.PlainDictionary or Enc.RleDictionary:
                        {
                            if (dict is null) throw CompactReader.Corrupt($"column '{name}': dictionary-encoded page without a dictionary");
                            if (targets.Length == 0) break;
                            if (p >= data.Length) throw CompactReader.Corrupt($"column '{name}': missing dictionary index bit width");
                            int bw = data[p++];
                            var idx = new int[targets.Length];
                            RleHybrid.Decode(data.AsSpan(p), bw, idx);
                            foreach (int v in idx) if ((uint)v >= (uint)dict.Count) throw CompactReader.Corrupt($"column '{name}': dictionary index {v} outside a dictionary of {dict.Count}");
                            Gather(dict, idx, col, targets);
                            break;
                        }
                        case 5 when field.Type is ParquetType.Int32 or ParquetType.Date or ParquetType.Int64 or ParquetType.Timestamp:
                        {
                            var v = DeltaEncodings.DeltaBinaryPacked(data, ref p, targets.Length, name);
                            var tmp = new ParquetColumn(field with { Nullable = false }, v.Length);
                            for (int k = 0; k < v.Length; k++)
                                if (tmp.Int64s is not null) tmp.Int64s[k] = v[k];
                                else tmp.Int32s![k] = v[k] is >= int.MinValue and <= int.MaxValue ? (int)v[k] : throw CompactReader.Corrupt($"column '{name}': INT32 value out of range");
                            if (field.Type == ParquetType.Timestamp && !IsMicros(c))
                            {
                                // Re-scale like PLAIN timestamps: through the PLAIN decoder on the raw bytes.
                                var bytes = new byte[v.Length * 8];
                                for (int k = 0; k < v.Length; k++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * k), v[k]);
                                int q = 0;
                                DecodePlain(bytes, ref q, col, targets, name);
                            }
                            else Gather(tmp, Enumerable.Range(0, v.Length).ToArray(), col, targets);
                            break;
                        }
                        case 6 when field.Type == ParquetType.String:
                        {
                            var v = DeltaEncodings.DeltaLengthByteArray(data, ref p, targets.Length, name);
                            for (int k = 0; k < v.Length; k++) col.Strings![targets[k]] = v[k];
                            break;
                        }
                        case 9 when field.Type is ParquetType.Float or ParquetType.Double or ParquetType.Int32 or ParquetType.Int64 or ParquetType.Date or ParquetType.Timestamp:
                        {
                            int width = field.Type is ParquetType.Double or ParquetType.Int64 or ParquetType.Timestamp ? 8 : 4;
                            var bytes = DeltaEncodings.ByteStreamSplit(data, p, targets.Length, width, name);
                            int q = 0;
                            DecodePlain(bytes, ref q, col, targets, name);
                            break;
                        }
                        default:
                            throw new ParquetException($"column '{name}' uses the {Enc.Name(h.Encoding)} encoding, which this reader does not support for {field.Type} (supported: PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT)");
                    }
                    row += count;
                    break;
                }
                default:
                    break; // index pages and unknown page types are skipped
            }
        }
        col.Nulls = nulls;
        return col;
    }

    private bool IsMicros(int c) => _leaves[c].TimestampUnit is 2 || _leaves[c].TimestampUnit == 0 && _leaves[c].ConvertedType != 9;

    private static void Gather(ParquetColumn dict, int[] idx, ParquetColumn col, int[] targets)
    {
        for (int k = 0; k < targets.Length; k++)
        {
            int t = targets[k], v = idx[k];
            switch (col.Field.Type)
            {
                case ParquetType.Boolean: col.Booleans![t] = dict.Booleans![v]; break;
                case ParquetType.Int32 or ParquetType.Date: col.Int32s![t] = dict.Int32s![v]; break;
                case ParquetType.Int64 or ParquetType.Timestamp: col.Int64s![t] = dict.Int64s![v]; break;
                case ParquetType.Float: col.Floats![t] = dict.Floats![v]; break;
                case ParquetType.Double: col.Doubles![t] = dict.Doubles![v]; break;
                default: col.Strings![t] = dict.Strings![v]; break;
            }
        }
    }

    private void DecodePlain(byte[] data, ref int p, ParquetColumn col, int[] targets, string name)
    {
        int n = targets.Length;
        void Need(long bytes, int at)
        {
            if (bytes > data.Length - at) throw CompactReader.Corrupt($"column '{name}': values run past the end of the page");
        }
        switch (col.Field.Type)
        {
            case ParquetType.Boolean:
                Need((n + 7) / 8, p);
                for (int k = 0; k < n; k++) col.Booleans![targets[k]] = ((data[p + (k >> 3)] >> (k & 7)) & 1) != 0;
                p += (n + 7) / 8;
                break;
            case ParquetType.Int32 or ParquetType.Date:
                Need(4L * n, p);
                for (int k = 0; k < n; k++, p += 4) col.Int32s![targets[k]] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(p));
                break;
            case ParquetType.Int64 or ParquetType.Timestamp:
            {
                Need(8L * n, p);
                int unit = _leaves.FirstOrDefault(l => l.Name == col.Field.Name)?.TimestampUnit ?? 2;
                bool millis = col.Field.Type == ParquetType.Timestamp && (unit == 1 || _leaves.First(l => l.Name == col.Field.Name).ConvertedType == 9 && unit == 0);
                bool nanos = col.Field.Type == ParquetType.Timestamp && unit == 3;
                for (int k = 0; k < n; k++, p += 8)
                {
                    long v = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(p));
                    col.Int64s![targets[k]] = millis ? v * 1000 : nanos ? v / 1000 : v;
                }
                break;
            }
            case ParquetType.Float:
                Need(4L * n, p);
                for (int k = 0; k < n; k++, p += 4) col.Floats![targets[k]] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(p));
                break;
            case ParquetType.Double:
                Need(8L * n, p);
                for (int k = 0; k < n; k++, p += 8) col.Doubles![targets[k]] = BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(p));
                break;
            default:
                for (int k = 0; k < n; k++)
                {
                    Need(4, p);
                    int len = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(p));
                    p += 4;
                    if (len < 0) throw CompactReader.Corrupt($"column '{name}': negative string length");
                    Need(len, p);
                    col.Strings![targets[k]] = Encoding.UTF8.GetString(data, p, len);
                    p += len;
                }
                break;
        }
    }
}
