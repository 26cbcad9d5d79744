using DigitalEconomy.Contracts;
using Spectre.Console;

namespace DigitalEconomy.Client;

/// <summary>
/// Follows a run grain's status and draws it: Spectre.Console progress bars on a terminal, plain
/// lines (one per stage and per quarter of a stage) when stderr is redirected, so logs hold no frames.
/// Between the stages it says, as "note:" lines, what the run grain reports (a damaged part moved aside),
/// when the run grain has not answered for a while (its silo may have died), and when the run resumes
/// on another silo (its stages then start again from the parts already written).
/// </summary>
internal static class ProgressView
{
    // A status call is cheap (an in-process call when embedded, one small message on a cluster); a short period lets the
    // command return soon after the run ends, and no line is drawn per poll, only per change.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a status call may go unanswered before the user is told (by default).</summary>
    private static readonly TimeSpan DefaultQuiet = TimeSpan.FromSeconds(5);

    /// <summary>The notes already printed, and the silo of the run grain last seen.</summary>
    private sealed class Seen(RunStatus first, TimeSpan quiet)
    {
        public TimeSpan Quiet { get; } = quiet;
        public HashSet<string> Notes { get; } = new(StringComparer.Ordinal);
        public string Host { get; set; } = first.Host;
    }

    /// <summary>The next status; on the way, the notes about it (a run grain that stays silent, a new silo, the grain's own notes).</summary>
    private static RunStatus Next(Func<Task<RunStatus>> status, RunStatus last, Seen seen, Action<string> note)
    {
        var call = status();
        if (!call.Wait(seen.Quiet, CancellationToken.None))
            note($"the run grain on {last.Host} has not answered for {seen.Quiet.TotalSeconds:0} s; waiting (if its silo stopped, the run resumes on another silo from the parts already written)");
        var s = call.GetAwaiter().GetResult();
        Notes(s, seen, note);
        return s;
    }

    private static void Notes(RunStatus s, Seen seen, Action<string> note)
    {
        if (s.State == RunState.Running && !string.IsNullOrEmpty(s.Host) && s.Host != seen.Host)
            note($"the run is resuming on silo {s.Host} (its run grain was on {seen.Host}); its stages start again from the parts already written");
        if (!string.IsNullOrEmpty(s.Host)) seen.Host = s.Host;
        foreach (var n in s.Notes.IsDefault ? [] : s.Notes)
            if (seen.Notes.Add(n)) note(n);
    }

    private static bool Terminal(RunStatus s) => s.State is RunState.Complete or RunState.Failed or RunState.Interrupted;

    /// <param name="stderr">Where to draw.</param>
    /// <param name="status">The run grain's status call.</param>
    /// <param name="first">The status the run started with.</param>
    /// <param name="interrupt">Ctrl+C.</param>
    /// <param name="quiet">How long a status call may go unanswered before a note says so (5 s).</param>
    public static RunStatus Follow(TextWriter stderr, Func<Task<RunStatus>> status, RunStatus first, CancellationToken interrupt, TimeSpan? quiet = null)
    {
        bool interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        var q = quiet ?? DefaultQuiet;
        return interactive ? Bars(status, first, q, interrupt) : Lines(stderr, status, first, q, interrupt);
    }

    private static RunStatus Lines(TextWriter err, Func<Task<RunStatus>> status, RunStatus s, TimeSpan quiet, CancellationToken interrupt)
    {
        string stage = "";
        int quarter = -1, finished = 0;
        var seen = new Seen(s, quiet);
        void Note(string n)
        {
            err.WriteLine($"note: {n}");
            err.Flush();
        }
        Notes(s, seen, Note);
        while (true)
        {
            // Every finished stage gets its line, even one that began and ended between two polls.
            for (; !s.Finished.IsDefaultOrEmpty && finished < s.Finished.Length; finished++)
            {
                var f = s.Finished[finished];
                err.WriteLine($"{f.Stage,-10} {f.Done}/{f.Total} done");
                if (f.Stage == stage) stage = "\u0000";
            }
            if (s.Stage != stage && !s.Finished.Any(f => f.Stage == s.Stage)) { stage = s.Stage; quarter = -1; }
            int q = s.Total > 0 ? (int)(4 * s.Done / s.Total) : 0;
            if (stage == s.Stage && q != quarter && q < 4 && s.State == RunState.Running && s.Stage != "queued")
            {
                quarter = q;
                err.WriteLine($"{s.Stage,-10} {s.Done}/{s.Total}");
            }
            err.Flush();
            if (Terminal(s) || interrupt.IsCancellationRequested) return s;
            Wait(interrupt);
            var previous = s;
            s = Next(status, previous, seen, Note);
            // A new activation (the run resumed on another silo) starts its stages again: so do the lines.
            if (s.Finished.IsDefaultOrEmpty ? finished > 0 : s.Finished.Length < finished) (finished, stage, quarter) = (0, "", -1);
        }
    }

    private static RunStatus Bars(Func<Task<RunStatus>> status, RunStatus first, TimeSpan quiet, CancellationToken interrupt)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var last = first;
        var seen = new Seen(first, quiet);
        void Note(string n) => console.MarkupLine(Markup.Escape($"note: {n}"));
        Notes(first, seen, Note);
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (true)
                {
                    if (last.Stage != "queued")
                    {
                        if (!tasks.TryGetValue(last.Stage, out var task))
                        {
                            foreach (var t in tasks.Values) t.Value = t.MaxValue;
                            tasks[last.Stage] = task = ctx.AddTask(Markup.Escape(last.Stage), maxValue: Math.Max(1, last.Total));
                        }
                        task.MaxValue = Math.Max(1, last.Total);
                        task.Value = last.Done;
                    }
                    if (Terminal(last) || interrupt.IsCancellationRequested)
                    {
                        if (last.State == RunState.Complete) foreach (var t in tasks.Values) t.Value = t.MaxValue;
                        return;
                    }
                    ctx.Refresh();
                    Wait(interrupt);
                    last = Next(status, last, seen, Note);
                }
            });
        return last;
    }

    private static void Wait(CancellationToken interrupt) => interrupt.WaitHandle.WaitOne(Poll);
}
