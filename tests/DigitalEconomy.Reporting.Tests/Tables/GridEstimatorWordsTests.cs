using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The specification table's estimator cell for the non-linear grid words: as written, or by its tables.labels entry; the linear words keep their journal names.</summary>
public class GridEstimatorWordsTests
{
    [Fact]
    public void NonLinearWords_AreWrittenAsGiven_OrByTheirLabel()
    {
        Assert.Equal("gmm-sys", TableWords.ModelChoice("estimator", "gmm-sys", TableLanguage.En, s => s));
        Assert.Equal("SDM（邻接矩阵）", TableWords.ModelChoice("estimator", "sdm:contiguity", TableLanguage.Zh, s => s == "sdm:contiguity" ? "SDM（邻接矩阵）" : s));
        Assert.Equal("Fixed effects", TableWords.ModelChoice("estimator", "within", TableLanguage.En, s => s));
        Assert.Equal("固定效应", TableWords.ModelChoice("estimator", "within", TableLanguage.Zh, s => s));
    }
}
