using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Regression.Variance;

namespace DigitalEconomy.Core.Threshold;

/// <summary>The SSR and likelihood ratio LR(γ) = n (S(γ) − Ŝ)/Ŝ over the candidates of one search (the LR chart).</summary>
/// <param name="Gamma">The candidate thresholds (grid order; duplicates kept).</param>
/// <param name="Ssr">S(γ).</param>
/// <param name="Lr">LR(γ).</param>
public sealed record ThresholdCurve(IReadOnlyList<double> Gamma, IReadOnlyList<double> Ssr, IReadOnlyList<double> Lr);

/// <summary>One threshold estimate of one search.</summary>
/// <param name="Gamma">γ̂: the first candidate with the smallest SSR.</param>
/// <param name="Ssr">S(γ̂).</param>
/// <param name="CiLow">Smallest candidate with LR(γ) ≤ c(α).</param>
/// <param name="CiHigh">Largest candidate with LR(γ) ≤ c(α).</param>
/// <param name="Curve">The search's SSR and LR over its candidates.</param>
public sealed record ThresholdEstimate(double Gamma, double Ssr, double CiLow, double CiHigh, ThresholdCurve Curve);

/// <summary>Step k of the sequential estimation: the search for γₖ given γ₁ … γₖ₋₁, its F test statistic and the refinement.</summary>
/// <param name="K">Number of thresholds of this step's model.</param>
/// <param name="Fixed">The thresholds held fixed in the search (γ₁ … γₖ₋₁ of the earlier steps' searches).</param>
/// <param name="Stage">γₖ's search.</param>
/// <param name="SsrNull">S_{k−1}: the SSR of the model with k − 1 thresholds (the linear FE model for k = 1).</param>
/// <param name="F">F_k = (S_{k−1} − S_k)/(S_k/n).</param>
/// <param name="Refined">For k ≥ 2, Hansen's refinement: each γⱼ (j &lt; k) searched again given the other thresholds of this step.</param>
/// <param name="Thresholds">The step's thresholds, ascending: the refined γ₁ … γₖ₋₁ and γₖ.</param>
/// <param name="Fit">The regime coefficients at <paramref name="Thresholds"/>, one result per variance estimator.</param>
public sealed record ThresholdStep(int K, IReadOnlyList<double> Fixed, ThresholdEstimate Stage, double SsrNull, double F,
    IReadOnlyList<ThresholdEstimate> Refined, IReadOnlyList<double> Thresholds, IReadOnlyList<RegressionResult> Fit);

/// <summary>A panel threshold estimation (Hansen 1999).</summary>
/// <param name="Transform">full_within or hansen_drop_last_period.</param>
/// <param name="Units">Units in the sample.</param>
/// <param name="Rows">Sample rows.</param>
/// <param name="RowsUsed">Rows after the transform (n of the statistics).</param>
/// <param name="Qn">Hansen's qn (the number of distinct values for the exact search).</param>
/// <param name="Grid">The grid.</param>
/// <param name="CriticalLr">c(α) = −2 ln(1 − √level).</param>
/// <param name="Level">The confidence level of the intervals.</param>
/// <param name="SsrLinear">S₀: the SSR of the model without threshold.</param>
/// <param name="Steps">Steps k = 1 … K.</param>
public sealed record ThresholdResult(string Transform, int Units, int Rows, int RowsUsed, int Qn, IReadOnlyList<double> Grid, double CriticalLr,
    double Level, double SsrLinear, IReadOnlyList<ThresholdStep> Steps);

/// <summary>
/// Hansen's (1999) fixed-effects panel threshold regression: y = μᵢ + x'β + Σₖ z·1(γₖ₋₁ ≤ q &lt; γₖ)'δₖ + e (regime 1 is
/// q &lt; γ₁ with a strict &lt;, so a row equal to a threshold goes to the upper regime), thresholds by least squares over a
/// grid, sequentially (docs/methods.md, "Panel threshold regression", states every convention).
/// </summary>
public static class PanelThreshold
{
    /// <summary>Estimates <paramref name="spec"/> on <paramref name="panel"/>: every step k = 1 … K with its F statistic, intervals and regime coefficients.</summary>
    /// <exception cref="InputException">A model or option the estimator cannot take.</exception>
    /// <exception cref="EstimationException">The regime regression cannot be fitted.</exception>
    public static ThresholdResult Estimate(Panel panel, ThresholdSpec spec)
    {
        var d = ThresholdData.Build(panel, spec);
        var grid = d.Grid(out int qn);
        var o = spec.Options;
        int n = d.NUsed;
        double c = CriticalValue(o.Level);
        var plans = new Dictionary<string, ScanPlan>(StringComparer.Ordinal);
        var linear = Plan(d, plans, grid, qn, [], 1);
        linear.Ssr(d.Y, out double s0);
        var steps = new List<ThresholdStep>();
        var stage = new List<double>();
        double sPrev = s0;
        for (int k = 1; k <= o.Thresholds; k++)
        {
            var est = Search(d, plans, grid, qn, [.. stage], k, d.Y, n, c);
            if (est is null) throw new InputException($"--thresholds {o.Thresholds}: no grid point is left for threshold {k} after excluding those near the earlier ones (lower --trim or ask for fewer thresholds)");
            double f = (sPrev - est.Ssr) / (est.Ssr / n);
            var withNew = stage.Append(est.Gamma).ToList();
            var refined = new List<ThresholdEstimate>();
            if (k >= 2)
                for (int j = 0; j < k - 1; j++)
                {
                    var others = withNew.Where((_, i) => i != j).ToArray();
                    refined.Add(Search(d, plans, grid, qn, others, k, d.Y, n, c)
                        ?? throw new InputException($"--thresholds {o.Thresholds}: no grid point is left to refine threshold {j + 1} (lower --trim)"));
                }
            var final = refined.Select(r => r.Gamma).Append(est.Gamma).Order().ToArray();
            steps.Add(new ThresholdStep(k, [.. stage], est, sPrev, f, refined, final, RegimeFit(d, final)));
            stage.Add(est.Gamma);
            sPrev = est.Ssr;
        }
        return new ThresholdResult(ThresholdOptions.Name(o.Transform), d.Units, d.N, n, qn, grid, c, o.Level, s0, steps);
    }

    /// <summary>c(α) = −2 ln(1 − √(1 − α)) for the confidence level 1 − α (Hansen 2000).</summary>
    public static double CriticalValue(double level) => -2 * Math.Log(1 - Math.Sqrt(level));

    /// <summary>The plan of a search with the fixed thresholds <paramref name="fixedThresholds"/> at step <paramref name="step"/> (cached by both).</summary>
    internal static ScanPlan Plan(ThresholdData d, Dictionary<string, ScanPlan> cache, double[] grid, int qn, double[] fixedThresholds, int step)
    {
        string key = step + ":" + string.Join(",", fixedThresholds.Select(v => BitConverter.DoubleToInt64Bits(v)));
        if (cache.TryGetValue(key, out var hit)) return hit;
        var allowed = Allowed(grid, fixedThresholds, qn, d.Spec.Options.TrimAt(step));
        var plan = new ScanPlan(d, fixedThresholds, [.. allowed.Select(i => grid[i])], d.Spec.Options.RefitPerCandidate);
        cache[key] = plan;
        return plan;
    }

    /// <summary>
    /// Hansen's exclusion: grid positions (1-based) i with nn − qn·trim ≤ i &lt; nn + qn·trim are left out for every fixed
    /// threshold r, nn = the number of grid points below r (pthr.R's <c>pthr_allowed</c>, Hansen's GAUSS code).
    /// </summary>
    internal static List<int> Allowed(double[] grid, IReadOnlyList<double> fixedThresholds, int qn, double trim)
    {
        double qnt = qn * trim;
        var ok = Enumerable.Repeat(true, grid.Length).ToArray();
        foreach (double r in fixedThresholds)
        {
            int nn = grid.Count(g => g < r);
            for (int i = 1; i <= grid.Length; i++) if (i >= nn - qnt && i < nn + qnt) ok[i - 1] = false;
        }
        return [.. Enumerable.Range(0, grid.Length).Where(i => ok[i])];
    }

    /// <summary>The search for one threshold given <paramref name="fixedThresholds"/>; null when no candidate is allowed.</summary>
    internal static ThresholdEstimate? Search(ThresholdData d, Dictionary<string, ScanPlan> cache, double[] grid, int qn, double[] fixedThresholds, int step, double[] y, int n, double c)
    {
        var plan = Plan(d, cache, grid, qn, fixedThresholds, step);
        if (plan.Candidates.Length == 0) return null;
        var ssr = plan.Ssr(y, out _);
        int best = ArgMin(ssr);
        double smin = ssr[best];
        var lr = new double[ssr.Length];
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = 0; i < lr.Length; i++)
        {
            lr[i] = (ssr[i] / smin - 1) * n;   // pthr.R's order of operations
            if (lr[i] <= c) { lo = Math.Min(lo, plan.Candidates[i]); hi = Math.Max(hi, plan.Candidates[i]); }
        }
        return new ThresholdEstimate(plan.Candidates[best], smin, lo, hi, new ThresholdCurve(plan.Candidates, ssr, lr));
    }

    /// <summary>The first index of the smallest value (R's which.min).</summary>
    internal static int ArgMin(double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] < v[best]) best = i;
        return best;
    }

    /// <summary>The regime term names: TERM_regime1 … TERM_regime(K+1) for each regime-dependent term.</summary>
    public static IReadOnlyList<string> RegimeNames(IReadOnlyList<string> terms, int thresholds) =>
        [.. terms.SelectMany(t => Enumerable.Range(1, thresholds + 1).Select(j => $"{t}_regime{j}"))];

    /// <summary>
    /// The regime regression at given thresholds: y on x and z·1(γⱼ₋₁ ≤ q &lt; γⱼ) for every regime. full_within: the fit
    /// pipeline itself (<see cref="Estimation.Fit(Panel, ModelSpec, EstimationOptions?)"/> with the regime columns as typed
    /// vector terms and the unit fixed effects), so every variance estimator and convention is that of <c>de estimate</c>.
    /// hansen_drop_last_period: least squares on the transformed rows (the fixed effects are gone with the deleted period,
    /// so no df is absorbed: σ̂² = SSR/(n(T−1) − k), Hansen's), variances from the registry on those rows.
    /// </summary>
    internal static IReadOnlyList<RegressionResult> RegimeFit(ThresholdData d, double[] thresholds)
    {
        var o = d.Spec.Options;
        var bounds = new double[thresholds.Length + 2];
        bounds[0] = double.NegativeInfinity;
        thresholds.CopyTo(bounds, 1);
        bounds[^1] = double.PositiveInfinity;
        var names = RegimeNames(d.ZNames, thresholds.Length);
        var pieces = new List<double[]>();
        for (int a = 0; a < d.Z.Length; a++)
            for (int j = 0; j + 1 < bounds.Length; j++) pieces.Add(d.Piece(a, bounds[j], bounds[j + 1]));
        if (d.Full)
        {
            var vectors = new List<Expr>();
            for (int p = 0; p < pieces.Count; p++)
            {
                var v = new double[d.Panel.RowCount];
                Array.Fill(v, double.NaN);
                for (int i = 0; i < d.N; i++) v[d.Rows[i]] = pieces[p][i];
                vectors.Add(new VectorExpr(names[p], v));
            }
            var f = d.Spec.Formula;
            var formula = Formula.Of(f.Response, f.Regressors.Concat(vectors), [new FixedEffect([d.Panel.UnitColumn])]);
            var model = ModelSpec.Of(formula) with { Variances = o.Variances };
            return Estimation.Fit(d.Panel, model, new EstimationOptions { ConfidenceLevel = o.Level });
        }
        return TransformedFit(d, [.. d.X, .. pieces.Select(d.Transform)], [.. d.XNames, .. names]);
    }

    private static List<RegressionResult> TransformedFit(ThresholdData d, List<double[]> cols, List<string> names)
    {
        var o = d.Spec.Options;
        var solver = new GramSolver(cols, null, Collinearity.Gram);
        var b = solver.Solve(d.Y, out var resid);
        var kept = solver.Kept;
        var xk = kept.Select(i => cols[i]).ToList();
        var keptNames = kept.Select(i => names[i]).ToList();
        var omitted = solver.Dropped.Select(i => names[i]).ToList();
        double ssr = ThinQr.Dot(resid, resid);
        var bread = solver.InverseCrossProduct();
        int n = d.NUsed, k = kept.Count;
        int dfResid = n - k;
        if (dfResid <= 0) throw new EstimationException($"the regime regression has {k} coefficients for {n} rows");
        var unit = d.UsedRows.Select(i => d.Unit[i]).ToArray();
        var periods = d.UsedRows.Select(i => d.Panel.Time[d.Rows[i]]).Distinct().Order().ToList();
        var time = d.UsedRows.Select(i => periods.BinarySearch(d.Panel.Time[d.Rows[i]])).ToArray();
        double tss = ThinQr.Dot(d.Y, d.Y);
        var results = new List<RegressionResult>();
        foreach (var spec in o.Variances.IsDefaultOrEmpty ? [VcovSpec.Iid] : o.Variances)
        {
            if (VcovRegistry.Of(spec).LinearOnly)
                throw new InputException($"--vcov {spec}: needs the fixed-effects hat matrix, which hansen_drop_last_period does not have; use iid, hc1, cluster:COL, dk or nw, or --transform full_within");
            var clusters = spec.ClusterColumns.Select(col => ClusterCodes(d, col)).ToList();
            var input = new VcovInput(spec, n, k, 0, false, null, clusters, spec.ClusterColumns, Unit: unit, Time: time);
            var vc = VcovEngine.Compute(input, bread, xk, resid, ssr);
            double crit = Distributions.CriticalValue(o.Level, vc.DfTests);
            var table = keptNames.Select((nm, i) => Estimation.Row(nm, b[i], vc.V[i, i], vc.DfTests, crit, z: false)).ToList();
            var cov = new IReadOnlyList<double>[k];
            for (int i = 0; i < k; i++) { var row = new double[k]; for (int j = 0; j < k; j++) row[j] = vc.V[i, j]; cov[i] = row; }
            double r2 = 1 - ssr / tss;
            results.Add(new RegressionResult
            {
                Formula = d.Spec.Formula.Source,
                Estimator = EstimatorKind.Within,
                N = n,
                DfResid = dfResid,
                DfTests = vc.DfTests,
                Clusters = vc.Clusters,
                Vcov = spec.ToString(),
                SmallSampleFactor = vc.Factor,
                Coefficients = table,
                Covariance = cov,
                R2 = r2,
                R2Within = r2,
                AdjR2 = 1 - (1 - r2) * (n - 1) / dfResid,
                Ssr = ssr,
                Sigma = Math.Sqrt(ssr / dfResid),
                Omitted = omitted,
            });
        }
        return results;
    }

    private static int[] ClusterCodes(ThresholdData d, string column)
    {
        var (codes, _) = d.Panel.Codes(column);
        var map = new Dictionary<int, int>();
        var r = new int[d.NUsed];
        for (int i = 0; i < r.Length; i++)
        {
            int c = codes[d.Rows[d.UsedRows[i]]];
            if (c < 0) throw new InputException($"--vcov cluster:{column}: the column has a missing value at {d.Panel.Describe(d.Rows[d.UsedRows[i]])}");
            if (!map.TryGetValue(c, out int m)) { m = map.Count; map[c] = m; }
            r[i] = m;
        }
        return r;
    }
}
