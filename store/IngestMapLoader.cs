using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads a column map (docs/datasets.md) into an <see cref="IngestMap"/>. Every error is one line with the
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
        y.Known(root, "", "source", "unit", "time", "variables", "fill");
        if (Opt(root, "source") is YamlMappingNode s0 && Opt(s0, "sheets") is { } sheets) return Parts(y, root, s0, sheets);
        return FromRoot(y, root);
    }

    /// <summary>
    /// <c>source.sheets</c>: several sheets of one workbook in one ingest, each a map of its own (its sheet and layout keys,
    /// and its variables; unit and time default to the map's) — read as the maps they make and merged by unit and time.
    /// </summary>
    private static IngestMap Parts(YamlReader y, YamlMappingNode root, YamlMappingNode source, YamlNode sheetsNode)
    {
        var sheets = sheetsNode as YamlSequenceNode ?? throw y.Error(sheetsNode, "source.sheets", "expected a list of sheets, each {sheet, variables, …}");
        if (sheets.Children.Count < 2) throw y.Error(sheets, "source.sheets", "list at least two sheets (one sheet: source.sheet and variables)");
        if (Opt(source, "sheet") is { } one) throw y.Error(one, "source.sheet", "source.sheet and source.sheets: choose one");
        if (Opt(root, "variables") is { } rv) throw y.Error(rv, "variables", "with source.sheets each sheet lists its own variables (source.sheets[i].variables)");
        string[] layoutKeys = ["sheet", "header_row", "end", "footnote_markers", "fill_down", "missing", "skip_units"];
        var parts = new List<IngestMap>();
        for (int i = 0; i < sheets.Children.Count; i++)
        {
            string key = $"source.sheets[{i}]";
            var part = sheets.Children[i] as YamlMappingNode ?? throw y.Error(sheets.Children[i], key, "expected a mapping {sheet, variables, …}");
            y.Known(part, key + ".", [.. layoutKeys, "unit", "time", "variables"]);
            if (Opt(part, "sheet") is null) throw y.Error(part, key + ".sheet", "missing; name the sheet (or its number)");
            if (Opt(part, "variables") is null) throw y.Error(part, key + ".variables", "missing; map the sheet's columns to variables");
            // The part's own map: the workbook's source keys, overridden by the part's; its unit, time and variables.
            var src = new YamlMappingNode(source.Children.Where(kv => kv.Key is YamlScalarNode { Value: not "sheets" }));
            foreach (var (k, v) in part.Children)
                if (k is YamlScalarNode { Value: { } name } && layoutKeys.Contains(name)) src.Children[k] = v;
            var map = new YamlMappingNode { { "source", src } };
            foreach (var k in new[] { "unit", "time" })
                if ((Opt(part, k) ?? Opt(root, k)) is { } node) map.Children[new YamlScalarNode(k)] = node;
            map.Children[new YamlScalarNode("variables")] = Opt(part, "variables")!;
            var m = FromRoot(y, map);
            if (m.Time.AllPeriods) throw y.Error(part, key + ".time", "a unit-level sheet (time.all) is ingested on its own, after the panel (docs/datasets.md)");
            if (parts.Count > 0 && (m.Unit.Name != parts[0].Unit.Name || m.Time.Name != parts[0].Time.Name))
                throw y.Error(part, key, $"keys its rows by ({m.Unit.Name}, {m.Time.Name}); the first sheet by ({parts[0].Unit.Name}, {parts[0].Time.Name}); every sheet needs the same unit.name and time.name");
            foreach (var v in m.Variables)
                if (parts.SelectMany(p => p.Variables).Any(o => o.Name == v.Name))
                    throw y.Error(part, key + ".variables", $"'{v.Name}' is a variable of an earlier sheet too; name each variable in one sheet");
            parts.Add(m);
        }
        var all = parts.SelectMany(p => p.Variables).ToList();
        return new IngestMap(parts[0].Layout, parts[0].Unit, parts[0].Time, all) { Parts = parts, Fill = Fill(y, root, parts[0].Time, all) };
    }

    private static IngestMap FromRoot(YamlReader y, YamlMappingNode root)
    {

        var layout = SourceLayout.Default;
        if (root.Children.TryGetValue(new YamlScalarNode("source"), out var srcNode))
        {
            var src = srcNode as YamlMappingNode ?? throw y.Error(srcNode, "source", "expected a mapping (sheet, header_row, end, …)");
            y.Known(src, "source.", "sheet", "sheets", "header_row", "end", "footnote_markers", "fill_down", "missing", "skip_units", "encoding");
            string? sheet = Opt(src, "sheet") is { } sh ? y.Scalar(sh, "source.sheet", "a sheet name or number") : null;
            int? headerRow = null;
            if (Opt(src, "header_row") is { } hr)
            {
                string t = y.Scalar(hr, "source.header_row", "a row number");
                if (t is "detect" or "auto") headerRow = null;
                else if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r >= 1) headerRow = r;
                else throw y.Error(hr, "source.header_row", $"expected a row number (1 = the sheet's first row) or 'detect', found '{t}'");
            }
            var end = layout.End;
            if (Opt(src, "end") is { } en)
            {
                var words = en is YamlSequenceNode seq
                    ? seq.Children.Select((n, i) => (n, y.Scalar(n, $"source.end[{i}]", "empty_row, footnote or last_row"))).ToList()
                    : [(en, y.Scalar(en, "source.end", "empty_row, footnote or last_row"))];
                end = TableEnd.LastRow;
                foreach (var (node, w) in words)
                    end |= w switch
                    {
                        "empty_row" => TableEnd.EmptyRow,
                        "footnote" => TableEnd.Footnote,
                        "last_row" => TableEnd.LastRow,
                        _ => throw y.Error(node, "source.end", $"expected empty_row, footnote or last_row (or a list of them), found '{w}'"),
                    };
            }
            layout = new SourceLayout(
                sheet,
                headerRow,
                end,
                Texts(y, src, "footnote_markers", "source.") ?? layout.FootnoteMarkers,
                Texts(y, src, "fill_down", "source.") ?? [],
                Texts(y, src, "missing", "source.") ?? layout.Missing,
                Texts(y, src, "skip_units", "source.") ?? [])
            {
                Encoding = Opt(src, "encoding") is { } enc ? Encoding(y, enc) : null,
            };
        }

        var unit = Key(y, root, "unit", constantAllowed: false);
        var time = Key(y, root, "time", constantAllowed: true);
        var varsNode = Opt(root, "variables") ?? throw y.Error(root, "variables", "missing; map at least one source column to a variable");
        var vars = varsNode as YamlMappingNode ?? throw y.Error(varsNode, "variables", "expected a mapping of variable name → {column, type, …}");
        if (vars.Children.Count == 0) throw y.Error(vars, "variables", "empty; map at least one source column to a variable");
        var variables = new List<VariableMap>();
        var names = new HashSet<string>(StringComparer.Ordinal) { unit.Name, time.Name };
        foreach (var attribute in unit.Attributes) names.Add(attribute == "code" ? $"{unit.Name}_code" : attribute);
        foreach (var (k, v) in vars.Children)
        {
            string name = y.Scalar(k, "variables", "a variable name");
            string key = $"variables.{name}";
            if (name.Length == 0 || name.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '.')))
                throw y.Error(k, key, "a variable name uses letters, digits, '_' and '.' (it becomes a column that formulas name)");
            if (!names.Add(name)) throw y.Error(k, key, $"'{name}' is already a column of the map");
            variables.Add(Variable(y, name, key, v, wide: time.HeaderPattern is not null));
        }
        if (time.HeaderPattern is not null && variables.Count != 1)
            throw y.Error(vars, "variables", $"a wide sheet (time.header) holds one variable under its period headers; found {variables.Count}: map each variable's sheet separately");
        return new IngestMap(layout, unit, time, variables) { Fill = Fill(y, root, time, variables) };
    }

    /// <summary><c>fill: {interpolate: linear|none, extrapolate: none|linear|growth, columns: [...]}</c>.</summary>
    private static IngestFill? Fill(YamlReader y, YamlMappingNode root, KeyColumn time, List<VariableMap> variables)
    {
        if (Opt(root, "fill") is not { } node) return null;
        var fill = node as YamlMappingNode ?? throw y.Error(node, "fill", "expected a mapping, e.g. {interpolate: linear, extrapolate: growth}");
        y.Known(fill, "fill.", "interpolate", "extrapolate", "columns");
        if (time.AllPeriods) throw y.Error(fill, "fill", "a unit-level sheet (time.all) has no years to fill between; put fill on the panel's map");
        // Interior gaps are always interpolated, as a study's dataset.interpolate does (extrapolate applies on top of it):
        // one fill code for both, so there is no "ends only" mode.
        if (Opt(fill, "interpolate") is { } ip && y.Scalar(ip, "fill.interpolate", "linear") is not ("linear" or "true") and var w0)
            throw y.Error(ip, "fill.interpolate", $"expected linear (interior gaps on the line between the nearest observations), found '{w0}'");
        var ends = Extrapolation.None;
        if (Opt(fill, "extrapolate") is { } xp)
            ends = y.Scalar(xp, "fill.extrapolate", "none, linear or growth") switch
            {
                "none" => Extrapolation.None,
                "linear" => Extrapolation.Linear,
                "growth" => Extrapolation.Growth,
                var w => throw y.Error(xp, "fill.extrapolate", $"expected none, linear or growth, found '{w}'"),
            };
        var numeric = variables.Where(v => v.Type is VariableType.Number or VariableType.WholeNumber).Select(v => v.Name).ToList();
        var columns = Texts(y, fill, "columns", "fill.") ?? numeric;
        if (columns.Count == 0) throw y.Error(fill, "fill", "the map has no number variable to fill; name the dataset's columns in fill.columns");
        foreach (var c in columns)
            if (variables.FirstOrDefault(v => v.Name == c) is { } v && !numeric.Contains(c))
                throw y.Error(Opt(fill, "columns")!, "fill.columns", $"'{c}' is a {v.Type.ToString().ToLowerInvariant()} variable; only numbers are filled");
        return new IngestFill(ends, columns);
    }

    private static YamlNode? Opt(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static List<string>? Texts(YamlReader y, YamlMappingNode map, string key, string prefix)
    {
        if (Opt(map, key) is not { } node) return null;
        if (node is YamlScalarNode s) return [s.Value ?? ""];
        if (node is not YamlSequenceNode seq) throw y.Error(node, prefix + key, "expected a list, e.g. [a, b]");
        return [.. seq.Children.Select((n, i) => y.Scalar(n, $"{prefix}{key}[{i}]", "a text"))];
    }

    private static KeyColumn Key(YamlReader y, YamlMappingNode root, string key, bool constantAllowed)
    {
        var node = Opt(root, key) ?? throw y.Error(root, key, constantAllowed
            ? "missing; give { column: HEADER, name: NAME } or, for a sheet of one year, { value: 2022, name: year }"
            : "missing; give { column: HEADER, name: NAME }");
        if (node is YamlScalarNode s) return new KeyColumn(s.Value!, s.Value, null);
        var map = node as YamlMappingNode ?? throw y.Error(node, key, "expected a mapping { column: HEADER, name: NAME }");
        if (constantAllowed) y.Known(map, key + ".", "column", "name", "value", "header", "all");
        else y.Known(map, key + ".", "column", "name", "divisions", "attributes");
        var column = Opt(map, "column");
        var value = Opt(map, "value");
        if (column is not null && value is not null) throw y.Error(value, key + ".value", "give column or value, not both");
        if (Opt(map, "all") is { } al)
        {
            // A unit-level sheet: `time: { all: year }` puts each unit's values on every year of it in the dataset.
            if (column is not null || value is not null || Opt(map, "header") is not null) throw y.Error(al, key + ".all", "give all (a unit-level sheet), header, column or value, only one");
            if (Opt(map, "name") is not null) throw y.Error(al, key + ".all", "all names the dataset's time column itself, e.g. { all: year }; drop name");
            return new KeyColumn(y.Str(map, "all", key + "."), null, 0) { AllPeriods = true };
        }
        if (Opt(map, "header") is { } hd)
        {
            // Years as columns: `time: { header: '(\d{4})年', name: year }`.
            if (column is not null || value is not null) throw y.Error(hd, key + ".header", "give header (periods as column headers), column or value, only one");
            string pattern = y.Scalar(hd, key + ".header", "a pattern such as '(\\d{4})年'");
            try { _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException e) { throw y.Error(hd, key + ".header", $"not a regular expression: {e.Message}"); }
            string hname = Opt(map, "name") is not null ? y.Str(map, "name", key + ".") : throw y.Error(map, key + ".name", "missing; periods read from headers need the column name, e.g. year");
            return new KeyColumn(hname, null, null) { HeaderPattern = pattern };
        }
        if (value is not null)
        {
            string t = y.Scalar(value, key + ".value", "an integer period");
            if (!long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long k))
                throw y.Error(value, key + ".value", $"expected an integer period such as 2022, found '{t}'");
            return new KeyColumn(Opt(map, "name") is { } n ? y.Str(map, "name", key + ".") : throw y.Error(map, key + ".name", "missing; a constant period needs the column name, e.g. year"), null, k);
        }
        string source = column is not null ? y.Str(map, "column", key + ".") : throw y.Error(map, key + ".column", constantAllowed ? "missing; give column (a source header) or value (one period)" : "missing; give the source header");
        string name = Opt(map, "name") is not null ? y.Str(map, "name", key + ".") : source;
        string? divisions = null;
        if (Opt(map, "divisions") is { } dv)
        {
            divisions = y.Scalar(dv, key + ".divisions", Divisions.Choices);
            if (!Divisions.Known(divisions)) throw y.Error(dv, key + ".divisions", $"expected {Divisions.Choices}, found '{divisions}'");
        }
        var attributes = Texts(y, map, "attributes", key + ".") ?? [];
        if (attributes.Count > 0 && divisions is null) throw y.Error(Opt(map, "attributes")!, key + ".attributes", "needs divisions: province or city (the attributes come from the division table)");
        foreach (var a in attributes)
            if (!(a is "region" or "municipality" or "code" || (a == "province" && divisions == "city")))
                throw y.Error(Opt(map, "attributes")!, key + ".attributes", $"expected region, municipality, code{(divisions == "city" ? " or province" : " (and province with divisions: city)")}, found '{a}'");
        return new KeyColumn(name, source, null) { Divisions = divisions, Attributes = attributes };
    }

    private static VariableMap Variable(YamlReader y, string name, string key, YamlNode node, bool wide)
    {
        // In a wide sheet the values sit under the period headers: the variable names no column.
        if (wide && node is YamlScalarNode { Value: null or "" or "~" }) return new VariableMap(name, "", VariableType.Number, 1, 1, null, null, null, false, null);
        // Shorthand: `gdp: 地区生产总值` maps a header to a number column with no rules.
        if (node is YamlScalarNode s) return new VariableMap(name, s.Value ?? name, VariableType.Number, 1, 1, null, null, null, false, null);
        var map = node as YamlMappingNode ?? throw y.Error(node, key, "expected a mapping {column, type, …} or a source header");
        y.Known(map, key + ".", "column", "type", "from", "to", "scale", "unit", "range", "non_negative", "allowed");
        if (wide && Opt(map, "column") is { } wc) throw y.Error(wc, key + ".column", "a wide sheet's values sit under the period headers (time.header); drop column");
        string column = wide ? "" : y.Str(map, "column", key + ".");
        var type = VariableType.Number;
        if (Opt(map, "type") is { } tn)
            type = y.Scalar(tn, key + ".type", "a type") switch
            {
                "number" => VariableType.Number,
                "integer" => VariableType.WholeNumber,
                "text" => VariableType.Text,
                "category" => VariableType.Category,
                var other => throw y.Error(tn, key + ".type", $"expected number, integer, text or category, found '{other}'"),
            };
        bool numeric = type is VariableType.Number or VariableType.WholeNumber;
        string typeName = type == VariableType.Text ? "text" : "category";
        foreach (var k in new[] { "from", "to", "scale", "range", "non_negative" })
            if (!numeric && Opt(map, k) is { } bad) throw y.Error(bad, $"{key}.{k}", $"applies to number and integer variables; '{name}' is {typeName}");
        if (type != VariableType.Category && Opt(map, "allowed") is { } al) throw y.Error(al, key + ".allowed", "applies to category variables; add type: category");

        double mul = 1, div = 1;
        string? unit = Opt(map, "unit") is { } un ? y.Scalar(un, key + ".unit", "a unit label") : null;
        var from = Opt(map, "from");
        var to = Opt(map, "to");
        var scale = Opt(map, "scale");
        if ((from is null) != (to is null)) throw y.Error(from ?? to!, key + (from is null ? ".from" : ".to"), "give both from and to, e.g. from: 万元, to: 亿元");
        if (from is not null && scale is not null) throw y.Error(scale, key + ".scale", "give from/to or scale, not both");
        if (from is not null)
        {
            string f = y.Scalar(from, key + ".from", "a unit"), t = y.Scalar(to!, key + ".to", "a unit");
            var conv = MagnitudeUnits.Conversion(f, t) ?? throw y.Error(to!, key + ".to", $"cannot convert {f} to {t}: different base units (known magnitudes: 千, 万, 十万, 百万, 千万, 亿; otherwise give scale)");
            (mul, div) = conv;
            unit ??= t;
        }
        if (scale is not null)
        {
            double sc = y.Double(scale, key + ".scale");
            if (!(sc > 0) || !double.IsFinite(sc)) throw y.Error(scale, key + ".scale", $"expected a positive factor, found {sc.ToString(CultureInfo.InvariantCulture)}");
            // A factor below one that is the inverse of a whole number (0.0001 = 1/10000) divides by that
            // number, so that 12345 × 0.0001 gives the correctly rounded 1.2345 (see YearbookReader).
            double inv = Math.Round(1 / sc);
            if (sc < 1 && Math.Abs(1 / sc - inv) <= 1e-9 * inv) div = inv; else mul = sc;
        }
        double? min = null, max = null;
        if (Opt(map, "range") is { } rg)
        {
            var seq = rg as YamlSequenceNode;
            if (seq is null || seq.Children.Count != 2) throw y.Error(rg, key + ".range", "expected [min, max]; use ~ for an open end, e.g. [0, ~]");
            min = Bound(y, seq.Children[0], key + ".range");
            max = Bound(y, seq.Children[1], key + ".range");
            if (min > max) throw y.Error(rg, key + ".range", $"min {min} is above max {max}");
        }
        bool nonNegative = Opt(map, "non_negative") is { } nn && y.Bool(nn, key + ".non_negative");
        IReadOnlyList<string>? allowed = Texts(y, map, "allowed", key + ".");
        return new VariableMap(name, column, type, mul, div, unit, min, max, nonNegative, allowed);
    }

    private static double? Bound(YamlReader y, YamlNode node, string key) =>
        node is YamlScalarNode { Value: "~" or "null" or "" } ? null : y.Double(node, key);

    /// <summary><c>source.encoding</c>: utf-8, gbk or gb18030, for a CSV source whose encoding should not be detected.</summary>
    private static string? Encoding(YamlReader y, YamlNode node)
    {
        string text = y.Scalar(node, "source.encoding", TextDecoding.Choices);
        try { return TextDecoding.Canonical(text, "source.encoding"); }
        catch (InputException) { throw y.Error(node, "source.encoding", $"expected {TextDecoding.Choices}, found '{text}'"); }
    }
}
