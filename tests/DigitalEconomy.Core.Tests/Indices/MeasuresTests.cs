using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using Xunit;

namespace DigitalEconomy.Core.Tests.Indices;

public class MeasuresTests
{
    private static Panel P(string csv) => Panel.Create(CsvReader.Read(new StringReader(csv), "m.csv"), "u", "t");

    [Fact]
    public void LocationQuotient_HandCase()
    {
        var p = P("u,t,dig,all\na,1,1,10\nb,1,3,10\n");
        // National share 4/20 = 0.2: a = 0.1/0.2, b = 0.3/0.2.
        Assert.Equal([0.5, 1.5], Measures.LocationQuotient(p, p.Frame.Numeric("dig"), p.Frame.Numeric("all")).Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Upgrading_HandCase()
    {
        var p = P("u,t,y1,y2,y3,l1,l2,l3\na,1,10,40,50,50,30,20\n");
        var r = Measures.Upgrading(p, [p.Frame.Numeric("y1"), p.Frame.Numeric("y2"), p.Frame.Numeric("y3")], [p.Frame.Numeric("l1"), p.Frame.Numeric("l2"), p.Frame.Numeric("l3")]);
        // Y/L = 1; TL = 0.1 ln 0.2 + 0.4 ln(40/30) + 0.5 ln 2.5.
        double tl = 0.1 * Math.Log(0.2) + 0.4 * Math.Log(4.0 / 3) + 0.5 * Math.Log(2.5);
        Assert.Equal(1.25, r.Advanced[0], 15);
        Assert.Equal(tl, r.TheilRationalisation[0], 14);
        Assert.Equal(0.318 * 1.25 - 0.682 * tl, r.Composite[0], 14);
        var inv = Measures.Upgrading(p, [p.Frame.Numeric("y1"), p.Frame.Numeric("y2"), p.Frame.Numeric("y3")], [p.Frame.Numeric("l1"), p.Frame.Numeric("l2"), p.Frame.Numeric("l3")],
            new UpgradingOptions { InvertAdvanced = true, Rationalisation = RationalisationScore.Reciprocal });
        Assert.Equal(0.8, inv.Advanced[0], 15);
        Assert.Equal(0.318 * 0.8 + 0.682 / tl, inv.Composite[0], 13);
    }

    [Fact]
    public void IndustrialOptimisation_IsMeanNormalised()
    {
        var p = P("u,t,y1,y2,l1,l2\na,1,50,50,50,25\nb,1,20,80,10,40\n");
        // a: 0.5·1 + 0.5·2 = 1.5; b: 0.2·2 + 0.8·2 = 2; mean 1.75.
        var r = Measures.IndustrialOptimisation(p, [p.Frame.Numeric("y1"), p.Frame.Numeric("y2")], [p.Frame.Numeric("l1"), p.Frame.Numeric("l2")]);
        Assert.Equal(1.5 / 1.75, r[0], 15);
        Assert.Equal(2 / 1.75, r[1], 15);
    }

    [Fact]
    public void CapitalStock_PerpetualInventory_HandCase()
    {
        var p = P("u,t,inv,price\na,2010,10,1\na,2011,22,2\na,2012,36.3,3\n");
        // Real investment at 2010 prices: 10, 11, 12.1; δ = 0.1, g = 0.1: K0 = 10/0.2 = 50, K1 = 11 + 45 = 56, K2 = 12.1 + 50.4 = 62.5.
        var k = Measures.CapitalStock(p, p.Frame.Numeric("inv"), p.Frame.Numeric("price"), 2010, 0.1, 0.1);
        Assert.Equal(50, k[0], 12);
        Assert.Equal(56, k[1], 12);
        Assert.Equal(62.5, k[2], 12);
        // g from data: real investment grows 10 % a year.
        var k2 = Measures.CapitalStock(p, p.Frame.Numeric("inv"), p.Frame.Numeric("price"), 2010, 0.1);
        Assert.Equal(50, k2[0], 10);
    }

    [Fact]
    public void PatentTruncation_HandCase()
    {
        var p = P("u,t,pat\na,2018,10\na,2019,10\na,2020,10\n");
        var r = Measures.PatentTruncation(p, p.Frame.Numeric("pat"), [0.5, 0.3, 0.2], 2020);
        Assert.Equal(Math.Log(11), r[0], 14);
        Assert.Equal(Math.Log(1 + 10 / 0.8), r[1], 14);
        Assert.Equal(Math.Log(21), r[2], 14);
    }

    [Fact]
    public void Translog_MarginalProducts_EqualFiniteDifferencesOfTheFittedFunction()
    {
        var lines = new List<string> { "u,t,m,e,c,w,r" };
        ulong s = 7;
        double U() { s = s * 6364136223846793005UL + 1442695040888963407UL; return ((s >> 11) + 0.5) / 9007199254740992.0; }
        for (int i = 0; i < 40; i++)
        {
            double e = 5 + 20 * U(), c = 10 + 50 * U();
            double lm = 0.3 + 0.5 * Math.Log(e) + 0.4 * Math.Log(c) + 0.05 * Math.Log(e) * Math.Log(c) - 0.03 * Math.Pow(Math.Log(e), 2) + 0.05 * (U() - 0.5);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"u{i},2020,{Math.Exp(lm):R},{e:R},{c:R},{1 + U():R},{0.05 + 0.05 * U():R}"));
        }
        var p = P(string.Join("\n", lines));
        var r = Measures.Translog(p, "m", "e", "c", p.Frame.Numeric("w"), p.Frame.Numeric("r"));
        var e0 = p.Frame.Numeric("e");
        var c0 = p.Frame.Numeric("c");
        double M(double e, double c) => Math.Exp(Measures.TranslogLog(r.Phi, Math.Log(e), Math.Log(c)));
        for (int i = 0; i < 40; i++)
        {
            double he = 1e-5 * e0[i], hc = 1e-5 * c0[i];
            double fdE = (M(e0[i] + he, c0[i]) - M(e0[i] - he, c0[i])) / (2 * he);
            double fdC = (M(e0[i], c0[i] + hc) - M(e0[i], c0[i] - hc)) / (2 * hc);
            Assert.True(Math.Abs(fdE - r.MarginalE[i]) <= 1e-7 * Math.Abs(r.MarginalE[i]), $"MP_E row {i}: fd {fdE}, analytic {r.MarginalE[i]}");
            Assert.True(Math.Abs(fdC - r.MarginalC[i]) <= 1e-7 * Math.Abs(r.MarginalC[i]), $"MP_C row {i}: fd {fdC}, analytic {r.MarginalC[i]}");
            Assert.Equal(-(r.MarginalE[i] / p.Frame.Numeric("w")[i] + r.MarginalC[i] / p.Frame.Numeric("r")[i]) / 2, r.Allocation[i], 12);
        }
        Assert.Equal(0.5, r.Phi[1], 0); // the generating elasticity is recovered roughly
    }
}
