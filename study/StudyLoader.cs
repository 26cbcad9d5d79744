using System.Collections.Immutable;
using System.Security.Cryptography;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// Reads a study YAML file into a <see cref="StudyDefinition"/>. Every error names the file, the line
/// and the key; variables that are neither data columns nor index names are listed with the
/// available ones. Paths are relative to the study file.
/// </summary>
internal static class StudyLoader
{
    /// <summary>Loads and checks a study; <paramref name="note"/> gets "PATH read as GB18030 (not valid UTF-8)" when the dataset was not read as UTF-8 by its own choice (the caller prints it as a note).</summary>
    public static StudyDefinition Load(string path, Action<string>? note = null)
    {
        if (!File.Exists(path)) throw new InputException($"study file '{path}' does not exist");
        string file = Path.GetFileName(path);
        string text = TextFile.ReadUtf8(path);
        var yaml = new YamlStream();
        try { yaml.Load(new StringReader(text)); }
        catch (YamlException e) { throw new InputException($"{file}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}"); }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            throw new InputException($"{file}: line 1: expected a mapping with name, dataset and grid");
        var ctx = new StudyYaml(file) { Directory = Path.GetDirectoryName(Path.GetFullPath(path))! };
        ctx.Known(root, "", "name", "seed", "batch_size", "dataset", "indices", "grid", "bootstrap", "curve_inference", "tables", "baseline", "analyses", "singletons");
        // singletons: drop (default, iteratively as reghdfe) | keep — for every model of the study (docs/methods.md, "Singletons").
        bool keepSingletons = false;
        if (root.Children.TryGetValue(new YamlScalarNode("singletons"), out var sn))
        {
            string rule = ctx.Scalar(sn, "singletons", "drop or keep");
            try { keepSingletons = !SingletonRule.Parse(rule, "singletons:"); }
            catch (InputException e) { throw ctx.Error(sn, "singletons", e.Message); }
        }
        string name = ctx.Str(root, "name", "");
        if (name.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-'))) throw ctx.Error(root.Children[new YamlScalarNode("name")], "name", "use letters, digits, - and _ only (it names the results folder)");
        long seed = ctx.OptLong(root, "seed", "", 20261122);
        long batch = ctx.OptLong(root, "batch_size", "", 25);
        if (batch < 1 || batch > 1_000_000)
            throw ctx.Error(root.Children[new YamlScalarNode("batch_size")], "batch_size", $"expected a positive integer (specifications per batch), found {batch}");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var ds = ctx.Map(root, "dataset", "");
        ctx.Known(ds, "dataset.", "path", "name", "version", "root", "unit", "time", "region", "interpolate", "extrapolate", "derive", "encoding");
        var dataset = ReadDataset(ctx, ds, dir);
        if (ds.Children.TryGetValue(new YamlScalarNode("encoding"), out var en))
            dataset = dataset with { Encoding = ReadEncoding(ctx, en, dataset.Path) };
        var frame = DatasetFile.Read(dataset.Path, dataset.Encoding);
        if (note is not null && frame.Encoding?.Note(dataset.Path) is { } decoded) note(decoded);
        foreach (var (key, col) in new[] { ("unit", dataset.Unit), ("time", dataset.Time), ("region", dataset.Region) })
            if (col is not null && StudyCheck.Column(col, frame) is { } wrong) throw ctx.Error(ds.Children[new YamlScalarNode(key)], $"dataset.{key}", wrong);
        if (ds.Children.TryGetValue(new YamlScalarNode("interpolate"), out var ip))
        {
            IReadOnlyList<string> cols = ip switch
            {
                YamlScalarNode { Value: "true" or "yes" } => frame.Columns.Where(c => c.IsNumeric && c.Name != dataset.Unit && c.Name != dataset.Time).Select(c => c.Name).ToList(),
                YamlScalarNode { Value: "false" or "no" } => [],
                YamlSequenceNode seq => seq.Children.Select(n => ctx.Scalar(n, "dataset.interpolate", "a column name")).ToList(),
                _ => throw ctx.Error(ip, "dataset.interpolate", "expected true, false or a list of columns"),
            };
            foreach (var c in cols)
                if (StudyCheck.Interpolated(c, frame) is { } wrong) throw ctx.Error(ip, "dataset.interpolate", wrong);
            dataset = dataset with { Interpolate = [.. cols] };
        }
        if (ds.Children.TryGetValue(new YamlScalarNode("extrapolate"), out var xp))
        {
            // dataset.extrapolate: how the interpolated columns' missing ends are filled (docs/studies.md).
            string how = ctx.Scalar(xp, "dataset.extrapolate", "none, linear or growth");
            if (how is not ("none" or "linear" or "growth")) throw ctx.Error(xp, "dataset.extrapolate", $"expected none, linear (extend the line of the two nearest years) or growth (the unit's average growth rate), found '{how}'");
            if (how != "none" && dataset.Interpolate.IsDefaultOrEmpty) throw ctx.Error(xp, "dataset.extrapolate", "applies to the dataset.interpolate columns; give interpolate: true or a list of columns");
            dataset = dataset with { Extrapolate = how == "none" ? null : how };
        }
        var derived = new List<string>();
        if (ds.Children.TryGetValue(new YamlScalarNode("derive"), out var dn))
        {
            var steps = StudyDerive.Parse(ctx, dn, frame.Columns.Select(c => c.Name).ToList(), dir);
            var known = frame.Columns.Select(c => c.Name).ToList();
            foreach (var step in steps)
            {
                var adds = Derivation.Check(step, known);
                known.AddRange(adds);
                derived.AddRange(adds);
            }
            dataset = dataset with
            {
                Derive = [.. steps.Select(st => new DeriveStepSpec(st.Name, st.Kind,
                    st.Parameters.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal)))],
            };
        }
        var indices = new List<IndexSpec>();
        if (root.Children.TryGetValue(new YamlScalarNode("indices"), out var ixNode))
        {
            if (ixNode is not YamlSequenceNode seq) throw ctx.Error(ixNode, "indices", "expected a list of indices");
            if (dataset.Region is null && seq.Children.Count > 0)
                throw ctx.Error(ixNode, "indices", "entropy indices are built region by region (one RegionGrain per region): add dataset.region");
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string at = $"indices[{i}].";
                if (seq.Children[i] is not YamlMappingNode ix) throw ctx.Error(seq.Children[i], at.TrimEnd('.'), "expected a mapping with name and system or indicators");
                ctx.Known(ix, at, "name", "system", "indicators", "shift", "per_period", "method");
                if (ix.Children.TryGetValue(new YamlScalarNode("method"), out var m) && ctx.Scalar(m, at + "method", "a method name") != "entropy")
                    throw ctx.Error(m, at + "method", "runs build entropy indices (PCA is available in 'de index')");
                IndicatorSystem system;
                if (ix.Children.TryGetValue(new YamlScalarNode("system"), out var sys))
                {
                    string spec = ctx.Scalar(sys, at + "system", "a system file or a built-in name");
                    string candidate = Path.Combine(dir, spec);
                    system = SystemLoader.Load(File.Exists(candidate) ? candidate : spec);
                }
                else system = IndicatorSystem.ParseInline(ctx.Str(ix, "indicators", at));
                foreach (var ind in system.Indicators)
                    if (StudyCheck.Indicator(ind.Code, frame, derived) is { } wrong) throw ctx.Error(ix, at + "system", wrong);
                double shift = ix.Children.TryGetValue(new YamlScalarNode("shift"), out var sh) ? ctx.Double(sh, at + "shift") : 0;
                bool per = ix.Children.TryGetValue(new YamlScalarNode("per_period"), out var pp) && ctx.Bool(pp, at + "per_period");
                indices.Add(new IndexSpec(ctx.Str(ix, "name", at), [.. system.Indicators.Select(x => new IndicatorDto(x.Code, x.Direction == Direction.Positive ? 1 : -1, x.Dimension))], shift, per));
            }
        }
        var available = frame.Columns.Select(c => c.Name).Concat(derived).Concat(indices.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var tables = StudyAnalyses.ReadTables(ctx, root);
        var analyses = KeepSingletons(StudyAnalyses.Read(ctx, root, frame, available, dataset.Unit, tables.Language, dataset.Region), keepSingletons);
        string hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text + Analyses.SpatialAnalysis.InputsKey(analyses))));
        if (!root.Children.ContainsKey(new YamlScalarNode("grid")))
        {
            foreach (var key in new[] { "bootstrap", "curve_inference" })
                if (root.Children.TryGetValue(new YamlScalarNode(key), out var n)) throw ctx.Error(n, key, "resamples the specification grid; add a 'grid:' section or remove this one");
            if (analyses.IsDefaultOrEmpty) throw ctx.Error(root, "grid", "a study needs a 'grid:' section, 'analyses:' (with a 'baseline:'), or both");
            return new StudyDefinition(name, dataset, [.. indices], null, seed, (int)batch, hash, null, null, analyses, tables, keepSingletons);
        }
        var g = ctx.Map(root, "grid", "");
        ctx.Known(g, "grid.", "treatment", "outcomes", "controls", "fixed_effects", "samples", "winsorize", "lag", "vcov", "estimators", "instruments", "weights", "cohort", "matrices", "gmm");
        string Var(YamlNode node, string key)
        {
            string v = ctx.Scalar(node, key, "a column name");
            return StudyCheck.Variable(v, available, frame) is { } wrong ? throw ctx.Error(node, key, wrong) : v;
        }
        string treatment = Var(g.Children.TryGetValue(new YamlScalarNode("treatment"), out var tnode) ? tnode : throw ctx.Error(g, "grid.treatment", "missing"), "grid.treatment");
        var outcomes = ctx.Seq(g, "outcomes", "grid.").Select(n => Var(n, "grid.outcomes")).ToList();
        var controls = ctx.Map(g, "controls", "grid.").Children.Select(p =>
        {
            string cname = ctx.Scalar(p.Key, "grid.controls", "a name for the control set");
            return new ControlSet(cname,
                p.Value is YamlSequenceNode s ? [.. s.Children.Select(n => Var(n, $"grid.controls.{cname}"))] : throw ctx.Error(p.Value, $"grid.controls.{cname}", "expected a list of columns, e.g. [gov, market]"));
        }).ToList();
        var fes = ctx.Seq(g, "fixed_effects", "grid.").Select(n => ctx.FixedEffects(n, "grid.fixed_effects", frame)).ToList();
        var samples = ctx.Map(g, "samples", "grid.").Children.Select(p =>
        {
            string sname = ctx.Scalar(p.Key, "grid.samples", "a name for the sample");
            if (p.Value is not YamlScalarNode s) throw ctx.Error(p.Value, $"grid.samples.{sname}", "expected a filter such as \"region == East\", or null for all rows");
            string? f = s.Value is { Length: > 0 } v && v != "null" && v != "~" ? v : null;
            if (f is not null && StudyCheck.Filter(f, frame) is { } wrong) throw ctx.Error(p.Value, $"grid.samples.{sname}", wrong);
            return new SampleSpec(sname, f);
        }).ToList();
        var winsor = g.Children.ContainsKey(new YamlScalarNode("winsorize")) ? ctx.Seq(g, "winsorize", "grid.").Select(n => ctx.Bool(n, "grid.winsorize")).ToList() : [false];
        var lag = g.Children.ContainsKey(new YamlScalarNode("lag")) ? ctx.Seq(g, "lag", "grid.").Select(n => ctx.Bool(n, "grid.lag")).ToList() : [false];
        var vcov = ctx.Seq(g, "vcov", "grid.").Select(n => ctx.Vcov(n, "grid.vcov", frame)).ToList();
        if (outcomes.Count == 0 || controls.Count == 0 || fes.Count == 0 || samples.Count == 0 || vcov.Count == 0)
            throw ctx.Error(g, "grid", "outcomes, controls, fixed_effects, samples and vcov each need at least one entry");
        // Every model the grid will fit must form (a control repeated, or the treatment among its own controls, does not):
        // check them all now, built as the run builds them, rather than fail spec by spec at run time.
        var feNodes = ctx.Seq(g, "fixed_effects", "grid.");
        for (int i = 0; i < fes.Count; i++)
        {
            var effects = Factors(fes[i]).Select(f => new Core.Formulas.FixedEffect(f.Split('^', StringSplitOptions.TrimEntries))).ToList();
            foreach (var o in outcomes)
                foreach (var (cname, cols) in controls.Select(c => (c.Name, c.Columns)))
                    foreach (var term in lag.Distinct().Select(l => l ? new Core.Formulas.CallExpr("lag", new Core.Formulas.VarExpr(treatment), 1, $"lag({treatment})") : (Core.Formulas.Expr)new Core.Formulas.VarExpr(treatment)))
                    {
                        try { Core.Formulas.Formula.Of(new Core.Formulas.VarExpr(o), [term, .. cols.Select(c => new Core.Formulas.VarExpr(c))], effects); }
                        catch (InputException e) { throw ctx.Error(feNodes[i], "grid.fixed_effects", $"the specification of outcome {o} with controls {cname} does not form: {e.Message}"); }
                    }
        }
        var (estimators, instruments, weights) = ReadGridModels(ctx, g, frame, available, [.. fes.Select(Factors)]);
        var grid = new GridSpec(treatment, [.. outcomes], [.. controls], [.. fes.Select(Factors)], [.. samples], [.. winsor], [.. lag], [.. vcov], estimators, instruments, weights, keepSingletons);
        grid = GridEstimators.StudyGridNodes.Read(ctx, g, grid, frame, available, analyses);
        var bootstrap = StudyBootstrap.Read(ctx, root, grid);
        GridEstimators.StudyGridNodes.CheckResampling(ctx, root, grid, bootstrap);
        CurveInferenceSpec? curve = null;
        if (root.Children.TryGetValue(new YamlScalarNode("curve_inference"), out var cnode))
        {
            if (cnode is not YamlMappingNode cm) throw ctx.Error(cnode, "curve_inference", "expected a mapping: { draws: 500, chunk: 50, spec_chunk: 100 }");
            ctx.Known(cm, "curve_inference.", "draws", "chunk", "spec_chunk");
            long draws = ctx.OptLong(cm, "draws", "curve_inference.", 500), chunk = ctx.OptLong(cm, "chunk", "curve_inference.", 50),
                specChunk = ctx.OptLong(cm, "spec_chunk", "curve_inference.", 100);
            if (draws < 1 || draws > 10_000_000) throw ctx.Error(cm, "curve_inference.draws", "draws must be between 1 and 10000000");
            if (chunk < 1 || chunk > 10_000_000) throw ctx.Error(cm, "curve_inference.chunk", "chunk must be between 1 and 10000000");
            if (specChunk < 1 || specChunk > 10_000_000) throw ctx.Error(cm, "curve_inference.spec_chunk", "spec_chunk must be between 1 and 10000000");
            curve = new CurveInferenceSpec((int)draws, (int)chunk, (int)specChunk);
        }
        return new StudyDefinition(name, dataset, [.. indices], grid, seed, (int)batch, hash, bootstrap, curve, analyses, tables, keepSingletons);
    }

    /// <summary>The analyses with every model (table columns, heterogeneity baselines, mediation bootstraps) under the study's singleton rule.</summary>
    private static ImmutableArray<AnalysisSpec> KeepSingletons(ImmutableArray<AnalysisSpec> analyses, bool keep)
    {
        if (!keep || analyses.IsDefaultOrEmpty) return analyses;
        static AnalysisModel K(AnalysisModel m) => m with { Model = m.Model with { DropSingletons = false } };
        return [.. analyses.Select(a => a with
        {
            Columns = a.Columns.IsDefault ? a.Columns : [.. a.Columns.Select(c => c with { Model = K(c.Model) })],
            Heterogeneity = a.Heterogeneity is { } h ? h with { Baseline = K(h.Baseline) } : null,
            Mediation = a.Mediation is { Bootstrap: { } mb } m ? m with { Bootstrap = mb with { Model = K(mb.Model) } } : a.Mediation,
        })];
    }

    /// <summary>dataset.encoding: a name <see cref="TextDecoding.Canonical"/> knows, under which a CSV file decodes (checked here, so the message names the key).</summary>
    private static string ReadEncoding(StudyYaml ctx, YamlNode node, string path)
    {
        string given = ctx.Scalar(node, "dataset.encoding", "an encoding name");
        string encoding;
        try { encoding = TextDecoding.Canonical(given, "")!; }
        catch (InputException) { throw ctx.Error(node, "dataset.encoding", $"'{Echo.OneLine(given)}': expected {TextDecoding.Choices}"); }
        if (!DatasetFile.IsParquet(path))
        {
            try { TextDecoding.Decode(File.ReadAllBytes(path), Path.GetFileName(path), encoding); }
            catch (InputException e) { throw ctx.Error(node, "dataset.encoding", e.Message); }
        }
        return encoding;
    }

    /// <summary>
    /// dataset.path, or dataset.name (NAME or NAME@V) with optional version and root: a named dataset is
    /// resolved now (the version asked for, or the latest) so that its columns can be checked; the run
    /// resolves it again when it starts (the run start), so an unpinned study reads the
    /// latest version of that moment. unit and time default to the dataset's.
    /// </summary>
    private static DatasetSpec ReadDataset(StudyYaml ctx, YamlMappingNode ds, string dir)
    {
        YamlNode? Node(string key) => ds.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : null;
        var (pathNode, nameNode, versionNode, rootNode) = (Node("path"), Node("name"), Node("version"), Node("root"));
        if (nameNode is null)
        {
            if (pathNode is null) throw ctx.Error(ds, "dataset.path", "missing; give the data file (path:) or a versioned dataset (name:)");
            foreach (var (key, n) in new[] { ("version", versionNode), ("root", rootNode) })
                if (n is not null) throw ctx.Error(n, $"dataset.{key}", "belongs to a versioned dataset: give 'name:' instead of 'path:'");
            string path = Path.GetFullPath(Path.Combine(dir, ctx.Str(ds, "path", "dataset.")));
            if (Directory.Exists(path)) throw ctx.Error(pathNode, "dataset.path", $"'{path}' is a directory, not a CSV or Parquet file");
            if (!File.Exists(path)) throw ctx.Error(pathNode, "dataset.path", $"file '{path}' does not exist");
            return new DatasetSpec(path, ctx.Str(ds, "unit", "dataset."), ctx.Str(ds, "time", "dataset."), Region(ctx, ds), [], []);
        }
        if (pathNode is not null) throw ctx.Error(pathNode, "dataset.path", "give either 'path:' (a file) or 'name:' (a versioned dataset), not both");
        string reference = ctx.Scalar(nameNode, "dataset.name", "a dataset name such as cities or cities@2");
        (string Name, int? Version) parsed;
        try { parsed = DatasetVersions.ParseReference(reference); }
        catch (InputException e) { throw ctx.Error(nameNode, "dataset.name", e.Message); }
        int? version = parsed.Version;
        if (versionNode is not null)
        {
            string text = ctx.Scalar(versionNode, "dataset.version", "a version number such as 2");
            int v;
            try { v = DatasetVersions.ParseVersion(text); }
            catch (InputException e) { throw ctx.Error(versionNode, "dataset.version", e.Message); }
            if (version is { } at && at != v) throw ctx.Error(versionNode, "dataset.version", $"{v} contradicts '{reference}' in dataset.name; give the version once");
            version = v;
        }
        string root = rootNode is null ? DatasetRoots.Default : Path.GetFullPath(Path.Combine(dir, ctx.Scalar(rootNode, "dataset.root", "a folder")));
        if (rootNode is not null && !Directory.Exists(root)) throw ctx.Error(rootNode, "dataset.root", $"folder '{root}' does not exist");
        var store = new DatasetVersions(root);
        ResolvedDataset resolved;
        try { resolved = store.Resolve(version is { } x ? $"{parsed.Name}@{x}" : parsed.Name); }
        catch (InputException e)
        {
            // A version the dataset lacks is the version key's fault when that key gave it; anything else is the name's.
            bool versionsExist = store.Versions(parsed.Name).Count > 0;
            throw versionNode is not null && versionsExist ? ctx.Error(versionNode, "dataset.version", e.Message) : ctx.Error(nameNode, "dataset.name", e.Message);
        }
        string unit = Node("unit") is null ? resolved.UnitColumn : ctx.Str(ds, "unit", "dataset.");
        string time = Node("time") is null ? resolved.TimeColumn : ctx.Str(ds, "time", "dataset.");
        return new DatasetSpec(resolved.Path, unit, time, Region(ctx, ds), [], [], parsed.Name, version, root);
    }

    /// <summary>dataset.region, optional: null when the study has none (what needs it — indices, regional gaps by region — says so).</summary>
    private static string? Region(StudyYaml ctx, YamlMappingNode ds) =>
        ds.Children.ContainsKey(new YamlScalarNode("region")) ? ctx.Str(ds, "region", "dataset.") : null;

    /// <summary>A fixed-effects choice ("province + year", "0") as its factors.</summary>
    /// <summary>
    /// The grid's estimator, instruments and weights dimensions (each optional). Every estimator must form a specification
    /// with some fixed-effects choice (ols and re with "0", within with effects); the IV estimators need instruments, and
    /// instruments need an IV estimator; a weights entry is "none" or a numeric column.
    /// </summary>
    private static (ImmutableArray<string> Estimators, ImmutableArray<string> Instruments, ImmutableArray<string> Weights) ReadGridModels(
        StudyYaml ctx, YamlMappingNode g, DataFrame frame, IReadOnlySet<string> available, ImmutableArray<ImmutableArray<string>> fes)
    {
        ImmutableArray<string> estimators = [], instruments = [], weights = [];
        if (g.Children.TryGetValue(new YamlScalarNode("estimators"), out var en))
        {
            var nodes = ctx.Seq(g, "estimators", "grid.");
            estimators = [.. nodes.Select((n, i) =>
            {
                var all = GridEstimators.GridEstimatorRegistry.Words;
                string words = "ols, within, re, iv-2sls, iv-gmm2s, " + string.Join(", ", all.Take(all.Count - 1)) + " or " + all[^1];
                string e = ctx.Scalar(n, $"grid.estimators[{i}]", words);
                if (GridEstimators.GridEstimatorRegistry.Find(e) is not null) return e; // a non-linear family: checked by StudyGridNodes once the grid is read
                string name;
                try { name = Estimation.Name(Estimation.ParseName(e)); }
                catch (InputException) { throw ctx.Error(n, $"grid.estimators[{i}]", $"expected {words}, found '{e}'"); }
                if (!fes.Any(fe => GridSpec.Fits(name, fe)))
                    throw ctx.Error(n, $"grid.estimators[{i}]", name == "within"
                        ? "within needs fixed effects, and every grid.fixed_effects entry is \"0\""
                        : $"{name} takes no fixed effects ({(name == "re" ? "the unit is its random effect" : "pooled")}); add \"0\" to grid.fixed_effects");
                return name;
            })];
            if (estimators.Length == 0) throw ctx.Error(en, "grid.estimators", "expected at least one estimator");
            if (estimators.Distinct(StringComparer.Ordinal).Count() != estimators.Length) throw ctx.Error(en, "grid.estimators", "an estimator is listed twice");
        }
        bool iv = estimators.Any(e => e is "iv-2sls" or "iv-gmm2s");
        if (g.Children.TryGetValue(new YamlScalarNode("instruments"), out var inn))
        {
            if (!iv) throw ctx.Error(inn, "grid.instruments", "instruments are used by the IV estimators only: add iv-2sls or iv-gmm2s to grid.estimators, or remove this key");
            instruments = [.. ctx.Seq(g, "instruments", "grid.").Select((n, i) =>
            {
                string key = $"grid.instruments[{i}]", t = ctx.Scalar(n, key, "a term such as z or lag(x, 2)");
                Core.Formulas.Expr term;
                try { term = Core.Formulas.Formula.ParseTerm(t); }
                catch (InputException e) { throw ctx.Error(n, key, $"'{t}' is not a term: {e.Message}"); }
                return StudyCheck.Instrument(term, frame) is { } wrong ? throw ctx.Error(n, key, wrong) : term.Text;
            })];
        }
        if (iv && instruments.Length == 0) throw ctx.Error(en!, "grid.estimators", "the IV estimators need the treatment's instruments: add grid.instruments, e.g. [lag(x, 2)] or [z]");
        if (g.Children.TryGetValue(new YamlScalarNode("weights"), out var wn))
        {
            weights = [.. ctx.Seq(g, "weights", "grid.").Select((n, i) =>
            {
                string w = ctx.Scalar(n, $"grid.weights[{i}]", "none or a weight column");
                if (w == GridSpec.Unweighted) return w;
                string col = ctx.Scalar(n, $"grid.weights[{i}]", "a column name");
                return StudyCheck.Weights(col, available, frame) is { } wrong ? throw ctx.Error(n, $"grid.weights[{i}]", wrong) : col;
            })];
            if (weights.Length == 0) throw ctx.Error(wn, "grid.weights", "expected at least one entry (none for unweighted)");
            if (weights.Distinct(StringComparer.Ordinal).Count() != weights.Length) throw ctx.Error(wn, "grid.weights", "an entry is listed twice");
        }
        return (estimators, instruments, weights);
    }

    private static ImmutableArray<string> Factors(string fe) =>
        [.. fe.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(f => f != "0").Select(f => string.Join("^", f.Split('^', StringSplitOptions.TrimEntries)))];
}
