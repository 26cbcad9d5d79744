using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de moran` against spdep's moran.test per year (produc_spatial.json).</summary>
public class MoranCommandTests
{
    private static void Close(double expected, double actual, double rel) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Every_year_in_one_call_with_permutations()
    {
        var (code, output, err) = CliRunner.Run("moran", "log(gsp)", "--w", CliRunner.Data("usaww.csv"), "--data", CliRunner.Data("Produc.csv"),
            "--unit", "state", "--time", "year", "--permutations", "199", "--local", "1970", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var periods = doc.RootElement.GetProperty("periods");
        Assert.Equal(17, periods.GetArrayLength());
        var y1970 = periods[0];
        Assert.Equal(1970, y1970.GetProperty("period").GetInt64());
        // README section o: 1970 I = 0.2243479052, Var_rand = 0.009595393719, z = 2.507496212, p = 0.006079494248; Var_norm 0.009461873998.
        Close(0.2243479051648706, y1970.GetProperty("i").GetDouble(), 1e-10);
        Close(0.00959539371871088, y1970.GetProperty("randomisation").GetProperty("variance").GetDouble(), 1e-10);
        Close(2.507496211617723, y1970.GetProperty("randomisation").GetProperty("z").GetDouble(), 1e-10);
        Close(0.006079494247961198, y1970.GetProperty("randomisation").GetProperty("p_greater").GetDouble(), 1e-10);
        Close(0.009461873997588873, y1970.GetProperty("normality").GetProperty("variance").GetDouble(), 1e-10);
        Assert.InRange(y1970.GetProperty("permutation_p").GetDouble(), 0.005, 0.05);
        // Σ I_i = (n/Σz²) z'Wz, so with a row-standardised W (S0 = n) the mean of the local I_i is the global I.
        var local = doc.RootElement.GetProperty("local").GetProperty("units");
        Assert.Equal(48, local.GetArrayLength());
        Close(0.2243479051648706, local.EnumerateArray().Sum(u => u.GetProperty("i").GetDouble()) / 48, 1e-12);
    }

    [Fact]
    public void Residuals_of_a_two_way_model()
    {
        var (code, output, err) = CliRunner.Run("moran", "--residuals-of", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--effects", "twoways",
            "--w", CliRunner.Data("usaww.csv"), "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        // moran_fe_residuals.twoways.per_year.1970.randomisation
        var y1970 = doc.RootElement.GetProperty("periods")[0];
        Close(0.1272550337941698, y1970.GetProperty("i").GetDouble(), 1e-10);
        Close(0.00868779923449265, y1970.GetProperty("randomisation").GetProperty("variance").GetDouble(), 1e-10);
        var (c2, _, e2) = CliRunner.Run("moran", "--w", CliRunner.Data("usaww.csv"), "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year");
        Assert.Equal(2, c2);
        Assert.Contains("give either a VARIABLE or --residuals-of", e2);
    }

    [Fact]
    public void A_coordinates_file_with_a_rule_gives_the_shipped_distance_matrix()
    {
        string weights = Path.Combine(RepoRoot.Path, "examples", "weights");
        double I(params string[] w)
        {
            var (code, output, err) = CliRunner.Run(["moran", "lngdp", .. w, "--data", Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv"), "--unit", "province", "--time", "year", "--json"]);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("periods")[0].GetProperty("i").GetDouble();
        }
        double fromTable = I("--w", Path.Combine(weights, "provinces_distance.csv"));
        Close(fromTable, I("--w", Path.Combine(weights, "province_capitals.csv"), "--w-rule", "inverse"), 1e-10);
        var (c, _, e) = CliRunner.Run("moran", "lngdp", "--w", Path.Combine(weights, "province_capitals.csv"), "--data", Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv"), "--unit", "province", "--time", "year");
        Assert.Equal(2, c);
        Assert.Contains("needs a rule: inverse[:POWER[:CUTOFF_KM]] or knn:K", e);
    }
}
