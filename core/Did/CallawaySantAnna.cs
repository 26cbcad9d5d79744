using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Did;

/// <summary>The comparison group of Callaway–Sant'Anna.</summary>
public enum ControlGroup
{
    /// <summary>Never-treated units only (did's <c>"nevertreated"</c>).</summary>
    Never,
    /// <summary>Never-treated units and units not yet treated at the later period of the 2×2 (did's <c>"notyettreated"</c>).</summary>
    NotYet,
}

/// <summary>One group-time ATT.</summary>
/// <param name="Group">The cohort g.</param>
/// <param name="Time">The period t (the later period of the 2×2).</param>
/// <param name="BasePeriod">The earlier period of the 2×2: g − 1 for t ≥ g, the period before t for t &lt; g (varying base).</param>
/// <param name="Att">The 2×2 difference of mean changes, cohort g minus controls.</param>
/// <param name="StdError">Analytic SE from the influence function.</param>
/// <param name="Treated">Units of cohort g.</param>
/// <param name="Controls">Control units of this cell.</param>
public sealed record GroupTimeAtt(long Group, long Time, long BasePeriod, double Att, double StdError, int Treated, int Controls);

/// <summary>One aggregated effect (a cohort, an event time, a calendar period, or the overall one) with its analytic SE and normal interval.</summary>
/// <param name="Key">The group, event time or period; null for an overall effect.</param>
/// <param name="Att">The estimate.</param>
/// <param name="StdError">Its SE.</param>
/// <param name="ConfLow">Lower bound of the pointwise normal interval.</param>
/// <param name="ConfHigh">Upper bound.</param>
public sealed record CsEffect(long? Key, double Att, double StdError, double ConfLow, double ConfHigh)
{
    /// <summary>Each unit's influence on this effect (did's scaling: SE = √(Σψ²)/n); the multiplier bootstrap's input.</summary>
    internal double[] Influence { get; init; } = [];

    /// <summary>Two-sided normal p-value.</summary>
    public double PValue => Distributions.NormalTwoSided(Att / StdError);
}

/// <summary>An aggregation: its effects by key and its overall effect.</summary>
public sealed record CsAggregation(string Type, IReadOnlyList<CsEffect> Effects, CsEffect Overall);

/// <summary>Callaway–Sant'Anna's group-time ATTs and their simple, dynamic (event-time), group and calendar aggregations.</summary>
public sealed record CsResult(
    ControlGroup Control,
    IReadOnlyList<GroupTimeAtt> Cells,
    CsEffect Simple,
    CsAggregation Dynamic,
    CsAggregation Group,
    CsAggregation Calendar,
    int Units,
    IReadOnlyList<string> Notes)
{
    /// <summary>Each unit's influence function on every cell (units × cells, did's scaling: SE = √(Σψ²)/n); the multiplier bootstrap's input.</summary>
    public required double[][] Influence { get; init; }
}

/// <summary>
/// Callaway and Sant'Anna (2021), panel data. Without covariates the outcome regression, IPW and DR estimators all reduce to the
/// 2×2 difference of mean changes (a closed form here), which is what R's <c>did</c> 2.1.2 gives for any <c>est_method</c>
/// (validation README section p). With covariates each cell is DRDID's panel estimator (<see cref="CsEstimator"/>: outcome
/// regression, normalised IPW or doubly robust, as did 2.5 calls them; tests/data/validation/base_stagg_cs_cov.json).
/// Conventions, all did's:
/// <list type="bullet">
/// <item>the panel is balanced first: a unit missing the outcome (or a covariate) in any period is dropped (a note says how many), as did does for panel data;</item>
/// <item>cohorts treated in the first period are dropped (no pre-period);</item>
/// <item>varying base (default): cells are every cohort g × every period t after the first; for t ≥ g the 2×2 runs from the last
/// period before g to t, for t &lt; g from the period before t to t;</item>
/// <item>universal base: cells are every cohort g × every period t, every 2×2 runs between g − 1 (the last period before g) and t,
/// and the cell t = g − 1 is 0 with no SE (NaN; did's NA);</item>
/// <item>controls: never-treated, or never-treated plus units whose cohort is after the later period of the 2×2 (and not g) — "not yet treated";</item>
/// <item>covariates are taken at the earlier period of the 2×2 with an intercept;</item>
/// <item>influence function of a cell: DRDID's on the 2×2's n₁ units times n/n₁, 0 for the other units (without covariates
/// ψᵢ = n·[1{Gᵢ=g}(ΔYᵢ − m_g)/n_g − 1{i control}(ΔYᵢ − m_c)/n_c]); SE = √(Σψ²)/n (n = units), NaN at or below √ε·10 as did;</item>
/// <item>aggregations weight cells by pg = n_g/n and add the estimated weights' influence (did's <c>wif</c>); dynamic and calendar
/// overall effects are the plain means of the post-treatment event-time and calendar effects; intervals are pointwise normal.</item>
/// </list>
/// </summary>
public static class CallawaySantAnna
{
    /// <summary>Estimates the group-time ATTs and their aggregations with did's defaults (doubly robust, varying base period).</summary>
    /// <exception cref="InputException">No treated cohort with a pre-period, no control unit for a cell, collinear covariates.</exception>
    public static CsResult Fit(DidDesign design, DidOptions options, ControlGroup control) => Fit(design, options, control, new CsOptions());

    /// <summary>Estimates the group-time ATTs and their aggregations.</summary>
    /// <exception cref="InputException">No treated cohort with a pre-period, no control unit for a cell, collinear covariates or a propensity score that cannot be fitted.</exception>
    public static CsResult Fit(DidDesign design, DidOptions options, ControlGroup control, CsOptions cs)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cs);
        EventStudy.RequireTreated(design);
        var panel = design.Panel;
        var notes = new List<string>();
        var y = options.Outcome.Evaluate(panel);
        var xs = options.Covariates.Select(c => c.Evaluate(panel)).ToList();
        int p = xs.Count + 1;
        var periods = panel.Periods;
        int T = periods.Count;
        var pos = new Dictionary<long, int>();
        for (int k = 0; k < T; k++) pos[periods[k]] = k;
        // The balanced outcome matrix of the units observed (with the outcome and every covariate) in every period, and each
        // unit's covariate row (intercept first) in every period.
        var units = new List<int>();
        var rowsY = new List<double[]>();
        var rowsX = new List<double[][]>();
        for (int u = 0; u < panel.UnitCount; u++)
        {
            var row = new double[T];
            Array.Fill(row, double.NaN);
            var xrow = new double[T][];
            bool complete = panel.UnitStart[u + 1] - panel.UnitStart[u] == T;
            for (int r = panel.UnitStart[u]; r < panel.UnitStart[u + 1]; r++)
            {
                int k = pos[panel.Time[r]];
                row[k] = y[r];
                if (p == 1) continue;
                xrow[k] = new double[p];
                xrow[k][0] = 1;
                for (int a = 1; a < p; a++) { xrow[k][a] = xs[a - 1][r]; if (!double.IsFinite(xrow[k][a])) complete = false; }
            }
            if (complete && row.All(double.IsFinite)) { units.Add(u); rowsY.Add(row); rowsX.Add(xrow); }
        }
        int dropped = panel.UnitCount - units.Count;
        if (dropped > 0) notes.Add(p == 1
            ? $"{dropped} unit(s) without the outcome in every period dropped (the panel is balanced first, as R's did does)"
            : $"{dropped} unit(s) without the outcome and every covariate in every period dropped (the panel is balanced first, as R's did does)");
        int n = units.Count;
        if (n == 0) throw new InputException($"'{options.Outcome.Text}': no unit has the outcome{(p == 1 ? "" : " and every covariate")} in every period; Callaway–Sant'Anna needs a balanced panel");
        var g = units.Select(u => design.UnitCohort[u]).ToArray();
        var groups = g.Where(c => c.HasValue).Select(c => c!.Value).Distinct().Order().ToList();
        int always = groups.RemoveAll(c => c <= periods[0]);
        if (always > 0) notes.Add($"{always} cohort(s) treated in the first period dropped (no pre-period)");
        if (groups.Count == 0) throw new InputException($"{design.Source}: no cohort is treated after the first period; Callaway–Sant'Anna has no group-time cell");
        bool universal = cs.BasePeriod == CsBasePeriod.Universal;
        // Units of a dropped always-treated cohort are neither treated nor controls.
        var cells = new List<GroupTimeAtt>();
        var psi = new List<double[]>();
        foreach (long gr in groups)
        {
            int gBase = LastBefore(periods, gr);
            // Varying: cells t = 2nd … last period; universal: every period, the base itself a cell fixed at 0 (did's convention).
            for (int k = universal ? 0 : 1; k < T; k++)
            {
                long t = periods[k];
                int b = universal || t >= gr ? gBase : k - 1;
                if (k == b)
                {
                    cells.Add(new GroupTimeAtt(gr, t, periods[b], 0, double.NaN, g.Count(x => x == gr), 0));
                    psi.Add(new double[n]);
                    continue;
                }
                // Not yet treated at the later period of the 2×2.
                long threshold = periods[Math.Max(k, b)];
                var treated = new bool[n];
                var isControl = new bool[n];
                int nT = 0, nC = 0;
                for (int i = 0; i < n; i++)
                {
                    if (g[i] == gr) { treated[i] = true; nT++; }
                    else if (g[i] is null || (control == ControlGroup.NotYet && g[i] > threshold)) { isControl[i] = true; nC++; }
                }
                if (nC == 0)
                    throw new InputException($"cohort {gr}, period {t}: no {(control == ControlGroup.Never ? "never-treated" : "not-yet-treated")} unit to compare with"
                        + (control == ControlGroup.Never ? "; try --control notyet" : ""));
                var f = new double[n];
                double att;
                if (p == 1)
                {
                    // Without covariates every estimator is the 2×2 difference of mean changes (closed form).
                    double sumT = 0, sumC = 0;
                    for (int i = 0; i < n; i++)
                    {
                        if (treated[i]) sumT += rowsY[i][k] - rowsY[i][b];
                        else if (isControl[i]) sumC += rowsY[i][k] - rowsY[i][b];
                    }
                    double mT = sumT / nT, mC = sumC / nC;
                    for (int i = 0; i < n; i++)
                    {
                        double dy = rowsY[i][k] - rowsY[i][b];
                        if (treated[i]) f[i] = n * (dy - mT) / nT;
                        else if (isControl[i]) f[i] = -n * (dy - mC) / nC;
                    }
                    att = mT - mC;
                }
                else
                {
                    // DRDID on the 2×2's units (in unit order), covariates at the earlier period; influence rescaled by n/n₁ (did).
                    var idx = Enumerable.Range(0, n).Where(i => treated[i] || isControl[i]).ToArray();
                    int early = Math.Min(k, b);
                    var (a, inf) = CsEstimators.Estimate(cs.Estimator, [.. idx.Select(i => rowsY[i][k] - rowsY[i][b])], [.. idx.Select(i => treated[i])],
                        [.. idx.Select(i => rowsX[i][early])], string.Create(CultureInfo.InvariantCulture, $"cohort {gr}, period {t}"));
                    for (int j = 0; j < idx.Length; j++) f[idx[j]] = (double)n / idx.Length * inf[j];
                    att = a;
                }
                double ss = 0;
                for (int i = 0; i < n; i++) ss += f[i] * f[i];
                cells.Add(new GroupTimeAtt(gr, t, periods[b], att, Se(Math.Sqrt(ss) / n), nT, nC));
                psi.Add(f);
            }
        }
        var agg = new Aggregator(cells, psi, g, n, groups, options.ConfidenceLevel);
        return new CsResult(control, cells, agg.Simple(), agg.Dynamic(), agg.ByGroup(), agg.Calendar(), n, notes) { Influence = [.. psi] };
    }

    /// <summary>did reports an SE at or below √ε·10 (a cell or effect fixed by construction, e.g. the universal base) as NA: NaN here.</summary>
    internal static double Se(double se) => se <= Math.Sqrt(2.220446049250313e-16) * 10 ? double.NaN : se;

    private static int LastBefore(IReadOnlyList<long> periods, long g)
    {
        int b = -1;
        for (int k = 0; k < periods.Count; k++) if (periods[k] < g) b = k;
        return b;
    }

    /// <summary>did's <c>aggte</c>: weighted means of cells with the influence of the estimated weights.</summary>
    private sealed class Aggregator(List<GroupTimeAtt> cells, List<double[]> psi, long?[] unitGroup, int n, List<long> groups, double level)
    {
        private readonly double _z = Distributions.CriticalValue(level, double.PositiveInfinity);

        /// <summary>pg of a cohort: its share of all units.</summary>
        private double Pg(long gr) => unitGroup.Count(x => x == gr) / (double)n;

        private CsEffect Effect(long? key, double att, double[] inf)
        {
            double ss = 0;
            foreach (var v in inf) ss += v * v;
            double se = Se(Math.Sqrt(ss) / n);
            return new CsEffect(key, att, se, att - _z * se, att + _z * se) { Influence = inf };
        }

        /// <summary>Σ w_k att_k with w = pg/Σpg over the cells given, and its influence Σ w_k ψ_k + wif·att (did's wif).</summary>
        private (double Att, double[] Inf) Weighted(IReadOnlyList<long> cellGroup, IReadOnlyList<double> att, IReadOnlyList<double[]> inf, bool withWif, IReadOnlyList<long>? wifGroup = null)
        {
            var indicatorGroup = wifGroup ?? cellGroup;
            int m = cellGroup.Count;
            var pg = cellGroup.Select(Pg).ToArray();
            double sp = pg.Sum();
            double est = 0;
            for (int k = 0; k < m; k++) est += pg[k] / sp * att[k];
            var r = new double[n];
            for (int k = 0; k < m; k++)
                for (int i = 0; i < n; i++) r[i] += pg[k] / sp * inf[k][i];
            if (withWif)
            {
                for (int i = 0; i < n; i++)
                {
                    // if1[i,k] = (1{Gᵢ = g_k} − pg_k)/Σpg; if2[i,k] = Σ_k'(1{Gᵢ = g_k'} − pg_k') · pg_k/(Σpg)².
                    double s = 0;
                    for (int k = 0; k < m; k++) s += (unitGroup[i] == indicatorGroup[k] ? 1 : 0) - pg[k];
                    double w = 0;
                    for (int k = 0; k < m; k++)
                    {
                        double if1 = ((unitGroup[i] == indicatorGroup[k] ? 1 : 0) - pg[k]) / sp;
                        double if2 = s * pg[k] / (sp * sp);
                        w += (if1 - if2) * att[k];
                    }
                    r[i] += w;
                }
            }
            return (est, r);
        }

        private (double Att, double[] Inf) OverCells(IEnumerable<int> which)
        {
            var idx = which.ToList();
            return Weighted([.. idx.Select(k => cells[k].Group)], [.. idx.Select(k => cells[k].Att)], [.. idx.Select(k => psi[k])], withWif: true);
        }

        private IEnumerable<int> Post => Enumerable.Range(0, cells.Count).Where(k => cells[k].Group <= cells[k].Time);

        public CsEffect Simple()
        {
            var (a, f) = OverCells(Post);
            return Effect(null, a, f);
        }

        public CsAggregation Dynamic()
        {
            var es = cells.Select(c => c.Time - c.Group).Distinct().Order().ToList();
            var effects = new List<CsEffect>();
            var post = new List<(double Att, double[] Inf)>();
            foreach (long e in es)
            {
                var x = OverCells(Enumerable.Range(0, cells.Count).Where(k => cells[k].Time - cells[k].Group == e));
                effects.Add(Effect(e, x.Att, x.Inf));
                if (e >= 0) post.Add(x);
            }
            return new CsAggregation("dynamic", effects, MeanOf(post));
        }

        public CsAggregation Calendar()
        {
            var ts = cells.Where(c => c.Group <= c.Time).Select(c => c.Time).Distinct().Order().ToList();
            var effects = new List<CsEffect>();
            var all = new List<(double Att, double[] Inf)>();
            foreach (long t in ts)
            {
                var x = OverCells(Enumerable.Range(0, cells.Count).Where(k => cells[k].Time == t && cells[k].Group <= t));
                effects.Add(Effect(t, x.Att, x.Inf));
                all.Add(x);
            }
            return new CsAggregation("calendar", effects, MeanOf(all));
        }

        public CsAggregation ByGroup()
        {
            var effects = new List<CsEffect>();
            var att = new List<double>();
            var inf = new List<double[]>();
            foreach (long gr in groups)
            {
                var which = Enumerable.Range(0, cells.Count).Where(k => cells[k].Group == gr && gr <= cells[k].Time).ToList();
                // Cells of one cohort share pg: equal weights, and no weight influence (did passes wif = NULL here).
                var x = Weighted([.. which.Select(k => cells[k].Group)], [.. which.Select(k => cells[k].Att)], [.. which.Select(k => psi[k])], withWif: false);
                effects.Add(Effect(gr, x.Att, x.Inf));
                att.Add(x.Att);
                inf.Add(x.Inf);
            }
            // did 2.1.2 (the reference, validation README p) calls wif(keepers = 1:length(glist), pg = pgg, …, group = group) with
            // `group` the CELLS' cohort vector, so the indicator 1{Gᵢ = group[k]} compares with the cohorts of the first |glist|
            // cells (with cells ordered by cohort, all the first cohort) rather than with glist[k]. We reproduce it so that the
            // overall group SE matches the reference to 1e-8 (docs/methods.md says so); the point estimate is unaffected.
            var o = Weighted(groups, att, inf, withWif: true, wifGroup: [.. cells.Take(groups.Count).Select(c => c.Group)]);
            return new CsAggregation("group", effects, Effect(null, o.Att, o.Inf));
        }

        private CsEffect MeanOf(List<(double Att, double[] Inf)> xs)
        {
            var r = new double[n];
            foreach (var x in xs) for (int i = 0; i < n; i++) r[i] += x.Inf[i] / xs.Count;
            return Effect(null, xs.Average(x => x.Att), r);
        }
    }
}
