using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Store;

namespace DigitalEconomy.Study;

/// <summary>
/// The checks of a study against a dataset, as functions of values rather than of YAML nodes: each returns what is
/// wrong (the text after the key path of the loader's one-line error) or null. <see cref="StudyLoader"/> and
/// <see cref="StudyYaml"/> call them and put the file, line and key in front; <see cref="Recheck(StudyDefinition, DataFrame)"/>
/// calls the same ones on a study already loaded, against the dataset version a scheduled or inbox run is about to read
/// (docs/schedules.md), so the two cannot drift apart.
/// </summary>
internal static class StudyCheck
{
    /// <summary>At most this many problems are named by a re-check (the rest are counted), to keep the run-log note one readable line.</summary>
    public const int MaxProblems = 5;

    /// <summary>A variable a grid or analysis names: known (data column, derived column, index), and numeric when it is a data column.</summary>
    public static string? Variable(string name, IReadOnlySet<string> available, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(available);
        if (!available.Contains(name)) return $"unknown variable '{name}'; available: {Sorted(available)}";
        return Numeric(name, frame);
    }

    /// <summary>A data column that must exist (unit, time, region, a fixed-effect factor, a grouping column).</summary>
    public static string? Column(string name, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.Has(name) ? null : $"no column '{name}'; available columns: {ColumnList(frame)}";
    }

    /// <summary>A data column a formula evaluates as numbers: a text column says which cell is not a number (derived and index columns are numeric by construction).</summary>
    public static string? Numeric(string name, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.Has(name) || frame[name].IsNumeric) return null;
        try { frame.Numeric(name); }
        catch (InputException e) { return $"'{name}' is not numeric ({e.Message})"; }
        return null;
    }

    /// <summary>A column dataset.interpolate fills: it must be a numeric data column.</summary>
    public static string? Interpolated(string name, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.Has(name) && frame[name].IsNumeric ? null
            : $"'{name}' is not a numeric column; numeric columns: {string.Join(", ", frame.Columns.Where(x => x.IsNumeric).Select(x => x.Name))}";
    }

    /// <summary>An indicator of an index: a data column or a derived one.</summary>
    public static string? Indicator(string code, DataFrame frame, IReadOnlyCollection<string> derived)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(derived);
        return frame.Has(code) || derived.Contains(code) ? null : $"indicator '{code}' has no column in the dataset; available columns: {ColumnList(frame)}";
    }

    /// <summary>Fixed effects such as "unit + year" or "firm + sector^year": every factor a data column ("0" or empty: none).</summary>
    public static string? FixedEffects(string fe, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(fe);
        fe = fe.Trim();
        if (fe == "0" || fe.Length == 0) return null;
        foreach (var factor in fe.Split('+', StringSplitOptions.TrimEntries))
            foreach (var col in factor.Split('^', StringSplitOptions.TrimEntries))
            {
                if (col.Length == 0) return $"'{fe}' has an empty factor; expected factors joined by + (an interaction a^b), e.g. \"province + year\", or \"0\"";
                if (Column(col, frame) is { } wrong) return wrong;
            }
        return null;
    }

    /// <summary>A variance estimator (iid, hc1, cluster:COL[,COL] …) that parses and whose cluster columns are in the dataset.</summary>
    public static string? Vcov(string vcov, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        VcovSpec spec;
        try { spec = VcovSpec.Parse(vcov); }
        catch (InputException e) { return e.Message; }
        return Clusters(spec, frame);
    }

    /// <summary>A parsed variance estimator's cluster columns, each a data column.</summary>
    public static string? Clusters(VcovSpec vcov, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(vcov);
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var col in vcov.ClusterColumns)
            if (!frame.Has(col)) return $"no cluster column '{col}'; available columns: {ColumnList(frame)}";
        return null;
    }

    /// <summary>A sample filter ("region == East"): it parses, its columns exist, and it keeps some row of the dataset.</summary>
    public static string? Filter(RowFilter filter, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(filter);
        try
        {
            if (filter.Apply(frame).Count == 0) return $"filter '{filter.Text}' keeps no row of the dataset";
        }
        catch (InputException e) { return e.Message; }
        return null;
    }

    /// <summary>A filter as written: it parses, and it keeps some row of the dataset.</summary>
    public static string? Filter(string filter, DataFrame frame)
    {
        try
        {
            if (RowFilter.Parse(filter).Apply(frame).Count == 0) return $"filter '{filter}' keeps no row of the dataset";
        }
        catch (InputException e) { return e.Message; }
        return null;
    }

    /// <summary>An analytic-weight column: known, and numeric.</summary>
    public static string? Weights(string column, IReadOnlySet<string> available, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(frame);
        if (!available.Contains(column)) return $"unknown variable '{column}'; available: {Sorted(available)}";
        return frame.Has(column) && frame[column].Values is null ? $"weight column '{column}' is not numeric" : null;
    }

    /// <summary>An instrument of the grid's IV estimators: every column it reads is a data column.</summary>
    public static string? Instrument(Expr term, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var col in term.Columns)
            if (!frame.Has(col)) return $"unknown variable '{col}'; available: {string.Join(", ", frame.Columns.Select(c => c.Name).Order(StringComparer.Ordinal))}";
        return term.Columns.Select(c => Numeric(c, frame)).FirstOrDefault(w => w is not null);
    }

    /// <summary>
    /// A typed model of an analysis: every column of its formula known (numeric where the formula evaluates it), its fixed
    /// effects, cluster columns and filters fit the data, its weights and winsorised columns numeric.
    /// </summary>
    public static string? Model(ModelSpec model, IReadOnlySet<string> available, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(available);
        var f = model.Formula;
        foreach (var col in f.Columns)
            if (!available.Contains(col)) return $"the model '{f.Source}' names unknown variable '{col}'; available: {Sorted(available)}";
        var evaluated = f.Response.Columns.Concat(f.Regressors.SelectMany(e => e.Columns)).Concat(f.Endogenous.SelectMany(e => e.Columns)).Concat(f.Instruments.SelectMany(e => e.Columns))
            .Concat(model.Winsorize.IsDefault ? [] : model.Winsorize);
        foreach (var col in evaluated.Distinct(StringComparer.Ordinal))
            if (Numeric(col, frame) is { } wrong) return $"the model '{f.Source}': {wrong}";
        foreach (var v in model.Variances.IsDefault ? [] : model.Variances)
            if (Clusters(v, frame) is { } wrong) return wrong;
        foreach (var filter in model.Filters.IsDefault ? [] : model.Filters)
            if (Filter(filter.Text, frame) is { } wrong) return wrong;
        return model.Weights is { } w ? Weights(w, available, frame) : null;
    }

    /// <summary>
    /// Re-checks a loaded study against the data file its dataset now resolves to (<see cref="DatasetSpec.Path"/>, read in
    /// the study's encoding): what no longer fits, one "key: what" per problem (see <see cref="Recheck(StudyDefinition, DataFrame)"/>).
    /// </summary>
    /// <exception cref="InputException">The file cannot be read.</exception>
    public static ImmutableArray<string> Recheck(StudyDefinition study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return Recheck(study, DatasetFile.Read(study.Dataset.Path, study.Dataset.Encoding));
    }

    /// <summary>
    /// Re-checks a loaded study against a dataset (a newer version than the one it was loaded against): the dataset's
    /// unit, time, region, interpolated and derived columns, the indices' indicators, every grid dimension and every
    /// analysis's models, columns and filters, with the loader's messages; each problem is "key: what", the key path as
    /// the loader names it (<c>grid.controls.full: unknown variable 'x'; available: …</c>), in study order. Empty: it fits.
    /// </summary>
    public static ImmutableArray<string> Recheck(StudyDefinition study, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(frame);
        var problems = new List<string>();
        void Add(string key, string? wrong)
        {
            if (wrong is not null) problems.Add($"{key}: {wrong}");
        }
        var d = study.Dataset;
        Add("dataset.unit", Column(d.Unit, frame));
        Add("dataset.time", Column(d.Time, frame));
        if (d.Region is { } region) Add("dataset.region", Column(region, frame));
        foreach (var c in d.Interpolate.IsDefault ? [] : d.Interpolate) Add("dataset.interpolate", Interpolated(c, frame));
        var known = frame.Columns.Select(c => c.Name).ToList();
        var derived = new List<string>();
        var steps = d.Derive.IsDefault ? [] : d.Derive;
        for (int i = 0; i < steps.Length; i++)
        {
            var st = steps[i];
            try
            {
                var adds = Derivation.Check(new DeriveStep(st.Name, st.Kind, st.Parameters.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal)), known);
                known.AddRange(adds);
                derived.AddRange(adds);
            }
            catch (InputException e) { Add($"dataset.derive[{i}]", e.Message); }
        }
        var indices = study.Indices.IsDefault ? [] : study.Indices;
        for (int i = 0; i < indices.Length; i++)
            Add($"indices[{i}].system", indices[i].Indicators.Select(x => Indicator(x.Code, frame, derived)).FirstOrDefault(w => w is not null));
        var available = frame.Columns.Select(c => c.Name).Concat(derived).Concat(indices.Select(x => x.Name)).ToHashSet(StringComparer.Ordinal);
        if (study.Grid is { } g) Grid(g, available, frame, Add);
        var analyses = study.Analyses.IsDefault ? [] : study.Analyses;
        for (int i = 0; i < analyses.Length; i++) Analysis(analyses[i], $"analyses[{i}]", available, frame, Add);
        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The problems of a re-check as one line: at most <see cref="MaxProblems"/> of them joined by "; ", then how many more.</summary>
    public static string OneLine(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string shown = string.Join("; ", problems.Take(MaxProblems));
        return problems.Count > MaxProblems ? $"{shown}; and {problems.Count - MaxProblems} more" : shown;
    }

    private static void Grid(GridSpec g, IReadOnlySet<string> available, DataFrame frame, Action<string, string?> add)
    {
        add("grid.treatment", Variable(g.Treatment, available, frame));
        foreach (var o in g.Outcomes) add("grid.outcomes", Variable(o, available, frame));
        foreach (var c in g.Controls)
            foreach (var col in c.Columns) add($"grid.controls.{c.Name}", Variable(col, available, frame));
        foreach (var fe in g.FixedEffects) add("grid.fixed_effects", FixedEffects(string.Join(" + ", fe), frame));
        foreach (var s in g.Samples)
            if (s.Filter is { } f) add($"grid.samples.{s.Name}", Filter(f, frame));
        foreach (var v in g.Vcov) add("grid.vcov", Vcov(v, frame));
        var instruments = g.Instruments.IsDefault ? [] : g.Instruments;
        for (int i = 0; i < instruments.Length; i++)
        {
            Expr term;
            try { term = Formula.ParseTerm(instruments[i]); }
            catch (InputException e) { add($"grid.instruments[{i}]", $"'{instruments[i]}' is not a term: {e.Message}"); continue; }
            add($"grid.instruments[{i}]", Instrument(term, frame));
        }
        var weights = g.Weights.IsDefault ? [] : g.Weights;
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] != GridSpec.Unweighted) add($"grid.weights[{i}]", Weights(weights[i], available, frame));
        if (g.Cohort is { } cohort) add("grid.cohort", Variable(cohort, available, frame));
    }

    private static void Analysis(AnalysisSpec a, string at, IReadOnlySet<string> available, DataFrame frame, Action<string, string?> add)
    {
        foreach (var c in a.Columns.IsDefault ? [] : a.Columns) add(at, Model(c.Model.Model, available, frame));
        foreach (var v in a.Variables.IsDefault ? [] : a.Variables) add($"{at}.variables", Variable(v, available, frame));
        foreach (var f in a.Filters.IsDefault ? [] : a.Filters) add($"{at}.filter", Filter(f, frame));
        if (a.Heterogeneity is { } h)
        {
            add($"{at}.by", Column(h.By, frame));
            add(at, Model(h.Baseline.Model, available, frame));
        }
        if (a.Mediation is { Bootstrap: { } mb }) add(at, Model(mb.Model.Model, available, frame));
        // What the analysis type's own settings read (a did cohort, a GMM instrument, a threshold variable).
        foreach (var use in Analyses.AnalysisTypes.For(a).Uses(a))
            add($"{at}.{use.Key}", use.Kind switch
            {
                Analyses.DataUseKind.Variable => Variable(use.Text, available, frame),
                Analyses.DataUseKind.Column => Column(use.Text, frame),
                _ => Filter(use.Text, frame),
            });
        if (a.Gaps is { } gaps)
        {
            if (gaps.Variable is { } v) add($"{at}.variable", Variable(v, available, frame));
            add($"{at}.by", Column(gaps.By, frame));
            if (gaps.Weight is { } w) add($"{at}.weight", Variable(w, available, frame));
            foreach (var col in gaps.Subsystems.IsDefault ? [] : gaps.Subsystems) add($"{at}.subsystems", Variable(col, available, frame));
            foreach (var col in gaps.Controls.IsDefault ? [] : gaps.Controls) add($"{at}.controls", Variable(col, available, frame));
            foreach (var col in gaps.Fe.IsDefault ? [] : gaps.Fe.SelectMany(f => f.Columns)) add($"{at}.fe", Column(col, frame));
            add($"{at}.vcov", Clusters(gaps.Vcov, frame));
            foreach (var f in gaps.Filters.IsDefault ? [] : gaps.Filters) add($"{at}.filter", Filter(f, frame));
        }
    }

    private static string ColumnList(DataFrame frame) => string.Join(", ", frame.Columns.Select(c => c.Name));

    private static string Sorted(IEnumerable<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal));
}
