using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Study.Analyses;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// Reads the regional-gap analyses of a study (docs/methods.md, "Composite indices and regional gaps"; docs/studies.md): <c>trends</c>,
/// <c>disparity</c>, <c>convergence</c> and <c>coupling</c>. Every variable, column, filter, weight and
/// variance estimator is checked here, before any work starts; an error is one line naming the key path,
/// e.g. <c>analyses[3].subsystems[1]</c>.
/// </summary>
internal static class StudyGaps
{
    /// <summary>Reads one analysis; its type says which keys it takes (<paramref name="keys"/>) and its default title.</summary>
    /// <param name="s">The section (its reader gives error formatting, the dataset, the variables, the region and unit columns and the baseline).</param>
    /// <param name="keys">What the type reads besides type, name and title.</param>
    /// <param name="defaultTitle">Its default title in English and Chinese.</param>
    public static AnalysisSpec Read(AnalysisSection s, GapsKeys keys, (string En, string Zh) defaultTitle)
    {
        var (a, at, kind, r) = (s.Node, s.At, s.Kind, s.Reader);
        var (y, frame, available, region, unit) = (r.Yaml, r.Frame, r.Available, r.Region, r.Unit);
        // The baseline's variance estimator is the default of β-convergence, its sample the default sample.
        var (vcov, filters) = (r.Baseline.Vcov, r.Baseline.Filters);
        y.Known(a, at + ".", ["type", "name", "title", .. keys.Extra]);
        bool Has(string k, out YamlNode v) => a.Children.TryGetValue(new YamlScalarNode(k), out v!);
        string name = r.Name(a, at, kind);
        string title = r.Title(a, at, defaultTitle.En, defaultTitle.Zh);

        string Var(YamlNode node, string key)
        {
            string v = y.Scalar(node, key, "a variable");
            return available.Contains(v) ? v : throw y.Error(node, key, $"unknown variable '{v}'; available: {string.Join(", ", available.Order(StringComparer.Ordinal))}");
        }
        ImmutableArray<string> Vars(YamlNode node, string key) => node is YamlSequenceNode seq
            ? [.. seq.Children.Select((n, i) => Var(n, $"{key}[{i}]"))]
            : throw y.Error(node, key, "expected a list of variables, e.g. [de, hqd]");

        string? variable = null;
        if (keys.Variable)
            variable = Has("variable", out var vn) ? Var(vn, at + ".variable") : throw y.Error(a, at + ".variable", "missing: the variable whose regional gaps are described (e.g. an index)");
        string by = region ?? unit;
        if (Has("by", out var bn))
        {
            by = y.Scalar(bn, at + ".by", "a grouping column");
            if (!frame.Has(by)) throw y.Error(bn, at + ".by", $"no column '{by}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}");
        }
        else if (region is null && keys.ByRegion)
            throw y.Error(a, at + ".by", $"{kind} groups by dataset.region by default and the study has no region: add dataset.region or give by: COLUMN");
        ImmutableArray<string> groups = [];
        if (Has("groups", out var gn))
        {
            var present = Core.Regression.GroupDifference.GroupValues(frame, by);
            var list = gn is YamlSequenceNode gs ? gs.Children : throw y.Error(gn, at + ".groups", $"expected a list of values of '{by}', e.g. [{string.Join(", ", present)}]");
            groups = [.. list.Select((g, k) =>
            {
                string v = y.Scalar(g, $"{at}.groups[{k}]", "a group value");
                return present.Contains(v) ? v : throw y.Error(g, $"{at}.groups[{k}]", $"no row has {by} = '{v}'; values: {string.Join(", ", present)}");
            })];
            for (int k = 0; k < groups.Length; k++)
                if (groups.IndexOf(groups[k]) != k) throw y.Error(list[k], $"{at}.groups[{k}]", $"'{groups[k]}' is listed twice");
            if (groups.Length == 0) throw y.Error(gn, at + ".groups", "expected at least one group (or leave the key out for every group)");
        }
        string? weight = Has("weight", out var wn) ? Var(wn, at + ".weight") : null;
        var sample = filters;
        if (Has("sample", out var sn))
        {
            if (sn is YamlScalarNode { Value: null or "" or "null" or "~" or "all" }) sample = [];
            else
            {
                string f = y.Scalar(sn, at + ".sample", "a filter such as \"municipality == 0\", or null for all rows");
                try
                {
                    if (RowFilter.Parse(f).Apply(frame).Count == 0) throw new InputException($"filter '{f}' keeps no row of the dataset");
                }
                catch (InputException e) { throw y.Error(sn, at + ".sample", e.Message); }
                sample = [f];
            }
        }
        ImmutableArray<string> subsystems = [];
        ImmutableArray<double> alpha = [];
        if (keys.Subsystems)
        {
            if (!Has("subsystems", out var sub)) throw y.Error(a, at + ".subsystems", "missing: the subsystem columns (two or more 0–1 scores, e.g. [de, hqd])");
            subsystems = Vars(sub, at + ".subsystems");
            if (subsystems.Length < 2) throw y.Error(sub, at + ".subsystems", $"coupling coordination needs two or more subsystems; found {subsystems.Length}");
            for (int i = 0; i < subsystems.Length; i++)
                if (subsystems.IndexOf(subsystems[i]) != i) throw y.Error(((YamlSequenceNode)sub).Children[i], $"{at}.subsystems[{i}]", $"'{subsystems[i]}' is listed twice");
            if (Has("weights", out var al))
            {
                var list = al is YamlSequenceNode ls ? ls.Children : throw y.Error(al, at + ".weights", "expected a list of contribution weights, one per subsystem, e.g. [0.5, 0.5]");
                alpha = [.. list.Select((n, i) =>
                {
                    double v = y.Double(n, $"{at}.weights[{i}]");
                    return v >= 0 && v <= 1 ? v : throw y.Error(n, $"{at}.weights[{i}]", $"expected a weight in [0, 1], found {v}");
                })];
                if (alpha.Length != subsystems.Length) throw y.Error(al, at + ".weights", $"expected one weight per subsystem ({subsystems.Length}), found {alpha.Length}");
                if (Math.Abs(alpha.Sum() - 1) > 1e-9) throw y.Error(al, at + ".weights", $"the weights must sum to 1; they sum to {alpha.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
        ImmutableArray<string> controls = [];
        string fe = "0", v2 = vcov;
        if (keys.Model)
        {
            if (Has("controls", out var cn)) controls = Vars(cn, at + ".controls");
            for (int i = 0; i < controls.Length; i++)
                if (controls[i] == variable) throw y.Error(((YamlSequenceNode)cn!).Children[i], $"{at}.controls[{i}]", $"'{variable}' is the converging variable; its lagged log is already the regressor");
            if (Has("fe", out var fn)) fe = y.FixedEffects(fn, at + ".fe", frame);
            if (Has("vcov", out var vc)) v2 = y.Vcov(vc, at + ".vcov", frame);
        }
        // Checked above: parsed here once, on the client; the run takes the typed filters, fixed effects and variance.
        ImmutableArray<RowFilter> typed = [.. sample.Select(RowFilter.Parse)];
        ImmutableArray<FixedEffect> effects = fe == "0" ? [] : [.. Formula.ParseFixedEffects(fe)];
        return new AnalysisSpec(name, kind, title, [], [], typed, [], null, null, new GapsSpec(variable, by, weight, typed, subsystems, alpha, controls, effects, VcovSpec.Parse(v2), groups));
    }
}

/// <summary>What a regional-gap analysis type reads besides type, name and title.</summary>
/// <param name="Extra">Its keys (unknown keys are refused).</param>
/// <param name="Variable">It needs <c>variable:</c>.</param>
/// <param name="ByRegion">It groups by the dataset's region unless given <c>by:</c> (a study without a region must give it).</param>
/// <param name="Subsystems">It reads <c>subsystems:</c> and their contribution <c>weights:</c> (coupling).</param>
/// <param name="Model">It reads the controls, fixed effects and variance estimator of conditional β-convergence.</param>
internal sealed record GapsKeys(string[] Extra, bool Variable, bool ByRegion, bool Subsystems, bool Model);
