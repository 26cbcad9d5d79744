using System.Globalization;
using DigitalEconomy.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads typed values from YAML nodes; every error is one line naming the file, the line and the key path,
/// never a stack trace. Column maps (store) and studies (the client's StudyYaml, which adds the study's own
/// readers) share it, so both say the same thing about the same mistake.
/// </summary>
public class YamlReader(string file)
{
    /// <summary>The one-line error for <paramref name="node"/>: file, line, key path and what was expected.</summary>
    public InputException Error(YamlNode node, string key, string what) => Error(node.Start, key, what);

    /// <summary>The one-line error for a value written at <paramref name="at"/> (a <see cref="Located{T}"/>'s mark, kept by a typed pass).</summary>
    public InputException Error(YamlDotNet.Core.Mark at, string key, string what) => new($"{file}: line {at.Line}, key '{key}': {what}");

    /// <summary>The value of an optional key, or null.</summary>
    public static YamlNode? Find(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    /// <summary>Refuses a key of <paramref name="map"/> that is not among <paramref name="keys"/>, listing the ones expected.</summary>
    public void Known(YamlMappingNode map, string prefix, params string[] keys)
    {
        foreach (var k in map.Children.Keys)
            if (k is YamlScalarNode s && !keys.Contains(s.Value))
                throw Error(k, prefix + s.Value, $"unknown key; expected one of: {string.Join(", ", keys)}");
    }

    /// <summary>The value of a required key; a missing key is an error naming it.</summary>
    protected YamlNode Get(YamlMappingNode map, string key, string prefix) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw Error(map, prefix + key, "missing");

    /// <summary>A required non-empty scalar.</summary>
    public string Str(YamlMappingNode map, string key, string prefix) =>
        Get(map, key, prefix) is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(Get(map, key, prefix), prefix + key, "expected a value");

    /// <summary>The text of a scalar node; a list or mapping where a single value belongs is an error naming the key and the type expected.</summary>
    public string Scalar(YamlNode node, string key, string expected) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode => throw Error(node, key, $"expected {expected}, found a list"),
        YamlMappingNode => throw Error(node, key, $"expected {expected}, found a mapping"),
        _ => throw Error(node, key, $"expected {expected}"),
    };

    /// <summary>A number (invariant culture).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "reads a YAML number as a double; every study and map reader calls it so")]
    public double Double(YamlNode node, string key) =>
        double.TryParse((node as YamlScalarNode)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) ? r
        : throw Error(node, key, "expected a number");

    /// <summary>true/yes/on or false/no/off.</summary>
    public bool Bool(YamlNode node, string key) => (node as YamlScalarNode)?.Value switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Error(node, key, "expected true or false"),
    };
}
