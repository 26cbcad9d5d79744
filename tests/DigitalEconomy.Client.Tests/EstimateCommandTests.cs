using System.Text.Json;
using DigitalEconomy.Client;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de estimate` end to end through the command line entry point.</summary>
public class EstimateCommandTests
{
    private static string Data(string name) => CliRunner.Data(name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Json_HasTheDocumentedShape_AndPlmNumbers()
    {
        var (code, output, _) = Run("estimate", "inv ~ value + capital | firm", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year", "--vcov", "cluster:firm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(["formula", "estimator", "n", "df_resid", "clusters", "vcov", "coefficients", "r2", "r2_within", "adj_r2", "first_stage", "diagnostics", "warnings"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("within", root.GetProperty("estimator").GetString());
        Assert.Equal(200, root.GetProperty("n").GetInt32());
        Assert.Equal(188, root.GetProperty("df_resid").GetInt32());
        Assert.Equal(10, root.GetProperty("clusters").GetProperty("firm").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("first_stage").ValueKind);
        var value = root.GetProperty("coefficients")[0];
        Assert.Equal(["term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"], value.EnumerateObject().Select(p => p.Name));
        Assert.Equal("value", value.GetProperty("term").GetString());
        // plm/Stata xtreg cluster CR1 (K = k + 1), grunfeld.json: 0.01519449394.
        Assert.Equal(0.01519449394, value.GetProperty("std_error").GetDouble(), 1e-10);
        Assert.Equal(0.1101238041, value.GetProperty("estimate").GetDouble(), 1e-10);
        Assert.Equal(0.7667575837, root.GetProperty("r2_within").GetDouble(), 1e-10);
    }

    [Fact]
    public void Json_Iv_HasFirstStageAndDiagnostics()
    {
        var (code, output, _) = Run("estimate", "log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))", "--data", Data("Produc.csv"),
            "--unit", "state", "--time", "year", "--vcov", "cluster:state", "--ssc", "plm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("iv-2sls", root.GetProperty("estimator").GetString());
        Assert.Equal("log(emp)", root.GetProperty("coefficients")[0].GetProperty("term").GetString());
        Assert.Equal(0.07260581707, root.GetProperty("coefficients")[0].GetProperty("std_error").GetDouble(), 1e-10);
        var fs = root.GetProperty("first_stage").GetProperty("log(emp)");
        Assert.Equal(0.9076524016, fs.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), 1e-9);
        var d = root.GetProperty("diagnostics");
        Assert.Equal(1956.345574, d.GetProperty("cragg_donald_f").GetDouble(), 1e-5);
        Assert.Equal(1693.853419, d.GetProperty("kleibergen_paap_rk_wald_f").GetDouble(), 1e-5);
        Assert.Equal(16.38, d.GetProperty("stock_yogo_2sls_size").GetProperty("10%").GetDouble());
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("48 of 816 rows dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Table_ShowsStarsParenthesesFeRowsAndR2()
    {
        var (code, output, _) = Run("estimate", "inv ~ value + capital | firm + year", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year");
        Assert.Equal(0, code);
        Assert.Contains("value", output, StringComparison.Ordinal);
        Assert.Contains("0.1177***", output, StringComparison.Ordinal);
        Assert.Contains("(0.0138)", output, StringComparison.Ordinal);
        Assert.Contains("firm FE", output, StringComparison.Ordinal);
        Assert.Contains("year FE", output, StringComparison.Ordinal);
        Assert.Contains("R² within", output, StringComparison.Ordinal);
        Assert.Contains("0.7201", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Hausman_MatchesPhtest()
    {
        var (code, output, _) = Run("estimate", "inv ~ value + capital | firm", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year", "--hausman", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var h = doc.RootElement.GetProperty("diagnostics").GetProperty("hausman");
        Assert.Equal(2.330366894, h.GetProperty("statistic").GetDouble(), 1e-8);
        Assert.Equal(2, h.GetProperty("df").GetInt32());
    }

    public static TheoryData<string[], string> BadInputs()
    {
        string g = Data("Grunfeld.csv");
        string tmp = Path.Combine(Path.GetTempPath(), $"de-bad-{Environment.ProcessId}.csv");
        File.WriteAllText(tmp, "id,t,y,x,c,one\n1,1,1,2,5,1\n1,2,2,abc,5,1\n2,1,3,4,5,1\n2,2,5,1,5,1\n3,1,2,2,5,1\n3,2,0,3,5,1\n");
        string tmp2 = Path.Combine(Path.GetTempPath(), $"de-bad2-{Environment.ProcessId}.csv");
        File.WriteAllText(tmp2, "id,t,y,x,c,one\n1,1,1,2,5,1\n1,2,2,3,5,1\n2,1,3,4,5,1\n2,2,5,1,5,1\n3,1,2,2,5,1\n3,2,0,3,5,1\n");
        return new TheoryData<string[], string>
        {
            { ["estimate", "y ~ x", "--data", "missing.csv", "--unit", "a", "--time", "b"], "error: data file 'missing.csv' does not exist" },
            { ["estimate", "inv ~ valu", "--data", g, "--unit", "firm", "--time", "year"], "error: Grunfeld.csv: unknown column 'valu'; available columns: firm, year, inv, value, capital" },
            { ["estimate", "y ~ x", "--data", tmp, "--unit", "id", "--time", "t"], "line 3, column 4 ('x'): expected a number, found 'abc'" },
            { ["estimate", "inv ~ (value", "--data", g, "--unit", "firm", "--time", "year"], "error: formula syntax error at position 13 of 'inv ~ (value': expected ')', found the end of the formula" },
            { ["estimate", "y ~ x + c", "--data", tmp2, "--unit", "id", "--time", "t"], "error: regressor 'c' is constant" },
            { ["estimate", "y ~ x", "--data", tmp2, "--unit", "id", "--time", "t", "--vcov", "cluster:one"], "error: cluster-robust errors need at least two clusters; 'one' has 1 in the estimation sample" },
            { ["estimate", "y ~ x", "--data", tmp2, "--unit", "id", "--time", "t", "--filter", "id == 9"], "error: empty sample: no row passes the filter 'id == 9'" },
            { ["estimate", "log(y) ~ x", "--data", tmp2, "--unit", "id", "--time", "t"], "error: log(y): non-positive value 0 at id '3', t 2" },
            { ["estimate", "y ~ x", "--data", tmp2, "--unit", "id", "--time", "t", "--vcov", "robust:x"], "error: --vcov 'robust:x': expected iid, hc1, cluster:COL[,COL]" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_OneLineAndExitCode2(string[] args, string expected)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void NanCell_IsRejectedWithLocation()
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"de-nan-{Environment.ProcessId}.csv");
        File.WriteAllText(tmp, "id,t,y,x\n1,1,1,2\n1,2,2,-Inf\n");
        var (code, _, err) = Run("estimate", "y ~ x", "--data", tmp, "--unit", "id", "--time", "t");
        Assert.Equal(2, code);
        Assert.Contains("line 3, column 4 ('x'): non-finite value '-Inf'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_RandomEffects_SummaryValuesStartInOneColumn()
    {
        var (code, output, err) = Run("estimate", "log(gsp) ~ log(pcap) + unemp", "--estimator", "re", "--data", Data("Produc.csv"), "--unit", "state", "--time", "year");
        Assert.True(code == 0, err);
        var rows = output.Split('\n').Where(l => l.StartsWith("N ", StringComparison.Ordinal) || l.StartsWith("R²", StringComparison.Ordinal) || l.StartsWith("adj.", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, rows.Count);
        // The label column is wider than the longest label, so every value ends at the same column.
        Assert.Single(rows.Select(l => l.TrimEnd().Length).Distinct());
        Assert.All(rows, l => Assert.Matches(@"^\S(.*\S)? {2,}\S+$", l.TrimEnd()));
    }

    [Fact]
    public void Output_NamesTheVarianceUsed_RobustIsHc1InWords()
    {
        // --vcov robust is HC1 (Stata's robust); the default is iid, said as such (studies default to clustering by unit).
        var (code, output, err) = Run("estimate", "inv ~ value + capital", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year", "--vcov", "robust");
        Assert.True(code == 0, err);
        Assert.Contains("variance: HC1 (Stata's robust)", output, StringComparison.Ordinal);
        (code, output, err) = Run("estimate", "inv ~ value + capital", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year");
        Assert.True(code == 0, err);
        Assert.Contains("variance: iid (conventional; the default of de estimate, --vcov cluster:firm clusters by unit as studies do)", output, StringComparison.Ordinal);
        (code, output, err) = Run("estimate", "inv ~ value + capital | firm", "--data", Data("Grunfeld.csv"), "--unit", "firm", "--time", "year", "--vcov", "cluster:firm");
        Assert.True(code == 0, err);
        Assert.Contains("variance: clustered by firm (CR1, Stata's vce(cluster firm))", output, StringComparison.Ordinal);
    }
}
