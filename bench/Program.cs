using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using DigitalEconomy.Benchmarks;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;

if (args.Length == 2 && args[0] == "--write-panel")
{
    File.WriteAllText(args[1], CityPanel.Csv());
    Console.WriteLine($"wrote {args[1]}");
    return;
}
if (args.Length >= 1 && args[0] == "--parquet")
{
    await ParquetBench.RunAsync(args.Length > 1 ? args[1] : "bench/out/parquet", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, 5);
    return;
}
if (args.Length >= 2 && args[0] == "--threshold")
{
    ThresholdBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
if (args.Length >= 2 && args[0] == "--wild")
{
    WildBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9999);
    return;
}
if (args.Length >= 2 && args[0] == "--curve")
{
    CurveBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5,
        args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return;
}
if (args.Length >= 2 && args[0] == "--did-placebo")
{
    DidPlaceboBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    return;
}
if (args.Length >= 2 && args[0] == "--scale-fit")
{
    // The fit alone on the 1,000,000-row data of bench/scale_bench.sh (bench/fit_alone_bench.sh pairs it with fixest's
    // feols in R): the data read once, then one warm-up fit and REPS timed fits of y ~ x1 + x2 | unit + dum_2 + dum_3 with
    // cluster SE by unit, each on a panel built anew before the clock starts (a panel caches its factors' codes, and
    // feols codes its fixed effects in every call, so the timed fit codes them too); median, min and max, and x1.
    int reps = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
    var frame = CsvReader.ReadFile(args[1]);
    var options = new EstimationOptions { Vcov = VcovSpec.Cluster("unit") };
    const string formula = "y ~ x1 + x2 | unit + dum_2 + dum_3";
    var first = Estimation.Fit(Panel.Create(frame, "unit", "t"), formula, options).Coefficients.First(c => c.Term == "x1");
    var times = new double[reps];
    for (int i = 0; i < reps; i++)
    {
        var panel = Panel.Create(frame, "unit", "t");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Estimation.Fit(panel, formula, options);
        times[i] = sw.Elapsed.TotalSeconds;
    }
    Array.Sort(times);
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"de fit alone: median {times[reps / 2]:0.000} s (min {times[0]:0.000}, max {times[^1]:0.000}) of {reps}; x1 {first.Estimate:R} ({first.StdError:R})"));
    return;
}
if (args.Length >= 2 && args[0] == "--fit")
{
    // One fit of the grid's baseline (two-way FE, city clusters) on a generated city panel: median of 200 after warm-up.
    var panel = Panel.Create(CsvReader.ReadFile(args[1]), "city", "year");
    var options = new EstimationOptions { Vcov = VcovSpec.Cluster("city") };
    const string formula = "gdp_growth ~ dfi_index + gov + market + lngdp + fin | city + year";
    for (int i = 0; i < 50; i++) Estimation.Fit(panel, formula, options);
    var times = new double[200];
    for (int i = 0; i < times.Length; i++)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Estimation.Fit(panel, formula, options);
        times[i] = sw.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    Console.WriteLine($"{args[1]}: {panel.RowCount} rows, one fit {times[100]:0.000} ms (median of 200)");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(TwoWayFeBenchmark).Assembly).Run(args);

namespace DigitalEconomy.Benchmarks
{
    /// <summary>Two-way FE fit with city-clustered SEs on a 286-city × 10-year panel with 7 regressors.</summary>
    [MemoryDiagnoser]
    public class TwoWayFeBenchmark
    {
        private Panel _panel = null!;
        private readonly EstimationOptions _options = new() { Vcov = VcovSpec.Cluster("city") };

        [GlobalSetup]
        public void Setup() => _panel = CityPanel.Load(CityPanel.Csv());

        [Benchmark]
        public double TwoWayFeClustered() => Estimation.Fit(_panel, CityPanel.Formula, _options)["x1"].StdError;
    }
}
