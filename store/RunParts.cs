using DigitalEconomy.Core;

namespace DigitalEconomy.Store;

/// <summary>A committed part a run could not use: where it was, where it was moved to, and why (one line).</summary>
public sealed record DamagedPart(string Path, string MovedTo, string Reason);

/// <summary>
/// The parts a run commits, one per unit of work (specs/part-*.parquet, bootstrap/part-*.parquet, curve_null/part-*.parquet).
/// A part is trusted only when it can be read and holds exactly the rows its work writes; any other file under its
/// name — truncated, corrupt, another part's copy — is moved aside (renamed NAME.damaged-N, the first N free; never
/// deleted, so that it can be looked at) and the run computes the part again.
/// </summary>
public static class RunParts
{
    /// <summary>
    /// The rows of the part at <paramref name="path"/>, or null when there is none; a part that cannot be read, or whose
    /// rows <paramref name="mismatch"/> finds wrong (it returns why, or null when they are right), is moved aside and
    /// returned as <see cref="DamagedPart"/> with null rows.
    /// </summary>
    public static async Task<(List<T>? Rows, DamagedPart? Damaged)> ReadAsync<T>(string path, TableSchema<T> table, Func<List<T>, string?> mismatch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(mismatch);
        if (!File.Exists(path)) return (null, null);
        string? reason;
        List<T>? rows = null;
        try
        {
            rows = await table.ReadFileAsync(path, ct);
            reason = mismatch(rows);
        }
        catch (Exception e) when (e is InputException or IOException or InvalidDataException)
        {
            string message = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            reason = $"could not be read ({message.ReplaceLineEndings(" ")})";
        }
        if (reason is null) return (rows, null);
        return (null, new DamagedPart(path, MoveAside(path), reason));
    }

    /// <summary>Renames a file to NAME.damaged-N, the first N not taken; returns the new path.</summary>
    public static string MoveAside(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (int n = 1; ; n++)
        {
            string target = $"{path}.damaged-{n}";
            if (File.Exists(target)) continue;
            try
            {
                File.Move(path, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target) && File.Exists(path))
            {
                // Another execution took this name between the check and the move: the next one.
            }
        }
    }
}
