using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Store;
using DigitalEconomy.Study.Analyses;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// The typed pass over a study file (docs/architecture.md, "Reading a study file"): one walk of the YAML that checks the
/// syntax and the types only — unknown keys, a list where a mapping belongs, an integer that is not one, a required key
/// missing, a word outside its closed list — and produces a <see cref="StudyFile"/>; nothing here opens the dataset. Every
/// error is one line naming the file, the line and the key path (the same messages the single-pass reader gave).
/// </summary>
/// <remarks>
/// Written over YamlDotNet's representation model rather than its <c>Deserializer</c> with an <c>INodeDeserializer</c>: every
/// key has its own "expected …" wording (the study messages tests pin), unknown keys list the section's keys in the
/// documented order, and a value keeps its node's mark; the deserializer would need a converter per key to say the same.
/// </remarks>
internal static class StudyFileReader
{
    /// <summary>The root keys, in the order "unknown key" errors list them.</summary>
    public static readonly string[] RootKeys = ["name", "seed", "batch_size", "dataset", "indices", "grid", "bootstrap", "curve_inference", "tables", "baseline", "analyses", "singletons"];

    /// <summary>Reads the root mapping of a study into its typed record.</summary>
    public static StudyFile Read(StudyYaml y, YamlMappingNode root)
    {
        y.Known(root, "", RootKeys);
        Located<string>? singletons = YamlReader.Find(root, "singletons") is { } sn ? new(y.Scalar(sn, "singletons", "drop or keep"), sn.Start) : null;
        var name = new Located<string>(y.Str(root, "name", ""), root.Children[new YamlScalarNode("name")].Start);
        long seed = y.OptLong(root, "seed", "", 20261122);
        Located<long>? batch = YamlReader.Find(root, "batch_size") is { } bn ? new(y.OptLong(root, "batch_size", "", 25), bn.Start) : null;
        var ds = y.Map(root, "dataset", "");
        var dataset = Dataset(y, ds);
        Located<ImmutableArray<IndexSection>>? indices = YamlReader.Find(root, "indices") is { } ixNode ? new(Indices(y, ixNode), ixNode.Start) : null;
        var tables = Tables(y, root);
        var baseline = YamlReader.Find(root, "baseline");
        Located<ImmutableArray<AnalysisEntry>>? analyses = null;
        if (YamlReader.Find(root, "analyses") is { } an)
        {
            if (baseline is null) throw y.Error(an, "analyses", "analyses vary the study's baseline: add a 'baseline:' section (outcome, treatment, controls, fe, vcov)");
            analyses = new(Analyses(y, an), an.Start);
        }
        var grid = YamlReader.Find(root, "grid") is null ? null : Grid(y, y.Map(root, "grid", ""));
        var bootstrap = YamlReader.Find(root, "bootstrap") is { } bsn ? Bootstrap(y, bsn) : null;
        CurveSection? curve = null;
        if (YamlReader.Find(root, "curve_inference") is { } cnode)
        {
            if (cnode is not YamlMappingNode cm) throw y.Error(cnode, "curve_inference", "expected a mapping: { draws: 500, chunk: 50, spec_chunk: 100 }");
            y.Known(cm, "curve_inference.", "draws", "chunk", "spec_chunk");
            curve = new CurveSection(cm.Start, y.OptLong(cm, "draws", "curve_inference.", 500), y.OptLong(cm, "chunk", "curve_inference.", 50), y.OptLong(cm, "spec_chunk", "curve_inference.", 100));
        }
        return new StudyFile(root.Start, name, seed, batch, singletons, dataset, indices, grid, bootstrap, curve, tables, baseline, analyses);
    }

    private static Located<string>? Opt(StudyYaml y, YamlMappingNode map, string key, string prefix, string expected) =>
        YamlReader.Find(map, key) is { } n ? new(y.Scalar(n, prefix + key, expected), n.Start) : null;

    /// <summary>An optional key that, when given, must be a non-empty scalar.</summary>
    private static Located<string>? OptStr(StudyYaml y, YamlMappingNode map, string key, string prefix) =>
        YamlReader.Find(map, key) is { } n ? new(y.Str(map, key, prefix), n.Start) : null;

    private static ImmutableArray<Located<string>> Scalars(StudyYaml y, IEnumerable<YamlNode> nodes, Func<int, string> key, string expected) =>
        [.. nodes.Select((n, i) => new Located<string>(y.Scalar(n, key(i), expected), n.Start))];

    private static DatasetSection Dataset(StudyYaml y, YamlMappingNode ds)
    {
        y.Known(ds, "dataset.", "path", "name", "version", "root", "unit", "time", "region", "interpolate", "extrapolate", "derive", "encoding");
        Located<Interpolation>? interpolate = null;
        if (YamlReader.Find(ds, "interpolate") is { } ip)
        {
            var value = ip switch
            {
                YamlScalarNode { Value: "true" or "yes" } => new Interpolation(true, []),
                YamlScalarNode { Value: "false" or "no" } => new Interpolation(false, []),
                YamlSequenceNode seq => new Interpolation(false, [.. seq.Children.Select(n => y.Scalar(n, "dataset.interpolate", "a column name"))]),
                _ => throw y.Error(ip, "dataset.interpolate", "expected true, false or a list of columns"),
            };
            interpolate = new(value, ip.Start);
        }
        return new DatasetSection(ds.Start,
            OptStr(y, ds, "path", "dataset."),
            Opt(y, ds, "name", "dataset.", "a dataset name such as cities or cities@2"),
            Opt(y, ds, "version", "dataset.", "a version number such as 2"),
            Opt(y, ds, "root", "dataset.", "a folder"),
            OptStr(y, ds, "unit", "dataset."), OptStr(y, ds, "time", "dataset."), OptStr(y, ds, "region", "dataset."),
            interpolate,
            Opt(y, ds, "extrapolate", "dataset.", "none, linear or growth"),
            YamlReader.Find(ds, "derive") is { } dn ? StudyDerive.Read(y, dn) : null,
            Opt(y, ds, "encoding", "dataset.", "an encoding name"));
    }

    private static ImmutableArray<IndexSection> Indices(StudyYaml y, YamlNode node)
    {
        if (node is not YamlSequenceNode seq) throw y.Error(node, "indices", "expected a list of indices");
        var list = new List<IndexSection>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"indices[{i}].";
            if (seq.Children[i] is not YamlMappingNode ix) throw y.Error(seq.Children[i], at.TrimEnd('.'), "expected a mapping with name and system or indicators");
            y.Known(ix, at, "name", "system", "indicators", "shift", "per_period", "method");
            var method = Opt(y, ix, "method", at, "a method name");
            var system = Opt(y, ix, "system", at, "a system file or a built-in name");
            var indicators = system is null ? OptStr(y, ix, "indicators", at) : null;
            double shift = YamlReader.Find(ix, "shift") is { } sh ? y.Double(sh, at + "shift") : 0;
            bool per = YamlReader.Find(ix, "per_period") is { } pp && y.Bool(pp, at + "per_period");
            var name = new Located<string>(y.Str(ix, "name", at), ix.Children[new YamlScalarNode("name")].Start);
            list.Add(new IndexSection(ix.Start, at, name, method, system, indicators, shift, per));
        }
        return [.. list];
    }

    /// <summary>The <c>tables:</c> section: statistic in parentheses, language, R², labels (closed word lists and free text only).</summary>
    private static TableSettings Tables(StudyYaml y, YamlMappingNode root)
    {
        if (YamlReader.Find(root, "tables") is not { } node) return new TableSettings("t", "en", "within", ImmutableDictionary<string, string>.Empty);
        if (node is not YamlMappingNode m) throw y.Error(node, "tables", "expected a mapping: { stat: t, language: zh, r2: within, labels: { x: 标签 } }");
        y.Known(m, "tables.", "stat", "language", "r2", "labels");
        string Choice(string key, string fallback, params string[] choices)
        {
            if (YamlReader.Find(m, key) is not { } v) return fallback;
            string s = y.Scalar(v, "tables." + key, string.Join(" or ", choices)).Trim().ToLowerInvariant();
            return choices.Contains(s) ? s : throw y.Error(v, "tables." + key, $"expected {string.Join(" or ", choices)}, found '{s}'");
        }
        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (YamlReader.Find(m, "labels") is { } l)
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

    /// <summary>The <c>analyses:</c> list: each entry a mapping whose <c>type:</c> is a registered analysis type (study/Analyses/AnalysisTypes.cs).</summary>
    private static ImmutableArray<AnalysisEntry> Analyses(StudyYaml y, YamlNode an)
    {
        if (an is not YamlSequenceNode seq) throw y.Error(an, "analyses", "expected a list of analyses, each with a type");
        var list = new List<AnalysisEntry>();
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"analyses[{i}]";
            if (seq.Children[i] is not YamlMappingNode a) throw y.Error(seq.Children[i], at, "expected a mapping with a type, e.g. { type: regressions, columns: [...] }");
            string kind = YamlReader.Find(a, "type") is { } tn ? y.Scalar(tn, at + ".type", "an analysis type")
                : throw y.Error(a, at + ".type", $"missing; expected one of: {string.Join(", ", AnalysisTypes.Kinds)}");
            var type = AnalysisTypes.Find(kind)
                ?? throw y.Error(tn, at + ".type", $"unknown analysis type '{kind}'; expected one of: {string.Join(", ", AnalysisTypes.Kinds)} (the specification grid is the top-level 'grid:' section)");
            list.Add(new AnalysisEntry(a, at, kind, type));
        }
        return [.. list];
    }

    private static GridSection Grid(StudyYaml y, YamlMappingNode g)
    {
        y.Known(g, "grid.", "treatment", "outcomes", "controls", "fixed_effects", "samples", "winsorize", "lag", "vcov", "estimators", "instruments", "weights", "cohort", "matrices", "gmm");
        var tnode = YamlReader.Find(g, "treatment") ?? throw y.Error(g, "grid.treatment", "missing");
        var treatment = new Located<string>(y.Scalar(tnode, "grid.treatment", "a column name"), tnode.Start);
        var outcomes = Scalars(y, y.Seq(g, "outcomes", "grid."), _ => "grid.outcomes", "a column name");
        var controls = y.Map(g, "controls", "grid.").Children.Select(p =>
        {
            string cname = y.Scalar(p.Key, "grid.controls", "a name for the control set");
            var cols = p.Value is YamlSequenceNode s ? Scalars(y, s.Children, _ => $"grid.controls.{cname}", "a column name")
                : throw y.Error(p.Value, $"grid.controls.{cname}", "expected a list of columns, e.g. [gov, market]");
            return KeyValuePair.Create(cname, cols);
        }).ToImmutableArray();
        var fes = y.Seq(g, "fixed_effects", "grid.").Select(n =>
        {
            string fe = y.Scalar(n, "grid.fixed_effects", "fixed effects such as \"province + year\", or \"0\"").Trim();
            return new Located<string>(fe.Length == 0 ? "0" : fe, n.Start);
        }).ToImmutableArray();
        var samples = y.Map(g, "samples", "grid.").Children.Select(p =>
        {
            string sname = y.Scalar(p.Key, "grid.samples", "a name for the sample");
            if (p.Value is not YamlScalarNode s) throw y.Error(p.Value, $"grid.samples.{sname}", "expected a filter such as \"region == East\", or null for all rows");
            string? f = s.Value is { Length: > 0 } v && v != "null" && v != "~" ? v : null;
            return KeyValuePair.Create(sname, new Located<string?>(f, p.Value.Start));
        }).ToImmutableArray();
        ImmutableArray<bool>? Bools(string key) =>
            YamlReader.Find(g, key) is null ? null : [.. y.Seq(g, key, "grid.").Select(n => y.Bool(n, "grid." + key))];
        var winsor = Bools("winsorize");
        var lag = Bools("lag");
        var vcov = Scalars(y, y.Seq(g, "vcov", "grid."), _ => "grid.vcov", StudyYaml.VcovHint);
        Located<ImmutableArray<Located<string>>>? List(string key, Func<int, string> path, string expected) =>
            YamlReader.Find(g, key) is { } n ? new(Scalars(y, y.Seq(g, key, "grid."), path, expected), n.Start) : null;
        var all = GridEstimators.GridEstimatorRegistry.Words;
        string words = "ols, within, re, iv-2sls, iv-gmm2s, " + string.Join(", ", all.Take(all.Count - 1)) + " or " + all[^1];
        var estimators = List("estimators", i => $"grid.estimators[{i}]", words);
        var instruments = List("instruments", i => $"grid.instruments[{i}]", "a term such as z or lag(x, 2)");
        var weights = List("weights", i => $"grid.weights[{i}]", "none or a weight column");
        GmmSection? gmm = null;
        if (YamlReader.Find(g, "gmm") is { } gn)
        {
            if (gn is not YamlMappingNode gm) throw y.Error(gn, "grid.gmm", "expected a mapping such as { collapse: true, lags: 0, endogenous: [] }");
            y.Known(gm, "grid.gmm.", "collapse", "lags", "endogenous");
            bool collapse = YamlReader.Find(gm, "collapse") is not { } cn || y.Bool(cn, "grid.gmm.collapse");
            long lags = y.OptLong(gm, "lags", "grid.gmm.", 0);
            var endogenous = YamlReader.Find(gm, "endogenous") is null ? [] : Scalars(y, y.Seq(gm, "endogenous", "grid.gmm."), i => $"grid.gmm.endogenous[{i}]", "a control column");
            gmm = new GmmSection(gm.Start, collapse, lags, endogenous);
        }
        var cohort = Opt(y, g, "cohort", "grid.", "the column of each unit's first treated period");
        var matrices = List("matrices", i => $"grid.matrices[{i}]", "the name of a matrix a spatial analysis declares");
        return new GridSection(g.Start, treatment, outcomes, controls, fes, samples, winsor, lag, vcov, estimators, instruments, weights, gmm, cohort, matrices);
    }

    private static BootstrapSection Bootstrap(StudyYaml y, YamlNode node)
    {
        if (node is not YamlMappingNode bm) throw y.Error(node, "bootstrap", "expected a mapping, e.g. { specs: all, method: pairs, replicates: 999, chunk: 100 }");
        y.Known(bm, "bootstrap.", "specs", "method", "replicates", "chunk", "weights", "type", "level");
        Located<long> Long(string key, long fallback) => new(y.OptLong(bm, key, "bootstrap.", fallback), (YamlReader.Find(bm, key) ?? bm).Start);
        var reps = Long("replicates", 999);
        var chunk = Long("chunk", 100);
        Located<T>? Choice<T>(string key, params (string Name, T Value)[] options)
        {
            if (YamlReader.Find(bm, key) is not { } n) return null;
            string v = y.Scalar(n, "bootstrap." + key, string.Join(" or ", options.Select(o => o.Name)));
            foreach (var (name, value) in options)
                if (v == name) return new(value, n.Start);
            throw y.Error(n, "bootstrap." + key, $"expected {string.Join(", ", options.Select(o => o.Name))}; found '{v}'");
        }
        var method = Choice("method", ("pairs", BootstrapMethod.Pairs), ("wild", BootstrapMethod.Wild)) ?? new(BootstrapMethod.Pairs, bm.Start);
        var weights = Choice("weights", ("rademacher", BootstrapWeights.Rademacher), ("webb", BootstrapWeights.Webb), ("mammen", BootstrapWeights.Mammen));
        var type = Choice("type", ("wcr", BootstrapWildType.Wcr), ("wcu", BootstrapWildType.Wcu));
        var level = YamlReader.Find(bm, "level") is { } ln ? new Located<double>(y.Double(ln, "bootstrap.level"), ln.Start) : new Located<double>(0.95, bm.Start);
        BootstrapSpecs? specs = null;
        if (YamlReader.Find(bm, "specs") is { } sn)
        {
            const string Expected = "baseline, all, or a list of specification ids and filters such as [\"sample == east\", \"controls == full\"]";
            if (sn is YamlScalarNode s)
                specs = s.Value is "baseline" or "all" ? new BootstrapSpecs(sn.Start, s.Value, [])
                    : throw y.Error(sn, "bootstrap.specs", $"expected {Expected}; found '{s.Value}' (a single id or filter is written as a list: [\"{s.Value}\"])");
            else if (sn is not YamlSequenceNode seq || seq.Children.Count == 0) throw y.Error(sn, "bootstrap.specs", $"expected {Expected}");
            else specs = new BootstrapSpecs(sn.Start, null, [.. seq.Children.Select((c, i) =>
                new Located<string>(y.Scalar(c, $"bootstrap.specs[{i}]", "a specification id or a filter such as \"sample == east\"").Trim(), c.Start))]);
        }
        return new BootstrapSection(bm.Start, reps, chunk, method, weights, type, level, specs);
    }
}
