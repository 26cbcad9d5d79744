using System.Diagnostics;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// The curve-inference refits in process (issue 27): 500 specifications of the curve benchmark's shape
/// (4 outcomes × 5 control sets × 5 fixed-effect sets × 5 samples, city clusters, not winsorised; dfi_index as the
/// treatment, the generated panel has no index columns) refitted on null draws with <see cref="CurveInference.Draws"/>.
/// Prints the time per refit (median of rounds), the bytes allocated per refit and a checksum of every estimate and p
/// (equal checksums: the same bits).
/// </summary>
internal static class CurveBench
{
    public static void Run(string csv, int draws, int rounds, int pack)
    {
        var panel = Panel.Create(CsvReader.ReadFile(csv), "city", "year");
        string[] outcomes = ["gdp_growth", "gdp_pc", "rd_gdp", "tech_market_gdp"];
        string[][] controls = [[], ["gov"], ["gov", "market"], ["gov", "market", "lngdp"], ["gov", "market", "lngdp", "fin"]];
        string[] fes = ["city + year", "city", "year", "province + year", "province"];
        string?[] samples = [null, "tier1 == 0", "region == East", "region != East", "pilot == 0"];
        var specs = new List<CurveSpecification>();
        foreach (var y in outcomes)
        foreach (var c in controls)
        foreach (var fe in fes)
        foreach (var s in samples)
        {
            var f = Formula.Of(new VarExpr(y), [new VarExpr("dfi_index"), .. c.Select(x => (Expr)new VarExpr(x))], Formula.ParseFixedEffects(fe));
            var o = new EstimationOptions { Vcov = VcovSpec.Cluster("city"), Filters = s is null ? [] : [RowFilter.Parse(s)] };
            var m = new BatchModel(f, o, "dfi_index");
            var b = Estimation.Fit(panel, f, o).Coefficients.First(x => x.Term == "dfi_index").Estimate;
            specs.Add(new CurveSpecification(m, b));
        }
        // Work blocks as the run forms them: specifications sharing sample and fixed effects (20 here), `pack` such groups per block.
        var blocks = specs.Select((s, i) => (s, i)).GroupBy(x => x.i % 25).Select(g => g.Select(x => x.s).ToList())
            .Chunk(Math.Max(1, pack)).Select(c => c.SelectMany(x => x).ToList()).Select(b => CurveInference.NullData(panel, b)).ToList();
        (double, double)[][][] All(int count) => [.. blocks.Select(b => CurveInference.Draws(b.Panel, b.Models, 1, 0, count))];
        All(2); // warm-up
        var times = new List<double>();
        long bytes = 0;
        ulong checksum = 0;
        for (int r = 0; r < rounds; r++)
        {
            long a0 = GC.GetTotalAllocatedBytes(true);
            var sw = Stopwatch.StartNew();
            var res = All(draws).SelectMany(x => x);
            times.Add(sw.Elapsed.TotalMilliseconds);
            bytes = GC.GetTotalAllocatedBytes(true) - a0;
            checksum = 0;
            foreach (var row in res)
                foreach (var (e, p) in row)
                    checksum += ((ulong)BitConverter.DoubleToInt64Bits(e) * 1099511628211UL) ^ (ulong)BitConverter.DoubleToInt64Bits(p); // order-free: blocks may differ
        }
        times.Sort();
        double refits = (double)draws * specs.Count;
        Console.WriteLine($"curve refits: {specs.Count} specifications × {draws} draws, {pack} group(s) of 20 per block, {Environment.ProcessorCount} cores: "
            + $"median {times[times.Count / 2] / refits * 1000:0.0} µs per refit (min {times[0] / refits * 1000:0.0}), "
            + $"{bytes / refits / 1024:0.0} KiB allocated per refit, checksum {checksum:x16}, {GC.CollectionCount(0)} gen0 collections");
    }
}
