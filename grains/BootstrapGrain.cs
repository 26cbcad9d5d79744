using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Grains;

/// <summary>
/// Runs a block of pairs cluster bootstrap replicates of one specification (key: spec id + "/" + first
/// replicate). Replicate r resamples units from the counter-based stream (seed, spec id, r), so a
/// replicate's value does not depend on the block it was computed in.
/// </summary>
public sealed class BootstrapGrain(DatasetCache datasets) : Grain, IBootstrapGrain
{
    /// <inheritdoc/>
    public async Task<BootstrapBlockDone> RunAsync(BootstrapBlock work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.bootstrap");
        span?.SetTag("de.run", work.RunId);
        span?.SetTag("de.spec", work.Specification.Id);
        var sw = Stopwatch.StartNew();
        var panel = await datasets.GetAsync(work.Dataset);
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
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "bootstrap"));
        return new BootstrapBlockDone([.. rows]);
    }
}
