using System.CommandLine;
using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// `de dataset export NAME[@V] --out FILE`: a dataset version, or a data file such as a run's <c>dataset.csv</c>, as CSV,
/// Parquet, Stata .dta or Excel .xlsx (by the extension of FILE).
/// </summary>
internal static class DatasetExport
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var what = new Argument<string>("dataset") { Description = "NAME (latest version) or NAME@V under --root, or a data file (a run's dataset.csv, any CSV, Parquet or .dta)" };
        var output = new Option<string>("--out") { Description = $"file to write: {TableExport.Choices}, by its extension", Required = true };
        var force = new Option<bool>("--force") { Description = "replace --out when it exists" };
        var root = DatasetCommand.RootOption();
        var cmd = new Command("export", "Write a dataset version or a run's dataset.csv as .dta (Stata 14+), .xlsx, .parquet or .csv") { what, output, force, root };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string reference = p.GetValue(what)!, file = p.GetValue(output)!;
            TableExport.FormatOf(file, "--out");
            string input;
            var folders = new List<string>();
            if (File.Exists(reference))
            {
                // A file named as such: when it sits beside a manifest.json (a run's dataset.csv, a version's data.csv), that
                // folder is a run's or a version's, whose files are never written.
                input = reference;
                string dir = Path.GetDirectoryName(Path.GetFullPath(reference))!;
                if (File.Exists(Path.Combine(dir, "manifest.json"))) folders.Add(dir);
            }
            else
            {
                var r = new DatasetVersions(p.GetValue(root)!).Resolve(reference);
                input = r.Path;
                folders.Add(Path.Combine(Path.GetFullPath(p.GetValue(root)!), r.Name));
            }
            ExportTarget.Check(file, "--out", p.GetValue(force), folders);
            OutputPaths.NotAnInput(file, "--out", (input, "dataset"));
            var frame = DatasetFile.Read(input);
            if (frame.Encoding?.Note(input) is { } note) stderr.WriteLine($"note: {note}");
            ExportTarget.Report(stdout, stderr, TableExport.Write(frame, file, "--out"));
            return 0;
        }));
        return cmd;
    }
}

/// <summary>Where an export may write, and what it says after writing: shared by <c>de query --save</c> and <c>de dataset export</c>.</summary>
internal static class ExportTarget
{
    /// <summary>
    /// An export writes only the file the user named: never a folder, never into a folder that does not exist (no folder is
    /// made), never over an existing file without <c>--force</c>, and never inside <paramref name="sealedFolders"/> (a queried
    /// run's folder, the dataset's versions), not even with <c>--force</c>.
    /// </summary>
    /// <exception cref="InputException">One line naming the option and the file.</exception>
    public static void Check(string file, string option, bool force, IEnumerable<string> sealedFolders)
    {
        string real = OutputPaths.RealPath(file);
        if (Directory.Exists(real)) throw new InputException($"{option} '{file}' is a folder; give a file name");
        string? parent = Path.GetDirectoryName(real);
        if (parent is not null && !Directory.Exists(parent)) throw new InputException($"{option} '{file}': the folder '{Path.GetDirectoryName(file)}' does not exist");
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var folder in sealedFolders)
        {
            string f = Path.TrimEndingDirectorySeparator(OutputPaths.RealPath(folder)) + Path.DirectorySeparatorChar;
            if (real.StartsWith(f, comparison))
                throw new InputException($"{option} '{file}' is inside '{folder}', whose files are results or versions that are never written again; write it elsewhere");
        }
        if (File.Exists(real) && !force) throw new InputException($"{option} '{file}' exists; give --force to replace it");
    }

    /// <summary>One line on what was written; the Stata renames as a note.</summary>
    public static void Report(TextWriter stdout, TextWriter stderr, ExportResult r)
    {
        if (r.Renamed.Count > 0)
            stderr.WriteLine($"note: not Stata names, written as (the original name is the variable label): {string.Join(", ", r.Renamed.Select(x => $"'{x.From}' → {x.To}"))}");
        string kind = r.Format switch { "dta" => "Stata .dta, format 118", "xlsx" => "Excel workbook, sheet 'data'", "parquet" => "Parquet", _ => "CSV" };
        stdout.WriteLine($"wrote {IngestCommand.Rows(r.Rows)} × {r.Columns.ToString(CultureInfo.InvariantCulture)} columns to {r.Path} ({kind})");
    }
}
