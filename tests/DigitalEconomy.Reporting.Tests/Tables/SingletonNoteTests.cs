using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The regression table's note on singletons removed (issue 20 item 5), in English and Chinese; absent when none were.</summary>
public class SingletonNoteTests
{
    private static readonly RegressionResult Fe = Estimation.Fit(TestData.Produc, "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state");

    [Fact]
    public void NoSingletons_NoNote()
    {
        var t = RegressionTable.Build([Fe, Fe]);
        Assert.DoesNotContain(t.Notes, n => n.Contains("ingleton", StringComparison.Ordinal));
    }

    [Fact]
    public void OneColumn_NamesTheCount()
    {
        var t = RegressionTable.Build([Fe with { SingletonsRemoved = 7 }]);
        Assert.Contains("7 singleton observations (alone in a fixed-effect group) removed iteratively before estimation, as reghdfe", t.Notes);
        var zh = RegressionTable.Build([Fe with { SingletonsRemoved = 1 }], new RegressionTableOptions { Language = TableLanguage.Zh });
        Assert.Contains("估计前已迭代剔除1个单例观测值（所在固定效应组仅有一个观测值，与reghdfe一致）", zh.Notes);
    }

    [Fact]
    public void SeveralColumns_NameEachColumnsCount()
    {
        var t = RegressionTable.Build([Fe with { SingletonsRemoved = 7 }, Fe]);
        Assert.Contains("Singleton observations (alone in a fixed-effect group) removed iteratively before estimation, as reghdfe: (1) 7, (2) 0", t.Notes);
        var zh = RegressionTable.Build([Fe with { SingletonsRemoved = 7 }, Fe], new RegressionTableOptions { Language = TableLanguage.Zh });
        Assert.Contains("估计前已迭代剔除单例观测值（所在固定效应组仅有一个观测值，与reghdfe一致）：第(1)列7个，第(2)列0个", zh.Notes);
    }
}
