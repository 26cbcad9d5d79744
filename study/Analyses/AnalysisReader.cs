using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>The baseline specification every model analysis varies (the study's <c>baseline:</c> section).</summary>
internal sealed record Baseline(string Outcome, string Treatment, ImmutableArray<string> Controls, string Fe, string Vcov, ImmutableArray<string> Filters,
    string? Estimator, ImmutableArray<string> Winsorize, ImmutableArray<string> Instruments, bool Lag, string? Weights = null);

/// <summary>
/// What every analysis type reads the same way: error formatting, the dataset, the variables a formula may name, the
/// baseline, and checked variables, terms, filters, estimators, weights and models built from the baseline; every error is
/// one line naming the key path, e.g. <c>analyses[2].mediators[0]</c>.
/// </summary>
/// <param name="y">Error formatting.</param>
/// <param name="frame">The dataset (for group values and filter checks).</param>
/// <param name="available">Every variable a formula may name: data columns, derived columns, index names.</param>
/// <param name="unit">The unit column (default cluster and Hausman unit effects).</param>
/// <param name="zh">Chinese default titles and labels.</param>
/// <param name="region">The region column: the default grouping of the regional-gap analyses.</param>
internal sealed class AnalysisReader(StudyYaml y, DataFrame frame, IReadOnlySet<string> available, string unit, bool zh, string? region)
{
    private static readonly string[] ModelKeys = ["label", "group", "outcome", "treatment", "controls", "add", "fe", "vcov", "sample", "filter", "estimator", "winsorize", "lag", "instruments", "formula", "hausman", "weights"];

    /// <summary>Error formatting and typed values.</summary>
    public StudyYaml Yaml => y;

    /// <summary>The dataset.</summary>
    public DataFrame Frame => frame;

    /// <summary>Every variable a formula may name.</summary>
    public IReadOnlySet<string> Available => available;

    /// <summary>The unit column.</summary>
    public string Unit => unit;

    /// <summary>The region column, or null.</summary>
    public string? Region => region;

    /// <summary>Chinese default titles and labels.</summary>
    public bool Zh => zh;

    /// <summary>The study's baseline (set once it is read).</summary>
    public Baseline Baseline { get; private set; } = null!;

    /// <summary>An analysis's <c>name:</c> (default: its kind): letters, digits, - and _ (it names the table files).</summary>
    public string Name(YamlMappingNode a, string at, string kind)
    {
        string name = a.Children.TryGetValue(new YamlScalarNode("name"), out var nn) ? y.Scalar(nn, at + ".name", "a name") : kind;
        if (name.Length == 0 || name.Any(ch => !(char.IsLetterOrDigit(ch) || ch is '_' or '-')))
            throw y.Error(nn ?? a, at + ".name", "use letters, digits, - and _ only (it names the table files)");
        return name;
    }

    /// <summary>An analysis's <c>title:</c>, or its type's default title in the study's language.</summary>
    public string Title(YamlMappingNode a, string at, string en, string zhTitle) =>
        a.Children.TryGetValue(new YamlScalarNode("title"), out var ti) ? y.Scalar(ti, at + ".title", "a caption") : zh ? zhTitle : en;

    /// <summary>The <c>baseline:</c> section (checked as a model of its own).</summary>
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
        Baseline = b;
        return b;
    }

    /// <summary>
    /// The <c>table:</c> key of a regression-type analysis: the name of a combined table (<c>table: heterogeneity</c>) or
    /// <c>{ name: heterogeneity, title: 表7 异质性分析 }</c>; (null, null) without it.
    /// </summary>
    public (string? Name, string? Title) CombinedTable(YamlMappingNode a, string at)
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

    public static string Label(string v) => v;

    /// <summary>A table column: what changes from the baseline.</summary>
    public ModelColumn Column(YamlNode node, string at, Baseline b, string id, string? label)
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
    public static string? TreatmentTerm(AnalysisModel m, Baseline b)
    {
        var f = m.Model.Formula;
        return f.Endogenous.Concat(f.Regressors).FirstOrDefault(r => r.Columns.Contains(b.Treatment))?.Text ?? f.Endogenous.Concat(f.Regressors).FirstOrDefault()?.Text;
    }

    /// <summary>sample replaces the baseline's filters; filter adds to them.</summary>
    public ImmutableArray<string> Filters(YamlMappingNode m, string at, Baseline b)
    {
        var f = m.Children.TryGetValue(new YamlScalarNode("sample"), out var s) ? Filter(s, at + ".sample") : b.Filters;
        if (m.Children.TryGetValue(new YamlScalarNode("filter"), out var add)) f = [.. f, .. Filter(add, at + ".filter")];
        return f;
    }

    /// <summary>The treatment as it appears in the formula (lagged when the baseline or column says so).</summary>
    public static string Term(Baseline b) => b.Lag ? $"lag({b.Treatment})" : b.Treatment;

    /// <summary>
    /// The model of a baseline, built as a formula tree from its parts (the terms were checked when read; nothing
    /// is printed to be parsed): y ~ treatment + controls + add | fe, or with instruments
    /// y ~ controls + add | fe | treatment ~ instruments.
    /// </summary>
    public AnalysisModel Model(Baseline b, string id, bool hausman, YamlNode node, string at, IReadOnlyList<string>? add = null)
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

    /// <summary>weights: a numeric column (analytic weights, docs/methods.md "Weights"), or none for an unweighted model.</summary>
    public string? WeightsColumn(YamlNode node, string at)
    {
        string w = y.Scalar(node, at, "a numeric weight column, or none");
        if (w == "none") return null;
        if (!frame.Has(w)) throw y.Error(node, at, $"no column '{w}'; available columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}");
        if (frame[w].Values is null) throw y.Error(node, at, $"weight column '{w}' is not numeric");
        return w;
    }

    /// <summary>An analysis model from the parts the study reader checked (estimator name, variance and filters as validated text).</summary>
    public static AnalysisModel Typed(string id, Formula formula, string? estimator, string vcov, ImmutableArray<string> filters, ImmutableArray<string> winsorize, bool hausman, string? weights) =>
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
    public void Check(AnalysisModel model, YamlNode node, string at)
    {
        var f = model.Model.Formula;
        foreach (var col in f.Columns.Concat(f.FixedEffects.SelectMany(x => x.Columns)).Distinct(StringComparer.Ordinal))
            if (!available.Contains(col)) throw y.Error(node, at, $"the model '{f.Source}' names unknown variable '{col}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
        if (f.Regressors.Concat(f.Endogenous).Any(r => r.Columns.Contains(f.Response.Text)))
            throw y.Error(node, at, $"the model '{f.Source}' has its outcome '{f.Response.Text}' among its regressors");
        if (model.Hausman && f.IsIv) throw y.Error(node, at + ".hausman", "the Hausman test compares FE and RE fits; it does not apply to an IV column");
    }

    public YamlNode Need(YamlMappingNode m, string key, string at) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw y.Error(m, $"{at}.{key}", "missing");

    public string Var(YamlNode node, string at)
    {
        string v = y.Scalar(node, at, "a variable");
        return available.Contains(v) ? v : throw y.Error(node, at, $"unknown variable '{v}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
    }

    public ImmutableArray<string> Vars(YamlNode node, string at) => node is YamlSequenceNode s
        ? [.. s.Children.Select((n, i) => Var(n, $"{at}[{i}]"))]
        : throw y.Error(node, at, "expected a list of variables, e.g. [gov, market]");

    /// <summary>Terms as formulas take them (log(x), lag(x,2), a:b): each must parse and name known variables.</summary>
    public ImmutableArray<string> Terms(YamlNode node, string at) => node is YamlSequenceNode s
        ? [.. s.Children.Select((n, i) => TermOf(n, $"{at}[{i}]"))]
        : throw y.Error(node, at, "expected a list of terms, e.g. [lag(x), log(z)]");

    /// <summary>One term as formulas take it (log(x), lag(x,2), a:b): it must parse and name known variables; its canonical text.</summary>
    public string TermOf(YamlNode n, string at)
    {
        string t = y.Scalar(n, at, "a term such as log(x), lag(x, 2) or a:b");
        Expr term;
        try { term = Formula.ParseTerm(t); }
        catch (InputException e)
        {
            throw y.Error(n, at, t.Contains('+', StringComparison.Ordinal) ? $"'{t}' is not one term; write each term as its own list entry" : $"'{t}' is not a term: {e.Message}");
        }
        foreach (var col in term.Columns)
            if (!available.Contains(col)) throw y.Error(n, at, $"unknown variable '{col}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
        return term.Text;
    }

    public ImmutableArray<string> Filter(YamlNode node, string at)
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

    public string Estimator(YamlNode node, string at)
    {
        string e = y.Scalar(node, at, "ols, within, re, iv-2sls or iv-gmm2s");
        try { return Estimation.Name(Estimation.ParseName(e)); }
        catch (InputException) { throw y.Error(node, at, $"expected ols, within, re, iv-2sls or iv-gmm2s, found '{e}'"); }
    }

    /// <summary>winsorize: true (outcome, treatment and controls that are plain columns), false, or a list of columns.</summary>
    public ImmutableArray<string> Winsor(YamlNode node, string at, Baseline b)
    {
        if (node is YamlSequenceNode) return Vars(node, at);
        if (!y.Bool(node, at)) return [];
        return [.. new[] { b.Outcome, b.Treatment }.Concat(b.Controls).Where(available.Contains).Distinct(StringComparer.Ordinal)];
    }
}
