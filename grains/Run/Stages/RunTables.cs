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

    /// <summary>The report paths of a table's files, in the order of <see cref="TableFormats"/>.</summary>
    public static string[] TableFiles(string stem) => [.. TableFormats.Select(f => $"tables/{stem}{f.Extension}")];
}
