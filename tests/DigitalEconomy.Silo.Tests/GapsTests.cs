using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The regional-gap analyses of a study (trends, disparity, convergence, coupling): on a tiny panel every
/// table cell equals a hand derivation with the textbook formulas; on the shipped study regional_gaps every
/// cell equals core's Disparity on the run's own dataset.csv, β-convergence equals `de estimate` of the
/// growth regression, and the charts are byte-identical across two runs.
/// </summary>
public class GapsTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-gaps-{Environment.ProcessId}");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    // Two groups (A, B) × two units × two periods. y: period 1 A{1, 3} B{4, 4}; period 2 A{2, 5} B{3, 6}.
    // c1, c2 (subsystems) in period 1: a1 (0.2, 0.8), a2 (0.5, 0.5), b1 (0.4, 0.4), b2 (0.1, 0.9).
    private const string Tiny = """
        unit,year,grp,y,w,c1,c2
        a1,1,A,1,1,0.2,0.8
        a2,1,A,3,3,0.5,0.5
        b1,1,B,4,1,0.4,0.4
        b2,1,B,4,1,0.1,0.9
        a1,2,A,2,1,0.3,0.6
        a2,2,A,5,3,0.6,0.6
        b1,2,B,3,1,0.5,0.4
        b2,2,B,6,1,0.2,0.9
        """;

    private static string RunTiny(string name)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "tiny.csv"), Tiny.Replace("\r", "", StringComparison.Ordinal) + "\n");
        string study = Path.Combine(dir, "tiny.yaml");
        File.WriteAllText(study, """
            name: tiny
            seed: 1
            dataset: { path: tiny.csv, unit: unit, time: year, region: grp }
            baseline: { outcome: y, treatment: c1, vcov: hc1 }
            analyses:
              - { name: means, type: trends, variable: y }
              - { name: weighted, type: trends, variable: y, weight: w, groups: [B, A] }
              - { name: gaps, type: disparity, variable: y }
              - { name: wgaps, type: disparity, variable: y, weight: w }
              - { name: conv, type: convergence, variable: y, vcov: iid }
              - { name: cc, type: coupling, subsystems: [c1, c2] }
            """);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Fact]
    public async Task TinyPanel_EveryTable_EqualsHandDerivations_AndChartsAreByteIdentical()
    {
        string run = RunTiny("tiny1");
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double Cell(string table, string key, int column) => cells.Single(c => c.Table == table && c.RowKey == key && c.Column == column).Value!.Value;
        string Text(string table, string key, int column) => cells.Single(c => c.Table == table && c.RowKey == key && c.Column == column).Text;
        const double eps = 1e-12;

        // trends: group means per period; weighted Σwy/Σw (A in period 1: (1·1 + 3·3)/4).
        Assert.Equal(2.0, Cell("means", "1", 1), eps);
        Assert.Equal(4.0, Cell("means", "1", 2), eps);
        Assert.Equal(3.5, Cell("means", "2", 1), eps);
        Assert.Equal(4.5, Cell("means", "2", 2), eps);
        Assert.Equal(3.0, Cell("means", "1", 3), eps); // All: (1 + 3 + 4 + 4) / 4
        // groups: [B, A] puts B first; weighted means: B (1·4 + 1·4)/2, A (1·1 + 3·3)/4, All (1 + 9 + 4 + 4)/6.
        Assert.Equal(4.0, Cell("weighted", "1", 1), eps);
        Assert.Equal(2.5, Cell("weighted", "1", 2), eps);
        Assert.Equal(18 / 6.0, Cell("weighted", "1", 3), eps);
        Assert.Equal((1 * 2 + 3 * 5) / 4.0, Cell("weighted", "2", 2), eps);

        // Theil T, period 1 (μ = 3): T = (1/n) Σ (y/μ) ln(y/μ); between = Σ S_g ln(S_g / W_g) with S_A = 4/12, S_B = 8/12, W = 1/2;
        // within = S_A T_A, T_A = ½[(1/2) ln(1/2) + (3/2) ln(3/2)], T_B = 0.
        double total = 0.25 * ((1 / 3.0) * Math.Log(1 / 3.0) + 0 + 2 * (4 / 3.0) * Math.Log(4 / 3.0));
        double between = (1 / 3.0) * Math.Log((1 / 3.0) / 0.5) + (2 / 3.0) * Math.Log((2 / 3.0) / 0.5);
        double within = (1 / 3.0) * 0.5 * (0.5 * Math.Log(0.5) + 1.5 * Math.Log(1.5));
        Assert.Equal(total, Cell("gaps", "1", 4), eps);
        Assert.Equal(within, Cell("gaps", "1", 5), eps);
        Assert.Equal(between, Cell("gaps", "1", 6), eps);
        Assert.Equal(100 * between / total, Cell("gaps", "1", 8), 1e-9);
        Assert.Equal(3.0, Cell("gaps", "1", 2), eps);
        // CV = population sd / mean: sd of {1, 3, 4, 4} = sqrt((4 + 0 + 1 + 1)/4).
        Assert.Equal(Math.Sqrt(6 / 4.0) / 3, Cell("gaps", "1", 3), eps);

        // Weighted Theil, period 1: weight shares w = (1, 3, 1, 1)/6, value shares s = w·y / Σw·y = (1/18, 1/2, 2/9, 2/9);
        // T = Σ s ln(s/w); between: S_A = 5/9, W_A = 2/3, S_B = 4/9, W_B = 1/3.
        Assert.Equal((1 / 18.0) * Math.Log(1 / 3.0) + (4 / 9.0) * Math.Log(4 / 3.0), Cell("wgaps", "1", 4), eps);
        Assert.Equal((5 / 9.0) * Math.Log(5 / 6.0) + (4 / 9.0) * Math.Log(4 / 3.0), Cell("wgaps", "1", 6), eps);
        // CV and Dagum stay unweighted.
        Assert.Equal(Cell("gaps", "1", 3), Cell("wgaps", "1", 3));
        Assert.Equal(Cell("gaps_dagum", "1", 1), Cell("wgaps_dagum", "1", 1));

        // Dagum, period 1: G = ΣΣ|y_i − y_r| / (2n²μ) = 20/96; B (mean 4) ranks above A (mean 2); G_AA = 4/16, G_BB = 0;
        // G_w = G_AA p_A s_A = 0.25 · ½ · ⅓; G_BA = 8/(2·2·(4+2)) = ⅓, D_BA = 1 (no overlap): G_nb = ⅓ (p_B s_A + p_A s_B) = ⅓ · ½, G_t = 0.
        Assert.Equal(20 / 96.0, Cell("gaps_dagum", "1", 1), eps);
        Assert.Equal(0.25 * 0.5 / 3, Cell("gaps_dagum", "1", 2), eps);
        Assert.Equal(1 / 6.0, Cell("gaps_dagum", "1", 3), eps);
        Assert.Equal(0.0, Cell("gaps_dagum", "1", 4), eps);
        // Period 2 (μ = 4): G = 28/128; G_AA = 6/28, G_BB = 6/36, s_A = 7/16, s_B = 9/16: G_w = ½(6/28 · 7/16 + 6/36 · 9/16);
        // G_BA = 8/(4·8) = ¼, d = 6, p = 2: D = ½, weight ½: G_nb = G_t = ¼ · ½ · ½.
        Assert.Equal(28 / 128.0, Cell("gaps_dagum", "2", 1), eps);
        Assert.Equal(0.5 * (6 / 28.0 * 7 / 16 + 6 / 36.0 * 9 / 16), Cell("gaps_dagum", "2", 2), eps);
        Assert.Equal(0.0625, Cell("gaps_dagum", "2", 3), eps);
        Assert.Equal(0.0625, Cell("gaps_dagum", "2", 4), eps);
        Assert.Equal(6 / 28.0, Cell("gaps_dagum", "2", 8), eps);
        Assert.Equal(1 / 6.0, Cell("gaps_dagum", "2", 9), eps);
        // Between-group Gini of the pair A–B: ⅓ in period 1, ¼ in period 2.
        Assert.Equal(1 / 3.0, Cell("gaps_between", "1", 1), eps);
        Assert.Equal(0.25, Cell("gaps_between", "2", 1), eps);

        // σ-convergence: the population sd of ln y in period 1.
        double[] l1 = [0, Math.Log(3), Math.Log(4), Math.Log(4)];
        double m1 = l1.Average();
        Assert.Equal(Math.Sqrt(l1.Sum(v => (v - m1) * (v - m1)) / 4), Cell("conv_sigma", "1", 1), eps);
        // β: OLS slope of g = ln y₂ − ln y₁ on x = ln y₁ over the four units: Σ(x − x̄)(g − ḡ) / Σ(x − x̄)².
        double[] x = l1, g = [Math.Log(2), Math.Log(5 / 3.0), Math.Log(3 / 4.0), Math.Log(6 / 4.0)];
        double xm = x.Average(), gm = g.Average();
        double beta = x.Zip(g).Sum(p => (p.First - xm) * (p.Second - gm)) / x.Sum(v => (v - xm) * (v - xm));
        Assert.Equal(beta, Cell("conv", "beta", 1), 1e-12);
        Assert.Equal(-Math.Log(1 + beta), Cell("conv", "speed", 1), 1e-12);
        Assert.Equal(Math.Log(2) / -Math.Log(1 + beta), Cell("conv", "half_life", 1), 1e-9);

        // Coupling, period 1: a1: C = 2√(0.2·0.8)/1 = 0.8, T = 0.5, D = √0.4; a2: C = 1, T = 0.5, D = √0.5. Group A: the means.
        Assert.Equal(0.9, Cell("cc", "1/A", 3), eps);
        Assert.Equal(0.5, Cell("cc", "1/A", 4), eps);
        double dA = (Math.Sqrt(0.4) + Math.Sqrt(0.5)) / 2;
        Assert.Equal(dA, Cell("cc", "1/A", 5), eps);
        Assert.Equal("primary coordination", Text("cc", "1/A", 6)); // 0.6 ≤ 0.6698 < 0.7
        // b1: C = 1, T = 0.4, D = √0.4; b2: C = 2·0.3/1 = 0.6, T = 0.5, D = √0.3; all four units: mean of the four D.
        Assert.Equal((Math.Sqrt(0.4) + Math.Sqrt(0.3)) / 2, Cell("cc", "1/B", 5), eps);
        Assert.Equal((Math.Sqrt(0.4) + Math.Sqrt(0.5) + Math.Sqrt(0.4) + Math.Sqrt(0.3)) / 4, Cell("cc", "1/*", 5), eps);

        // Charts in png and svg, byte-identical in a second run; tables in every format.
        string again = RunTiny("tiny2");
        foreach (var stem in new[] { "means", "weighted", "gaps_theil", "gaps_dagum", "conv_sigma", "cc" })
            foreach (var ext in new[] { ".png", ".svg" })
            {
                var a = File.ReadAllBytes(Path.Combine(run, "plots", stem + ext));
                Assert.True(a.Length > 1000, stem + ext);
                Assert.Equal(a, File.ReadAllBytes(Path.Combine(again, "plots", stem + ext)));
            }
        foreach (var ext in new[] { ".md", ".csv", ".tex", ".html", ".docx" }) Assert.True(File.Exists(Path.Combine(run, "tables", "gaps_dagum" + ext)), ext);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "analyses.parquet")), File.ReadAllBytes(Path.Combine(again, "analyses.parquet")));
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.True(report.IndexOf("plots/means.png", StringComparison.Ordinal) < report.IndexOf("plots/gaps_theil.png", StringComparison.Ordinal)
            && report.IndexOf("plots/gaps_theil.png", StringComparison.Ordinal) < report.IndexOf("plots/cc.png", StringComparison.Ordinal), "report in study order");
    }

    [Fact]
    public async Task ShippedStudy_EqualsCoreDisparity_AndDeEstimate_OnItsOwnData()
    {
        string dir = Path.Combine(Root, "shipped");
        var (code, output, err) = De.Run("run", Path.Combine(RepoRoot(), "studies", "regional_gaps.yaml"), "--out", dir);
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double Cell(string table, string key, int column) => cells.Single(c => c.Table == table && c.RowKey == key && c.Column == column).Value!.Value;
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(run, "dataset.csv")), "province", "year");
        var de = panel.Frame.Numeric("de");
        var hqd = panel.Frame.Numeric("hqd");
        var region = panel.Frame["region"];
        string[] regions = ["East", "Central", "West", "Northeast"]; // the study's groups, in its order
        int checkedYears = 0;
        foreach (var t in panel.Periods)
        {
            var rows = Enumerable.Range(0, panel.RowCount).Where(i => panel.Time[i] == t).ToArray();
            var y = rows.Select(i => de[i]).ToArray();
            var g = rows.Select(i => region.TextAt(i)!).ToArray();
            string key = t.ToString(CultureInfo.InvariantCulture);
            var theil = Disparity.Theil(y, g);
            var dagum = Disparity.Dagum(y, g);
            Assert.Equal(Disparity.CoefficientOfVariation(y), Cell("gaps", key, 3));
            Assert.Equal(theil.Total, Cell("gaps", key, 4));
            Assert.Equal(theil.Within, Cell("gaps", key, 5));
            Assert.Equal(theil.Between, Cell("gaps", key, 6));
            Assert.Equal(dagum.Total, Cell("gaps_dagum", key, 1));
            Assert.Equal(dagum.Within, Cell("gaps_dagum", key, 2));
            Assert.Equal(dagum.NetBetween, Cell("gaps_dagum", key, 3));
            Assert.Equal(dagum.Transvariation, Cell("gaps_dagum", key, 4));
            for (int k = 0; k < regions.Length; k++)
            {
                var inRegion = rows.Where(i => region.TextAt(i) == regions[k]).ToArray();
                Assert.Equal(inRegion.Average(i => de[i]), Cell("trends", key, k + 1), 1e-15);
                Assert.Equal(inRegion.Average(i => Disparity.Coupling([de[i], hqd[i]]).Coordination), Cell("coupling", $"{key}/{regions[k]}", 5), 1e-15);
            }
            Assert.Equal(rows.Average(i => de[i]), Cell("trends", key, 5), 1e-15);
            Assert.Equal(dagum.BetweenGini.TryGetValue("East|Central", out double ec) ? ec : dagum.BetweenGini["Central|East"], Cell("gaps_between", key, 1));
            checkedYears++;
        }
        Assert.Equal(10, checkedYears);
        var sigma = Disparity.SigmaConvergence(panel, de);
        foreach (var s in sigma) Assert.Equal(s.SdLog, Cell("convergence_sigma", s.Period.ToString(CultureInfo.InvariantCulture), 1));

        // β-convergence equals `de estimate` of the growth regression, built here by hand: g = ln de − ln de(previous year), l = ln de(previous year).
        var csv = new StringBuilder("province,year,g,l,gov,market,lngdp,fin\n");
        var prev = new Dictionary<string, (long Year, double Log)>(StringComparer.Ordinal);
        string[] controls = ["gov", "market", "lngdp", "fin"];
        var cols = controls.Select(panel.Frame.Numeric).ToArray();
        foreach (int i in Enumerable.Range(0, panel.RowCount).OrderBy(i => panel.UnitLabels[panel.UnitCode[i]], StringComparer.Ordinal).ThenBy(i => panel.Time[i]))
        {
            string unit = panel.UnitLabels[panel.UnitCode[i]];
            double ln = Math.Log(de[i]);
            string growth = "", lag = "";
            if (prev.TryGetValue(unit, out var p) && p.Year == panel.Time[i] - 1)
            {
                growth = (ln - p.Log).ToString("R", CultureInfo.InvariantCulture);
                lag = p.Log.ToString("R", CultureInfo.InvariantCulture);
            }
            prev[unit] = (panel.Time[i], ln);
            csv.Append(CultureInfo.InvariantCulture, $"{unit},{panel.Time[i]},{growth},{lag},{string.Join(",", cols.Select(c => c[i].ToString("R", CultureInfo.InvariantCulture)))}\n");
        }
        string data = Path.Combine(dir, "growth.csv");
        File.WriteAllText(data, csv.ToString());
        foreach (var (formula, column) in new[] { ("g ~ l", 1), ("g ~ l + gov + market + lngdp + fin", 2) })
        {
            var (c, json, e) = De.Run("estimate", formula, "--data", data, "--unit", "province", "--time", "year", "--vcov", "cluster:province", "--json");
            Assert.True(c == 0, e);
            using var doc = JsonDocument.Parse(json);
            var l = doc.RootElement.GetProperty("coefficients").EnumerateArray().Single(x => x.GetProperty("term").GetString() == "l");
            var cell = cells.Single(x => x.Table == "convergence" && x.RowKey == "beta" && x.Column == column);
            Assert.Equal(l.GetProperty("estimate").GetDouble(), cell.Value!.Value, 1e-12);
            Assert.Equal(l.GetProperty("std_error").GetDouble(), cell.StdError!.Value, 1e-12);
            Assert.Equal(l.GetProperty("p_value").GetDouble(), cell.PValue!.Value, 1e-12);
            Assert.Equal(doc.RootElement.GetProperty("n").GetInt32(), (int)Cell("convergence", "N", column));
        }
        // The convergence table's note names the variance estimator in journal words (issue 28), not its syntax (cluster:province).
        string note = File.ReadAllText(Path.Combine(run, "tables", "convergence.md")).TrimEnd().Split('\n')[^1];
        Assert.EndsWith("半衰期 = ln 2 / λ。括号内为t值，标准误为省份层面聚类稳健标准误；\\*\\*\\*、\\*\\*、\\*分别表示在1%、5%、10%的水平上显著", note, StringComparison.Ordinal);
        Assert.Contains("| 状态 | 已完成 |", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);
        foreach (var stem in new[] { "trends", "gaps_theil", "gaps_dagum", "convergence_sigma", "coupling" })
        {
            Assert.True(File.Exists(Path.Combine(run, "plots", stem + ".png")), stem);
            Assert.True(File.Exists(Path.Combine(run, "plots", stem + ".svg")), stem);
        }
    }
}
