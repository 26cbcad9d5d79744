using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// HC2 and HC3 (MacKinnon &amp; White 1985) with the full LSDV leverage hᵢ = h_FE,i + x̃ᵢ'Bx̃ᵢ
/// (<see cref="FeProjection"/>): B(Σ x̃ᵢx̃ᵢ' eᵢ²/(1 − hᵢ)^δ)B, δ = 1 (HC2) or 2 (HC3); no small-sample factor,
/// t tests on N − k − a df. Equals sandwich::vcovHC(lm with the FE dummies, "HC2"/"HC3"); plm's within
/// HC2/HC3 leave h_FE out and differ.
/// </summary>
internal abstract class HcLeverage(int power) : VarianceEstimator
{
    public override bool ScoreLinear => false;
    public override bool LinearOnly => true;
    public override bool UsesConvention => false;

    public override VcovOutput Compute(in VcovContext c)
    {
        int n = c.N, m = c.X.Count;
        var h = FeProjection.Diagonal(c.Input.Absorber, n);
        var hx = FeProjection.RegressorLeverage(c.Bread, c.X, n);
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double one = 1 - (h[i] + hx[i]);
            w[i] = c.Resid[i] / (power == 1 ? Math.Sqrt(one) : one); // so that w² = e²/(1 − h)^δ
        }
        var meat = VcovEngine.HcMeat(c.X, w);
        return new VcovOutput(Dense.Sandwich(c.Bread, meat), 1, c.DfResid, new Dictionary<string, int>(StringComparer.Ordinal));
    }
}
