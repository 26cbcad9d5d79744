using System.Diagnostics;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Core.Threshold;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// Hansen threshold tests on a generated 565-unit × 15-period panel (one threshold variable q, regressors x1–x3 and the
/// regime-dependent z: 4 regressors), K = 3, B draws per test (bench/threshold_bench.sh): the cumulative-sum search
/// (the code path of de threshold and of the compute grain) beside the refit-per-candidate search of the same code
/// (<see cref="ThresholdOptions.RefitPerCandidate"/>), the latter timed on a few draws per test and extrapolated to B.
/// </summary>
internal static class ThresholdBench
{
    public const int Units = 565, Periods = 15;

    /// <summary>Writes the panel: y = μᵢ + 0.5x1 − 0.3x2 + 0.2x3 + z·(1 + 0.6·1{q ≥ 0.35} + 0.5·1{q ≥ 0.7}) + e, from CounterRng streams.</summary>
    public static void Write(string path)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("unit,year,y,x1,x2,x3,z,q\n");
        for (int i = 0; i < Units; i++)
        {
            var rng = new CounterRng(20261207, "threshold-bench", i);
            double mu = Normal(rng);
            for (int t = 0; t < Periods; t++)
            {
                double x1 = Normal(rng), x2 = Normal(rng), x3 = Normal(rng), z = 1 + Normal(rng), q = Math.Round(rng.NextDouble(), 4);
                double slope = 1 + (q >= 0.35 ? 0.6 : 0) + (q >= 0.7 ? 0.5 : 0);
                double y = mu + 0.5 * x1 - 0.3 * x2 + 0.2 * x3 + slope * z + Normal(rng);
                sb.Append(string.Create(inv, $"u{i:D3},{2006 + t},{y:R},{x1:R},{x2:R},{x3:R},{z:R},{q:R}\n"));
            }
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static double Normal(CounterRng r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    public static void Run(string path, int reps, int slowDraws)
    {
        if (!File.Exists(path)) Write(path);
        var inv = CultureInfo.InvariantCulture;
        var panel = Panel.Create(CsvReader.ReadFile(path), "unit", "year");
        var spec = new ThresholdSpec(Formula.Parse("y ~ x1 + x2 + x3"), Formula.ParseTerm("q"), [Formula.ParseTerm("z")], new ThresholdOptions { Thresholds = 3 });
        var slow = spec with { Options = spec.Options with { RefitPerCandidate = true } };
        Console.WriteLine($"panel: {panel.RowCount} rows ({Units} units × {Periods} periods); y ~ x1 + x2 + x3, regime z, threshold q; K = 3, qn = 400, trim 0.01; {Environment.ProcessorCount} cores visible");
        PanelThreshold.Estimate(panel, spec);   // warm-up (JIT)
        ThresholdBootstrap.Draws(panel, spec, [], 1, 1, "warm", 0, 3);
        var sw = Stopwatch.StartNew();
        // What a grain call pays before its first draw: the sample, transform, grid and plans (one call of one draw, k = 3).
        var setup = new double[5];
        for (int i = 0; i < setup.Length; i++) { sw.Restart(); ThresholdBootstrap.Draws(panel, spec, [0.351, 0.7], 3, 1, "setup", 0, 1); setup[i] = sw.Elapsed.TotalMilliseconds; }
        Console.WriteLine(string.Create(inv, $"one grain call of one triple-test draw (setup included): {setup.Order().ElementAt(2):0.0} ms (median of 5)"));
        sw.Restart();
        var fast = PanelThreshold.Estimate(panel, spec);
        double estFast = sw.Elapsed.TotalSeconds;
        var fastTests = new double[3];
        foreach (var s in fast.Steps)
        {
            sw.Restart();
            var draws = ThresholdBootstrap.Draws(panel, spec, s.Fixed, s.K, 1, $"bench/{s.K}", 0, reps);
            fastTests[s.K - 1] = sw.Elapsed.TotalSeconds;
            var t = ThresholdBootstrap.Summarise(s.K, s.F, draws);
            Console.WriteLine(string.Create(inv, $"  k = {s.K}: γ = {s.Stage.Gamma} [{s.Stage.CiLow}, {s.Stage.CiHigh}], F = {s.F:0.000}, p = {t.PValue:0.000}, crit 10/5/1 % = {t.Crit10:0.00}/{t.Crit5:0.00}/{t.Crit1:0.00}"));
        }
        Console.WriteLine(string.Create(inv, $"cumulative sums: estimation {estFast:0.000} s; B = {reps} draws: single {fastTests[0]:0.00} s, double {fastTests[1]:0.00} s, triple {fastTests[2]:0.00} s; total {estFast + fastTests.Sum():0.00} s (one thread)"));

        sw.Restart();
        var refit = PanelThreshold.Estimate(panel, slow);
        double estSlow = sw.Elapsed.TotalSeconds;
        bool same = refit.Steps.Select(s => s.Thresholds).Zip(fast.Steps.Select(s => s.Thresholds)).All(p => p.First.SequenceEqual(p.Second));
        var slowTests = new double[3];
        foreach (var s in refit.Steps)
        {
            sw.Restart();
            var d = ThresholdBootstrap.Draws(panel, slow, s.Fixed, s.K, 1, $"bench/{s.K}", 0, slowDraws);
            slowTests[s.K - 1] = sw.Elapsed.TotalSeconds / slowDraws * reps;
            var f = ThresholdBootstrap.Draws(panel, spec, s.Fixed, s.K, 1, $"bench/{s.K}", 0, slowDraws);
            double diff = d.Zip(f).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1, Math.Abs(p.Second)));
            Console.WriteLine(string.Create(inv, $"  k = {s.K}: refit draws 0..{slowDraws - 1} equal the cumulative-sum draws to {diff:0.0e+0} (relative)"));
        }
        Console.WriteLine(string.Create(inv, $"refit per candidate: estimation {estSlow:0.000} s (same thresholds: {same}); B = {reps} extrapolated from {slowDraws} draws per test: single {slowTests[0]:0.0} s, double {slowTests[1]:0.0} s, triple {slowTests[2]:0.0} s; total {estSlow + slowTests.Sum():0.0} s"));
        Console.WriteLine(string.Create(inv, $"speed-up: {(estSlow + slowTests.Sum()) / (estFast + fastTests.Sum()):0}×"));
    }
}
