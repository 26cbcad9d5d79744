using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>A run a schedule is about to start: the command, its id, and the dataset it reads.</summary>
/// <param name="Command">The command for the run grain.</param>
/// <param name="RunId">The run id (the same as <c>de run</c> gives the same study on the same data).</param>
/// <param name="Dataset">NAME@vN of a named dataset, else the data file's name.</param>
public sealed record PreparedRun(StartRun Command, string RunId, string Dataset);

/// <summary>Resolves a schedule's study to the data it reads now and the run id, through <see cref="RunStart"/> as <c>de run</c> does.</summary>
public static class ScheduledRun
{
    /// <summary>Work calls in flight of an automatic run (as <c>de run</c>'s default on a 2-core machine).</summary>
    public const int MaxInFlight = 4;

    /// <summary>The run of a schedule now: a named dataset's pinned or newest version, or the study's file as it is.</summary>
    /// <exception cref="Core.InputException">The dataset or file is gone or changed under its manifest.</exception>
    public static PreparedRun Prepare(ScheduleDefinition schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (runId, command) = RunStart.Build(schedule.Study, schedule.ResultsRoot, MaxInFlight);
        var d = command.Study.Dataset;
        return new PreparedRun(command, runId, d.Name is { } name ? $"{name}@v{d.Version}" : Path.GetFileName(d.Path));
    }

    /// <summary>
    /// Re-checks the schedule's study against the data the prepared run would read (the newest version of a named
    /// dataset may no longer fit the study checked at <c>de schedule add</c>: a column turned text, a filter that keeps
    /// no row, a rebuilt dataset without a column), with the loader's own checks
    /// (<see cref="Study.StudyCheck"/>). Null: the study fits; else the one-line note of the run log's <c>failed</c> line,
    /// e.g. <c>cities@v2 no longer fits the study: grid.controls.full: unknown variable 'x'; available: …</c>.
    /// Reads the data file: call it off the grain's scheduler.
    /// </summary>
    /// <exception cref="Core.InputException">The data file cannot be read.</exception>
    public static string? Misfit(PreparedRun prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var problems = Study.StudyCheck.Recheck(prepared.Command.Study);
        return problems.IsEmpty ? null : $"{prepared.Dataset} no longer fits the study: {Study.StudyCheck.OneLine(problems)}";
    }

    /// <summary>
    /// Whether a new version of <paramref name="dataset"/> under <paramref name="datasetRoot"/> concerns the
    /// schedule: its study names that dataset in that root without pinning a version.
    /// </summary>
    public static bool Follows(ScheduleDefinition schedule, string dataset, string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var d = schedule.Study.Dataset;
        return d.Name == dataset && d.Version is null
            && string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(d.Root ?? RunStart.DefaultRoot)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(datasetRoot)), StringComparison.Ordinal);
    }
}
