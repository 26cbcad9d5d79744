using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Study;
using DigitalEconomy.Study.GridEstimators;

namespace DigitalEconomy.Grains.Work;

/// <summary>Fits a batch of specifications (key: batch work key) and returns their results; a specification that cannot be fitted is a result with its reason.</summary>
public sealed class EstimateBatchHandler() : WorkHandler<EstimateBatch, BatchEstimated>("specification")
{
    /// <inheritdoc/>
    protected override void Tag(Activity span, EstimateBatch work) => span.SetTag("de.batch", work.BatchKey);

    /// <inheritdoc/>
    protected override BatchEstimated Run(EstimateBatch work, WorkData data)
    {
        // Linear specifications go through the batch fit together; a non-linear node (study/GridEstimators) is fitted by its
        // family, on the panel winsorised as its choices say. Results come back in the order sent.
        var linear = work.Specifications.Where(s => s.Node is null).ToList();
        var fitted = new Queue<SpecificationResult>(linear.Count > 0 ? SpecificationFit.Fit(data.Panel, linear, data.Winsorized) : []);
        var results = work.Specifications.Select(s => s.Node is null ? fitted.Dequeue() : FitNode(s, data)).ToArray();
        Telemetry.SpecificationsDone.Add(results.Length);
        return new BatchEstimated(work.BatchKey, [.. results]);
    }

    private static SpecificationResult FitNode(Specification s, WorkData data)
    {
        var columns = SpecificationModel.WinsorColumns(s);
        Panel panel;
        try { panel = columns.Count == 0 ? data.Panel : data.Winsorized(columns); }
        catch (InputException e) { return GridEstimatorRegistry.Failed(s.Id, e.Message); }
        return GridEstimatorRegistry.Fit(panel, s);
    }
}
