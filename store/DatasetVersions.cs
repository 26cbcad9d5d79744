using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>A row of a dataset: its unit and period.</summary>
public sealed record RowKey(string Unit, long Time);

/// <summary>One cell that differs between two versions (null = missing).</summary>
public sealed record CellChange(string Unit, long Time, string Column, string? Old, string? New);

/// <summary>What changed from one version to another: rows added, changed and removed (by unit and period), every changed cell, columns added and removed.</summary>
public sealed record DatasetDiff(
    IReadOnlyList<RowKey> Added,
    IReadOnlyList<RowKey> Changed,
    IReadOnlyList<RowKey> Removed,
    IReadOnlyList<CellChange> Cells,
    IReadOnlyList<string> ColumnsAdded,
    IReadOnlyList<string> ColumnsRemoved)
{
    /// <summary>True when the two versions hold the same columns and cells.</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0 && ColumnsAdded.Count == 0 && ColumnsRemoved.Count == 0;
}

/// <summary>A file a version was made from: its role (source, map), name, full path, SHA-256, size, the sheet read and, for a CSV source, the encoding it was read in (UTF-8, GB18030…).</summary>
public sealed record SourceFile(string Role, string File, string Path, string Sha256, long Bytes, string? Sheet, string? Encoding = null);

/// <summary>
/// The manifest of one dataset version (<c>manifest.json</c> beside its data file): the SHA-256 of the
/// canonical data file, the source files' hashes, when it was made (UTC), the previous version and the
/// diff against it.
/// </summary>
public sealed record VersionManifest(
    int SchemaVersion,
    string Dataset,
    int Version,
    int? Previous,
    string CreatedUtc,
    string DataFile,
    string Sha256,
    int Rows,
    IReadOnlyList<string> Columns,
    string UnitColumn,
    string TimeColumn,
    IReadOnlyList<SourceFile> Sources,
    bool RemoveAbsent,
    int RowsRead,
    int Quarantined,
    string? QuarantineFile,
    DatasetDiff Diff,
    int CellsMissing = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UnitRename>? Renamed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Divisions = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UnitMerge? Merge = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FilledCellRecord>? Fills = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SheetMerge>? SheetMerges = null);

/// <summary>A cell the map's <c>fill:</c> filled in this version: where, the value put there and how (<c>interpolated</c>, <c>extrapolated linear</c>, <c>extrapolated growth</c>).</summary>
public sealed record FilledCellRecord(string Unit, long Time, string Column, double Value, string Method);

/// <summary>A dataset reference resolved to an immutable file: name, version, the data file's full path and its SHA-256 (checked against the manifest).</summary>
public sealed record ResolvedDataset(string Name, int Version, string Path, string Sha256, string UnitColumn, string TimeColumn);

/// <summary>What an ingest did: the version made (null when nothing changed), the previous version, the diff, and where the quarantined rows went.</summary>
public sealed record IngestOutcome(VersionManifest? Created, int? Previous, DatasetDiff Diff, string? QuarantineFile, string? DataPath)
{
    /// <summary>A unit-level sheet's m:1 merge report (null for a panel source).</summary>
    public UnitMerge? Merge { get; init; }

    /// <summary>The cells the map's <c>fill:</c> filled (empty without one).</summary>
    public IReadOnlyList<FilledCellRecord> Fills { get; init; } = [];
}

/// <summary>
/// How a unit-level sheet (<c>time: { all: … }</c>) merged onto the dataset, as Stata's <c>merge m:1</c> reports it: the units
/// matched and the rows they filled, the source's units the dataset does not hold (not added), and the dataset's units the
/// source does not hold (their new columns stay missing).
/// </summary>
public sealed record UnitMerge(int MatchedUnits, int MatchedRows, IReadOnlyList<string> OnlyInSource, IReadOnlyList<string> OnlyInDataset);

/// <summary>
/// Versioned datasets under a root folder: <c>ROOT/NAME/vN/</c> holds <c>data.csv</c> (the canonical data
/// file), <c>manifest.json</c> and, when rows were quarantined, <c>quarantine.csv</c>. A version is written
/// into a staging folder (every file through <see cref="AtomicFile"/>), made read-only and renamed into
/// place, so it appears whole or not at all and is never written again.
/// </summary>
/// <remarks>
/// Merge rule: a new version starts from the previous one; a source row replaces the cells of the columns
/// its map declares in the row of the same (unit, time), or adds that row; rows absent from the source are
/// kept unless <c>removeAbsent</c> is asked. Columns new to the map are appended; a column the map does not
/// name keeps its values. The canonical file is CSV written by core's <see cref="CsvWriter"/>: columns unit,
/// time, then the others in the order they first appeared; rows sorted by unit (ordinal) and time; numbers
/// in shortest round-trip form; LF line ends; UTF-8 without BOM — the same rows give the same bytes.
/// </remarks>
public sealed partial class DatasetVersions
{
    /// <summary>The version of the manifest layout.</summary>
    public const int ManifestSchema = 1;

    /// <summary>The canonical data file of a version.</summary>
    public const string DataFileName = "data.csv";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly TimeProvider _clock;

    /// <summary>Opens (does not create) the root folder of the datasets.</summary>
    public DatasetVersions(string root, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = System.IO.Path.GetFullPath(root);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The full path of the root folder.</summary>
    public string Root { get; }

    [GeneratedRegex(@"^[\p{L}\p{N}_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^v([0-9]+)$")]
    private static partial Regex VersionFolder();

    /// <summary>Checks a dataset name: letters, digits, '-' and '_' (it names a folder).</summary>
    /// <exception cref="InputException">Any other character.</exception>
    public static string ValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NamePattern().IsMatch(name))
            throw new InputException($"dataset name '{name}': use letters, digits, '-' and '_' (it names a folder)");
        return name;
    }

    private string DatasetDir(string name) => System.IO.Path.Combine(Root, ValidName(name));

    private string VersionDir(string name, int version) => System.IO.Path.Combine(DatasetDir(name), $"v{version}");

    /// <summary>The versions of a dataset, oldest first (empty when it has none).</summary>
    public IReadOnlyList<int> Versions(string name)
    {
        string dir = DatasetDir(name);
        if (!Directory.Exists(dir)) return [];
        return [.. Directory.GetDirectories(dir)
            .Select(d => VersionFolder().Match(System.IO.Path.GetFileName(d)))
            .Where(m => m.Success && File.Exists(System.IO.Path.Combine(dir, m.Value, "manifest.json")))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Order()];
    }

    /// <summary>The manifest of one version.</summary>
    /// <exception cref="InputException">No such dataset or version; an unreadable manifest.</exception>
    public VersionManifest Manifest(string name, int version)
    {
        string path = System.IO.Path.Combine(VersionDir(name, version), "manifest.json");
        if (!File.Exists(path))
        {
            var have = Versions(name);
            throw new InputException(have.Count == 0
                ? $"no dataset '{name}' under {Root} (make one with: de ingest {name} SOURCE --map MAP.yaml)"
                : $"dataset '{name}' has no version {version}; versions: {string.Join(", ", have.Select(v => $"v{v}"))}");
        }
        try
        {
            return JsonSerializer.Deserialize<VersionManifest>(File.ReadAllBytes(path), Json) ?? throw new InputException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a dataset manifest ({e.Message})", e);
        }
    }

    /// <summary>Every manifest of a dataset, oldest first.</summary>
    /// <exception cref="InputException">No such dataset.</exception>
    public IReadOnlyList<VersionManifest> Log(string name)
    {
        var versions = Versions(name);
        if (versions.Count == 0) throw new InputException($"no dataset '{name}' under {Root} (make one with: de ingest {name} SOURCE --map MAP.yaml)");
        return [.. versions.Select(v => Manifest(name, v))];
    }

    /// <summary>Parses "NAME" or "NAME@V" (V as 3 or v3) into a name and an optional version.</summary>
    /// <exception cref="InputException">A bad name or version.</exception>
    public static (string Name, int? Version) ParseReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        int at = reference.LastIndexOf('@');
        if (at < 0) return (ValidName(reference), null);
        return (ValidName(reference[..at]), ParseVersion(reference[(at + 1)..], reference));
    }

    /// <summary>A version number written as 3 or v3.</summary>
    /// <exception cref="InputException">Anything else.</exception>
    public static int ParseVersion(string text, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1
            ? v
            : throw new InputException($"{(context is null ? "" : $"'{context}': ")}version '{text}': expected a version number such as 2 or v2");
    }

    /// <summary>
    /// Resolves "NAME" (the latest version) or "NAME@V" to the version's data file and its SHA-256, after
    /// checking that the file still has the hash its manifest records.
    /// </summary>
    /// <exception cref="InputException">No such dataset or version; the data file changed since the version was made.</exception>
    public ResolvedDataset Resolve(string reference)
    {
        var (name, version) = ParseReference(reference);
        int v = version ?? (Versions(name) is { Count: > 0 } all ? all[^1] : throw new InputException($"no dataset '{name}' under {Root} (make one with: de ingest {name} SOURCE --map MAP.yaml)"));
        var m = Manifest(name, v);
        string path = System.IO.Path.Combine(VersionDir(name, v), m.DataFile);
        string actual = Sha256File(path);
        if (!string.Equals(actual, m.Sha256, StringComparison.Ordinal))
            throw new InputException($"{path}: SHA-256 {actual[..12]}… differs from {m.Sha256[..12]}… in its manifest; version {v} of '{name}' was changed after it was made");
        return new ResolvedDataset(name, v, path, m.Sha256, m.UnitColumn, m.TimeColumn);
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256File(string path)
    {
        if (!File.Exists(path)) throw new InputException($"'{path}' does not exist");
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>The diff between two versions of a dataset (from the first to the second).</summary>
    /// <exception cref="InputException">No such dataset or version.</exception>
    public DatasetDiff Diff(string name, int from, int to) => Compare(Load(name, from), Load(name, to));

    /// <summary>
    /// Brings an ingested table into the dataset: merges it onto the latest version (see the class remarks),
    /// and when anything changed writes the next version; the quarantined rows go to <c>quarantine.csv</c>
    /// in that version, or, when no version is made, to <c>NAME/quarantine/&lt;source hash&gt;.csv</c>.
    /// </summary>
    /// <exception cref="InputException">The table's unit or time column differs from the dataset's.</exception>
    /// <exception cref="IOException">The file system refused a write, or another ingest made the same version meanwhile.</exception>
    public IngestOutcome Ingest(string name, IngestedTable table, IReadOnlyList<SourceFile> sources, bool removeAbsent)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sources);
        var versions = Versions(name);
        int? previous = versions.Count == 0 ? null : versions[^1];
        var before = previous is { } p ? Load(name, p) : VersionTable.Empty(table.Map.Unit.Name, table.Map.Time.Name);
        if (previous is not null && (before.UnitColumn != table.Map.Unit.Name || before.TimeColumn != table.Map.Time.Name))
            throw new InputException($"dataset '{name}' keys its rows by ({before.UnitColumn}, {before.TimeColumn}); the map names ({table.Map.Unit.Name}, {table.Map.Time.Name}); give unit.name and time.name as in the dataset");
        UnitMerge? unitMerge = null;
        if (table.Map.Time.AllPeriods)
        {
            if (previous is null) throw new InputException($"dataset '{name}' has no version yet: a unit-level sheet (time.all) merges onto the years of a panel; ingest the panel first");
            if (removeAbsent) throw new InputException("--remove-absent does not apply to a unit-level sheet (time.all): it adds columns to the dataset's rows and removes none");
        }
        var after = table.Map.Time.AllPeriods ? MergeUnits(before, table, out unitMerge) : Merge(before, table, removeAbsent);
        var fills = table.Map.Fill is { } fill ? Fill(after, fill) : [];
        var diff = Compare(before, after);
        byte[] quarantine = QuarantineBytes(table.Quarantine);

        if (diff.IsEmpty)
        {
            string? qfile = null;
            if (table.Quarantine.Count > 0)
            {
                string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", sources.Select(s => s.Sha256)))))[..16];
                qfile = System.IO.Path.Combine(DatasetDir(name), "quarantine", $"{key}.csv");
                AtomicFile.Write(qfile, s => s.Write(quarantine));
            }
            return new IngestOutcome(null, previous, diff, qfile, previous is { } pv ? System.IO.Path.Combine(VersionDir(name, pv), DataFileName) : null) { Merge = unitMerge, Fills = fills };
        }

        int version = (previous ?? 0) + 1;
        byte[] data = after.ToCsv();
        var manifest = new VersionManifest(ManifestSchema, name, version, previous,
            _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            DataFileName, Convert.ToHexStringLower(SHA256.HashData(data)), after.Rows.Count, after.Columns, after.UnitColumn, after.TimeColumn,
            sources, removeAbsent, table.RowsRead, table.QuarantinedRows, table.Quarantine.Count > 0 ? "quarantine.csv" : null, diff, table.MissingCells,
            table.Renamed.Count > 0 ? table.Renamed : null, table.Map.Unit.Divisions is null ? null : Core.Data.Divisions.Version(table.Map.Unit.Divisions), unitMerge,
            fills.Count > 0 ? fills : null, table.SheetMerges.Count > 0 ? table.SheetMerges : null);

        string final = VersionDir(name, version);
        string staging = System.IO.Path.Combine(DatasetDir(name), $".staging-v{version}-{Guid.NewGuid():N}");
        try
        {
            AtomicFile.Write(System.IO.Path.Combine(staging, DataFileName), s => s.Write(data));
            if (table.Quarantine.Count > 0) AtomicFile.Write(System.IO.Path.Combine(staging, "quarantine.csv"), s => s.Write(quarantine));
            AtomicFile.Write(System.IO.Path.Combine(staging, "manifest.json"), s => JsonSerializer.Serialize(s, manifest, Json));
            foreach (var f in Directory.GetFiles(staging)) ReadOnly(f);
            if (Directory.Exists(final))
                throw new IOException($"cannot make {final}: it exists (another ingest made version {version} meanwhile); run the ingest again");
            // A rename: the version appears whole or not at all.
            Directory.Move(staging, final);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        return new IngestOutcome(manifest, previous, diff, table.Quarantine.Count > 0 ? System.IO.Path.Combine(final, "quarantine.csv") : null, System.IO.Path.Combine(final, DataFileName)) { Merge = unitMerge, Fills = fills };
    }

    private static void ReadOnly(string file)
    {
        if (OperatingSystem.IsWindows()) File.SetAttributes(file, FileAttributes.ReadOnly);
        else File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>The quarantine CSV: source, sheet, row, unit, time, column, rule, value, action (row dropped | cell missing) — one line per broken rule.</summary>
    public static byte[] QuarantineBytes(IReadOnlyList<QuarantineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        CsvWriter.Row(w, ["source", "sheet", "row", "unit", "time", "column", "rule", "value", "action"]);
        foreach (var q in entries)
            CsvWriter.Row(w, [q.Source, q.Sheet, q.Row.ToString(CultureInfo.InvariantCulture), q.Unit, q.Time, q.Column, q.Rule, q.Value, q.Action]);
        return new UTF8Encoding(false).GetBytes(w.ToString());
    }

    private VersionTable Load(string name, int version)
    {
        var resolved = Resolve($"{name}@{version}");
        using var reader = new StreamReader(resolved.Path, new UTF8Encoding(false));
        var (header, rows) = CsvReader.ReadRaw(reader, resolved.Path);
        var table = new VersionTable(resolved.UnitColumn, resolved.TimeColumn, [.. header]);
        int u = table.Columns.IndexOf(resolved.UnitColumn), t = table.Columns.IndexOf(resolved.TimeColumn);
        if (u != 0 || t != 1) throw new InputException($"{resolved.Path}: the first two columns must be {resolved.UnitColumn} and {resolved.TimeColumn}");
        foreach (var (line, cells) in rows)
        {
            if (!long.TryParse(cells[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long time))
                throw new InputException($"{resolved.Path}: line {line}: time '{cells[1]}' is not an integer");
            table.Rows[new RowKey(cells[0], time)] = [.. cells.Skip(2).Select(c => c.Length == 0 ? null : c)];
        }
        return table;
    }

    private static VersionTable Merge(VersionTable before, IngestedTable table, bool removeAbsent)
    {
        var columns = before.Columns.ToList();
        foreach (var v in table.Map.Variables)
            if (!columns.Contains(v.Name)) columns.Add(v.Name);
        var after = new VersionTable(before.UnitColumn, before.TimeColumn, columns);
        int width = columns.Count - 2;
        foreach (var (key, cells) in before.Rows)
        {
            var row = new string?[width];
            for (int c = 0; c < cells.Length; c++) row[c] = cells[c];
            after.Rows[key] = row;
        }
        var target = table.Map.Variables.Select(v => columns.IndexOf(v.Name) - 2).ToArray();
        foreach (var r in table.Rows)
        {
            var key = new RowKey(r.Unit, r.Time);
            if (!after.Rows.TryGetValue(key, out var row)) after.Rows[key] = row = new string?[width];
            for (int v = 0; v < target.Length; v++)
                // A cell set missing for breaking a rule is not news: the previous version's value stays.
                if (!r.Broken.Contains(v)) row[target[v]] = r.Values[v];
        }
        if (removeAbsent)
        {
            // A key present in the source but quarantined is not absent: its previous row stays.
            var present = table.Rows.Select(r => new RowKey(r.Unit, r.Time)).Concat(table.QuarantinedKeys).ToHashSet();
            foreach (var key in after.Rows.Keys.Where(k => !present.Contains(k)).ToList()) after.Rows.Remove(key);
        }
        return after;
    }

    /// <summary>A unit-level table merged m:1: each source unit's values onto every row of that unit; no row is added or removed.</summary>
    private static VersionTable MergeUnits(VersionTable before, IngestedTable table, out UnitMerge report)
    {
        var columns = before.Columns.ToList();
        foreach (var v in table.Map.Variables)
            if (!columns.Contains(v.Name)) columns.Add(v.Name);
        var after = new VersionTable(before.UnitColumn, before.TimeColumn, columns);
        int width = columns.Count - 2;
        var rowsOf = new Dictionary<string, List<RowKey>>(StringComparer.Ordinal);
        foreach (var (key, cells) in before.Rows)
        {
            var row = new string?[width];
            for (int c = 0; c < cells.Length; c++) row[c] = cells[c];
            after.Rows[key] = row;
            if (!rowsOf.TryGetValue(key.Unit, out var list)) rowsOf[key.Unit] = list = [];
            list.Add(key);
        }
        var target = table.Map.Variables.Select(v => columns.IndexOf(v.Name) - 2).ToArray();
        var onlySource = new List<string>();
        int matchedRows = 0;
        foreach (var r in table.Rows)
        {
            if (!rowsOf.TryGetValue(r.Unit, out var keys)) { onlySource.Add(r.Unit); continue; }
            foreach (var key in keys)
                for (int v = 0; v < target.Length; v++)
                    if (!r.Broken.Contains(v)) after.Rows[key][target[v]] = r.Values[v];
            matchedRows += keys.Count;
        }
        var sourceUnits = table.Rows.Select(r => r.Unit).ToHashSet(StringComparer.Ordinal);
        report = new UnitMerge(rowsOf.Keys.Count(sourceUnits.Contains), matchedRows, onlySource.Order(StringComparer.Ordinal).ToList(),
            rowsOf.Keys.Where(u => !sourceUnits.Contains(u)).Order(StringComparer.Ordinal).ToList());
        return after;
    }

    /// <summary>The diff from one table to another.</summary>
    private static DatasetDiff Compare(VersionTable a, VersionTable b)
    {
        var added = new List<RowKey>();
        var changed = new List<RowKey>();
        var removed = new List<RowKey>();
        var cells = new List<CellChange>();
        var columns = a.Columns.Skip(2).Union(b.Columns.Skip(2)).ToList();
        string? Cell(VersionTable t, string?[] row, string column)
        {
            int i = t.Columns.IndexOf(column) - 2;
            return i < 0 ? null : row[i];
        }
        foreach (var (key, rowB) in b.Rows)
        {
            if (!a.Rows.TryGetValue(key, out var rowA)) { added.Add(key); continue; }
            bool any = false;
            foreach (var c in columns)
            {
                string? x = Cell(a, rowA, c), y = Cell(b, rowB, c);
                if (string.Equals(x, y, StringComparison.Ordinal)) continue;
                cells.Add(new CellChange(key.Unit, key.Time, c, x, y));
                any = true;
            }
            if (any) changed.Add(key);
        }
        foreach (var key in a.Rows.Keys)
            if (!b.Rows.ContainsKey(key)) removed.Add(key);
        return new DatasetDiff(added, changed, removed, cells,
            [.. b.Columns.Where(c => !a.Columns.Contains(c))], [.. a.Columns.Where(c => !b.Columns.Contains(c))]);
    }

    /// <summary>
    /// Fills the gaps of the merged version's columns as the map's <c>fill:</c> says, with the same code a study's
    /// <c>dataset.interpolate</c>/<c>extrapolate</c> runs (<see cref="PanelTransforms.Interpolate(Panel, double[], out IReadOnlyList{FilledCell}, Extrapolation)"/>
    /// over the version's rows, each unit by time), and returns every filled cell.
    /// </summary>
    private static List<FilledCellRecord> Fill(VersionTable table, IngestFill fill)
    {
        var records = new List<FilledCellRecord>();
        var panel = Panel.Create(CsvReader.Read(table.ToCsv(), "version"), table.UnitColumn, table.TimeColumn);
        foreach (var column in fill.Columns)
        {
            int at = table.Columns.IndexOf(column) - 2;
            if (at < 0) throw new InputException($"fill.columns: '{column}' is not a column of the dataset (columns: {string.Join(", ", table.Columns.Skip(2))})");
            if (!panel.Frame[column].IsNumeric && panel.Frame[column].Texts!.Any(t => t is not null))
                throw new InputException($"fill.columns: '{column}' holds text; only numbers are filled");
            var x = panel.Frame[column].Values ?? new double[panel.Frame.RowCount].Select(_ => double.NaN).ToArray();
            PanelTransforms.Interpolate(panel, x, out var cells, fill.Ends);
            foreach (var c in cells)
            {
                table.Rows[new RowKey(c.Unit, c.Time)][at] = CsvWriter.Number(c.Value);
                records.Add(new FilledCellRecord(c.Unit, c.Time, column, c.Value, c.Method));
            }
        }
        return records;
    }

    private sealed class VersionTable(string unit, string time, List<string> columns)
    {
        public static VersionTable Empty(string unit, string time) => new(unit, time, [unit, time]);

        public string UnitColumn { get; } = unit;

        public string TimeColumn { get; } = time;

        /// <summary>Unit, time, then the value columns.</summary>
        public List<string> Columns { get; } = columns;

        /// <summary>Value cells by row key, sorted by unit (ordinal) and time.</summary>
        public SortedDictionary<RowKey, string?[]> Rows { get; } = new(Comparer<RowKey>.Create((x, y) =>
        {
            int c = string.CompareOrdinal(x.Unit, y.Unit);
            return c != 0 ? c : x.Time.CompareTo(y.Time);
        }));

        public byte[] ToCsv()
        {
            using var w = new StringWriter(CultureInfo.InvariantCulture);
            CsvWriter.Row(w, Columns);
            foreach (var (key, cells) in Rows)
                CsvWriter.Row(w, [key.Unit, key.Time.ToString(CultureInfo.InvariantCulture), .. cells]);
            return new UTF8Encoding(false).GetBytes(w.ToString());
        }
    }
}
