using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using Microsoft.Extensions.Logging;

namespace DigitalEconomy.Grains;

/// <summary>What the run grain keeps in grain storage: enough to resume on another silo.</summary>
[GenerateSerializer]
public sealed class RunRecord
{
    /// <summary>The command that started the run.</summary>
    [Id(0)] public StartRun? Command { get; set; }
    /// <summary>Its state.</summary>
    [Id(1)] public RunState State { get; set; }
    /// <summary>Why it stopped.</summary>
    [Id(2)] public string? Message { get; set; }
}

/// <summary>
/// The run of a study (key: run id), on a silo. <see cref="StartAsync"/> returns at once and the stages
/// run in this activation (<see cref="RunExecution"/>). While running the grain holds a reminder: if its
/// silo dies, the reminder re-activates it on a surviving silo, which resumes from the committed parts
/// with no client involved. State (the command) is in grain storage so that the new activation knows
/// what to resume.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source is disposed in OnDeactivateAsync, the grain's end of life.")]
public sealed partial class RunGrain(
    [PersistentState("run", RunGrain.StorageName)] IPersistentState<RunRecord> record,
    ILogger<RunGrain> logger) : Grain, IRunGrain, IRemindable
{
    /// <summary>The grain storage provider that holds run records.</summary>
    public const string StorageName = "runs";

    private const string ReminderName = "keep-running";
    private Task? _execution;
    private CancellationTokenSource? _cts;
    private string _stage = "queued";
    private long _done, _total;
    private string? _runDir;
    private RunSummary? _summary;
    private bool _deactivating;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A run whose previous activation was lost (its silo died, or Orleans resolved a directory
        // conflict by deactivating it) resumes as soon as anything reaches this grain — the client's
        // next status call or, with no client, the reminder — from the parts already committed.
        if (record.State is { State: RunState.Running, Command: { } command })
        {
            LogResuming(logger, this.GetPrimaryKeyString());
            Begin(command);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<RunStatus> StartAsync(StartRun command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_execution is { IsCompleted: false }) return Status();
        await Retry.WriteAsync(record, r => (r.Command, r.State, r.Message) = (command, RunState.Running, null), r => Holds(r, command, RunState.Running, null));
        _unsaved = false;
        await Retry.RunAsync(() => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        Begin(command);
        return Status();
    }

    /// <inheritdoc/>
    public Task<RunStatus> GetStatusAsync() => Task.FromResult(Status());

    /// <inheritdoc/>
    public async Task<RunStatus> InterruptAsync()
    {
        if (_execution is { IsCompleted: false } running && _cts is not null)
        {
            await _cts.CancelAsync();
            await running;
        }
        return Status();
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // A run that finished while its storage did not answer: its record is written now, and the reminder goes.
        if (_unsaved && _execution is { IsCompleted: true } && record.State.State != RunState.Running)
        {
            await FinishAsync(record.State.State, record.State.Message);
            return;
        }
        if (record.State is { State: RunState.Running, Command: { } command })
        {
            if (_execution is null || _execution.IsCompleted)
            {
                LogResuming(logger, this.GetPrimaryKeyString());
                Begin(command);
            }
        }
        else if (await this.GetReminder(reminderName) is { } r) await this.UnregisterReminder(r);
    }

    private void Begin(StartRun command)
    {
        _cts = new CancellationTokenSource();
        _summary = null;
        _finished.Clear();
        lock (_notes) _notes.Clear();
        (_stage, _done, _total) = ("queued", 0, 0);
        var execution = new RunExecution(GrainFactory, this.GetPrimaryKeyString(), command, Progress, note: Note);
        _runDir = execution.RunDir;
        _execution = RunAsync(execution, _cts.Token);
    }

    private async Task RunAsync(RunExecution execution, CancellationToken ct)
    {
        // Let the call (or the activation) that started the run finish first; the stages follow on this grain's scheduler.
        await Task.Yield();
        RunSummary summary;
        try
        {
            summary = await execution.ExecuteAsync(ct);
        }
        catch (Exception) when (_deactivating)
        {
            // This activation is going away (silo shutting down, directory conflict): the run stays
            // "running" in storage and the next activation resumes it.
            return;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("invalid activation", StringComparison.OrdinalIgnoreCase))
        {
            // Orleans invalidated this activation under it (its directory entry was on a silo that died).
            LogLost(logger, this.GetPrimaryKeyString());
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Stopped(execution, "interrupted", "interrupted on request");
            await FinishAsync(RunState.Interrupted, "interrupted; the same command resumes it from the parts already written");
            return;
        }
        catch (Exception e)
        {
            string message = RunMessages.OneLine(e);
            if (e is not (InputException or WorkFailedException)) LogFailed(logger, e, this.GetPrimaryKeyString());
            Stopped(execution, "failed", message);
            await FinishAsync(RunState.Failed, message);
            return;
        }
        // Every result file and the manifest ("complete") are written: the run is complete, whether or not the
        // storage takes its record now (FinishAsync retries it, and the reminder tries again later).
        _summary = summary;
        if (_stage != "queued" && (_finished.Count == 0 || _finished[^1].Stage != _stage)) _finished.Add(new StageProgress(_stage, _done, _total));
        await FinishAsync(RunState.Complete, null);
    }

    private void Stopped(RunExecution execution, string status, string reason)
    {
        try { execution.MarkStopped(status, reason); }
        catch (Exception io) when (io is IOException or UnauthorizedAccessException) { LogFailed(logger, io, this.GetPrimaryKeyString()); }
    }

    /// <summary>
    /// Records how the run ended: in this activation at once (what <see cref="GetStatusAsync"/> says), then in grain storage
    /// with <see cref="StorageRetry"/>'s rule, then drops the reminder. Never throws: a record the storage would not take within
    /// the budget is logged and left to the reminder, which keeps firing until the record is written.
    /// </summary>
    private async Task FinishAsync(RunState state, string? message)
    {
        var command = record.State.Command;
        record.State.State = state;
        record.State.Message = message;
        try
        {
            await Retry.WriteAsync(record, r => (r.Command, r.State, r.Message) = (command ?? r.Command, state, message), r => Holds(r, command, state, message));
            _unsaved = false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _unsaved = true;
            // What the client sees stays what the files say, not what storage last took.
            (record.State.State, record.State.Message) = (state, message);
            LogUnsaved(logger, this.GetPrimaryKeyString(), state, RunMessages.OneLine(e));
            return;
        }
        try
        {
            await Retry.RunAsync(async () => { if (await this.GetReminder(ReminderName) is { } r) await this.UnregisterReminder(r); });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A reminder left behind fires once, finds the run finished and unregisters itself.
            LogUnsaved(logger, this.GetPrimaryKeyString(), state, "its reminder stays until it next fires: " + RunMessages.OneLine(e));
        }
    }

    /// <summary>Whether a stored record already holds a decision (the same run, state and message).</summary>
    private static bool Holds(RunRecord r, StartRun? command, RunState state, string? message) =>
        r.State == state && r.Message == message && r.Command is { } c && command is not null
        && c.DatasetSha256 == command.DatasetSha256 && c.OutRoot == command.OutRoot && c.Study.SourceHash == command.Study.SourceHash;

    private static StorageRetry Retry => StorageRetry.Default;

    /// <summary>The run finished but its record is not yet in storage (the reminder writes it).</summary>
    private bool _unsaved;

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        if (_cts is not null)
        {
            await _cts.CancelAsync();
            if (_execution is { } running) await running.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Current);
            _cts.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "run {RunId}: this activation was invalidated under the run; the next activation resumes it")]
    private static partial void LogLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "run {RunId}: resuming after its activation was lost (silo failure or restart)")]
    private static partial void LogResuming(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "run {RunId}: its record ({State}) is not in storage yet ({Reason}); the run's reminder writes it")]
    private static partial void LogUnsaved(ILogger logger, string runId, RunState state, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception e, string runId);

    private readonly List<StageProgress> _finished = [];
    private readonly List<string> _notes = [];

    private void Note(string note)
    {
        lock (_notes) _notes.Add(note);
    }

    /// <summary>Progress of the execution; a stage that gives way to the next is recorded as finished with its last count.</summary>
    private void Progress(string stage, long done, long total)
    {
        if (stage != _stage && _stage != "queued" && (_finished.Count == 0 || _finished[^1].Stage != _stage)) _finished.Add(new StageProgress(_stage, _done, _total));
        (_stage, _done, _total) = (stage, done, total);
    }

    private RunStatus Status() => new(this.GetPrimaryKeyString(), record.State.Command is null ? RunState.NotStarted : record.State.State,
        _stage, _done, _total, _runDir, record.State.Message, _summary, RuntimeIdentity, [.. _finished], Notes());

    private System.Collections.Immutable.ImmutableArray<string> Notes()
    {
        lock (_notes) return [.. _notes];
    }
}
