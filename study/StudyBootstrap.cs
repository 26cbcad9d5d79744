using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// The study's <c>bootstrap</c> section: <c>{specs, method, replicates, chunk, weights, type, level}</c> (docs/studies.md).
/// Filters are checked against the grid here; specification ids are checked for their form here and matched when the
/// run has expanded its grid (an id hashes the prepared data, indices included, which only the run builds).
/// </summary>
internal static class StudyBootstrap
{
    /// <summary>The bootstrap of the study, or null when it has no <c>bootstrap</c> key.</summary>
    public static BootstrapSpec? Read(StudyYaml ctx, YamlMappingNode root, GridSpec grid)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("bootstrap"), out var node)) return null;
        if (node is not YamlMappingNode bm) throw ctx.Error(node, "bootstrap", "expected a mapping, e.g. { specs: all, method: pairs, replicates: 999, chunk: 100 }");
        ctx.Known(bm, "bootstrap.", "specs", "method", "replicates", "chunk", "weights", "type", "level");
        long reps = ctx.OptLong(bm, "replicates", "bootstrap.", 999), chunk = ctx.OptLong(bm, "chunk", "bootstrap.", 100);
        if (reps < 2 || reps > 10_000_000) throw ctx.Error(Node(bm, "replicates"), "bootstrap.replicates", $"expected an integer from 2 to 10000000, found {reps}");
        if (chunk < 1 || chunk > 10_000_000) throw ctx.Error(Node(bm, "chunk"), "bootstrap.chunk", $"expected an integer from 1 to 10000000, found {chunk}");
        var method = Choice(ctx, bm, "method", BootstrapMethod.Pairs, ("pairs", BootstrapMethod.Pairs), ("wild", BootstrapMethod.Wild));
        var weights = Choice(ctx, bm, "weights", BootstrapWeights.Rademacher, ("rademacher", BootstrapWeights.Rademacher), ("webb", BootstrapWeights.Webb), ("mammen", BootstrapWeights.Mammen));
        var type = Choice(ctx, bm, "type", BootstrapWildType.Wcr, ("wcr", BootstrapWildType.Wcr), ("wcu", BootstrapWildType.Wcu));
        if (method == BootstrapMethod.Pairs)
            foreach (var key in new[] { "weights", "type" })
                if (bm.Children.TryGetValue(new YamlScalarNode(key), out var k)) throw ctx.Error(k, "bootstrap." + key, "applies to method: wild only");
        double level = 0.95;
        if (bm.Children.TryGetValue(new YamlScalarNode("level"), out var ln))
        {
            level = ctx.Double(ln, "bootstrap.level");
            if (!(level > 0 && level < 1)) throw ctx.Error(ln, "bootstrap.level", $"expected a confidence level between 0 and 1 (e.g. 0.95), found {level}");
        }
        var specs = Specs(ctx, bm, grid);
        if (method == BootstrapMethod.Wild && BootstrapSelection.Preview(grid, specs) is { } selected && !selected.Any(s => OneWayCluster(s.Vcov)))
        {
            string key = bm.Children.ContainsKey(new YamlScalarNode("specs")) ? "specs" : "method";
            throw ctx.Error(Node(bm, key), "bootstrap." + key,
                $"the wild cluster bootstrap needs one-way clustered errors (vcov cluster:COL), and no selected specification has them (vcov: {string.Join(", ", selected.Select(s => s.Vcov).Distinct(StringComparer.Ordinal))})");
        }
        return new BootstrapSpec((int)reps, (int)chunk, method, specs, weights, type, level);
    }

    private static YamlNode Node(YamlMappingNode map, string key) => map.Children[new YamlScalarNode(key)];

    private static bool OneWayCluster(string vcov) => VcovSpec.Parse(vcov) is { Kind: VcovKind.Cluster, ClusterColumns.Count: 1 };

    private static T Choice<T>(StudyYaml ctx, YamlMappingNode map, string key, T fallback, params (string Name, T Value)[] options)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node)) return fallback;
        string v = ctx.Scalar(node, "bootstrap." + key, string.Join(" or ", options.Select(o => o.Name)));
        foreach (var (name, value) in options)
            if (v == name) return value;
        throw ctx.Error(node, "bootstrap." + key, $"expected {string.Join(", ", options.Select(o => o.Name))}; found '{v}'");
    }

    /// <summary><c>specs</c>: <c>baseline</c>, <c>all</c> or a list of entries, each checked against the grid.</summary>
    private static ImmutableArray<string> Specs(StudyYaml ctx, YamlMappingNode bm, GridSpec grid)
    {
        if (!bm.Children.TryGetValue(new YamlScalarNode("specs"), out var node)) return ["baseline"];
        const string Expected = "baseline, all, or a list of specification ids and filters such as [\"sample == east\", \"controls == full\"]";
        if (node is YamlScalarNode s)
            return s.Value is "baseline" or "all" ? [s.Value] : throw ctx.Error(node, "bootstrap.specs", $"expected {Expected}; found '{s.Value}' (a single id or filter is written as a list: [\"{s.Value}\"])");
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0) throw ctx.Error(node, "bootstrap.specs", $"expected {Expected}");
        var entries = new List<string>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string key = $"bootstrap.specs[{i}]";
            string entry = ctx.Scalar(seq.Children[i], key, "a specification id or a filter such as \"sample == east\"").Trim();
            if (BootstrapSelection.Problem(grid, entry) is { } problem) throw ctx.Error(seq.Children[i], key, problem);
            entries.Add(entry);
        }
        return [.. entries];
    }
}
