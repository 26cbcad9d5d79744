using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Charts;

/// <summary>The grid's specification-curve texts (reporting/Charts/SpecificationCurveTexts.cs), every label written out by hand.</summary>
public class SpecificationCurveTextsTests
{
    private static readonly string[] Dims = ["outcome", "fe", "winsor", "vcov", "estimator", "weights"];

    private static SpecCurvePoint Point(string id, string fe, string vcov, string estimator, string weights) =>
        new(id, 0.1, 0.0, 0.2, 0.04, new Dictionary<string, string> { ["outcome"] = "y", ["fe"] = fe, ["winsor"] = "no", ["vcov"] = vcov, ["estimator"] = estimator, ["weights"] = weights });

    private static readonly SpecCurvePoint[] Points = [Point("s1", "city + year", "cluster:city", "within", "none"), Point("s2", "0", "hc1", "ols", "pop")];

    [Fact]
    public void Chinese_DimensionsAndChoicesInTheTablesWords_TheStudysLabelsFirst()
    {
        var labels = new Dictionary<string, string> { ["city"] = "城市", ["year"] = "年份", ["de"] = "数字经济", ["pop"] = "人口" };
        var o = SpecificationCurveTexts.Options("样本研究", "de", Dims, Points, labels, TableLanguage.Zh);
        Assert.Equal("样本研究：数字经济", o.Title);
        Assert.Equal(Dims, o.Dimensions);
        var expected = new Dictionary<string, string>
        {
            ["city"] = "城市", ["year"] = "年份", ["de"] = "数字经济", ["pop"] = "人口",
            ["outcome"] = "被解释变量", ["fe"] = "固定效应", ["winsor"] = "缩尾处理", ["vcov"] = "方差估计", ["estimator"] = "估计方法", ["weights"] = "权重",
            ["outcome=yes"] = "是", ["outcome=no"] = "否", ["fe=yes"] = "是", ["fe=no"] = "否", ["winsor=yes"] = "是", ["winsor=no"] = "否",
            ["vcov=yes"] = "是", ["vcov=no"] = "否", ["estimator=yes"] = "是", ["estimator=no"] = "否", ["weights=yes"] = "是", ["weights=no"] = "否",
            ["vcov=cluster:city"] = "城市层面聚类稳健", ["vcov=hc1"] = "异方差稳健",
            ["fe=city + year"] = "城市、年份", ["fe=0"] = "无",
            ["estimator=within"] = "固定效应", ["estimator=ols"] = "混合OLS",
            ["weights=none"] = "不加权", // "pop" is a label of the study's: the chart prints it through the label, no choice entry
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), o.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(("95%置信区间", "估计系数（95%置信区间）", "按估计值排序的设定", "基准"), (o.Interval, o.EstimateAxis, o.RankAxis, o.Baseline));
        Assert.Equal("（每列约{0}个设定；颜色深浅为具有该选择的设定所占比例）", o.BinnedNote);
    }

    [Fact]
    public void English_FormulasAsWritten_VarianceInWords()
    {
        var o = SpecificationCurveTexts.Options("sample", "de", ["fe", "vcov"], Points, new Dictionary<string, string>(), TableLanguage.En);
        Assert.Equal("sample: de", o.Title);
        Assert.Equal("city + year", o.Labels["fe=city + year"]);
        Assert.Equal("0", o.Labels["fe=0"]);
        Assert.Equal("clustered by city", o.Labels["vcov=cluster:city"]);
        Assert.Equal("heteroskedasticity-robust (HC1)", o.Labels["vcov=hc1"]);
        Assert.Equal(("Fixed effects", "Variance", "YES", "NO"), (o.Labels["fe"], o.Labels["vcov"], o.Labels["vcov=yes"], o.Labels["fe=no"]));
        Assert.Equal(("95% CI", "Estimate (95% CI)", "Specifications ranked by estimate", "Baseline"), (o.Interval, o.EstimateAxis, o.RankAxis, o.Baseline));
        Assert.Equal(10, o.Labels.Count); // 2 dimensions + 4 yes/no + 2 fe + 2 vcov choices; estimator and weights are not dimensions here
    }
}
