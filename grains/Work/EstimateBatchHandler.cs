using System.Diagnostics;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Work;

/// <summary>Fits a batch of specifications (key: batch work key) and returns their results; a specification that cannot be fitted is a result with its reason.</summary>
public sealed class EstimateBatchHandler() : WorkHandler<EstimateBatch, BatchEstimated>("specification")
{
    /// <inheritdoc/>
    protected override void Tag(Activity span, EstimateBatch work) => span.SetTag("de.batch", work.BatchKey);

    /// <inheritdoc/>
    protected override BatchEstimated Run(EstimateBatch work, WorkData data)
    {
        var results = SpecificationFit.Fit(data.Panel, work.Specifications, data.Winsorized);
        Telemetry.SpecificationsDone.Add(results.Length);
        return new BatchEstimated(work.BatchKey, [.. results]);
    }
}
