using System.Collections.Immutable;
using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>
/// Runs a block of pairs cluster bootstrap replicates of (a, b, a·b) for one mediator of a Baron–Kenny
/// mediation analysis (key: run / analysis / mediator / first). Replicate r resamples units from stream r of
/// (seed, "ANALYSIS/M") and refits M on X and Y on X and M exactly as <see cref="Mediation.Bootstrap"/> does
/// (<c>de mediate --bootstrap</c>), so a replicate does not depend on the block it was computed in.
/// </summary>
public sealed class MediationBootstrapGrain(DatasetCache datasets) : Grain, IMediationBootstrapGrain
{
    /// <inheritdoc/>
    public async Task<MediationBootstrapDone> RunAsync(MediationBootstrapWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.mediation_bootstrap");
        span?.SetTag("de.run", work.RunId);
        var sw = Stopwatch.StartNew();
        var spec = work.Spec;
        // Winsorised (when the analysis's baseline asks for it) once on the whole panel, as its point fits are; then resampled.
        var panel = datasets.Winsorized(work.Dataset.Sha256, await datasets.GetAsync(work.Dataset), spec.Model.Model.Winsorize);
        var draws = Mediation.BootstrapDraws(panel, spec.Outcome, work.Treatment, work.Mediator, spec.ControlsAndFe, work.Seed, work.StreamKey, work.First, work.Count,
            ModelFitting.Options(spec.Model));
        Telemetry.ReplicatesDone.Add(draws.Length);
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "mediation_bootstrap"));
        return new MediationBootstrapDone(work.First, [.. draws.Select(d => d.Length == 3 ? d.ToImmutableArray() : ImmutableArray<double>.Empty)]);
    }
}
