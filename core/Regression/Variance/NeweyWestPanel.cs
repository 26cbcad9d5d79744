using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// Panel Newey–West: as Driscoll–Kraay but the autocovariances are summed within units only,
/// Γ_l = Σ_i Σ_t s_it s_{i,t−l}' (pairs where both (i, t) and (i, t − l) are in the sample), s_it = x̃_it e_it,
/// same Bartlett kernel and L = floor(T^(1/4)). Factor: none = 1 (fixest vcov = "NW" without ssc =
/// plm::vcovNW HC0); stata = T/(T−1)·(N−1)/(N−K) with K = k + 1 when there are fixed effects (fixest's
/// default ssc counts every effect as nested for NW), else k. plm and lsdv are refused: no reference
/// fixes them. t tests on T − 1 df, as fixest.
/// </summary>
internal sealed class NeweyWestPanel : VarianceEstimator
{
    public override string Name => "nw";
    public override IReadOnlyList<string> Aliases => ["newey-west"];
    public override bool LinearOnly => true;
    public override bool NeedsTime => true;
    public override bool NeedsUnit => true;

    public override VcovOutput Compute(in VcovContext c)
    {
        var time = c.Input.Time ?? throw new InputException("--vcov nw needs the panel's time column");
        var unit = c.Input.Unit ?? throw new InputException("--vcov nw needs the panel's unit column");
        if (c.Spec.Convention is SmallSample.Plm or SmallSample.Lsdv)
            throw new InputException($"--vcov nw: the {c.Spec.Convention.ToString().ToLowerInvariant()} convention is not defined for panel Newey-West; use --ssc stata (fixest) or none");
        int n = c.N, m = c.X.Count, periods = time.Length == 0 ? 0 : time.Max() + 1, units = unit.Length == 0 ? 0 : unit.Max() + 1;
        if (periods < 2) throw new EstimationException($"Newey-West errors need at least two periods; the estimation sample has {periods}");
        var rowOf = new int[units * periods];
        Array.Fill(rowOf, -1);
        for (int i = 0; i < n; i++) rowOf[unit[i] * periods + time[i]] = i;
        int lag = PanelKernel.Lag(periods);
        var s = new double[m];
        var sl = new double[m];
        var meat = new double[m, m];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < m; p++) s[p] = c.X[p][i] * c.Resid[i];
            for (int p = 0; p < m; p++)
                for (int q = 0; q < m; q++) meat[p, q] += s[p] * s[q];
            for (int l = 1; l <= lag && time[i] - l >= 0; l++)
            {
                int j = rowOf[unit[i] * periods + time[i] - l];
                if (j < 0) continue;
                double w = PanelKernel.Bartlett(l, lag);
                for (int p = 0; p < m; p++) sl[p] = c.X[p][j] * c.Resid[j];
                for (int p = 0; p < m; p++)
                    for (int q = 0; q < m; q++) meat[p, q] += w * (s[p] * sl[q] + sl[p] * s[q]);
            }
        }
        double f = 1;
        if (c.Spec.Convention == SmallSample.Stata)
        {
            int kk = c.K + (c.Input.HasFixedEffects ? 1 : 0);
            f = (double)periods / (periods - 1) * (n - 1) / (n - kk);
        }
        return new VcovOutput(Dense.Scale(Dense.Sandwich(c.Bread, meat), f), f, periods - 1, new Dictionary<string, int>(StringComparer.Ordinal));
    }
}
