using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>The models an analysis type planned from its section, with the terms that get rows besides the treatment.</summary>
/// <param name="Columns">One model per table column, in order.</param>
/// <param name="KeyTerms">The key terms (the treatment first).</param>
/// <param name="Heterogeneity">Heterogeneity: its grouping and tests.</param>
/// <param name="Mediation">Mediation: its style and mediators.</param>
internal sealed record ModelPlan(List<ModelColumn> Columns, List<string> KeyTerms, HeterogeneitySpec? Heterogeneity = null, MediationSpec? Mediation = null);

/// <summary>
/// An analysis whose table is a regression table of models varied from the baseline (regressions, robustness,
/// heterogeneity, mediation, moderation): the keys they share (name, title, show_controls, key_terms, table), the fit of
/// their models on the compute grain in one call, the regression table and the Hausman rows. A type adds its own keys,
/// its models (<see cref="Plan"/>) and what it appends to the table (<see cref="ExtendAsync"/>).
/// </summary>
internal abstract class ModelAnalysis : IAnalysisType
{
    /// <summary>The type's kind name.</summary>
    protected abstract string Kind { get; }

    public IReadOnlyList<string> Kinds => [Kind];

    /// <summary>Its definitions in docs/study.schema.json.</summary>
    public abstract IReadOnlyList<SchemaDefinition> Schema { get; }

    /// <summary>The keys of its section besides type, name, title, show_controls and key_terms.</summary>
    protected abstract string[] Keys { get; }

    /// <summary>Its default title in English and Chinese.</summary>
    protected abstract (string En, string Zh) DefaultTitle { get; }

    /// <summary>Controls get rows unless the study says show_controls: false (regressions); else they are one "Controls YES" row.</summary>
    protected virtual bool ShowControlsByDefault => false;

    /// <summary>The treatment's row gathers every form it takes across the columns (x and lag(x)): regressions and robustness.</summary>
    protected virtual bool TreatmentForms => false;

    /// <summary>The table has a dependent-variable row.</summary>
    protected virtual bool DependentVariableRow => false;

    /// <summary>The models of the analysis (read from its section; every model is checked afterwards).</summary>
    /// <param name="s">The section.</param>
    /// <param name="name">The analysis's name (model ids are NAME/column).</param>
    /// <param name="b">The baseline.</param>
    /// <param name="x">The treatment as it appears in the formula.</param>
    protected abstract ModelPlan Plan(AnalysisSection s, string name, Baseline b, string x);

    public AnalysisSpec Read(AnalysisSection s)
    {
        var (a, at, r) = (s.Node, s.At, s.Reader);
        var y = r.Yaml;
        string[] common = ["type", "name", "title", "show_controls", "key_terms"];
        y.Known(a, at + ".", [.. common, .. Keys]);
        string name = r.Name(a, at, Kind);
        string title = r.Title(a, at, DefaultTitle.En, DefaultTitle.Zh);
        var b = r.Baseline;
        string x = AnalysisReader.Term(b);
        var plan = Plan(s, name, b, x);
        var columns = plan.Columns;
        var keyTerms = plan.KeyTerms;
        foreach (var col in columns) r.Check(col.Model, a, at);
        // The treatment's row: every form it takes across the columns (e.g. x and lag(x)), in order of appearance.
        if (TreatmentForms)
            keyTerms = [.. columns.Select(c => AnalysisReader.TreatmentTerm(c.Model, b)).Where(t => t is not null).Select(t => t!).Distinct(StringComparer.Ordinal)];
        bool showControls = a.Children.TryGetValue(new YamlScalarNode("show_controls"), out var scn) ? y.Bool(scn, at + ".show_controls") : ShowControlsByDefault;
        ImmutableArray<string> keys = showControls ? [] : [.. keyTerms];
        if (a.Children.TryGetValue(new YamlScalarNode("key_terms"), out var ktn))
        {
            keys = r.Terms(ktn, at + ".key_terms");
            // The treatment listed: its other forms across the columns (lag(x) of a lagged variation) stay, reported on its row.
            if (TreatmentForms && keys.Contains(x))
                keys = [.. keys, .. keyTerms.Where(t => !keys.Contains(t))];
        }
        var (table, tableTitle) = r.CombinedTable(a, at);
        return new AnalysisSpec(name, Kind, title, [.. columns], [], [], keys, plan.Heterogeneity, plan.Mediation, null, table, tableTitle);
    }

    /// <summary>Fits the analysis's models on the compute grain and builds its table(s) and charts.</summary>
    public async Task<AnalysisOutput> RunAsync(AnalysisSpec a, IAnalysisRun run, CancellationToken ct)
    {
        var models = a.Columns.Select(c => c.Model).ToImmutableArray();
        var fitted = await run.FitAsync(a, models, ct);
        var fits = fitted.Fits;
        var failed = fits.Where(f => f.Error is not null).ToList();
        if (failed.Count > 0)
            throw new InputException($"analysis '{a.Name}': column ({fits.IndexOf(failed[0]) + 1}) '{failed[0].Formula}' could not be estimated: {failed[0].Error}");
        var words = new AnalysisWords(run.Study);
        Table table;
        try { table = RegressionTable.Build(fitted.Results, TableOptions(a, words, run.Study)); }
        catch (ArgumentException e) { throw new InputException($"analysis '{a.Name}': {e.Message.Split(" (Parameter", 2)[0]}"); }
        if (fits.Any(f => f.Hausman is not null))
            table = AnalysisBlocks.WithHausman(table, [.. fits.Select(f => f.Hausman is { } h ? new HausmanTest(h.Statistic, h.PValue, h.Note) : null)], words.Language);
        return await ExtendAsync(a, run, words, fitted, table, ct);
    }

    /// <summary>What the type adds to its regression table (rows, a second table, charts); by default the table alone.</summary>
    protected virtual Task<AnalysisOutput> ExtendAsync(AnalysisSpec a, IAnalysisRun run, AnalysisWords words, FittedModels fitted, Table table, CancellationToken ct) =>
        Task.FromResult(AnalysisOutput.Of(new AnalysisTable(a.Name, a.Name, table)));

    private RegressionTableOptions TableOptions(AnalysisSpec a, AnalysisWords words, StudyDefinition study) => new()
    {
        Title = a.Title,
        Stat = study.Tables?.Stat == "se" ? ParenthesisStat.Se : ParenthesisStat.T,
        R2 = study.Tables?.R2 == "lsdv" ? R2Kind.Lsdv : R2Kind.Within,
        KeyTerms = a.KeyTerms.IsDefaultOrEmpty ? null : [.. a.KeyTerms],
        Labels = words.Labels,
        Language = words.Language,
        UnitColumn = study.Dataset.Unit,
        TimeColumn = study.Dataset.Time,
        ColumnLabels = a.Columns.Any(c => c.Label.Length > 0) ? [.. a.Columns.Select(c => words.Labels.TryGetValue(c.Label, out var l) ? l : c.Label)] : null,
        DependentVariableRow = DependentVariableRow,
        MergeTransformed = TreatmentForms,
        EstimatorLabels = a.Columns.Any(c => c.Model.Hausman),
        ColumnGroups = a.Columns.Any(c => c.Group is not null) ? [.. a.Columns.Select(c => c.Group ?? "")] : null,
    };

    /// <summary>
    /// The coefficient plot of the key term across the columns (robustness variations, heterogeneity groups), with a
    /// reference line at the first column's estimate when <paramref name="reference"/> is set; null when no column has it.
    /// </summary>
    protected static AnalysisChart? CoefficientChart(AnalysisSpec a, AnalysisWords words, ImmutableArray<ModelFit> fits, bool reference)
    {
        var points = new List<CoefficientPoint>();
        for (int j = 0; j < fits.Length; j++)
        {
            var c = fits[j].Coefficients.FirstOrDefault(x => a.KeyTerms.Contains(x.Term) || x.Term == a.Heterogeneity?.Term);
            if (c is not null) points.Add(new CoefficientPoint($"({j + 1}) {words.Label(a.Columns[j].Label)}", c.Estimate, c.ConfLow, c.ConfHigh));
        }
        if (points.Count == 0) return null;
        bool zh = words.Zh;
        var options = new CoefficientPlotOptions
        {
            Title = a.Title,
            EstimateAxis = zh ? "估计系数（95%置信区间）" : "Estimate (95% CI)",
            Reference = reference ? points[0].Estimate : null,
            ReferenceLabel = zh ? "基准" : "Baseline",
        };
        // Its caption names what it shows: the table's title alone listed the table twice in the contents.
        string caption = zh ? $"{a.Title}：估计系数及95%置信区间" : $"{a.Title}: estimates with 95% confidence intervals";
        return new AnalysisChart($"{a.Name}_coefficients", caption, o => CoefficientPlot.Render(points, options, o));
    }
}
