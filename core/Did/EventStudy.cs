using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Did;

/// <summary>
/// What every regression-based DID estimator takes: the outcome, covariates (terms as in a formula), the variance
/// estimators (the registry's; default <c>cluster:UNIT</c>, Stata's small-sample convention, which for unit clusters with
/// unit + time effects is fixest's default: K = slopes + time levels, the unit effect nested in the clusters not counted),
/// the event window and the confidence level.
/// </summary>
public sealed record DidOptions
{
    /// <summary>The outcome term, e.g. <c>y</c> or <c>log(gdp)</c>, parsed once by the caller (<see cref="Formula.ParseTerm"/>).</summary>
    public required Expr Outcome { get; init; }

    /// <summary>Covariate terms, parsed once by the caller. The default value is none.</summary>
    public IReadOnlyList<Expr> Covariates { get; init; } = [];

    /// <summary>The covariates as written, comma-separated (for messages).</summary>
    internal string CovariateText => string.Join(",", Covariates.Select(c => c.Text));

    /// <summary>Variance estimators computed from the one fit; null = cluster by the panel unit (Stata/fixest convention).</summary>
    public IReadOnlyList<VcovSpec>? Variances { get; init; }

    /// <summary>The event study's reference relative period (omitted dummy). The default value is −1.</summary>
    public int Reference { get; init; } = -1;

    /// <summary>Bin relative periods below this into it (the lower end point); null = no binning. The default value is null.</summary>
    public int? BinLow { get; init; }

    /// <summary>Bin relative periods above this into it (the upper end point); null = no binning. The default value is null.</summary>
    public int? BinHigh { get; init; }

    /// <summary>Confidence level of intervals. The default value is 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>The variance estimators in force for <paramref name="panel"/>.</summary>
    public IReadOnlyList<VcovSpec> VariancesFor(Panel panel) => Variances is { Count: > 0 } v ? v : [VcovSpec.Cluster(panel.UnitColumn)];
}

/// <summary>One event-time coefficient: the relative period (binned end points carry their end), the coefficient, and the rows it covers.</summary>
/// <param name="RelPeriod">Periods since adoption (t − cohort); the end points stand for their bins.</param>
/// <param name="Coefficient">Its estimate, SE, t, p and interval (term <c>event::r</c>).</param>
/// <param name="Rows">Estimation rows with this relative period.</param>
public sealed record EventTerm(int RelPeriod, Coefficient Coefficient, int Rows);

/// <summary>The two-way FE DID: the coefficient of <c>treat_post</c> = 1[t ≥ cohort] in y ~ treat_post + covariates | unit + time.</summary>
/// <param name="Fit">The whole fit (every variance estimator's result is in <see cref="Fits"/>).</param>
/// <param name="Att">The coefficient of <c>treat_post</c>.</param>
/// <param name="Fits">One result per variance estimator, the primary first.</param>
public sealed record TwfeResult(RegressionResult Fit, Coefficient Att, IReadOnlyList<RegressionResult> Fits);

/// <summary>The TWFE event study: the event-time coefficients, the reference period, and the joint Wald test that every lead is zero.</summary>
/// <param name="Fit">The fit (primary variance).</param>
/// <param name="Terms">Event-time coefficients by relative period (the reference is not among them).</param>
/// <param name="Reference">The omitted relative period.</param>
/// <param name="PreTrend">Wald F test of all leads (relative periods &lt; 0 other than the reference) = 0 on (q, df of the t tests); null without leads.</param>
public sealed record EventStudyResult(RegressionResult Fit, IReadOnlyList<EventTerm> Terms, int Reference, TestResult? PreTrend);

/// <summary>
/// The regression-based DID designs, each one typed model fitted by the one fit pipeline (<see cref="Estimation.Fit(Panel, ModelSpec, EstimationOptions?)"/>)
/// with the design's indicators as <see cref="VectorExpr"/> terms and unit + time fixed effects; variances come from the registry.
/// </summary>
public static class EventStudy
{
    /// <summary>Name of the TWFE DID term.</summary>
    public const string TreatPost = "treat_post";

    /// <summary>The term name of relative period <paramref name="r"/> (<c>event::-2</c>).</summary>
    public static string EventName(int r) => "event::" + r.ToString(CultureInfo.InvariantCulture);

    /// <summary>Fits the two-way FE DID.</summary>
    /// <exception cref="InputException">Unknown terms or columns; no treated unit.</exception>
    /// <exception cref="EstimationException">The model cannot be fitted.</exception>
    public static TwfeResult Twfe(DidDesign design, DidOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        RequireTreated(design);
        var fits = Fit(design, options, [new VectorExpr(TreatPost, design.Treated())]);
        return new TwfeResult(fits[0], fits[0][TreatPost], fits);
    }

    /// <summary>The model of the TWFE DID (for callers that fit it themselves, e.g. on the compute grain).</summary>
    public static ModelSpec TwfeModel(DidDesign design, DidOptions options) => Model(design, options, [new VectorExpr(TreatPost, design.Treated())]);

    /// <summary>
    /// Fits the event study: one dummy per relative period t − cohort of treated units (end points binned when asked), the
    /// reference period omitted, never-treated units in the reference group (all dummies 0), plus covariates, unit and time effects.
    /// </summary>
    /// <exception cref="InputException">The reference lies outside the bins, no treated unit, unknown terms.</exception>
    public static EventStudyResult Fit(DidDesign design, DidOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        RequireTreated(design);
        if (options.BinLow is { } lo && options.BinHigh is { } hi && lo >= hi)
            throw new InputException($"--bin {lo},{hi}: the lower end point must be below the upper one");
        if (options.Reference < options.BinLow || options.Reference > options.BinHigh)
            throw new InputException($"--ref {options.Reference}: the reference period must lie within the bins [{options.BinLow?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {options.BinHigh?.ToString(CultureInfo.InvariantCulture) ?? "inf"}]");
        var panel = design.Panel;
        var rel = RelPeriods(design, options);
        var complete = CompleteRows(design, options);
        var periods = rel.Where(r => r.HasValue).Select(r => r!.Value).Distinct().Where(r => r != options.Reference).Order().ToList();
        if (periods.Count == 0) throw new InputException("the event study has no relative period besides the reference: the treated units are observed in one relative period only");
        var terms = new List<Expr>();
        var rows = new Dictionary<int, int>();
        foreach (int r in periods)
        {
            var d = new double[panel.RowCount];
            int n = 0;
            for (int i = 0; i < d.Length; i++)
                if (rel[i] == r) { d[i] = 1; if (complete[i]) n++; }
            rows[r] = n;
            terms.Add(new VectorExpr(EventName(r), d));
        }
        var fit = Fit(design, options, terms)[0];
        var index = fit.Coefficients.Select((c, i) => (c.Term, i)).ToDictionary(x => x.Term, x => x.i, StringComparer.Ordinal);
        var list = periods.Where(r => index.ContainsKey(EventName(r))).Select(r => new EventTerm(r, fit.Coefficients[index[EventName(r)]], rows[r])).ToList();
        var leads = list.Where(t => t.RelPeriod < 0).ToList();
        TestResult? pre = null;
        if (leads.Count > 0)
        {
            var R = new double[leads.Count, fit.Coefficients.Count];
            for (int q = 0; q < leads.Count; q++) R[q, index[EventName(leads[q].RelPeriod)]] = 1;
            pre = Estimation.Wald(fit, R) with { Name = "pre-trend Wald F (all leads = 0)" };
        }
        return new EventStudyResult(fit, list, options.Reference, pre);
    }

    /// <summary>The relative period of each row (t − cohort, binned), null for never-treated units.</summary>
    internal static int?[] RelPeriods(DidDesign design, DidOptions options)
    {
        var panel = design.Panel;
        var rel = new int?[panel.RowCount];
        for (int i = 0; i < rel.Length; i++)
        {
            if (design.CohortOfRow(i) is not { } c) continue;
            long r = panel.Time[i] - c;
            if (options.BinLow is { } lo && r < lo) r = lo;
            if (options.BinHigh is { } hi && r > hi) r = hi;
            rel[i] = checked((int)r);
        }
        return rel;
    }

    /// <summary>Rows whose outcome and covariates are all present (the rows the fit keeps, for cell counts).</summary>
    internal static bool[] CompleteRows(DidDesign design, DidOptions options)
    {
        var panel = design.Panel;
        var ok = Enumerable.Repeat(true, panel.RowCount).ToArray();
        foreach (var term in options.Covariates.Prepend(options.Outcome))
        {
            var v = term.Evaluate(panel);
            for (int i = 0; i < ok.Length; i++) if (double.IsNaN(v[i])) ok[i] = false;
        }
        return ok;
    }

    /// <summary>y ~ covariates + <paramref name="terms"/> | unit + time with the options' variances, as one typed model.</summary>
    internal static ModelSpec Model(DidDesign design, DidOptions options, IReadOnlyList<Expr> terms)
    {
        var panel = design.Panel;
        var formula = Formula.Of(options.Outcome, [.. options.Covariates, .. terms],
            [new FixedEffect([panel.UnitColumn]), new FixedEffect([panel.TimeColumn])]);
        return new ModelSpec { Formula = formula, Variances = [.. options.VariancesFor(panel)] };
    }

    internal static IReadOnlyList<RegressionResult> Fit(DidDesign design, DidOptions options, IReadOnlyList<Expr> terms) =>
        Estimation.Fit(design.Panel, Model(design, options, terms), new EstimationOptions { ConfidenceLevel = options.ConfidenceLevel });

    internal static void RequireTreated(DidDesign design)
    {
        if (design.Cohorts.Count == 0) throw new InputException($"{design.Source}: no unit is treated within the sample; expected at least one first treated period");
    }

    /// <summary>A weighted sum s'b of coefficients of <paramref name="fit"/> with SE √(s'Vs), tested on the fit's df, as one coefficient row.</summary>
    internal static Coefficient Combine(RegressionResult fit, string name, IReadOnlyList<int> index, IReadOnlyList<double> weights, double level)
    {
        double b = 0, v = 0;
        for (int a = 0; a < index.Count; a++)
        {
            b += weights[a] * fit.Coefficients[index[a]].Estimate;
            for (int c = 0; c < index.Count; c++) v += weights[a] * weights[c] * fit.Covariance[index[a]][index[c]];
        }
        return Estimation.Row(name, b, v, fit.DfTests, Distributions.CriticalValue(level, fit.DfTests), z: false);
    }
}
