using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests;

/// <summary>The spatial analysis's tables from hand-made results: layout, numbers, stars and notes.</summary>
public class SpatialTablesTests
{
    private static SpatialFit Fit(SpatialModel model, IReadOnlyList<SpatialImpact>? impacts) => new()
    {
        Options = new SpatialOptions(model, SpatialEffects.TwoWays),
        Formula = "y ~ x",
        N = 30,
        T = 10,
        // ρ = 0.5 (SE 0.1: z 5, p < 0.01), β = 0.2 (SE 0.1: z 2, p 0.0455 → **), θ = 0.1 (SE 0.1: p 0.317 → no star)
        Coefficients = model == SpatialModel.Sdm
            ? [new("rho", 0.5, 0.1, 5, 5.733e-7), new("x", 0.2, 0.1, 2, 0.0455), new("W*x", 0.1, 0.1, 1, 0.3173)]
            : [new("rho", 0.5, 0.1, 5, 5.733e-7), new("x", 0.2, 0.1, 2, 0.0455)],
        Vcov = new double[1, 1],
        Sigma2 = 0.0025,
        Sigma2Se = 0.0001,
        LogLik = 461.58,
        Terms = ["x"],
        Impacts = impacts,
        Residuals = [],
        Interval = (-1, 1),
    };

    [Fact]
    public void Models_side_by_side_with_theta_rows_and_the_summary()
    {
        var cols = new[]
        {
            new SpatialModelColumn("(1)", "Contiguity", Fit(SpatialModel.Sar, null), 0),
            new SpatialModelColumn("(2)", "Contiguity", Fit(SpatialModel.Sdm, null), 0),
        };
        var t = SpatialTables.Models("Table 1", cols, new Dictionary<string, string> { ["x"] = "Digital economy" });
        var rows = t.Blocks[0].Rows;
        Assert.Equal(["rho", "rho", "x", "x", "W*x", "W*x"], rows.Select(r => r.Key));
        Assert.Equal("ρ (W·y)", rows[0].Label);
        Assert.Equal("0.5000***", rows[0].Cells[0].Text);
        Assert.Equal("(0.1000)", rows[1].Cells[0].Text);
        Assert.Equal("Digital economy", rows[2].Label);
        Assert.Equal("0.2000**", rows[2].Cells[1].Text);
        Assert.Equal("W×Digital economy", rows[4].Label);
        Assert.Equal("", rows[4].Cells[0].Text); // SAR has no θ
        Assert.Equal("0.1000", rows[4].Cells[1].Text);
        Assert.Equal(["SAR", "SDM"], t.Columns.Select(c => c.Label));
        Assert.Equal("Contiguity", t.Columns[0].Group);
        var summary = t.Blocks[2].Rows;
        Assert.Equal("0.002500", summary[0].Cells[0].Text);
        Assert.Equal("461.580", summary[1].Cells[0].Text);
        Assert.Equal("300", summary[2].Cells[0].Text);
        Assert.Equal("YES", t.Blocks[1].Rows.Single(r => r.Key == "fe:time").Cells[0].Text);
    }

    [Fact]
    public void Models_note_how_the_log_determinants_were_computed_when_not_by_eigenvalues()
    {
        var eigen = new SpatialModelColumn("(1)", "Contiguity", Fit(SpatialModel.Sar, null), 0);
        var sparse = eigen with { Header = "(2)", Fit = eigen.Fit with { LogDetMethod = SpatialLogDet.Sparse } };
        var fallback = eigen with { Header = "(3)", Fit = eigen.Fit with { Note = "note: N = 1200 > 1000 but W is not D⁻¹B with B symmetric" } };
        Assert.DoesNotContain(SpatialTables.Models("T", [eigen]).Notes, n => n.Contains("log|", StringComparison.Ordinal) || n.Contains("eigenvalues", StringComparison.Ordinal));
        Assert.Contains(SpatialTables.Models("T", [eigen, sparse]).Notes, n => n.StartsWith("log|I − ρW| and the traces by the sparse Cholesky", StringComparison.Ordinal));
        Assert.Contains(SpatialTables.Models("T", [fallback]).Notes, n => n == "Above 1,000 units, but W has no symmetric form: log-determinants from its eigenvalues.");
        Assert.Contains(SpatialTables.Models("T", [sparse], language: TableLanguage.Zh).Notes, n => n.StartsWith("log|I − ρW|与迹由W对称形式的稀疏Cholesky分解计算", StringComparison.Ordinal));
    }

    [Fact]
    public void Effects_get_stars_from_the_simulated_SEs()
    {
        // direct 0.3 (SE 0.1: z 3, p 0.0027 → ***), indirect 0.15 (SE 0.1: z 1.5, p 0.134 → none), total 0.45 (SE 0.2: z 2.25, p 0.0244 → **)
        var imp = new SpatialImpact("x", 0.3, 0.15, 0.45) { DirectSe = 0.1, IndirectSe = 0.1, TotalSe = 0.2 };
        var t = SpatialTables.Effects("Effects", [new SpatialModelColumn("(1)", "Distance", Fit(SpatialModel.Sdm, [imp]), 500)]);
        Assert.Equal(["Direct", "Indirect", "Total"], t.Columns.Select(c => c.Header));
        Assert.Equal("(1) SDM · Distance", t.Columns[0].Group);
        var est = t.Blocks[0].Rows[0].Cells;
        Assert.Equal(["0.3000***", "0.1500", "0.4500**"], est.Select(c => c.Text));
        Assert.Equal(0.0027, est[0].PValue!.Value, 4);
        Assert.Equal(["(0.1000)", "(0.1000)", "(0.2000)"], t.Blocks[0].Rows[1].Cells.Select(c => c.Text));
        Assert.Contains(t.Notes, n => n.Contains("500 draws", StringComparison.Ordinal));
    }

    [Fact]
    public void Moran_table_has_a_row_per_year_and_the_permutation_column()
    {
        var r1 = new MoranResult(2011, 30, 0.25, new MoranMoments(-1 / 29.0, 0.01, 2.84, 0.0023), new MoranMoments(-1 / 29.0, 0.011, 2.71, 0.0034), 2.5);
        var r2 = new MoranResult(2012, 30, 0.05, new MoranMoments(-1 / 29.0, 0.01, 0.84, 0.20), new MoranMoments(-1 / 29.0, 0.011, 0.80, 0.21), 2.6);
        var t = SpatialTables.Moran("Moran", [new MoranColumn("Contiguity", "hqd", [r1, r2], [0.004, 0.22])]);
        Assert.Equal(["I", "z", "p", "perm. p"], t.Columns.Select(c => c.Header));
        Assert.Equal("hqd · Contiguity", t.Columns[0].Group);
        var rows = t.Blocks[0].Rows;
        Assert.Equal(["2011", "2012"], rows.Select(r => r.Label));
        Assert.Equal(["0.2500***", "2.710", "0.003", "0.004"], rows[0].Cells.Select(c => c.Text));
        Assert.Equal(["0.0500", "0.800", "0.210", "0.220"], rows[1].Cells.Select(c => c.Text));
    }

    [Fact]
    public void Chinese_tables_use_the_papers_words()
    {
        var imp = new SpatialImpact("x", 0.3, 0.15, 0.45) { DirectSe = 0.1, IndirectSe = 0.1, TotalSe = 0.2 };
        var cols = new[] { new SpatialModelColumn("(1)", "邻接矩阵", Fit(SpatialModel.Sdm, [imp]), 500) };
        var e = SpatialTables.Effects("表", cols, null, TableLanguage.Zh);
        Assert.Equal(["直接效应", "间接效应", "总效应"], e.Columns.Select(c => c.Header));
        Assert.Contains(e.Notes, n => n.Contains("500次模拟抽样", StringComparison.Ordinal));
        var m = SpatialTables.Models("表", cols, null, TableLanguage.Zh);
        var fe = m.Blocks[1].Rows.Single(r => r.Key == "fe:time");
        Assert.Equal("时间固定效应", fe.Label);
        Assert.Equal("是", fe.Cells[0].Text);
        Assert.Equal("观测值", m.Blocks[2].Rows.Single(r => r.Key == "N").Label);
    }
}
