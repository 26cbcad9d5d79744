using System.Collections.Concurrent;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Study;

/// <summary>
/// Weight matrices rebuilt once per process and content (keyed by <see cref="SpatialWeightsData.Sha256"/>): every block of
/// draws and every grid node of a run carries the same W, and rebuilding it would recompute its eigenvalues (O(n³)) each
/// time. The eigenvalues of one content are the same numbers whoever computes them, so sharing them changes no result.
/// At most 8 matrices are kept in each cache.
/// </summary>
public static class SpatialWeightsCache
{
    private const int Capacity = 8;
    private static readonly ConcurrentDictionary<string, SpatialWeights> Built = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SpatialWeights> Aligned = new(StringComparer.Ordinal);

    /// <summary>W as carried (its own unit order), built once.</summary>
    public static SpatialWeights Shared(SpatialWeightsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Get(Built, data.Sha256(), data.ToWeights);
    }

    /// <summary>W built from its content and reordered to <paramref name="units"/> (refused in one line naming <paramref name="what"/> when the names differ), once per content and unit order.</summary>
    public static SpatialWeights AlignedTo(SpatialWeightsData data, IReadOnlyList<string> units, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(units);
        return Get(Aligned, data.Sha256() + "\u001e" + string.Join("\u001f", units), () => data.ToWeights().AlignTo(units, what));
    }

    private static SpatialWeights Get(ConcurrentDictionary<string, SpatialWeights> cache, string key, Func<SpatialWeights> build)
    {
        if (cache.TryGetValue(key, out var w)) return w;
        if (cache.Count >= Capacity) cache.Clear();
        return cache.GetOrAdd(key, _ => build());
    }
}
