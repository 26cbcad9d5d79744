using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

public class SpecificationTableTests
{
    private static readonly string[] Dims = ["outcome", "controls", "winsor"];
    private static readonly string[] Baseline = ["y", "none", "no"];

    // Six specifications: the baseline A, one-choice departures C (outcome), F and B (controls), D (winsor), and E with two changes.
    private static readonly GridSpecification[] Grid =
    [
        new(["y", "full", "no"], -0.1, 0.08, 0.2113, 100, 0.41, 0.11),          // B
        new(["y2", "full", "no"], 9.0, 1.0, 0.0, 100, 0.9, 0.5),                // E: two changes, not shown
        new(["y", "none", "yes"], 0.123456, 0.06, 0.04, 100, 0.52, 0.22),       // D
        new(["y", "none", "no"], 0.25, 0.05, 0.0001, 100, 0.5, 0.2),            // A (baseline)
        new(["y2", "none", "no"], null, null, null, null, null, null, Failed: true), // C
        new(["y", "basic", "no"], 0.3, 0.1, 0.003, 90, 0.45, null),             // F
    ];

    [Fact]
    public void Build_BaselineThenOneChoiceDepartures_HandCheckedMarkdown()
    {
        var t = SpecificationTable.Build(Grid, Baseline, new SpecificationTableOptions
        {
            Treatment = "x", Dimensions = Dims, Stat = ParenthesisStat.Se,
            Labels = new Dictionary<string, string> { ["x"] = "Digital economy", ["y2"] = "Output (PCA)" },
            Notes = ["Extra note."],
        });
        // Columns: A; then by the changed dimension (outcome: C; controls: "y|basic|no" < "y|full|no", so F then B; winsor: D).
        // D: 0.123456 → 0.123, p 0.04 → **; B: p 0.2113 → no stars; SE in parentheses; LSDV R².
        string expected = """
            **Specification grid: baseline and one-choice departures**

            |  | (1) | (2) | (3) | (4) | (5) |
            |:---|---:|---:|---:|---:|---:|
            |  | Baseline | Outcome | Controls | Controls | Winsorised |
            | Digital economy | 0.250\*\*\* | failed | 0.300\*\*\* | -0.100 | 0.123\*\* |
            |  | (0.050) |  | (0.100) | (0.080) | (0.060) |
            | Outcome | y | Output (PCA) | y | y | y |
            | Controls | none | none | basic | full | none |
            | Winsorised | NO | NO | NO | NO | YES |
            | N | 100 |  | 90 | 100 | 100 |
            | R² (LSDV) | 0.500 |  | 0.450 | 0.410 | 0.520 |

            Standard errors in parentheses; \* p\<0.1, \*\* p\<0.05, \*\*\* p\<0.01
            Coefficient of Digital economy. Column (1) is the baseline; each other column changes the one choice named above it
            6 specifications in all (specs.parquet); 1 could not be estimated (see its error column)
            Extra note.

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, TableRenderer.Render(t, TableFormat.Markdown));
        // The numbers stay in the cells: D's t = 0.123456 / 0.06 = 2.0576.
        var d = t.Blocks[0].Rows[0].Cells[4];
        Assert.Equal(2.0576, d.T!.Value, 4);
        Assert.Equal("**", d.Stars);
    }

    [Fact]
    public void Build_AnEstimatorThatForcesItsFixedEffects_IsTheEstimatorsDeparture()
    {
        // Baseline: within with city + year. re and ols take no fixed effects, so their nodes change the estimator and (forced)
        // the fixed effects: each is one column, headed by the estimator. iv-2sls exists with the baseline's fixed effects too,
        // so its "0" node is a two-choice departure and is not shown; the within node with city only is the fixed effects' column.
        string[] dims = ["outcome", "fe", "estimator"];
        string[] baseline = ["y", "city + year", "within"];
        GridSpecification[] grid =
        [
            new(["y", "city + year", "within"], 0.25, 0.05, 0.0001, 100, 0.5, 0.2),
            new(["y", "0", "re"], 0.30, 0.06, 0.0001, 100, 0.4, null),
            new(["y", "0", "ols"], 0.40, 0.10, 0.0001, 100, 0.3, null),
            new(["y", "city", "within"], 0.20, 0.05, 0.0001, 100, 0.45, 0.1),
            new(["y", "city + year", "iv-2sls"], 0.50, 0.20, 0.0124, 100, 0.35, 0.1),
            new(["y", "0", "iv-2sls"], 0.60, 0.20, 0.0027, 100, 0.30, null),
        ];
        var t = SpecificationTable.Build(grid, baseline, new SpecificationTableOptions { Treatment = "x", Dimensions = dims });
        // (1) baseline; fe: city; estimator, ordered by the joined choices ("y|0|ols" < "y|0|re" < "y|city + year|iv-2sls").
        Assert.Equal(["Baseline", "Fixed effects", "Estimator", "Estimator", "Estimator"], t.Columns.Select(c => c.Group));
        Assert.Equal([0.25, 0.20, 0.40, 0.30, 0.50], t.Blocks[0].Rows[0].Cells.Select(c => c.Value!.Value));
        // The fixed-effects row shows the forced change: none ("0") under ols and re.
        Assert.Equal(["city + year", "city", "0", "0", "city + year"], t.Blocks[1].Rows[1].Cells.Select(c => c.Text));
    }

    [Fact]
    public void Build_Chinese_TStatistics_WithinR2WhereFixedEffects()
    {
        var t = SpecificationTable.Build(Grid, Baseline, new SpecificationTableOptions
        {
            Treatment = "x", Dimensions = Dims, Language = TableLanguage.Zh, R2 = R2Kind.Within,
            Labels = new Dictionary<string, string> { ["x"] = "数字经济" }, Decimals = new TableDecimals { Coefficient = 4 },
        });
        string csv = TableRenderer.Render(t, TableFormat.Csv);
        // t: 0.25/0.05 = 5.000, 0.3/0.1 = 3.000, -0.1/0.08 = -1.250, 0.123456/0.06 = 2.058; within R² where given, F (none) its LSDV 0.450.
        Assert.Equal("""
            设定网格：基准设定与单维度变化
            ,(1),(2),(3),(4),(5)
            ,基准,被解释变量,控制变量,控制变量,缩尾处理
            数字经济,0.2500***,估计失败,0.3000***,-0.1000,0.1235**
            ,(5.000),,(3.000),(-1.250),(2.058)
            被解释变量,y,y2,y,y,y
            控制变量,none,none,basic,full,none
            缩尾处理,否,否,否,否,是
            观测值,100,,90,100,100
            R²（组内）,0.200,,0.450,0.110,0.220
            括号内为t值；***、**、*分别表示在1%、5%、10%的水平上显著
            数字经济的估计系数。第(1)列为基准设定，其余各列只改变其上方所注的一项设定
            网格共6个设定（specs.parquet），其中1个无法估计（见其error列）
            无固定效应的列报告普通R²

            """.Replace("\r\n", "\n", StringComparison.Ordinal), csv);
    }

    [Fact]
    public void Build_WrongShapes_SayWhat()
    {
        var ex = Assert.Throws<ArgumentException>(() => SpecificationTable.Build(Grid, ["y", "none"], new SpecificationTableOptions { Dimensions = Dims }));
        Assert.StartsWith("2 baseline choices for 3 dimensions.", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => SpecificationTable.Build([new(["a", "b"], 1, 1, 1, 1, 1, 1)], Baseline, new SpecificationTableOptions { Dimensions = Dims }));
        Assert.StartsWith("a specification has 2 choices for 3 dimensions: a|b", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => SpecificationTable.Build([Grid[1]], Baseline, new SpecificationTableOptions { Dimensions = Dims }));
        Assert.StartsWith("no specification equals the baseline (y|none|no) or departs from it in one choice.", ex.Message, StringComparison.Ordinal);
    }
}
