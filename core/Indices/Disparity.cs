using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Indices;

/// <summary>Theil T with its exact decomposition over groups.</summary>
/// <param name="Total">T = Σᵢ sᵢ ln(sᵢ/wᵢ), sᵢ = wᵢyᵢ/Σwy (value shares), wᵢ = weight shares.</param>
/// <param name="Within">Σ_g S_g T_g: value-share-weighted within-group Theil.</param>
/// <param name="Between">Σ_g S_g ln(S_g/W_g).</param>
/// <param name="Groups">Per group: its within Theil T_g, value share S_g and weight share W_g.</param>
public sealed record TheilResult(double Total, double Within, double Between, IReadOnlyDictionary<string, (double Theil, double ValueShare, double WeightShare)> Groups);

/// <summary>Dagum (1997) Gini decomposition: G = G_w + G_nb + G_t exactly.</summary>
/// <param name="Total">Overall Gini Σ_j Σ_h Σ_i Σ_r |y_ji − y_hr| / (2n²μ).</param>
/// <param name="Within">G_w = Σ_j G_jj p_j s_j.</param>
/// <param name="NetBetween">G_nb = Σ_{j&gt;h} G_jh (p_j s_h + p_h s_j) D_jh.</param>
/// <param name="Transvariation">G_t = Σ_{j&gt;h} G_jh (p_j s_h + p_h s_j)(1 − D_jh).</param>
/// <param name="WithinGini">G_jj per group.</param>
/// <param name="BetweenGini">G_jh per pair "j|h" (groups ordered by mean, higher first).</param>
public sealed record DagumResult(double Total, double Within, double NetBetween, double Transvariation,
    IReadOnlyDictionary<string, double> WithinGini, IReadOnlyDictionary<string, double> BetweenGini);

/// <summary>β-convergence: growth regressed on the initial level.</summary>
/// <param name="Beta">Coefficient of the lagged log level.</param>
/// <param name="StdError">Its standard error under the chosen variance estimator.</param>
/// <param name="PValue">Its p-value.</param>
/// <param name="Speed">Convergence speed λ = −ln(1 + β) per period (NaN when β ≥ 0 or β ≤ −1).</param>
/// <param name="HalfLife">ln 2 / λ periods.</param>
/// <param name="Regression">The full regression.</param>
public sealed record BetaConvergence(double Beta, double StdError, double PValue, double Speed, double HalfLife, RegressionResult Regression);

/// <summary>Coupling coordination of two or more subsystems for one observation.</summary>
public sealed record CouplingResult(double Coupling, double Development, double Coordination, string Grade, string GradeZh);

/// <summary>
/// Regional gaps and coordination (docs/methods.md, "Composite indices and regional gaps"): coefficient of variation, Theil T with exact
/// within/between decomposition (optionally population-weighted), Dagum Gini with
/// within/net-between/transvariation decomposition, σ- and β-convergence, coupling coordination.
/// Cross-sectional measures take the values of one period.
/// </summary>
public static class Disparity
{
    /// <summary>Coefficient of variation sd/mean with the population standard deviation (weighted if weights are given).</summary>
    public static double CoefficientOfVariation(IReadOnlyList<double> y, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Count < 2) throw new InputException($"the coefficient of variation needs at least two values; got {y.Count}");
        var w = Weights(y.Count, weights);
        double mu = 0;
        for (int i = 0; i < y.Count; i++) mu += w[i] * y[i];
        double v = 0;
        for (int i = 0; i < y.Count; i++) v += w[i] * (y[i] - mu) * (y[i] - mu);
        return Math.Sqrt(v) / mu;
    }

    /// <summary>Theil T index decomposed over <paramref name="groups"/>; weights (e.g. population) default to equal.</summary>
    /// <exception cref="InputException">A value ≤ 0 (Theil uses logs), with its label.</exception>
    public static TheilResult Theil(IReadOnlyList<double> y, IReadOnlyList<string> groups, IReadOnlyList<double>? weights = null, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(groups);
        int n = y.Count;
        if (n < 2) throw new InputException($"the Theil index needs at least two values; got {n}");
        for (int i = 0; i < n; i++)
            if (!(y[i] > 0)) throw new InputException($"Theil index: value {y[i]} of {labels?[i] ?? $"row {i + 1}"} is not positive (the index takes logs)");
        var w = Weights(n, weights);
        double total = 0, mass = 0;
        for (int i = 0; i < n; i++) mass += w[i] * y[i];
        for (int i = 0; i < n; i++) { double s = w[i] * y[i] / mass; total += s * Math.Log(s / w[i]); }
        var byGroup = new SortedDictionary<string, (double, double, double)>(StringComparer.Ordinal);
        double within = 0, between = 0;
        foreach (var g in groups.Distinct().OrderBy(x => x, StringComparer.Ordinal))
        {
            var idx = Enumerable.Range(0, n).Where(i => groups[i] == g).ToArray();
            double wg = idx.Sum(i => w[i]);
            double mg = idx.Sum(i => w[i] * y[i]);
            double sg = mg / mass;
            double tg = 0;
            foreach (int i in idx) { double s = w[i] * y[i] / mg; tg += s * Math.Log(s / (w[i] / wg)); }
            within += sg * tg;
            between += sg * Math.Log(sg / wg);
            byGroup[g] = (tg, sg, wg);
        }
        return new TheilResult(total, within, between, byGroup);
    }

    /// <summary>Dagum Gini coefficient and its decomposition over <paramref name="groups"/>.</summary>
    public static DagumResult Dagum(IReadOnlyList<double> y, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(groups);
        int n = y.Count;
        if (n < 2) throw new InputException($"the Dagum Gini needs at least two values; got {n}");
        double mu = y.Average();
        if (!(mu > 0)) throw new InputException("the Dagum Gini needs a positive mean");
        var names = groups.Distinct().ToArray();
        var members = names.Select(g => Enumerable.Range(0, n).Where(i => groups[i] == g).Select(i => y[i]).ToArray()).ToArray();
        var means = members.Select(m => m.Average()).ToArray();
        // Order groups by mean, highest first, so that d_jh uses the richer group j.
        var order = Enumerable.Range(0, names.Length).OrderByDescending(k => means[k]).ThenBy(k => names[k], StringComparer.Ordinal).ToArray();
        double total = 0;
        for (int i = 0; i < n; i++) for (int r = 0; r < n; r++) total += Math.Abs(y[i] - y[r]);
        total /= 2.0 * n * n * mu;
        double gw = 0, gnb = 0, gt = 0;
        var withinGini = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var betweenGini = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int a = 0; a < order.Length; a++)
        {
            int j = order[a];
            var yj = members[j];
            double pj = (double)yj.Length / n, sj = yj.Length * means[j] / (n * mu);
            double sum = 0;
            foreach (double u in yj) foreach (double v in yj) sum += Math.Abs(u - v);
            double gjj = sum / (2.0 * yj.Length * yj.Length * means[j]);
            withinGini[names[j]] = gjj;
            gw += gjj * pj * sj;
            for (int b = a + 1; b < order.Length; b++)
            {
                int h = order[b];
                var yh = members[h];
                double ph = (double)yh.Length / n, sh = yh.Length * means[h] / (n * mu);
                double abs = 0, dPos = 0, pPos = 0;
                foreach (double u in yj)
                    foreach (double v in yh)
                    {
                        double diff = u - v;
                        abs += Math.Abs(diff);
                        if (diff > 0) dPos += diff; else pPos -= diff;
                    }
                double gjh = abs / (yj.Length * yh.Length * (means[j] + means[h]));
                double djh = dPos + pPos > 0 ? (dPos - pPos) / (dPos + pPos) : 0;
                double weight = pj * sh + ph * sj;
                gnb += gjh * weight * djh;
                gt += gjh * weight * (1 - djh);
                betweenGini[$"{names[j]}|{names[h]}"] = gjh;
            }
        }
        return new DagumResult(total, gw, gnb, gt, withinGini, betweenGini);
    }

    /// <summary>σ-convergence series: per period, the standard deviation of ln y and the coefficient of variation of y.</summary>
    public static IReadOnlyList<(long Period, double SdLog, double Cv)> SigmaConvergence(Panel panel, double[] y)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(y);
        var list = new List<(long, double, double)>();
        foreach (var t in panel.Periods)
        {
            var v = Enumerable.Range(0, y.Length).Where(i => panel.Time[i] == t && !double.IsNaN(y[i])).Select(i => y[i]).ToArray();
            if (v.Length < 2) continue;
            var logs = v.Select(x => x > 0 ? Math.Log(x) : throw new InputException($"σ-convergence: non-positive value {x} in period {t}")).ToArray();
            double m = logs.Average();
            list.Add((t, Math.Sqrt(logs.Sum(l => (l - m) * (l - m)) / logs.Length), CoefficientOfVariation(v)));
        }
        return list;
    }

    /// <summary>
    /// β-convergence: Δln y_it = α + β ln y_i,t−1 (+ controls) (+ fixed effects) + ε. Absolute
    /// convergence: no controls, no FE (pooled). Conditional: controls and/or unit (and year) FE,
    /// e.g. <c>fixedEffects = "unit + year"</c>. β &lt; 0 indicates convergence.
    /// </summary>
    public static BetaConvergence Beta(Panel panel, string valueColumn, IReadOnlyList<string>? controls = null, string? fixedEffects = null, EstimationOptions? options = null) =>
        Beta(panel, valueColumn, [.. (controls ?? []).Select(Formula.ParseTerm)], string.IsNullOrWhiteSpace(fixedEffects) ? [] : Formula.ParseFixedEffects(fixedEffects), options);

    /// <summary>β-convergence as above, with the controls and fixed effects already typed (a study's, parsed by the client).</summary>
    public static BetaConvergence Beta(Panel panel, string valueColumn, IReadOnlyList<Expr> controls, IReadOnlyList<FixedEffect> fixedEffects, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(controls);
        ArgumentNullException.ThrowIfNull(fixedEffects);
        var y = PanelTransforms.Log(panel, panel.Frame.Numeric(valueColumn), valueColumn);
        var lag = PanelTransforms.Lag(panel, y);
        var growth = y.Select((v, i) => v - lag[i]).ToArray();
        // Growth and the initial level enter the design as typed vectors, not as columns added to the panel.
        var initial = new VectorExpr($"ln {valueColumn}(t-1)", lag);
        var formula = Formula.Of(new VectorExpr($"Δln {valueColumn}", growth), [initial, .. controls], fixedEffects);
        var r = Estimation.Fit(panel, formula, options);
        var c = r[initial.Text];
        double speed = c.Estimate > -1 && c.Estimate < 0 ? -Math.Log(1 + c.Estimate) : double.NaN;
        return new BetaConvergence(c.Estimate, c.StdError, c.PValue, speed, Math.Log(2) / speed, r);
    }

    /// <summary>
    /// Coupling coordination degree of subsystem indices U_k ∈ [0, 1]: C = n(Π U_k)^{1/n} / Σ U_k,
    /// T = Σ α_k U_k (α equal unless given, summing to 1), D = sqrt(C·T), with the usual ten grade
    /// bands of width 0.1 (极度失调 … 优质协调).
    /// </summary>
    public static CouplingResult Coupling(IReadOnlyList<double> u, IReadOnlyList<double>? alpha = null)
    {
        ArgumentNullException.ThrowIfNull(u);
        int n = u.Count;
        if (n < 2) throw new InputException("coupling coordination needs two or more subsystems");
        foreach (double v in u) if (!(v >= 0 && v <= 1)) throw new InputException($"coupling coordination: subsystem index {v} is outside [0, 1] (use 0–1 scores)");
        var a = alpha ?? Enumerable.Repeat(1.0 / n, n).ToArray();
        if (a.Count != n || Math.Abs(a.Sum() - 1) > 1e-9) throw new InputException("coupling coordination: the contribution weights must be one per subsystem and sum to 1");
        double sum = u.Sum();
        double c = sum > 0 ? n * Math.Exp(u.Sum(v => Math.Log(v)) / n) / sum : 0;
        if (double.IsNaN(c)) c = 0;
        double t = 0;
        for (int k = 0; k < n; k++) t += a[k] * u[k];
        double d = Math.Sqrt(c * t);
        var (en, zh) = Grade(d);
        return new CouplingResult(c, t, d, en, zh);
    }

    /// <summary>The grade of a coordination degree D ∈ [0, 1]: ten bands of width 0.1, [0, 0.1) extreme imbalance … [0.9, 1] high-quality coordination.</summary>
    public static (string En, string Zh) Grade(double d)
    {
        if (!(d >= 0 && d <= 1 + 1e-12)) throw new InputException($"coordination degree {d} is outside [0, 1]");
        int band = Math.Min(9, (int)Math.Floor(d * 10 + 1e-12));
        return Grades[band];
    }

    private static readonly (string En, string Zh)[] Grades =
    [
        ("extreme imbalance", "极度失调"), ("severe imbalance", "严重失调"), ("moderate imbalance", "中度失调"),
        ("mild imbalance", "轻度失调"), ("on the verge of imbalance", "濒临失调"), ("barely coordinated", "勉强协调"),
        ("primary coordination", "初级协调"), ("intermediate coordination", "中级协调"), ("good coordination", "良好协调"),
        ("high-quality coordination", "优质协调"),
    ];

    private static double[] Weights(int n, IReadOnlyList<double>? weights)
    {
        if (weights is null) return Enumerable.Repeat(1.0 / n, n).ToArray();
        if (weights.Count != n) throw new InputException($"{weights.Count} weights for {n} values");
        double s = weights.Sum();
        if (!(s > 0) || weights.Any(w => w < 0)) throw new InputException("weights must be non-negative with a positive sum");
        return weights.Select(w => w / s).ToArray();
    }
}
