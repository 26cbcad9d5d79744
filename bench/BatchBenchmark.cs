using BenchmarkDotNet.Attributes;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// 1,000 specifications of a grid on the 286-city × 10-year panel (3 outcomes × treatment or its lag ×
/// 8 control sets × no FE / city / city + year × iid / hc1 / cluster:city / cluster:city,year × all
/// years or from 2015), fitted one by one with Estimation.Fit (parsing each formula, as the
/// specification grain does today) and as one BatchEstimation.Fit call (parsing included too).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BatchBenchmark
{
    private Panel _panel = null!;
    private List<(string Formula, EstimationOptions Options, string Term)> _grid = null!;

    [GlobalSetup]
    public void Setup()
    {
        var p = CityPanel.Load(CityPanel.Csv());
        var y = p.Frame.Numeric("y");
        var x1 = p.Frame.Numeric("x1");
        var x7 = p.Frame.Numeric("x7");
        _panel = p.WithColumn("y2", y.Select((v, i) => v + 0.5 * x1[i]).ToArray()).WithColumn("y3", y.Select((v, i) => v - x7[i]).ToArray());
        string[] controls = ["", "x2", "x2 + x3", "x2 + x3 + x4", "x5 + x6", "x2 + x5 + x6 + x7", "x3 + x4 + x5 + x6 + x7", "x2 + x3 + x4 + x5 + x6 + x7"];
        var all = new List<(string, EstimationOptions, string)>();
        foreach (var outcome in new[] { "y", "y2", "y3" })
            foreach (var treat in new[] { "x1", "lag(x1)" })
                foreach (var c in controls)
                    foreach (var fe in new[] { "", " | city", " | city + year" })
                        foreach (var vcov in new[] { "iid", "hc1", "cluster:city", "cluster:city,year" })
                            foreach (var filter in new[] { null, "year >= 2015" })
                                all.Add(($"{outcome} ~ {treat}{(c.Length > 0 ? " + " + c : "")}{fe}",
                                    new EstimationOptions { Vcov = VcovSpec.Parse(vcov), Filters = filter is null ? [] : [RowFilter.Parse(filter)] }, treat));
        // 1,000 of the 1,152, spread over the grid by a fixed stride (coprime with its size).
        _grid = Enumerable.Range(0, 1000).Select(i => all[(int)((long)i * 607 % all.Count)]).ToList();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public double OneByOne_EstimationFit()
    {
        double s = 0;
        foreach (var (formula, options, term) in _grid)
        {
            var r = Estimation.Fit(_panel, formula, options);
            s += r.Coefficients.First(c => c.Term == term).StdError;
        }
        return s;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public double Batch_BatchEstimationFit()
    {
        var models = _grid.Select(g => new BatchModel(Formula.Parse(g.Formula), g.Options, g.Term)).ToList();
        double s = 0;
        foreach (var r in BatchEstimation.Fit(_panel, models)) s += r.Coefficient!.StdError;
        return s;
    }
}
