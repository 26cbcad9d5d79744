using System.Globalization;
using System.Text.Json;

namespace DigitalEconomy.Core.Indices;

/// <summary>Whether more of an indicator is better (benefit, +) or worse (cost, −).</summary>
public enum Direction
{
    /// <summary>Benefit indicator (+): z = (x − min)/(max − min).</summary>
    Positive,
    /// <summary>Cost indicator (−): z = (max − x)/(max − min).</summary>
    Negative,
}

/// <summary>One indicator of a system.</summary>
/// <param name="Code">The data column holding it.</param>
/// <param name="Direction">Benefit (+) or cost (−).</param>
/// <param name="Name">English name.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="Unit">Unit of measurement, if any.</param>
/// <param name="Path">The dimensions above it, first level first (empty for a flat system).</param>
public sealed record Indicator(string Code, Direction Direction, string? Name = null, string? NameZh = null, string? Unit = null, IReadOnlyList<string>? Path = null)
{
    /// <summary>The first-level dimension, or null for a flat system.</summary>
    public string? Dimension => Path is { Count: > 0 } p ? p[0] : null;
}

/// <summary>
/// A hierarchical indicator system (一级/二级/三级指标): dimensions that hold sub-dimensions or
/// indicators. Loaded from JSON here; the client also reads the same structure from YAML:
/// <code>
/// name: Hqd
/// name_zh: 经济高质量发展
/// dimensions:
///   - name: Innovation
///     name_zh: 创新发展
///     indicators:
///       - { code: rd_gdp, name: R&amp;D / GDP, name_zh: 研发投入强度, direction: "+", unit: "%" }
/// </code>
/// </summary>
public sealed record IndicatorSystem(string Name, IReadOnlyList<Indicator> Indicators, string? NameZh = null)
{
    /// <summary>The first-level dimensions in order of appearance.</summary>
    public IReadOnlyList<string> Dimensions => Indicators.Select(i => i.Dimension).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Parses the inline form <c>"a:+,b:-,c"</c> (direction defaults to +).</summary>
    /// <exception cref="InputException">A direction other than + or −, or a repeated code.</exception>
    public static IndicatorSystem ParseInline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<Indicator>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bits = part.Split(':', StringSplitOptions.TrimEntries);
            if (bits.Length > 2 || bits[0].Length == 0)
                throw new InputException($"--indicators '{text}': '{part}' should be CODE or CODE:+ or CODE:-");
            list.Add(new Indicator(bits[0], bits.Length == 2 ? ParseDirection(bits[1], $"--indicators '{text}'") : Direction.Positive));
        }
        if (list.Count == 0) throw new InputException("--indicators: no indicator given");
        return Validate(new IndicatorSystem("inline", list), "--indicators");
    }

    /// <summary>Parses a system from JSON text; <paramref name="source"/> names it in messages.</summary>
    public static IndicatorSystem FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InputException($"{source}: line {e.LineNumber + 1}: invalid JSON ({e.Message.Split('.')[0]})"); }
        using (doc) return FromTree(ToTree(doc.RootElement), source);
    }

    /// <summary>
    /// Builds a system from a neutral tree (dictionaries with string keys, lists, strings) as produced
    /// by a JSON or YAML reader, in two passes: <see cref="ReadTree"/> (the shape: mappings, lists, text) then
    /// <see cref="FromDocument"/> (what the values mean). Errors name the path of the offending node.
    /// </summary>
    public static IndicatorSystem FromTree(object? root, string source) => FromDocument(ReadTree(root, source), source);

    /// <summary>
    /// The typed pass over a system file's tree: a mapping with <c>name</c>, <c>name_zh</c>, <c>dimensions</c> (each a mapping
    /// with the same keys, nested) and <c>indicators</c> (each a mapping with <c>code</c>, <c>direction</c>, <c>name</c>,
    /// <c>name_zh</c>, <c>unit</c>); other keys are ignored, as they always were. Nothing is checked but the shape.
    /// </summary>
    public static SystemDocument ReadTree(object? root, string source)
    {
        if (root is not IReadOnlyDictionary<string, object?> top) throw new InputException($"{source}: expected a mapping with 'name' and 'dimensions' or 'indicators'");
        return new SystemDocument(Str(top, "name", source, ""), Str(top, "name_zh", source, ""), ReadDimensions(top, "", source), ReadIndicators(top, "", source));
    }

    private static List<DimensionDocument> ReadDimensions(IReadOnlyDictionary<string, object?> node, string where, string source)
    {
        if (!node.TryGetValue("dimensions", out var dims) || dims is null) return [];
        if (dims is not IReadOnlyList<object?> dl) throw new InputException($"{source}: {where}dimensions: expected a list");
        var list = new List<DimensionDocument>();
        for (int i = 0; i < dl.Count; i++)
        {
            string at = $"{where}dimensions[{i}].";
            if (dl[i] is not IReadOnlyDictionary<string, object?> d) throw new InputException($"{source}: {at.TrimEnd('.')}: expected a mapping");
            list.Add(new DimensionDocument(at, Str(d, "name", source, at), Str(d, "name_zh", source, at), ReadDimensions(d, at, source), ReadIndicators(d, at, source)));
        }
        return list;
    }

    private static List<IndicatorDocument> ReadIndicators(IReadOnlyDictionary<string, object?> node, string where, string source)
    {
        if (!node.TryGetValue("indicators", out var inds) || inds is null) return [];
        if (inds is not IReadOnlyList<object?> il) throw new InputException($"{source}: {where}indicators: expected a list");
        var list = new List<IndicatorDocument>();
        for (int i = 0; i < il.Count; i++)
        {
            string at = $"{where}indicators[{i}].";
            if (il[i] is not IReadOnlyDictionary<string, object?> d) throw new InputException($"{source}: {at.TrimEnd('.')}: expected a mapping with code and direction");
            list.Add(new IndicatorDocument(at, Str(d, "code", source, at), Str(d, "direction", source, at), Str(d, "name", source, at), Str(d, "name_zh", source, at), Str(d, "unit", source, at)));
        }
        return list;
    }

    /// <summary>The validation pass: every dimension named, at most three levels, every indicator with a code and a direction, no code twice.</summary>
    public static IndicatorSystem FromDocument(SystemDocument document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        var list = new List<Indicator>();
        Walk(document.Dimensions, document.Indicators, [], list, source);
        if (list.Count == 0) throw new InputException($"{source}: the system has no indicators");
        return Validate(new IndicatorSystem(document.Name ?? "system", list, document.NameZh), source);
    }

    private static void Walk(IReadOnlyList<DimensionDocument> dims, IReadOnlyList<IndicatorDocument> inds, List<string> path, List<Indicator> into, string source)
    {
        foreach (var d in dims)
        {
            string dn = d.Name ?? d.NameZh ?? throw new InputException($"{source}: {d.At}name: missing");
            if (path.Count >= 3) throw new InputException($"{source}: {d.At}: more than three levels of dimensions");
            Walk(d.Dimensions, d.Indicators, [.. path, dn], into, source);
        }
        foreach (var ind in inds)
        {
            string code = ind.Code ?? throw new InputException($"{source}: {ind.At}code: missing (the data column of the indicator)");
            string dir = ind.Direction ?? throw new InputException($"{source}: {ind.At}direction: missing (+ or -)");
            into.Add(new Indicator(code, ParseDirection(dir, $"{source}: {ind.At}direction"), ind.Name, ind.NameZh, ind.Unit, path.ToList()));
        }
    }

    private static string? Str(IReadOnlyDictionary<string, object?> d, string key, string source, string at) =>
        !d.TryGetValue(key, out var v) || v is null ? null
        : v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture) ?? throw new InputException($"{source}: {at}{key}: expected text");

    private static Direction ParseDirection(string s, string where) => s.Trim() switch
    {
        "+" or "positive" or "benefit" or "正" or "正向" => Direction.Positive,
        "-" or "−" or "negative" or "cost" or "负" or "负向" => Direction.Negative,
        _ => throw new InputException($"{where}: direction '{s}' should be + or -"),
    };

    private static IndicatorSystem Validate(IndicatorSystem s, string source)
    {
        var dup = s.Indicators.GroupBy(i => i.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"{source}: indicator '{dup.Key}' appears more than once");
        return s;
    }

    private static object? ToTree(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToTree(p.Value), StringComparer.Ordinal) as IReadOnlyDictionary<string, object?>,
        JsonValueKind.Array => e.EnumerateArray().Select(ToTree).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}

/// <summary>A system file after the typed pass (<see cref="IndicatorSystem.ReadTree"/>): its names, dimensions and indicators as written.</summary>
/// <param name="Name">name, or null.</param>
/// <param name="NameZh">name_zh, or null.</param>
/// <param name="Dimensions">The first-level dimensions.</param>
/// <param name="Indicators">Indicators outside any dimension.</param>
public sealed record SystemDocument(string? Name, string? NameZh, IReadOnlyList<DimensionDocument> Dimensions, IReadOnlyList<IndicatorDocument> Indicators);

/// <summary>One dimension as written; <paramref name="At"/> is its path in messages (<c>dimensions[1].</c>).</summary>
/// <param name="At">The path of the dimension, ending with a dot.</param>
/// <param name="Name">name, or null.</param>
/// <param name="NameZh">name_zh, or null.</param>
/// <param name="Dimensions">Its sub-dimensions.</param>
/// <param name="Indicators">Its indicators.</param>
public sealed record DimensionDocument(string At, string? Name, string? NameZh, IReadOnlyList<DimensionDocument> Dimensions, IReadOnlyList<IndicatorDocument> Indicators);

/// <summary>One indicator as written; <paramref name="At"/> is its path in messages (<c>dimensions[0].indicators[2].</c>).</summary>
/// <param name="At">The path of the indicator, ending with a dot.</param>
/// <param name="Code">code (the data column), or null.</param>
/// <param name="Direction">direction as written (+, -, positive, cost, 正向 …), or null.</param>
/// <param name="Name">name, or null.</param>
/// <param name="NameZh">name_zh, or null.</param>
/// <param name="Unit">unit, or null.</param>
public sealed record IndicatorDocument(string At, string? Code, string? Direction, string? Name, string? NameZh, string? Unit);
