using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>What one ingest read and made.</summary>
/// <param name="Table">The table as read through the map (rows read, skipped, quarantined).</param>
/// <param name="Outcome">The version made (or why none was).</param>
public sealed record IngestResult(IngestedTable Table, IngestOutcome Outcome);

/// <summary>
/// One ingest: a source table (CSV, Excel, Parquet) read through a column map (YAML, docs/datasets.md) into a
/// new version of a named dataset. Used by <c>de ingest</c> and by the silo's inbox watcher.
/// </summary>
public static class Ingestion
{
    /// <summary>Reads <paramref name="source"/> through the map at <paramref name="mapPath"/> and makes a new version of <paramref name="dataset"/>.</summary>
    /// <param name="store">The datasets.</param>
    /// <param name="dataset">The dataset's name.</param>
    /// <param name="source">The source table.</param>
    /// <param name="mapPath">The column map.</param>
    /// <param name="removeAbsent">Remove the previous version's rows the source does not hold.</param>
    /// <param name="encoding">A CSV source's encoding (<c>de ingest --encoding</c>, canonical as <see cref="TextDecoding.Canonical"/>), over the map's <c>source.encoding</c>; null: the map's, else detected.</param>
    /// <exception cref="InputException">A bad name, map or source (one line naming file, line and key).</exception>
    public static IngestResult Run(DatasetVersions store, string dataset, string source, string mapPath, bool removeAbsent, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        DatasetVersions.ValidName(dataset);
        var map = IngestMapLoader.Load(mapPath);
        if (encoding is not null) map = map with { Layout = map.Layout with { Encoding = encoding } };
        var table = YearbookReader.Read(source, map);
        var sources = new List<SourceFile> { Describe(source, "source", table.Sheet, table.Encoding?.Name), Describe(mapPath, "map", null, null) };
        return new IngestResult(table, store.Ingest(dataset, table, sources, removeAbsent));
    }

    private static SourceFile Describe(string path, string role, string? sheet, string? encoding)
    {
        var info = new FileInfo(path);
        return new SourceFile(role, info.Name, info.FullName, DatasetVersions.Sha256File(path), info.Length, sheet, encoding);
    }
}
