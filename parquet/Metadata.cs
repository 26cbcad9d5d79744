namespace DigitalEconomy.Parquet;

// The subset of parquet.thrift (apache/parquet-format) that flat files need, with field ids as in
// the specification. Unknown fields are skipped on read.

internal enum PhysicalType { Boolean = 0, Int32 = 1, Int64 = 2, Int96 = 3, Float = 4, Double = 5, ByteArray = 6, FixedLenByteArray = 7 }

internal enum Repetition { Required = 0, Optional = 1, Repeated = 2 }

internal enum Codec { Uncompressed = 0, Snappy = 1, Gzip = 2, Lzo = 3, Brotli = 4, Lz4 = 5, Zstd = 6, Lz4Raw = 7 }

internal enum PageType { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 }

internal static class Enc
{
    public const int Plain = 0, PlainDictionary = 2, Rle = 3, BitPacked = 4, RleDictionary = 8;

    public static string Name(int e) => e switch
    {
        0 => "PLAIN", 2 => "PLAIN_DICTIONARY", 3 => "RLE", 4 => "BIT_PACKED", 5 => "DELTA_BINARY_PACKED",
        6 => "DELTA_LENGTH_BYTE_ARRAY", 7 => "DELTA_BYTE_ARRAY", 8 => "RLE_DICTIONARY", 9 => "BYTE_STREAM_SPLIT", _ => $"encoding {e}",
    };
}

internal sealed class StatisticsMeta
{
    public byte[]? Max, Min, MaxValue, MinValue;
    public long? NullCount, DistinctCount;

    public void Write(CompactWriter w)
    {
        if (NullCount is { } nc) w.I64(3, nc);
        if (MaxValue is { } mx) w.Binary(5, mx);
        if (MinValue is { } mn) w.Binary(6, mn);
        w.EndStruct();
    }

    public static StatisticsMeta Read(CompactReader r)
    {
        var s = new StatisticsMeta();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1 when t == TType.Binary: s.Max = r.Binary(); break;
                case 2 when t == TType.Binary: s.Min = r.Binary(); break;
                case 3: s.NullCount = r.I64(t); break;
                case 4: s.DistinctCount = r.I64(t); break;
                case 5 when t == TType.Binary: s.MaxValue = r.Binary(); break;
                case 6 when t == TType.Binary: s.MinValue = r.Binary(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return s;
    }
}

internal sealed class SchemaElement
{
    public PhysicalType? Type;
    public Repetition? RepetitionType;
    public string Name = "";
    public int? NumChildren, ConvertedType;
    /// <summary>LogicalType union member id: 1 STRING, 6 DATE, 8 TIMESTAMP (others kept as id only).</summary>
    public int? Logical;
    public bool TimestampUtc;
    public int TimestampUnit; // 1 millis, 2 micros, 3 nanos

    public void Write(CompactWriter w)
    {
        if (Type is { } t) w.I32(1, (int)t);
        if (RepetitionType is { } rt) w.I32(3, (int)rt);
        w.String(4, Name);
        if (NumChildren is { } nc) w.I32(5, nc);
        if (ConvertedType is { } ct) w.I32(6, ct);
        if (Logical is { } lg)
        {
            w.StructField(10);
            w.StructField((short)lg);
            if (lg == 8)
            {
                w.Bool(1, TimestampUtc);
                w.StructField(2);
                w.StructField((short)TimestampUnit);
                w.EndStruct();
                w.EndStruct();
            }
            w.EndStruct();
            w.EndStruct();
        }
        w.EndStruct();
    }

    public static SchemaElement Read(CompactReader r)
    {
        var e = new SchemaElement();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1: e.Type = (PhysicalType)r.I32(t); break;
                case 3: e.RepetitionType = (Repetition)r.I32(t); break;
                case 4 when t == TType.Binary: e.Name = r.String(); break;
                case 5: e.NumChildren = r.I32(t); break;
                case 6: e.ConvertedType = r.I32(t); break;
                case 10 when t == TType.Struct: ReadLogical(r, e); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return e;
    }

    private static void ReadLogical(CompactReader r, SchemaElement e)
    {
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            e.Logical = id;
            if (id == 8 && t == TType.Struct)
            {
                r.BeginStruct();
                while (r.NextField(out var fid, out var ft))
                {
                    if (fid == 1 && ft is TType.True or TType.False) e.TimestampUtc = r.ReadBool(ft);
                    else if (fid == 2 && ft == TType.Struct)
                    {
                        r.BeginStruct();
                        while (r.NextField(out var uid, out var ut)) { e.TimestampUnit = uid; r.Skip(ut); }
                        r.EndStruct();
                    }
                    else r.Skip(ft);
                }
                r.EndStruct();
            }
            else r.Skip(t);
        }
        r.EndStruct();
    }
}

internal sealed class ColumnMeta
{
    public PhysicalType Type;
    public List<int> Encodings = [];
    public List<string> Path = [];
    public Codec Codec;
    public long NumValues, TotalUncompressedSize, TotalCompressedSize, DataPageOffset;
    public long? DictionaryPageOffset;
    public StatisticsMeta? Statistics;

    public void Write(CompactWriter w)
    {
        w.I32(1, (int)Type);
        w.ListField(2, TType.I32, Encodings.Count);
        foreach (var e in Encodings) w.ListI32(e);
        w.ListField(3, TType.Binary, Path.Count);
        foreach (var p in Path) w.ListString(p);
        w.I32(4, (int)Codec);
        w.I64(5, NumValues);
        w.I64(6, TotalUncompressedSize);
        w.I64(7, TotalCompressedSize);
        w.I64(9, DataPageOffset);
        if (DictionaryPageOffset is { } d) w.I64(11, d);
        if (Statistics is { } s) { w.StructField(12); s.Write(w); }
        w.EndStruct();
    }

    public static ColumnMeta Read(CompactReader r)
    {
        var m = new ColumnMeta();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1: m.Type = (PhysicalType)r.I32(t); break;
                case 2 when t == TType.List:
                {
                    var (et, n) = r.ListHeader();
                    for (int i = 0; i < n; i++) m.Encodings.Add(r.I32(et));
                    break;
                }
                case 3 when t == TType.List:
                {
                    var (_, n) = r.ListHeader();
                    for (int i = 0; i < n; i++) m.Path.Add(r.String());
                    break;
                }
                case 4: m.Codec = (Codec)r.I32(t); break;
                case 5: m.NumValues = r.I64(t); break;
                case 6: m.TotalUncompressedSize = r.I64(t); break;
                case 7: m.TotalCompressedSize = r.I64(t); break;
                case 9: m.DataPageOffset = r.I64(t); break;
                case 11: m.DictionaryPageOffset = r.I64(t); break;
                case 12 when t == TType.Struct: m.Statistics = StatisticsMeta.Read(r); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return m;
    }
}

internal sealed class RowGroupMeta
{
    public List<ColumnMeta> Columns = [];
    public List<long> ColumnFileOffsets = [];
    public long TotalByteSize, NumRows;

    public void Write(CompactWriter w)
    {
        w.ListField(1, TType.Struct, Columns.Count);
        for (int i = 0; i < Columns.Count; i++)
        {
            w.ListStruct();
            w.I64(2, ColumnFileOffsets[i]);
            w.StructField(3);
            Columns[i].Write(w);
            w.EndStruct();
        }
        w.I64(2, TotalByteSize);
        w.I64(3, NumRows);
        w.EndStruct();
    }

    public static RowGroupMeta Read(CompactReader r)
    {
        var g = new RowGroupMeta();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1 when t == TType.List:
                {
                    var (_, n) = r.ListHeader();
                    for (int i = 0; i < n; i++)
                    {
                        ColumnMeta? meta = null;
                        long offset = 0;
                        r.BeginStruct();
                        while (r.NextField(out var cid, out var ct))
                        {
                            if (cid == 2) offset = r.I64(ct);
                            else if (cid == 3 && ct == TType.Struct) meta = ColumnMeta.Read(r);
                            else if (cid == 1 && ct == TType.Binary) throw new ParquetException("column chunks stored in other files (file_path) are not supported");
                            else r.Skip(ct);
                        }
                        r.EndStruct();
                        g.Columns.Add(meta ?? throw CompactReader.Corrupt("column chunk without metadata"));
                        g.ColumnFileOffsets.Add(offset);
                    }
                    break;
                }
                case 2: g.TotalByteSize = r.I64(t); break;
                case 3: g.NumRows = r.I64(t); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return g;
    }
}

internal sealed class FileMeta
{
    public int Version = 1;
    public List<SchemaElement> Schema = [];
    public long NumRows;
    public List<RowGroupMeta> RowGroups = [];
    public List<KeyValuePair<string, string>> KeyValues = [];
    public string? CreatedBy;
    public int ColumnOrders;

    public byte[] Serialize()
    {
        var w = new CompactWriter();
        w.BeginStruct();
        w.I32(1, Version);
        w.ListField(2, TType.Struct, Schema.Count);
        foreach (var s in Schema) { w.ListStruct(); s.Write(w); }
        w.I64(3, NumRows);
        w.ListField(4, TType.Struct, RowGroups.Count);
        foreach (var g in RowGroups) { w.ListStruct(); g.Write(w); }
        if (KeyValues.Count > 0)
        {
            w.ListField(5, TType.Struct, KeyValues.Count);
            foreach (var (k, v) in KeyValues) { w.ListStruct(); w.String(1, k); w.String(2, v); w.EndStruct(); }
        }
        if (CreatedBy is not null) w.String(6, CreatedBy);
        if (ColumnOrders > 0)
        {
            // TypeDefinedOrder for every leaf: min_value/max_value follow the type's sort order.
            w.ListField(7, TType.Struct, ColumnOrders);
            for (int i = 0; i < ColumnOrders; i++) { w.ListStruct(); w.StructField(1); w.EndStruct(); w.EndStruct(); }
        }
        w.EndStruct();
        return w.ToArray();
    }

    public static FileMeta Read(CompactReader r)
    {
        var f = new FileMeta();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1: f.Version = r.I32(t); break;
                case 2 when t == TType.List:
                {
                    var (_, n) = r.ListHeader();
                    for (int i = 0; i < n; i++) f.Schema.Add(SchemaElement.Read(r));
                    break;
                }
                case 3: f.NumRows = r.I64(t); break;
                case 4 when t == TType.List:
                {
                    var (_, n) = r.ListHeader();
                    for (int i = 0; i < n; i++) f.RowGroups.Add(RowGroupMeta.Read(r));
                    break;
                }
                case 5 when t == TType.List:
                {
                    var (_, n) = r.ListHeader();
                    for (int i = 0; i < n; i++)
                    {
                        string k = "", v = "";
                        r.BeginStruct();
                        while (r.NextField(out var kid, out var kt))
                        {
                            if (kid == 1 && kt == TType.Binary) k = r.String();
                            else if (kid == 2 && kt == TType.Binary) v = r.String();
                            else r.Skip(kt);
                        }
                        r.EndStruct();
                        f.KeyValues.Add(new(k, v));
                    }
                    break;
                }
                case 6 when t == TType.Binary: f.CreatedBy = r.String(); break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        return f;
    }
}

internal sealed class PageHeader
{
    public PageType Type;
    public int UncompressedSize, CompressedSize;
    // DATA_PAGE (v1) / DATA_PAGE_V2 / DICTIONARY_PAGE
    public int NumValues, Encoding, NumNulls, NumRows, DefLevelsLength, RepLevelsLength;
    public bool V2Compressed = true;
    public StatisticsMeta? Statistics;

    public byte[] Serialize()
    {
        var w = new CompactWriter();
        w.BeginStruct();
        w.I32(1, (int)Type);
        w.I32(2, UncompressedSize);
        w.I32(3, CompressedSize);
        if (Type == PageType.DataPage)
        {
            w.StructField(5);
            w.I32(1, NumValues);
            w.I32(2, Encoding);
            w.I32(3, Enc.Rle);
            w.I32(4, Enc.Rle);
            if (Statistics is { } s) { w.StructField(5); s.Write(w); }
            w.EndStruct();
        }
        else if (Type == PageType.DictionaryPage)
        {
            w.StructField(7);
            w.I32(1, NumValues);
            w.I32(2, Enc.Plain);
            w.EndStruct();
        }
        w.EndStruct();
        return w.ToArray();
    }

    public static PageHeader Read(CompactReader r)
    {
        var h = new PageHeader();
        r.BeginStruct();
        while (r.NextField(out var id, out var t))
        {
            switch (id)
            {
                case 1: h.Type = (PageType)r.I32(t); break;
                case 2: h.UncompressedSize = r.I32(t); break;
                case 3: h.CompressedSize = r.I32(t); break;
                case 5 or 7 or 8 when t == TType.Struct:
                    r.BeginStruct();
                    while (r.NextField(out var fid, out var ft))
                    {
                        switch (id, fid)
                        {
                            case (5, 1) or (7, 1) or (8, 1): h.NumValues = r.I32(ft); break;
                            case (5, 2) or (7, 2): h.Encoding = r.I32(ft); break;
                            case (5, 3): int dl = r.I32(ft); if (dl != Enc.Rle) throw new ParquetException($"definition levels in {Enc.Name(dl)} are not supported (only RLE)"); break;
                            case (8, 2): h.NumNulls = r.I32(ft); break;
                            case (8, 3): h.NumRows = r.I32(ft); break;
                            case (8, 4): h.Encoding = r.I32(ft); break;
                            case (8, 5): h.DefLevelsLength = r.I32(ft); break;
                            case (8, 6): h.RepLevelsLength = r.I32(ft); break;
                            case (8, 7): h.V2Compressed = r.ReadBool(ft); break;
                            default: r.Skip(ft); break;
                        }
                    }
                    r.EndStruct();
                    break;
                default: r.Skip(t); break;
            }
        }
        r.EndStruct();
        if (h.UncompressedSize < 0 || h.CompressedSize < 0 || h.NumValues < 0) throw CompactReader.Corrupt("negative page size or value count");
        return h;
    }
}
