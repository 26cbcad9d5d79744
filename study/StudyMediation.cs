using DigitalEconomy.Contracts;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// The <c>bootstrap:</c> key of a Baron–Kenny mediation analysis: <c>{replicates, level, chunk}</c>, the pairs cluster
/// bootstrap of a·b per mediator (docs/studies.md). Errors are one line naming the key path, e.g.
/// <c>analyses[3].bootstrap.level</c>.
/// </summary>
internal static class StudyMediation
{
    /// <summary>The analysis's bootstrap, or null without the key.</summary>
    /// <param name="y">Error formatting.</param>
    /// <param name="a">The analysis mapping.</param>
    /// <param name="at">Its key path, e.g. <c>analyses[3]</c>.</param>
    /// <param name="style">two_step or baron_kenny.</param>
    /// <param name="outcome">Y.</param>
    /// <param name="model">The analysis's baseline model (variance estimator, filters, winsorised columns).</param>
    public static MediationBootstrapSpec? Bootstrap(StudyYaml y, YamlMappingNode a, string at, string style, string outcome, AnalysisModel model)
    {
        if (!a.Children.TryGetValue(new YamlScalarNode("bootstrap"), out var node)) return null;
        string key = at + ".bootstrap";
        if (style != "baron_kenny") throw y.Error(node, key, "the bootstrap of a·b needs style: baron_kenny (the two-step style has no a·b)");
        if (node is not YamlMappingNode m) throw y.Error(node, key, "expected a mapping, e.g. { replicates: 999, level: 0.95 }");
        y.Known(m, key + ".", "replicates", "level", "chunk");
        long reps = y.OptLong(m, "replicates", key + ".", 999), chunk = y.OptLong(m, "chunk", key + ".", 100);
        if (reps < 2 || reps > 10_000_000) throw y.Error(m.Children[new YamlScalarNode("replicates")], key + ".replicates", $"expected an integer from 2 to 10000000, found {reps}");
        if (chunk < 1 || chunk > 10_000_000) throw y.Error(m.Children[new YamlScalarNode("chunk")], key + ".chunk", $"expected an integer from 1 to 10000000, found {chunk}");
        double level = 0.95;
        if (m.Children.TryGetValue(new YamlScalarNode("level"), out var ln))
        {
            level = y.Double(ln, key + ".level");
            if (!(level > 0 && level < 1)) throw y.Error(ln, key + ".level", $"expected a confidence level between 0 and 1 (e.g. 0.95), found {level}");
        }
        return new MediationBootstrapSpec((int)reps, level, (int)chunk, outcome, model);
    }
}
