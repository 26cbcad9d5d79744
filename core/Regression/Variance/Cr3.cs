namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// CR3: A_g = (I − H_gg)⁻¹ (generalised), no (G−1)/G factor — the delete-one-cluster jackknife
/// Σ_g (b₋g − b)(b₋g − b)' with every fixed effect re-estimated (validation README section i).
/// </summary>
internal sealed class Cr3() : ClusterAdjusted(-1)
{
    public override string Name => "cr3";
}
