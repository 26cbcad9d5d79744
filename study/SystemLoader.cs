using DigitalEconomy.Core;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace DigitalEconomy.Study;

/// <summary>
/// Loads indicator systems: a built-in name (hqd, de, nqpf), a YAML file or a JSON file, in two passes like the study file
/// (docs/architecture.md, "Reading a study file"): <see cref="IndicatorSystem.ReadTree"/> then <see cref="IndicatorSystem.FromDocument"/>.
/// </summary>
internal static class SystemLoader
{
    public static IReadOnlyList<string> BuiltIn { get; } = ["hqd", "de", "nqpf"];

    public static IndicatorSystem Load(string spec) => Load(spec, out _);

    /// <summary>
    /// A study's <c>system:</c> value: a file relative to the study's folder when there is one, else a built-in name or a path as
    /// given; noted on <paramref name="y"/> under <paramref name="key"/> by its text's SHA-256, so that the study's hash covers it.
    /// </summary>
    public static IndicatorSystem ForStudy(StudyYaml y, string studyDir, string value, string key)
    {
        string candidate = Path.Combine(studyDir, value);
        var system = Load(File.Exists(candidate) ? candidate : value, out string sha256);
        y.Input(key, sha256);
        return system;
    }

    private static IndicatorSystem Load(string spec, out string sha256)
    {
        string path = spec;
        if (BuiltIn.Contains(spec.ToLowerInvariant()))
            path = Path.Combine(AppContext.BaseDirectory, "systems", spec.ToLowerInvariant() + ".yaml");
        else if (!File.Exists(spec))
            throw new InputException($"indicator system '{spec}' does not exist (give a .yaml/.json file or one of the built-in systems: {string.Join(", ", BuiltIn)})");
        string text = TextFile.ReadUtf8(path);
        sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        string name = Path.GetFileName(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return IndicatorSystem.FromJson(text, name);
        object? tree;
        try
        {
            tree = new DeserializerBuilder().Build().Deserialize<object?>(text);
        }
        catch (YamlException e)
        {
            throw new InputException($"{name}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        // Typed pass (the shape: mappings, lists, text) into a SystemDocument, then the validation pass (names, levels, codes,
        // directions); core's IndicatorSystem holds both, shared with the JSON form. YamlDotNet's Deserializer gives the neutral
        // tree only: deserialising straight into SystemDocument would word type errors as YamlDotNet does, not as the messages
        // ("dimensions[1].indicators: expected a list") this file has always had.
        var document = IndicatorSystem.ReadTree(Normalise(tree), name);
        return IndicatorSystem.FromDocument(document, name);
    }

    private static object? Normalise(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, p => Normalise(p.Value), StringComparer.Ordinal) as IReadOnlyDictionary<string, object?>,
        IList<object?> list => list.Select(Normalise).ToList(),
        _ => node,
    };
}
