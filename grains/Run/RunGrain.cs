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
        record.State.Command = command;
        record.State.State = RunState.Running;
        record.State.Message = null;
        await record.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
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
        (_stage, _done, _total) = ("queued", 0, 0);
        var execution = new RunExecution(GrainFactory, this.GetPrimaryKeyString(), command, Progress);
        _runDir = execution.RunDir;
        _execution = RunAsync(execution, _cts.Token);
    }

    private async Task RunAsync(RunExecution execution, CancellationToken ct)
    {
        // Let the call (or the activation) that started the run finish first; the stages follow on this grain's scheduler.
        await Task.Yield();
        try
        {
            _summary = await execution.ExecuteAsync(ct);
            if (_stage != "queued" && (_finished.Count == 0 || _finished[^1].Stage != _stage)) _finished.Add(new StageProgress(_stage, _done, _total));
            await FinishAsync(RunState.Complete, null);
        }
        catch (Exception) when (_deactivating)
        {
            // This activation is going away (silo shutting down, directory conflict): the run stays
            // "running" in storage and the next activation resumes it.
        }
        catch (InvalidOperationException e) when (e.Message.Contains("invalid activation", StringComparison.OrdinalIgnoreCase))
        {
            // Orleans invalidated this activation under it (its directory entry was on a silo that died).
            LogLost(logger, this.GetPrimaryKeyString());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            execution.MarkStopped("interrupted", "interrupted on request");
            await FinishAsync(RunState.Interrupted, "interrupted; the same command resumes it from the parts already written");
        }
        catch (Exception e)
        {
            string message = e is InputException or WorkFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (e is not (InputException or WorkFailedException)) LogFailed(logger, e, this.GetPrimaryKeyString());
            try { execution.MarkStopped("failed", message); }
            catch (IOException io) { LogFailed(logger, io, this.GetPrimaryKeyString()); }
            await FinishAsync(RunState.Failed, message);
        }
    }

    private async Task FinishAsync(RunState state, string? message)
    {
        record.State.State = state;
        record.State.Message = message;
        await record.WriteStateAsync();
        if (await this.GetReminder(ReminderName) is { } r) await this.UnregisterReminder(r);
    }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception e, string runId);

    private readonly List<StageProgress> _finished = [];

    /// <summary>Progress of the execution; a stage that gives way to the next is recorded as finished with its last count.</summary>
    private void Progress(string stage, long done, long total)
    {
        if (stage != _stage && _stage != "queued" && (_finished.Count == 0 || _finished[^1].Stage != _stage)) _finished.Add(new StageProgress(_stage, _done, _total));
        (_stage, _done, _total) = (stage, done, total);
    }

    private RunStatus Status() => new(this.GetPrimaryKeyString(), record.State.Command is null ? RunState.NotStarted : record.State.State,
        _stage, _done, _total, _runDir, record.State.Message, _summary, RuntimeIdentity, [.. _finished]);
}
