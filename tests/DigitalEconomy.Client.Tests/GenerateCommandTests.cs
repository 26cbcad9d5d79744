using Xunit;

namespace DigitalEconomy.Client.Tests;

public class GenerateCommandTests
{
    private static string Tmp(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-generate-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public void Cities_CountOption_WritesThatManyCitiesTimesTenYears_FirstThirtyTierOne()
    {
        string path = Tmp("c1200.csv");
        var (code, output, err) = CliRunner.Run("generate", "cities", "--cities", "1200", "--out", path);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 12000 rows", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(12000, rows.Count);
        var cities = rows.Select(r => r[0]).Distinct().ToList();
        Assert.Equal(1200, cities.Count);
        Assert.Equal("C0001", cities[0]);
        Assert.Equal("C1200", cities[^1]);
        Assert.Equal(30 * 10, rows.Count(r => r[4] == "1"));
        Assert.All(rows.GroupBy(r => r[0]), g => Assert.Equal(Enumerable.Range(2013, 10).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)), g.Select(r => r[2])));
    }

    [Fact]
    public void Cities_DefaultIs286_AndBadCountsAreOneLine()
    {
        string path = Tmp("c286.csv");
        Assert.Equal(0, CliRunner.Run("generate", "cities", "--out", path).Code);
        Assert.Equal(286, File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
        var (code, _, err) = CliRunner.Run("generate", "cities", "--cities", "1", "--out", Tmp("x.csv"));
        Assert.Equal(2, code);
        Assert.Equal("error: --cities 1: expected 2 to 100000", err.Trim());
        (code, _, err) = CliRunner.Run("generate", "provinces", "--cities", "40", "--out", Tmp("y.csv"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --cities applies to 'cities' only", err.Trim(), StringComparison.Ordinal);
    }
}
