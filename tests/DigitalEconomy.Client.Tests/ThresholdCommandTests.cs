using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

public class ThresholdCommandTests
{
    /// <summary>
    /// `de threshold --json` on Produc with the settings of ../shared/validation case m (refs/produc_threshold.json,
    /// hansen_drop_last_period): thresholds and intervals exactly, F and slopes to 1e-8; a small bootstrap gives a p-value
    /// and ordered critical values.
    /// </summary>
    [Fact]
    public void Json_ReproducesTheReferenceThresholds_WithBootstrapTests()
    {
        var (code, output, err) = CliRunner.Run("threshold", "log(gsp) ~ log(pc) + log(emp)", "--threshold-var", "unemp", "--regime", "log(pcap)",
            "--thresholds", "2", "--trim", "0.05", "--transform", "hansen_drop_last_period", "--vcov", "iid,hc1", "--reps", "20",
            "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(768, r.GetProperty("rows_used").GetInt32());
        Assert.Equal(361, r.GetProperty("grid").GetArrayLength());
        Assert.Equal(0.9517515071218301, r.GetProperty("ssr_linear").GetDouble(), 1e-9);
        var s1 = r.GetProperty("steps")[0];
        Assert.Equal(7.1, s1.GetProperty("estimate").GetProperty("threshold").GetDouble());
        Assert.Equal(6.6, s1.GetProperty("estimate").GetProperty("ci_low").GetDouble());
        Assert.Equal(9.9, s1.GetProperty("estimate").GetProperty("ci_high").GetDouble());
        Assert.Equal(16.441777690599416, s1.GetProperty("f").GetDouble(), 1e-7);
        var s2 = r.GetProperty("steps")[1];
        Assert.Equal(12.0, s2.GetProperty("estimate").GetProperty("threshold").GetDouble());
        Assert.Equal(6.7344200569599986, s2.GetProperty("f").GetDouble(), 1e-7);
        Assert.Equal(7.1, s2.GetProperty("refined")[0].GetProperty("threshold").GetDouble());
        Assert.Equal(6.3, s2.GetProperty("refined")[0].GetProperty("ci_low").GetDouble());
        Assert.Equal(7.8, s2.GetProperty("refined")[0].GetProperty("ci_high").GetDouble());
        Assert.Equal([7.1, 12.0], s2.GetProperty("thresholds").EnumerateArray().Select(v => v.GetDouble()));
        var fits = s2.GetProperty("fits");
        Assert.Equal(2, fits.GetArrayLength());
        var coef = fits[0].GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("term").GetString()!, c => c);
        Assert.Equal(0.24259365401545496, coef["log(pc)"].GetProperty("estimate").GetDouble(), 1e-9);
        Assert.Equal(-0.013360364264331182, coef["log(pcap)_regime3"].GetProperty("estimate").GetDouble(), 1e-9);
        Assert.Equal(0.027189017087530937, coef["log(pcap)_regime3"].GetProperty("std_error").GetDouble(), 1e-9);
        foreach (var s in new[] { s1, s2 })
        {
            var b = s.GetProperty("bootstrap");
            Assert.Equal(20, b.GetProperty("reps").GetInt32());
            Assert.InRange(b.GetProperty("p_value").GetDouble(), 0, 1);
            Assert.True(b.GetProperty("crit_10").GetDouble() <= b.GetProperty("crit_5").GetDouble());
            Assert.True(b.GetProperty("crit_5").GetDouble() <= b.GetProperty("crit_1").GetDouble());
        }
        Assert.Equal(361, s1.GetProperty("estimate").GetProperty("curve").GetProperty("lr").GetArrayLength());
    }

    [Fact]
    public void ABadOptionIsOneLine()
    {
        var (code, _, err) = CliRunner.Run("threshold", "log(gsp) ~ log(pc)", "--threshold-var", "unemp", "--regime", "log(pcap)", "--transform", "first_diff",
            "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year");
        Assert.NotEqual(0, code);
        Assert.Equal("error: --transform: expected full_within or hansen_drop_last_period, got 'first_diff'", err.Trim());
    }
}
