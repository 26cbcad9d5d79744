using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: spatial</c> (docs/studies.md, "spatial"): Moran's I of variables for every period under each weight matrix
/// (with permutation p-values in blocks on the compute grain), and FE spatial panels of one formula under each matrix and
/// model with their LeSage–Pace effects (simulated SEs in blocks on the compute grain, draw r from the stream
/// (seed, ANALYSIS/MATRIX/MODEL, r)). Three tables — NAME_moran, NAME (models), NAME_effects — and the chart of Moran's I.
/// The matrices are read when the study is loaded (paths relative to the study file) and checked against the dataset's units.
/// </summary>
internal sealed class SpatialAnalysis : IAnalysisType
{
    public IReadOnlyList<string> Kinds => ["spatial"];

    public IReadOnlyList<SchemaDefinition> Schema =>
    [
        new("analysis_spatial", """
        "analysis_spatial": {
          "description": "Moran's I per period and FE spatial panels (SAR, SEM, SAC, SDM) with direct, indirect and total effects, under one or more weight matrices.",
          "type": "object", "additionalProperties": false, "required": ["type", "weights"],
          "properties": {
            "type": { "description": "spatial", "enum": ["spatial"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "weights": {
              "description": "The weight matrices: CSV files (a unit × unit table with the row unit first, or an edge list from,to[,weight]) matched to dataset.unit by name; paths relative to the study file; an economic-distance matrix (economic: VAR) or a nested one (path and economic, optionally phi).",
              "type": "array", "minItems": 1,
              "items": { "type": "object", "additionalProperties": false, "required": ["name"], "anyOf": [{ "required": ["path"] }, { "required": ["economic"] }], "properties": {
                "name": { "description": "Names the matrix in keys and streams.", "type": "string", "minLength": 1 },
                "path": { "description": "The CSV file or polygon file (.geojson, .json, .shp; with economic: the geographic part of a nested matrix).", "type": "string", "minLength": 1 },
                "economic": { "description": "A numeric column of the dataset (e.g. per-capita GDP): economic distance w_ij = 1/|mean_i − mean_j| of the units' means; with path the nested matrix (product w^d_ij·w^e_ij, or the φ-mixture with phi).", "type": "string", "minLength": 1 },
                "phi": { "description": "With path and economic: the nested matrix φ·W_d + (1 − φ)·W_e of the two row-standardised matrices (default: the product form).", "type": "number", "minimum": 0, "maximum": 1 },
                "label": { "description": "The matrix in tables (default: name).", "allOf": [{ "$ref": "#/definitions/text_value" }] },
                "row_standardise": { "description": "Divide each row by its sum (default true).", "type": "boolean" },
                "rule": { "description": "When path is a coordinates file (unit, lat, lon): inverse[:POWER[:CUTOFF_KM]] (great-circle km) or knn:K; when it is a polygon file (.geojson, .json, .shp): queen[:PROPERTY[:SNAP]] (default) or rook[:PROPERTY[:SNAP]], PROPERTY the attribute naming the unit (name), SNAP a tolerance in the file's coordinate units (0).", "type": "string", "pattern": "^(inverse(:[0-9.eE+-]+(:[0-9.eE+-]+)?)?|knn:[0-9]+|(queen|rook)(:[^:]*(:[0-9.eE+-]+)?)?)$" } } }
            },
            "moran": { "description": "Variables whose global Moran's I is tested for every period (default: the baseline's outcome and treatment).", "allOf": [{ "$ref": "#/definitions/variables" }] },
            "formula": { "description": "The spatial model 'y ~ x1 + x2' (default: the baseline's outcome on its treatment and controls); effects come from 'effects'.", "type": "string" },
            "models": { "description": "Models, one column each per matrix: sar, sem, sac, sdm (default [sdm]); [] for Moran's I only.", "type": "array", "items": { "enum": ["sar", "sem", "sac", "sdm"] }, "uniqueItems": true },
            "effects": { "description": "Fixed effects: individual or twoways (default twoways).", "enum": ["individual", "twoways"] },
            "lee_yu": { "description": "Lee–Yu (2010) correction (default false, as splm): individual effects σ² × T/(T−1) as splm; twoways the transformation approach, (N−1)(T−1) observations, row-standardised W only.", "type": "boolean" },
            "draws": { "description": "Simulation draws for the effects' standard errors (default 500; 0 for none).", "type": "integer", "minimum": 0 },
            "permutations": { "description": "Moran permutations per period (default 0; 999 is common).", "type": "integer", "minimum": 0 },
            "chunk": { "description": "Draws or permutations per compute-grain call (default 250).", "type": "integer", "minimum": 1 },
            "logdet": { "description": "How the fits compute log|I − ρW| and the traces: auto (default: sparse above 1000 units when W is a row-standardised symmetric matrix, else eigen), eigen (eigenvalues, dense inverses) or sparse (sparse Cholesky, Lanczos, sparse solves).", "enum": ["auto", "eigen", "sparse"] }
          }
        }
        """),
    ];

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        y.Known(a, at + ".", "type", "name", "title", "weights", "moran", "formula", "models", "effects", "lee_yu", "draws", "permutations", "chunk", "logdet");
        string name = r.Name(a, at, s.Kind);
        string title = r.Title(a, at, "Spatial panel models", "空间计量模型");
        var b = r.Baseline;
        var units = Enumerable.Range(0, r.Frame.RowCount).Select(i => r.Frame[r.Unit].TextAt(i)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var wn = r.Need(a, "weights", at);
        if (wn is not YamlSequenceNode ws || ws.Children.Count == 0) throw y.Error(wn, at + ".weights", "expected a list of matrices, each { name, path and/or economic[, phi, label, row_standardise, rule] }");
        var matrices = new List<SpatialMatrixSpec>();
        var unstandardised = new List<string>(); // matrices with row_standardise: false (two-way Lee–Yu refuses them)
        for (int i = 0; i < ws.Children.Count; i++)
        {
            string wat = $"{at}.weights[{i}]";
            if (ws.Children[i] is not YamlMappingNode m) throw y.Error(ws.Children[i], wat, "expected { name, path[, label, row_standardise] }");
            y.Known(m, wat + ".", "name", "path", "economic", "phi", "label", "row_standardise", "rule");
            string mName = y.Scalar(r.Need(m, "name", wat), wat + ".name", "a name");
            if (matrices.Any(x => x.Name == mName)) throw y.Error(m, wat + ".name", $"the matrix name '{mName}' is used twice");
            m.Children.TryGetValue(new YamlScalarNode("path"), out var pn);
            m.Children.TryGetValue(new YamlScalarNode("economic"), out var econNode);
            if (pn is null && econNode is null) throw y.Error(m, wat, "expected path (a CSV file), economic (a column: economic distance) or both (a nested matrix)");
            string? path = pn is null ? null : y.Scalar(pn, wat + ".path", "a CSV file");
            string? economic = econNode is null ? null : y.Scalar(econNode, wat + ".economic", "a numeric column of the dataset");
            double? phi = null;
            if (m.Children.TryGetValue(new YamlScalarNode("phi"), out var phiNode))
            {
                if (path is null || economic is null) throw y.Error(phiNode, wat + ".phi", "phi mixes a geographic (path) and an economic matrix: give both path and economic");
                string ps = y.Scalar(phiNode, wat + ".phi", "a number from 0 to 1");
                phi = double.TryParse(ps, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f >= 0 && f <= 1 ? f : throw y.Error(phiNode, wat + ".phi", $"expected a number from 0 to 1, found '{ps}'");
            }
            string label = m.Children.TryGetValue(new YamlScalarNode("label"), out var ln) ? y.Scalar(ln, wat + ".label", "a label") : mName;
            bool rowStd = !m.Children.TryGetValue(new YamlScalarNode("row_standardise"), out var rn) || Flag(y, rn, wat + ".row_standardise");
            if (!rowStd) unstandardised.Add(mName);
            (DistanceWeighting? Distance, ContiguityRule? Contiguity) rule = (null, null);
            if (m.Children.TryGetValue(new YamlScalarNode("rule"), out var ruleNode))
            {
                try { rule = SpatialWeightsFile.ParseRule(y.Scalar(ruleNode, wat + ".rule", "inverse[:POWER[:CUTOFF_KM]], knn:K, queen[:PROPERTY[:SNAP]] or rook[:PROPERTY[:SNAP]]"), "rule"); }
                catch (InputException e) { throw y.Error(ruleNode, wat + ".rule", e.Message); }
            }
            SpatialWeights w;
            SpatialWeights? geographic = null;
            try { if (path is not null) geographic = SpatialWeightsFile.Read(Path.Combine(y.Directory, path), rowStd, null, rule.Distance, rule.Contiguity); }
            catch (InputException e) { throw y.Error(pn!, wat + ".path", e.Message); }
            try
            {
                if (economic is not null)
                {
                    // Built from the dataset's rows now, so the matrix is hashed into the run id like a file's.
                    var e = SpatialWeightsFile.Economic(r.Frame, r.Unit, economic, wat + ".economic", rowStd);
                    w = geographic is null ? e : EconomicWeights.Nested(geographic, e, phi, $"matrix '{mName}'", rowStd);
                }
                else w = geographic!;
                w = w.AlignTo(units, $"matrix '{mName}'");
            }
            catch (InputException e) { throw y.Error(econNode ?? pn!, wat + (econNode is null ? ".path" : ".economic"), e.Message); }
            string source = economic is null ? path! : path is null ? $"economic:{economic}" : $"nested:{path},{economic}{(phi is { } q ? "," + q.ToString("R", CultureInfo.InvariantCulture) : "")}";
            matrices.Add(new SpatialMatrixSpec(mName, label, source, SpatialWeightsData.Of(w)));
        }
        var moran = a.Children.TryGetValue(new YamlScalarNode("moran"), out var mn) ? r.Vars(mn, at + ".moran") : [.. new[] { b.Outcome, b.Treatment }.Distinct(StringComparer.Ordinal)];
        Formula formula;
        if (a.Children.TryGetValue(new YamlScalarNode("formula"), out var fn))
        {
            try { formula = Formula.Parse(y.Scalar(fn, at + ".formula", "a formula 'y ~ x1 + x2'")); }
            catch (InputException e) { throw y.Error(fn, at + ".formula", e.Message); }
            if (formula.FixedEffects.Count > 0 || formula.IsIv) throw y.Error(fn, at + ".formula", "a spatial model takes 'y ~ x1 + x2' only; its fixed effects come from 'effects'");
        }
        else formula = Formula.Of(Formula.ParseTerm(b.Outcome), [Formula.ParseTerm(AnalysisReader.Term(b)), .. b.Controls.Select(Formula.ParseTerm)], []);
        r.Check(AnalysisReader.Typed($"{name}/spatial", formula, "ols", "iid", [], [], false, null), fn ?? a, at + ".formula");
        var models = ImmutableArray.Create("sdm");
        if (a.Children.TryGetValue(new YamlScalarNode("models"), out var msn))
        {
            if (msn is not YamlSequenceNode seq) throw y.Error(msn, at + ".models", $"expected a list of {SpatialText.Models}");
            var list = new List<string>();
            for (int i = 0; i < seq.Children.Count; i++)
            {
                string text = y.Scalar(seq.Children[i], $"{at}.models[{i}]", SpatialText.Models);
                string canonical;
                try { canonical = SpatialText.Name(SpatialText.Model(text, "model")); }
                catch (InputException e) { throw y.Error(seq.Children[i], $"{at}.models[{i}]", e.Message); }
                if (list.Contains(canonical)) throw y.Error(seq.Children[i], $"{at}.models[{i}]", $"'{canonical}' is listed twice");
                list.Add(canonical);
            }
            models = [.. list];
        }
        string effects = "twoways";
        if (a.Children.TryGetValue(new YamlScalarNode("effects"), out var en))
        {
            try { effects = SpatialText.Name(SpatialText.Effects(y.Scalar(en, at + ".effects", SpatialText.EffectChoices), "effects")); }
            catch (InputException e) { throw y.Error(en, at + ".effects", e.Message); }
        }
        bool leeYu = a.Children.TryGetValue(new YamlScalarNode("lee_yu"), out var lyn) && Flag(y, lyn, at + ".lee_yu");
        if (leeYu && effects == "twoways" && unstandardised.Count > 0)
            throw y.Error(lyn!, at + ".lee_yu", $"Lee–Yu with two-way effects needs row-standardised matrices (W·1 = 1); {string.Join(", ", unstandardised)} has row_standardise: false");
        int draws = Count(y, a, "draws", at, 500, 0);
        if (draws == 1) throw y.Error(a.Children[new YamlScalarNode("draws")], at + ".draws", "expected 0 (none) or at least 2");
        int permutations = Count(y, a, "permutations", at, 0, 0);
        int chunk = Count(y, a, "chunk", at, 250, 1);
        string logDet = "auto";
        if (a.Children.TryGetValue(new YamlScalarNode("logdet"), out var ldn))
        {
            try { logDet = SpatialText.Name(SpatialText.LogDet(y.Scalar(ldn, at + ".logdet", SpatialText.LogDetChoices), "logdet")); }
            catch (InputException e) { throw y.Error(ldn, at + ".logdet", e.Message); }
        }
        var spec = new SpatialSpec([.. matrices], moran, models.IsEmpty ? null : formula, models, effects, leeYu, draws, permutations, chunk, logDet);
        return new AnalysisSpec(name, s.Kind, title, [], moran, [], [], null, null, Settings: spec);
    }

    /// <summary>
    /// What the study's hash (hence the run id) must also cover: the weight matrices the spatial analyses read from files
    /// (their units and raw entries, SHA-256), so that a changed matrix file makes a new run. Empty without spatial
    /// analyses, so other studies keep their run ids.
    /// </summary>
    public static string InputsKey(ImmutableArray<AnalysisSpec> analyses)
    {
        if (analyses.IsDefaultOrEmpty || !analyses.Any(a => a.Settings is SpatialSpec)) return "";
        var sb = new System.Text.StringBuilder("\nspatial weights:");
        foreach (var a in analyses)
            foreach (var m in a.Settings is SpatialSpec spatial ? spatial.Matrices : [])
            {
                sb.Append(' ').Append(a.Name).Append('/').Append(m.Name).Append('=').Append(m.Weights.Sha256());
            }
        return sb.ToString();
    }

    private static bool Flag(StudyYaml y, YamlNode node, string at) => y.Scalar(node, at, "true or false") switch
    {
        "true" => true,
        "false" => false,
        var v => throw y.Error(node, at, $"expected true or false, found '{v}'"),
    };

    private static int Count(StudyYaml y, YamlMappingNode a, string key, string at, int fallback, int min)
    {
        long v = y.OptLong(a, key, at + ".", fallback);
        if (v < min || v > 1_000_000) throw y.Error(a.Children[new YamlScalarNode(key)], $"{at}.{key}", $"expected an integer from {min} to 1000000, found {v}");
        return (int)v;
    }

    /// <summary>The model's formula (the Moran variables are the spec's <see cref="AnalysisSpec.Variables"/>, re-checked already).</summary>
    public IEnumerable<DataUse> Uses(AnalysisSpec analysis) => analysis.Settings is SpatialSpec { Formula: { } f } ? DataUse.Of("formula", f) : [];

    public async Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var spec = a.Settings as SpatialSpec ?? throw new InputException($"analysis '{a.Name}': no spatial settings");
        var words = new AnalysisWords(run.Study);
        var panel = run.Panel;
        long seed = run.Study.Seed;
        var moranColumns = new List<MoranColumn>();
        var charts = new List<AnalysisChart>();
        var modelColumns = new List<SpatialModelColumn>();
        foreach (var m in spec.Matrices)
        {
            var w = SpatialWeightsCache.Shared(m.Weights).AlignTo(panel.UnitLabels, $"matrix '{m.Name}'");
            var wire = SpatialWeightsData.Of(w);
            foreach (var v in spec.Moran)
            {
                var stacked = SpatialData.Stack(panel, w, [(v, panel.Frame.Numeric(v))], out var periods, out _)[0];
                var results = periods.Select((t, k) => Moran.Test(w, stacked.AsSpan(k * w.N, w.N), t)).ToList();
                IReadOnlyList<double>? permP = null;
                if (spec.Permutations > 0)
                {
                    string key = $"{a.Name}/moran/{m.Name}/{v}";
                    var draws = await BlocksAsync(run, key, spec.Permutations, spec.Chunk, (runId, ds, first, count) => new SpatialWork(runId, ds, wire, SpatialDrawKind.MoranPermutations,
                        [], [], 0, false, [.. stacked], [.. periods], seed, key, first, count), ct);
                    permP = [.. results.Select((res, k) => Moran.PermutationP(res.I, [.. draws.Select(d => d[k])]))];
                }
                moranColumns.Add(new MoranColumn(m.Label, words.Label(v), results, permP));
                // The Moran scatter plot of the last period: standardised z against W·z, slope = that period's I.
                int last = periods.Count - 1;
                var x = stacked.AsSpan(last * w.N, w.N).ToArray();
                double mean = x.Average(), sd = Math.Sqrt(x.Sum(q => (q - mean) * (q - mean)) / x.Length);
                var zs = x.Select(q => (q - mean) / sd).ToArray();
                var lagz = w.Lag(zs);
                double iLast = results[last].I;
                string caption = words.Word($"Moran scatter plot of {words.Label(v)}, {m.Label}, {periods[last]}", $"{words.Label(v)}莫兰散点图（{m.Label}，{periods[last]}年）");
                charts.Add(new AnalysisChart($"{a.Name}_scatter_{Safe(v)}_{Safe(m.Name)}", caption, o => MoranScatter.Render(zs, lagz, iLast,
                    new MoranScatterOptions { Title = caption, XAxis = words.Word("z (standardised value)", "z（标准化值）"), YAxis = words.Word("W·z (spatial lag)", "W·z（空间滞后）"),
                        SlopeLabel = words.Word("Slope = Moran's I = {0}", "斜率 = 莫兰指数 = {0}") }, o)));
            }
            if (spec.Formula is null) continue;
            foreach (var modelName in spec.Models)
            {
                var options = new SpatialOptions(SpatialText.Model(modelName, "model"), SpatialText.Effects(spec.Effects, "effects"), spec.LeeYu, SpatialText.LogDet(spec.LogDet, "logdet"));
                SpatialFit fit;
                try { fit = SpatialPanel.Fit(panel, spec.Formula, w, options); }
                catch (Exception e) when (e is EstimationException or InputException) { throw new InputException($"analysis '{a.Name}', matrix '{m.Name}', model {modelName}: {e.Message}"); }
                if (spec.Draws > 0 && fit.Impacts is not null)
                {
                    var (mean, vcov) = Impacts.DrawParameters(fit);
                    int p = mean.Length;
                    var flat = new double[p * p];
                    for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) flat[i * p + j] = vcov[i, j];
                    string key = $"{a.Name}/{m.Name}/{modelName}";
                    bool durbin = options.Model == SpatialModel.Sdm;
                    var draws = await BlocksAsync(run, key, spec.Draws, spec.Chunk, (runId, ds, first, count) => new SpatialWork(runId, ds, wire, SpatialDrawKind.Impacts,
                        [.. mean], [.. flat], fit.Terms.Count, durbin, [], [], seed, key, first, count), ct);
                    fit = fit with { Impacts = Impacts.WithStandardErrors(fit.Impacts, draws) };
                }
                modelColumns.Add(new SpatialModelColumn($"({modelColumns.Count + 1})", m.Label, fit, spec.Draws));
            }
        }
        var tables = new List<AnalysisTable>();
        if (moranColumns.Count > 0)
        {
            tables.Add(new AnalysisTable(a.Name, a.Name + "_moran", SpatialTables.Moran(words.Word("Global Moran's I by year", "全局莫兰指数"), moranColumns, words.Language)));
            var series = moranColumns.Select(c => new TrendSeries($"{c.Variable} · {c.Matrix}", [.. c.Results.Select(x => (double)x.Period)], [.. c.Results.Select(x => x.I)])).ToList();
            charts.Insert(0, new AnalysisChart(a.Name + "_moran", words.Word("Global Moran's I by year", "全局莫兰指数"),
                o => TrendChart.Render(series, new TrendChartOptions { Title = words.Word("Global Moran's I", "全局莫兰指数"), TimeAxis = words.Word("Year", "年份"), ValueAxis = "Moran's I" }, o)));
        }
        if (modelColumns.Count > 0)
        {
            tables.Add(new AnalysisTable(a.Name, a.Name, SpatialTables.Models(a.Title, modelColumns, words.Labels, words.Language)));
            if (modelColumns.Any(c => c.Fit.Impacts is not null))
                tables.Add(new AnalysisTable(a.Name, a.Name + "_effects", SpatialTables.Effects(words.Word("Direct, indirect and total effects", "直接效应、间接效应与总效应"), modelColumns, words.Labels, words.Language)));
        }
        return new AnalysisOutput(tables, charts);
    }

    /// <summary>A name as a file-name part: letters, digits, - and _ kept, anything else _.</summary>
    private static string Safe(string s) => new([.. s.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')]);

    /// <summary>Draws 0 .. total − 1 in blocks of <paramref name="chunk"/> on the compute grain (key: run / KEY / first), returned in draw order.</summary>
    private static async Task<IReadOnlyList<double[]>> BlocksAsync(IAnalysisRun run, string key, int total, int chunk, Func<string, DatasetRef, int, int, SpatialWork> work, CancellationToken ct)
    {
        var blocks = Enumerable.Range(0, (total + chunk - 1) / chunk).Select(k => (First: k * chunk, Count: Math.Min(chunk, total - k * chunk))).ToList();
        var replies = await run.ComputeAsync("spatial draws", [.. blocks.Select(b => $"{key}/{b.First.ToString(CultureInfo.InvariantCulture)}")],
            (i, runId, ds) => work(runId, ds, blocks[i].First, blocks[i].Count), ct);
        return [.. replies.OrderBy(r => r.First).SelectMany(r => r.Draws.Select(d => d.ToArray()))];
    }
}
