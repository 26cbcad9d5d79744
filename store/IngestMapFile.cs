using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Store;

// A column map (docs/datasets.md) as written: what the typed pass (IngestMapFileReader) reads before IngestMapLoader's
// validation pass checks the keys against each other (a wide sheet's one variable, names that collide, fill columns,
// several sheets keyed alike) and builds the IngestMap. Conventions as for study files (docs/architecture.md, "Reading a
// study file"): an optional key is nullable; a value the validation pass may refuse carries its node's mark (Located<T>);
// a key read as "a non-empty value" holds null when it was empty or not a scalar, so that the validation pass says
// "expected a value" where the single-pass reader did, after the checks that came first.

/// <summary>A column map after the typed pass.</summary>
/// <param name="At">The root mapping.</param>
/// <param name="Source">source, or null.</param>
/// <param name="Sheets">source.sheets, or null.</param>
/// <param name="Unit">unit, or null (the validation pass says it is missing).</param>
/// <param name="Time">time, or null.</param>
/// <param name="Variables">variables, or null.</param>
/// <param name="Fill">fill, or null.</param>
internal sealed record IngestMapFile(Mark At, SourceSection? Source, Located<ImmutableArray<SheetSection>>? Sheets, KeySection? Unit, KeySection? Time,
    VariablesSection? Variables, FillSection? Fill);

/// <summary>source (or one sheet's layout keys, read with the same key paths): each key null when not given.</summary>
internal sealed record SourceSection(Located<string>? Sheet, Located<int?>? HeaderRow, TableEnd? End, IReadOnlyList<string>? FootnoteMarkers,
    IReadOnlyList<string>? FillDown, IReadOnlyList<string>? Missing, IReadOnlyList<string>? SkipUnits, string? Encoding)
{
    /// <summary>This workbook's source keys overridden by a sheet's own.</summary>
    public SourceSection With(SourceSection part) => new(part.Sheet ?? Sheet, part.HeaderRow ?? HeaderRow, part.End ?? End,
        part.FootnoteMarkers ?? FootnoteMarkers, part.FillDown ?? FillDown, part.Missing ?? Missing, part.SkipUnits ?? SkipUnits, part.Encoding ?? Encoding);
}

/// <summary>One entry of source.sheets: its layout keys, its unit and time (the map's when null) and its variables.</summary>
internal sealed record SheetSection(Mark At, string Path, SourceSection Layout, KeySection? Unit, KeySection? Time, VariablesSection? Variables);

/// <summary>
/// unit or time: a source header (<see cref="Shorthand"/>) or a mapping. <c>column</c>, <c>name</c> and <c>all</c> are
/// non-empty values (null inside the <see cref="Located{T}"/> when not); <c>value</c> is the period as written.
/// </summary>
internal sealed record KeySection(Mark At, string Key, string? Shorthand, Located<string?>? Column, Located<string?>? Name, Located<string>? Value,
    Located<string>? Header, Located<string?>? All, Located<string>? Divisions, Located<IReadOnlyList<string>>? Attributes);

/// <summary>variables: the mapping's mark and its entries in the file's order.</summary>
internal sealed record VariablesSection(Mark At, ImmutableArray<VariableSection> Entries);

/// <summary>
/// One variable: its name (with the key's mark) and either a source header (<see cref="Shorthand"/>, as written, possibly
/// empty or <c>~</c>) or a mapping of rules.
/// </summary>
internal sealed record VariableSection(string Name, Mark NameAt, Mark At, bool IsShorthand, string? Shorthand, Located<string?>? Column,
    Located<VariableType>? Type, Located<string>? From, Located<string>? To, Located<double>? Scale, string? Unit, Located<(double? Min, double? Max)>? Range,
    Mark? NonNegativeAt, bool NonNegative, Located<IReadOnlyList<string>>? Allowed);

/// <summary>fill: interpolation is always linear; extrapolate and the columns (null: the map's number variables).</summary>
internal sealed record FillSection(Mark At, Extrapolation Extrapolate, Located<IReadOnlyList<string>>? Columns);

/// <summary>
/// The typed pass over a column map: syntax, types and closed word lists, one line per error naming the file, the line and the
/// key path (the messages of the single-pass reader); nothing is checked against another key here.
/// </summary>
/// <remarks>Over YamlDotNet's representation model rather than its Deserializer, for the same reason as the study file's
/// reader (study/StudyFileReader.cs): per-key wording of every error, and each value's mark kept.</remarks>
internal static class IngestMapFileReader
{
    private static readonly string[] LayoutKeys = ["sheet", "header_row", "end", "footnote_markers", "fill_down", "missing", "skip_units"];

    public static IngestMapFile Read(YamlReader y, YamlMappingNode root)
    {
        y.Known(root, "", "source", "unit", "time", "variables", "fill");
        SourceSection? source = null;
        Located<ImmutableArray<SheetSection>>? sheets = null;
        if (YamlReader.Find(root, "source") is { } srcNode)
        {
            var src = srcNode as YamlMappingNode ?? throw y.Error(srcNode, "source", "expected a mapping (sheet, header_row, end, …)");
            y.Known(src, "source.", "sheet", "sheets", "header_row", "end", "footnote_markers", "fill_down", "missing", "skip_units", "encoding");
            source = Source(y, src);
            if (YamlReader.Find(src, "sheets") is { } sheetsNode)
            {
                var seq = sheetsNode as YamlSequenceNode ?? throw y.Error(sheetsNode, "source.sheets", "expected a list of sheets, each {sheet, variables, …}");
                sheets = new([.. seq.Children.Select((n, i) => Sheet(y, n, $"source.sheets[{i}]"))], seq.Start);
            }
        }
        return new IngestMapFile(root.Start, source, sheets, Key(y, root, "unit"), Key(y, root, "time"), Variables(y, root), Fill(y, root));
    }

    private static SheetSection Sheet(YamlReader y, YamlNode node, string key)
    {
        var part = node as YamlMappingNode ?? throw y.Error(node, key, "expected a mapping {sheet, variables, …}");
        y.Known(part, key + ".", [.. LayoutKeys, "unit", "time", "variables"]);
        return new SheetSection(part.Start, key, Source(y, part), Key(y, part, "unit"), Key(y, part, "time"), Variables(y, part));
    }

    /// <summary>The layout keys of <paramref name="src"/> (source, or one sheet), read with the key paths <c>source.KEY</c>.</summary>
    private static SourceSection Source(YamlReader y, YamlMappingNode src)
    {
        Located<string>? sheet = YamlReader.Find(src, "sheet") is { } sh ? new(y.Scalar(sh, "source.sheet", "a sheet name or number"), sh.Start) : null;
        Located<int?>? headerRow = null;
        if (YamlReader.Find(src, "header_row") is { } hr)
        {
            string t = y.Scalar(hr, "source.header_row", "a row number");
            if (t is "detect" or "auto") headerRow = new(null, hr.Start);
            else if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r >= 1) headerRow = new(r, hr.Start);
            else throw y.Error(hr, "source.header_row", $"expected a row number (1 = the sheet's first row) or 'detect', found '{t}'");
        }
        TableEnd? end = null;
        if (YamlReader.Find(src, "end") is { } en)
        {
            var words = en is YamlSequenceNode seq
                ? seq.Children.Select((n, i) => (n, y.Scalar(n, $"source.end[{i}]", "empty_row, footnote or last_row"))).ToList()
                : [(en, y.Scalar(en, "source.end", "empty_row, footnote or last_row"))];
            var e = TableEnd.LastRow;
            foreach (var (node, w) in words)
                e |= w switch
                {
                    "empty_row" => TableEnd.EmptyRow,
                    "footnote" => TableEnd.Footnote,
                    "last_row" => TableEnd.LastRow,
                    _ => throw y.Error(node, "source.end", $"expected empty_row, footnote or last_row (or a list of them), found '{w}'"),
                };
            end = e;
        }
        return new SourceSection(sheet, headerRow, end, Texts(y, src, "footnote_markers", "source.")?.Value, Texts(y, src, "fill_down", "source.")?.Value,
            Texts(y, src, "missing", "source.")?.Value, Texts(y, src, "skip_units", "source.")?.Value,
            YamlReader.Find(src, "encoding") is { } enc ? Encoding(y, enc) : null);
    }

    /// <summary>A non-empty value, or null inside the mark when the node is empty or not a scalar (<see cref="YamlReader.Str"/>'s rule).</summary>
    private static Located<string?>? Value(YamlMappingNode map, string key) =>
        YamlReader.Find(map, key) is { } n ? new(n is YamlScalarNode { Value: { Length: > 0 } v } ? v : null, n.Start) : null;

    private static KeySection? Key(YamlReader y, YamlMappingNode root, string key)
    {
        if (YamlReader.Find(root, key) is not { } node) return null;
        if (node is YamlScalarNode s) return new KeySection(node.Start, key, s.Value!, null, null, null, null, null, null, null);
        var map = node as YamlMappingNode ?? throw y.Error(node, key, "expected a mapping { column: HEADER, name: NAME }");
        if (key == "time") y.Known(map, key + ".", "column", "name", "value", "header", "all");
        else y.Known(map, key + ".", "column", "name", "divisions", "attributes");
        Located<string>? Scalar(string k, string expected) => YamlReader.Find(map, k) is { } n ? new(y.Scalar(n, $"{key}.{k}", expected), n.Start) : null;
        return new KeySection(map.Start, key, null, Value(map, "column"), Value(map, "name"),
            Scalar("value", "an integer period"), Scalar("header", "a pattern such as '(\\d{4})年'"), Value(map, "all"),
            Scalar("divisions", Divisions.Choices), Texts(y, map, "attributes", key + "."));
    }

    private static VariablesSection? Variables(YamlReader y, YamlMappingNode root)
    {
        if (YamlReader.Find(root, "variables") is not { } varsNode) return null;
        var vars = varsNode as YamlMappingNode ?? throw y.Error(varsNode, "variables", "expected a mapping of variable name → {column, type, …}");
        return new VariablesSection(vars.Start, [.. vars.Children.Select(p => Variable(y, y.Scalar(p.Key, "variables", "a variable name"), p.Key.Start, p.Value))]);
    }

    private static VariableSection Variable(YamlReader y, string name, Mark nameAt, YamlNode node)
    {
        string key = $"variables.{name}";
        // Shorthand: `gdp: 地区生产总值` maps a header to a number column with no rules (an empty one is a wide sheet's variable).
        if (node is YamlScalarNode s) return new VariableSection(name, nameAt, node.Start, true, s.Value, null, null, null, null, null, null, null, null, false, null);
        var map = node as YamlMappingNode ?? throw y.Error(node, key, "expected a mapping {column, type, …} or a source header");
        y.Known(map, key + ".", "column", "type", "from", "to", "scale", "unit", "range", "non_negative", "allowed");
        Located<VariableType>? type = null;
        if (YamlReader.Find(map, "type") is { } tn)
            type = new(y.Scalar(tn, key + ".type", "a type") switch
            {
                "number" => VariableType.Number,
                "integer" => VariableType.WholeNumber,
                "text" => VariableType.Text,
                "category" => VariableType.Category,
                var other => throw y.Error(tn, key + ".type", $"expected number, integer, text or category, found '{other}'"),
            }, tn.Start);
        Located<string>? Scalar(string k, string expected) => YamlReader.Find(map, k) is { } n ? new(y.Scalar(n, $"{key}.{k}", expected), n.Start) : null;
        Located<(double?, double?)>? range = null;
        if (YamlReader.Find(map, "range") is { } rg)
        {
            var seq = rg as YamlSequenceNode;
            if (seq is null || seq.Children.Count != 2) throw y.Error(rg, key + ".range", "expected [min, max]; use ~ for an open end, e.g. [0, ~]");
            range = new((Bound(y, seq.Children[0], key + ".range"), Bound(y, seq.Children[1], key + ".range")), rg.Start);
        }
        var nn = YamlReader.Find(map, "non_negative");
        return new VariableSection(name, nameAt, map.Start, false, null, Value(map, "column"), type,
            Scalar("from", "a unit"), Scalar("to", "a unit"),
            YamlReader.Find(map, "scale") is { } sc ? new(y.Double(sc, key + ".scale"), sc.Start) : null,
            Scalar("unit", "a unit label")?.Value, range, nn?.Start, nn is not null && y.Bool(nn, key + ".non_negative"), Texts(y, map, "allowed", key + "."));
    }

    private static double? Bound(YamlReader y, YamlNode node, string key) =>
        node is YamlScalarNode { Value: "~" or "null" or "" } ? null : y.Double(node, key);

    /// <summary><c>fill: {interpolate: linear, extrapolate: none|linear|growth, columns: [...]}</c>.</summary>
    private static FillSection? Fill(YamlReader y, YamlMappingNode root)
    {
        if (YamlReader.Find(root, "fill") is not { } node) return null;
        var fill = node as YamlMappingNode ?? throw y.Error(node, "fill", "expected a mapping, e.g. {interpolate: linear, extrapolate: growth}");
        y.Known(fill, "fill.", "interpolate", "extrapolate", "columns");
        // Interior gaps are always interpolated, as a study's dataset.interpolate does (extrapolate applies on top of it):
        // one fill code for both, so there is no "ends only" mode.
        if (YamlReader.Find(fill, "interpolate") is { } ip && y.Scalar(ip, "fill.interpolate", "linear") is not ("linear" or "true") and var w0)
            throw y.Error(ip, "fill.interpolate", $"expected linear (interior gaps on the line between the nearest observations), found '{w0}'");
        var ends = Extrapolation.None;
        if (YamlReader.Find(fill, "extrapolate") is { } xp)
            ends = y.Scalar(xp, "fill.extrapolate", "none, linear or growth") switch
            {
                "none" => Extrapolation.None,
                "linear" => Extrapolation.Linear,
                "growth" => Extrapolation.Growth,
                var w => throw y.Error(xp, "fill.extrapolate", $"expected none, linear or growth, found '{w}'"),
            };
        return new FillSection(fill.Start, ends, Texts(y, fill, "columns", "fill."));
    }

    /// <summary>A text or a list of texts.</summary>
    private static Located<IReadOnlyList<string>>? Texts(YamlReader y, YamlMappingNode map, string key, string prefix)
    {
        if (YamlReader.Find(map, key) is not { } node) return null;
        if (node is YamlScalarNode s) return new([s.Value ?? ""], node.Start);
        if (node is not YamlSequenceNode seq) throw y.Error(node, prefix + key, "expected a list, e.g. [a, b]");
        return new([.. seq.Children.Select((n, i) => y.Scalar(n, $"{prefix}{key}[{i}]", "a text"))], node.Start);
    }

    /// <summary><c>source.encoding</c>: utf-8, gbk or gb18030, for a CSV source whose encoding should not be detected.</summary>
    private static string? Encoding(YamlReader y, YamlNode node)
    {
        string text = y.Scalar(node, "source.encoding", TextDecoding.Choices);
        try { return TextDecoding.Canonical(text, "source.encoding"); }
        catch (InputException) { throw y.Error(node, "source.encoding", $"expected {TextDecoding.Choices}, found '{text}'"); }
    }
}
