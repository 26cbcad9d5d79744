using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de spatial` on Produc with splm's usaww against produc_spatial.json (splm's `lambda` is our `rho`).</summary>
public class SpatialCommandTests
{
    private static (int, string, string) Spatial(params string[] extra) =>
        CliRunner.Run(["spatial", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", .. extra]);

    private static void Close(double expected, double actual, double rel) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Sdm_twoways_json_matches_splm_with_every_number()
    {
        var (code, output, err) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sdm", "--effects", "twoways", "--draws", "200", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        var coefs = r.GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        // SDM tw (README section o): λ_splm 0.3688461991 (SE 0.04041200726), log(emp) 0.7506281496, σ² 0.0009192227481, logLik 1680.473532.
        Close(0.3688461991312475, coefs["rho"].GetProperty("estimate").GetDouble(), 1e-6);
        Close(0.04041200726, coefs["rho"].GetProperty("std_error").GetDouble(), 1e-6);
        Close(0.7506281496112915, coefs["log(emp)"].GetProperty("estimate").GetDouble(), 1e-6);
        Close(-0.2794001671837928, coefs["W*log(emp)"].GetProperty("estimate").GetDouble(), 1e-6);
        Close(0.0009192227481, r.GetProperty("sigma2").GetDouble(), 1e-6);
        Close(1680.473532, r.GetProperty("log_likelihood").GetDouble(), 1e-9);
        Assert.Equal(9, r.GetProperty("vcov").GetArrayLength());
        var emp = r.GetProperty("impacts").GetProperty("terms").EnumerateArray().Single(t => t.GetProperty("term").GetString() == "log(emp)");
        // exact impacts at the exact maximiser (refs/produc_spatial.json, impacts.SDM_twoways.exact_at_exact_maximiser)
        Close(0.7503669629701595, emp.GetProperty("direct").GetDouble(), 1e-7);
        Close(0.7466135540638056, emp.GetProperty("total").GetDouble(), 1e-7);
        Assert.True(emp.GetProperty("direct_std_error").GetDouble() > 0);
        Assert.Equal(200, r.GetProperty("impacts").GetProperty("draws").GetInt32());
        Close(-0.7181913534275186, r.GetProperty("weights").GetProperty("eigenvalue_min").GetDouble(), 1e-12);
    }

    [Fact]
    public void Logdet_sparse_gives_the_splm_fit_and_says_so()
    {
        // --logdet sparse on 48 states (auto would take eigen): the same SDM two-way numbers as splm (README section o).
        var (code, output, err) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sdm", "--effects", "twoways", "--logdet", "sparse", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("sparse", r.GetProperty("weights").GetProperty("logdet").GetString());
        var rho = r.GetProperty("coefficients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "rho");
        Close(0.3688461991312475, rho.GetProperty("estimate").GetDouble(), 1e-6);
        Close(0.04041200726, rho.GetProperty("std_error").GetDouble(), 1e-6);
        Close(1680.473532, r.GetProperty("log_likelihood").GetDouble(), 1e-9);
        // ω_min by Lanczos: splm's eigenvalue.
        Close(-0.7181913534275186, r.GetProperty("weights").GetProperty("eigenvalue_min").GetDouble(), 1e-12);
        // The text output names the method: 48 units take the eigenvalues unless sparse is asked for.
        var (_, text, _) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sdm", "--logdet", "sparse");
        Assert.Contains("admissible interval (-1.3924, 1.0000), log-determinants by sparse Cholesky", text);
        var (_, eigenText, _) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sdm");
        Assert.Contains("admissible interval (-1.3924, 1.0000), log-determinants by eigenvalues", eigenText);
        var (bad, _, berr) = Spatial("--w", CliRunner.Data("usaww.csv"), "--logdet", "cholesky");
        Assert.NotEqual(0, bad);
        Assert.Contains("--logdet 'cholesky': expected auto | eigen | sparse", berr);
        Assert.Single(berr.Trim().Split('\n'));
    }

    [Fact]
    public void Edge_list_and_binary_table_give_the_same_fit_as_usaww()
    {
        // usaww_binary.csv row-standardised is usaww; the same contiguity as an edge list, in another order.
        var lines = File.ReadAllLines(CliRunner.Data("usaww_binary.csv"));
        var names = lines[0].Split(',')[1..];
        var edges = new List<string> { "from,to" };
        foreach (var line in lines.Skip(1).Reverse())
        {
            var f = line.Split(',');
            for (int j = 0; j < names.Length; j++) if (f[j + 1] != "0") edges.Add($"{f[0]},{names[j]}");
        }
        string edgeFile = Path.Combine(Path.GetTempPath(), $"usaww_edges_{Environment.ProcessId}.csv");
        File.WriteAllLines(edgeFile, edges);
        try
        {
            var estimates = new[] { CliRunner.Data("usaww.csv"), CliRunner.Data("usaww_binary.csv"), edgeFile }.Select(wf =>
            {
                var (code, output, err) = Spatial("--w", wf, "--model", "sar", "--json");
                Assert.True(code == 0, err);
                using var doc = JsonDocument.Parse(output);
                return doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble();
            }).ToList();
            Close(0.2746887117474741, estimates[0], 1e-6);
            Close(estimates[0], estimates[1], 1e-12);
            Close(estimates[0], estimates[2], 1e-12);
        }
        finally { File.Delete(edgeFile); }
    }

    [Fact]
    public void Mismatched_names_and_bad_options_are_refused_in_one_line()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"usaww_bad_{Environment.ProcessId}.csv");
        File.WriteAllText(bad, File.ReadAllText(CliRunner.Data("usaww.csv")).Replace("TEXAS", "TEJAS"));
        try
        {
            var (code, output, err) = Spatial("--w", bad, "--model", "sar");
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("panel units not in W: TEXAS", err);
            Assert.Contains("W units not in the panel: TEJAS", err);
        }
        finally { File.Delete(bad); }
        var (c2, _, e2) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "slx");
        Assert.Equal(2, c2);
        Assert.Contains("--model 'slx': expected sar | sem | sac | sdm", e2);
    }

    [Fact]
    public void Lee_yu_with_two_way_effects_is_wired_and_refuses_a_W_that_is_not_row_standardised()
    {
        double Rho(string output)
        {
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble();
        }
        var (code, output, err) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sar", "--effects", "twoways", "--lee-yu", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output)) Assert.True(doc.RootElement.GetProperty("lee_yu").GetBoolean());
        var (c0, plain, e0) = Spatial("--w", CliRunner.Data("usaww.csv"), "--model", "sar", "--effects", "twoways", "--json");
        Assert.True(c0 == 0, e0);
        // The transformation approach moves ρ on Produc (uncorrected SAR tw: splm's 0.19666, refs/produc_spatial.json; Lee–Yu: 0.2100).
        Close(0.19666416790657926, Rho(plain), 1e-6);
        Assert.True(Math.Abs(Rho(output) - Rho(plain)) > 1e-4, $"{Rho(output)} vs {Rho(plain)}");
        var (c2, o2, e2) = Spatial("--w", CliRunner.Data("usaww_binary.csv"), "--no-row-standardise", "--model", "sar", "--effects", "twoways", "--lee-yu");
        Assert.Equal(2, c2);
        Assert.Equal("", o2);
        Assert.Single(e2.Trim().Split('\n'));
        Assert.Contains("needs a row-standardised W", e2);
    }
}
