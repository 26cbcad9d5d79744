namespace DigitalEconomy.Parquet;

/// <summary>Decoders of the encodings newer writers use (DuckDB with PARQUET_VERSION V2, Spark, Arrow options).</summary>
internal static class DeltaEncodings
{
    /// <summary>DELTA_BINARY_PACKED: blocks of bit-packed deltas from a minimum delta; returns the values and advances <paramref name="pos"/>.</summary>
    public static long[] DeltaBinaryPacked(ReadOnlySpan<byte> d, ref int pos, int expected, string column)
    {
        ulong blockSize = VarInt(d, ref pos, column);
        ulong miniblocks = VarInt(d, ref pos, column);
        ulong total = VarInt(d, ref pos, column);
        long first = ZigZag(VarInt(d, ref pos, column));
        if (blockSize == 0 || blockSize % 128 != 0 || miniblocks == 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0 || blockSize > 1 << 20)
            throw CompactReader.Corrupt($"column '{column}': DELTA_BINARY_PACKED block {blockSize} / {miniblocks} miniblocks");
        if (total != (ulong)expected) throw CompactReader.Corrupt($"column '{column}': DELTA_BINARY_PACKED holds {total} values, the page {expected}");
        var values = new long[expected];
        if (expected == 0) return values;
        values[0] = first;
        int perMini = (int)(blockSize / miniblocks);
        int n = 1;
        long last = first;
        var widths = new int[miniblocks];
        while (n < expected)
        {
            long minDelta = ZigZag(VarInt(d, ref pos, column));
            if (pos + (int)miniblocks > d.Length) throw CompactReader.Corrupt($"column '{column}': DELTA_BINARY_PACKED bit widths past the page");
            for (int m = 0; m < (int)miniblocks; m++) widths[m] = d[pos++];
            for (int m = 0; m < (int)miniblocks && n < expected; m++)
            {
                int w = widths[m];
                if (w > 64) throw CompactReader.Corrupt($"column '{column}': bit width {w}");
                long bytes = (long)perMini * w / 8;
                if (pos + bytes > d.Length) throw CompactReader.Corrupt($"column '{column}': DELTA_BINARY_PACKED miniblock past the page");
                long bit = (long)pos * 8;
                for (int k = 0; k < perMini && n < expected; k++)
                {
                    ulong v = 0;
                    for (int b = 0; b < w; b++, bit++) v |= (ulong)((d[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) << b;
                    last = unchecked(last + minDelta + (long)v);
                    values[n++] = last;
                }
                pos += (int)bytes;
            }
        }
        return values;
    }

    /// <summary>DELTA_LENGTH_BYTE_ARRAY: delta-packed lengths, then the concatenated bytes.</summary>
    public static string[] DeltaLengthByteArray(byte[] d, ref int pos, int expected, string column)
    {
        var lengths = DeltaBinaryPacked(d, ref pos, expected, column);
        var result = new string[expected];
        for (int i = 0; i < expected; i++)
        {
            long len = lengths[i];
            if (len < 0 || len > d.Length - pos) throw CompactReader.Corrupt($"column '{column}': string length {len} past the page");
            result[i] = System.Text.Encoding.UTF8.GetString(d, pos, (int)len);
            pos += (int)len;
        }
        return result;
    }

    /// <summary>BYTE_STREAM_SPLIT: byte k of every value stored in stream k; returns the reassembled bytes.</summary>
    public static byte[] ByteStreamSplit(ReadOnlySpan<byte> d, int pos, int count, int width, string column)
    {
        if ((long)count * width > d.Length - pos) throw CompactReader.Corrupt($"column '{column}': BYTE_STREAM_SPLIT values past the page");
        var r = new byte[count * width];
        for (int b = 0; b < width; b++)
            for (int i = 0; i < count; i++) r[i * width + b] = d[pos + b * count + i];
        return r;
    }

    private static ulong VarInt(ReadOnlySpan<byte> d, ref int pos, string column)
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= d.Length) throw CompactReader.Corrupt($"column '{column}': varint past the page");
            byte b = d[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw CompactReader.Corrupt($"column '{column}': malformed varint");
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);
}
