using DigitalEconomy.Contracts;
using Spectre.Console;

namespace DigitalEconomy.Client;

/// <summary>
/// Follows a run grain's status and draws it: Spectre.Console progress bars on a terminal, plain
/// lines (one per stage and per quarter of a stage) when stderr is redirected, so logs hold no frames.
/// </summary>
internal static class ProgressView
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private static bool Terminal(RunStatus s) => s.State is RunState.Complete or RunState.Failed or RunState.Interrupted;

    public static RunStatus Follow(TextWriter stderr, Func<Task<RunStatus>> status, RunStatus first, CancellationToken interrupt)
    {
        bool interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        return interactive ? Bars(status, first, interrupt) : Lines(stderr, status, first, interrupt);
    }

    private static RunStatus Lines(TextWriter err, Func<Task<RunStatus>> status, RunStatus s, CancellationToken interrupt)
    {
        string stage = "";
        int quarter = -1, finished = 0;
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
            s = status().GetAwaiter().GetResult();
        }
    }

    private static RunStatus Bars(Func<Task<RunStatus>> status, RunStatus first, CancellationToken interrupt)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var last = first;
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
                    last = status().GetAwaiter().GetResult();
                }
            });
        return last;
    }

    private static void Wait(CancellationToken interrupt) => interrupt.WaitHandle.WaitOne(Poll);
}
