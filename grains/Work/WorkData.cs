using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// The prepared dataset a piece of work reads, with its derived panels (winsorised variants). In a silo the
/// variants come from <see cref="DatasetCache"/> and are built once per silo; <see cref="Uncached"/> builds them
/// on each call, for a handler run without a cluster (tests). The same panel either way, so the same result.
/// </summary>
public sealed class WorkData
{
    private readonly Func<string, Func<Panel, Panel>, Panel> _variant;

    private WorkData(Panel panel, Func<string, Func<Panel, Panel>, Panel> variant)
    {
        Panel = panel;
        _variant = variant;
    }

    /// <summary>The dataset as prepared by the run.</summary>
    public Panel Panel { get; }

    /// <summary>The dataset of <paramref name="datasetSha256"/> with variants from the silo's cache.</summary>
    public static WorkData Cached(DatasetCache cache, string datasetSha256, Panel panel)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new WorkData(panel, (key, build) => cache.Variant(datasetSha256, key, panel, build));
    }

    /// <summary>A panel whose variants are built on every call (no silo, no cache).</summary>
    public static WorkData Uncached(Panel panel) => new(panel, (_, build) => build(panel));

    /// <summary>The dataset with <paramref name="columns"/> winsorised at 1/99 % pooled (none: the dataset itself).</summary>
    public Panel Winsorized(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Count == 0 ? Panel : Variant(SpecificationFit.VariantKey(columns), p => SpecificationFit.Winsorized(p, columns));
    }

    /// <summary>A panel derived from the dataset by <paramref name="build"/>, known by <paramref name="key"/> (in a silo: built once).</summary>
    public Panel Variant(string key, Func<Panel, Panel> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return _variant(key, build);
    }
}
