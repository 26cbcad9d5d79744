using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace DigitalEconomy.Core.Numerics;

/// <summary>
/// Tail probabilities computed from the regularised incomplete beta/gamma functions directly, so
/// that tiny p-values (1e-100) keep their relative precision instead of being lost in 1 − CDF.
/// </summary>
public static class Distributions
{
    /// <summary>Two-sided p-value of a t statistic with <paramref name="df"/> degrees of freedom: P(|T| ≥ |t|).</summary>
    public static double StudentTTwoSided(double t, double df)
    {
        if (double.IsNaN(t) || df <= 0) return double.NaN;
        if (double.IsPositiveInfinity(df)) return NormalTwoSided(t);
        double x = df / (df + t * t);
        return SpecialFunctions.BetaRegularized(df / 2, 0.5, x);
    }

    /// <summary>Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|).</summary>
    public static double NormalTwoSided(double z) => double.IsNaN(z) ? double.NaN : SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>Upper tail P(F ≥ f) of an F(d1, d2) distribution.</summary>
    public static double FUpper(double f, double d1, double d2)
    {
        if (double.IsNaN(f) || d1 <= 0 || d2 <= 0) return double.NaN;
        if (f <= 0) return 1;
        return SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
    }

    /// <summary>Upper tail P(X ≥ x) of a χ²(df) distribution.</summary>
    public static double ChiSquaredUpper(double x, double df)
    {
        if (double.IsNaN(x) || df <= 0) return double.NaN;
        if (x <= 0) return 1;
        return SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);
    }

    /// <summary>The (1 − α/2) quantile of t(df) (normal when df is infinite), for confidence intervals.</summary>
    public static double CriticalValue(double level, double df) =>
        CriticalCache.GetOrAdd((level, df), static k => ComputeCriticalValue(k.Level, k.Df));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Level, double Df), double> CriticalCache = new();

    private static double ComputeCriticalValue(double level, double df)
    {
        double p = 1 - (1 - level) / 2;
        return double.IsPositiveInfinity(df) ? Normal.InvCDF(0, 1, p) : StudentT.InvCDF(0, 1, df, p);
    }
}
