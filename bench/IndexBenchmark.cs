using BenchmarkDotNet.Attributes;
using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Benchmarks;

/// <summary>Entropy index of 41 indicators over 286 cities × 10 years, and 12 indicators over 30 provinces × 10 years.</summary>
[MemoryDiagnoser]
public class IndexBenchmark
{
    private IndexInput _cities = null!;
    private IndexInput _provinces = null!;

    private static IndexInput Make(int units, int years, int indicators)
    {
        ulong s = 42;
        double U() { s = s * 6364136223846793005UL + 1442695040888963407UL; return ((s >> 11) + 0.5) / 9007199254740992.0; }
        var system = new IndicatorSystem("bench", Enumerable.Range(0, indicators)
            .Select(j => new Indicator($"x{j}", j % 7 == 3 ? Direction.Negative : Direction.Positive, Path: [$"d{j % 2}"])).ToList());
        var cols = Enumerable.Range(0, indicators).Select(_ => Enumerable.Range(0, units * years).Select(_ => 1 + 100 * U()).ToArray()).ToList();
        var unitsCol = Enumerable.Range(0, units * years).Select(i => $"u{i / years}").ToList();
        var periods = Enumerable.Range(0, units * years).Select(i => 2013L + i % years).ToList();
        return IndexInput.FromArrays(system, cols, unitsCol, periods);
    }

    [GlobalSetup]
    public void Setup()
    {
        _cities = Make(286, 10, 41);
        _provinces = Make(30, 10, 12);
    }

    [Benchmark]
    public double Entropy_286Cities_41Indicators() => EntropyIndex.Build(_cities, new EntropyOptions { Shift = 1e-4 }).Score[0];

    [Benchmark]
    public double Entropy_30Provinces_12Indicators() => EntropyIndex.Build(_provinces, new EntropyOptions { Shift = 1e-4 }).Score[0];
}
