using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de estimate --wild` end to end: the `wild` object, the text block and one error line per bad input.</summary>
public class WildCommandTests
{
    private const string Produc = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state";

    private static string[] Args(params string[] extra) =>
        ["estimate", Produc, "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", .. extra];

    [Fact]
    public void Json_WildObject_EqualsTheCoreResult_UnderFullEnumeration()
    {
        var (code, output, _) = CliRunner.Run(Args("--vcov", "cluster:region", "--wild", "unemp=0", "--json"));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var w = doc.RootElement.GetProperty("wild");
        Assert.Equal(["term", "null", "type", "weights", "p_value_type", "estimate", "statistic", "p_value", "conf_low", "conf_high", "level", "draws", "full_enumeration", "clusters", "seed", "small_sample_factor"],
            w.EnumerateObject().Select(p => p.Name));
        Assert.True(w.GetProperty("full_enumeration").GetBoolean());
        Assert.Equal(512, w.GetProperty("draws").GetInt32());
        Assert.Equal(JsonValueKind.Null, w.GetProperty("seed").ValueKind);
        var panel = Panel.Create(CsvReader.ReadFile(CliRunner.Data("Produc.csv")), "state", "year");
        var core = WildBootstrap.Run(panel, Formula.Parse(Produc), new EstimationOptions { Vcov = VcovSpec.Cluster("region") }, "unemp", new WildOptions());
        Assert.Equal(core.PValue, w.GetProperty("p_value").GetDouble());
        Assert.Equal(core.ConfLow, w.GetProperty("conf_low").GetDouble());
        Assert.Equal(core.ConfHigh, w.GetProperty("conf_high").GetDouble());
        // The bootstrapped t is the analytic CR1 t of the coefficient table.
        var unemp = doc.RootElement.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("term").GetString() == "unemp");
        Assert.Equal(unemp.GetProperty("statistic").GetDouble(), w.GetProperty("statistic").GetDouble(), 1e-10);
    }

    [Fact]
    public void Table_SaysHowTheDrawsWereMade()
    {
        var (code, output, _) = CliRunner.Run(Args("--vcov", "cluster:region", "--wild", "log(pcap)=0"));
        Assert.Equal(0, code);
        Assert.Contains("Wild cluster bootstrap (WCR, null imposed, rademacher weights), H0: log(pcap) = 0", output, StringComparison.Ordinal);
        Assert.Contains("full enumeration of 2^9 = 512 sign vectors (exact; no random numbers)", output, StringComparison.Ordinal);
        (code, output, _) = CliRunner.Run(Args("--vcov", "cluster:state", "--wild", "unemp=0", "--reps", "199", "--wild-weights", "webb", "--wild-type", "wcu", "--seed", "5"));
        Assert.Equal(0, code);
        Assert.Contains("Wild cluster bootstrap (WCU, webb weights)", output, StringComparison.Ordinal);
        Assert.Contains("draws: B = 199 (seed 5), 48 clusters", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--wild|hwy=0|--vcov|cluster:region", "error: --wild 'hwy=0': 'hwy' is not a coefficient of the model; coefficients: log(pcap), log(pc), log(emp), unemp")]
    [InlineData("--wild|unemp", "error: --wild 'unemp': expected TERM=VALUE, e.g. \"unemp=0\" or \"log(pcap)=0.5\"")]
    [InlineData("--wild|unemp=zero|--vcov|cluster:region", "error: --wild 'unemp=zero': expected TERM=VALUE with a number after '=', e.g. \"unemp=0\"")]
    [InlineData("--wild|unemp=0", "error: --wild needs one-way clustered errors: add --vcov cluster:COL")]
    [InlineData("--wild|unemp=0|--vcov|cluster:region,year", "error: --wild needs one-way clustered errors: add --vcov cluster:COL")]
    [InlineData("--wild|unemp=0|--vcov|cluster:region|--reps|0", "error: --reps 0: expected at least 1 bootstrap draw")]
    [InlineData("--wild|unemp=0|--vcov|cluster:region|--wild-weights|normal", "error: --wild-weights 'normal': expected rademacher, webb or mammen")]
    public void BadInput_OneErrorLine(string extra, string message)
    {
        var (code, output, err) = CliRunner.Run(Args(extra.Split('|')));
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Equal(message, err.Trim());
    }
}
