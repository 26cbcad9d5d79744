using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 20 item 6 beyond `de estimate`: `de mediate`, `de groupdiff` and `de disparity` run on data without --unit and
/// --time (fixed effects are then plain factor columns), give the reference numbers, and refuse in one line only what
/// needs a panel. `de mediate --singletons drop|keep` (default drop) against produc_singletons.json.
/// </summary>
public sealed class NoPanelCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-nopanel-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public NoPanelCommandsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement Ref(string file, string block)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(CliRunner.Data(file)));
        return doc.RootElement.GetProperty(block).Clone();
    }

    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    private static void Close(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static string OneErrorLine(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(Cli.InputError, code);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        return lines[0];
    }

    private static readonly string[] Mediation =
        ["mediate", "--data", "PRODUC", "--y", "log(gsp)", "--x", "log(pcap)", "--m", "log(emp)", "--controls", "log(pc),unemp", "--fe", "state + year", "--json"];

    private static string[] Mediate(params string[] more) => [.. Mediation.Select(a => a == "PRODUC" ? CliRunner.Data("Produc.csv") : a), .. more];

    [Fact]
    public void Mediate_WithoutUnitAndTime_GivesTheReferencePaths_WithStateAndYearAsFactorColumns()
    {
        // produc_mediation.json (case e): the three regressions with state + year effects; the data need no panel for them.
        var r = Json(Mediate("--vcov", "iid"));
        var a = Ref("produc_mediation.json", "step2_a_path_X_on_M");
        var b = Ref("produc_mediation.json", "step3_b_path_M_on_Y");
        var c = Ref("produc_mediation.json", "step1_total_effect_c");
        Close(a.GetProperty("estimate").GetDouble(), r.GetProperty("a").GetProperty("estimate").GetDouble(), 1e-9, "a");
        Close(a.GetProperty("se_conventional").GetDouble(), r.GetProperty("a").GetProperty("std_error").GetDouble(), 1e-9, "se(a)");
        Close(b.GetProperty("estimate").GetDouble(), r.GetProperty("b").GetProperty("estimate").GetDouble(), 1e-9, "b");
        Close(b.GetProperty("se_conventional").GetDouble(), r.GetProperty("b").GetProperty("std_error").GetDouble(), 1e-9, "se(b)");
        Close(c.GetProperty("estimate").GetDouble(), r.GetProperty("c").GetProperty("estimate").GetDouble(), 1e-9, "c");
        var sobel = Ref("produc_mediation.json", "sobel").GetProperty("using_conventional_se");
        Close(sobel.GetProperty("sobel_z").GetDouble(), r.GetProperty("sobel_z").GetDouble(), 1e-8, "Sobel z");
        Close(sobel.GetProperty("aroian_z").GetDouble(), r.GetProperty("aroian_z").GetDouble(), 1e-8, "Aroian z");
        Close(0.28036202661910425, r.GetProperty("indirect").GetDouble(), 1e-9, "a·b");
        // Clustered by state: the same CR1 as on the panel (Stata's K, the state effects nested in the clusters).
        var cl = Json(Mediate("--vcov", "cluster:state"));
        Close(a.GetProperty("se_cluster_cr1_stata_xtreg").GetDouble(), cl.GetProperty("a").GetProperty("std_error").GetDouble(), 1e-9, "CR1 se(a)");
        Close(b.GetProperty("se_cluster_cr1_stata_xtreg").GetDouble(), cl.GetProperty("b").GetProperty("std_error").GetDouble(), 1e-9, "CR1 se(b)");
    }

    [Theory]
    [InlineData(new string[0], "singletons_removed_iteratively")]
    [InlineData(new[] { "--singletons", "drop" }, "singletons_removed_iteratively")]
    [InlineData(new[] { "--singletons", "keep" }, "fixef_rm_none")]
    public void Mediate_Singletons_DropByDefault_AsReghdfe(string[] rule, string block)
    {
        // The total effect c is Y on X and the controls: with M = log(hwy) outside it, c is the reference model's log(pcap).
        var reference = Ref("produc_singletons.json", block);
        foreach (var unitTime in new[] { Array.Empty<string>(), ["--unit", "state", "--time", "year"] })
        {
            var r = Json(["mediate", "--data", CliRunner.Data("Produc_singletons.csv"), .. unitTime, "--y", "log(gsp)", "--x", "log(pcap)", "--m", "log(hwy)",
                "--controls", "log(pc),log(emp),unemp", "--fe", "state + region^year", "--vcov", "hc1", .. rule, "--json"]);
            var total = r.GetProperty("c");
            Close(reference.GetProperty("coefficients").GetProperty("log(pcap)").GetDouble(), total.GetProperty("estimate").GetDouble(), 1e-8, $"{block} c");
            Close(reference.GetProperty("se_hc1").GetProperty("log(pcap)").GetDouble(), total.GetProperty("std_error").GetDouble(), 1e-8, $"{block} HC1 se(c)");
        }
    }

    [Fact]
    public void Mediate_WithoutAPanel_RefusesInOneLine_OnlyWhatNeedsIt()
    {
        Assert.Equal("error: --singletons 'both': expected drop (remove observations alone in a fixed-effect group, iteratively as reghdfe) or keep", OneErrorLine(Mediate("--singletons", "both")));
        string needs = "needs the panel's unit and time: give --unit and --time (dataset.unit and dataset.time in a study); without them the data are a cross-section";
        Assert.Equal($"error: 'lag(log(pcap))' in the formula {needs}", OneErrorLine(Mediate("--vcov", "iid").Select(a => a == "log(pcap)" ? "lag(log(pcap))" : a).ToArray()));
        Assert.Equal($"error: --bootstrap (units resampled with their series) {needs}", OneErrorLine(Mediate("--bootstrap", "9")));
        Assert.Equal("error: --time needs --unit: give both for a panel, or neither for a cross-section", OneErrorLine(Mediate("--time", "year")));
    }

    [Fact]
    public void GroupDiff_WithoutUnitAndTime_MatchesRsInteractedOls_AndLeavesOutThePermutationTest()
    {
        // groupdiff.csv, case ols2 (groupdiff.R): lm(log(gsp) ~ g2 + (slopes):g2) with HC1, g2 = 1 for regions 1–4, else 2.
        var produc = File.ReadAllLines(CliRunner.Data("Produc.csv"));
        int region = Array.IndexOf(produc[0].Split(','), "region");
        string data = Path.Combine(_dir, "produc_g2.csv");
        File.WriteAllLines(data, produc.Select((l, i) => l + "," + (i == 0 ? "g2" : double.Parse(l.Split(',')[region], CultureInfo.InvariantCulture) <= 4 ? "1" : "2")));
        var r = Json("groupdiff", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--data", data, "--groups", "g2", "--vcov", "hc1", "--permutations", "0", "--json");
        Assert.Equal(816, r.GetProperty("n").GetInt32());
        Assert.Equal(806, r.GetProperty("df_resid").GetInt32());
        int rows = 0;
        foreach (var line in File.ReadAllLines(CliRunner.Data("groupdiff.csv")).Where(l => l.StartsWith("ols2,hc1,", StringComparison.Ordinal)))
        {
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            string what = $"{f[2]} {f[3]} {f[4]}";
            switch (f[2])
            {
                case "coef":
                    var c = r.GetProperty("coefficients").EnumerateArray().Single(x => x.GetProperty("term").GetString() == f[3] && x.GetProperty("group").GetString() == f[4]);
                    Close(D(5), c.GetProperty("estimate").GetDouble(), 1e-8, what);
                    Close(D(6), c.GetProperty("std_error").GetDouble(), 1e-8, what);
                    break;
                case "diff":
                    var d = r.GetProperty("differences").EnumerateArray().Single(x => x.GetProperty("term").GetString() == f[3]);
                    Close(D(5), d.GetProperty("difference").GetDouble(), 1e-8, what);
                    Close(D(6), d.GetProperty("std_error").GetDouble(), 1e-8, what);
                    break;
                case "wald":
                    var t = f[3] == "ALL" ? r.GetProperty("joint") : r.GetProperty("wald").GetProperty(f[3]);
                    Close(D(5), t.GetProperty("statistic").GetDouble(), 1e-8, what);
                    Close(D(8), t.GetProperty("p_value").GetDouble(), 1e-8, what);
                    Assert.Equal(D(10), t.GetProperty("df2").GetDouble());
                    break;
            }
            rows++;
        }
        Assert.Equal(17, rows);
        // Each row is its own unit: the groups count rows (regions 1–4 hold 21 states × 17 years, the others 27), and the text says so.
        Assert.Equal([357, 459], r.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("units").GetInt32()));
        string needs = "needs the panel's unit and time: give --unit and --time (dataset.unit and dataset.time in a study); without them the data are a cross-section";
        // The permutation test moves whole units: by default it is left out with a note, asked for it is refused.
        var (code, text, err) = CliRunner.Run("groupdiff", "log(gsp) ~ log(pcap) + unemp", "--data", data, "--groups", "g2");
        Assert.True(code == 0, err);
        Assert.Equal($"note: the Fisher permutation test (whole units move between groups) {needs}; it is left out", err.Trim());
        Assert.Contains("term              group     rows     estimate", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fisher", text, StringComparison.Ordinal);
        Assert.Equal($"error: --permutations 19 (the Fisher permutation test moves whole units) {needs}",
            OneErrorLine("groupdiff", "log(gsp) ~ log(pcap) + unemp", "--data", data, "--groups", "g2", "--permutations", "19"));
        Assert.Equal("error: 'lag(unemp)' in the formula needs the panel's unit and time: give --unit and --time (dataset.unit and dataset.time in a study); without them the data are a cross-section",
            OneErrorLine("groupdiff", "log(gsp) ~ log(pcap) + lag(unemp)", "--data", data, "--groups", "g2"));
    }

    [Fact]
    public void Disparity_OfACrossSection_IsOneComputationOverAllRows()
    {
        // Values 1, 2 (group A) and 3, 4 (group B), no unit or time column. By hand: mean 2.5; population sd √(5/4), CV = √5/5;
        // Theil T = ¼ Σ (y/2.5) ln(y/2.5); between = 0.3 ln(1.5/2.5) + 0.7 ln(3.5/2.5) (value shares 3/10, 7/10);
        // Gini = Σᵢⱼ|yᵢ − yⱼ| / (2 n² μ) = 20 / 80 = 0.25.
        string data = Path.Combine(_dir, "gaps.csv");
        File.WriteAllText(data, "zone,value\nA,1\nA,2\nB,3\nB,4\n", new UTF8Encoding(false));
        var (code, stdout, stderr) = CliRunner.Run("disparity", "--data", data, "--value", "value", "--group", "zone", "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("note: β-convergence (each unit's growth between periods) needs the panel's unit and time: give --unit and --time (dataset.unit and dataset.time in a study); without them the data are a cross-section",
            stderr.Trim());
        using var doc = JsonDocument.Parse(stdout);
        var period = Assert.Single(doc.RootElement.GetProperty("periods").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, period.GetProperty("period").ValueKind);
        Assert.Equal(4, period.GetProperty("n").GetInt32());
        Assert.Equal(2.5, period.GetProperty("mean").GetDouble());
        Close(Math.Sqrt(5) / 5, period.GetProperty("cv").GetDouble(), 1e-14, "CV");
        double theil = new[] { 1.0, 2, 3, 4 }.Sum(y => y / 2.5 * Math.Log(y / 2.5)) / 4, between = 0.3 * Math.Log(1.5 / 2.5) + 0.7 * Math.Log(3.5 / 2.5);
        Close(theil, period.GetProperty("theil").GetProperty("total").GetDouble(), 1e-12, "Theil");
        Close(between, period.GetProperty("theil").GetProperty("between").GetDouble(), 1e-12, "Theil between");
        Close(theil - between, period.GetProperty("theil").GetProperty("within").GetDouble(), 1e-12, "Theil within");
        Close(0.25, period.GetProperty("dagum").GetProperty("total").GetDouble(), 1e-14, "Gini");
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("beta_convergence").ValueKind);
        (code, stdout, _) = CliRunner.Run("disparity", "--data", data, "--value", "value", "--group", "zone");
        Assert.True(code == 0);
        Assert.Contains("\n     all    4", stdout, StringComparison.Ordinal);
    }
}
