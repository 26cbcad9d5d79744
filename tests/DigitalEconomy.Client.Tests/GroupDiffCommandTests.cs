using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de groupdiff` end to end: JSON equal to the core results, the text tables, one error line per bad input.</summary>
public class GroupDiffCommandTests
{
    private const string Produc = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year";

    private static string[] Args(params string[] extra) =>
        ["groupdiff", Produc, "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", .. extra];

    [Fact]
    public void Json_EqualsTheCoreChowAndPermutationResults()
    {
        var (code, output, err) = CliRunner.Run(Args("--groups", "region", "--filter", "region <= 4", "--diff", "log(emp)", "--diff", "unemp",
            "--vcov", "cluster:state", "--permutations", "300", "--seed", "7", "--json"));
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var panel = Panel.Create(CsvReader.ReadFile(CliRunner.Data("Produc.csv")), "state", "year");
        var options = new EstimationOptions { Vcov = VcovSpec.Cluster("state"), Collinear = CollinearPolicy.Error, Filters = [RowFilter.Parse("region <= 4")] };
        var f = Formula.Parse(Produc);
        var chow = GroupDifference.Chow(panel, f, "region", ["log(emp)", "unemp"], options);
        var (_, perm) = GroupDifference.Permutation(panel, f, "region", ["log(emp)", "unemp"], options, new PermutationOptions { Permutations = 300, Seed = 7 });
        Assert.Equal(["1", "2", "3", "4"], root.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("label").GetString()));
        Assert.Equal([6, 3, 5, 7], root.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("units").GetInt32()));
        var coefs = root.GetProperty("coefficients").EnumerateArray().ToList();
        Assert.Equal(8, coefs.Count);
        for (int i = 0; i < coefs.Count; i++)
        {
            Assert.Equal(chow.Coefficients[i].Term, coefs[i].GetProperty("term").GetString());
            Assert.Equal(chow.Coefficients[i].Coefficient.Estimate, coefs[i].GetProperty("estimate").GetDouble());
            Assert.Equal(chow.Coefficients[i].Coefficient.StdError, coefs[i].GetProperty("std_error").GetDouble());
        }
        var diffs = root.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(12, diffs.Count);
        Assert.Equal(chow.Differences[5].Difference, diffs[5].GetProperty("difference").GetDouble());
        Assert.Equal(chow.Differences[5].PValue, diffs[5].GetProperty("p_value").GetDouble());
        Assert.Equal(chow.JointTest.Statistic, root.GetProperty("joint").GetProperty("statistic").GetDouble());
        Assert.Equal(6.0, root.GetProperty("joint").GetProperty("df1").GetDouble());
        Assert.Equal(20.0, root.GetProperty("joint").GetProperty("df2").GetDouble());
        Assert.Equal(chow.TermTests[1].Test.PValue, root.GetProperty("wald").GetProperty("unemp").GetProperty("p_value").GetDouble());
        var p = root.GetProperty("permutation");
        Assert.Equal("range", p.GetProperty("statistic").GetString());
        var tests = p.GetProperty("tests").EnumerateArray().ToList();
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(perm[t].Observed, tests[t].GetProperty("observed").GetDouble());
            Assert.Equal(perm[t].PValue, tests[t].GetProperty("p_value").GetDouble());
            Assert.Equal(300, tests[t].GetProperty("usable").GetInt32() + tests[t].GetProperty("failed").GetInt32());
        }
    }

    [Fact]
    public void Text_TwoGroups_PrintsCoefficientsDifferencesWaldAndPermutation()
    {
        var (code, output, err) = CliRunner.Run(Args("--groups", "region", "--filter", "region >= 8", "--diff", "log(emp)", "--permutations", "99"));
        Assert.True(code == 0, err);
        Assert.Contains("fully interacted model: log(gsp) ~ log(pcap):[region=8] + log(pcap):[region=9]", output);
        Assert.Contains("| state^region + year^region", output);
        Assert.Contains("8 − 9", output);
        Assert.Contains("Fisher permutation test: 99 permutations", output);
        Assert.Contains("statistic d = b(8) − b(9)", output);
        var chow = GroupDifference.Chow(Panel.Create(CsvReader.ReadFile(CliRunner.Data("Produc.csv")), "state", "year"), Formula.Parse(Produc), "region", ["log(emp)"],
            new EstimationOptions { Filters = [RowFilter.Parse("region >= 8")] });
        Assert.Contains($"joint             F(1, {chow.Interacted.DfResid}) = ", output);
        Assert.Contains(chow.Differences[0].Difference.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), output);
    }

    [Theory]
    [InlineData("group column 'zone' is not in Produc.csv", "--groups", "zone")]
    [InlineData("group column 'region' has 1 group ('1') in the sample; a group difference needs at least two", "--groups", "region", "--filter", "region == 1")]
    [InlineData("group '2' of 'region' has 1 unit (state); each group needs at least 2", "--groups", "region", "--filter", "region <= 2", "--filter", "state != NEW_YORK", "--filter", "state != NEW_JERSEY")]
    [InlineData("term 'hwy' is not a regressor of", "--groups", "region", "--diff", "hwy")]
    [InlineData("--permutations -5: expected 0", "--groups", "region", "--permutations", "-5")]
    public void BadInput_OneErrorLine_ExitCode2(string message, params string[] extra)
    {
        var (code, output, err) = CliRunner.Run(Args(extra));
        Assert.Equal(Cli.InputError, code);
        Assert.Equal("", output);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(message, lines[0]);
    }
}
