using System.Collections.Immutable;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// Reads <c>dataset.derive</c>: a list of steps, each a mapping with <c>name</c>, <c>kind</c> and the kind's
/// parameters (a value or a list of values; see docs/studies.md). For <c>kind: index</c>, <c>system: hqd |
/// de | nqpf | FILE.yaml</c> stands for the system's indicators (with directions) and first-level
/// dimensions. Each step is checked by <see cref="Derivation.Check"/> against the dataset's columns and
/// the earlier steps' outputs; an error is one line naming the file, the line and the key path, e.g.
/// <c>dataset.derive[3].weights</c>.
/// </summary>
internal static class StudyDerive
{
    private const string Prefix = "dataset.derive";

    /// <summary>Both passes over one <c>dataset.derive</c> node: <see cref="Read"/>, then <see cref="Check"/>.</summary>
    public static IReadOnlyList<DeriveStep> Parse(StudyYaml y, YamlNode node, IReadOnlyCollection<string> columns, string studyDir) =>
        Check(y, Read(y, node), columns, studyDir);

    /// <summary>The typed pass: the list of steps, each a mapping with name, kind and parameters (a value or a list of values).</summary>
    public static ImmutableArray<DeriveSection> Read(StudyYaml y, YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(node);
        if (node is not YamlSequenceNode seq)
            throw y.Error(node, Prefix, "expected a list of steps, e.g. - { name: lq_dig, kind: lq, sector: dig_emp, total: emp }");
        var steps = new List<DeriveSection>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"{Prefix}[{i}]";
            if (seq.Children[i] is not YamlMappingNode map) throw y.Error(seq.Children[i], at, "expected a mapping with name, kind and the kind's parameters");
            var name = new Located<string>(y.Str(map, "name", at + "."), map.Children[new YamlScalarNode("name")].Start);
            var kind = new Located<string>(y.Str(map, "kind", at + "."), map.Children[new YamlScalarNode("kind")].Start);
            var parameters = new List<KeyValuePair<string, Located<ImmutableArray<string>>>>();
            Located<string>? system = null;
            foreach (var (k, v) in map.Children)
            {
                string key = y.Scalar(k, at, "a parameter name");
                if (key is "name" or "kind") continue;
                if (key == "system") system = new(y.Scalar(v, $"{at}.system", "a system file or a built-in name (hqd, de, nqpf)"), v.Start);
                else parameters.Add(KeyValuePair.Create(key, new Located<ImmutableArray<string>>([.. Values(y, v, $"{at}.{key}")], v.Start)));
            }
            steps.Add(new DeriveSection(map.Start, at, name, kind, [.. parameters], system));
        }
        return [.. steps];
    }

    /// <summary>
    /// The validation pass: each step checked by <see cref="Derivation.Check"/> against the dataset's columns and the earlier
    /// steps' outputs (a <c>system</c> loaded and expanded into indicators and dimensions first).
    /// </summary>
    public static IReadOnlyList<DeriveStep> Check(StudyYaml y, ImmutableArray<DeriveSection> sections, IReadOnlyCollection<string> columns, string studyDir)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(columns);
        var available = new HashSet<string>(columns, StringComparer.Ordinal);
        var steps = new List<DeriveStep>();
        foreach (var section in sections)
        {
            string at = section.Path, kind = section.Kind.Value;
            var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (key, values) in section.Parameters) parameters[key] = values.Value;
            if (kind == "index" && parameters.TryGetValue("indicators", out var inline) && inline.Count == 1 && inline[0].Contains(',', StringComparison.Ordinal))
                parameters["indicators"] = inline[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            bool fromSystem = false;
            if (section.System is { } sys)
            {
                string sysKey = $"{at}.system";
                if (kind != "index") throw y.Error(sys.At, sysKey, "applies to kind index only");
                if (parameters.ContainsKey("indicators") || parameters.ContainsKey("dimensions")) throw y.Error(sys.At, sysKey, "give either system or indicators (with dimensions), not both");
                IndicatorSystem system;
                try { system = SystemLoader.ForStudy(y, studyDir, sys.Value, sysKey); }
                catch (InputException e) { throw y.Error(sys.At, sysKey, e.Message); }
                parameters["indicators"] = [.. system.Indicators.Select(x => x.Code + (x.Direction == Direction.Positive ? ":+" : ":-"))];
                if (system.Dimensions.Count > 0) parameters["dimensions"] = [.. system.Indicators.Select(x => x.Dimension ?? "")];
                fromSystem = true;
            }
            var step = new DeriveStep(section.Name.Value, kind, parameters);
            IReadOnlyList<string> added;
            try { added = Derivation.Check(step, available); }
            catch (InputException e)
            {
                int colon = e.Message.IndexOf(": ", StringComparison.Ordinal);
                string param = colon > 0 ? e.Message[..colon] : "";
                string what = colon > 0 ? e.Message[(colon + 2)..] : e.Message;
                if (fromSystem && param is "indicators" or "dimensions") param = "system";
                var where = param switch
                {
                    "name" => section.Name.At,
                    "kind" => section.Kind.At,
                    "system" when section.System is { } s => s.At,
                    _ => section.Parameters.Where(p => p.Key == param).Select(p => (YamlDotNet.Core.Mark?)p.Value.At).FirstOrDefault() ?? section.At,
                };
                throw y.Error(where, param.Length > 0 ? $"{at}.{param}" : at, what);
            }
            foreach (var c in added) available.Add(c);
            steps.Add(step);
        }
        return steps;
    }

    /// <summary>A parameter's values: a scalar is a one-element list; a list must hold scalars.</summary>
    private static string[] Values(StudyYaml y, YamlNode v, string key) => v switch
    {
        YamlScalarNode s when s.Value is { Length: > 0 } text && s.Value != "~" && s.Value != "null" => [text],
        YamlScalarNode => throw y.Error(v, key, "expected a value"),
        YamlSequenceNode list => [.. list.Children.Select((c, j) => y.Scalar(c, $"{key}[{j}]", "a value"))],
        _ => throw y.Error(v, key, "expected a value or a list of values"),
    };
}
