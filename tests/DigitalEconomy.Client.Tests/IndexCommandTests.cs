using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Client;
using DigitalEconomy.Core.Indices;
using Xunit;

namespace DigitalEconomy.Client.Tests;

public class IndexCommandTests
{
    private static string Data(string name) => CliRunner.Data(name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Entropy_Json_AndCsv_MatchTheReference()
    {
        string outFile = Path.Combine(Path.GetTempPath(), $"de-index-{Environment.ProcessId}.csv");
        var (code, output, _) = Run("index", "--data", Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--indicators", "x1:+,x2:+,x3:+,x4:-", "--shift", "0.0001", "--out", outFile, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["method", "options", "weights", "entropy", "divergence", "n", "warnings"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("entropy", root.GetProperty("method").GetString());
        Assert.Equal(0.0001, root.GetProperty("options").GetProperty("shift").GetDouble());
        Assert.Equal(30, root.GetProperty("n").GetInt32());
        // entropy.json variant B: x1 weight 0.2211645135.
        Assert.Equal(0.2211645135, root.GetProperty("weights").GetProperty("x1").GetDouble(), 10);
        var lines = File.ReadAllLines(outFile);
        Assert.Equal("unit,year,score", lines[0]);
        Assert.Equal(31, lines.Length);
        var reference = File.ReadAllLines(Data("entropy_scores.csv"))[1].Split(',');
        Assert.Equal(double.Parse(reference[7], CultureInfo.InvariantCulture), double.Parse(lines[1].Split(',')[2], CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void BuiltInSystems_LoadWithTheirSizes()
    {
        Assert.Equal(12, SystemLoader.Load("hqd").Indicators.Count);
        Assert.Equal(6, SystemLoader.Load("hqd").Dimensions.Count);
        Assert.Equal(12, SystemLoader.Load("de").Indicators.Count);
        Assert.Equal(5, SystemLoader.Load("de").Dimensions.Count);
        var n = SystemLoader.Load("nqpf");
        Assert.Equal(41, n.Indicators.Count);
        Assert.Equal(["Factor structure", "Value leap"], n.Dimensions);
        Assert.Contains(n.Indicators, i => i.Code == "carbon_emissions" && i.Direction == Direction.Negative && i.Path!.Count == 3);
        Assert.Equal("研发投入强度", SystemLoader.Load("hqd").Indicators.Single(i => i.Code == "rd_gdp").NameZh);
    }

    [Fact]
    public void YamlError_NamesLineAndColumn()
    {
        string f = Path.Combine(Path.GetTempPath(), $"de-sys-{Environment.ProcessId}.yaml");
        File.WriteAllText(f, "name: x\nindicators:\n  - { code: a, direction: \"+\" }\n  - { code: b, direction: up }\n");
        var (code, _, err) = Run("index", "--data", Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--system", f);
        Assert.Equal(2, code);
        Assert.Contains("indicators[1].direction: direction 'up' should be + or -", err, StringComparison.Ordinal);
        File.WriteAllText(f, "name: x\nindicators: [ {code: a\n");
        (code, _, err) = Run("index", "--data", Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--system", f);
        Assert.Equal(2, code);
        Assert.Matches(@"line \d+, column \d+", err);
    }

    [Fact]
    public void Pca_Json_HasEigenvaluesAndLoadings()
    {
        var (code, output, _) = Run("index", "--data", Data("Produc.csv"), "--unit", "state", "--time", "year", "--indicators", "hwy,water,util,pc,gsp,emp,unemp:-", "--method", "pca", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var eig = doc.RootElement.GetProperty("eigenvalues");
        Assert.Equal(7, eig.GetArrayLength());
        var r = File.ReadAllLines(Data("produc_pca.txt"));
        Assert.Equal(double.Parse(r[0].Split(' ')[1], CultureInfo.InvariantCulture), eig[0].GetDouble(), 9);
    }

    [Fact]
    public void MissingIndicator_OneLine()
    {
        var (code, _, err) = Run("index", "--data", Data("entropy_input.csv"), "--unit", "unit", "--time", "year", "--indicators", "x1,x9");
        Assert.Equal(2, code);
        Assert.Equal("error: entropy_input.csv: indicator 'x9' has no column; available columns: unit, year, x1, x2, x3, x4", err.Trim());
    }

    [Fact]
    public void Disparity_Json_DecompositionsAddUp()
    {
        var (code, output, _) = Run("disparity", "--data", Data("Produc.csv"), "--unit", "state", "--time", "year", "--value", "gsp", "--group", "region", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var periods = doc.RootElement.GetProperty("periods");
        Assert.Equal(17, periods.GetArrayLength());
        foreach (var p in periods.EnumerateArray())
        {
            var t = p.GetProperty("theil");
            Assert.Equal(t.GetProperty("total").GetDouble(), t.GetProperty("within").GetDouble() + t.GetProperty("between").GetDouble(), 12);
            var d = p.GetProperty("dagum");
            Assert.Equal(d.GetProperty("total").GetDouble(), d.GetProperty("within").GetDouble() + d.GetProperty("net_between").GetDouble() + d.GetProperty("transvariation").GetDouble(), 12);
        }
        Assert.True(doc.RootElement.GetProperty("beta_convergence").GetProperty("beta").GetDouble() < 1);
    }

    [Fact]
    public void UnknownCommand_SaysWhich()
    {
        var (code, _, err) = Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument 'frobnicate'", err, StringComparison.Ordinal);
    }
}
