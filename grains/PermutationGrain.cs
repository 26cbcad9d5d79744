using System.Collections.Immutable;
using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>
/// Runs a block of Fisher permutations of a group-difference test (key: run / analysis / test / first).
/// Permutation r shuffles group labels across units with stream r of the family (seed, stream key), so
/// a block's draws do not depend on where or in which block they were computed.
/// </summary>
public sealed class PermutationGrain(DatasetCache datasets) : Grain, IPermutationGrain
{
    /// <inheritdoc/>
    public async Task<PermutationDone> RunAsync(PermutationWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.permutation");
        span?.SetTag("de.run", work.RunId);
        var sw = Stopwatch.StartNew();
        var panel = datasets.Winsorized(work.Dataset.Sha256, await datasets.GetAsync(work.Dataset), work.Model.Model.Winsorize);
        var block = GroupDifference.Draws(panel, work.Model.Model.Formula, work.By, work.Terms, ModelFitting.Options(work.Model), work.Seed, work.StreamKey, work.First, work.Count);
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "permutation"));
        return new PermutationDone(work.First, [.. block.Draws.Select(d => d.ToImmutableArray())]);
    }
}
