using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Study.Analyses;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// Reads a study's <c>tables:</c>, <c>baseline:</c> and <c>analyses:</c> sections (study language v2,
/// docs/studies.md) and expands every analysis into the models it fits, so that every formula, variable,
/// filter and variance estimator is checked before any work starts; an error is one line naming the key
/// path, e.g. <c>analyses[2].mediators[0]</c>.
/// </summary>
internal static class StudyAnalyses
{
    /// <summary>The <c>tables:</c> section: statistic in parentheses, language, R², labels.</summary>
    public static TableSettings ReadTables(StudyYaml y, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("tables"), out var node)) return new TableSettings("t", "en", "within", ImmutableDictionary<string, string>.Empty);
        if (node is not YamlMappingNode m) throw y.Error(node, "tables", "expected a mapping: { stat: t, language: zh, r2: within, labels: { x: 标签 } }");
        y.Known(m, "tables.", "stat", "language", "r2", "labels");
        string Choice(string key, string fallback, params string[] choices)
        {
            if (!m.Children.TryGetValue(new YamlScalarNode(key), out var v)) return fallback;
            string s = y.Scalar(v, "tables." + key, string.Join(" or ", choices)).Trim().ToLowerInvariant();
            return choices.Contains(s) ? s : throw y.Error(v, "tables." + key, $"expected {string.Join(" or ", choices)}, found '{s}'");
        }
        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (m.Children.TryGetValue(new YamlScalarNode("labels"), out var l))
        {
            if (l is not YamlMappingNode lm) throw y.Error(l, "tables.labels", "expected a mapping of variable or term to label, e.g. { lq: 数字产业集聚 }");
            foreach (var (k, v) in lm.Children)
            {
                string key = y.Scalar(k, "tables.labels", "a variable or term");
                labels[key] = y.Scalar(v, $"tables.labels.{key}", "a label");
            }
        }
        return new TableSettings(Choice("stat", "t", "t", "se"), Choice("language", "en", "en", "zh"), Choice("r2", "within", "within", "lsdv"), labels.ToImmutable());
    }

    /// <summary>The <c>baseline:</c> and <c>analyses:</c> sections, expanded into models (none when the study has no analyses).</summary>
    /// <param name="y">Error formatting.</param>
    /// <param name="root">The study's root mapping.</param>
    /// <param name="frame">The dataset (for group values and filter checks).</param>
    /// <param name="available">Every variable a formula may name: data columns, derived columns, index names.</param>
    /// <param name="unit">The unit column (default cluster and Hausman unit effects).</param>
    /// <param name="region">The region column: the default grouping of the regional-gap analyses (StudyGaps).</param>
    public static ImmutableArray<AnalysisSpec> Read(StudyYaml y, YamlMappingNode root, DataFrame frame, IReadOnlySet<string> available, string unit, string language, string? region = null)
    {
        bool hasAnalyses = root.Children.TryGetValue(new YamlScalarNode("analyses"), out var an);
        if (!root.Children.TryGetValue(new YamlScalarNode("baseline"), out var bn))
        {
            if (hasAnalyses) throw y.Error(an!, "analyses", "analyses vary the study's baseline: add a 'baseline:' section (outcome, treatment, controls, fe, vcov)");
            return [];
        }
        var reader = new AnalysisReader(y, frame, available, unit, language == "zh", region);
        reader.ReadBaseline(bn);
        if (!hasAnalyses) return [];
        if (an is not YamlSequenceNode seq) throw y.Error(an!, "analyses", "expected a list of analyses, each with a type");
        var list = new List<AnalysisSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"analyses[{i}]";
            if (seq.Children[i] is not YamlMappingNode a) throw y.Error(seq.Children[i], at, "expected a mapping with a type, e.g. { type: regressions, columns: [...] }");
            // The analysis type registered for its type: (study/Analyses/AnalysisTypes.cs) reads the rest of its section.
            string kind = a.Children.TryGetValue(new YamlScalarNode("type"), out var tn) ? y.Scalar(tn, at + ".type", "an analysis type")
                : throw y.Error(a, at + ".type", $"missing; expected one of: {string.Join(", ", AnalysisTypes.Kinds)}");
            var type = AnalysisTypes.Find(kind)
                ?? throw y.Error(tn, at + ".type", $"unknown analysis type '{kind}'; expected one of: {string.Join(", ", AnalysisTypes.Kinds)} (the specification grid is the top-level 'grid:' section)");
            var spec = type.Read(new AnalysisSection(a, at, kind, reader));
            if (!names.Add(spec.Name)) throw y.Error(a, at + ".name", $"another analysis is named '{spec.Name}'; names must be unique (they name the table files)");
            list.Add(spec);
        }
        // A combined table's name is its file stem: it may not be an analysis's (nor one of its second tables), and one title at most.
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Table is not { } t) continue;
            var node = (YamlMappingNode)seq.Children[i];
            if (names.Contains(t) || list.Any(x => t == x.Name + "_differences" || t == x.Name + "_sigma") || t == "specifications")
                throw y.Error(node, $"analyses[{i}].table", $"'{t}' names another table's files; a combined table needs a name of its own");
            var titles = list.Where(x => x.Table == t && x.TableTitle is not null).Select(x => x.TableTitle).Distinct(StringComparer.Ordinal).ToList();
            if (titles.Count > 1) throw y.Error(node, $"analyses[{i}].table.title", $"the analyses of table '{t}' give it {titles.Count} titles ({string.Join(", ", titles)}); give it one");
        }
        return [.. list];
    }

}
