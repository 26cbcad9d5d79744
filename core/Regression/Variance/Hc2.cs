namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>HC2: weights eᵢ²/(1 − hᵢ), full LSDV leverage (<see cref="HcLeverage"/>).</summary>
internal sealed class Hc2() : HcLeverage(1)
{
    public override string Name => "hc2";
}
