using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Study;

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
        new(work.First, [.. Draws(work).Select(d => d.ToImmutableArray())]);

    /// <summary>The draws of a block, computed by core.</summary>
    private static double[][] Draws(SpatialWork work)
    {
        var w = SpatialWeightsCache.Shared(work.Weights);
        if (work.Kind == SpatialDrawKind.Impacts)
        {
            int p = work.Mean.Length;
            var v = new double[p, p];
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) v[i, j] = work.Vcov[i * p + j];
            return Impacts.SimulateBlock(w, [.. work.Mean], v, work.Terms, work.Durbin, work.Seed, work.StreamKey, work.First, work.Count);
        }
        // Moran: per permutation, one I per period.
        int n = w.N;
        var byPeriod = work.Periods.Select((t, k) => Moran.PermutationBlock(w, work.Values.Skip(k * n).Take(n).ToArray(), work.Seed,
            SpatialWork.MoranKey(work.StreamKey, t), work.First, work.Count)).ToList();
        return [.. Enumerable.Range(0, work.Count).Select(c => byPeriod.Select(b => b[c]).ToArray())];
    }
}
