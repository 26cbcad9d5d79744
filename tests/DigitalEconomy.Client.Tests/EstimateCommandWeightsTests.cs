using System.Text;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de estimate --weights` end to end, against produc_weights.json (validation README section j: fixest/lm with weights = emp).</summary>
public class EstimateCommandWeightsTests
{
    private const string Formula = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static JsonElement Ref()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CliRunner.Data("produc_weights.json")));
        return doc.RootElement.GetProperty("twoways").Clone();
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-8 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static string[] Args(params string[] more) =>
        ["estimate", Formula, "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--weights", "emp", .. more];

    [Fact]
    public void Json_NamesTheWeights_AndMatchesTheReference()
    {
        var r = Ref();
        var (code, output, err) = CliRunner.Run(Args("--vcov", "cluster:state", "--json"));
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("emp", root.GetProperty("weights").GetString());
        Close(r.GetProperty("sum_weights").GetDouble(), root.GetProperty("sum_weights").GetDouble(), "sum_weights");
        Assert.Equal(r.GetProperty("n").GetInt32(), root.GetProperty("n").GetInt32());
        Assert.Equal(r.GetProperty("df_residual").GetInt32(), root.GetProperty("df_resid").GetInt32());
        Close(r.GetProperty("ssr_weighted").GetDouble(), root.GetProperty("diagnostics").GetProperty("ssr").GetDouble(), "weighted SSR");
        Close(r.GetProperty("cluster_fixest_default").GetProperty("factor").GetDouble(), root.GetProperty("diagnostics").GetProperty("small_sample_factor").GetDouble(), "CR1 factor");
        var coefs = root.GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("term").GetString()!);
        foreach (var t in Slopes)
        {
            Close(r.GetProperty("coefficients").GetProperty(t).GetDouble(), coefs[t].GetProperty("estimate").GetDouble(), $"b[{t}]");
            Close(r.GetProperty("cluster_fixest_default").GetProperty("se").GetProperty(t).GetDouble(), coefs[t].GetProperty("std_error").GetDouble(), $"se[{t}]");
        }
    }

    [Fact]
    public void SideBySide_Json_IidHc1AndLsdvCluster()
    {
        var r = Ref();
        var (code, output, err) = CliRunner.Run(Args("--vcov", "iid,hc1", "--json"));
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var fits = doc.RootElement.GetProperty("fits");
        foreach (var (fit, block) in new[] { (fits[0], "iid"), (fits[1], "hc1") })
        {
            Assert.Equal("emp", fit.GetProperty("weights").GetString());
            foreach (var c in fit.GetProperty("coefficients").EnumerateArray())
                Close(r.GetProperty(block).GetProperty("se").GetProperty(c.GetProperty("term").GetString()!).GetDouble(), c.GetProperty("std_error").GetDouble(), $"{block} se");
        }
        var (code2, output2, err2) = CliRunner.Run(Args("--vcov", "cluster:state", "--ssc", "lsdv", "--json"));
        Assert.True(code2 == 0, err2);
        using var doc2 = JsonDocument.Parse(output2);
        foreach (var c in doc2.RootElement.GetProperty("coefficients").EnumerateArray())
            Close(r.GetProperty("cluster_cr1_lsdv").GetProperty("se").GetProperty(c.GetProperty("term").GetString()!).GetDouble(), c.GetProperty("std_error").GetDouble(), "CR1 lsdv se");
    }

    [Fact]
    public void Text_PrintsTheWeightsAndTheReferenceNumbers()
    {
        var r = Ref();
        var (code, output, err) = CliRunner.Run(Args());
        Assert.True(code == 0, err);
        Assert.Contains("Σ weights (emp)", output);
        Assert.Contains("1.4256e+6", output); // Σw = 1425634.3
        Assert.Contains("weighted by emp (analytic weights)", output);
        // The detailed table prints estimate and std.error to 4 decimals: the iid reference, rounded.
        var row = output.Split('\n').First(l => l.StartsWith("log(emp) ", StringComparison.Ordinal) && l.Contains("0.0246", StringComparison.Ordinal));
        Assert.Contains(r.GetProperty("coefficients").GetProperty("log(emp)").GetDouble().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), row);
        Assert.Contains(r.GetProperty("iid").GetProperty("se").GetProperty("log(emp)").GetDouble().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), row);
    }

    [Theory]
    [InlineData("en", "Weighted by emp.")]
    [InlineData("zh", "以 emp 加权")]
    public void Table_HasTheWeightsNote(string lang, string note)
    {
        string dir = Path.Combine(Path.GetTempPath(), "de-weights-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "t.md");
            var (code, _, err) = CliRunner.Run(Args("--table", path, "--lang", lang));
            Assert.True(code == 0, err);
            Assert.Contains("\n" + note + "\n", File.ReadAllText(path, Encoding.UTF8));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Refusals_AreOneLine()
    {
        var (code, _, err) = CliRunner.Run(["estimate", "log(gsp) ~ log(pcap) + unemp", "--estimator", "re", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--weights", "emp"]);
        Assert.NotEqual(0, code);
        Assert.Contains("weights are not supported with re", err);
        var (code2, _, err2) = CliRunner.Run(Args("--vcov", "hc2"));
        Assert.NotEqual(0, code2);
        Assert.Contains("--vcov hc2 is not available with --weights emp", err2);
        var (code3, _, err3) = CliRunner.Run(Args("--vcov", "cluster:state", "--wild", "unemp=0"));
        Assert.NotEqual(0, code3);
        Assert.Contains("--wild does not support --weights emp", err3);
        var (code4, _, err4) = CliRunner.Run(["estimate", Formula, "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--weights", "nosuch"]);
        Assert.NotEqual(0, code4);
        Assert.Contains("unknown column 'nosuch'", err4);
    }
}
