using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>Fits a batch of specifications (key: batch work key) and returns their results; writes nothing.</summary>
public sealed class SpecificationGrain(DatasetCache datasets) : Grain, ISpecificationGrain
{
    /// <inheritdoc/>
    public async Task<BatchEstimated> EstimateAsync(EstimateBatch work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.specification");
        span?.SetTag("de.run", work.RunId);
        span?.SetTag("de.batch", work.BatchKey);
        var sw = Stopwatch.StartNew();
        var panel = await datasets.GetAsync(work.Dataset);
        var results = SpecificationFit.Fit(panel, work.Specifications, cols => datasets.Winsorized(work.Dataset.Sha256, panel, cols));
        Telemetry.SpecificationsDone.Add(results.Length);
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "specification"));
        return new BatchEstimated(work.BatchKey, [.. results]);
    }
}
