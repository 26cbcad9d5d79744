using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>How a run writes its tables: every table in five formats as tables/&lt;stem&gt;.&lt;ext&gt; (the analyses, report, changes and publish stages).</summary>
internal static class RunTables
{
    /// <summary>The table formats written for every table, with their file extensions.</summary>
    public static readonly (TableFormat Format, string Extension)[] TableFormats =
        [(TableFormat.Markdown, ".md"), (TableFormat.Csv, ".csv"), (TableFormat.Latex, ".tex"), (TableFormat.Html, ".html"), (TableFormat.Docx, ".docx")];

    /// <summary>Writes one table in every format of <see cref="TableFormats"/> as tables/&lt;stem&gt;.&lt;ext&gt; under the run folder.</summary>
    public static void WriteTable(string runDir, string stem, Table table)
    {
        string dir = Path.Combine(runDir, "tables");
        Directory.CreateDirectory(dir);
        foreach (var (format, extension) in TableFormats)
        {
            var bytes = TableRenderer.Encode(table, format);
            AtomicFile.Write(Path.Combine(dir, stem + extension), s => s.Write(bytes));
        }
    }

    /// <summary>The grid's table (report stage) and the version-changes table (changes stage): stems no analysis may take.</summary>
    public const string GridTable = "specifications", ChangesTable = "changes";

    /// <summary>The charts the publish stage draws for the grid, its bootstrap and curve inference: stems no analysis chart of a grid study may take.</summary>
    public static readonly string[] RunCharts = ["specification_curve", "bootstrap_distribution", "null_median", "null_share_significant", "null_aggregate_z"];

    /// <summary>
    /// The one line refusing analyses that would write two tables, or two charts, to one file: an analysis named like another's
    /// further table (a did analysis 'pilot' writes pilot_event, so an analysis 'pilot_event' would overwrite it), or like a
    /// file the run writes itself (the grid's table and charts when there is a <paramref name="grid"/>, the changes table for
    /// a <paramref name="versioned"/> dataset). Null when every stem is taken once. Tables in the run's order; charts in the study's order.
    /// </summary>
    public static string? SharedStem(IReadOnlyList<Study.AnalysisTable> tables, IEnumerable<(string Analysis, IReadOnlyList<Study.Analyses.AnalysisChart> Charts)> charts,
        bool grid, bool versioned)
    {
        // Each stem's writer: an analysis by name, or the run itself (null) under a label.
        var owner = new Dictionary<string, (string? Analysis, string Label)>(StringComparer.Ordinal);
        string? Take(string stem, string analysis, string file)
        {
            if (owner.TryAdd(stem, (analysis, $"analysis '{analysis}'"))) return null;
            var first = owner[stem];
            return first.Analysis == analysis
                ? $"analysis '{analysis}' writes {file} twice (two of its parts give one file name): rename the variables or matrices that differ only in characters a file name cannot hold"
                : $"{first.Label} and analysis '{analysis}' both write {file}: rename one of the analyses (an analysis's further tables and charts are named after it, e.g. NAME_event, NAME_placebo)";
        }
        if (grid) owner[GridTable] = (null, "the grid");
        if (versioned) owner[ChangesTable] = (null, "the version changes");
        foreach (var t in tables)
            if (Take(t.Stem, t.Analysis, $"tables/{t.Stem}.*") is { } clash) return clash;
        owner.Clear();
        if (grid) foreach (var c in RunCharts) owner[c] = (null, "the grid");
        foreach (var (analysis, list) in charts)
            foreach (var c in list)
                if (Take(c.Stem, analysis, $"plots/{c.Stem}.png") is { } clash) return clash;
        return null;
    }

    /// <summary>The report paths of a table's files, in the order of <see cref="TableFormats"/>.</summary>
    public static string[] TableFiles(string stem) => [.. TableFormats.Select(f => $"tables/{stem}{f.Extension}")];
}
