using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>Conventional errors: σ̂²(X̃'X̃)⁻¹ with σ̂² = SSR/(N − k − a); t tests on N − k − a df. No convention applies.</summary>
internal sealed class Iid : VarianceEstimator
{
    public override string Name => "iid";
    public override IReadOnlyList<string> Aliases => ["conventional", "standard"];
    public override bool UsesConvention => false;

    public override VcovOutput Compute(in VcovContext c) =>
        new(Dense.Scale(c.Bread, c.Ssr / c.DfResid), 1, c.DfResid, new Dictionary<string, int>(StringComparer.Ordinal));
}
