using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `de estimate` with the singleton rule (produc_singletons.json, validation README section k) and on data without a
/// panel: fixest's trade data without --unit/--time (trade_fixest.json, section q).
/// </summary>
public class SingletonCrossSectionTests(ITestOutputHelper output)
{
    private const string Model = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + region^year";
    private const string Trade = "log(Euros) ~ log(dist_km) | Origin + Destination + Product + Year";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static JsonElement Ref(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CliRunner.Data(file)));
        return doc.RootElement.Clone();
    }

    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    private static double Se(JsonElement fit, string term) =>
        fit.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("term").GetString() == term).GetProperty("std_error").GetDouble();

    private static double Estimate(JsonElement fit, string term) =>
        fit.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("term").GetString() == term).GetProperty("estimate").GetDouble();

    private static double Rel(double expected, double actual) => Math.Abs(actual - expected) / Math.Abs(expected);

    [Theory]
    [InlineData(new string[0], "singletons_removed_iteratively")]
    [InlineData(new[] { "--singletons", "drop" }, "singletons_removed_iteratively")]
    [InlineData(new[] { "--drop-singletons" }, "singletons_removed_iteratively")]
    [InlineData(new[] { "--singletons", "keep" }, "fixef_rm_none")]
    public void Estimate_DropsSingletonsByDefault_AsReghdfe(string[] rule, string block)
    {
        var b = Ref("produc_singletons.json").GetProperty(block);
        string[] Args(string vcov, params string[] more) =>
            ["estimate", Model, "--data", CliRunner.Data("Produc_singletons.csv"), "--unit", "state", "--time", "year", "--vcov", vcov, .. more, .. rule, "--json"];
        var iid = Json(Args("iid"));
        var hc1 = Json(Args("hc1"));
        var cl = Json(Args("cluster:state", "--ssc", "lsdv"));
        Assert.Equal(b.GetProperty("n_used").GetInt32(), iid.GetProperty("n").GetInt32());
        Assert.Equal(b.GetProperty("n_removed").GetInt32(), iid.GetProperty("diagnostics").GetProperty("singletons_removed").GetInt32());
        Assert.Equal(b.GetProperty("n_removed").GetInt32(), cl.GetProperty("diagnostics").GetProperty("singletons_removed").GetInt32());
        Assert.Equal(b.GetProperty("G_states").GetInt32(), cl.GetProperty("clusters").GetProperty("state").GetInt32());
        Assert.Equal(b.GetProperty("df_residual").GetInt32(), iid.GetProperty("df_resid").GetInt32());
        double worst = 0;
        foreach (var t in Slopes)
            foreach (var (fit, key) in new[] { (iid, "se_iid"), (hc1, "se_hc1"), (cl, "se_cluster_state_lsdv") })
            {
                double e = b.GetProperty(key).GetProperty(t).GetDouble(), a = Se(fit, t);
                worst = Math.Max(worst, Rel(e, a));
                Assert.True(Rel(e, a) <= 1e-8, $"{key}[{t}]: expected {e:R}, got {a:R}");
            }
        foreach (var t in Slopes)
            Assert.True(Rel(b.GetProperty("coefficients").GetProperty(t).GetDouble(), Estimate(iid, t)) <= 1e-8, t);
        output.WriteLine($"{block} ({string.Join(' ', rule)}): largest relative SE difference {worst:g3}");
    }

    [Fact]
    public void Estimate_Text_ShowsTheCountRemoved()
    {
        var (code, stdout, stderr) = CliRunner.Run("estimate", Model, "--data", CliRunner.Data("Produc_singletons.csv"), "--unit", "state", "--time", "year");
        Assert.Equal(0, code);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("singletons removed", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 7", StringComparison.Ordinal));
        Assert.Contains("7 singleton observations dropped", stderr, StringComparison.Ordinal);
        var (code2, side, _) = CliRunner.Run("estimate", Model, "--data", CliRunner.Data("Produc_singletons.csv"), "--unit", "state", "--time", "year", "--vcov", "iid,hc1");
        Assert.Equal(0, code2);
        Assert.Contains("N = 763 (7 singletons removed)", side, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--singletons", "maybe" }, "--singletons 'maybe': expected drop")]
    [InlineData(new[] { "--singletons", "keep", "--drop-singletons" }, "--drop-singletons contradicts --singletons keep")]
    public void Estimate_RefusesAnUnknownOrContradictoryRule(string[] rule, string message)
    {
        var (code, _, stderr) = CliRunner.Run(["estimate", Model, "--data", CliRunner.Data("Produc_singletons.csv"), "--unit", "state", "--time", "year", .. rule]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WithoutUnitAndTime_EqualsFixestOnTrade()
    {
        var r = Ref("trade_fixest.json");
        string[] Args(string vcov) => ["estimate", Trade, "--data", CliRunner.Data("trade.csv"), "--vcov", vcov, "--json"];
        var cl = Json(Args("cluster:Origin"));
        Assert.Equal(38325, cl.GetProperty("n").GetInt32());
        Assert.Equal(0, cl.GetProperty("diagnostics").GetProperty("singletons_removed").GetInt32());
        Assert.Equal(15, cl.GetProperty("clusters").GetProperty("Origin").GetInt32());
        double b = r.GetProperty("coefficient").GetProperty("log(dist_km)").GetDouble();
        double seCl = r.GetProperty("se").GetProperty("cluster_Origin_fixest_default").GetDouble();
        double relB = Rel(b, Estimate(cl, "log(dist_km)")), relCl = Rel(seCl, Se(cl, "log(dist_km)"));
        // Our Stata rule: K = 1 slope + 43 (Destination 15, Product 19, Year 9; Origin nested in the cluster, not counted) = fixest's 44.
        Assert.True(relB <= 1e-8, $"coefficient: {relB:g3}");
        Assert.True(relCl <= 1e-8, $"cluster SE: {relCl:g3}");
        // t(G − 1) = t(14), as fixest.
        Assert.Equal(14, cl.GetProperty("diagnostics").GetProperty("df_tests").GetDouble());
        var iid = Json(Args("iid"));
        double seIid = r.GetProperty("se").GetProperty("iid").GetDouble(), relIid = Rel(seIid, Se(iid, "log(dist_km)"));
        Assert.True(relIid <= 1e-8, $"iid SE: {relIid:g3}");
        // fixest's "hetero" is HC0 · (n − 1)/(n − K) · n/(n − 1) (its adj times its cluster adjustment, each row its own
        // cluster) = HC0 · n/(n − K), which is our HC1 (Stata's robust), K = 58 = 1 slope + 57 absorbed df.
        var hc1 = Json(Args("hc1"));
        double seHet = r.GetProperty("se").GetProperty("hetero").GetDouble(), relHet = Rel(seHet, Se(hc1, "log(dist_km)"));
        Assert.True(relHet <= 1e-8, $"hetero SE: {relHet:g3}");
        output.WriteLine($"trade: coefficient {relB:g3}, cluster SE {relCl:g3}, iid SE {relIid:g3}, hetero {relHet:g3}");
    }

    [Theory]
    [InlineData("log(Euros) ~ lag(log(dist_km)) | Origin", new string[0], "'lag(log(dist_km))' in the formula needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km)", new[] { "--estimator", "re" }, "the random-effects estimator (re) needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km) | Origin", new[] { "--vcov", "dk" }, "(a panel variance estimator) needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km) | Origin", new[] { "--vcov", "hc1,dk" }, "(a panel variance estimator) needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km)", new[] { "--hausman" }, "the Hausman test needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km)", new[] { "--lag", "dist_km" }, "--lag needs the panel's unit and time")]
    [InlineData("log(Euros) ~ log(dist_km)", new[] { "--unit", "Origin" }, "--unit needs --time")]
    [InlineData("log(Euros) ~ log(dist_km)", new[] { "--time", "Year" }, "--time needs --unit")]
    public void Estimate_WithoutAPanel_RefusesWhatNeedsOne_InOneLine(string formula, string[] more, string message)
    {
        var (code, _, stderr) = CliRunner.Run(["estimate", formula, "--data", CliRunner.Data("trade.csv"), .. more]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("note:", StringComparison.Ordinal));
    }
}
