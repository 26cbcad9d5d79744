using System.CommandLine;
using DigitalEconomy.Core;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>`de query RUN "SQL"`: SQL over a run's result tables (DuckDB in process); `--runs` across runs.</summary>
internal static class QueryCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var args = new Argument<string[]>("run-and-sql")
        {
            Description = "RUN \"SQL\", or just \"SQL\" with --runs. RUN is a run folder or a run id under --out. " +
                          "Views: specs, bootstrap, indices (every *.parquet of the run)",
            Arity = new ArgumentArity(1, 2),
        };
        var runs = new Option<string[]>("--runs") { Description = "runs to query together (comma-separated or repeated); every view gets a run_id column (the run id, or the folder when one run id is in two folders)" };
        var outDir = new Option<string>("--out") { Description = "results root where run ids are looked up", DefaultValueFactory = _ => "results" };
        var csv = new Option<bool>("--csv") { Description = "print CSV" };
        var json = new Option<bool>("--json") { Description = "print a JSON array of row objects" };
        var save = new Option<string?>("--save") { Description = $"write the result to this file instead of printing it: {TableExport.Choices}, by its extension (never inside a queried run's folder)" };
        var force = new Option<bool>("--force") { Description = "with --save: replace the file when it exists" };
        var cmd = new Command("query", "SQL over a run's result tables with DuckDB (e.g. SELECT outcome, median(estimate) FROM specs GROUP BY 1)") { args, runs, outDir, csv, json, save, force };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var a = p.GetValue(args)!;
            var names = (p.GetValue(runs) ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            if (a.Length == 2) names.Insert(0, a[0]);
            if (names.Count == 0) throw new InputException("give a run and the SQL: de query RUN \"SELECT ...\" (or --runs RUN1,RUN2 \"SELECT ...\")");
            if (p.GetValue(csv) && p.GetValue(json)) throw new InputException("--csv and --json: choose one");
            string? file = p.GetValue(save);
            if (file is not null && (p.GetValue(csv) || p.GetValue(json))) throw new InputException("--save writes a file whose format is its extension; drop --csv/--json");
            if (file is null && p.GetValue(force)) throw new InputException("--force replaces the file of --save; give --save FILE");
            if (file is not null) TableExport.FormatOf(file, "--save"); // an unknown extension is refused before the query runs
            string sql = a[^1];
            var folders = names.Distinct(StringComparer.Ordinal).Select(n => Resolve(n, p.GetValue(outDir)!))
                .DistinctBy(f => f.Directory, StringComparer.Ordinal).ToList();
            // The same run written in two places (say embedded and on a cluster): label those by their folder.
            var shared = folders.GroupBy(f => f.RunId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            folders = [.. folders.Select(f => shared.Contains(f.RunId) ? f with { RunId = Path.GetRelativePath(Environment.CurrentDirectory, f.Directory) } : f)];
            if (file is not null) ExportTarget.Check(file, "--save", p.GetValue(force), folders.Select(f => f.Directory));
            var result = ResultQuery.Run(folders, sql, labelRuns: (p.GetValue(runs) ?? []).Length > 0);
            if (file is not null) ExportTarget.Report(stdout, stderr, TableExport.Write(TableExport.FromQuery(result), file, "--save"));
            else if (p.GetValue(csv)) WriteCsv(stdout, result);
            else if (p.GetValue(json)) WriteJson(stdout, result);
            else WriteTable(stdout, result);
            return 0;
        }));
        return cmd;
    }

    /// <summary>A run folder given as a path, or a run id (or its unique prefix) under the results root (results/STUDY/RUN).</summary>
    internal static RunFolder Resolve(string run, string outRoot)
    {
        if (Directory.Exists(run) && Directory.EnumerateFiles(run, "*.parquet").Any())
            return new RunFolder(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(run))), Path.GetFullPath(run));
        if (!Directory.Exists(outRoot))
            throw new InputException($"run '{run}': not a run folder, and the results root '{outRoot}' does not exist (give --out)");
        var candidates = Directory.EnumerateDirectories(outRoot).SelectMany(Directory.EnumerateDirectories)
            .Where(d => Path.GetFileName(d).StartsWith(run, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var exact = candidates.Where(d => Path.GetFileName(d) == run).ToList();
        if (exact.Count == 1 || candidates.Count == 1)
        {
            string dir = (exact.Count == 1 ? exact : candidates)[0];
            return new RunFolder(Path.GetFileName(dir), Path.GetFullPath(dir));
        }
        if (candidates.Count == 0) throw new InputException($"run '{run}': no run folder of that name, and no run id starting with it under '{outRoot}'");
        throw new InputException($"run '{run}' is ambiguous under '{outRoot}': {string.Join(", ", candidates.Select(Path.GetFileName))}");
    }

    private static void WriteCsv(TextWriter o, QueryResult r)
    {
        o.Write(string.Join(",", r.Columns.Select(CsvField)) + "\n");
        foreach (var row in r.Rows) o.Write(string.Join(",", row.Select(v => CsvField(ResultQuery.Text(v) ?? ""))) + "\n");
    }

    private static string CsvField(string s) => DigitalEconomy.Core.Data.CsvWriter.Field(s);

    private static void WriteJson(TextWriter o, QueryResult r)
    {
        var keys = r.Columns.Select(c => ResultQuery.JsonValue(c)).ToArray();
        o.Write("[");
        for (int i = 0; i < r.Rows.Count; i++)
        {
            o.Write(i == 0 ? "\n" : ",\n");
            o.Write("{" + string.Join(",", r.Rows[i].Select((v, c) => keys[c] + ":" + ResultQuery.JsonValue(v))) + "}");
        }
        o.Write(r.Rows.Count == 0 ? "]\n" : "\n]\n");
    }

    private static void WriteTable(TextWriter o, QueryResult r)
    {
        var cells = r.Rows.Select(row => row.Select(v => ResultQuery.Text(v) ?? "null").ToArray()).ToList();
        // Widths in terminal cells (a Chinese character takes two), so that columns after a Chinese label stay aligned.
        var width = r.Columns.Select((c, k) => Math.Min(60, Math.Max(TerminalText.Width(c), cells.Select(l => TerminalText.Width(l[k])).DefaultIfEmpty(0).Max()))).ToArray();
        static string Cut(string s, int w) => TerminalText.Cut(s, w);
        o.WriteLine(string.Join("  ", r.Columns.Select((c, k) => TerminalText.PadRight(Cut(c, width[k]), width[k]))).TrimEnd());
        o.WriteLine(string.Join("  ", width.Select(w => new string('─', w))));
        foreach (var l in cells)
            o.WriteLine(string.Join("  ", l.Select((v, k) => IsNumber(r.Types[k]) ? TerminalText.PadLeft(Cut(v, width[k]), width[k]) : TerminalText.PadRight(Cut(v, width[k]), width[k]))).TrimEnd());
        o.WriteLine($"({r.Rows.Count} row{(r.Rows.Count == 1 ? "" : "s")})");
    }

    private static bool IsNumber(string type) =>
        type.Contains("INT", StringComparison.OrdinalIgnoreCase) || type.Contains("DOUBLE", StringComparison.OrdinalIgnoreCase) ||
        type.Contains("FLOAT", StringComparison.OrdinalIgnoreCase) || type.Contains("DECIMAL", StringComparison.OrdinalIgnoreCase) || type.Contains("REAL", StringComparison.OrdinalIgnoreCase);
}
