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
        var table = map.Parts.Count == 0 ? YearbookReader.Read(source, map) : ReadSheets(source, map);
        var sources = new List<SourceFile> { Describe(source, "source", table.Sheet, table.Encoding?.Name), Describe(mapPath, "map", null, null) };
        return new IngestResult(table, store.Ingest(dataset, table, sources, removeAbsent));
    }

    /// <summary><c>source.sheets</c>: each sheet through its own map, then one table merged by (unit, time), with a report per sheet.</summary>
    private static IngestedTable ReadSheets(string source, IngestMap map)
    {
        string kind = YearbookReader.Sniff(source);
        if (kind is not ("xlsx" or "xls")) throw new InputException($"{Path.GetFileName(source)}: source.sheets reads several sheets of one Excel workbook; this file is no workbook (ingest each file with its own map)");
        var tables = map.Parts.Select(p => YearbookReader.Read(source, p)).ToList();
        return Combine(map, tables);
    }

    /// <summary>
    /// The tables of several sheets as one: a row per (unit, time) found in any sheet (outer join; a sheet's variables are
    /// missing where it has no row), each sheet's variables in map order, quarantines and renames together, and a
    /// <see cref="SheetMerge"/> for every sheet after the first.
    /// </summary>
    internal static IngestedTable Combine(IngestMap map, IReadOnlyList<IngestedTable> tables)
    {
        var variables = tables.SelectMany(t => t.Map.Variables).ToList();
        if (variables.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InputException($"source.sheets: column '{twice.Key}' comes from two sheets (give unit.attributes in one sheet's map only)");
        var rows = new Dictionary<(string, long), (int SourceRow, string?[] Values, List<int> Broken)>();
        var order = new List<(string, long)>();
        var merges = new List<SheetMerge>();
        int offset = 0;
        string left = tables[0].Sheet ?? "";
        for (int i = 0; i < tables.Count; i++)
        {
            var t = tables[i];
            var keys = t.Rows.Select(r => (r.Unit, r.Time)).ToHashSet();
            if (i > 0)
            {
                merges.Add(new SheetMerge(left, t.Sheet ?? "", keys.Count(rows.ContainsKey), rows.Keys.Count(k => !keys.Contains(k)), keys.Count(k => !rows.ContainsKey(k))));
                left += " + " + t.Sheet;
            }
            foreach (var r in t.Rows)
            {
                var key = (r.Unit, r.Time);
                if (!rows.TryGetValue(key, out var entry))
                {
                    entry = (r.SourceRow, new string?[variables.Count], []);
                    rows[key] = entry;
                    order.Add(key);
                }
                for (int v = 0; v < r.Values.Count; v++) entry.Values[offset + v] = r.Values[v];
                entry.Broken.AddRange(r.Broken.Select(b => offset + b));
            }
            offset += t.Map.Variables.Count;
        }
        var combined = order.Select(k => new IngestedRow(rows[k].SourceRow, k.Item1, k.Item2, rows[k].Values) { Broken = rows[k].Broken }).ToList();
        return new IngestedTable(map with { Variables = variables }, tables[0].Source, string.Join(", ", tables.Select(t => t.Sheet)), tables[0].HeaderRow,
            string.Join("; ", tables.Select(t => $"'{t.Sheet}': {t.EndNote}")), tables.Sum(t => t.RowsRead), tables.Sum(t => t.RowsSkipped), combined,
            [.. tables.SelectMany(t => t.Quarantine)], [.. tables.SelectMany(t => t.QuarantinedKeys)])
        {
            Periods = [.. tables.SelectMany(t => t.Periods).Distinct()],
            Renamed = [.. tables.SelectMany(t => t.Renamed).DistinctBy(r => r.From)],
            SheetMerges = merges,
        };
    }

    private static SourceFile Describe(string path, string role, string? sheet, string? encoding)
    {
        var info = new FileInfo(path);
        return new SourceFile(role, info.Name, info.FullName, DatasetVersions.Sha256File(path), info.Length, sheet, encoding);
    }
}
