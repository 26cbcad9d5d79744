using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// Driscoll–Kraay (1998): B[Γ₀ + Σ_{l=1..L} w_l(Γ_l + Γ_l')]B with h_t = Σ_i x̃_it e_it (cross-section sum
/// of the scores), Γ_l = Σ_t h_t h_{t−l}', Bartlett w_l = 1 − l/(L+1), L = floor(T^(1/4)) (plm and fixest's
/// default); lags count the sample's periods in order. Factor by convention: none = 1 (plm::vcovSCC
/// HC0); plm = T/(T−1)·(N−1)/(N−k) (vcovSCC "sss"); stata = T/(T−1)·(N−1)/(N−K), K = k + the df of the
/// effects not nested in the periods (fixest vcov = "DK" with its default ssc); lsdv: K = k + a.
/// That is the CR1 factor with the periods as clusters. t tests on T − 1 df, as fixest.
/// </summary>
internal sealed class DriscollKraay : VarianceEstimator
{
    public override string Name => "dk";
    public override IReadOnlyList<string> Aliases => ["driscoll-kraay", "scc"];
    public override bool LinearOnly => true;
    public override bool NeedsTime => true;

    public override VcovOutput Compute(in VcovContext c)
    {
        var time = c.Input.Time ?? throw new InputException("--vcov dk needs the panel's time column");
        int n = c.N, m = c.X.Count, periods = time.Length == 0 ? 0 : time.Max() + 1;
        if (periods < 2) throw new EstimationException($"Driscoll-Kraay errors need at least two periods; the estimation sample has {periods}");
        var h = new double[periods, m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < m; p++) h[time[i], p] += c.X[p][i] * c.Resid[i];
        int lag = PanelKernel.Lag(periods);
        var meat = new double[m, m];
        for (int l = 0; l <= lag; l++)
        {
            double w = PanelKernel.Bartlett(l, lag);
            for (int t = l; t < periods; t++)
                for (int p = 0; p < m; p++)
                    for (int q = 0; q < m; q++)
                    {
                        double g = h[t, p] * h[t - l, q];
                        meat[p, q] += w * g;
                        if (l > 0) meat[q, p] += w * g;
                    }
        }
        double f = ClusterCr1.Factor(c.Input, time, periods);
        return new VcovOutput(Dense.Scale(Dense.Sandwich(c.Bread, meat), f), f, periods - 1, new Dictionary<string, int>(StringComparer.Ordinal));
    }
}

/// <summary>The lag rule and kernel shared by the panel HAC estimators (Driscoll–Kraay, panel Newey–West).</summary>
internal static class PanelKernel
{
    /// <summary>L = floor(T^(1/4)), in integers (no rounding of a fractional power at 16, 81, …).</summary>
    public static int Lag(int periods)
    {
        int l = 0;
        while ((long)(l + 1) * (l + 1) * (l + 1) * (l + 1) <= periods) l++;
        return l;
    }

    /// <summary>Bartlett weight 1 − l/(L+1).</summary>
    public static double Bartlett(int l, int lag) => 1 - (double)l / (lag + 1);
}
