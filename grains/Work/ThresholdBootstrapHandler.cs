using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Threshold;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// A block of draws of the threshold bootstrap F test (key: run / analysis / k / first): core's
/// <see cref="ThresholdBootstrap.Draws"/> on the dataset, exactly as <c>de threshold</c> computes them in one call.
/// </summary>
public sealed class ThresholdBootstrapHandler() : WorkHandler<ThresholdBootstrapWork, ThresholdBootstrapDone>("threshold_bootstrap")
{
    /// <inheritdoc/>
    protected override ThresholdBootstrapDone Run(ThresholdBootstrapWork work, WorkData data)
    {
        var draws = ThresholdBootstrap.Draws(data.Panel, work.Model.ToSpec(), work.NullThresholds, work.K, work.Seed, work.StreamKey, work.First, work.First + work.Count);
        Telemetry.ReplicatesDone.Add(draws.Length);
        return new ThresholdBootstrapDone(work.First, [.. draws]);
    }
}
