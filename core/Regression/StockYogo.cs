namespace DigitalEconomy.Core.Regression;

/// <summary>
/// Stock and Yogo (2005), Table 5.2: critical values of the Cragg-Donald Wald F for a 5 % Wald test
/// on 2SLS whose actual size is at most 10, 15, 20 or 25 %. Published for one and two endogenous
/// regressors (n) and 1–30 excluded instruments (K₂ ≥ n); no size table exists for three or more
/// endogenous regressors. Used as the benchmark for the Kleibergen-Paap rk Wald F too, as ivreg2 does.
/// </summary>
public static class StockYogo
{
    /// <summary>The maximal sizes, as fractions, of the four columns.</summary>
    public static IReadOnlyList<double> MaximalSizes { get; } = [0.10, 0.15, 0.20, 0.25];

    // Rows: K2 = 1..30; columns: n = 1 (10,15,20,25 %), then n = 2 (10,15,20,25 %).
    private static readonly double[,] Size =
    {
        { 16.38,  8.96,  6.66,  5.53,  0.00,  0.00,  0.00,  0.00 },
        { 19.93, 11.59,  8.75,  7.25,  7.03,  4.58,  3.95,  3.63 },
        { 22.30, 12.83,  9.54,  7.80, 13.43,  8.18,  6.40,  5.45 },
        { 24.58, 13.96, 10.26,  8.31, 16.87,  9.93,  7.54,  6.28 },
        { 26.87, 15.09, 10.98,  8.84, 19.45, 11.22,  8.38,  6.89 },
        { 29.18, 16.23, 11.72,  9.38, 21.68, 12.33,  9.10,  7.42 },
        { 31.50, 17.38, 12.48,  9.93, 23.72, 13.34,  9.77,  7.91 },
        { 33.84, 18.54, 13.24, 10.50, 25.64, 14.31, 10.41,  8.39 },
        { 36.19, 19.71, 14.01, 11.07, 27.51, 15.24, 11.03,  8.85 },
        { 38.54, 20.88, 14.78, 11.65, 29.32, 16.16, 11.65,  9.31 },
        { 40.90, 22.06, 15.56, 12.23, 31.11, 17.06, 12.25,  9.77 },
        { 43.27, 23.24, 16.35, 12.82, 32.88, 17.95, 12.86, 10.22 },
        { 45.64, 24.42, 17.14, 13.41, 34.62, 18.84, 13.45, 10.68 },
        { 48.01, 25.61, 17.93, 14.00, 36.36, 19.72, 14.05, 11.13 },
        { 50.39, 26.80, 18.72, 14.60, 38.08, 20.60, 14.65, 11.58 },
        { 52.77, 27.99, 19.51, 15.19, 39.80, 21.48, 15.24, 12.03 },
        { 55.15, 29.19, 20.31, 15.79, 41.51, 22.35, 15.83, 12.49 },
        { 57.53, 30.38, 21.10, 16.39, 43.22, 23.22, 16.42, 12.94 },
        { 59.92, 31.58, 21.90, 16.99, 44.92, 24.09, 17.02, 13.39 },
        { 62.30, 32.77, 22.70, 17.60, 46.62, 24.96, 17.61, 13.84 },
        { 64.69, 33.97, 23.50, 18.20, 48.31, 25.82, 18.20, 14.29 },
        { 67.07, 35.17, 24.30, 18.80, 50.01, 26.69, 18.79, 14.74 },
        { 69.46, 36.37, 25.10, 19.41, 51.70, 27.56, 19.38, 15.19 },
        { 71.85, 37.57, 25.90, 20.01, 53.39, 28.42, 19.97, 15.64 },
        { 74.24, 38.77, 26.71, 20.61, 55.07, 29.29, 20.56, 16.10 },
        { 76.62, 39.97, 27.51, 21.22, 56.76, 30.15, 21.15, 16.55 },
        { 79.01, 41.17, 28.31, 21.83, 58.45, 31.02, 21.74, 17.00 },
        { 81.40, 42.37, 29.12, 22.43, 60.13, 31.88, 22.33, 17.45 },
        { 83.79, 43.57, 29.92, 23.04, 61.82, 32.74, 22.92, 17.90 },
        { 86.17, 44.78, 30.72, 23.65, 63.51, 33.61, 23.51, 18.35 },
    };

    /// <summary>
    /// The four 2SLS-size critical values (10, 15, 20, 25 %) for <paramref name="endogenous"/>
    /// endogenous regressors and <paramref name="excludedInstruments"/> excluded instruments, or
    /// null when the published table has no entry (n ∉ {1, 2}, K₂ &lt; n or K₂ &gt; 30).
    /// </summary>
    public static IReadOnlyList<double>? TslsSize(int endogenous, int excludedInstruments)
    {
        if (endogenous is < 1 or > 2 || excludedInstruments < endogenous || excludedInstruments > 30) return null;
        int c = endogenous == 1 ? 0 : 4;
        int r = excludedInstruments - 1;
        return [Size[r, c], Size[r, c + 1], Size[r, c + 2], Size[r, c + 3]];
    }
}
