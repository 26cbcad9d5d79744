using System.Collections.Immutable;

namespace DigitalEconomy.Contracts;

/// <summary>A schedule: a study run on a cron (docs/schedules.md), checked by the client when added.</summary>
/// <param name="Id">Stable id: given, or a hash of the study name, cron and time zone.</param>
/// <param name="Study">The study as the client loaded and checked it.</param>
/// <param name="StudyFile">The study file it came from (for listing).</param>
/// <param name="Cron">Five-field cron expression (minute hour day-of-month month day-of-week).</param>
/// <param name="TimeZone">IANA time zone the cron is read in, e.g. Asia/Shanghai or UTC.</param>
/// <param name="ResultsRoot">Results root (absolute; runs go to ROOT/&lt;study&gt;/&lt;run-id&gt;, the log to ROOT/runs.log).</param>
/// <param name="CreatedUtc">When it was added: the first occurrence fired is the first after this.</param>
[GenerateSerializer, Immutable]
public sealed record ScheduleDefinition(
    string Id, StudyDefinition Study, string StudyFile, string Cron, string TimeZone, string ResultsRoot, DateTime CreatedUtc);

/// <summary>A schedule and where it stands.</summary>
/// <param name="Definition">What it runs and when.</param>
/// <param name="LastOccurrenceUtc">The last cron occurrence fired (null: none yet).</param>
/// <param name="NextOccurrenceUtc">The next occurrence.</param>
/// <param name="LastRunId">The last run it started.</param>
/// <param name="LastStatus">That run's state as last seen.</param>
[GenerateSerializer, Immutable]
public sealed record ScheduleInfo(ScheduleDefinition Definition, DateTime? LastOccurrenceUtc, DateTime? NextOccurrenceUtc, string? LastRunId, string? LastStatus);

/// <summary>One schedule (key: its id): keeps its definition in grain storage and fires through an Orleans reminder.</summary>
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>Stores the definition (replacing an earlier one of the same id), registers the reminder and the schedule in the registry.</summary>
    Task<ScheduleInfo> SetAsync(ScheduleDefinition definition);

    /// <summary>The schedule, or null when there is none with this id.</summary>
    Task<ScheduleInfo?> GetAsync();

    /// <summary>Removes the schedule: definition, reminder and registry entry. False when there was none.</summary>
    Task<bool> RemoveAsync();

    /// <summary>Starts a run now (the inbox calls this after a new dataset version); the run log says <paramref name="trigger"/>. Returns the run id.</summary>
    Task<string?> RunNowAsync(string trigger);
}

/// <summary>The list of schedule ids (key: 0, one per cluster).</summary>
public interface IScheduleRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds an id (idempotent).</summary>
    Task AddAsync(string id);

    /// <summary>Removes an id (idempotent).</summary>
    Task RemoveAsync(string id);

    /// <summary>Every id, sorted.</summary>
    Task<ImmutableArray<string>> ListAsync();
}

/// <summary>Where the inbox watcher looks and writes.</summary>
/// <param name="Inbox">The inbox folder (INBOX/&lt;dataset&gt;/ files, with map.yaml).</param>
/// <param name="DatasetRoot">The folder of the versioned datasets new versions go to.</param>
/// <param name="Period">How often the folder is scanned.</param>
[GenerateSerializer, Immutable]
public sealed record InboxSettings(string Inbox, string DatasetRoot, TimeSpan Period);

/// <summary>A file the inbox processed.</summary>
/// <param name="Dataset">Its dataset.</param>
/// <param name="File">Where it went (done/ or failed/).</param>
/// <param name="Version">The version it made, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Runs">Run ids started for the scheduled studies on the dataset.</param>
[GenerateSerializer, Immutable]
public sealed record InboxProcessed(string Dataset, string File, int? Version, string? Error, ImmutableArray<string> Runs);

/// <summary>Watches an inbox folder (key: the folder's full path) with a grain timer; a reminder brings it back after its silo dies.</summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the settings and starts watching (idempotent).</summary>
    Task StartAsync(InboxSettings settings);

    /// <summary>Scans once now; what it processed.</summary>
    Task<ImmutableArray<InboxProcessed>> ScanAsync();

    /// <summary>Every file processed since this activation began, oldest first.</summary>
    Task<ImmutableArray<InboxProcessed>> HistoryAsync();
}
