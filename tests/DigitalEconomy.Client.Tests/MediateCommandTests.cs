using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

public class MediateCommandTests
{
    [Fact]
    public void Json_MatchesTheReferenceMediation_WithABootstrap()
    {
        var (code, output, err) = CliRunner.Run("mediate", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year",
            "--y", "log(gsp)", "--x", "log(pcap)", "--m", "log(emp)", "--controls", "log(pc),unemp", "--fe", "state + year",
            "--vcov", "cluster:state", "--bootstrap", "199", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        // produc_mediation.json, CR1 with Stata's K (k + T).
        Assert.Equal(0.36443489991726247, r.GetProperty("a").GetProperty("estimate").GetDouble(), 9);
        Assert.Equal(0.11777798097158751, r.GetProperty("a").GetProperty("std_error").GetDouble(), 9);
        Assert.Equal(0.08506789670524631, r.GetProperty("b").GetProperty("std_error").GetDouble(), 9);
        Assert.Equal(2.9276267870441557, r.GetProperty("sobel_z").GetDouble(), 8);
        Assert.Equal(0.28036202661910425, r.GetProperty("indirect").GetDouble(), 9);
        var b = r.GetProperty("bootstrap");
        Assert.Equal(199, b.GetProperty("replicates").GetInt32());
        Assert.InRange(b.GetProperty("std_error").GetDouble(), 0.06, 0.13);
    }
}
