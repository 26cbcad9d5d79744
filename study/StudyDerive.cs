using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
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

    public static IReadOnlyList<DeriveStep> Parse(StudyYaml y, YamlNode node, IReadOnlyCollection<string> columns, string studyDir)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(columns);
        if (node is not YamlSequenceNode seq)
            throw y.Error(node, Prefix, "expected a list of steps, e.g. - { name: lq_dig, kind: lq, sector: dig_emp, total: emp }");
        var available = new HashSet<string>(columns, StringComparer.Ordinal);
        var steps = new List<DeriveStep>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"{Prefix}[{i}]";
            if (seq.Children[i] is not YamlMappingNode map) throw y.Error(seq.Children[i], at, "expected a mapping with name, kind and the kind's parameters");
            string name = y.Str(map, "name", at + ".");
            string kind = y.Str(map, "kind", at + ".");
            var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                string key = y.Scalar(k, at, "a parameter name");
                if (key is "name" or "kind") continue;
                nodes[key] = v;
                if (key == "system") continue;
                parameters[key] = Values(y, v, $"{at}.{key}");
            }
            if (kind == "index" && parameters.TryGetValue("indicators", out var inline) && inline.Count == 1 && inline[0].Contains(',', StringComparison.Ordinal))
                parameters["indicators"] = inline[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            bool fromSystem = false;
            if (nodes.TryGetValue("system", out var sysNode))
            {
                string sysKey = $"{at}.system";
                if (kind != "index") throw y.Error(sysNode, sysKey, "applies to kind index only");
                if (nodes.ContainsKey("indicators") || nodes.ContainsKey("dimensions")) throw y.Error(sysNode, sysKey, "give either system or indicators (with dimensions), not both");
                string spec = y.Scalar(sysNode, sysKey, "a system file or a built-in name (hqd, de, nqpf)");
                string candidate = Path.Combine(studyDir, spec);
                IndicatorSystem system;
                try { system = SystemLoader.Load(File.Exists(candidate) ? candidate : spec); }
                catch (InputException e) { throw y.Error(sysNode, sysKey, e.Message); }
                parameters["indicators"] = [.. system.Indicators.Select(x => x.Code + (x.Direction == Direction.Positive ? ":+" : ":-"))];
                if (system.Dimensions.Count > 0) parameters["dimensions"] = [.. system.Indicators.Select(x => x.Dimension ?? "")];
                fromSystem = true;
            }
            var step = new DeriveStep(name, kind, parameters);
            IReadOnlyList<string> added;
            try { added = Derivation.Check(step, available); }
            catch (InputException e)
            {
                int colon = e.Message.IndexOf(": ", StringComparison.Ordinal);
                string param = colon > 0 ? e.Message[..colon] : "";
                string what = colon > 0 ? e.Message[(colon + 2)..] : e.Message;
                if (fromSystem && param is "indicators" or "dimensions") param = "system";
                YamlNode where = param is "name" or "kind" ? map.Children[new YamlScalarNode(param)] : nodes.GetValueOrDefault(param) ?? map;
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
