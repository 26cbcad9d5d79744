using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// <c>type: heterogeneity</c>: the baseline in each group of a categorical column, with the tests of coefficient differences
/// between the groups: the Chow-type Wald test in the fully interacted model (one fit, here) and the Fisher permutation test
/// (blocks on the compute grain) — of all groups at once (difference for two groups, range for more) and, with more than
/// two groups, of every pair (then a second table, NAME_differences, lists the pairs).
/// </summary>
internal sealed class HeterogeneityAnalysis : ModelAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        new("analysis_heterogeneity", """
        "analysis_heterogeneity": {
          "description": "The baseline in each group, with the Chow and Fisher permutation tests of coefficient differences.",
          "type": "object", "additionalProperties": false, "required": ["type", "by"],
          "properties": {
            "type": { "description": "heterogeneity", "enum": ["heterogeneity"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "show_controls": { "$ref": "#/definitions/show_controls" }, "key_terms": { "$ref": "#/definitions/key_terms" }, "table": { "$ref": "#/definitions/analysis_table" },
            "by": { "description": "The categorical column.", "type": "string", "minLength": 1 },
            "groups": { "description": "Its values, in column order (default: all); at least two.", "type": "array", "items": { "$ref": "#/definitions/text_value" }, "minItems": 2 },
            "permutations": { "description": "Fisher permutations per test (default 1000; 0: none).", "type": "integer", "minimum": 0, "maximum": 1000000 },
            "chunk": { "description": "Permutations per grain call (default 100); never changes a byte of the results.", "type": "integer", "minimum": 1, "maximum": 1000000 }
          }
        }
        """),
    ];

    protected override string Kind => "heterogeneity";

    protected override string[] Keys => ["by", "groups", "permutations", "chunk", "table"];

    protected override (string En, string Zh) DefaultTitle => ("Heterogeneity", "异质性分析");

    protected override bool DependentVariableRow => true;

    protected override ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        var frame = r.Frame;
        var columns = new List<ModelColumn>();
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
        long perms = y.OptLong(a, "permutations", at + ".", GroupDifference.DefaultPermutations), chunk = y.OptLong(a, "chunk", at + ".", 100);
        if (perms < 0 || perms > 1_000_000) throw y.Error(a, at + ".permutations", "expected 0 (none) to 1000000 permutations");
        if (chunk < 1 || chunk > 1_000_000) throw y.Error(a, at + ".chunk", "expected 1 to 1000000 permutations per grain call");
        foreach (var g in groups)
            columns.Add(new ModelColumn(g, by, r.Model(b with { Filters = [.. b.Filters, RowFilter.Equal(by, g).Text] }, $"{name}/{columns.Count + 1}", false, a, at)));
        var het = new HeterogeneitySpec(by, groups, x, r.Model(b, $"{name}/baseline", false, a, at), (int)perms, (int)chunk);
        return new ModelPlan(columns, [x], Heterogeneity: het);
    }

    protected override async Task<AnalysisOutput> ExtendAsync(AnalysisSpec a, IAnalysisRun run, AnalysisWords words, FittedModels fitted, Table table, CancellationToken ct)
    {
        var h = a.Heterogeneity!;
        var panel = h.Baseline.Model.Winsorize.IsDefaultOrEmpty ? run.Panel : run.Winsorized(h.Baseline.Model.Winsorize);
        var formula = h.Baseline.Model.Formula;
        // Groups not in the analysis are left out of the tests (the filters of a pair leave out the others too).
        RowFilter[] Excluding(IEnumerable<string> keep)
        {
            var kept = keep.ToHashSet(StringComparer.Ordinal);
            return [.. GroupDifference.GroupValues(panel.Frame, h.By).Where(v => !kept.Contains(v)).Select(v => RowFilter.NotEqual(h.By, v))];
        }
        AnalysisModel On(IEnumerable<string> groups) => h.Baseline with { Model = h.Baseline.Model with { Filters = [.. h.Baseline.Model.Filters, .. Excluding(groups)] } };
        GroupChowResult chow;
        try { chow = GroupDifference.Chow(panel, formula, h.By, [h.Term], On(h.Groups).Model.Options()); }
        catch (Exception e) when (e is InputException or EstimationException) { throw new InputException($"analysis '{a.Name}': Chow test by '{h.By}': {e.Message}"); }
        var tests = new List<(string Name, ImmutableArray<string> Groups)> { ("all", h.Groups) };
        // Pairs in the tests' own order of groups (GroupValues: numbers ascending, text ordinal), as the Chow
        // contrasts and the permutation statistic b_first − b_second take them; pairs named in the study's
        // order left the pairs it lists the other way round without their permutation p-values.
        var ordered = chow.Groups.Where(h.Groups.Contains).ToList();
        if (ordered.Count > 2)
            for (int i = 0; i < ordered.Count; i++)
                for (int j = i + 1; j < ordered.Count; j++) tests.Add(($"{ordered[i]}-{ordered[j]}", [ordered[i], ordered[j]]));
        var perm = new Dictionary<string, PermutationTest>(StringComparer.Ordinal);
        IReadOnlyList<PermutationBlock> allBlocks = [];
        if (h.Permutations > 0)
        {
            foreach (var (name, groups) in tests)
            {
                var model = On(groups);
                var observed = GroupDifference.Observe(panel, formula, h.By, [h.Term], model.Model.Options());
                var done = await run.PermuteAsync(a, name, model, h.By, groups, h.Term, h.Permutations, h.Chunk, observed, ct);
                perm[name] = GroupDifference.Combine(observed, done)[0];
                if (name == "all") allBlocks = done;
            }
        }
        var main = AnalysisBlocks.WithGroupTests(table, chow.TermTests[0].Test, perm.GetValueOrDefault("all"), h.Permutations, words.Language);
        var tables = new List<AnalysisTable> { new(a.Name, a.Name, main) };
        if (h.Groups.Length > 2)
            tables.Add(new AnalysisTable(a.Name, a.Name + "_differences", AnalysisBlocks.GroupDifferences(a.Title, chow.Differences, perm, h.Permutations, words.GroupLabel, words.Language)));
        var charts = new List<AnalysisChart>();
        if (CoefficientChart(a, words, fitted.Fits, reference: false) is { } coefficients) charts.Add(coefficients);
        if (perm.TryGetValue("all", out var all))
        {
            // The draws as permutations.parquet holds them (a draw that is not finite is missing there).
            var draws = allBlocks.SelectMany(b => b.Draws[0]).Select(d => double.IsFinite(d) ? d : double.NaN).ToList();
            if (draws.Count > 0) charts.Add(PermutationChart(a, words, draws, all.Observed));
        }
        return new AnalysisOutput(tables, charts);
    }

    private static AnalysisChart PermutationChart(AnalysisSpec a, AnalysisWords words, List<double> draws, double observed)
    {
        bool zh = words.Zh;
        string title = zh ? $"{a.Title}：组间差异的置换分布" : $"{a.Title}: permutation distribution of the group difference";
        var dist = new DistributionChartOptions
        {
            Title = title,
            ValueAxis = zh ? "组间系数差异（两组之差或极差）" : "Coefficient difference (two groups) or range",
            CountAxis = zh ? "频数" : "Count",
            DrawsLabel = zh ? "置换（n = {0}）" : "Permutations (n = {0})",
            ObservedLabel = zh ? "实际值 = {0}" : "Observed = {0}",
        };
        return new AnalysisChart($"{a.Name}_permutations", title, o => DistributionChart.Render(draws, observed, dist, o));
    }
}
