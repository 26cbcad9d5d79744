using System.Diagnostics;
using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// Placebo draws of a two-way FE DID on the 286-city panel (bench/did_placebo_bench.sh): core's fast draws (outcome and
/// covariates demeaned once, only each draw's indicator per draw) for B draws, median of 5 runs after a warm-up, and side
/// by side a loop of full refits through the fit pipeline (cluster SEs included, as a Stata loop would) for 100 draws,
/// extrapolated to B; the largest difference between the two estimates over those draws is printed.
/// </summary>
internal static class DidPlaceboBench
{
    public static void Run(string path, int draws)
    {
        var inv = CultureInfo.InvariantCulture;
        var panel = Panel.Create(CsvReader.ReadFile(path), "city", "year");
        var design = DidDesign.FromCohort(panel, "pilot_year");
        var options = new DidOptions { Outcome = Formula.ParseTerm("tfp"), Covariates = [Formula.ParseTerm("lngdp"), Formula.ParseTerm("gov"), Formula.ParseTerm("fin"), Formula.ParseTerm("openness")] };
        const string key = "bench/placebo/units";
        TwfePlacebo.Prepare(design, options).Draws(PlaceboKind.Units, 1, key, 0, 50);
        var times = new double[5];
        double[] fast = [];
        for (int i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            fast = TwfePlacebo.Prepare(design, options).Draws(PlaceboKind.Units, 1, key, 0, draws);
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(inv, $"{panel.RowCount} rows, {panel.UnitCount} cities, cohorts {string.Join(",", design.Cohorts)}: {draws} placebo draws of the TWFE DID (4 covariates) in {times[2]:0.000} s (median of 5; {1e3 * times[2] / draws:0.000} ms a draw)"));
        const int loop = 100;
        var p = TwfePlacebo.Prepare(design, options);
        ulong family = CounterRng.Family(1, key);
        EventStudy.Twfe(design.WithCohorts(p.Assignment(PlaceboKind.Units, family, 0)), options);
        double worst = 0;
        var sw2 = Stopwatch.StartNew();
        for (int b = 0; b < loop; b++)
        {
            double refit = EventStudy.Twfe(design.WithCohorts(p.Assignment(PlaceboKind.Units, family, b)), options).Att.Estimate;
            worst = Math.Max(worst, Math.Abs(refit - fast[b]) / Math.Max(1e-300, Math.Abs(refit)));
        }
        double perRefit = sw2.Elapsed.TotalSeconds / loop;
        Console.WriteLine(string.Create(inv, $"loop of refits (fit pipeline, cluster SE): {1e3 * perRefit:0.000} ms a draw, {perRefit * draws:0.00} s for {draws} (from {loop}); speed-up {perRefit * draws / times[2]:0.0}x; largest relative difference fast vs refit {worst:0.0e+0}"));
    }
}
