using System.Collections.Immutable;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// A block of a spatial analysis's simulation (key: run / analysis / what / first draw): impact draws from the
/// parameters' asymptotic normal, or Moran permutations per period, each draw from its own counter-based stream, so
/// the block's numbers do not depend on where or in which block they ran. The work carries W and its numbers; the
/// dataset is not read.
/// </summary>
public sealed class SpatialHandler() : WorkHandler<SpatialWork, SpatialDone>("spatial")
{
    /// <inheritdoc/>
    protected override SpatialDone Run(SpatialWork work, WorkData data) =>
        new(work.First, [.. work.Compute().Select(d => d.ToImmutableArray())]);
}
