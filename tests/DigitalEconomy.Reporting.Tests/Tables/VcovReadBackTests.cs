using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>
/// Issue 21 ("the vcov grammar is written in three places"): the tables' words read a variance estimator's text with core's
/// <see cref="VcovSpec.ParseFormatted"/>, the inverse of <see cref="VcovSpec.ToString"/> (core's VcovRegistry.Format); expected values hand-written.
/// </summary>
public class VcovReadBackTests
{
    [Fact]
    public void ParseFormatted_ReadsBackWhatFormatWrites()
    {
        var two = VcovSpec.ParseFormatted("cluster:province,year (plm)")!;
        Assert.Equal(("cluster", "province|year", SmallSample.Plm), (two.Name, string.Join("|", two.ClusterColumns), two.Convention));
        Assert.Equal("cluster:province,year (plm)", two.ToString());
        var hc1 = VcovSpec.ParseFormatted(" hc1 ")!;
        Assert.Equal(("hc1", 0, SmallSample.Stata), (hc1.Name, hc1.ClusterColumns.Count, hc1.Convention));
        Assert.Equal("hc1", VcovSpec.ParseFormatted("robust")!.Name); // an alias reads as its estimator, as Parse reads it
    }

    [Theory]
    [InlineData("no estimator")]
    [InlineData("cluster:a,b,c")] // three cluster columns: Parse refuses them
    [InlineData("cluster:city (3)")] // a convention is read back by its name only
    [InlineData("cluster:city (unknown)")]
    public void ParseFormatted_IsNullForOtherText(string text) => Assert.Null(VcovSpec.ParseFormatted(text));

    [Theory]
    [InlineData("cluster:province,year (plm)", TableLanguage.En, "standard errors clustered by province and year (two-way) (plm small-sample correction)")]
    [InlineData("cluster:province (lsdv)", TableLanguage.Zh, "province层面聚类稳健标准误（lsdv小样本校正）")]
    [InlineData("iid", TableLanguage.En, "conventional standard errors")]
    [InlineData("cluster:a,b,c", TableLanguage.En, "cluster:a,b,c")] // no estimator's text: as written
    public void VarianceWords_FromTheRegistryGrammar(string vcov, TableLanguage language, string expected) =>
        Assert.Equal(expected, TableWords.VarianceWords(vcov, language, s => s));
}
