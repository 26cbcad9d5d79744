using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>Tables a Chinese journal takes without hand edits (issue 28): labels everywhere, journal words, no option syntax.</summary>
public class JournalWordingTests
{
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly RegressionResult Fe = Estimation.Fit(TestData.Produc, Rhs + " | state");

    [Fact]
    public void SpanningGroup_TakesTheLabelOfTheColumn()
    {
        // Heterogeneity columns carry the 'by' column as their group: region → 区域 from tables.labels.
        var t = RegressionTable.Build([Fe, Fe], new RegressionTableOptions
        {
            Language = TableLanguage.Zh,
            Labels = new Dictionary<string, string> { ["region"] = "区域" },
            ColumnLabels = ["东部", "西部"],
            ColumnGroups = ["region", "region"],
        });
        Assert.Equal(["区域", "区域"], t.Columns.Select(c => c.Group));
    }

    private static readonly Dictionary<string, string> ZhLabels = new() { ["state"] = "州", ["year"] = "年份", ["region"] = "地区" };
    private const string ZhStars = "***、**、*分别表示在1%、5%、10%的水平上显著";

    [Fact]
    public void VarianceNote_Chinese_InJournalWords_ClusterLabelFromLabels()
    {
        var fe = Estimation.Fit(TestData.Produc, Rhs + " | state", new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        var se = RegressionTable.Build([fe], new RegressionTableOptions { Language = TableLanguage.Zh, Labels = ZhLabels, Stat = ParenthesisStat.Se });
        Assert.Equal(["括号内为州层面聚类稳健标准误；" + ZhStars], se.Notes);
        var t = RegressionTable.Build([fe], new RegressionTableOptions { Language = TableLanguage.Zh, Labels = ZhLabels });
        Assert.Equal(["括号内为t值，标准误为州层面聚类稳健标准误；" + ZhStars], t.Notes);
    }

    [Fact]
    public void VarianceNote_EachEstimatorWorded_InBothLanguages()
    {
        var iid = Estimation.Fit(TestData.Produc, Rhs);
        var hc1 = Estimation.Fit(TestData.Produc, Rhs, new EstimationOptions { Vcov = VcovSpec.Hc1 });
        var two = Estimation.Fit(TestData.Produc, Rhs + " | state", new EstimationOptions { Vcov = VcovSpec.Cluster("state", "year") });
        var cl = Estimation.Fit(TestData.Produc, Rhs + " | state", new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        string Note(RegressionResult m, TableLanguage lang) =>
            RegressionTable.Build([m], new RegressionTableOptions { Language = lang, Labels = lang == TableLanguage.Zh ? ZhLabels : new Dictionary<string, string>(), Stat = ParenthesisStat.Se }).Notes[0];
        Assert.Equal("括号内为普通标准误；" + ZhStars, Note(iid, TableLanguage.Zh));
        Assert.Equal("括号内为异方差稳健标准误；" + ZhStars, Note(hc1, TableLanguage.Zh));
        Assert.Equal("括号内为州和年份双向聚类稳健标准误；" + ZhStars, Note(two, TableLanguage.Zh));
        Assert.Equal("Conventional standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01", Note(iid, TableLanguage.En));
        Assert.Equal("Heteroskedasticity-robust standard errors (HC1) in parentheses; * p<0.1, ** p<0.05, *** p<0.01", Note(hc1, TableLanguage.En));
        Assert.Equal("Standard errors clustered by state and year (two-way) in parentheses; * p<0.1, ** p<0.05, *** p<0.01", Note(two, TableLanguage.En));
        Assert.Equal("Standard errors clustered by state in parentheses; * p<0.1, ** p<0.05, *** p<0.01", Note(cl, TableLanguage.En));
        // Columns with different estimators: each named by its columns.
        var mixed = RegressionTable.Build([cl, cl, hc1], new RegressionTableOptions { Language = TableLanguage.Zh, Labels = ZhLabels });
        Assert.Equal("括号内为t值；第(1)、(2)列标准误为州层面聚类稳健标准误，第(3)列标准误为异方差稳健标准误；" + ZhStars, mixed.Notes[0]);
        var mixedEn = RegressionTable.Build([cl, hc1], new RegressionTableOptions());
        Assert.Equal("t statistics in parentheses; standard errors: (1) clustered by state, (2) heteroskedasticity-robust (HC1); * p<0.1, ** p<0.05, *** p<0.01", mixedEn.Notes[0]);
    }

    [Fact]
    public void InteractedFixedEffect_LabelsJoinedWithTimes()
    {
        var m = Estimation.Fit(TestData.Produc, Rhs + " | state + region^year");
        var zh = RegressionTable.Build([m], new RegressionTableOptions { Language = TableLanguage.Zh, Labels = ZhLabels, UnitColumn = "state", TimeColumn = "year" });
        Assert.Equal(["个体固定效应", "地区×年份固定效应"], zh.Blocks.Single(b => b.Kind == BlockKind.Indicators).Rows.Select(r => r.Label));
        var en = RegressionTable.Build([m], new RegressionTableOptions { UnitColumn = "state", TimeColumn = "year" });
        Assert.Equal(["Unit FE", "region × year FE"], en.Blocks.Single(b => b.Kind == BlockKind.Indicators).Rows.Select(r => r.Label));
    }

    [Fact]
    public void HausmanNotes_InTheTablesLanguage()
    {
        const string notPd = "V_FE − V_RE is not positive definite (as plm::phtest and Stata's hausman, its plain inverse is used); interpret with care";
        const string singular = "V_FE − V_RE is singular; a generalised inverse was used and df is its rank";
        Assert.Equal("Hausman检验中两模型系数协方差矩阵之差非正定，与Stata的hausman命令一致直接求逆，结果需谨慎解读", TableWords.HausmanNote(notPd, TableLanguage.Zh));
        Assert.Equal("Hausman检验中两模型系数协方差矩阵之差奇异，使用广义逆，自由度取其秩", TableWords.HausmanNote(singular, TableLanguage.Zh));
        Assert.Equal("Hausman test: V_FE − V_RE is not positive definite; as plm::phtest and Stata's hausman, its plain inverse is used; interpret with care", TableWords.HausmanNote(notPd, TableLanguage.En));
    }

    [Fact]
    public void DependentVariableRow_FirstRow_LabelFromLabels()
    {
        var pooled = Estimation.Fit(TestData.Produc, Rhs);
        var t = RegressionTable.Build([pooled, Fe], new RegressionTableOptions
        {
            Language = TableLanguage.Zh, DependentVariableRow = true, Labels = new Dictionary<string, string> { ["log(gsp)"] = "产出对数" },
        });
        var first = t.Blocks[0].Rows[0];
        Assert.Equal(("被解释变量", "depvar"), (first.Label, first.Key));
        Assert.Equal(["产出对数", "产出对数"], first.Cells.Select(c => c.Text));
        Assert.Equal("log(pcap)", t.Blocks[0].Rows[1].Key);
        var en = RegressionTable.Build([pooled], new RegressionTableOptions { DependentVariableRow = true });
        Assert.Equal(("Dependent variable", "log(gsp)"), (en.Blocks[0].Rows[0].Label, en.Blocks[0].Rows[0].Cells[0].Text));
        Assert.DoesNotContain(RegressionTable.Build([pooled], new RegressionTableOptions()).Blocks[0].Rows, r => r.Key == "depvar");
    }

    [Fact]
    public void EstimatorLabels_NameUnlabelledColumnsByEstimator()
    {
        var ols = Estimation.Fit(TestData.Produc, Rhs);
        var re = Estimation.Fit(TestData.Produc, Rhs, new EstimationOptions { Estimator = EstimatorKind.RandomEffects });
        var zh = RegressionTable.Build([ols, re, Fe], new RegressionTableOptions { Language = TableLanguage.Zh, EstimatorLabels = true });
        Assert.Equal(["混合OLS", "随机效应", "固定效应"], zh.Columns.Select(c => c.Label));
        var en = RegressionTable.Build([ols, re, Fe], new RegressionTableOptions { EstimatorLabels = true, ColumnLabels = ["", "", "Within"] });
        Assert.Equal(["Pooled OLS", "Random effects", "Within"], en.Columns.Select(c => c.Label));
    }

    [Fact]
    public void LaggedTreatment_ReportedOnTheTreatmentsRow_WithANote()
    {
        // As esttab's rename: lag(unemp) of column (2) sits on the row of unemp; a note says so.
        var now = Estimation.Fit(TestData.Produc, "log(gsp) ~ unemp + log(pc) | state");
        var lagged = Estimation.Fit(TestData.Produc, "log(gsp) ~ lag(unemp) + log(pc) | state");
        var o = new RegressionTableOptions
        {
            KeyTerms = ["unemp", "lag(unemp)"], MergeTransformed = true, Language = TableLanguage.Zh,
            Labels = new Dictionary<string, string> { ["unemp"] = "失业率", ["lag(unemp)"] = "失业率（滞后一期）" },
        };
        var t = RegressionTable.Build([now, lagged], o);
        var rows = t.Blocks[0].Rows;
        Assert.Equal(["unemp", "unemp:t", "_cons", "_cons:t"], rows.Select(r => r.Key));
        Assert.Equal(now["unemp"].Estimate, rows[0].Cells[0].Value);
        Assert.Equal(lagged["lag(unemp)"].Estimate, rows[0].Cells[1].Value);
        Assert.Equal("失业率", rows[0].Label);
        Assert.Contains("第(2)列报告失业率（滞后一期）的估计系数，列于失业率一行", t.Notes);
        var en = RegressionTable.Build([now, lagged, lagged], o with { Language = TableLanguage.En, Labels = new Dictionary<string, string>() });
        Assert.Contains("Columns (2), (3) report the coefficient of lag(unemp), on the row of unemp", en.Notes);
        // Without the option each form keeps its own row.
        Assert.Equal(6, RegressionTable.Build([now, lagged], o with { MergeTransformed = false }).Blocks[0].Rows.Count);
    }

    [Fact]
    public void R2_DefaultsToWithin_AsXtregFeReports()
    {
        // Produc one-way FE: within R² 0.94134 (plm rsq), adjusted 0.93742.
        var summary = RegressionTable.Build([Fe]).Blocks.Single(b => b.Kind == BlockKind.Summary).Rows;
        Assert.Equal(("R² (within)", "0.941"), (summary[1].Label, summary[1].Cells[0].Text));
        Assert.Equal("0.937", summary[2].Cells[0].Text);
    }

    /// <summary>The variance choice of a specification table's or curve's choice cell, in words (hand-written from the journals' wording).</summary>
    [Theory]
    [InlineData("cluster:city", TableLanguage.Zh, "城市层面聚类稳健")]
    [InlineData("cluster:city,year", TableLanguage.Zh, "城市和年份双向聚类稳健")]
    [InlineData("hc1", TableLanguage.Zh, "异方差稳健")]
    [InlineData("iid", TableLanguage.Zh, "普通")]
    [InlineData("cluster:city", TableLanguage.En, "clustered by city")]
    [InlineData("hc1", TableLanguage.En, "heteroskedasticity-robust (HC1)")]
    [InlineData("dk", TableLanguage.Zh, "dk")]
    public void VarianceChoice_InWords(string vcov, TableLanguage language, string expected) =>
        Assert.Equal(expected, TableWords.VarianceChoice(vcov, language, s => s switch { "city" => language == TableLanguage.Zh ? "城市" : "city", "year" => language == TableLanguage.Zh ? "年份" : "year", _ => s }));

    [Fact]
    public void SpecificationTable_VarianceChoices_InWords_UnlessLabelled()
    {
        GridSpecification[] grid = [new(["cluster:city"], 0.25, 0.05, 0.0, 100, 0.5, 0.4), new(["hc1"], 0.25, 0.03, 0.0, 100, 0.5, 0.4), new(["iid"], 0.25, 0.02, 0.0, 100, 0.5, 0.4)];
        var o = new SpecificationTableOptions { Treatment = "x", Dimensions = ["vcov"], Language = TableLanguage.Zh, Labels = new Dictionary<string, string> { ["city"] = "城市", ["iid"] = "常规" } };
        var t = SpecificationTable.Build(grid, ["cluster:city"], o);
        var row = t.Blocks.SelectMany(b => b.Rows).Single(r => r.Key == "choice:vcov");
        Assert.Equal(["城市层面聚类稳健", "异方差稳健", "常规"], row.Cells.Select(c => c.Text));
    }

    [Theory]
    [InlineData("city + year", TableLanguage.Zh, "城市、年份")]
    [InlineData("province^year + city", TableLanguage.Zh, "省份×年份、城市")]
    [InlineData("0", TableLanguage.Zh, "无")]
    [InlineData("city + year", TableLanguage.En, "city + year")]
    public void FixedEffectsChoice_ChineseByLabels(string fe, TableLanguage language, string expected) =>
        Assert.Equal(expected, TableWords.FixedEffectsChoice(fe, language, s => s switch { "city" => "城市", "year" => "年份", "province" => "省份", _ => s }));

    [Fact]
    public void SpecificationTable_EstimatorAndWeightsChoices_InWords()
    {
        // The grid's estimator and weights dimensions (issue 20 item 7): a Chinese table names the estimator as a Hausman
        // comparison does and says 不加权 for none; a weight column takes its label.
        GridSpecification[] grid = [
            new(["within", "none"], 0.25, 0.05, 0.0, 100, 0.5, 0.4), new(["re", "none"], 0.2, 0.05, 0.0, 100, 0.5, 0.4),
            new(["within", "pop"], 0.3, 0.05, 0.0, 100, 0.5, 0.4)];
        var o = new SpecificationTableOptions { Treatment = "x", Dimensions = ["estimator", "weights"], Language = TableLanguage.Zh, Labels = new Dictionary<string, string> { ["pop"] = "人口" } };
        var rows = SpecificationTable.Build(grid, ["within", "none"], o).Blocks.SelectMany(b => b.Rows).ToList();
        Assert.Equal(["固定效应", "随机效应", "固定效应"], rows.Single(r => r.Key == "choice:estimator").Cells.Select(c => c.Text));
        Assert.Equal(["不加权", "不加权", "人口"], rows.Single(r => r.Key == "choice:weights").Cells.Select(c => c.Text));
        Assert.Equal(["估计方法", "权重"], rows.Where(r => r.Key.StartsWith("choice:", StringComparison.Ordinal)).Select(r => r.Label));
        Assert.Equal("Random effects", TableWords.ModelChoice("estimator", "re", TableLanguage.En, s => s));
        Assert.Equal("Unweighted", TableWords.ModelChoice("weights", "none", TableLanguage.En, s => s));
    }

    [Fact]
    public void SpecificationTable_FixedEffectsChoices_ByLabels_UnlessLabelled()
    {
        // Issue 28: the choice row read "city + year" in a Chinese table; a formula the study labels keeps its label.
        GridSpecification[] grid = [new(["city + year"], 0.25, 0.05, 0.0, 100, 0.5, 0.4), new(["city"], 0.25, 0.03, 0.0, 100, 0.5, 0.4), new(["year"], 0.25, 0.02, 0.0, 100, 0.5, 0.4)];
        var o = new SpecificationTableOptions { Treatment = "x", Dimensions = ["fe"], Language = TableLanguage.Zh, Labels = new Dictionary<string, string> { ["city"] = "城市", ["year"] = "年份" } };
        var row = SpecificationTable.Build(grid, ["city + year"], o).Blocks.SelectMany(b => b.Rows).Single(r => r.Key == "choice:fe");
        Assert.Equal(["城市、年份", "城市", "年份"], row.Cells.Select(c => c.Text));
        var labelled = o with { Labels = new Dictionary<string, string> { ["city"] = "城市", ["year"] = "年份", ["city + year"] = "双向固定效应" } };
        Assert.Equal(["双向固定效应", "城市", "年份"], SpecificationTable.Build(grid, ["city + year"], labelled).Blocks.SelectMany(b => b.Rows).Single(r => r.Key == "choice:fe").Cells.Select(c => c.Text));
    }
}
