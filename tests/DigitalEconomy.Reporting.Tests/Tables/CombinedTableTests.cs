using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>Several analyses in one table (issue 28 point 4: region and tier heterogeneity as one 6-column table).</summary>
public class CombinedTableTests
{
    private static TableRow Row(string label, string key, RowKind kind, params string[] cells) => new(label, key, kind, [.. cells.Select(c => c.Length == 0 ? Cell.Empty : new Cell(c))]);

    // Two heterogeneity tables as the heterogeneity analysis builds them: groups labelled, the Chow row under column (1), the notes.
    private static readonly Table Region = new("表7 区域异质性", "",
        [new("(1)", "东部", "区域"), new("(2)", "中部", "区域"), new("(3)", "西部", "区域")],
        [
            new(BlockKind.Coefficients, [Row("数字经济", "de", RowKind.Estimate, "0.21***", "0.12**", "0.05"), Row("", "de:t", RowKind.Parenthesised, "(3.1)", "(2.2)", "(0.9)")]),
            new(BlockKind.Summary, [Row("观测值", "N", RowKind.Statistic, "110", "80", "100")]),
            new(BlockKind.Diagnostics, [Row("组间系数差异检验（Chow，F值）", "chow_f", RowKind.Statistic, "4.512", "", "")]),
        ],
        ["括号内为t值，标准误为省份层面聚类稳健标准误；***、**、*分别表示在1%、5%、10%的水平上显著", "Chow检验：…（1000次置换）"]);

    private static readonly Table Tier = new("表8 城市等级异质性", "",
        [new("(1)", "高"), new("(2)", "低")],
        [
            new(BlockKind.Coefficients, [Row("数字经济", "de", RowKind.Estimate, "0.30***", "0.08"), Row("", "de:t", RowKind.Parenthesised, "(4.0)", "(1.1)"), Row("政府干预", "gov", RowKind.Estimate, "0.01", "0.02")]),
            new(BlockKind.Summary, [Row("观测值", "N", RowKind.Statistic, "150", "140")]),
            new(BlockKind.Diagnostics, [Row("组间系数差异检验（Chow，F值）", "chow_f", RowKind.Statistic, "2.001", "")]),
        ],
        ["括号内为t值，标准误为省份层面聚类稳健标准误；***、**、*分别表示在1%、5%、10%的水平上显著", "第(2)列报告数字经济（滞后一期）的估计系数"]);

    [Fact]
    public void ColumnsSideBySide_Renumbered_GroupsOrSpan_RowsByKey_NotesOnceWithColumnsMoved()
    {
        var t = CombinedTable.Build("表7 异质性分析", [new CombinedPart(Region, "区域异质性"), new CombinedPart(Tier, CombinedTable.Unnumbered(Tier.Title))]);
        Assert.Equal("表7 异质性分析", t.Title);
        Assert.Equal(["(1)", "(2)", "(3)", "(4)", "(5)"], t.Columns.Select(c => c.Header));
        Assert.Equal(["东部", "中部", "西部", "高", "低"], t.Columns.Select(c => c.Label));
        // The region columns keep their group; the tier columns, which have none, take the span.
        Assert.Equal(["区域", "区域", "区域", "城市等级异质性", "城市等级异质性"], t.Columns.Select(c => c.Group));
        Assert.Equal([BlockKind.Coefficients, BlockKind.Summary, BlockKind.Diagnostics], t.Blocks.Select(b => b.Kind));
        var rows = t.Blocks.SelectMany(b => b.Rows).ToDictionary(r => r.Key);
        Assert.Equal(["de", "de:t", "gov"], t.Blocks[0].Rows.Select(r => r.Key));
        Assert.Equal(["0.21***", "0.12**", "0.05", "0.30***", "0.08"], rows["de"].Cells.Select(c => c.Text));
        Assert.Equal(["", "", "", "0.01", "0.02"], rows["gov"].Cells.Select(c => c.Text));
        Assert.Equal(["110", "80", "100", "150", "140"], rows["N"].Cells.Select(c => c.Text));
        Assert.Equal(["4.512", "", "", "2.001", ""], rows["chow_f"].Cells.Select(c => c.Text));
        Assert.Equal(
            ["括号内为t值，标准误为省份层面聚类稳健标准误；***、**、*分别表示在1%、5%、10%的水平上显著", "Chow检验：…（1000次置换）", "第(5)列报告数字经济（滞后一期）的估计系数"],
            t.Notes);
        Assert.Equal("城市等级异质性", CombinedTable.Unnumbered("表8 城市等级异质性"));
        Assert.Equal("Regional heterogeneity", CombinedTable.Unnumbered("Table 7: Regional heterogeneity"));
    }

    [Fact]
    public void Markdown_OneTable_SpanningHeadersOverEachPart()
    {
        var t = CombinedTable.Build("表7 异质性分析", [new CombinedPart(Region, "区域异质性"), new CombinedPart(Tier, "城市等级异质性")]);
        var lines = MarkdownText(t);
        Assert.Equal("|  | 区域 | 区域 | 区域 | 城市等级异质性 | 城市等级异质性 |", lines.First(l => l.Contains("区域", StringComparison.Ordinal)));
        Assert.Contains("| 数字经济 | 0.21\\*\\*\\* | 0.12\\*\\* | 0.05 | 0.30\\*\\*\\* | 0.08 |", lines);
    }

    private static string[] MarkdownText(Table t) => System.Text.Encoding.UTF8.GetString(TableRenderer.Encode(t, TableFormat.Markdown)).Split('\n');

    [Fact]
    public void RowWithTheWrongNumberOfCells_Refused()
    {
        var bad = Tier with { Blocks = [new(BlockKind.Summary, [Row("观测值", "N", RowKind.Statistic, "150")])] };
        var e = Assert.Throws<ArgumentException>(() => CombinedTable.Build("t", [new CombinedPart(Region, null), new CombinedPart(bad, null)]));
        Assert.Contains("row 'N' has 1 cells for 2 columns", e.Message, StringComparison.Ordinal);
    }
}
