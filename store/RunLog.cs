using System.Globalization;
using System.Text;

namespace DigitalEconomy.Store;

/// <summary>One automatic run, as the run log records it.</summary>
/// <param name="TimeUtc">When the run ended (or was found already complete).</param>
/// <param name="Trigger">What started it: schedule or inbox.</param>
/// <param name="Occurrence">The cron occurrence it was started for (schedule trigger), or null.</param>
/// <param name="Schedule">The schedule id.</param>
/// <param name="Study">The study name.</param>
/// <param name="Dataset">The dataset version (NAME@vN) or the data file's name.</param>
/// <param name="RunId">The run id (its results are under RESULTS/&lt;study&gt;/&lt;run-id&gt;).</param>
/// <param name="Status">complete, failed, interrupted, or already-complete.</param>
/// <param name="Recomputed">Specifications fitted by this run, when it has a grid and completed.</param>
/// <param name="Reused">Specifications taken from earlier runs (or found complete), when it has a grid and completed.</param>
/// <param name="Note">Why it failed, or empty.</param>
public sealed record RunLogEntry(DateTime TimeUtc, string Trigger, DateTime? Occurrence, string Schedule, string Study, string Dataset, string RunId, string Status, int? Recomputed, int? Reused, string Note);

/// <summary>
/// <c>RESULTS/runs.log</c>: one tab-separated line per automatic run, under a header line (docs/schedules.md).
/// The log is only ever appended to — each line in one write of an append-mode file, which POSIX keeps whole
/// when several silos append at once — so earlier lines are never rewritten (AtomicFile replaces whole files,
/// which a log shared by silos cannot use without losing a concurrent line).
/// </summary>
public static class RunLog
{
    /// <summary>The log's file name in a results root.</summary>
    public const string FileName = "runs.log";

    /// <summary>The header line.</summary>
    public const string Header = "time_utc\ttrigger\toccurrence_utc\tschedule\tstudy\tdataset\trun_id\tstatus\trecomputed\treused\tnote";

    /// <summary>The line of an entry (tabs and line breaks inside a field become spaces).</summary>
    public static string Line(RunLogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        static string F(string s) => s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        return string.Join('\t',
            Iso(e.TimeUtc), F(e.Trigger), e.Occurrence is { } o ? Iso(o) : "", F(e.Schedule), F(e.Study), F(e.Dataset), F(e.RunId), F(e.Status),
            e.Recomputed?.ToString(CultureInfo.InvariantCulture) ?? "", e.Reused?.ToString(CultureInfo.InvariantCulture) ?? "", F(e.Note));
    }

    private static string Iso(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Appends an entry to RESULTS/runs.log (made with its header when absent).</summary>
    public static void Append(string resultsRoot, RunLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(resultsRoot);
        Directory.CreateDirectory(resultsRoot);
        string path = Path.Combine(resultsRoot, FileName);
        byte[] bytes = Encoding.UTF8.GetBytes(Line(entry) + "\n");
        using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        if (fs.Position == 0) bytes = [.. Encoding.UTF8.GetBytes(Header + "\n"), .. bytes];
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>The entries' lines of a results root's log, without the header (empty when there is none).</summary>
    public static IReadOnlyList<string> Read(string resultsRoot)
    {
        string path = Path.Combine(resultsRoot, FileName);
        return File.Exists(path) ? [.. File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)] : [];
    }
}
