using System.Globalization;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>Number of decimals per kind of number in a table.</summary>
public sealed record TableDecimals
{
    /// <summary>Coefficients and the constant. <value>The default value is 3.</value></summary>
    public int Coefficient { get; init; } = 3;
    /// <summary>t statistics and standard errors in parentheses. <value>The default value is 3.</value></summary>
    public int Statistic { get; init; } = 3;
    /// <summary>R² and adjusted R². <value>The default value is 3.</value></summary>
    public int R2 { get; init; } = 3;
    /// <summary>F statistics and critical values (first-stage F, KP rk Wald F, CD F, Stock–Yogo). <value>The default value is 3.</value></summary>
    public int Diagnostic { get; init; } = 3;
    /// <summary>p-values printed as numbers (KP LM p). <value>The default value is 3.</value></summary>
    public int PValue { get; init; } = 3;
    /// <summary>Descriptive statistics and correlations. <value>The default value is 3.</value></summary>
    public int Descriptive { get; init; } = 3;
}

/// <summary>Number formatting and significance stars shared by every table.</summary>
public static class NumberFormat
{
    /// <summary>
    /// Fixed-point text with <paramref name="decimals"/> decimals, invariant culture, ASCII '-' for
    /// negatives, no thousands separator; a value that rounds to zero prints without a sign
    /// ("0.000", never "-0.000"); NaN and infinities print as "." (Stata's missing).
    /// </summary>
    public static string Fixed(double value, int decimals)
    {
        if (!double.IsFinite(value)) return ".";
        string s = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') && s.AsSpan(1).Trim("0.").IsEmpty ? s[1..] : s;
    }

    /// <summary>Stars of a two-sided p-value: "***" p &lt; 0.01, "**" p &lt; 0.05, "*" p &lt; 0.1, else "" (also for NaN).</summary>
    public static string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
}
