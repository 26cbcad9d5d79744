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
if (args.Length >= 2 && args[0] == "--wild")
{
    WildBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9999);
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
