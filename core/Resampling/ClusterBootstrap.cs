using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Numerics;
using MathNet.Numerics.Distributions;

namespace DigitalEconomy.Core.Resampling;

/// <summary>Summary of bootstrap draws of one statistic.</summary>
/// <param name="Estimate">The statistic on the original sample.</param>
/// <param name="Mean">Mean of the draws.</param>
/// <param name="StdError">Standard deviation of the draws (n − 1).</param>
/// <param name="PercentileLow">Lower percentile limit (R's quantile type 7).</param>
/// <param name="PercentileHigh">Upper percentile limit (type 7).</param>
/// <param name="BiasCorrectedLow">Lower bias-corrected percentile limit.</param>
/// <param name="BiasCorrectedHigh">Upper bias-corrected percentile limit.</param>
public sealed record BootstrapSummary(double Estimate, double Mean, double StdError, double PercentileLow, double PercentileHigh, double BiasCorrectedLow, double BiasCorrectedHigh);

/// <summary>
/// Pairs cluster bootstrap (docs/methods.md, "Specification grids"): each replicate draws G units with replacement and every
/// drawn copy becomes its own unit with its whole series (as boot::boot on unit ids, the validation
/// reference). Replicate r uses the counter-based stream (seed, key, r), so any block of replicates
/// computed anywhere gives the same draws.
/// </summary>
public static class ClusterBootstrap
{
    /// <summary>The panel of replicate <paramref name="replicate"/>: G units drawn with replacement, copies relabelled b1..bG.</summary>
    public static Panel Resample(Panel panel, long seed, string key, long replicate)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return Resample(panel, new CounterRng(seed, key, replicate));
    }

    /// <summary>G units of <paramref name="panel"/> drawn with replacement from <paramref name="rng"/>, copies relabelled b1..bG.</summary>
    internal static Panel Resample(Panel panel, CounterRng rng) => Resample(panel, rng, out _);

    /// <summary>
    /// As <see cref="Resample(Panel, CounterRng)"/>, with the source row of each row of the resampled panel, so that vectors
    /// aligned with <paramref name="panel"/>'s rows (typed model terms) can follow the resample.
    /// </summary>
    internal static Panel Resample(Panel panel, CounterRng rng, out int[] sourceRows)
    {
        int g = panel.UnitCount;
        var copies = new (string Label, int Unit)[g];
        for (int k = 0; k < g; k++)
            copies[k] = ("b" + (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), rng.NextInt(g));
        // The copies in the order Panel.Create sorts a text unit column (ordinal labels, then time, which each copy's
        // rows already follow), so the frame is taken once in final order and sourceRows is that order.
        Array.Sort(copies, (a, b) => StringComparer.Ordinal.Compare(a.Label, b.Label));
        var rows = new List<int>(panel.RowCount);
        var labels = new List<string?>(panel.RowCount);
        foreach (var (label, unit) in copies)
            for (int r = panel.UnitStart[unit]; r < panel.UnitStart[unit + 1]; r++) { rows.Add(r); labels.Add(label); }
        var frame = panel.Frame.Take(rows).With(Column.Text(panel.UnitColumn, [.. labels]));
        sourceRows = [.. rows];
        return Panel.Create(frame, panel.UnitColumn, panel.TimeColumn);
    }

    /// <summary>Replicates [first, first + count) of a vector statistic; a replicate whose statistic fails yields NaNs.</summary>
    public static double[][] Run(Panel panel, Func<Panel, double[]> statistic, long seed, string key, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        var result = new double[count][];
        Parallel.For(0, count, i =>
        {
            var sample = Resample(panel, seed, key, first + i);
            try { result[i] = statistic(sample); }
            catch (EstimationException) { result[i] = [double.NaN]; }
        });
        return result;
    }

    /// <summary>Mean, standard error, percentile and bias-corrected intervals of draws (NaN draws are dropped).</summary>
    public static BootstrapSummary Summarise(double estimate, IEnumerable<double> draws, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var d = draws.Where(x => !double.IsNaN(x)).ToArray();
        if (d.Length < 2) throw new EstimationException($"bootstrap: only {d.Length} usable replicates");
        Array.Sort(d);
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        double alpha = (1 - level) / 2;
        double z0 = Normal.InvCDF(0, 1, Math.Clamp(d.Count(x => x < estimate) / (double)d.Length, 1e-12, 1 - 1e-12));
        double za = Normal.InvCDF(0, 1, alpha);
        double a1 = Normal.CDF(0, 1, 2 * z0 + za), a2 = Normal.CDF(0, 1, 2 * z0 - za);
        return new BootstrapSummary(estimate, mean, sd, Quantile7(d, alpha), Quantile7(d, 1 - alpha), Quantile7(d, a1), Quantile7(d, a2));
    }

    /// <summary>R's quantile type 7 on sorted values.</summary>
    public static double Quantile7(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
