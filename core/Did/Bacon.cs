
namespace DigitalEconomy.Core.Did;

/// <summary>One 2×2 comparison of the Goodman-Bacon decomposition.</summary>
/// <param name="Type">"treated vs never", "earlier vs later treated", "later vs earlier treated" or "later vs always treated" (bacondecomp's kinds).</param>
/// <param name="Treated">The cohort treated in this 2×2.</param>
/// <param name="Control">The control cohort; null for the never-treated.</param>
/// <param name="Estimate">The 2×2 DID of means.</param>
/// <param name="Weight">Its weight; the weights sum to 1.</param>
public sealed record BaconTerm(string Type, long Treated, long? Control, double Estimate, double Weight);

/// <summary>The decomposition: every 2×2 and the TWFE estimate they add up to (Σ weight·estimate).</summary>
public sealed record BaconResult(IReadOnlyList<BaconTerm> Terms, double TwfeEstimate)
{
    /// <summary>Per type: total weight and weighted mean estimate, in the order the types first appear.</summary>
    public IReadOnlyList<(string Type, double Weight, double Estimate)> ByType =>
        [.. Terms.GroupBy(t => t.Type).Select(g => (g.Key, g.Sum(t => t.Weight), g.Sum(t => t.Weight * t.Estimate) / g.Sum(t => t.Weight)))];
}

/// <summary>
/// Goodman-Bacon (2021, Theorem 1): on a balanced panel without covariates the two-way FE DID coefficient is a weighted mean of
/// every 2×2 DID between timing groups (cohorts, the never-treated U, the always-treated). For groups k treated earlier than
/// l (share of periods treated D̄_k &gt; D̄_l, sample shares n_k, n_l, n_kl = n_k/(n_k + n_l)) and V the variance of the
/// two-way-demeaned treatment:
/// <list type="bullet">
/// <item>k treated, l control, on the periods before l adopts: s = [(n_k + n_l)(1 − D̄_l)]² n_kl(1 − n_kl) (D̄_k − D̄_l)/(1 − D̄_l) · (1 − D̄_k)/(1 − D̄_l) / V
/// (for l = U, D̄_l = 0: [(n_k + n_U)]² n_kU(1 − n_kU) D̄_k(1 − D̄_k) / V);</item>
/// <item>l treated, k control, on the periods from k's adoption on: s = [(n_k + n_l)D̄_k]² n_kl(1 − n_kl) D̄_l/D̄_k · (D̄_k − D̄_l)/D̄_k / V.</item>
/// </list>
/// The weights sum to 1 and Σ s·β₂ₓ₂ equals the TWFE estimate exactly (to rounding; tested). Written by hand: no .NET library has it.
/// </summary>
public static class Bacon
{
    /// <summary>Decomposes y ~ treat_post | unit + time.</summary>
    /// <exception cref="InputException">Covariates, an unbalanced panel or missing outcomes, or no treated unit.</exception>
    public static BaconResult Decompose(DidDesign design, DidOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Covariates.Count > 0)
            throw new InputException($"--covariates {options.CovariateText}: the Goodman-Bacon decomposition is exact without covariates only; drop --covariates");
        EventStudy.RequireTreated(design);
        var panel = design.Panel;
        var y = options.Outcome.Evaluate(panel);
        if (!panel.IsBalanced || y.Any(double.IsNaN))
            throw new InputException($"the Goodman-Bacon decomposition needs a balanced panel with '{options.Outcome.Text}' in every unit and period");
        var periods = panel.Periods;
        int T = periods.Count, G = panel.UnitCount;
        long first = periods[0];
        // Timing groups: the cohort (periods before the first one = always treated, coded as the first period), never = null.
        long? Group(long? c) => c is { } v ? Math.Max(v, first) : null;
        var groupOf = Enumerable.Range(0, G).Select(u => Group(design.UnitCohort[u])).ToArray();
        var groups = groupOf.Distinct().OrderBy(g => g ?? long.MaxValue).ToList();
        // Mean outcome of each group in each period.
        var mean = new Dictionary<long, double[]>();
        var count = new Dictionary<long, int>();
        long Key(long? g) => g ?? long.MaxValue;
        foreach (var g in groups) { mean[Key(g)] = new double[T]; count[Key(g)] = 0; }
        for (int u = 0; u < G; u++) count[Key(groupOf[u])]++;
        for (int r = 0; r < panel.RowCount; r++)
        {
            int k = IndexOf(periods, panel.Time[r]);
            mean[Key(groupOf[panel.UnitCode[r]])][k] += y[r] / count[Key(groupOf[panel.UnitCode[r]])];
        }
        double Share(long? g) => g is { } c ? periods.Count(t => t >= c) / (double)T : 0;  // D̄
        double N(long? g) => count[Key(g)] / (double)G;
        // V: the variance of the demeaned treatment, Σ D̃² / (G·T).
        var d = design.WithCohorts([.. groupOf]).Treated();
        var dT = new Regression.Absorber([panel.UnitCode, [.. panel.Time.Select(t => IndexOf(periods, t))]]).Demean(d);
        double v = dT.Sum(x => x * x) / (G * (double)T);
        double Avg(long? g, Func<long, bool> when)
        {
            var m = mean[Key(g)];
            double s = 0; int n = 0;
            for (int k = 0; k < T; k++) if (when(periods[k])) { s += m[k]; n++; }
            return s / n;
        }
        var terms = new List<BaconTerm>();
        for (int a = 0; a < groups.Count; a++)
            for (int b = a + 1; b < groups.Count; b++)
            {
                // groups are ordered by adoption: k = groups[a] adopts before l = groups[b] (l may be never).
                long? k = groups[a], l = groups[b];
                double dk = Share(k), dl = Share(l), nk = N(k), nl = N(l), nkl = nk / (nk + nl);
                long kc = k!.Value;
                if (dk < 1)
                {
                    // k treated, l control, periods before l adopts (all periods for never).
                    Func<long, bool> window = t => l is not { } lc || t < lc;
                    double est = (Avg(k, t => window(t) && t >= kc) - Avg(k, t => window(t) && t < kc)) - (Avg(l, t => window(t) && t >= kc) - Avg(l, t => window(t) && t < kc));
                    double w = Math.Pow((nk + nl) * (1 - dl), 2) * nkl * (1 - nkl) * ((dk - dl) / (1 - dl)) * ((1 - dk) / (1 - dl)) / v;
                    terms.Add(new BaconTerm(l is null ? "treated vs never" : "earlier vs later treated", kc, l, est, w));
                }
                if (l is { } lt && dl > 0)
                {
                    // l treated, k control, periods from k's adoption on.
                    Func<long, bool> window = t => t >= kc;
                    double est = (Avg(l, t => window(t) && t >= lt) - Avg(l, t => window(t) && t < lt)) - (Avg(k, t => window(t) && t >= lt) - Avg(k, t => window(t) && t < lt));
                    double w = Math.Pow((nk + nl) * dk, 2) * nkl * (1 - nkl) * (dl / dk) * ((dk - dl) / dk) / v;
                    terms.Add(new BaconTerm(dk < 1 ? "later vs earlier treated" : "later vs always treated", lt, kc, est, w));
                }
            }
        return new BaconResult(terms, terms.Sum(t => t.Weight * t.Estimate));
    }

    private static int IndexOf(IReadOnlyList<long> periods, long t)
    {
        int lo = 0, hi = periods.Count - 1;
        while (lo <= hi) { int m = (lo + hi) / 2; if (periods[m] == t) return m; if (periods[m] < t) lo = m + 1; else hi = m - 1; }
        throw new InvalidOperationException("period not in the panel");
    }
}
