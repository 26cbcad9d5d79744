using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Store;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>A run a schedule started and follows until it ends (then its run-log line is written).</summary>
[GenerateSerializer]
public sealed class PendingRun
{
    /// <summary>The run id.</summary>
    [Id(0)] public string RunId { get; set; } = "";
    /// <summary>schedule or inbox.</summary>
    [Id(1)] public string Trigger { get; set; } = "";
    /// <summary>The dataset version it reads.</summary>
    [Id(2)] public string Dataset { get; set; } = "";
    /// <summary>The cron occurrence it was started for (schedule trigger), or null.</summary>
    [Id(3)] public DateTime? Occurrence { get; set; }
}

/// <summary>What a schedule keeps in grain storage.</summary>
[GenerateSerializer]
public sealed class ScheduleState
{
    /// <summary>The definition (null: no schedule with this id).</summary>
    [Id(0)] public ScheduleDefinition? Definition { get; set; }
    /// <summary>The last cron occurrence fired: a restart fires neither it again nor misses the next.</summary>
    [Id(1)] public DateTime? LastOccurrenceUtc { get; set; }
    /// <summary>Runs started and not yet logged.</summary>
    [Id(2)] public List<PendingRun> Pending { get; set; } = [];
    /// <summary>The last run started.</summary>
    [Id(3)] public string? LastRunId { get; set; }
    /// <summary>Its state as last seen.</summary>
    [Id(4)] public string? LastStatus { get; set; }
}

/// <summary>
/// One schedule (key: its id). The definition is in grain storage; an Orleans reminder (stored with the
/// cluster's reminders, in Redis on a cluster) ticks every minute — the reminder service's minimum period —
/// and the tick fires when the cron's next occurrence after the last fired one has passed. So a schedule
/// survives silo restarts: the reminder re-activates the grain on a live silo, and the stored last occurrence
/// keeps it from firing one twice or skipping the next. A started run is followed by a grain timer until it
/// ends, and then gets its line in RESULTS/runs.log.
/// </summary>
public sealed partial class ScheduleGrain(
    [PersistentState("schedule", RunGrain.StorageName)] IPersistentState<ScheduleState> state,
    ILogger<ScheduleGrain> logger) : Grain, IScheduleGrain, IRemindable
{
    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "cron";

    /// <summary>How often a started run's status is polled.</summary>
    private static readonly TimeSpan FollowPeriod = TimeSpan.FromSeconds(2);

    private IGrainTimer? _follow;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending.Count > 0) Follow();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ScheduleInfo> SetAsync(ScheduleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Id != this.GetPrimaryKeyString()) throw new InputException($"schedule id '{definition.Id}' sent to grain '{this.GetPrimaryKeyString()}'");
        // The client refuses a cron that never fires before it calls; the grain refuses it too, for any other caller.
        var cron = CronSchedule.Parse(definition.Cron, definition.TimeZone).RequireOccurrence(DateTime.UtcNow);
        bool sameTimes = state.State.Definition is { } old && old.Cron == definition.Cron && old.TimeZone == definition.TimeZone;
        state.State.Definition = definition;
        if (!sameTimes) state.State.LastOccurrenceUtc = null;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IScheduleRegistryGrain>(0).AddAsync(definition.Id);
        await this.RegisterOrUpdateReminder(ReminderName, DueTime(cron, DateTime.UtcNow), TimeSpan.FromMinutes(1));
        return Info(cron)!;
    }

    /// <summary>The first tick a second after the next occurrence (ticks then come every minute).</summary>
    private static TimeSpan DueTime(CronSchedule cron, DateTime nowUtc)
    {
        var next = cron.Next(nowUtc);
        var due = next is { } n ? n - nowUtc + TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
        return due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : due;
    }

    /// <inheritdoc/>
    public Task<ScheduleInfo?> GetAsync() =>
        Task.FromResult(state.State.Definition is { } d ? Info(CronSchedule.Parse(d.Cron, d.TimeZone)) : null);

    private ScheduleInfo? Info(CronSchedule cron) => state.State.Definition is { } d
        ? new ScheduleInfo(d, state.State.LastOccurrenceUtc, cron.Next(DateTime.UtcNow), state.State.LastRunId, state.State.LastStatus)
        : null;

    /// <inheritdoc/>
    public async Task<bool> RemoveAsync()
    {
        bool had = state.State.Definition is not null;
        if (await this.GetReminder(ReminderName) is { } r) await this.UnregisterReminder(r);
        await GrainFactory.GetGrain<IScheduleRegistryGrain>(0).RemoveAsync(this.GetPrimaryKeyString());
        if (had) await state.ClearStateAsync();
        return had;
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Definition is not { } d)
        {
            if (await this.GetReminder(reminderName) is { } r) await this.UnregisterReminder(r);
            return;
        }
        var cron = CronSchedule.Parse(d.Cron, d.TimeZone);
        var now = DateTime.UtcNow;
        if (cron.LatestDue(state.State.LastOccurrenceUtc ?? d.CreatedUtc, now) is not { } due) return;
        // Recorded before the run starts: a silo dying in between loses at most this occurrence's run, never repeats it.
        state.State.LastOccurrenceUtc = due;
        await state.WriteStateAsync();
        LogFiring(logger, d.Id, due);
        await StartRunAsync(d, "schedule", due);
    }

    /// <inheritdoc/>
    public async Task<string?> RunNowAsync(string trigger)
    {
        if (state.State.Definition is not { } d) return null;
        return await StartRunAsync(d, trigger, null);
    }

    private async Task<string?> StartRunAsync(ScheduleDefinition d, string trigger, DateTime? occurrence)
    {
        PreparedRun prepared;
        try { prepared = ScheduledRun.Prepare(d); }
        catch (InputException e)
        {
            Log(d, trigger, occurrence, "", "", "failed", null, e.Message);
            state.State.LastStatus = "failed";
            await state.WriteStateAsync();
            return null;
        }
        // The study was checked against the data of its day; a newer version may no longer fit it (a column gone or
        // no longer numeric, a filter that keeps nothing): then no run starts, and the log says what is wrong.
        string? misfit;
        try { misfit = await Task.Run(() => ScheduledRun.Misfit(prepared)); }
        catch (InputException e) { misfit = e.Message; }
        if (misfit is not null)
        {
            Log(d, trigger, occurrence, prepared.Dataset, "", "failed", null, misfit);
            state.State.LastStatus = "failed";
            await state.WriteStateAsync();
            return null;
        }
        RunStatus status;
        try { status = await GrainFactory.GetGrain<IRunGrain>(prepared.RunId).StartAsync(prepared.Command); }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The occurrence is recorded as fired: say in the log that its run did not start, rather than retry it unseen.
            Log(d, trigger, occurrence, prepared.Dataset, prepared.RunId, "failed", null, $"the run could not be started: {e.Message}");
            state.State.LastStatus = "failed";
            await state.WriteStateAsync();
            return null;
        }
        state.State.LastRunId = prepared.RunId;
        state.State.LastStatus = status.State.ToString().ToLowerInvariant();
        if (!state.State.Pending.Any(p => p.RunId == prepared.RunId))
            state.State.Pending.Add(new PendingRun { RunId = prepared.RunId, Trigger = trigger, Dataset = prepared.Dataset, Occurrence = occurrence });
        await state.WriteStateAsync();
        Follow();
        return prepared.RunId;
    }

    private void Follow() =>
        _follow ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions { DueTime = FollowPeriod, Period = FollowPeriod, KeepAlive = true });

    /// <summary>Polls the pending runs; each that ended gets its log line and leaves the list.</summary>
    private async Task PollAsync(CancellationToken ct)
    {
        var d = state.State.Definition;
        if (d is null) state.State.Pending.Clear();
        foreach (var p in state.State.Pending.ToList())
        {
            var s = await GrainFactory.GetGrain<IRunGrain>(p.RunId).GetStatusAsync().WaitAsync(ct);
            if (s.State is RunState.Running) continue;
            string status = s.State switch
            {
                RunState.Complete when s.Summary is { AlreadyComplete: true } => "already-complete",
                RunState.NotStarted => "lost",
                _ => s.State.ToString().ToLowerInvariant(),
            };
            if (d is not null) Log(d, p.Trigger, p.Occurrence, p.Dataset, p.RunId, status, s.Summary, s.Message ?? "");
            state.State.Pending.Remove(p);
            if (state.State.LastRunId == p.RunId) state.State.LastStatus = status;
            await state.WriteStateAsync(ct);
        }
        if (state.State.Pending.Count == 0 && _follow is not null)
        {
            _follow.Dispose();
            _follow = null;
        }
    }

    private static void Log(ScheduleDefinition d, string trigger, DateTime? occurrence, string dataset, string runId, string status, RunSummary? summary, string note) =>
        RunLog.Append(d.ResultsRoot, new RunLogEntry(DateTime.UtcNow, trigger, occurrence, d.Id, d.Study.Name, dataset, runId, status,
            Counts(d, summary).Recomputed, Counts(d, summary).Reused, note));

    /// <summary>
    /// Specifications fitted by this run and taken from earlier runs (incremental recomputation); a run found
    /// complete fitted none. None for a study without a grid, or a run that did not complete.
    /// </summary>
    private static (int? Recomputed, int? Reused) Counts(ScheduleDefinition d, RunSummary? s) =>
        s is null || d.Study.Grid is null ? (null, null)
        : s.AlreadyComplete ? (0, s.Specifications)
        : (s.SpecificationsRecomputed, s.SpecificationsReused);

    [LoggerMessage(Level = LogLevel.Information, Message = "schedule {Id}: firing the occurrence of {Due:u}")]
    private static partial void LogFiring(ILogger logger, string id, DateTime due);
}
