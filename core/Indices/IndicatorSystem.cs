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
    /// by a JSON or YAML reader. Errors name the path of the offending node.
    /// </summary>
    public static IndicatorSystem FromTree(object? root, string source)
    {
        if (root is not IReadOnlyDictionary<string, object?> top) throw new InputException($"{source}: expected a mapping with 'name' and 'dimensions' or 'indicators'");
        string name = Str(top, "name", source, "") ?? "system";
        var list = new List<Indicator>();
        Walk(top, [], "", list, source);
        if (list.Count == 0) throw new InputException($"{source}: the system has no indicators");
        return Validate(new IndicatorSystem(name, list, Str(top, "name_zh", source, "")), source);
    }

    private static void Walk(IReadOnlyDictionary<string, object?> node, List<string> path, string where, List<Indicator> into, string source)
    {
        if (node.TryGetValue("dimensions", out var dims) && dims is not null)
        {
            if (dims is not IReadOnlyList<object?> dl) throw new InputException($"{source}: {where}dimensions: expected a list");
            for (int i = 0; i < dl.Count; i++)
            {
                string at = $"{where}dimensions[{i}].";
                if (dl[i] is not IReadOnlyDictionary<string, object?> d) throw new InputException($"{source}: {at.TrimEnd('.')}: expected a mapping");
                string dn = Str(d, "name", source, at) ?? Str(d, "name_zh", source, at) ?? throw new InputException($"{source}: {at}name: missing");
                if (path.Count >= 3) throw new InputException($"{source}: {at}: more than three levels of dimensions");
                Walk(d, [.. path, dn], at, into, source);
            }
        }
        if (node.TryGetValue("indicators", out var inds) && inds is not null)
        {
            if (inds is not IReadOnlyList<object?> il) throw new InputException($"{source}: {where}indicators: expected a list");
            for (int i = 0; i < il.Count; i++)
            {
                string at = $"{where}indicators[{i}].";
                if (il[i] is not IReadOnlyDictionary<string, object?> d) throw new InputException($"{source}: {at.TrimEnd('.')}: expected a mapping with code and direction");
                string code = Str(d, "code", source, at) ?? throw new InputException($"{source}: {at}code: missing (the data column of the indicator)");
                string dir = Str(d, "direction", source, at) ?? throw new InputException($"{source}: {at}direction: missing (+ or -)");
                into.Add(new Indicator(code, ParseDirection(dir, $"{source}: {at}direction"), Str(d, "name", source, at), Str(d, "name_zh", source, at), Str(d, "unit", source, at), path.ToList()));
            }
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
