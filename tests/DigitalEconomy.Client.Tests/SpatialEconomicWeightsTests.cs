using System.Globalization;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `--w economic:VAR` and `--w nested:FILE,VAR[,PHI]` on Produc: the same numbers as the unit × unit tables this test writes
/// itself from the definition (w_ij = 1/|Ȳi − Ȳj| of the states' mean gsp over 1970–1986; nested = usaww's 0/1 contiguity × that).
/// </summary>
public class SpatialEconomicWeightsTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the economic (and nested) tables from Produc.csv and usaww_binary.csv; returns their paths.</summary>
    private static (string Economic, string Nested) Tables()
    {
        var rows = File.ReadAllLines(CliRunner.Data("Produc.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var means = rows.GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Average(f => double.Parse(f[8], Inv)));
        var binary = File.ReadAllLines(CliRunner.Data("usaww_binary.csv"));
        var names = binary[0].Split(',')[1..];
        var contiguity = binary.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1..].Select(x => double.Parse(x, Inv)).ToArray());
        string Write(string what, Func<string, int, double> cell)
        {
            var lines = new List<string> { "state," + string.Join(",", names) };
            foreach (var a in names.Reverse()) // another row order than the panel's
                lines.Add(a + "," + string.Join(",", names.Select((b, j) => a == b ? "0" : cell(a, j).ToString("R", Inv))));
            string path = Path.Combine(Path.GetTempPath(), $"produc_{what}_{Environment.ProcessId}.csv");
            File.WriteAllLines(path, lines);
            return path;
        }
        double Econ(string a, int j) => 1 / Math.Abs(means[a] - means[names[j]]);
        return (Write("economic", Econ), Write("nested", (a, j) => contiguity[a][j] * Econ(a, j)));
    }

    private static JsonElement Run(params string[] args)
    {
        var (code, output, err) = CliRunner.Run(args);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public void Economic_and_nested_weights_equal_the_tables_written_from_their_definition()
    {
        var (economic, nested) = Tables();
        try
        {
            string[] panel = ["--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--json"];
            var a = Run(["moran", "log(gsp)", "--w", "economic:gsp", .. panel]).GetProperty("periods");
            var b = Run(["moran", "log(gsp)", "--w", economic, .. panel]).GetProperty("periods");
            Assert.Equal(17, a.GetArrayLength());
            for (int t = 0; t < 17; t++)
                Assert.Equal(b[t].GetProperty("i").GetDouble(), a[t].GetProperty("i").GetDouble(), 12);
            string f = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
            var n1 = Run(["spatial", f, "--w", $"nested:{CliRunner.Data("usaww_binary.csv")},gsp", "--model", "sar", .. panel]);
            var n2 = Run(["spatial", f, "--w", nested, "--model", "sar", .. panel]);
            Assert.Equal(n2.GetProperty("log_likelihood").GetDouble(), n1.GetProperty("log_likelihood").GetDouble(), 8);
            Assert.Equal(n2.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), n1.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), 10);
            Assert.Equal(n2.GetProperty("weights").GetProperty("nonzeros").GetInt32(), n1.GetProperty("weights").GetProperty("nonzeros").GetInt32());
            // φ = 1: the contiguity matrix itself (usaww).
            var phi1 = Run(["spatial", f, "--w", $"nested:{CliRunner.Data("usaww_binary.csv")},gsp,1", "--model", "sar", .. panel]);
            var usaww = Run(["spatial", f, "--w", CliRunner.Data("usaww.csv"), "--model", "sar", .. panel]);
            Assert.Equal(usaww.GetProperty("log_likelihood").GetDouble(), phi1.GetProperty("log_likelihood").GetDouble(), 8);
        }
        finally
        {
            File.Delete(economic);
            File.Delete(nested);
        }
    }

    [Fact]
    public void A_bad_economic_or_nested_value_is_refused_in_one_line()
    {
        string[] panel = ["--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year"];
        var (code, _, err) = CliRunner.Run(["moran", "gsp", "--w", "economic:gdp_pc", .. panel]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --w economic:gdp_pc: no column 'gdp_pc' in the data", err.Trim());
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = CliRunner.Run(["moran", "gsp", "--w", "nested:x.csv", .. panel]);
        Assert.Equal(2, code);
        Assert.Contains("--w nested:x.csv: expected nested:FILE,VAR", err);
        (code, _, err) = CliRunner.Run(["moran", "gsp", "--w", $"nested:{CliRunner.Data("usaww_binary.csv")},gsp,2", .. panel]);
        Assert.Equal(2, code);
        Assert.Contains("φ '2' is not a number from 0 to 1", err);
    }
}
