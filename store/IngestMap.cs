namespace DigitalEconomy.Store;

/// <summary>How a table ends below its header.</summary>
[Flags]
public enum TableEnd
{
    /// <summary>Read to the last row of the sheet (blank rows are skipped).</summary>
    LastRow = 0,

    /// <summary>The first row with no value in any cell ends the table.</summary>
    EmptyRow = 1,

    /// <summary>The first row whose first non-empty cell starts with a footnote marker ends the table.</summary>
    Footnote = 2,
}

/// <summary>The type a mapped variable must have.</summary>
public enum VariableType
{
    /// <summary>A finite number (after unit conversion).</summary>
    Number,

    /// <summary>A whole number (after unit conversion).</summary>
    WholeNumber,

    /// <summary>Any text.</summary>
    Text,

    /// <summary>Text from a list of allowed values (when the map gives one).</summary>
    Category,
}

/// <summary>
/// Where the table is in the source and how to read it: sheet, header row (null = detect it as the first
/// row holding every mapped header), how the table ends, footnote markers, the source headers whose
/// merged cells are filled down, the texts that mean "missing", and unit values to skip (totals).
/// </summary>
public sealed record SourceLayout(
    string? Sheet,
    int? HeaderRow,
    TableEnd End,
    IReadOnlyList<string> FootnoteMarkers,
    IReadOnlyList<string> FillDown,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> SkipUnits)
{
    /// <summary>A CSV source's encoding (UTF-8, GBK, GB18030; <c>source.encoding</c> or <c>de ingest --encoding</c>), or null to detect.</summary>
    public string? Encoding { get; init; }

    /// <summary>
    /// Yearbook missing markers: dashes, ellipses, the EPS/yearbook <c>..</c>, a lone <c>-</c> or <c>/</c>, empty, NA.
    /// A marker is a whole cell, so <c>-5</c> is a number.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultMissing = ["—", "–", "…", "...", "..", "-", "/", "", "NA"];

    /// <summary>Yearbook footnote openings: notes and sources, with full-width or ASCII colons.</summary>
    public static readonly IReadOnlyList<string> DefaultFootnoteMarkers = ["注：", "注:", "资料来源", "数据来源", "说明：", "Note", "Source"];

    /// <summary>The defaults: first sheet, detected header, table ends at the first empty row or footnote.</summary>
    public static SourceLayout Default { get; } = new(null, null, TableEnd.EmptyRow | TableEnd.Footnote, DefaultFootnoteMarkers, [], DefaultMissing, []);
}

/// <summary>
/// The unit or time key of the table: read from a source column, or (time only) a constant for a
/// yearbook sheet that holds one year.
/// </summary>
public sealed record KeyColumn(string Name, string? Source, long? Constant)
{
    /// <summary>
    /// <c>province</c>: the unit cells name provinces, each normalised to its short name (北京市, 北京, Beijing → 北京) through
    /// core's <see cref="Core.Data.Provinces"/>; a name that is no province refuses the ingest. Null: units as written.
    /// </summary>
    public string? Divisions { get; init; }

    /// <summary>
    /// A wide sheet (time only): the periods are column headers matching this pattern (a .NET regular expression whose
    /// first group, or whole match, is the period, e.g. <c>(\d{4})年?</c>), and the one variable's values sit under them.
    /// Null: the time is a column (or a constant).
    /// </summary>
    public string? HeaderPattern { get; init; }

    /// <summary>
    /// A unit-level sheet (time only; <c>time: { all: NAME }</c>): one row per unit, whose values go onto every period of that
    /// unit already in the dataset (Stata's <c>merge m:1</c>), as a region, a pilot year or a municipality flag do.
    /// </summary>
    public bool AllPeriods { get; init; }

    /// <summary>Columns added from the division table for each row: <c>region</c> (东部/中部/西部/东北), <c>municipality</c> (1/0), <c>code</c> (GB/T 2260, as <c>NAME_code</c>).</summary>
    public IReadOnlyList<string> Attributes { get; init; } = [];
}

/// <summary>
/// One variable of the dataset: its source header, type, conversion (the source value is multiplied by
/// <see cref="Multiply"/> and divided by <see cref="Divide"/>), unit label, and rules.
/// </summary>
public sealed record VariableMap(
    string Name,
    string Source,
    VariableType Type,
    double Multiply,
    double Divide,
    string? Unit,
    double? Min,
    double? Max,
    bool NonNegative,
    IReadOnlyList<string>? Allowed);

/// <summary>A column map: layout of the source, the unit and time keys, and the variables in output order.</summary>
public sealed record IngestMap(SourceLayout Layout, KeyColumn Unit, KeyColumn Time, IReadOnlyList<VariableMap> Variables)
{
    /// <summary>The map's <c>fill:</c> (gaps filled in the new version), or null.</summary>
    public IngestFill? Fill { get; init; }

    /// <summary>With <c>source.sheets</c>: one map per sheet, read in order and merged by unit and time (empty for one sheet).</summary>
    public IReadOnlyList<IngestMap> Parts { get; init; } = [];

    /// <summary>The output columns in order: unit, time, then the variables.</summary>
    public IReadOnlyList<string> Columns => [Unit.Name, Time.Name, .. Variables.Select(v => v.Name)];
}

/// <summary>
/// Magnitude units of Chinese statistical tables (元/万元/亿元, 人/万人, 吨/万吨 …): a magnitude prefix
/// before a base unit. Converting between two units of one base is an exact power of ten.
/// </summary>
public static class MagnitudeUnits
{
    // Longest prefixes first, so that 千万元 is 千万 + 元, not 千 + 万元.
    private static readonly (string Prefix, double Factor)[] Prefixes =
        [("千万", 1e7), ("百万", 1e6), ("十万", 1e5), ("亿", 1e8), ("万", 1e4), ("千", 1e3)];

    /// <summary>The factor and base unit of a unit text: 万元 → (10000, 元); 元 → (1, 元).</summary>
    public static (double Factor, string Base) Parse(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        string u = unit.Trim();
        foreach (var (prefix, factor) in Prefixes)
            if (u.Length > prefix.Length && u.StartsWith(prefix, StringComparison.Ordinal)) return (factor, u[prefix.Length..]);
        return (1, u);
    }

    /// <summary>
    /// The conversion from one unit to another as (multiply, divide), both exact powers of ten, one of them 1;
    /// null when the base units differ (万元 → 亿人).
    /// </summary>
    public static (double Multiply, double Divide)? Conversion(string from, string to)
    {
        var (f, fb) = Parse(from);
        var (t, tb) = Parse(to);
        if (!string.Equals(fb, tb, StringComparison.Ordinal)) return null;
        return f >= t ? (f / t, 1) : (1, t / f);
    }
}

/// <summary>
/// A map's <c>fill:</c>: after the merge, the <see cref="Columns"/> of the new version are filled within each unit by the
/// same code a study's <c>dataset.interpolate</c>/<c>extrapolate</c> runs (<see cref="DigitalEconomy.Core.Data.PanelTransforms.Interpolate(DigitalEconomy.Core.Data.Panel, double[], out IReadOnlyList{DigitalEconomy.Core.Data.FilledCell}, DigitalEconomy.Core.Data.Extrapolation)"/>).
/// </summary>
/// <param name="Ends">The ends before the first and after the last observation (interior gaps are always interpolated linearly).</param>
/// <param name="Columns">The columns filled (default: the map's number and integer variables).</param>
public sealed record IngestFill(DigitalEconomy.Core.Data.Extrapolation Ends, IReadOnlyList<string> Columns);
