using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Study.Analyses;

namespace DigitalEconomy.Grains;

/// <summary>Part of stage 3 (the mediation analysis type calls it through <see cref="IAnalysisRun"/>): one mediator's bootstrap of a·b.</summary>
internal sealed class MediationBootstrap(RunContext run) : RunStage(run)
{
    /// <summary>
    /// Baron–Kenny with <c>bootstrap:</c>: the pairs cluster bootstrap of a·b of one mediator, in blocks of
    /// <see cref="MediationBootstrapSpec.Chunk"/> replicates on the compute grain (replicate r of mediator M from stream
    /// (seed, "ANALYSIS/M", r)); the percentile and bias-corrected limits and the usable replicates, as
    /// <see cref="Mediation.Bootstrap"/> computes them in one call (the mediation analysis type prints them).
    /// </summary>
    public async Task<MediatorBootstrapResult> RunAsync(Indexed indexed, AnalysisSpec a, MediationSpec med, string m, CancellationToken ct)
    {
        var boot = med.Bootstrap!;
        string key = $"{a.Name}/{m}";
        var blocks = Enumerable.Range(0, (boot.Replicates + boot.Chunk - 1) / boot.Chunk)
            .Select(i => (First: i * boot.Chunk, Count: Math.Min(boot.Chunk, boot.Replicates - i * boot.Chunk))).ToList();
        var done = new double[boot.Replicates][];
        await WorkDispatcher.ForEachAsync(blocks, _command.MaxInFlight, async b =>
        {
            var work = new MediationBootstrapWork(RunId, indexed.Dataset, med.Treatment, m, boot, _study.Seed, key, b.First, b.Count);
            var reply = await _dispatch.ComputeAsync($"mediation bootstrap {key} from {b.First}", $"{RunId}/{key}/{b.First}", work, ct);
            for (int i = 0; i < reply.Draws.Length; i++) done[reply.First + i] = reply.Draws[i].Length == 3 ? [.. reply.Draws[i]] : [double.NaN];
        }, ct);
        // The point values as Mediation.Bootstrap takes them (Y on X and M, M right after X), on the panel the grains resampled.
        var panel = boot.Model.Model.Winsorize.IsDefaultOrEmpty ? indexed.Panel : SpecificationFit.Winsorized(indexed.Panel, boot.Model.Model.Winsorize);
        int usable = done.Count(d => d.Length == 3);
        try
        {
            var (pathA, pathB) = boot.PathModels(m);
            var s = Mediation.Summarise(Mediation.Paths(panel, pathA, pathB, ModelFitting.Options(boot.Model)), done, boot.Level).Indirect;
            return new MediatorBootstrapResult(usable, s, null);
        }
        catch (Exception e) when (e is EstimationException or InputException)
        {
            return new MediatorBootstrapResult(usable, null, e.Message);
        }
    }
}
