using System.IO.Compression;
using Parquet;

namespace DigitalEconomy.Store;

/// <summary>The fixed Parquet.Net options every file of this system is written and read with.</summary>
public static class ParquetFormat
{
    /// <summary>
    /// Writer options: SNAPPY at <see cref="CompressionLevel.Optimal"/> (Parquet.Net's default level,
    /// SmallestSize, made 1M-row writes take over a minute). Nothing in them depends on the time or
    /// the machine, so the same rows give the same bytes.
    /// </summary>
    public static ParquetOptions Writer() => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        CompressionLevel = CompressionLevel.Optimal,
        UseDateOnlyTypeForDates = true,
    };

    /// <summary>Reader options: DATE as <see cref="DateOnly"/>, DECIMAL as <see cref="decimal"/>.</summary>
    public static ParquetOptions Reader() => new() { UseDateOnlyTypeForDates = true };

    /// <summary>Opens a Parquet file for reading; a file that is not Parquet gives an <see cref="Core.InputException"/> naming it.</summary>
    public static Task<ParquetReader> OpenAsync(string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new Core.InputException($"'{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new Core.InputException($"file '{path}' does not exist");
        return OpenAsync(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path, ct);
    }

    /// <summary>Opens Parquet bytes from a seekable stream (owned: disposed with the reader or on failure); <paramref name="name"/> names it in messages.</summary>
    public static async Task<ParquetReader> OpenAsync(Stream stream, string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            if (stream.Length < 12 || !HasMagic(stream))
                throw new Core.InputException($"{name}: not a Parquet file (no PAR1 magic at its start and end)");
            return await ParquetReader.CreateAsync(stream, Reader(), leaveStreamOpen: false, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (e is not (OperationCanceledException or OutOfMemoryException or Core.InputException))
                throw new Core.InputException($"{name}: corrupt or unreadable Parquet file ({e.Message})", e);
            throw;
        }
    }

    private static bool HasMagic(Stream s)
    {
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[4];
        s.Position = 0;
        s.ReadExactly(head);
        s.Position = s.Length - 4;
        s.ReadExactly(tail);
        s.Position = 0;
        return head.SequenceEqual("PAR1"u8) && tail.SequenceEqual("PAR1"u8);
    }

    /// <summary>True when the file starts with the Parquet magic (how a dataset path is told from CSV).</summary>
    public static bool LooksLikeParquet(string path)
    {
        if (!File.Exists(path)) return false;
        using var s = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return s.Read(head) == 4 && head.SequenceEqual("PAR1"u8);
    }
}
