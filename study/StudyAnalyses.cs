using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
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
    /// <summary>The baseline specification every analysis varies.</summary>
    private sealed record Baseline(string Outcome, string Treatment, ImmutableArray<string> Controls, string Fe, string Vcov, ImmutableArray<string> Filters,
        string? Estimator, ImmutableArray<string> Winsorize, ImmutableArray<string> Instruments, bool Lag, string? Weights = null);

    private static readonly string[] ModelKeys = ["label", "group", "outcome", "treatment", "controls", "add", "fe", "vcov", "sample", "filter", "estimator", "winsorize", "lag", "instruments", "formula", "hausman", "weights"];

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
        var ctx = new Ctx(y, frame, available, unit, language == "zh");
        var baseline = ctx.ReadBaseline(bn);
        if (!hasAnalyses) return [];
        if (an is not YamlSequenceNode seq) throw y.Error(an!, "analyses", "expected a list of analyses, each with a type");
        var list = new List<AnalysisSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string at = $"analyses[{i}]";
            if (seq.Children[i] is not YamlMappingNode a) throw y.Error(seq.Children[i], at, "expected a mapping with a type, e.g. { type: regressions, columns: [...] }");
            var spec = StudyGaps.Handles(a) ? StudyGaps.Read(y, a, at, frame, available, region, unit, baseline.Vcov, baseline.Filters, language == "zh") : ctx.ReadAnalysis(a, at, baseline);
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

    private sealed class Ctx(StudyYaml y, DataFrame frame, IReadOnlySet<string> available, string unit, bool zh)
    {
        private static readonly string[] Kinds = ["descriptives", "correlations", "regressions", "robustness", "heterogeneity", "mediation", "moderation"];

        public Baseline ReadBaseline(YamlNode node)
        {
            if (node is not YamlMappingNode m) throw y.Error(node, "baseline", "expected a mapping: { outcome: y, treatment: x, controls: [...], fe: \"unit + year\", vcov: cluster:unit }");
            y.Known(m, "baseline.", "outcome", "treatment", "controls", "fe", "vcov", "sample", "estimator", "winsorize", "instruments", "lag", "weights");
            string outcome = Var(Need(m, "outcome", "baseline"), "baseline.outcome");
            string treatment = Var(Need(m, "treatment", "baseline"), "baseline.treatment");
            var controls = m.Children.TryGetValue(new YamlScalarNode("controls"), out var c) ? Vars(c, "baseline.controls") : [];
            string fe = m.Children.TryGetValue(new YamlScalarNode("fe"), out var f) ? y.FixedEffects(f, "baseline.fe", frame) : "0";
            string vcov = m.Children.TryGetValue(new YamlScalarNode("vcov"), out var v) ? y.Vcov(v, "baseline.vcov", frame) : $"cluster:{unit}";
            var filters = m.Children.TryGetValue(new YamlScalarNode("sample"), out var s) ? Filter(s, "baseline.sample") : [];
            string? estimator = m.Children.TryGetValue(new YamlScalarNode("estimator"), out var e) ? Estimator(e, "baseline.estimator") : null;
            var b = new Baseline(outcome, treatment, controls, fe, vcov, filters, estimator, [], [], m.Children.TryGetValue(new YamlScalarNode("lag"), out var lg) && y.Bool(lg, "baseline.lag"));
            if (m.Children.TryGetValue(new YamlScalarNode("winsorize"), out var w)) b = b with { Winsorize = Winsor(w, "baseline.winsorize", b) };
            if (m.Children.TryGetValue(new YamlScalarNode("instruments"), out var ins)) b = b with { Instruments = Terms(ins, "baseline.instruments") };
            if (m.Children.TryGetValue(new YamlScalarNode("weights"), out var wt)) b = b with { Weights = WeightsColumn(wt, "baseline.weights") };
            Check(Model(b, "baseline/1", false, m, "baseline"), m, "baseline");
            return b;
        }

        public AnalysisSpec ReadAnalysis(YamlMappingNode a, string at, Baseline b)
        {
            string kind = a.Children.TryGetValue(new YamlScalarNode("type"), out var tn) ? y.Scalar(tn, at + ".type", "an analysis type") : throw y.Error(a, at + ".type", $"missing; expected one of: {string.Join(", ", Kinds.Concat(StudyGaps.Kinds))}");
            if (!Kinds.Contains(kind)) throw y.Error(tn, at + ".type", $"unknown analysis type '{kind}'; expected one of: {string.Join(", ", Kinds.Concat(StudyGaps.Kinds))} (the specification grid is the top-level 'grid:' section)");
            string[] common = ["type", "name", "title", "show_controls", "key_terms"];
            string[] extra = kind switch
            {
                "descriptives" or "correlations" => ["variables", "sample"],
                "regressions" => ["columns", "table"],
                "robustness" => ["variations", "table"],
                "heterogeneity" => ["by", "groups", "permutations", "chunk", "table"],
                "mediation" => ["style", "mediators", "bootstrap", "table"],
                _ => ["moderator", "table"],
            };
            y.Known(a, at + ".", [.. common, .. extra]);
            string name = a.Children.TryGetValue(new YamlScalarNode("name"), out var nn) ? y.Scalar(nn, at + ".name", "a name") : kind;
            if (name.Length == 0 || name.Any(ch => !(char.IsLetterOrDigit(ch) || ch is '_' or '-')))
                throw y.Error(nn ?? a, at + ".name", "use letters, digits, - and _ only (it names the table files)");
            string title = a.Children.TryGetValue(new YamlScalarNode("title"), out var ti) ? y.Scalar(ti, at + ".title", "a caption") : DefaultTitle(kind);
            string x = Term(b);
            if (kind is "descriptives" or "correlations")
            {
                var vars = a.Children.TryGetValue(new YamlScalarNode("variables"), out var vn) ? Vars(vn, at + ".variables")
                    : [.. new[] { b.Outcome, b.Treatment }.Concat(b.Controls).Distinct(StringComparer.Ordinal)];
                if (vars.Length < (kind == "correlations" ? 2 : 1)) throw y.Error(vn ?? a, at + ".variables", kind == "correlations" ? "a correlation matrix needs at least two variables" : "expected at least one variable");
                var filters = a.Children.TryGetValue(new YamlScalarNode("sample"), out var sn) ? Filter(sn, at + ".sample") : b.Filters;
                return new AnalysisSpec(name, kind, title, [], vars, filters, [], null, null);
            }
            var columns = new List<ModelColumn>();
            HeterogeneitySpec? het = null;
            MediationSpec? med = null;
            bool showControlsDefault = kind == "regressions";
            List<string> keyTerms = [x];
            switch (kind)
            {
                case "regressions":
                {
                    var cols = a.Children.TryGetValue(new YamlScalarNode("columns"), out var cn) && cn is YamlSequenceNode cs ? cs.Children
                        : throw y.Error(cn ?? a, at + ".columns", "expected a list of columns, each a mapping of what changes from the baseline (e.g. { controls: [gov] }, or {} for the baseline)");
                    for (int j = 0; j < cols.Count; j++) columns.Add(Column(cols[j], $"{at}.columns[{j}]", b, $"{name}/{j + 1}", null));
                    break;
                }
                case "robustness":
                {
                    columns.Add(new ModelColumn(zh ? "基准" : "Baseline", null, Model(b, $"{name}/1", false, a, at)));
                    var vars = a.Children.TryGetValue(new YamlScalarNode("variations"), out var vn) && vn is YamlMappingNode vm ? vm.Children
                        : throw y.Error(vn ?? a, at + ".variations", "expected a mapping of named variations, e.g. { winsorised: { winsorize: true }, no_pilots: { filter: \"pilot == 0\" } }");
                    foreach (var (k, v) in vars)
                    {
                        string label = y.Scalar(k, at + ".variations", "a name");
                        columns.Add(Column(v, $"{at}.variations.{label}", b, $"{name}/{columns.Count + 1}", label));
                    }
                    break;
                }
                case "heterogeneity":
                {
                    var byNode = a.Children.TryGetValue(new YamlScalarNode("by"), out var bnode) ? bnode : throw y.Error(a, at + ".by", "missing: the categorical column whose groups each run the baseline");
                    string by = y.Scalar(byNode, at + ".by", "a column");
                    if (!frame.Has(by)) throw y.Error(byNode, at + ".by", $"no column '{by}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}");
                    var present = GroupDifference.GroupValues(frame, by);
                    ImmutableArray<string> groups;
                    if (a.Children.TryGetValue(new YamlScalarNode("groups"), out var gn))
                    {
                        var list = gn is YamlSequenceNode gs ? gs.Children : throw y.Error(gn, at + ".groups", "expected a list of group values");
                        groups = [.. list.Select((g, k) =>
                        {
                            string v = y.Scalar(g, $"{at}.groups[{k}]", "a group value");
                            return present.Contains(v) ? v : throw y.Error(g, $"{at}.groups[{k}]", $"no row has {by} = '{v}'; values: {string.Join(", ", present)}");
                        })];
                    }
                    else groups = [.. present];
                    if (groups.Length < 2) throw y.Error(gn ?? byNode, at + ".groups", $"a heterogeneity analysis needs at least two groups; '{by}' has {groups.Length}");
                    long perms = y.OptLong(a, "permutations", at + ".", Core.Regression.GroupDifference.DefaultPermutations), chunk = y.OptLong(a, "chunk", at + ".", 100);
                    if (perms < 0 || perms > 1_000_000) throw y.Error(a, at + ".permutations", "expected 0 (none) to 1000000 permutations");
                    if (chunk < 1 || chunk > 1_000_000) throw y.Error(a, at + ".chunk", "expected 1 to 1000000 permutations per grain call");
                    foreach (var g in groups)
                        columns.Add(new ModelColumn(g, by, Model(b with { Filters = [.. b.Filters, RowFilter.Equal(by, g).Text] }, $"{name}/{columns.Count + 1}", false, a, at)));
                    het = new HeterogeneitySpec(by, groups, x, Model(b, $"{name}/baseline", false, a, at), (int)perms, (int)chunk);
                    break;
                }
                case "mediation":
                {
                    string style = a.Children.TryGetValue(new YamlScalarNode("style"), out var sn) ? y.Scalar(sn, at + ".style", "two_step or baron_kenny") : "two_step";
                    if (style is not ("two_step" or "baron_kenny")) throw y.Error(sn!, at + ".style", $"expected two_step (X → M only, Jiang 2022) or baron_kenny, found '{style}'");
                    var mn = a.Children.TryGetValue(new YamlScalarNode("mediators"), out var mnode) ? mnode : throw y.Error(a, at + ".mediators", "missing: the list of mediators M");
                    var mediators = Vars(mn, at + ".mediators");
                    if (mediators.Length == 0) throw y.Error(mn, at + ".mediators", "expected at least one mediator");
                    if (b.Instruments.Length > 0) throw y.Error(a, at, "mediation uses the baseline without instruments; the baseline has instruments");
                    // A mediator among the baseline's controls leaves them in every column of this analysis.
                    var mb = b with { Controls = [.. b.Controls.Where(c => !mediators.Contains(c))] };
                    columns.Add(new ModelColumn(Label(b.Outcome), null, Model(mb, $"{name}/1", false, a, at)));
                    foreach (var m in mediators)
                    {
                        columns.Add(new ModelColumn(Label(m), null, Model(mb with { Outcome = m }, $"{name}/{columns.Count + 1}", false, a, at)));
                        if (style == "baron_kenny")
                        {
                            columns.Add(new ModelColumn(Label(b.Outcome), null, Model(mb, $"{name}/{columns.Count + 1}", false, a, at, [m])));
                            keyTerms.Add(m);
                        }
                    }
                    string tail = string.Concat(mb.Controls.Select(c => $" + {c}")) + (mb.Fe == "0" ? "" : $" | {mb.Fe}");
                    med = new MediationSpec(style, x, mediators, StudyMediation.Bootstrap(y, a, at, style, mb.Outcome, tail, columns[0].Model));
                    break;
                }
                case "moderation":
                {
                    var zn = a.Children.TryGetValue(new YamlScalarNode("moderator"), out var znode) ? znode : throw y.Error(a, at + ".moderator", "missing: the moderator Z");
                    string z = Var(zn, at + ".moderator");
                    string xz = $"{x}:{z}";
                    var zb = b with { Controls = [.. b.Controls.Where(c => c != z)] };
                    columns.Add(new ModelColumn("", null, Model(zb, $"{name}/1", false, a, at, [z])));
                    columns.Add(new ModelColumn("", null, Model(zb, $"{name}/2", false, a, at, [z, xz])));
                    keyTerms.AddRange([z, xz]);
                    break;
                }
            }
            foreach (var col in columns) Check(col.Model, a, at);
            // The treatment's row: every form it takes across the columns (e.g. x and lag(x)), in order of appearance.
            if (kind is "regressions" or "robustness")
                keyTerms = [.. columns.Select(c => TreatmentTerm(c.Model, b)).Where(t => t is not null).Select(t => t!).Distinct(StringComparer.Ordinal)];
            bool showControls = a.Children.TryGetValue(new YamlScalarNode("show_controls"), out var scn) ? y.Bool(scn, at + ".show_controls") : showControlsDefault;
            ImmutableArray<string> keys = showControls ? [] : [.. keyTerms];
            if (a.Children.TryGetValue(new YamlScalarNode("key_terms"), out var ktn))
            {
                keys = Terms(ktn, at + ".key_terms");
                // The treatment listed: its other forms across the columns (lag(x) of a lagged variation) stay, reported on its row.
                if (kind is "regressions" or "robustness" && keys.Contains(x))
                    keys = [.. keys, .. keyTerms.Where(t => !keys.Contains(t))];
            }
            var (table, tableTitle) = CombinedTable(a, at);
            return new AnalysisSpec(name, kind, title, [.. columns], [], [], keys, het, med, null, table, tableTitle);
        }

        /// <summary>
        /// The <c>table:</c> key of a regression-type analysis: the name of a combined table (<c>table: heterogeneity</c>) or
        /// <c>{ name: heterogeneity, title: 表7 异质性分析 }</c>; (null, null) without it.
        /// </summary>
        private (string? Name, string? Title) CombinedTable(YamlMappingNode a, string at)
        {
            if (!a.Children.TryGetValue(new YamlScalarNode("table"), out var tn)) return (null, null);
            string? name, title = null;
            if (tn is YamlMappingNode tm)
            {
                y.Known(tm, at + ".table.", "name", "title");
                name = tm.Children.TryGetValue(new YamlScalarNode("name"), out var nn) ? y.Scalar(nn, at + ".table.name", "a table name")
                    : throw y.Error(tm, at + ".table.name", "missing: the combined table's name (it names the table files)");
                if (tm.Children.TryGetValue(new YamlScalarNode("title"), out var tt)) title = y.Scalar(tt, at + ".table.title", "a caption");
            }
            else name = y.Scalar(tn, at + ".table", "a table name, or { name, title }");
            if (name.Length == 0 || name.Any(ch => !(char.IsLetterOrDigit(ch) || ch is '_' or '-')))
                throw y.Error(tn, at + ".table", "use letters, digits, - and _ only (it names the table files)");
            return (name, title);
        }

        private string DefaultTitle(string kind) => (kind, zh) switch
        {
            ("descriptives", false) => "Descriptive statistics",
            ("descriptives", true) => "描述性统计",
            ("correlations", false) => "Correlation matrix",
            ("correlations", true) => "相关系数矩阵",
            ("regressions", false) => "Regression results",
            ("regressions", true) => "回归结果",
            ("robustness", false) => "Robustness checks",
            ("robustness", true) => "稳健性检验",
            ("heterogeneity", false) => "Heterogeneity",
            ("heterogeneity", true) => "异质性分析",
            ("mediation", false) => "Mechanism tests",
            ("mediation", true) => "机制检验",
            (_, false) => "Moderation",
            (_, true) => "调节效应",
        };

        private static string Label(string v) => v;

        /// <summary>A table column: what changes from the baseline.</summary>
        private ModelColumn Column(YamlNode node, string at, Baseline b, string id, string? label)
        {
            if (node is not YamlMappingNode m) throw y.Error(node, at, "expected a mapping of what changes from the baseline, e.g. { controls: [gov, market] } ({} for the baseline itself)");
            y.Known(m, at + ".", ModelKeys);
            bool Has(string k, out YamlNode v) => m.Children.TryGetValue(new YamlScalarNode(k), out v!);
            if (Has("label", out var ln)) label = y.Scalar(ln, at + ".label", "a column label");
            string? group = Has("group", out var gn) ? y.Scalar(gn, at + ".group", "a spanning group label") : null;
            bool hausman = Has("hausman", out var hn) && y.Bool(hn, at + ".hausman");
            if (Has("formula", out var fn))
            {
                foreach (var k in new[] { "outcome", "treatment", "controls", "add", "fe", "instruments", "lag" })
                    if (m.Children.ContainsKey(new YamlScalarNode(k))) throw y.Error(m, $"{at}.{k}", "a column with 'formula' takes its terms from the formula; remove this key");
                string text = y.Scalar(fn, at + ".formula", "a formula such as 'y ~ x + log(z) | unit + year'");
                Formula parsed;
                try { parsed = Formula.Parse(text); }
                catch (InputException pe) { throw y.Error(fn, at + ".formula", $"the model '{text}' does not parse: {pe.Message}"); }
                var model = Typed(id, parsed, Has("estimator", out var en) ? Estimator(en, at + ".estimator") : b.Estimator,
                    Has("vcov", out var vn) ? y.Vcov(vn, at + ".vcov", frame) : b.Vcov, Filters(m, at, b), Has("winsorize", out var wn) ? Winsor(wn, at + ".winsorize", b) : b.Winsorize, hausman,
                    Has("weights", out var wtn) ? WeightsColumn(wtn, at + ".weights") : b.Weights);
                Check(model, fn, at + ".formula");
                return new ModelColumn(label ?? "", group, model);
            }
            var c = b;
            if (Has("outcome", out var o)) c = c with { Outcome = Var(o, at + ".outcome") };
            if (Has("treatment", out var t)) c = c with { Treatment = Var(t, at + ".treatment") };
            if (Has("controls", out var cs)) c = c with { Controls = Vars(cs, at + ".controls") };
            var add = Has("add", out var an) ? Terms(an, at + ".add") : [];
            if (Has("fe", out var fe)) c = c with { Fe = y.FixedEffects(fe, at + ".fe", frame) };
            if (Has("vcov", out var v)) c = c with { Vcov = y.Vcov(v, at + ".vcov", frame) };
            if (Has("estimator", out var e)) c = c with { Estimator = Estimator(e, at + ".estimator") };
            if (Has("instruments", out var ins)) c = c with { Instruments = Terms(ins, at + ".instruments") };
            if (Has("lag", out var lg)) c = c with { Lag = y.Bool(lg, at + ".lag") };
            if (Has("weights", out var wt)) c = c with { Weights = WeightsColumn(wt, at + ".weights") };
            c = c with { Filters = Filters(m, at, b) };
            if (Has("winsorize", out var w)) c = c with { Winsorize = Winsor(w, at + ".winsorize", c) };
            var spec = Model(c, id, hausman, m, at, add);
            Check(spec, m, at);
            return new ModelColumn(label ?? "", group, spec);
        }

        /// <summary>The treatment term of a model: the first regressor (or endogenous regressor) on the baseline's treatment.</summary>
        private static string? TreatmentTerm(AnalysisModel m, Baseline b)
        {
            var f = m.Model.Formula;
            return f.Endogenous.Concat(f.Regressors).FirstOrDefault(r => r.Columns.Contains(b.Treatment))?.Text ?? f.Endogenous.Concat(f.Regressors).FirstOrDefault()?.Text;
        }

        /// <summary>sample replaces the baseline's filters; filter adds to them.</summary>
        private ImmutableArray<string> Filters(YamlMappingNode m, string at, Baseline b)
        {
            var f = m.Children.TryGetValue(new YamlScalarNode("sample"), out var s) ? Filter(s, at + ".sample") : b.Filters;
            if (m.Children.TryGetValue(new YamlScalarNode("filter"), out var add)) f = [.. f, .. Filter(add, at + ".filter")];
            return f;
        }

        /// <summary>The treatment as it appears in the formula (lagged when the baseline or column says so).</summary>
        private static string Term(Baseline b) => b.Lag ? $"lag({b.Treatment})" : b.Treatment;

        /// <summary>
        /// The model of a baseline, built as a formula tree from its parts (the terms were checked when read; nothing
        /// is printed to be parsed): y ~ treatment + controls + add | fe, or with instruments
        /// y ~ controls + add | fe | treatment ~ instruments.
        /// </summary>
        private AnalysisModel Model(Baseline b, string id, bool hausman, YamlNode node, string at, IReadOnlyList<string>? add = null)
        {
            try
            {
                var treatment = Formula.ParseTerm(Term(b));
                var more = b.Controls.Concat(add ?? []).Select(Formula.ParseTerm).ToList();
                var fe = b.Fe == "0" ? [] : b.Fe.Split('+', StringSplitOptions.TrimEntries).Select(f => new FixedEffect(f.Split('^', StringSplitOptions.TrimEntries))).ToList();
                var formula = b.Instruments.Length > 0
                    ? Formula.Of(new VarExpr(b.Outcome), more, fe, [treatment], b.Instruments.Select(Formula.ParseTerm))
                    : Formula.Of(new VarExpr(b.Outcome), [treatment, .. more], fe);
                return Typed(id, formula, b.Estimator, b.Vcov, b.Filters, b.Winsorize, hausman, b.Weights);
            }
            catch (InputException e) { throw y.Error(node, at, $"the model does not form: {e.Message}"); }
        }

        /// <summary>An analysis model from the parts the study reader checked (estimator name, variance and filters as validated text).</summary>
        /// <summary>weights: a numeric column (analytic weights, docs/methods.md "Weights"), or none for an unweighted model.</summary>
        private string? WeightsColumn(YamlNode node, string at)
        {
            string w = y.Scalar(node, at, "a numeric weight column, or none");
            if (w == "none") return null;
            if (!frame.Has(w)) throw y.Error(node, at, $"no column '{w}'; available columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}");
            if (frame[w].Values is null) throw y.Error(node, at, $"weight column '{w}' is not numeric");
            return w;
        }

        private static AnalysisModel Typed(string id, Formula formula, string? estimator, string vcov, ImmutableArray<string> filters, ImmutableArray<string> winsorize, bool hausman, string? weights) =>
            new(id, new ModelSpec
            {
                Formula = formula,
                Estimator = estimator is null ? null : Estimation.ParseName(estimator),
                Variances = [VcovSpec.Parse(vcov)],
                Filters = [.. filters.Select(RowFilter.Parse)],
                Winsorize = winsorize,
                Weights = weights,
                // Studies drop singletons unless they say singletons: keep (StudyLoader), as reghdfe; docs/methods.md "Singletons".
                DropSingletons = true,
            }, hausman);

        /// <summary>Every model must name only known variables.</summary>
        private void Check(AnalysisModel model, YamlNode node, string at)
        {
            var f = model.Model.Formula;
            foreach (var col in f.Columns.Concat(f.FixedEffects.SelectMany(x => x.Columns)).Distinct(StringComparer.Ordinal))
                if (!available.Contains(col)) throw y.Error(node, at, $"the model '{f.Source}' names unknown variable '{col}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
            if (f.Regressors.Concat(f.Endogenous).Any(r => r.Columns.Contains(f.Response.Text)))
                throw y.Error(node, at, $"the model '{f.Source}' has its outcome '{f.Response.Text}' among its regressors");
            if (model.Hausman && f.IsIv) throw y.Error(node, at + ".hausman", "the Hausman test compares FE and RE fits; it does not apply to an IV column");
        }

        private YamlNode Need(YamlMappingNode m, string key, string at) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw y.Error(m, $"{at}.{key}", "missing");

        private string Var(YamlNode node, string at)
        {
            string v = y.Scalar(node, at, "a variable");
            return available.Contains(v) ? v : throw y.Error(node, at, $"unknown variable '{v}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
        }

        private ImmutableArray<string> Vars(YamlNode node, string at) => node is YamlSequenceNode s
            ? [.. s.Children.Select((n, i) => Var(n, $"{at}[{i}]"))]
            : throw y.Error(node, at, "expected a list of variables, e.g. [gov, market]");

        /// <summary>Terms as formulas take them (log(x), lag(x,2), a:b): each must parse and name known variables.</summary>
        private ImmutableArray<string> Terms(YamlNode node, string at) => node is YamlSequenceNode s
            ? [.. s.Children.Select((n, i) =>
            {
                string t = y.Scalar(n, $"{at}[{i}]", "a term such as log(x), lag(x, 2) or a:b");
                Expr term;
                try { term = Formula.ParseTerm(t); }
                catch (InputException e)
                {
                    throw y.Error(n, $"{at}[{i}]", t.Contains('+', StringComparison.Ordinal) ? $"'{t}' is not one term; write each term as its own list entry" : $"'{t}' is not a term: {e.Message}");
                }
                foreach (var col in term.Columns)
                    if (!available.Contains(col)) throw y.Error(n, $"{at}[{i}]", $"unknown variable '{col}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
                return term.Text;
            })]
            : throw y.Error(node, at, "expected a list of terms, e.g. [lag(x), log(z)]");

        private ImmutableArray<string> Filter(YamlNode node, string at)
        {
            if (node is YamlScalarNode { Value: null or "" or "null" or "~" or "all" }) return [];
            string f = y.Scalar(node, at, "a filter such as \"region == East\", or null for all rows");
            try
            {
                if (RowFilter.Parse(f).Apply(frame).Count == 0) throw new InputException($"filter '{f}' keeps no row of the dataset");
            }
            catch (InputException e) { throw y.Error(node, at, e.Message); }
            return [f];
        }

        private string Estimator(YamlNode node, string at)
        {
            string e = y.Scalar(node, at, "ols, within, re, iv-2sls or iv-gmm2s");
            try { return Estimation.Name(Estimation.ParseName(e)); }
            catch (InputException) { throw y.Error(node, at, $"expected ols, within, re, iv-2sls or iv-gmm2s, found '{e}'"); }
        }

        /// <summary>winsorize: true (outcome, treatment and controls that are plain columns), false, or a list of columns.</summary>
        private ImmutableArray<string> Winsor(YamlNode node, string at, Baseline b)
        {
            if (node is YamlSequenceNode) return Vars(node, at);
            if (!y.Bool(node, at)) return [];
            return [.. new[] { b.Outcome, b.Treatment }.Concat(b.Controls).Where(available.Contains).Distinct(StringComparer.Ordinal)];
        }

    }
}
