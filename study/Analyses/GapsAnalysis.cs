using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// A regional-gap analysis (contracts/Gaps.cs; docs/methods.md, "Composite indices and regional gaps"): every number from
/// core's <see cref="Disparity"/> / <see cref="RegionalGaps"/> on the prepared panel (one pass over 10²–10³ rows, no grain
/// work worth distributing), as reporting's <see cref="GapTables"/> and trend charts.
/// </summary>
internal abstract class GapsAnalysis : IAnalysisType
{
    /// <summary>The type's kind name.</summary>
    protected abstract string Kind { get; }

    public IReadOnlyList<string> Kinds => [Kind];

    /// <summary>Its definitions in docs/study.schema.json.</summary>
    public abstract IReadOnlyList<SchemaDefinition> Schema { get; }

    /// <summary>What its section takes.</summary>
    protected abstract GapsKeys Keys { get; }

    /// <summary>Its default title in English and Chinese.</summary>
    protected abstract (string En, string Zh) DefaultTitle { get; }

    /// <summary>Its tables and chart lines.</summary>
    protected abstract GapOutput Compute(AnalysisSpec a, GapsSpec g, IAnalysisRun run, GapWords w);

    public AnalysisSpec Read(AnalysisSection section) => StudyGaps.Read(section, Keys, DefaultTitle);

    public Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var words = new AnalysisWords(run.Study);
        var w = new GapWords(words.Language, words.Labels);
        GapOutput output;
        try { output = Compute(a, a.Gaps!, run, w); }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            throw new InputException($"analysis '{a.Name}': {e.Message}");
        }
        var tables = output.Tables.Select(t => new AnalysisTable(a.Name, a.Name + t.Suffix, t.Table)).ToList();
        var charts = output.Charts.Select(c =>
        {
            var options = new TrendChartOptions { Title = c.Title, TimeAxis = w.Word("Year", "年份"), ValueAxis = c.Axis };
            return new AnalysisChart(a.Name + c.Suffix, c.Title, o => TrendChart.Render(c.Series, options, o));
        }).ToList();
        return Task.FromResult(new AnalysisOutput(tables, charts));
    }

    /// <summary>The groups the analysis lists (empty: every group).</summary>
    protected static IReadOnlyList<string> Listed(GapsSpec g) => g.Groups.IsDefault ? [] : g.Groups;

    /// <summary>The rows passing every filter and, when the analysis lists groups, in one of them.</summary>
    protected static Panel Subset(Panel panel, ImmutableArray<RowFilter> filters, GapsSpec? g = null)
    {
        IEnumerable<int> rows = Enumerable.Range(0, panel.RowCount);
        if (g is { Groups.IsDefaultOrEmpty: false })
        {
            var by = panel.Frame[g.By];
            rows = rows.Where(i => by.TextAt(i) is { } v && g.Groups.Contains(v));
        }
        foreach (var f in filters)
        {
            var keep = f.Apply(panel.Frame).ToHashSet();
            rows = rows.Where(keep.Contains);
        }
        return panel.Subset([.. rows]);
    }
}

/// <summary><c>type: trends</c>: periods × groups, the (weighted) mean of the variable.</summary>
internal sealed class TrendsAnalysis : GapsAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        AnalysisSchema.Gaps,
        new("analysis_trends", """
        "analysis_trends": {
          "description": "Regional gaps (design 4): the (weighted) mean of the variable per year and group, then all units kept; a line chart.",
          "type": "object", "additionalProperties": false, "required": ["type", "variable"],
          "properties": {
            "type": { "description": "trends", "enum": ["trends"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "variable": { "description": "The measure (required).", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "by": { "$ref": "#/definitions/gap_by" }, "groups": { "$ref": "#/definitions/gap_groups" },
            "weight": { "description": "Weights of the mean Σwy/Σw (default: none, the plain mean).", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "sample": { "$ref": "#/definitions/gap_sample" }
          }
        }
        """),
    ];

    protected override string Kind => "trends";

    protected override GapsKeys Keys => new(["variable", "by", "groups", "weight", "sample"], Variable: true, ByRegion: true, Subsystems: false, Model: false);

    protected override (string En, string Zh) DefaultTitle => ("Trends by region", "分区域时序演变");

    protected override GapOutput Compute(AnalysisSpec a, GapsSpec g, IAnalysisRun run, GapWords w) =>
        GapTables.Trends(a.Title, RegionalGaps.Means(Subset(run.Panel, g.Filters, g), g.Variable!, g.By, g.Weight, GapWords.AllGroups), g.Variable!, g.By, g.Weight, Listed(g), w);
}

/// <summary><c>type: disparity</c>: per period CV and Theil T, Dagum's Gini decomposition and the between-group Ginis.</summary>
internal sealed class DisparityAnalysis : GapsAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        AnalysisSchema.Gaps,
        new("analysis_disparity", """
        "analysis_disparity": {
          "description": "Regional gaps (design 4): per year CV and the Theil index split within/between groups, the Dagum Gini decomposition and the between-group Ginis.",
          "type": "object", "additionalProperties": false, "required": ["type", "variable"],
          "properties": {
            "type": { "description": "disparity", "enum": ["disparity"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "variable": { "description": "The measure (required; positive: the Theil index takes logs).", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "by": { "$ref": "#/definitions/gap_by" }, "groups": { "$ref": "#/definitions/gap_groups" },
            "weight": { "description": "Weights of the Theil index, e.g. population (default: none); CV, sd(ln) and the Dagum Gini stay unweighted.", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "sample": { "$ref": "#/definitions/gap_sample" }
          }
        }
        """),
    ];

    protected override string Kind => "disparity";

    protected override GapsKeys Keys => new(["variable", "by", "groups", "weight", "sample"], Variable: true, ByRegion: true, Subsystems: false, Model: false);

    protected override (string En, string Zh) DefaultTitle => ("Regional disparities and their sources", "区域差异及其来源");

    protected override GapOutput Compute(AnalysisSpec a, GapsSpec g, IAnalysisRun run, GapWords w)
    {
        var list = RegionalGaps.Disparities(Subset(run.Panel, g.Filters, g), g.Variable!, g.By, g.Weight);
        if (list.Count == 0) throw new InputException($"no period has two or more observed values of '{g.Variable}'");
        return GapTables.Disparities(a.Title, list, g.Variable!, g.By, g.Weight, Listed(g), w);
    }
}

/// <summary><c>type: convergence</c>: β-convergence (absolute; conditional when controls or FE are given) and the σ series.</summary>
internal sealed class ConvergenceAnalysis : GapsAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        AnalysisSchema.Gaps,
        new("analysis_convergence", """
        "analysis_convergence": {
          "description": "Regional gaps (design 4): σ-convergence per year and β-convergence Δln y(t) = α + β ln y(t−1) (+ controls) (+ FE), absolute and conditional.",
          "type": "object", "additionalProperties": false, "required": ["type", "variable"],
          "properties": {
            "type": { "description": "convergence", "enum": ["convergence"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "variable": { "description": "The measure (required; positive: it is logged).", "allOf": [{ "$ref": "#/definitions/variable" }] },
            "sample": { "$ref": "#/definitions/gap_sample" },
            "controls": { "description": "Controls of conditional β-convergence, not the variable itself (default []); with controls or fe a second column is added.", "allOf": [{ "$ref": "#/definitions/variables" }] },
            "fe": { "description": "Fixed effects of the conditional column (default \"0\": none).", "allOf": [{ "$ref": "#/definitions/fixed_effects" }] },
            "vcov": { "description": "Variance estimator of both β columns (default: the baseline's).", "allOf": [{ "$ref": "#/definitions/vcov" }] }
          }
        }
        """),
    ];

    protected override string Kind => "convergence";

    protected override GapsKeys Keys => new(["variable", "sample", "controls", "fe", "vcov"], Variable: true, ByRegion: false, Subsystems: false, Model: true);

    protected override (string En, string Zh) DefaultTitle => ("Convergence", "收敛性检验");

    protected override GapOutput Compute(AnalysisSpec a, GapsSpec g, IAnalysisRun run, GapWords w)
    {
        var panel = run.Panel;
        var options = new EstimationOptions { Vcov = g.Vcov, Filters = [.. g.Filters], DropSingletons = !run.Study.KeepSingletons };
        var fits = new List<BetaConvergence> { Disparity.Beta(panel, g.Variable!, (IReadOnlyList<Expr>)[], [], options) };
        IReadOnlyList<Expr> controls = [.. g.Controls.Select(c => new VarExpr(c))]; // data columns, checked by the client
        IReadOnlyList<FixedEffect> effects = g.Fe.IsDefault ? [] : g.Fe;
        if (controls.Count > 0 || effects.Count > 0) fits.Add(Disparity.Beta(panel, g.Variable!, controls, effects, options));
        var sample = Subset(panel, g.Filters);
        var sigma = Disparity.SigmaConvergence(sample, sample.Frame.Numeric(g.Variable!));
        return GapTables.Convergence(a.Title, fits, sigma, g.Variable!, g.Controls.Length > 0, g.FeText, g.Vcov.ToString(), run.Study.Tables?.Stat == "se", w);
    }
}

/// <summary><c>type: coupling</c>: per period and group the mean coupling C, development T and coordination D with the grade of the mean D.</summary>
internal sealed class CouplingAnalysis : GapsAnalysis
{
    public override IReadOnlyList<SchemaDefinition> Schema =>
    [
        AnalysisSchema.Common,
        AnalysisSchema.Gaps,
        new("analysis_coupling", """
        "analysis_coupling": {
          "description": "Regional gaps (design 4): coupling C, development T and coordination D = √(C·T) of two or more subsystems per year and group, with the grade of the mean D.",
          "type": "object", "additionalProperties": false, "required": ["type", "subsystems"],
          "properties": {
            "type": { "description": "coupling", "enum": ["coupling"] },
            "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" },
            "subsystems": { "description": "The subsystem scores U_k, each in [0, 1] (e.g. two entropy indices): two or more, each once.", "type": "array", "items": { "$ref": "#/definitions/variable" }, "minItems": 2, "uniqueItems": true },
            "weights": { "description": "Contribution weights α_k of T, one per subsystem, each in [0, 1], summing to 1 (default: equal); the count and the sum are checked by the loader.", "type": "array", "items": { "type": "number", "minimum": 0, "maximum": 1 }, "minItems": 2 },
            "by": { "$ref": "#/definitions/gap_by" }, "groups": { "$ref": "#/definitions/gap_groups" },
            "sample": { "$ref": "#/definitions/gap_sample" }
          }
        }
        """),
    ];

    protected override string Kind => "coupling";

    protected override GapsKeys Keys => new(["subsystems", "weights", "by", "groups", "sample"], Variable: false, ByRegion: true, Subsystems: true, Model: false);

    protected override (string En, string Zh) DefaultTitle => ("Coupling coordination", "耦合协调度");

    protected override GapOutput Compute(AnalysisSpec a, GapsSpec g, IAnalysisRun run, GapWords w) =>
        GapTables.Coupling(a.Title, RegionalGaps.Coupling(Subset(run.Panel, g.Filters, g), g.Subsystems, g.By, g.Alpha.IsDefaultOrEmpty ? null : g.Alpha, GapWords.AllGroups),
            g.Subsystems, g.Alpha.IsDefault ? [] : g.Alpha, Listed(g), w);
}
