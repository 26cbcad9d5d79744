using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Study;

/// <summary>A table an analysis (or the grid) produced, with the file stem it is written under (tables/&lt;stem&gt;.md …).</summary>
internal sealed record AnalysisTable(string Analysis, string Stem, Table Table);
