using System.Globalization;
using DigitalEconomy.Core.Indices;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Indices;

public class PcaIndexTests
{
    // R: prcomp(Produc[, c("hwy","water","util","pc","gsp","emp","unemp")], scale. = TRUE)
    // (pcap is left out: pcap = hwy + water + util exactly, so its component would be numerical noise)
    // (tests/data/validation/produc_pca.R → produc_pca.txt). unemp enters as a cost indicator here,
    // which flips the sign of its loadings only, so absolute loadings are compared.
    [Fact]
    public void Eigenvalues_AndAbsoluteLoadings_MatchPrcomp()
    {
        var lines = File.ReadAllLines(PathOf("produc_pca.txt"));
        var eig = lines.Where(l => l.StartsWith("eigen", StringComparison.Ordinal)).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).ToArray();
        var load = lines.Where(l => l.StartsWith("loading", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var panel = LoadPanel("Produc.csv", "state", "year");
        var input = IndexInput.From(panel, IndicatorSystem.ParseInline("hwy,water,util,pc,gsp,emp,unemp:-"));
        var r = PcaIndex.Build(input);
        Assert.Equal(7, eig.Length);
        for (int k = 0; k < 7; k++)
        {
            Close(eig[k], r.Eigenvalues[k], 1e-10, $"eigenvalue {k + 1}");
            // Components with tiny eigenvalues are ill-determined in direction only when eigenvalues tie; here they are distinct.
            for (int j = 0; j < 7; j++)
                Assert.True(Math.Abs(load[k][j] - Math.Abs(r.Loadings[k][j])) <= 1e-10, $"loading {k + 1},{j + 1}: R {load[k][j]}, ours {r.Loadings[k][j]}");
        }
        Close(eig[0] / eig.Sum(), r.VarianceShare[0], 1e-10, "share");
        Assert.Equal(eig.Count(l => l > 1), r.Components); // Kaiser rule
    }

    [Fact]
    public void Score_IsTheEigenvalueWeightedComponents_WithSignFromReference()
    {
        var panel = LoadPanel("Produc.csv", "state", "year");
        var input = IndexInput.From(panel, IndicatorSystem.ParseInline("hwy,water,util,pc,gsp,emp,unemp:-"));
        var r = PcaIndex.Build(input, new PcaOptions { CumulativeVariance = 0.95 });
        int expected = 1;
        for (double cum = r.VarianceShare[0]; cum < 0.95; cum += r.VarianceShare[expected++]) { }
        Assert.Equal(expected, r.Components);
        var entropy = EntropyIndex.Build(input);
        var signed = PcaIndex.Build(input, new PcaOptions { CumulativeVariance = 0.95 }, entropy.Score);
        var negRef = entropy.Score.Select(s => -s).ToArray();
        var flipped = PcaIndex.Build(input, new PcaOptions { CumulativeVariance = 0.95 }, negRef);
        Assert.NotEqual(signed.SignFlipped, flipped.SignFlipped);
        for (int i = 0; i < signed.Score.Length; i++) Assert.Equal(signed.Score[i], -flipped.Score[i], 12);
    }
}
