using System.CommandLine;
using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>`de ingest NAME SOURCE --map MAP.yaml`: a yearbook table (CSV, Excel, Parquet) through a column map into a new version of a named dataset.</summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("name") { Description = "dataset name (letters, digits, - and _): versions go to ROOT/NAME/vN/" };
        var source = new Argument<string>("source") { Description = "the yearbook table: .xlsx/.xls (sheet from the map), CSV or Parquet" };
        var map = new Option<string>("--map") { Description = "column map (YAML, docs/datasets.md): sheet, header row, end of table, headers → variables, unit conversion, rules", Required = true };
        var root = DatasetCommand.RootOption();
        var removeAbsent = new Option<bool>("--remove-absent") { Description = "remove the previous version's rows that this source does not hold (by default they are kept)" };
        var encoding = new Option<string?>("--encoding") { Description = $"a CSV source's encoding: {TextDecoding.Choices} (default: the map's source.encoding, else UTF-8, or GB18030 when the bytes are not valid UTF-8)" };
        var cmd = new Command("ingest", "Bring a yearbook table into a named dataset as a new immutable version; a cell that breaks a rule is set missing, a row whose unit or year does; each goes to a quarantine file") { name, source, map, root, removeAbsent, encoding };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string dataset = DatasetVersions.ValidName(p.GetValue(name)!);
            string src = p.GetValue(source)!;
            string mapPath = p.GetValue(map)!;
            string? enc = TextDecoding.Canonical(p.GetValue(encoding), "--encoding");
            var (table, outcome) = Ingestion.Run(new DatasetVersions(p.GetValue(root)!), dataset, src, mapPath, p.GetValue(removeAbsent), enc);

            if (table.Encoding?.Note(src) is { } note) stderr.WriteLine($"note: {note}");
            string at = table.Sheet is null ? table.Source : $"{table.Source}, sheet '{table.Sheet}'";
            stdout.WriteLine($"read {Rows(table.RowsRead)} from {at} (header row {table.HeaderRow}; {table.EndNote})");
            foreach (var sm in table.SheetMerges)
                stdout.WriteLine($"merged sheet '{sm.Right}' onto '{sm.Left}' by ({table.Map.Unit.Name}, {table.Map.Time.Name}): matched {sm.Matched}; not matched {sm.OnlyLeft + sm.OnlyRight} (only in '{sm.Left}' {sm.OnlyLeft}, only in '{sm.Right}' {sm.OnlyRight})");
            if (table.Periods.Count > 0) stdout.WriteLine($"periods from the headers: {string.Join(", ", table.Periods)}");
            if (table.RowsSkipped > 0) stdout.WriteLine($"skipped {Rows(table.RowsSkipped)} (source.skip_units)");
            var d = outcome.Diff;
            stdout.WriteLine($"added {d.Added.Count}, changed {d.Changed.Count}, removed {d.Removed.Count}, quarantined {table.QuarantinedRows}{(table.MissingCells > 0 ? $", cells set missing {table.MissingCells}" : "")}");
            if (table.Renamed.Count > 0) stdout.WriteLine($"units renamed: {string.Join(", ", table.Renamed.Select(r => $"{r.From} → {r.To}"))}");
            if (outcome.Merge is { } um)
                stdout.WriteLine($"merged m:1 by {table.Map.Unit.Name}: matched {um.MatchedUnits} units ({Rows(um.MatchedRows)}); " +
                    $"only in the source: {(um.OnlyInSource.Count == 0 ? "none" : $"{string.Join(", ", um.OnlyInSource)} (not added)")}; " +
                    $"only in the dataset: {(um.OnlyInDataset.Count == 0 ? "none" : $"{string.Join(", ", um.OnlyInDataset)} (new columns missing)")}");
            if (outcome.Fills.Count > 0)
                stdout.WriteLine($"filled {Cells(outcome.Fills.Count)} ({string.Join(", ", outcome.Fills.GroupBy(f => f.Method).Select(g => $"{g.Key} {g.Count().ToString(CultureInfo.InvariantCulture)}"))}){(outcome.Created is null ? "" : "; each listed in the manifest (fills)")}");
            if (d.ColumnsAdded.Count > 0 && outcome.Previous is not null) stdout.WriteLine($"new columns: {string.Join(", ", d.ColumnsAdded)}");
            if (outcome.QuarantineFile is { } q)
                stdout.WriteLine($"quarantine: {Rel(q)} ({Rows(table.QuarantinedRows)} dropped, {Cells(table.MissingCells)} set missing; {table.Quarantine.Count} broken {(table.Quarantine.Count == 1 ? "rule" : "rules")})");
            if (outcome.Created is { } v)
                stdout.WriteLine($"{dataset} v{v.Version}: {Rel(outcome.DataPath!)} ({Rows(v.Rows)}, sha256 {v.Sha256[..12]}…)");
            else if (outcome.Previous is { } pv)
                stdout.WriteLine($"no change: every row equals {dataset} v{pv}; no new version made");
            else
                stdout.WriteLine($"no row passed the rules; no version of {dataset} made");
            return 0;
        }));
        return cmd;
    }

    private static string Cells(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " cell" : " cells");

    internal static string Rows(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " row" : " rows");

    internal static string Rel(string path)
    {
        string rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
