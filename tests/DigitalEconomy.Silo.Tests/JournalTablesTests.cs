using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Issue 28: tables of a run a journal takes without hand edits.</summary>
public class JournalTablesTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-journal-{Environment.ProcessId}");

    [Fact]
    public void PairwiseDifferences_GroupsListedOutOfOrder_EveryPairHasItsPermutationP()
    {
        // Groups listed as the study lists them (not in the tests' ordinal order): every pair of the
        // differences table still carries its permutation p-values, in the tests' orientation.
        string dir = Path.Combine(Root, "pairs");
        Directory.CreateDirectory(dir);
        string study = Path.Combine(dir, "pairs.yaml");
        File.WriteAllText(study, $$"""
            name: pairs
            seed: 5
            dataset:
              path: {{Studies.DataPath}}
              unit: province
              time: year
              region: region
            baseline:
              outcome: gov
              treatment: market
              controls: [lngdp]
              fe: province + year
              vcov: cluster:province
            tables:
              labels: { region: 区域 }
            analyses:
              - name: het
                type: heterogeneity
                by: region
                groups: [West, East, Central]
                permutations: 12
                chunk: 12
            """);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        string csv = File.ReadAllText(Path.Combine(De.RunDir(output), "tables", "het_differences.csv"));
        var rows = csv.Split('\n').Where(l => l.Contains(" − ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Central − East", "Central − West", "East − West"], rows.Select(r => r.Split(',')[0]));
        Assert.All(rows, r => Assert.All(r.Split(',').Skip(1), cell => Assert.NotEqual("", cell)));
        Assert.DoesNotContain("blank", csv, StringComparison.Ordinal);
        string main = File.ReadAllText(Path.Combine(De.RunDir(output), "tables", "het.csv"));
        Assert.Contains("\n,区域,区域,区域\n", main, StringComparison.Ordinal);
        Assert.Contains("\nDependent variable,gov,gov,gov\n", main, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoHeterogeneityAnalyses_OneTable_ColumnsSideBySideUnderTheirHeaders()
    {
        // Seed 003 prints region and municipality heterogeneity as one table: `table:` shared by the two analyses.
        string dir = Path.Combine(Root, "combined");
        Directory.CreateDirectory(dir);
        string study = Path.Combine(dir, "combined.yaml");
        File.WriteAllText(study, $$"""
            name: combined
            seed: 5
            dataset:
              path: {{Studies.DataPath}}
              unit: province
              time: year
              region: region
            baseline:
              outcome: gov
              treatment: market
              controls: [lngdp]
              fe: province + year
              vcov: cluster:province
            tables:
              language: zh
              labels: { region: 区域, municipality: 直辖市, market: 市场化, gov: 政府干预, province: 省份, East: 东部, West: 西部, "0": 否, "1": 是 }
            analyses:
              - { name: base, type: regressions, title: 表1 基准回归, columns: [{}] }
              - { name: het_region, type: heterogeneity, title: 表2 区域异质性, by: region, groups: [East, West], permutations: 0, table: { name: heterogeneity, title: 表2 异质性分析 } }
              - { name: het_muni, type: heterogeneity, title: 表3 直辖市异质性, by: municipality, permutations: 0, table: heterogeneity }
            """);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);
        var files = Directory.GetFiles(Path.Combine(run, "tables")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "base", "heterogeneity" }.SelectMany(s => new[] { ".csv", ".docx", ".html", ".md", ".tex" }.Select(e => s + e)), files);
        var csv = File.ReadAllText(Path.Combine(run, "tables", "heterogeneity.csv")).Split('\n');
        Assert.Equal("表2 异质性分析", csv[0].TrimStart('\uFEFF'));
        Assert.Equal(",(1),(2),(3),(4)", csv[1]);
        Assert.Equal(",区域,区域,直辖市,直辖市", csv[2]);
        Assert.Equal(",东部,西部,否,是", csv[3]);
        Assert.Equal("被解释变量,政府干预,政府干预,政府干预,政府干预", csv[4]);
        Assert.StartsWith("市场化,", csv[5], StringComparison.Ordinal);
        Assert.Equal(5, csv[5].Split(',').Length);
        Assert.DoesNotContain("", csv[5].Split(',').Skip(1));
        // The Chow test of each analysis under its first column, one note each.
        string chow = csv.Single(l => l.StartsWith("组间系数差异检验（Chow，F值）,", StringComparison.Ordinal));
        var chowCells = chow.Split(',');
        Assert.True(chowCells[1].Length > 0 && chowCells[2].Length == 0 && chowCells[3].Length > 0 && chowCells[4].Length == 0, chow);
        Assert.Single(csv, l => l.StartsWith("括号内为t值，标准误为省份层面聚类稳健标准误", StringComparison.Ordinal));
        // The combined table stands where the first analysis's stood, under its own title in the report and the paper.
        string md = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.True(md.IndexOf("**表1 基准回归**", StringComparison.Ordinal) < md.IndexOf("**表2 异质性分析**", StringComparison.Ordinal), "report order");
        Assert.DoesNotContain("**表2 区域异质性**", md, StringComparison.Ordinal);
        Assert.DoesNotContain("**表3 直辖市异质性**", md, StringComparison.Ordinal);
    }
}
