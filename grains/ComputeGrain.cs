using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Grains.Work;
using Microsoft.Extensions.Logging;

namespace DigitalEconomy.Grains;

/// <summary>
/// The one work grain (key: work key). Holds what every piece of work shares — the span <c>grain.NAME</c> tagged
/// with the run, the latency metric, the dataset from the per-silo cache, logging — and hands the work to the
/// handler registered for its type (<see cref="WorkHandlers"/>). Writes nothing; the run grain commits the reply.
/// </summary>
/// <remarks>
/// No placement attribute and not a <c>[StatelessWorker]</c>, as the seven work grains it replaces: an ordinary
/// grain gets the cluster's default placement, so Orleans spreads the work keys over the silos. The keys are the
/// run's work keys as before; work of two types under one key (none today) would share an activation, which
/// only serialises the two calls, since the grain keeps no state and the reply depends on the work alone.
/// </remarks>
public sealed partial class ComputeGrain(DatasetCache datasets, ILogger<ComputeGrain> logger) : Grain, IComputeGrain
{
    /// <inheritdoc/>
    public async Task<WorkResult> ComputeAsync(ComputeWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var handler = WorkHandlers.For(work);
        string key = this.GetPrimaryKeyString();
        using var span = Telemetry.Source.StartActivity("grain." + handler.Name);
        if (span is not null)
        {
            span.SetTag("de.run", work.RunId);
            handler.Tag(span, work);
        }
        var sw = Stopwatch.StartNew();
        Panel panel;
        try
        {
            panel = await datasets.GetAsync(work.Dataset);
        }
        catch (DatasetUnavailableException)
        {
            // The rule for every work type: no silo holds the dataset any more (its DatasetGrain was re-activated
            // after a silo died); the exception reaches the run grain, which puts the dataset again and retries.
            LogDatasetMissing(logger, handler.Name, key, work.Dataset.Sha256);
            throw;
        }
        var result = handler.Compute(work, WorkData.Cached(datasets, work.Dataset.Sha256, panel));
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", handler.Name));
        LogDone(logger, handler.Name, key, (long)sw.Elapsed.TotalMilliseconds);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Work} {Key}: dataset {Dataset} is held by no silo; the run puts it again")]
    private static partial void LogDatasetMissing(ILogger logger, string work, string key, string dataset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Work} {Key}: done in {Milliseconds} ms")]
    private static partial void LogDone(ILogger logger, string work, string key, long milliseconds);
}
