namespace DigitalEconomy.Store;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a temporary file in the same folder, is flushed
/// to disk, then renamed over the target (an atomic replace on POSIX file systems). A crash leaves
/// either the old file or the new one, never a partial file under the target name. The temporary file
/// never outlives a failure and is never named in an error: messages name the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the target is untouched and the temporary file removed.</summary>
    /// <exception cref="IOException">The target is a directory, or the file system refused the write (the message names the target).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        // Synchronous callers (CLI, reports) get the same steps; the callback runs on this thread.
        WriteCore(path, s => { write(s); return Task.CompletedTask; }).GetAwaiter().GetResult();
    }

    /// <summary>Writes <paramref name="path"/> through an asynchronous <paramref name="write"/> (Parquet.Net writers are asynchronous); same guarantees as <see cref="Write"/>.</summary>
    /// <exception cref="IOException">The target is a directory, or the file system refused the write (the message names the target).</exception>
    public static Task WriteAsync(string path, Func<Stream, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteCore(path, write);
    }

    private static async Task WriteCore(string path, Func<Stream, Task> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"cannot write '{path}': it is a directory; give a file name");
        string dir = Path.GetDirectoryName(full) ?? ".";
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new IOException($"cannot write '{path}': {e.Message}", e); }
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            await using (fs.ConfigureAwait(false))
            {
                await write(fs).ConfigureAwait(false);
                if (!fs.CanWrite) throw new InvalidOperationException("The write callback closed the stream; leave it open so the file can be flushed to disk before the rename.");
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (e is IOException or UnauthorizedAccessException)
                throw new IOException($"cannot write '{path}': {e.Message.Replace(tmp, full, StringComparison.Ordinal)}", e);
            throw;
        }
    }
}
