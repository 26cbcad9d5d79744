using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>
/// The rows the analyses append to their regression tables (reporting/Tables/AnalysisBlocks.cs), built from result records
/// whose values are derived by hand here: the Hausman test, Baron–Kenny's Sobel/Aroian tests and bootstrap interval, and the
/// tests of coefficient differences of a heterogeneity analysis.
/// </summary>
public class AnalysisBlocksTests
{
    private static Table Regression(int columns) =>
        new("T", "", [.. Enumerable.Range(1, columns).Select(j => new TableColumn($"({j})"))], [new RowBlock(BlockKind.Coefficients, [])], ["Standard errors."]);

    private static string[] Texts(Table t, string key) => [.. t.Blocks.SelectMany(b => b.Rows).Single(r => r.Key == key).Cells.Select(c => c.Text)];

    [Fact]
    public void Hausman_UnderTheColumnsThatHaveIt_WithTheFirstNote()
    {
        var t = AnalysisBlocks.WithHausman(Regression(3), [null, new HausmanTest(12.3456, 0.01234, "df adjusted"), new HausmanTest(double.NaN, double.NaN, null)], TableLanguage.En);
        var block = t.Blocks[^1];
        Assert.Equal(BlockKind.Diagnostics, block.Kind);
        Assert.Equal(["Hausman χ² (FE vs RE)", "Hausman p"], block.Rows.Select(r => r.Label));
        Assert.Equal(["", "12.346", ""], Texts(t, "hausman_chi2"));
        Assert.Equal(["", "0.012", ""], Texts(t, "hausman_p"));
        Assert.Equal(["Standard errors.", "Hausman test: df adjusted"], t.Notes);
    }

    [Fact]
    public void Sobel_HandDerived_UnderTheFullModel()
    {
        // a = 0.2 (se 0.1), b = 0.3 (se 0.2): a·b = 0.06; Sobel se = √(0.3²·0.1² + 0.2²·0.2²) = √0.0025 = 0.05, z = 1.2,
        // p = 2(1 − Φ(1.2)) = 0.230139…; Aroian se = √(0.0025 + 0.1²·0.2²) = √0.0029, z = 1.114172…, p = 0.265205….
        static Coefficient C(string term, double b, double se) => new(term, b, se, b / se, double.NaN, double.NaN, double.NaN);
        var effect = Mediation.Combine(C("x", 0.5, 0.1), C("x", 0.2, 0.1), C("x", 0.44, 0.1), C("m", 0.3, 0.2));
        var t = AnalysisBlocks.WithSobel(Regression(3), [new MediatorEffect(2, effect)], TableLanguage.En);
        Assert.Equal(["", "", "0.0600"], Texts(t, "indirect"));
        Assert.Equal(["", "", "1.200"], Texts(t, "sobel_z"));
        Assert.Equal(["", "", "0.230"], Texts(t, "sobel_p"));
        Assert.Equal(["", "", "0.265"], Texts(t, "aroian_p"));
        var cells = t.Blocks[^1].Rows.ToDictionary(r => r.Key, r => r.Cells[2].Value!.Value);
        Assert.Equal(0.06, cells["indirect"], 1e-15);
        Assert.Equal(1.2, cells["sobel_z"], 1e-12);
        Assert.Equal(0.2301393404434166, cells["sobel_p"], 1e-12);
        Assert.Equal(0.26520539259150766, cells["aroian_p"], 1e-12);
        Assert.Equal(["Standard errors."], t.Notes);
    }

    [Fact]
    public void MediationBootstrap_LimitsAndReplicates_PerMediator_WithTheFailuresInTheNote()
    {
        // Columns: Y~X, M1~X, Y~X+M1, M2~X, Y~X+M2; M2's summary failed.
        var s = new BootstrapSummary(0.06, 0.061, 0.05, 0.0123, 0.15678, 0.00987, 0.16044);
        var t = AnalysisBlocks.WithMediationBootstrap(Regression(5), [new MediatorBootstrapCells(2, 497, s), new MediatorBootstrapCells(4, 0, null)], 500, 0.95,
            ["m2: no usable replicate"], TableLanguage.En);
        Assert.Equal(["", "", "0.0123", "", ""], Texts(t, "boot_pct_low"));
        Assert.Equal(["", "", "0.1568", "", ""], Texts(t, "boot_pct_high"));
        Assert.Equal(["", "", "0.0099", "", ""], Texts(t, "boot_bc_low"));
        Assert.Equal(["", "", "0.1604", "", ""], Texts(t, "boot_bc_high"));
        Assert.Equal(["", "", "497", "", "0"], Texts(t, "boot_replicates"));
        Assert.Equal("95% intervals of a·b: pairs cluster bootstrap, units resampled with their series, 500 replicates; m2: no usable replicate", t.Notes[^1]);
        var zh = AnalysisBlocks.WithMediationBootstrap(Regression(3), [], 999, 0.9, [], TableLanguage.Zh);
        Assert.Equal("a·b的90%置信区间：个体整体重抽样的配对聚类自助法，999次", zh.Notes[^1]);
    }

    [Fact]
    public void GroupTests_InTheFirstColumn_WithThePermutationCount()
    {
        var chow = new TestResult("F", 4.5678, 1, 120, 0.01234);
        // 3 of 60 permutations at least as extreme: p = (1 + 2) / (1 + 60) = 0.04918….
        var perm = new PermutationTest("x", PermutationStatistic.Difference, 0.21, 60, 0, 2, 1, 3.0 / 61, 2.0 / 61, 1.0 / 60);
        var t = AnalysisBlocks.WithGroupTests(Regression(2), chow, perm, 60, TableLanguage.En);
        Assert.Equal(["4.568", ""], Texts(t, "chow_f"));
        Assert.Equal(["0.012", ""], Texts(t, "chow_p"));
        Assert.Equal(["0.049", ""], Texts(t, "permutation_p"));
        Assert.EndsWith("group labels permuted across units (60 permutations)", t.Notes[^1], StringComparison.Ordinal);
        var none = AnalysisBlocks.WithGroupTests(Regression(2), chow, null, 0, TableLanguage.Zh);
        Assert.DoesNotContain(none.Blocks[^1].Rows, r => r.Key == "permutation_p");
        Assert.EndsWith("组别标签在个体间置换的费舍尔检验", none.Notes[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void GroupDifferences_OneRowPerPair_ABlankWhereAPairHasNoPermutationTest()
    {
        GroupContrast[] pairs =
        [
            new("x", "A", "B", 0.12346, 0.05, 2.4692, 0.0136),
            new("x", "A", "C", -0.02, 0.04, -0.5, 0.6171),
            new("x", "B", "C", -0.14346, 0.06, -2.391, 0.0176),
        ];
        var tests = new Dictionary<string, PermutationTest>
        {
            ["A-B"] = new("x", PermutationStatistic.Difference, 0.12346, 100, 0, 1, 1, 2.0 / 101, 2.0 / 101, 0.01),
            ["A-C"] = new("x", PermutationStatistic.Difference, -0.02, 100, 0, 60, 70, 61.0 / 101, 71.0 / 101, 0.7),
        };
        var labels = new Dictionary<string, string> { ["A"] = "East", ["B"] = "Central", ["C"] = "West" };
        var t = AnalysisBlocks.GroupDifferences("Heterogeneity", pairs, tests, 100, g => labels[g], TableLanguage.En);
        Assert.Equal("Tests of coefficient differences: Heterogeneity", t.Title);
        Assert.Equal(["Difference", "SE", "Chow test p", "Permutation test p", "Permutation share d* ≥ d (bdiff)"], t.Columns.Select(c => c.Header));
        var rows = t.Blocks.Single().Rows;
        Assert.Equal(["East − Central", "East − West", "Central − West"], rows.Select(r => r.Label));
        Assert.Equal(["0.1235", "0.0500", "0.014", "0.020", "0.010"], rows[0].Cells.Select(c => c.Text));
        Assert.Equal(["-0.0200", "0.0400", "0.617", "0.604", "0.700"], rows[1].Cells.Select(c => c.Text));
        Assert.Equal(["-0.1435", "0.0600", "0.018", "", ""], rows[2].Cells.Select(c => c.Text));
        Assert.Equal(2, t.Notes.Count);
        Assert.Equal("A blank permutation p-value: no permuted fit of that pair could be estimated", t.Notes[1]);
        var noPermutations = AnalysisBlocks.GroupDifferences("H", pairs, new Dictionary<string, PermutationTest>(), 0, g => g, TableLanguage.En);
        Assert.Equal(3, noPermutations.Columns.Count);
        Assert.Single(noPermutations.Notes);
    }
}
