using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Runs a block of pairs cluster bootstrap replicates of one specification (key: spec id + "/" + first
/// replicate). Replicate r resamples units from the counter-based stream (seed, spec id, r), so a
/// replicate's value does not depend on the block it was computed in.
/// </summary>
public sealed class BootstrapBlockHandler() : WorkHandler<BootstrapBlock, BootstrapBlockDone>("bootstrap")
{
    /// <inheritdoc/>
    protected override void Tag(Activity span, BootstrapBlock work) => span.SetTag("de.spec", work.Specification.Id);

    /// <inheritdoc/>
    protected override BootstrapBlockDone Run(BootstrapBlock work, WorkData data)
    {
        var panel = data.Panel;
        var spec = work.Specification;
        // The replicates of a block are independent: spread them over the silo's cores.
        var rows = new BootstrapReplicate[work.Replicates];
        Parallel.For(0, work.Replicates, i =>
        {
            long r = work.FirstReplicate + i;
            // Winsorising (when the specification asks for it) happens within the resampled panel.
            var sample = ClusterBootstrap.Resample(panel, work.Seed, spec.Id, r);
            var fit = SpecificationFit.Fit(sample, [spec], cols => SpecificationFit.Winsorized(sample, cols))[0];
            rows[i] = new BootstrapReplicate(spec.Id, r, fit.Estimate, fit.Error);
        });
        Telemetry.ReplicatesDone.Add(rows.Length);
        return new BootstrapBlockDone([.. rows]);
    }
}
