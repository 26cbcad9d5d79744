using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Core.Threshold;

/// <summary>The bootstrap test of k − 1 against k thresholds.</summary>
/// <param name="K">The alternative's number of thresholds.</param>
/// <param name="F">The sample's F_k.</param>
/// <param name="Reps">Bootstrap replications B.</param>
/// <param name="PValue">The share of draws with F*_k &gt; F_k.</param>
/// <param name="Crit10">Bootstrap critical value at 10 % (the 0.90 quantile of F*, R's type 1).</param>
/// <param name="Crit5">At 5 %.</param>
/// <param name="Crit1">At 1 %.</param>
public sealed record ThresholdTest(int K, double F, int Reps, double PValue, double Crit10, double Crit5, double Crit1);

/// <summary>
/// Hansen's (1999, section 3.2) fixed-regressor residual bootstrap by unit of F_k: under the null of k − 1 thresholds
/// (held at the sample's γ̂₁ … γ̂ₖ₋₁), draw r builds y* = ŷ + e* on the transformed rows, where e* gives each unit the
/// residual vector of a unit drawn with replacement, then repeats the sequential search up to k thresholds on y* (same
/// grid, exclusions and trimming) and records F*_k. Draw r takes its units from the counter-based stream r of
/// (seed, key) (<see cref="CounterRng.InFamily"/>), so draws [from, to) are the same numbers in any block, silo or order.
/// Unbalanced panels: a unit's residual vector is drawn among the units with as many used rows as it has (the draw is by
/// stratum of Tᵢ; a balanced panel is one stratum, Hansen's scheme).
/// </summary>
public static class ThresholdBootstrap
{
    /// <summary>F*_k of draws [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="panel">The data.</param>
    /// <param name="spec">The model (its options: grid, trimming, transform).</param>
    /// <param name="nullThresholds">γ̂₁ … γ̂ₖ₋₁ of the sample's sequential search (<see cref="ThresholdStep.Fixed"/> of step k).</param>
    /// <param name="k">The test's number of thresholds under the alternative.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="key">The stream family's key (the test's identity, e.g. the analysis name and k).</param>
    /// <param name="from">First draw.</param>
    /// <param name="to">One past the last draw.</param>
    public static double[] Draws(Panel panel, ThresholdSpec spec, IReadOnlyList<double> nullThresholds, int k, long seed, string key, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(nullThresholds);
        if (nullThresholds.Count != k - 1) throw new ArgumentException($"the test of {k} thresholds needs {k - 1} null thresholds", nameof(nullThresholds));
        var d = ThresholdData.Build(panel, spec);
        var grid = d.Grid(out int qn);
        int n = d.NUsed;
        var plans = new Dictionary<string, ScanPlan>(StringComparer.Ordinal);
        var nullPlan = PanelThreshold.Plan(d, plans, grid, qn, [.. nullThresholds], Math.Max(1, k - 1));
        var e = nullPlan.Residuals(d.Y);
        var fitted = new double[n];
        for (int i = 0; i < n; i++) fitted[i] = d.Y[i] - e[i];
        var byUnit = d.UsedRowsByUnit();
        // Strata: units with the same number of used rows (docs/methods.md: unbalanced panels).
        var strata = Enumerable.Range(0, d.Units).GroupBy(u => byUnit[u].Length).ToDictionary(g => g.Key, g => g.ToArray());
        ulong family = CounterRng.Family(seed, key);
        var result = new double[to - from];
        var yb = new double[n];
        for (int r = from; r < to; r++)
        {
            var rng = CounterRng.InFamily(family, r);
            for (int u = 0; u < d.Units; u++)
            {
                var own = byUnit[u];
                var stratum = strata[own.Length];
                var donor = byUnit[stratum[rng.NextInt(stratum.Length)]];
                for (int t = 0; t < own.Length; t++) yb[own[t]] = fitted[own[t]] + e[donor[t]];
            }
            result[r - from] = Statistic(d, plans, grid, qn, k, yb, n);
            // The plans of searches given a drawn threshold are rarely met again; keep the cache small.
            if (plans.Count > 64) plans.Clear();
        }
        return result;
    }

    /// <summary>F_k of the sequential search on <paramref name="y"/> (stage thresholds, no refinement, as the sample's F_k).</summary>
    private static double Statistic(ThresholdData d, Dictionary<string, ScanPlan> plans, double[] grid, int qn, int k, double[] y, int n)
    {
        var stage = new List<double>();
        double prev = double.NaN, cur = double.NaN;
        for (int j = 1; j <= k; j++)
        {
            var plan = PanelThreshold.Plan(d, plans, grid, qn, [.. stage], j);
            if (plan.Candidates.Length == 0) return double.NaN;
            var ssr = plan.Ssr(y, out double sBase);
            // The first search's plan is the linear model's (no threshold yet): its base SSR is the linear SSR, so the scan runs once.
            if (j == 1) cur = sBase;
            int best = PanelThreshold.ArgMin(ssr);
            prev = cur;
            cur = ssr[best];
            stage.Add(plan.Candidates[best]);
        }
        return (prev - cur) / (cur / n);
    }

    /// <summary>The test from the sample's F_k and its draws (in draw order): p-value and critical values.</summary>
    public static ThresholdTest Summarise(int k, double f, IReadOnlyList<double> draws)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var ok = draws.Where(double.IsFinite).Order().ToArray();
        int b = ok.Length;
        double p = b == 0 ? double.NaN : (double)ok.Count(v => v > f) / b;
        return new ThresholdTest(k, f, draws.Count, p, Quantile(ok, 0.90), Quantile(ok, 0.95), Quantile(ok, 0.99));
    }

    /// <summary>R's <c>quantile(x, p, type = 1)</c> of sorted values: x_(j) with j = ⌈np⌉, with R's fuzz of 4ε on np.</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        const double fuzz = 4 * 2.220446049250313e-16;
        double np = n * p;
        int j = (int)Math.Floor(np + fuzz);
        if (np > j + fuzz) j++;
        return sorted[Math.Clamp(j, 1, n) - 1];
    }
}
