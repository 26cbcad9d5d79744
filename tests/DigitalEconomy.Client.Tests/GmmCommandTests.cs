using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de gmm` on EmplUK against plm's pgmm (refs/emplUK_gmm.json of the shared validation folder).</summary>
public class GmmCommandTests
{
    private static readonly string[] Panel = ["--data", CliRunner.Data("EmplUK.csv"), "--unit", "firm", "--time", "year"];

    private static JsonElement Ref(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CliRunner.Data("emplUK_gmm.json")));
        return doc.RootElement.GetProperty(name).Clone();
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void ArellanoBondTwoStep_Json_MatchesPgmm()
    {
        var (code, output, err) = CliRunner.Run(["gmm", "log(emp) ~ lag(log(emp), 1) + lag(log(emp), 2) + log(wage) + lag(log(wage)) + log(capital) + log(output) + lag(log(output))",
            .. Panel, "--gmm", "log(emp):2:.", "--twostep", "--json"]);
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        var reference = Ref("ab_twosteps");
        Assert.Equal(38, r.GetProperty("instruments").GetInt32());
        Assert.Equal(140, r.GetProperty("units").GetInt32());
        Assert.Equal(611, r.GetProperty("transformed_observations").GetInt32()); // plm's "Number of Observations Used"
        var coefs = r.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(13, coefs.Length);
        Close(reference.GetProperty("coefficients").GetProperty("lag(log(emp), 1:2)1").GetDouble(), coefs[0].GetProperty("estimate").GetDouble(), "L1 estimate");
        Close(reference.GetProperty("se_robust").GetProperty("lag(log(emp), 1:2)1").GetDouble(), coefs[0].GetProperty("robust_std_error").GetDouble(), "L1 Windmeijer se");
        Close(reference.GetProperty("se_nonrobust").GetProperty("lag(log(output), 0:1)1").GetDouble(), coefs[6].GetProperty("std_error").GetDouble(), "output L1 se");
        Close(reference.GetProperty("coefficients").GetProperty("1984").GetDouble(), coefs[12].GetProperty("estimate").GetDouble(), "1984");
        Close(reference.GetProperty("sargan_hansen").GetProperty("statistic").GetDouble(), r.GetProperty("hansen").GetProperty("statistic").GetDouble(), "Hansen");
        Assert.Equal(25, r.GetProperty("hansen").GetProperty("df").GetInt32());
        Close(reference.GetProperty("ar1_robust").GetProperty("z").GetDouble(), r.GetProperty("ar1").GetProperty("statistic").GetDouble(), "AR(1)");
        Close(reference.GetProperty("ar2_robust").GetProperty("p").GetDouble(), r.GetProperty("ar2").GetProperty("p_value").GetDouble(), "AR(2) p");
        Close(reference.GetProperty("wald_time_robust").GetProperty("chisq").GetDouble(), r.GetProperty("wald_time").GetProperty("statistic").GetDouble(), "Wald time");
        Assert.Equal(13, r.GetProperty("robust_vcov").GetArrayLength());
    }

    [Fact]
    public void SystemOneStep_Table_PrintsTheDiagnostics()
    {
        var (code, output, err) = CliRunner.Run(["gmm", "log(emp) ~ lag(log(emp)) + log(wage) + lag(log(wage)) + log(capital) + lag(log(capital))",
            .. Panel, "--gmm", "log(emp):2:.", "--gmm", "log(wage):2:.", "--gmm", "log(capital):2:.", "--system"]);
        Assert.True(code == 0, err);
        Assert.Contains("System (Blundell–Bond) GMM, one-step", output, StringComparison.Ordinal);
        Assert.Contains("instruments 113", output, StringComparison.Ordinal);
        Assert.Contains("Hansen J(100) = 118.7630", output, StringComparison.Ordinal); // plm sargan(): 118.76300886674576
        Assert.Contains("AR(1): z = -4.8084", output, StringComparison.Ordinal);    // plm mtest(vcovHC): -4.8084339821936712
    }

    [Fact]
    public void Filter_CutsThePanelFirst()
    {
        // firm <= 70 keeps firms 1…70 only: the panel the model sees has 70 units.
        var (code, output, err) = CliRunner.Run(["gmm", "log(emp) ~ lag(log(emp)) + log(wage)", .. Panel, "--gmm", "log(emp):2:.", "--filter", "firm <= 70", "--json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(70, doc.RootElement.GetProperty("units").GetInt32());
        Assert.Equal(70, doc.RootElement.GetProperty("panel_units").GetInt32());
    }

    [Fact]
    public void Refusals_AreOneLine()
    {
        var (code, _, err) = CliRunner.Run(["gmm", "log(emp) ~ lag(log(emp)) | firm", .. Panel, "--gmm", "log(emp):2:."]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: formula 'log(emp) ~ lag(log(emp)) | firm': de gmm takes 'y ~ regressors' only", err, StringComparison.Ordinal);
        (code, _, err) = CliRunner.Run(["gmm", "log(emp) ~ lag(log(emp))", .. Panel, "--gmm", "log(emp):0:."]);
        Assert.Equal(2, code);
        Assert.Equal("error: --gmm 'log(emp):0:.': the first lag '0' is not an integer ≥ 1", err.Trim());
        (code, _, err) = CliRunner.Run(["estimate", "log(emp) ~ lag(log(emp)) | firm", .. Panel, "--estimator", "iv-gmm2s"]);
        Assert.Equal(2, code);
        Assert.Contains("use 'de gmm'", err, StringComparison.Ordinal);
    }
}
