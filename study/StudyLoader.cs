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
/// Reads a study YAML file into a <see cref="StudyDefinition"/> in two passes (docs/architecture.md, "Reading a study
/// file"): <see cref="StudyFileReader"/> reads the file into a <see cref="StudyFile"/> (syntax and types), then
/// <see cref="Load"/> checks those records against the dataset. Every error names the file, the line
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
        // Pass 1, syntax and types (nothing opened); pass 2 below, every check against the dataset (docs/architecture.md, "Reading a study file").
        var study = StudyFileReader.Read(ctx, root);
        // singletons: drop (default, iteratively as reghdfe) | keep — for every model of the study (docs/methods.md, "Singletons").
        bool keepSingletons = false;
        if (study.Singletons is { } sn)
        {
            try { keepSingletons = !SingletonRule.Parse(sn.Value, "singletons:"); }
            catch (InputException e) { throw ctx.Error(sn.At, "singletons", e.Message); }
        }
        string name = study.Name.Value;
        if (name.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-'))) throw ctx.Error(study.Name.At, "name", "use letters, digits, - and _ only (it names the results folder)");
        long seed = study.Seed;
        long batch = study.BatchSize?.Value ?? 25;
        if (batch < 1 || batch > 1_000_000)
            throw ctx.Error(study.BatchSize!.At, "batch_size", $"expected a positive integer (specifications per batch), found {batch}");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var ds = study.Dataset;
        var dataset = ReadDataset(ctx, ds, dir);
        if (ds.Encoding is { } en)
            dataset = dataset with { Encoding = ReadEncoding(ctx, en, dataset.Path) };
        var frame = DatasetFile.Read(dataset.Path, dataset.Encoding);
        if (note is not null && frame.Encoding?.Note(dataset.Path) is { } decoded) note(decoded);
        foreach (var (key, col) in new[] { ("unit", ds.Unit), ("time", ds.Time), ("region", ds.Region) })
            if (col is not null && StudyCheck.Column(col.Value, frame) is { } wrong) throw ctx.Error(col.At, $"dataset.{key}", wrong);
        // unit and time taken from a versioned dataset's metadata (no key given) are checked too, naming the dataset section.
        foreach (var (key, col) in new[] { ("unit", dataset.Unit), ("time", dataset.Time) })
            if (StudyCheck.Column(col, frame) is { } wrong) throw ctx.Error(ds.At, $"dataset.{key}", wrong);
        if (ds.Interpolate is { } ip)
        {
            IReadOnlyList<string> cols = ip.Value.All
                ? frame.Columns.Where(c => c.IsNumeric && c.Name != dataset.Unit && c.Name != dataset.Time).Select(c => c.Name).ToList()
                : ip.Value.Columns;
            foreach (var c in cols)
                if (StudyCheck.Interpolated(c, frame) is { } wrong) throw ctx.Error(ip.At, "dataset.interpolate", wrong);
            dataset = dataset with { Interpolate = [.. cols] };
        }
        if (ds.Extrapolate is { } xp)
        {
            // dataset.extrapolate: how the interpolated columns' missing ends are filled (docs/studies.md).
            string how = xp.Value;
            if (how is not ("none" or "linear" or "growth")) throw ctx.Error(xp.At, "dataset.extrapolate", $"expected none, linear (extend the line of the two nearest years) or growth (the unit's average growth rate), found '{how}'");
            if (how != "none" && dataset.Interpolate.IsDefaultOrEmpty) throw ctx.Error(xp.At, "dataset.extrapolate", "applies to the dataset.interpolate columns; give interpolate: true or a list of columns");
            dataset = dataset with { Extrapolate = how == "none" ? null : how };
        }
        var derived = new List<string>();
        if (ds.Derive is { } deriveSections)
        {
            var steps = StudyDerive.Check(ctx, deriveSections, frame.Columns.Select(c => c.Name).ToList(), dir);
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
        if (study.Indices is { } ixs)
        {
            if (dataset.Region is null && ixs.Value.Length > 0)
                throw ctx.Error(ixs.At, "indices", "entropy indices are built region by region (one RegionGrain per region): add dataset.region");
            foreach (var ix in ixs.Value)
            {
                string at = ix.Path;
                if (ix.Method is { } m && m.Value != "entropy")
                    throw ctx.Error(m.At, at + "method", "runs build entropy indices (PCA is available in 'de index')");
                var system = ix.System is { } sys ? SystemLoader.ForStudy(ctx, dir, sys.Value, $"{at}system")
                    : IndicatorSystem.ParseInline((ix.Indicators ?? throw ctx.Error(ix.At, at + "indicators", "missing")).Value);
                foreach (var ind in system.Indicators)
                    if (StudyCheck.Indicator(ind.Code, frame, derived) is { } wrong) throw ctx.Error(ix.At, at + "system", wrong);
                indices.Add(new IndexSpec(ix.Name.Value, [.. system.Indicators.Select(x => new IndicatorDto(x.Code, x.Direction == Direction.Positive ? 1 : -1, x.Dimension))], ix.Shift, ix.PerPeriod));
            }
        }
        var available = frame.Columns.Select(c => c.Name).Concat(derived).Concat(indices.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var tables = study.Tables;
        var analyses = KeepSingletons(StudyAnalyses.Read(ctx, study, frame, available, dataset.Unit, tables.Language, dataset.Region), keepSingletons);
        string hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text + Analyses.SpatialAnalysis.InputsKey(analyses) + ctx.InputsKey)));
        if (study.Grid is not { } g)
        {
            foreach (var (key, at) in new[] { ("bootstrap", study.Bootstrap?.At), ("curve_inference", study.CurveInference?.At) })
                if (at is { } mark) throw ctx.Error(mark, key, "resamples the specification grid; add a 'grid:' section or remove this one");
            if (analyses.IsDefaultOrEmpty) throw ctx.Error(study.At, "grid", "a study needs a 'grid:' section, 'analyses:' (with a 'baseline:'), or both");
            return new StudyDefinition(name, dataset, [.. indices], null, seed, (int)batch, hash, null, null, analyses, tables, keepSingletons);
        }
        string Var(Located<string> v, string key) =>
            StudyCheck.Variable(v.Value, available, frame) is { } wrong ? throw ctx.Error(v.At, key, wrong) : v.Value;
        string treatment = Var(g.Treatment, "grid.treatment");
        var outcomes = g.Outcomes.Select(n => Var(n, "grid.outcomes")).ToList();
        var controls = g.Controls.Select(p => new ControlSet(p.Key, [.. p.Value.Select(n => Var(n, $"grid.controls.{p.Key}"))])).ToList();
        var fes = g.FixedEffects.Select(n => n.Value == "0" || StudyCheck.FixedEffects(n.Value, frame) is not { } wrong ? n.Value : throw ctx.Error(n.At, "grid.fixed_effects", wrong)).ToList();
        var samples = g.Samples.Select(p =>
        {
            string? f = p.Value.Value;
            if (f is not null && StudyCheck.Filter(f, frame) is { } wrong) throw ctx.Error(p.Value.At, $"grid.samples.{p.Key}", wrong);
            return new SampleSpec(p.Key, f);
        }).ToList();
        var winsor = g.Winsorize is { } w ? w.ToList() : [false];
        var lag = g.Lag is { } l ? l.ToList() : [false];
        var vcov = g.Vcov.Select(n => StudyCheck.Vcov(n.Value, frame) is { } wrong ? throw ctx.Error(n.At, "grid.vcov", wrong) : n.Value).ToList();
        if (outcomes.Count == 0 || controls.Count == 0 || fes.Count == 0 || samples.Count == 0 || vcov.Count == 0)
            throw ctx.Error(g.At, "grid", "outcomes, controls, fixed_effects, samples and vcov each need at least one entry");
        // Every model the grid will fit must form (a control repeated, or the treatment among its own controls, does not):
        // check them all now, built as the run builds them, rather than fail spec by spec at run time.
        for (int i = 0; i < fes.Count; i++)
        {
            var effects = Factors(fes[i]).Select(f => new Core.Formulas.FixedEffect(f.Split('^', StringSplitOptions.TrimEntries))).ToList();
            foreach (var o in outcomes)
                foreach (var (cname, cols) in controls.Select(c => (c.Name, c.Columns)))
                    foreach (var term in lag.Distinct().Select(l => l ? new Core.Formulas.CallExpr("lag", new Core.Formulas.VarExpr(treatment), 1, $"lag({treatment})") : (Core.Formulas.Expr)new Core.Formulas.VarExpr(treatment)))
                    {
                        try { Core.Formulas.Formula.Of(new Core.Formulas.VarExpr(o), [term, .. cols.Select(c => new Core.Formulas.VarExpr(c))], effects); }
                        catch (InputException e) { throw ctx.Error(g.FixedEffects[i].At, "grid.fixed_effects", $"the specification of outcome {o} with controls {cname} does not form: {e.Message}"); }
                    }
        }
        var (estimators, instruments, weights) = ReadGridModels(ctx, g, frame, available, [.. fes.Select(Factors)]);
        var grid = new GridSpec(treatment, [.. outcomes], [.. controls], [.. fes.Select(Factors)], [.. samples], [.. winsor], [.. lag], [.. vcov], estimators, instruments, weights, keepSingletons);
        grid = GridEstimators.StudyGridNodes.Read(ctx, g, grid, frame, available, analyses);
        var bootstrap = StudyBootstrap.Read(ctx, study.Bootstrap, grid);
        GridEstimators.StudyGridNodes.CheckResampling(ctx, study, grid, bootstrap);
        CurveInferenceSpec? curve = null;
        if (study.CurveInference is { } cm)
        {
            if (cm.Draws < 1 || cm.Draws > 10_000_000) throw ctx.Error(cm.At, "curve_inference.draws", "draws must be between 1 and 10000000");
            if (cm.Chunk < 1 || cm.Chunk > 10_000_000) throw ctx.Error(cm.At, "curve_inference.chunk", "chunk must be between 1 and 10000000");
            if (cm.SpecChunk < 1 || cm.SpecChunk > 10_000_000) throw ctx.Error(cm.At, "curve_inference.spec_chunk", "spec_chunk must be between 1 and 10000000");
            curve = new CurveInferenceSpec((int)cm.Draws, (int)cm.Chunk, (int)cm.SpecChunk);
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
    private static string ReadEncoding(StudyYaml ctx, Located<string> given, string path)
    {
        string encoding;
        try { encoding = TextDecoding.Canonical(given.Value, "")!; }
        catch (InputException) { throw ctx.Error(given.At, "dataset.encoding", $"'{Echo.OneLine(given.Value)}': expected {TextDecoding.Choices}"); }
        if (!DatasetFile.IsParquet(path))
        {
            try { TextDecoding.Decode(File.ReadAllBytes(path), Path.GetFileName(path), encoding); }
            catch (InputException e) { throw ctx.Error(given.At, "dataset.encoding", e.Message); }
        }
        return encoding;
    }

    /// <summary>
    /// dataset.path, or dataset.name (NAME or NAME@V) with optional version and root: a named dataset is
    /// resolved now (the version asked for, or the latest) so that its columns can be checked; the run
    /// resolves it again when it starts (the run start), so an unpinned study reads the
    /// latest version of that moment. unit and time default to the dataset's.
    /// </summary>
    private static DatasetSpec ReadDataset(StudyYaml ctx, DatasetSection ds, string dir)
    {
        string Required(Located<string>? v, string key) => (v ?? throw ctx.Error(ds.At, "dataset." + key, "missing")).Value;
        if (ds.Name is not { } nameNode)
        {
            if (ds.Path is not { } pathNode) throw ctx.Error(ds.At, "dataset.path", "missing; give the data file (path:) or a versioned dataset (name:)");
            foreach (var (key, n) in new[] { ("version", ds.Version), ("root", ds.Root) })
                if (n is not null) throw ctx.Error(n.At, $"dataset.{key}", "belongs to a versioned dataset: give 'name:' instead of 'path:'");
            string path = Path.GetFullPath(Path.Combine(dir, pathNode.Value));
            if (Directory.Exists(path)) throw ctx.Error(pathNode.At, "dataset.path", $"'{path}' is a directory, not a CSV or Parquet file");
            if (!File.Exists(path)) throw ctx.Error(pathNode.At, "dataset.path", $"file '{path}' does not exist");
            return new DatasetSpec(path, Required(ds.Unit, "unit"), Required(ds.Time, "time"), ds.Region?.Value, [], []);
        }
        if (ds.Path is { } given) throw ctx.Error(given.At, "dataset.path", "give either 'path:' (a file) or 'name:' (a versioned dataset), not both");
        string reference = nameNode.Value;
        (string Name, int? Version) parsed;
        try { parsed = DatasetVersions.ParseReference(reference); }
        catch (InputException e) { throw ctx.Error(nameNode.At, "dataset.name", e.Message); }
        int? version = parsed.Version;
        if (ds.Version is { } versionNode)
        {
            int v;
            try { v = DatasetVersions.ParseVersion(versionNode.Value); }
            catch (InputException e) { throw ctx.Error(versionNode.At, "dataset.version", e.Message); }
            if (version is { } at && at != v) throw ctx.Error(versionNode.At, "dataset.version", $"{v} contradicts '{reference}' in dataset.name; give the version once");
            version = v;
        }
        string root = ds.Root is not { } rootNode ? DatasetRoots.Default : Path.GetFullPath(Path.Combine(dir, rootNode.Value));
        if (ds.Root is not null && !Directory.Exists(root)) throw ctx.Error(ds.Root.At, "dataset.root", $"folder '{root}' does not exist");
        var store = new DatasetVersions(root);
        ResolvedDataset resolved;
        try { resolved = store.Resolve(version is { } x ? $"{parsed.Name}@{x}" : parsed.Name); }
        catch (InputException e)
        {
            // A version the dataset lacks is the version key's fault when that key gave it; anything else is the name's.
            bool versionsExist = store.Versions(parsed.Name).Count > 0;
            throw ds.Version is { } vn && versionsExist ? ctx.Error(vn.At, "dataset.version", e.Message) : ctx.Error(nameNode.At, "dataset.name", e.Message);
        }
        string unit = ds.Unit?.Value ?? resolved.UnitColumn;
        string time = ds.Time?.Value ?? resolved.TimeColumn;
        return new DatasetSpec(resolved.Path, unit, time, ds.Region?.Value, [], [], parsed.Name, version, root);
    }

    /// <summary>
    /// The grid's estimator, instruments and weights dimensions (each optional). Every estimator must form a specification
    /// with some fixed-effects choice (ols and re with "0", within with effects); the IV estimators need instruments, and
    /// instruments need an IV estimator; a weights entry is "none" or a numeric column.
    /// </summary>
    private static (ImmutableArray<string> Estimators, ImmutableArray<string> Instruments, ImmutableArray<string> Weights) ReadGridModels(
        StudyYaml ctx, GridSection g, DataFrame frame, IReadOnlySet<string> available, ImmutableArray<ImmutableArray<string>> fes)
    {
        ImmutableArray<string> estimators = [], instruments = [], weights = [];
        if (g.Estimators is { } en)
        {
            var all = GridEstimators.GridEstimatorRegistry.Words;
            string words = "ols, within, re, iv-2sls, iv-gmm2s, " + string.Join(", ", all.Take(all.Count - 1)) + " or " + all[^1];
            estimators = [.. en.Value.Select((n, i) =>
            {
                string e = n.Value;
                if (GridEstimators.GridEstimatorRegistry.Find(e) is not null) return e; // a non-linear family: checked by StudyGridNodes once the grid is read
                string name;
                try { name = Estimation.Name(Estimation.ParseName(e)); }
                catch (InputException) { throw ctx.Error(n.At, $"grid.estimators[{i}]", $"expected {words}, found '{e}'"); }
                if (!fes.Any(fe => GridSpec.Fits(name, fe)))
                    throw ctx.Error(n.At, $"grid.estimators[{i}]", name == "within"
                        ? "within needs fixed effects, and every grid.fixed_effects entry is \"0\""
                        : $"{name} takes no fixed effects ({(name == "re" ? "the unit is its random effect" : "pooled")}); add \"0\" to grid.fixed_effects");
                return name;
            })];
            if (estimators.Length == 0) throw ctx.Error(en.At, "grid.estimators", "expected at least one estimator");
            if (estimators.Distinct(StringComparer.Ordinal).Count() != estimators.Length) throw ctx.Error(en.At, "grid.estimators", "an estimator is listed twice");
        }
        bool iv = estimators.Any(e => e is "iv-2sls" or "iv-gmm2s");
        if (g.Instruments is { } inn)
        {
            if (!iv) throw ctx.Error(inn.At, "grid.instruments", "instruments are used by the IV estimators only: add iv-2sls or iv-gmm2s to grid.estimators, or remove this key");
            instruments = [.. inn.Value.Select((n, i) =>
            {
                string key = $"grid.instruments[{i}]", t = n.Value;
                Core.Formulas.Expr term;
                try { term = Core.Formulas.Formula.ParseTerm(t); }
                catch (InputException e) { throw ctx.Error(n.At, key, $"'{t}' is not a term: {e.Message}"); }
                return StudyCheck.Instrument(term, frame) is { } wrong ? throw ctx.Error(n.At, key, wrong) : term.Text;
            })];
        }
        if (iv && instruments.Length == 0) throw ctx.Error(g.Estimators!.At, "grid.estimators", "the IV estimators need the treatment's instruments: add grid.instruments, e.g. [lag(x, 2)] or [z]");
        if (g.Weights is { } wn)
        {
            weights = [.. wn.Value.Select((n, i) =>
            {
                string w = n.Value;
                if (w == GridSpec.Unweighted) return w;
                return StudyCheck.Weights(w, available, frame) is { } wrong ? throw ctx.Error(n.At, $"grid.weights[{i}]", wrong) : w;
            })];
            if (weights.Length == 0) throw ctx.Error(wn.At, "grid.weights", "expected at least one entry (none for unweighted)");
            if (weights.Distinct(StringComparer.Ordinal).Count() != weights.Length) throw ctx.Error(wn.At, "grid.weights", "an entry is listed twice");
        }
        return (estimators, instruments, weights);
    }

    /// <summary>A fixed-effects choice ("province + year", "0") as its factors.</summary>
    private static ImmutableArray<string> Factors(string fe) =>
        [.. fe.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(f => f != "0").Select(f => string.Join("^", f.Split('^', StringSplitOptions.TrimEntries)))];
}
