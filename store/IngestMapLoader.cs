using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads a column map (docs/datasets.md) into an <see cref="IngestMap"/> in two passes: the typed pass
/// (<see cref="IngestMapFileReader"/>: syntax, types, closed word lists) into an <see cref="IngestMapFile"/>, then the
/// validation pass here (keys checked against each other, sheets merged). Every error is one line with the
/// file, the line and the key path (e.g. <c>variables.gdp.range</c>).
/// </summary>
internal static class IngestMapLoader
{
    public static IngestMap Load(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"map '{path}' is a directory, not a YAML file");
        if (!File.Exists(path)) throw new InputException($"map file '{path}' does not exist");
        string file = Path.GetFileName(path);
        var yaml = new YamlStream();
        try { yaml.Load(new StringReader(TextFile.ReadUtf8(path))); }
        catch (YamlException e) { throw new InputException($"{file}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}"); }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new InputException($"{file}: line 1: expected a mapping with source, unit, time and variables");
        var y = new YamlReader(file);
        // Pass 1, syntax and types (IngestMapFileReader); pass 2 below, the keys checked against each other.
        var map = IngestMapFileReader.Read(y, root);
        if (map.Sheets is { } sheets) return Parts(y, map, sheets);
        return Build(y, map.At, map.Source, map.Unit, map.Time, map.Variables, map.Fill);
    }

    /// <summary>
    /// <c>source.sheets</c>: several sheets of one workbook in one ingest, each a map of its own (its sheet and layout keys,
    /// and its variables; unit and time default to the map's) — read as the maps they make and merged by unit and time.
    /// </summary>
    private static IngestMap Parts(YamlReader y, IngestMapFile file, Located<ImmutableArray<SheetSection>> sheets)
    {
        if (sheets.Value.Length < 2) throw y.Error(sheets.At, "source.sheets", "list at least two sheets (one sheet: source.sheet and variables)");
        if (file.Source!.Sheet is { } one) throw y.Error(one.At, "source.sheet", "source.sheet and source.sheets: choose one");
        if (file.Variables is { } rv) throw y.Error(rv.At, "variables", "with source.sheets each sheet lists its own variables (source.sheets[i].variables)");
        var parts = new List<IngestMap>();
        foreach (var part in sheets.Value)
        {
            string key = part.Path;
            if (part.Layout.Sheet is null) throw y.Error(part.At, key + ".sheet", "missing; name the sheet (or its number)");
            if (part.Variables is null) throw y.Error(part.At, key + ".variables", "missing; map the sheet's columns to variables");
            // The part's own map: the workbook's source keys, overridden by the part's; its unit, time and variables. A key
            // missing from both is reported at the part's map, which is no node of the file (Mark.Empty, line 1), as before.
            var m = Build(y, Mark.Empty, file.Source.With(part.Layout), part.Unit ?? file.Unit, part.Time ?? file.Time, part.Variables, null);
            if (m.Time.AllPeriods) throw y.Error(part.At, key + ".time", "a unit-level sheet (time.all) is ingested on its own, after the panel (docs/datasets.md)");
            if (parts.Count > 0 && (m.Unit.Name != parts[0].Unit.Name || m.Time.Name != parts[0].Time.Name))
                throw y.Error(part.At, key, $"keys its rows by ({m.Unit.Name}, {m.Time.Name}); the first sheet by ({parts[0].Unit.Name}, {parts[0].Time.Name}); every sheet needs the same unit.name and time.name");
            foreach (var v in m.Variables)
                if (parts.SelectMany(p => p.Variables).Any(o => o.Name == v.Name))
                    throw y.Error(part.At, key + ".variables", $"'{v.Name}' is a variable of an earlier sheet too; name each variable in one sheet");
            parts.Add(m);
        }
        var all = parts.SelectMany(p => p.Variables).ToList();
        return new IngestMap(parts[0].Layout, parts[0].Unit, parts[0].Time, all) { Parts = parts, Fill = Fill(y, file.Fill, parts[0].Time, all) };
    }

    /// <summary>One map (the file's, or one sheet's with the workbook's source keys): its keys checked against each other.</summary>
    private static IngestMap Build(YamlReader y, Mark at, SourceSection? src, KeySection? unitKey, KeySection? timeKey, VariablesSection? vars, FillSection? fill)
    {
        var layout = SourceLayout.Default;
        if (src is not null)
        {
            layout = new SourceLayout(src.Sheet?.Value, src.HeaderRow?.Value, src.End ?? layout.End, src.FootnoteMarkers ?? layout.FootnoteMarkers,
                src.FillDown ?? [], src.Missing ?? layout.Missing, src.SkipUnits ?? [])
            {
                Encoding = src.Encoding,
            };
        }
        var unit = Key(y, at, unitKey, "unit", constantAllowed: false);
        var time = Key(y, at, timeKey, "time", constantAllowed: true);
        if (vars is null) throw y.Error(at, "variables", "missing; map at least one source column to a variable");
        if (vars.Entries.Length == 0) throw y.Error(vars.At, "variables", "empty; map at least one source column to a variable");
        var variables = new List<VariableMap>();
        var names = new HashSet<string>(StringComparer.Ordinal) { unit.Name, time.Name };
        foreach (var attribute in unit.Attributes) names.Add(attribute == "code" ? $"{unit.Name}_code" : attribute);
        foreach (var v in vars.Entries)
        {
            string name = v.Name;
            string key = $"variables.{name}";
            if (name.Length == 0 || name.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '.')))
                throw y.Error(v.NameAt, key, "a variable name uses letters, digits, '_' and '.' (it becomes a column that formulas name)");
            if (!names.Add(name)) throw y.Error(v.NameAt, key, $"'{name}' is already a column of the map");
            variables.Add(Variable(y, v, key, wide: time.HeaderPattern is not null));
        }
        if (time.HeaderPattern is not null && variables.Count != 1)
            throw y.Error(vars.At, "variables", $"a wide sheet (time.header) holds one variable under its period headers; found {variables.Count}: map each variable's sheet separately");
        return new IngestMap(layout, unit, time, variables) { Fill = Fill(y, fill, time, variables) };
    }

    /// <summary>fill against the map: a panel's map, and number variables to fill.</summary>
    private static IngestFill? Fill(YamlReader y, FillSection? fill, KeyColumn time, List<VariableMap> variables)
    {
        if (fill is null) return null;
        if (time.AllPeriods) throw y.Error(fill.At, "fill", "a unit-level sheet (time.all) has no years to fill between; put fill on the panel's map");
        var numeric = variables.Where(v => v.Type is VariableType.Number or VariableType.WholeNumber).Select(v => v.Name).ToList();
        var columns = fill.Columns?.Value ?? numeric;
        if (columns.Count == 0) throw y.Error(fill.At, "fill", "the map has no number variable to fill; name the dataset's columns in fill.columns");
        foreach (var c in columns)
            if (variables.FirstOrDefault(v => v.Name == c) is { } v && !numeric.Contains(c))
                throw y.Error(fill.Columns!.At, "fill.columns", $"'{c}' is a {v.Type.ToString().ToLowerInvariant()} variable; only numbers are filled");
        return new IngestFill(fill.Extrapolate, columns);
    }

    /// <summary>A key read as a non-empty value: its text, or "expected a value" at its line.</summary>
    private static string Need(YamlReader y, Located<string?> v, string key) => v.Value ?? throw y.Error(v.At, key, "expected a value");

    private static KeyColumn Key(YamlReader y, Mark rootAt, KeySection? node, string key, bool constantAllowed)
    {
        if (node is null) throw y.Error(rootAt, key, constantAllowed
            ? "missing; give { column: HEADER, name: NAME } or, for a sheet of one year, { value: 2022, name: year }"
            : "missing; give { column: HEADER, name: NAME }");
        if (node.Shorthand is { } s) return new KeyColumn(s, s, null);
        var column = node.Column;
        var value = node.Value;
        if (column is not null && value is not null) throw y.Error(value.At, key + ".value", "give column or value, not both");
        if (node.All is { } al)
        {
            // A unit-level sheet: `time: { all: year }` puts each unit's values on every year of it in the dataset.
            if (column is not null || value is not null || node.Header is not null) throw y.Error(al.At, key + ".all", "give all (a unit-level sheet), header, column or value, only one");
            if (node.Name is not null) throw y.Error(al.At, key + ".all", "all names the dataset's time column itself, e.g. { all: year }; drop name");
            return new KeyColumn(Need(y, al, key + ".all"), null, 0) { AllPeriods = true };
        }
        if (node.Header is { } hd)
        {
            // Years as columns: `time: { header: '(\d{4})年', name: year }`.
            if (column is not null || value is not null) throw y.Error(hd.At, key + ".header", "give header (periods as column headers), column or value, only one");
            string pattern = hd.Value;
            try { _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException e) { throw y.Error(hd.At, key + ".header", $"not a regular expression: {e.Message}"); }
            string hname = node.Name is { } hn ? Need(y, hn, key + ".name") : throw y.Error(node.At, key + ".name", "missing; periods read from headers need the column name, e.g. year");
            return new KeyColumn(hname, null, null) { HeaderPattern = pattern };
        }
        if (value is not null)
        {
            string t = value.Value;
            if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long k))
                throw y.Error(value.At, key + ".value", $"expected an integer period such as 2022, found '{t}'");
            return new KeyColumn(node.Name is { } n ? Need(y, n, key + ".name") : throw y.Error(node.At, key + ".name", "missing; a constant period needs the column name, e.g. year"), null, k);
        }
        string source = column is not null ? Need(y, column, key + ".column") : throw y.Error(node.At, key + ".column", constantAllowed ? "missing; give column (a source header) or value (one period)" : "missing; give the source header");
        string name = node.Name is { } nm ? Need(y, nm, key + ".name") : source;
        string? divisions = null;
        if (node.Divisions is { } dv)
        {
            divisions = dv.Value;
            if (!Divisions.Known(divisions)) throw y.Error(dv.At, key + ".divisions", $"expected {Divisions.Choices}, found '{divisions}'");
        }
        var attributes = node.Attributes?.Value ?? [];
        if (attributes.Count > 0 && divisions is null) throw y.Error(node.Attributes!.At, key + ".attributes", "needs divisions: province or city (the attributes come from the division table)");
        foreach (var a in attributes)
            if (!(a is "region" or "municipality" or "code" || (a == "province" && divisions == "city")))
                throw y.Error(node.Attributes!.At, key + ".attributes", $"expected region, municipality, code{(divisions == "city" ? " or province" : " (and province with divisions: city)")}, found '{a}'");
        return new KeyColumn(name, source, null) { Divisions = divisions, Attributes = attributes };
    }

    private static VariableMap Variable(YamlReader y, VariableSection v, string key, bool wide)
    {
        string name = v.Name;
        if (v.IsShorthand)
        {
            // In a wide sheet the values sit under the period headers: the variable names no column.
            if (wide && v.Shorthand is null or "" or "~") return new VariableMap(name, "", VariableType.Number, 1, 1, null, null, null, false, null);
            // Shorthand: `gdp: 地区生产总值` maps a header to a number column with no rules.
            return new VariableMap(name, v.Shorthand ?? name, VariableType.Number, 1, 1, null, null, null, false, null);
        }
        if (wide && v.Column is { } wc) throw y.Error(wc.At, key + ".column", "a wide sheet's values sit under the period headers (time.header); drop column");
        string column = wide ? "" : v.Column is { } c ? Need(y, c, key + ".column") : throw y.Error(v.At, key + ".column", "missing");
        var type = v.Type?.Value ?? VariableType.Number;
        bool numeric = type is VariableType.Number or VariableType.WholeNumber;
        string typeName = type == VariableType.Text ? "text" : "category";
        foreach (var (k, at) in new[] { ("from", v.From?.At), ("to", v.To?.At), ("scale", v.Scale?.At), ("range", v.Range?.At), ("non_negative", v.NonNegativeAt) })
            if (!numeric && at is { } bad) throw y.Error(bad, $"{key}.{k}", $"applies to number and integer variables; '{name}' is {typeName}");
        if (type != VariableType.Category && v.Allowed is { } al) throw y.Error(al.At, key + ".allowed", "applies to category variables; add type: category");

        double mul = 1, div = 1;
        string? unit = v.Unit;
        var (from, to, scale) = (v.From, v.To, v.Scale);
        if ((from is null) != (to is null)) throw y.Error((from ?? to!).At, key + (from is null ? ".from" : ".to"), "give both from and to, e.g. from: 万元, to: 亿元");
        if (from is not null && scale is not null) throw y.Error(scale.At, key + ".scale", "give from/to or scale, not both");
        if (from is not null)
        {
            string f = from.Value, t = to!.Value;
            var conv = MagnitudeUnits.Conversion(f, t) ?? throw y.Error(to.At, key + ".to", $"cannot convert {f} to {t}: different base units (known magnitudes: 千, 万, 十万, 百万, 千万, 亿; otherwise give scale)");
            (mul, div) = conv;
            unit ??= t;
        }
        if (scale is not null)
        {
            double sc = scale.Value;
            if (!(sc > 0) || !double.IsFinite(sc)) throw y.Error(scale.At, key + ".scale", $"expected a positive factor, found {sc.ToString(CultureInfo.InvariantCulture)}");
            // A factor below one that is the inverse of a whole number (0.0001 = 1/10000) divides by that
            // number, so that 12345 × 0.0001 gives the correctly rounded 1.2345 (see YearbookReader).
            double inv = Math.Round(1 / sc);
            if (sc < 1 && Math.Abs(1 / sc - inv) <= 1e-9 * inv) div = inv; else mul = sc;
        }
        double? min = null, max = null;
        if (v.Range is { } rg)
        {
            (min, max) = rg.Value;
            if (min > max) throw y.Error(rg.At, key + ".range", $"min {min} is above max {max}");
        }
        return new VariableMap(name, column, type, mul, div, unit, min, max, v.NonNegative, v.Allowed?.Value);
    }
}
