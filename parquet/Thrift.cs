using System.Buffers.Binary;
using System.Text;

namespace DigitalEconomy.Parquet;

/// <summary>Thrift compact-protocol type ids.</summary>
internal enum TType : byte
{
    Stop = 0, True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12,
}

/// <summary>Writes Thrift compact protocol (the encoding of Parquet's metadata).</summary>
internal sealed class CompactWriter
{
    private readonly ByteBuffer _out = new();
    private readonly Stack<short> _lastId = new();
    private short _last;

    public byte[] ToArray() => _out.ToArray();

    public void BeginStruct() { _lastId.Push(_last); _last = 0; }

    public void EndStruct() { _out.WriteByte(0); _last = _lastId.Pop(); }

    private void FieldHeader(short id, TType t)
    {
        int delta = id - _last;
        if (delta is > 0 and <= 15) _out.WriteByte((byte)((delta << 4) | (byte)t));
        else { _out.WriteByte((byte)t); VarInt(ZigZag(id)); }
        _last = id;
    }

    public void I32(short id, int v) { FieldHeader(id, TType.I32); VarInt(ZigZag(v)); }

    public void I64(short id, long v) { FieldHeader(id, TType.I64); VarInt(ZigZag(v)); }

    public void Bool(short id, bool v) => FieldHeader(id, v ? TType.True : TType.False);

    public void Binary(short id, ReadOnlySpan<byte> v) { FieldHeader(id, TType.Binary); VarInt((ulong)v.Length); _out.Write(v); }

    public void String(short id, string v) => Binary(id, Encoding.UTF8.GetBytes(v));

    public void StructField(short id) { FieldHeader(id, TType.Struct); BeginStruct(); }

    public void ListField(short id, TType elem, int count)
    {
        FieldHeader(id, TType.List);
        if (count < 15) _out.WriteByte((byte)((count << 4) | (byte)elem));
        else { _out.WriteByte((byte)(0xF0 | (byte)elem)); VarInt((ulong)count); }
    }

    public void ListI32(int v) => VarInt(ZigZag(v));

    public void ListString(string v) { var b = Encoding.UTF8.GetBytes(v); VarInt((ulong)b.Length); _out.Write(b); }

    /// <summary>Begins a struct element of a list.</summary>
    public void ListStruct() => BeginStruct();

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    private void VarInt(ulong v)
    {
        while (v >= 0x80) { _out.WriteByte((byte)(v | 0x80)); v >>= 7; }
        _out.WriteByte((byte)v);
    }
}

/// <summary>A growable byte buffer.</summary>
internal sealed class ByteBuffer
{
    private byte[] _buf = new byte[256];

    public int Length { get; private set; }

    public void WriteByte(byte b)
    {
        if (Length == _buf.Length) Array.Resize(ref _buf, _buf.Length * 2);
        _buf[Length++] = b;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, Length + bytes.Length));
        bytes.CopyTo(_buf.AsSpan(Length));
        Length += bytes.Length;
    }

    public Span<byte> Allocate(int count)
    {
        if (Length + count > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, Length + count));
        var span = _buf.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public ReadOnlySpan<byte> Span => _buf.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public byte[] ToArray() => _buf.AsSpan(0, Length).ToArray();
}

/// <summary>
/// Reads Thrift compact protocol from a byte range, bounds-checked: any overrun or malformed value
/// is a <see cref="ParquetException"/>; unknown fields are skipped with a nesting limit.
/// </summary>
internal sealed class CompactReader
{
    private readonly byte[] _buf;
    private readonly int _end;
    private int _pos;
    private readonly Stack<short> _lastId = new();
    private short _last;
    private bool? _pendingBool;

    public CompactReader(byte[] buf, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > buf.Length) throw Corrupt("metadata range outside the file");
        _buf = buf; _pos = offset; _end = offset + length;
    }

    public int Position => _pos;

    public static ParquetException Corrupt(string what) => new($"corrupt or truncated Parquet file: {what}");

    private byte Byte() => _pos < _end ? _buf[_pos++] : throw Corrupt("unexpected end of metadata");

    public void BeginStruct() { _lastId.Push(_last); _last = 0; if (_lastId.Count > 64) throw Corrupt("metadata nested too deeply"); }

    public void EndStruct() => _last = _lastId.Pop();

    /// <summary>Next field header; returns false at the struct's stop byte.</summary>
    public bool NextField(out short id, out TType type)
    {
        byte b = Byte();
        if (b == 0) { id = 0; type = TType.Stop; return false; }
        type = (TType)(b & 0x0F);
        int delta = b >> 4;
        id = delta != 0 ? (short)(_last + delta) : (short)ZigZag(VarInt());
        _last = id;
        _pendingBool = type == TType.True ? true : type == TType.False ? false : null;
        if (type > TType.Struct) throw Corrupt($"unknown Thrift type {(int)type}");
        return true;
    }

    public bool ReadBool(TType t)
    {
        if (_pendingBool is { } b) { _pendingBool = null; return b; }
        return t switch { TType.True => true, TType.False => false, _ => Byte() == 1 };
    }

    public int I32(TType t)
    {
        if (t is not (TType.I32 or TType.I16 or TType.Byte)) throw Corrupt($"expected an integer, found Thrift type {t}");
        if (t == TType.Byte) return (sbyte)Byte();
        long v = ZigZag(VarInt());
        if (v is < int.MinValue or > int.MaxValue) throw Corrupt("32-bit value out of range");
        return (int)v;
    }

    public long I64(TType t) => t is TType.I64 or TType.I32 or TType.I16 ? ZigZag(VarInt()) : throw Corrupt($"expected a 64-bit integer, found Thrift type {t}");

    public byte[] Binary()
    {
        ulong len = VarInt();
        if (len > (ulong)(_end - _pos)) throw Corrupt("string longer than the metadata");
        var r = _buf.AsSpan(_pos, (int)len).ToArray();
        _pos += (int)len;
        return r;
    }

    public string String() => Encoding.UTF8.GetString(Binary());

    public (TType Elem, int Count) ListHeader()
    {
        byte b = Byte();
        int count = b >> 4;
        var elem = (TType)(b & 0x0F);
        if (count == 15)
        {
            ulong c = VarInt();
            if (c > (ulong)(_end - _pos)) throw Corrupt("list longer than the metadata");
            count = (int)c;
        }
        return (elem, count);
    }

    public void Skip(TType t, int depth = 0)
    {
        if (depth > 64) throw Corrupt("metadata nested too deeply");
        switch (t)
        {
            case TType.True or TType.False: _pendingBool = null; break;
            case TType.Byte: Byte(); break;
            case TType.I16 or TType.I32 or TType.I64: VarInt(); break;
            case TType.Double: if (_end - _pos < 8) throw Corrupt("unexpected end of metadata"); _pos += 8; break;
            case TType.Binary: Binary(); break;
            case TType.List or TType.Set:
            {
                var (elem, count) = ListHeader();
                for (int i = 0; i < count; i++)
                {
                    if (elem is TType.True or TType.False) Byte(); else Skip(elem, depth + 1);
                }
                break;
            }
            case TType.Map:
            {
                ulong n = VarInt();
                if (n == 0) break;
                byte kv = Byte();
                if (n > (ulong)(_end - _pos)) throw Corrupt("map longer than the metadata");
                for (ulong i = 0; i < n; i++) { Skip((TType)(kv >> 4), depth + 1); Skip((TType)(kv & 0xF), depth + 1); }
                break;
            }
            case TType.Struct:
                BeginStruct();
                while (NextField(out _, out var ft)) Skip(ft, depth + 1);
                EndStruct();
                break;
            default: throw Corrupt($"unknown Thrift type {(int)t}");
        }
    }

    private ulong VarInt()
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Byte();
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw Corrupt("malformed varint");
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    public static int ReadInt32LE(byte[] b, int at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at, 4));
}
