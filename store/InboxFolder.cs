using DigitalEconomy.Core;

namespace DigitalEconomy.Store;

/// <summary>A file waiting in an inbox: <c>INBOX/&lt;dataset&gt;/&lt;file&gt;</c>.</summary>
/// <param name="Dataset">The dataset it feeds (its folder's name).</param>
/// <param name="Path">The file.</param>
public sealed record InboxFile(string Dataset, string Path);

/// <summary>What became of one inbox file.</summary>
/// <param name="File">The file as it was found.</param>
/// <param name="MovedTo">Where it is now (under done/ or failed/).</param>
/// <param name="Ingested">The ingest, when it succeeded.</param>
/// <param name="Error">Why it failed (also in the .reason.txt beside it), or null.</param>
public sealed record InboxOutcome(InboxFile File, string MovedTo, IngestResult? Ingested, string? Error);

/// <summary>
/// The inbox of new yearbook files (docs/datasets.md, "Inbox"): <c>INBOX/&lt;dataset&gt;/</c> holds the
/// dataset's column map <c>map.yaml</c> and the files to ingest (.csv, .xlsx, .xls, .parquet). Each file is
/// ingested into the next version of the dataset under the datasets root, then moved to <c>done/</c>, or to
/// <c>failed/</c> with a <c>.reason.txt</c>. Nothing is overwritten: a name already taken there gets a suffix.
/// </summary>
public static class InboxFolder
{
    /// <summary>The column map's file name in each dataset's inbox folder.</summary>
    public const string MapFileName = "map.yaml";

    private static readonly string[] Extensions = [".csv", ".xlsx", ".xls", ".parquet"];

    /// <summary>
    /// Files ready to ingest, by dataset then name (ordinal). A file written to in the last
    /// <paramref name="settle"/> is left for the next scan (it may still be being copied in); a folder whose
    /// name is not a dataset name is skipped.
    /// </summary>
    public static IReadOnlyList<InboxFile> Ready(string inbox, TimeSpan settle, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (!Directory.Exists(inbox)) return [];
        var ready = new List<InboxFile>();
        foreach (string dir in Directory.GetDirectories(inbox).Order(StringComparer.Ordinal))
        {
            string dataset = System.IO.Path.GetFileName(dir);
            try { DatasetVersions.ValidName(dataset); }
            catch (InputException) { continue; }
            foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                if (!Extensions.Contains(System.IO.Path.GetExtension(file).ToLowerInvariant())) continue;
                if (nowUtc - File.GetLastWriteTimeUtc(file) < settle) continue;
                ready.Add(new InboxFile(dataset, file));
            }
        }
        return ready;
    }

    /// <summary>Ingests one inbox file with its folder's map.yaml into the datasets root, then moves it to done/ or failed/.</summary>
    public static InboxOutcome Process(InboxFile file, DatasetVersions store)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(store);
        string dir = System.IO.Path.GetDirectoryName(file.Path)!;
        string map = System.IO.Path.Combine(dir, MapFileName);
        try
        {
            if (!File.Exists(map)) throw new InputException($"no column map {map}: put the dataset's map (docs/datasets.md) there");
            var result = Ingestion.Run(store, file.Dataset, file.Path, map, removeAbsent: false);
            return new InboxOutcome(file, MoveInto(file.Path, System.IO.Path.Combine(dir, "done")), result, null);
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string moved = MoveInto(file.Path, System.IO.Path.Combine(dir, "failed"));
            AtomicFile.Write(moved + ".reason.txt", s => s.Write(System.Text.Encoding.UTF8.GetBytes(e.Message + "\n")));
            return new InboxOutcome(file, moved, null, e.Message);
        }
    }

    /// <summary>Moves a file into a folder under a name not yet taken there (name, name.2, name.3 … before the extension).</summary>
    private static string MoveInto(string path, string folder)
    {
        Directory.CreateDirectory(folder);
        string stem = System.IO.Path.GetFileNameWithoutExtension(path), ext = System.IO.Path.GetExtension(path);
        for (int n = 1; ; n++)
        {
            string target = System.IO.Path.Combine(folder, n == 1 ? stem + ext : $"{stem}.{n}{ext}");
            if (File.Exists(target) || File.Exists(target + ".reason.txt")) continue;
            try
            {
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target)) { } // taken between the check and the move: next name
        }
    }
}
