using System.CommandLine;
using DigitalEconomy.Core;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Client;

/// <summary>`de describe`: descriptive statistics (N, mean, sd, min, p50, max) or, with --corr, the correlation matrix of panel columns.</summary>
internal static class DescribeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var panelInput = new PanelInput(optionalPanel: true); // descriptive statistics need no panel
        var vars = new Option<string>("--vars") { Description = "columns to describe (comma list), in table order", Required = true };
        var corr = new Option<bool>("--corr") { Description = "print the correlation matrix (lower triangle, stars from the pairwise t test) instead of descriptive statistics" };
        var tables = new TableFiles();
        var cmd = new Command("describe", "Descriptive statistics or the correlation matrix of panel columns, as a publication table (Markdown on stdout; --table FILE.md|FILE.csv)")
        {
            vars, corr,
        };
        panelInput.AddTo(cmd);
        tables.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var table = tables.Read(p);
            var names = p.GetValue(vars)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0) throw new InputException("--vars: expected a comma list of columns, e.g. --vars gsp,pcap,emp");
            var dup = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new InputException($"--vars: '{dup.Key}' is listed twice");
            var panel = panelInput.Load(p);
            var options = new DataTableOptions { Labels = table.Labels, Language = table.Language };
            var t = p.GetValue(corr) ? DataTables.Correlations(panel, names, options) : DataTables.Descriptives(panel, names, options);
            if (table.Path is { } path) TableFiles.Write(path, t, table.Format);
            else stdout.Write(TableRenderer.Render(t, TableFormat.Markdown));
            return 0;
        }));
        return cmd;
    }
}
