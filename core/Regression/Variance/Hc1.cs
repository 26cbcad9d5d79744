using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// Heteroskedasticity-robust sandwich B(Σ x̃ᵢx̃ᵢ'eᵢ²)B times N/(N − k − a) (stata = areg/reghdfe vce(robust),
/// lsdv the same), N/(N − k) (plm white1 HC1) or 1 (none = HC0); t tests on N − k − a df.
/// </summary>
internal sealed class Hc1 : VarianceEstimator
{
    public override string Name => "hc1";
    public override IReadOnlyList<string> Aliases => ["robust", "hetero"];

    public override VcovOutput Compute(in VcovContext c)
    {
        int n = c.N, k = c.K, a = c.AbsorbedDf;
        double factor = c.Spec.Convention switch
        {
            SmallSample.Plm => (double)n / (n - k),
            SmallSample.None => 1,
            _ => (double)n / (n - k - a),
        };
        var meat = VcovEngine.HcMeat(c.X, c.Resid);
        return new VcovOutput(Dense.Scale(Dense.Sandwich(c.Bread, meat), factor), factor, c.DfResid, new Dictionary<string, int>(StringComparer.Ordinal));
    }
}
