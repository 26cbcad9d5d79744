using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Cluster bootstrap of the Produc mediation against R's boot (refs/produc_mediation.json, mediation_boot_draws.csv).</summary>
public class BootstrapTests
{
    private static readonly Core.Data.Panel Data = LoadPanel("Produc.csv", "state", "year");

    [Fact]
    public void IndirectEffect_Distribution_MatchesRWithinMonteCarloNoise()
    {
        var b = Ref("produc_mediation.json").At("bootstrap");
        var r = Mediation.Bootstrap(Data, Core.Formulas.Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + unemp | state + year"), Core.Formulas.Formula.ParseTerm("log(emp)"), 999, seed: 20261122);
        Assert.Equal(999, r.Draws.Count);
        Close(b.D("t0_ab"), r.Indirect.Estimate, 1e-9, "a·b on the sample");
        // Monte-Carlo tolerances for 999 replicates (validation README: ±0.002 on the SE, ±0.01 on the limits), taken at about 4σ.
        Assert.InRange(r.Indirect.Mean, b.D("mean_ab") - 0.012, b.D("mean_ab") + 0.012);
        Assert.InRange(r.Indirect.StdError, b.D("se_ab") - 0.009, b.D("se_ab") + 0.009);
        Assert.InRange(r.Indirect.PercentileLow, b.D("percentile_2.5_quantile_type7") - 0.03, b.D("percentile_2.5_quantile_type7") + 0.03);
        Assert.InRange(r.Indirect.PercentileHigh, b.D("percentile_97.5_quantile_type7") - 0.03, b.D("percentile_97.5_quantile_type7") + 0.03);
        Assert.InRange(r.A.StdError, b.D("se_a") - 0.012, b.D("se_a") + 0.012);
        Assert.InRange(r.B.StdError, b.D("se_b") - 0.009, b.D("se_b") + 0.009);
        // Two-sample Kolmogorov–Smirnov against R's 999 draws of a·b: D below the 0.1 % critical value 1.949·sqrt(2/999).
        var theirs = File.ReadAllLines(PathOf("mediation_boot_draws.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).Order().ToArray();
        var ours = r.Draws.Select(d => d[2]).Order().ToArray();
        double dks = 0;
        foreach (var v in ours.Concat(theirs))
        {
            double fo = UpperCount(ours, v) / (double)ours.Length, ft = UpperCount(theirs, v) / (double)theirs.Length;
            dks = Math.Max(dks, Math.Abs(fo - ft));
        }
        Assert.True(dks < 1.949 * Math.Sqrt(2.0 / 999), $"KS D = {dks}");
        // The bias-corrected interval brackets the percentile one's neighbourhood.
        Assert.True(r.Indirect.BiasCorrectedLow < r.Indirect.Estimate && r.Indirect.Estimate < r.Indirect.BiasCorrectedHigh);
    }

    private static int UpperCount(double[] sorted, double v)
    {
        int i = Array.BinarySearch(sorted, v);
        if (i < 0) return ~i;
        while (i + 1 < sorted.Length && sorted[i + 1] == v) i++;
        return i + 1;
    }

    [Fact]
    public void Replicates_DoNotDependOnHowWorkIsSplit()
    {
        double[] Stat(Core.Data.Panel p) => [Estimation.Fit(p, "log(gsp) ~ log(pcap) + unemp | state + year")["log(pcap)"].Estimate];
        var whole = ClusterBootstrap.Run(Data, Stat, 7, "spec-abc", 0, 12);
        var parts = ClusterBootstrap.Run(Data, Stat, 7, "spec-abc", 0, 5).Concat(ClusterBootstrap.Run(Data, Stat, 7, "spec-abc", 5, 7)).ToArray();
        Assert.Equal(whole.Select(x => x[0]), parts.Select(x => x[0]));
        var other = ClusterBootstrap.Run(Data, Stat, 7, "spec-xyz", 0, 12);
        Assert.NotEqual(whole.Select(x => x[0]), other.Select(x => x[0]));
    }

    [Fact]
    public void CounterRng_IsAPureFunctionOfItsKey_AndUniform()
    {
        var a = new CounterRng(1, "k", 3);
        var b = new CounterRng(1, "k", 3);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var rng = new CounterRng(42, "uniform", 0);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[rng.NextInt(10)]++;
        // χ²(9) at 0.1 %: 27.88.
        double chi2 = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi2 < 27.88, $"chi2 = {chi2}");
    }
}
