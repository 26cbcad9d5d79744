namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>HC3: weights eᵢ²/(1 − hᵢ)², full LSDV leverage (<see cref="HcLeverage"/>).</summary>
internal sealed class Hc3() : HcLeverage(2)
{
    public override string Name => "hc3";
}
