using System.Buffers.Binary;
using System.IO.Compression;

namespace DigitalEconomy.Parquet;

/// <summary>The RLE / bit-packed hybrid encoding of levels and dictionary indices.</summary>
internal static class RleHybrid
{
    public static int BitWidth(int maxValue) => maxValue == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)maxValue);

    public static void Encode(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        int n = values.Length, i = 0;
        int byteWidth = (bitWidth + 7) / 8;
        while (i < n)
        {
            int run = RunLength(values, i);
            if (run >= 8)
            {
                VarInt(output, (uint)run << 1);
                int v = values[i];
                for (int b = 0; b < byteWidth; b++) output.WriteByte((byte)(v >> (8 * b)));
                i += run;
                continue;
            }
            // Literals up to the next run of 8 or more, padded to a multiple of 8 values.
            int j = i;
            while (j < n)
            {
                int r = RunLength(values, j);
                if (r >= 8) break;
                j += r;
            }
            int take = Math.Min(n - i, (j - i + 7) / 8 * 8);
            int groups = (take + 7) / 8;
            VarInt(output, ((uint)groups << 1) | 1);
            var dest = output.Allocate(groups * bitWidth);
            dest.Clear();
            long bitPos = 0;
            for (int k = 0; k < groups * 8; k++)
            {
                uint v = k < take ? (uint)values[i + k] : 0;
                for (int b = 0; b < bitWidth; b++, bitPos++)
                    if (((v >> b) & 1) != 0) dest[(int)(bitPos >> 3)] |= (byte)(1 << (int)(bitPos & 7));
            }
            i += take;
        }
    }

    private static int RunLength(ReadOnlySpan<int> v, int i)
    {
        int j = i + 1;
        while (j < v.Length && v[j] == v[i]) j++;
        return j - i;
    }

    /// <summary>Decodes exactly output.Length values; every malformed input is a ParquetException.</summary>
    public static void Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32) throw CompactReader.Corrupt($"bit width {bitWidth}");
        int count = output.Length, pos = 0, produced = 0;
        int byteWidth = (bitWidth + 7) / 8;
        while (produced < count)
        {
            uint header = ReadVarInt(data, ref pos);
            if ((header & 1) == 0)
            {
                int run = (int)Math.Min(header >> 1, (uint)(count - produced));
                if (run == 0) throw CompactReader.Corrupt("empty RLE run");
                if (pos + byteWidth > data.Length) throw CompactReader.Corrupt("RLE run past the end of the page");
                int v = 0;
                for (int b = 0; b < byteWidth; b++) v |= data[pos + b] << (8 * b);
                pos += byteWidth;
                output.Slice(produced, run).Fill(v);
                produced += run;
            }
            else
            {
                long groups = header >> 1;
                if (groups == 0) throw CompactReader.Corrupt("empty bit-packed run");
                long bytes = groups * bitWidth;
                if (pos + bytes > data.Length) throw CompactReader.Corrupt("bit-packed run past the end of the page");
                int values = (int)Math.Min(groups * 8, count - produced);
                long bitPos = (long)pos * 8;
                for (int k = 0; k < values; k++)
                {
                    int v = 0;
                    for (int b = 0; b < bitWidth; b++, bitPos++)
                        v |= ((data[(int)(bitPos >> 3)] >> (int)(bitPos & 7)) & 1) << b;
                    output[produced++] = v;
                }
                pos += (int)bytes;
            }
        }
    }

    private static void VarInt(ByteBuffer o, uint v)
    {
        while (v >= 0x80) { o.WriteByte((byte)(v | 0x80)); v >>= 7; }
        o.WriteByte((byte)v);
    }

    private static uint ReadVarInt(ReadOnlySpan<byte> d, ref int pos)
    {
        uint v = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (pos >= d.Length) throw CompactReader.Corrupt("RLE header past the end of the page");
            byte b = d[pos++];
            v |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw CompactReader.Corrupt("malformed RLE header");
    }
}

/// <summary>Page compression codecs.</summary>
internal static class Codecs
{
    public static byte[] Compress(Codec codec, ReadOnlySpan<byte> data) => codec switch
    {
        Codec.Uncompressed => data.ToArray(),
        Codec.Snappy => IronSnappy.Snappy.Encode(data),
        Codec.Gzip => Gzip(data),
        _ => throw new ParquetException($"compression codec {codec} is not supported for writing"),
    };

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static string Name(Codec c) => c switch
    {
        Codec.Uncompressed => "UNCOMPRESSED", Codec.Snappy => "SNAPPY", Codec.Gzip => "GZIP", Codec.Lzo => "LZO",
        Codec.Brotli => "BROTLI", Codec.Lz4 => "LZ4", Codec.Zstd => "ZSTD", Codec.Lz4Raw => "LZ4_RAW", _ => $"codec {(int)c}",
    };

    /// <summary>Decompresses to exactly <paramref name="size"/> bytes.</summary>
    public static byte[] Decompress(Codec codec, ReadOnlySpan<byte> data, int size, string column)
    {
        if (size < 0 || size > 1 << 30) throw CompactReader.Corrupt($"page size {size} in column '{column}'");
        byte[] result;
        switch (codec)
        {
            case Codec.Uncompressed:
                result = data.ToArray();
                break;
            case Codec.Snappy:
                try { result = IronSnappy.Snappy.Decode(data); }
                catch (Exception e) when (e is not ParquetException) { throw CompactReader.Corrupt($"SNAPPY data of column '{column}' ({e.Message})"); }
                break;
            case Codec.Gzip:
                try
                {
                    using var gz = new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
                    result = new byte[size];
                    int read = 0, r;
                    while (read < size && (r = gz.Read(result, read, size - read)) > 0) read += r;
                    if (read != size || gz.ReadByte() != -1) throw CompactReader.Corrupt($"GZIP page of column '{column}' does not have its declared size");
                }
                catch (InvalidDataException e) { throw CompactReader.Corrupt($"GZIP data of column '{column}' ({e.Message})"); }
                return result;
            default:
                throw new ParquetException($"column '{column}' uses the {Name(codec)} codec, which this reader does not support (supported: UNCOMPRESSED, SNAPPY, GZIP)");
        }
        if (result.Length != size) throw CompactReader.Corrupt($"page of column '{column}' decompresses to {result.Length} bytes, header says {size}");
        return result;
    }
}

/// <summary>Little-endian helpers.</summary>
internal static class Le
{
    public static void I32(ByteBuffer o, int v) => BinaryPrimitives.WriteInt32LittleEndian(o.Allocate(4), v);
    public static void I64(ByteBuffer o, long v) => BinaryPrimitives.WriteInt64LittleEndian(o.Allocate(8), v);
    public static void F32(ByteBuffer o, float v) => BinaryPrimitives.WriteSingleLittleEndian(o.Allocate(4), v);
    public static void F64(ByteBuffer o, double v) => BinaryPrimitives.WriteDoubleLittleEndian(o.Allocate(8), v);
}
