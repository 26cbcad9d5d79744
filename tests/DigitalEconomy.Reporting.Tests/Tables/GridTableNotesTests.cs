using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The notes under tables/specifications.* (reporting/Tables/GridTableNotes.cs), each sentence written out by hand.</summary>
public class GridTableNotesTests
{
    private static GridBootstrapNote Pairs(int specifications = 3, bool baseline = true) =>
        new(false, 0.95, "WCR", "rademacher", specifications, baseline, 999, 1, false, 0.012345, 0.1, 0.2, 0.11, 0.2149, null, null, null, null);

    [Fact]
    public void Bootstrap_Pairs_Baseline_FourDecimals_AndHowManyInAll()
    {
        Assert.Equal("Cluster bootstrap of column (1), 999 replicates (1 failed) (bootstrap.parquet): SE 0.0123, 95% percentile interval [0.1000, 0.2000], "
                     + "bias-corrected [0.1100, 0.2149]. 3 specifications bootstrapped in all (their intervals are in specs.parquet).", GridTableNotes.Bootstrap(Pairs(), zh: false));
        Assert.Equal("第(1)列的聚类自助法，999次重复（1次失败）（bootstrap.parquet）：标准误0.0123，95%百分位区间[0.1000, 0.2000]，偏差校正区间[0.1100, 0.2149]。"
                     + "共对3个设定进行了自助法（区间见specs.parquet）。", GridTableNotes.Bootstrap(Pairs(), zh: true));
    }

    [Fact]
    public void Bootstrap_OnlyTheBaseline_SaysNothingOfOthers()
    {
        Assert.Equal("Cluster bootstrap of column (1), 999 replicates (1 failed) (bootstrap.parquet): SE 0.0123, 95% percentile interval [0.1000, 0.2000], bias-corrected [0.1100, 0.2149].",
            GridTableNotes.Bootstrap(Pairs(specifications: 1), zh: false));
    }

    [Fact]
    public void Bootstrap_BaselineNotSelected()
    {
        Assert.Equal("Column (1) was not bootstrapped; 2 specifications bootstrapped in all (their intervals are in specs.parquet).", GridTableNotes.Bootstrap(Pairs(2, baseline: false), zh: false));
        Assert.Equal("第(1)列未进行自助法；共对2个设定进行了自助法（区间见specs.parquet）。", GridTableNotes.Bootstrap(Pairs(2, baseline: false), zh: true));
    }

    [Fact]
    public void Bootstrap_Wild_Enumerated_UnboundedSideIsNa()
    {
        var wild = new GridBootstrapNote(true, 0.9, "WCR", "rademacher", 1, true, 64, 0, true, null, null, null, null, null, 0.0312, 0.01, null, null);
        Assert.Equal("Wild cluster bootstrap (WCR, rademacher weights) of column (1), H0: coefficient = 0, full enumeration of 64 sign vectors: p = 0.031, 90% interval by test inversion [0.0100, n/a].",
            GridTableNotes.Bootstrap(wild, zh: false));
        Assert.Equal("第(1)列的野聚类自助法（WCR，rademacher权重），H0：系数 = 0，完全枚举64个符号向量：p = 0.031，检验反演的90%置信区间[0.0100, n/a]。",
            GridTableNotes.Bootstrap(wild, zh: true));
    }

    [Fact]
    public void Bootstrap_NoteOnly_WhenNoNumbers()
    {
        var failed = new GridBootstrapNote(false, 0.95, "WCR", "rademacher", 1, true, 1, 9, false, null, null, null, null, null, null, null, null, "only 1 of 10 replicates could be fitted");
        Assert.Equal("Cluster bootstrap of column (1), 1 replicates (9 failed) (bootstrap.parquet): only 1 of 10 replicates could be fitted.", GridTableNotes.Bootstrap(failed, zh: false));
    }

    [Fact]
    public void Curve_NegativeSign_PValuesToThreeDecimals_NaIsNa()
    {
        var c = new GridCurveNote(500, 498, -1, new CurveStatistics(-0.01234, 0.75, -3.4512, 96), new CurvePValues(0.002, 0.0104, double.NaN, 498));
        Assert.Equal("Specification-curve inference under the null (498 of 500 draws, 96 specifications, dominant sign −; curve_inference.parquet): median estimate -0.0123 (p = 0.002), "
                     + "share significant in the dominant sign 0.750 (p = 0.010), aggregate z -3.45 (p = n/a).", GridTableNotes.Curve(c, zh: false));
        Assert.Equal("原假设下的设定曲线推断（500次抽样中可用498次，96个设定，主导符号−；curve_inference.parquet）：估计值中位数-0.0123（p = 0.002），主导符号方向显著的比例0.750（p = 0.010），合成z -3.45（p = n/a）。",
            GridTableNotes.Curve(c, zh: true));
    }
}
