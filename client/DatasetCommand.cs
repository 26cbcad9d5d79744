using System.CommandLine;
using System.Globalization;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>`de dataset log|diff|path|export`: the versions of a named dataset, what changed between two, and the file of one.</summary>
internal static class DatasetCommand
{
    /// <summary>--root: the folder of the versioned datasets (default datasets/ in the current directory).</summary>
    internal static Option<string> RootOption() =>
        new("--root") { Description = "folder of the versioned datasets", DefaultValueFactory = _ => "datasets" };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cmd = new Command("dataset", "Versioned datasets made by de ingest: log, diff, path, export");

        var logName = new Argument<string>("name") { Description = "dataset name" };
        var logRoot = RootOption();
        var log = new Command("log", "Every version, oldest first: when, rows, hash, sources, changes") { logName, logRoot };
        log.SetAction(p => Cli.Guard(stderr, () =>
        {
            var store = new DatasetVersions(p.GetValue(logRoot)!);
            foreach (var m in store.Log(p.GetValue(logName)!))
            {
                var d = m.Diff;
                stdout.WriteLine($"v{m.Version}  {m.CreatedUtc}  {IngestCommand.Rows(m.Rows)}  sha256 {m.Sha256[..12]}…  " +
                    $"+{d.Added.Count} ~{d.Changed.Count} -{d.Removed.Count}{(m.Quarantined > 0 ? $"  quarantined {m.Quarantined}" : "")}{(m.CellsMissing > 0 ? $"  cells set missing {m.CellsMissing}" : "")}");
                foreach (var s in m.Sources)
                    stdout.WriteLine($"    {s.Role}: {s.File}{(s.Sheet is null ? "" : $" [{s.Sheet}]")}  sha256 {s.Sha256[..12]}…");
            }
            return 0;
        }));

        var diffName = new Argument<string>("name") { Description = "dataset name" };
        var from = new Argument<string>("from") { Description = "older version (2 or v2)" };
        var to = new Argument<string>("to") { Description = "newer version (3 or v3)" };
        var diffRoot = RootOption();
        var diff = new Command("diff", "Rows added, changed and removed between two versions, and every changed cell") { diffName, from, to, diffRoot };
        diff.SetAction(p => Cli.Guard(stderr, () =>
        {
            var store = new DatasetVersions(p.GetValue(diffRoot)!);
            string name = p.GetValue(diffName)!;
            int a = DatasetVersions.ParseVersion(p.GetValue(from)!), b = DatasetVersions.ParseVersion(p.GetValue(to)!);
            var d = store.Diff(name, a, b);
            Write(stdout, $"{name} v{a} → v{b}", d);
            return 0;
        }));

        var pathRef = new Argument<string>("dataset") { Description = "NAME (latest version) or NAME@V" };
        var pathRoot = RootOption();
        var path = new Command("path", "The data file of a version (checked against its manifest's SHA-256), for a study's dataset.path") { pathRef, pathRoot };
        path.SetAction(p => Cli.Guard(stderr, () =>
        {
            var r = new DatasetVersions(p.GetValue(pathRoot)!).Resolve(p.GetValue(pathRef)!);
            stdout.WriteLine(r.Path);
            return 0;
        }));

        cmd.Subcommands.Add(log);
        cmd.Subcommands.Add(diff);
        cmd.Subcommands.Add(path);
        cmd.Subcommands.Add(DatasetExport.Create(stdout, stderr));
        return cmd;
    }

    /// <summary>The diff as text: counts, then one line per row (+ added, - removed, ~ changed with its cells old → new).</summary>
    internal static void Write(TextWriter w, string title, DatasetDiff d)
    {
        w.WriteLine($"{title}: added {d.Added.Count}, changed {d.Changed.Count}, removed {d.Removed.Count} rows; {d.Cells.Count} changed {(d.Cells.Count == 1 ? "cell" : "cells")}");
        if (d.ColumnsAdded.Count > 0) w.WriteLine($"columns added: {string.Join(", ", d.ColumnsAdded)}");
        if (d.ColumnsRemoved.Count > 0) w.WriteLine($"columns removed: {string.Join(", ", d.ColumnsRemoved)}");
        foreach (var k in d.Added) w.WriteLine($"+ {k.Unit} {k.Time.ToString(CultureInfo.InvariantCulture)}");
        foreach (var k in d.Removed) w.WriteLine($"- {k.Unit} {k.Time.ToString(CultureInfo.InvariantCulture)}");
        foreach (var g in d.Cells.GroupBy(c => (c.Unit, c.Time)))
            w.WriteLine($"~ {g.Key.Unit} {g.Key.Time.ToString(CultureInfo.InvariantCulture)}: {string.Join("; ", g.Select(c => $"{c.Column} {c.Old ?? "(missing)"} → {c.New ?? "(missing)"}"))}");
    }
}
