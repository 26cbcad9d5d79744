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
}
