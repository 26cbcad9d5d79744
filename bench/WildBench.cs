using System.Diagnostics;
using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// Wild cluster bootstrap timing on the 286-city × 10-year panel (`de generate cities`), two-way FE (city + year),
/// clustered by city, one coefficient, B = 9,999 (WCR, Rademacher): the fast algorithm after the data are loaded
/// (prepare = fit + per-cluster statistics; draws; p-value and CI by inversion), median of several runs, beside a
/// refit per draw (y* built explicitly and Estimation.Fit run on it) for a few draws, extrapolated to B.
/// </summary>
internal static class WildBench
{
    public const string Formula = "log(gdp_pc) ~ dfi_index + urbanisation + gov + fin | city + year";

    public static void Run(string path, int reps = 9999, int runs = 7, int slowDraws = 199)
    {
        var inv = CultureInfo.InvariantCulture;
        var panel = Panel.Create(CsvReader.ReadFile(path), "city", "year");
        var f = DigitalEconomy.Core.Formulas.Formula.Parse(Formula);
        var options = new EstimationOptions { Vcov = VcovSpec.Cluster("city") };
        var wild = new WildOptions { Replications = reps, Seed = 1 };
        WildBootstrap.Run(panel, f, options, "dfi_index", wild); // warm-up (JIT)
        var prep = new List<double>(); var draw = new List<double>(); var summ = new List<double>(); var total = new List<double>();
        WildResult? result = null;
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var problem = WildBootstrap.Prepare(panel, f, options, "dfi_index");
            double t1 = sw.Elapsed.TotalMilliseconds;
            var draws = problem.Draw(WildWeights.Rademacher, 1, "wild", 0, reps);
            double t2 = sw.Elapsed.TotalMilliseconds;
            result = problem.Summarise(draws, 0, 0.95, WildPValue.Symmetric, false, WildWeights.Rademacher, 1);
            double t3 = sw.Elapsed.TotalMilliseconds;
            prep.Add(t1); draw.Add(t2 - t1); summ.Add(t3 - t2); total.Add(t3);
        }
        static double Median(List<double> v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
        var p0 = WildBootstrap.Prepare(panel, f, options, "dfi_index");
        Console.WriteLine($"panel: {panel.RowCount} rows, G = {p0.Clusters} clusters (city), FE city + year, fixed-effect rank of the score term r = {p0.FixedEffectRank}");
        Console.WriteLine($"formula: {Formula}; H0: dfi_index = 0; WCR, Rademacher, B = {reps}; {Environment.ProcessorCount} cores visible");
        Console.WriteLine(string.Create(inv, $"fast (median of {runs}): total {Median(total):0.0} ms = prepare {Median(prep):0.0} ms + {reps} draws {Median(draw):0.0} ms + p-value and CI {Median(summ):0.0} ms"));
        Console.WriteLine(string.Create(inv, $"  t = {result!.Statistic:0.0000}, p = {result.PValue:0.0000}, 95% CI [{result.ConfLow:0.000000}, {result.ConfHigh:0.000000}]"));

        // Refit per draw: restricted residuals from a fit with the null imposed, y* = y − ü + ü∘v, Estimation.Fit on y*.
        var y = panel.Frame.Numeric("gdp_pc").Select(v => Math.Log(v)).ToArray();
        var restricted = panel.WithColumn("ly", y);
        var rFit = Estimation.Fit(restricted, "ly ~ urbanisation + gov + fin | city + year", options);
        var x = new[] { "urbanisation", "gov", "fin" }.Select(c => panel.Frame.Numeric(c)).ToArray();
        // Residuals of the restricted model: demean by refitting the residual-maker through a regression on FE only.
        var fitted = new double[y.Length];
        for (int i = 0; i < y.Length; i++) for (int c = 0; c < x.Length; c++) fitted[i] += rFit.Coefficients[c].Estimate * x[c][i];
        var partial = panel.WithColumn("resid0", y.Select((v, i) => v - fitted[i]).ToArray());
        var fe = new Absorber([panel.UnitCode, panel.Time.Select(t => (int)(t - panel.Periods[0])).ToArray()]);
        var u = fe.Demean(partial.Frame.Numeric("resid0"));
        var cityCode = panel.UnitCode;
        var sw2 = Stopwatch.StartNew();
        int exceed = 0;
        double tObs = Estimation.Fit(panel, f, options)["dfi_index"].Statistic;
        for (int b = 0; b < slowDraws; b++)
        {
            var v = WildBootstrap.DrawWeights(WildWeights.Rademacher, p0.Clusters, 1, "wild", b);
            var ys = new double[y.Length];
            for (int i = 0; i < y.Length; i++) ys[i] = y[i] - u[i] + u[i] * v[cityCode[i]];
            var fit = Estimation.Fit(panel.WithColumn("ystar", ys), "ystar ~ dfi_index + urbanisation + gov + fin | city + year", options);
            if (Math.Abs(fit["dfi_index"].Statistic) > Math.Abs(tObs)) exceed++;
        }
        double ms = sw2.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(inv, $"refit per draw (Estimation.Fit on y*): {slowDraws} draws {ms:0} ms = {ms / slowDraws:0.00} ms/draw, extrapolated to B = {reps}: {ms / slowDraws * reps / 1000:0.0} s"));
        Console.WriteLine(string.Create(inv, $"  (p over these {slowDraws} draws: {exceed / (double)slowDraws:0.0000}; same streams as the first {slowDraws} fast draws)"));
    }
}
