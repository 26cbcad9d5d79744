using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Study.Analyses;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// The validation pass over a study's <c>baseline:</c> and <c>analyses:</c> sections (study language v2,
/// docs/studies.md; the typed pass, <see cref="StudyFileReader"/>, read <c>tables:</c>, found each entry's registered
/// type and hands each type its own mapping through <see cref="AnalysisSection"/>) and expands every analysis into the models it fits, so that every formula, variable,
/// filter and variance estimator is checked before any work starts; an error is one line naming the key
/// path, e.g. <c>analyses[2].mediators[0]</c>.
/// </summary>
internal static class StudyAnalyses
{
    /// <summary>The <c>baseline:</c> and <c>analyses:</c> sections, expanded into models (none when the study has no analyses).</summary>
    /// <param name="y">Error formatting.</param>
    /// <param name="study">The study file as the typed pass read it (its baseline node and analysis entries).</param>
    /// <param name="frame">The dataset (for group values and filter checks).</param>
    /// <param name="available">Every variable a formula may name: data columns, derived columns, index names.</param>
    /// <param name="unit">The unit column (default cluster and Hausman unit effects).</param>
    /// <param name="region">The region column: the default grouping of the regional-gap analyses (StudyGaps).</param>
    public static ImmutableArray<AnalysisSpec> Read(StudyYaml y, StudyFile study, DataFrame frame, IReadOnlySet<string> available, string unit, string language, string? region = null)
    {
        if (study.Baseline is not { } bn) return [];
        var reader = new AnalysisReader(y, frame, available, unit, language == "zh", region);
        reader.ReadBaseline(bn);
        if (study.Analyses is not { } entries) return [];
        var list = new List<AnalysisSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Value)
        {
            // The typed pass found the type registered for the entry's type: (study/Analyses/AnalysisTypes.cs); the type reads the rest of its section.
            var spec = entry.Type.Read(new AnalysisSection(entry.Node, entry.At, entry.Kind, reader));
            if (!names.Add(spec.Name)) throw y.Error(entry.Node, entry.At + ".name", $"another analysis is named '{spec.Name}'; names must be unique (they name the table files)");
            list.Add(spec);
        }
        // A combined table's name is its file stem: it may not be an analysis's (nor one of its second tables), and one title at most.
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Table is not { } t) continue;
            var node = entries.Value[i].Node;
            if (names.Contains(t) || list.Any(x => t == x.Name + "_differences" || t == x.Name + "_sigma") || t is "specifications" or "changes")
                throw y.Error(node, $"analyses[{i}].table", $"'{t}' names another table's files; a combined table needs a name of its own");
            var titles = list.Where(x => x.Table == t && x.TableTitle is not null).Select(x => x.TableTitle).Distinct(StringComparer.Ordinal).ToList();
            if (titles.Count > 1) throw y.Error(node, $"analyses[{i}].table.title", $"the analyses of table '{t}' give it {titles.Count} titles ({string.Join(", ", titles)}); give it one");
        }
        return [.. list];
    }

}
