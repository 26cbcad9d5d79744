using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Store;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>What the inbox watcher keeps in grain storage.</summary>
[GenerateSerializer]
public sealed class InboxState
{
    /// <summary>Where it looks and writes (null: never started).</summary>
    [Id(0)] public InboxSettings? Settings { get; set; }
}

/// <summary>
/// Watches an inbox folder (key: its full path; docs/datasets.md, "Inbox"). A grain timer scans it every
/// few seconds: each new file in INBOX/&lt;dataset&gt;/ is ingested with that folder's map.yaml into a new
/// version of the dataset, moved to done/ (or failed/ with its reason), and every schedule whose study reads
/// that dataset is run now. Grain timers end with their activation, so a reminder (one-minute period) brings
/// the watcher back on a live silo after its silo dies; the silo that configured it also starts it at boot.
/// </summary>
public sealed partial class InboxGrain(
    [PersistentState("inbox", RunGrain.StorageName)] IPersistentState<InboxState> state,
    ILogger<InboxGrain> logger) : Grain, IInboxGrain, IRemindable
{
    /// <summary>A file written to within this long is left for the next scan (it may still be being copied).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private const string ReminderName = "keep-watching";
    private IGrainTimer? _timer;
    private readonly List<InboxProcessed> _history = [];

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Settings is { } s) Watch(s);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StartAsync(InboxSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (state.State.Settings != settings)
        {
            state.State.Settings = settings;
            await state.WriteStateAsync();
            _timer?.Dispose();
            _timer = null;
        }
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Watch(settings);
    }

    /// <inheritdoc/>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activation (OnActivateAsync) restarts the timer

    /// <inheritdoc/>
    public Task<ImmutableArray<InboxProcessed>> HistoryAsync() => Task.FromResult(_history.ToImmutableArray());

    private void Watch(InboxSettings s) =>
        _timer ??= this.RegisterGrainTimer(async _ => await ScanAsync(), new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = s.Period, KeepAlive = true });

    /// <inheritdoc/>
    public async Task<ImmutableArray<InboxProcessed>> ScanAsync()
    {
        if (state.State.Settings is not { } s) return [];
        var store = new DatasetVersions(s.DatasetRoot);
        var processed = ImmutableArray.CreateBuilder<InboxProcessed>();
        // Reading and ingesting are blocking file work: off the grain's scheduler, one file at a time.
        var ready = await Task.Run(() => InboxFolder.Ready(s.Inbox, Settle, DateTime.UtcNow));
        foreach (var file in ready)
        {
            var outcome = await Task.Run(() => InboxFolder.Process(file, store));
            int? version = outcome.Ingested?.Outcome.Created?.Version;
            var runs = ImmutableArray<string>.Empty;
            if (version is not null) runs = await RunSchedulesAsync(file.Dataset, s.DatasetRoot);
            if (outcome.Error is { } e) LogFailed(logger, file.Path, e);
            else LogIngested(logger, file.Path, file.Dataset, version, runs.Length);
            var p = new InboxProcessed(file.Dataset, outcome.MovedTo, version, outcome.Error, runs);
            processed.Add(p);
            _history.Add(p);
        }
        return processed.ToImmutable();
    }

    /// <summary>Runs every schedule whose study reads the dataset's newest version (after a new version only: an unchanged one would repeat the last run).</summary>
    private async Task<ImmutableArray<string>> RunSchedulesAsync(string dataset, string root)
    {
        var runs = ImmutableArray.CreateBuilder<string>();
        foreach (string id in await GrainFactory.GetGrain<IScheduleRegistryGrain>(0).ListAsync())
        {
            var schedule = GrainFactory.GetGrain<IScheduleGrain>(id);
            try
            {
                if (await schedule.GetAsync() is not { } info || !ScheduledRun.Follows(info.Definition, dataset, root)) continue;
                if (await schedule.RunNowAsync("inbox") is { } run) runs.Add(run);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // One unreachable schedule does not keep the others from running on the new version.
                LogScheduleFailed(logger, id, dataset, e.Message);
            }
        }
        return runs.ToImmutable();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "inbox: {File} → {Dataset} v{Version}; {Runs} scheduled studies started")]
    private static partial void LogIngested(ILogger logger, string file, string dataset, int? version, int runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "inbox: schedule {Id} could not be run on the new version of {Dataset}: {Reason}")]
    private static partial void LogScheduleFailed(ILogger logger, string id, string dataset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "inbox: {File} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string file, string reason);
}
