using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Runs a block of pairs cluster bootstrap replicates of (a, b, a·b) for one mediator of a Baron–Kenny
/// mediation analysis (key: run / analysis / mediator / first). Replicate r resamples units from stream r of
/// (seed, "ANALYSIS/M") and refits M on X and Y on X and M exactly as <see cref="Mediation.Bootstrap"/> does
/// (<c>de mediate --bootstrap</c>), so a replicate does not depend on the block it was computed in.
/// </summary>
public sealed class MediationBootstrapHandler() : WorkHandler<MediationBootstrapWork, MediationBootstrapDone>("mediation_bootstrap")
{
    /// <inheritdoc/>
    protected override MediationBootstrapDone Run(MediationBootstrapWork work, WorkData data)
    {
        var spec = work.Spec;
        // Winsorised (when the analysis's baseline asks for it) once on the whole panel, as its point fits are; then resampled.
        var panel = data.Winsorized(spec.Model.Model.Winsorize);
        // The a- and b-path models from the analysis model's formula tree, once per block: nothing is parsed on the silo.
        var (a, b) = spec.PathModels(work.Mediator);
        var draws = Mediation.BootstrapDraws(panel, a, b, work.Seed, work.StreamKey, work.First, work.Count, ModelFitting.Options(spec.Model));
        Telemetry.ReplicatesDone.Add(draws.Length);
        return new MediationBootstrapDone(work.First, [.. draws.Select(d => d.Length == 3 ? d.ToImmutableArray() : ImmutableArray<double>.Empty)]);
    }
}
