using System.Globalization;
using DigitalEconomy.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Store;

/// <summary>
/// Reads typed values from a column map's YAML nodes; every error is one line naming the file, the line and
/// the key path. Written here rather than shared with the client's study reader (client/StudyYaml.cs) because
/// the map loader moved into the store room, which the silo's inbox watcher uses, and the store cannot
/// reference the client; these are the five readers the map needs, with the same messages.
/// </summary>
internal sealed class MapYaml(string file)
{
    public InputException Error(YamlNode node, string key, string what) => new($"{file}: line {node.Start.Line}, key '{key}': {what}");

    public void Known(YamlMappingNode map, string prefix, params string[] keys)
    {
        foreach (var k in map.Children.Keys)
            if (k is YamlScalarNode s && !keys.Contains(s.Value))
                throw Error(k, prefix + s.Value, $"unknown key; expected one of: {string.Join(", ", keys)}");
    }

    private YamlNode Get(YamlMappingNode map, string key, string prefix) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw Error(map, prefix + key, "missing");

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

    public double Double(YamlNode node, string key) =>
        double.TryParse((node as YamlScalarNode)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) ? r
        : throw Error(node, key, "expected a number");

    public bool Bool(YamlNode node, string key) => (node as YamlScalarNode)?.Value switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Error(node, key, "expected true or false"),
    };
}
