using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Runs a block of Fisher permutations of a group-difference test (key: run / analysis / test / first).
/// Permutation r shuffles group labels across units with stream r of the family (seed, stream key), so
/// a block's draws do not depend on where or in which block they were computed.
/// </summary>
public sealed class PermutationHandler() : WorkHandler<PermutationWork, PermutationDone>("permutation")
{
    /// <inheritdoc/>
    protected override PermutationDone Run(PermutationWork work, WorkData data)
    {
        var panel = data.Winsorized(work.Model.Model.Winsorize);
        var block = GroupDifference.Draws(panel, work.Model.Model.Formula, work.By, work.Terms, ModelFitting.Options(work.Model), work.Seed, work.StreamKey, work.First, work.Count);
        return new PermutationDone(work.First, [.. block.Draws.Select(d => d.ToImmutableArray())]);
    }
}
