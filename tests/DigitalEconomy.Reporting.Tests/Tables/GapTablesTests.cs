using DigitalEconomy.Core.Indices;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The regional-gap tables (reporting/Tables/GapTables.cs) from result records whose values are derived by hand.</summary>
public class GapTablesTests
{
    private static readonly GapWords En = new(TableLanguage.En, new Dictionary<string, string> { ["de"] = "Digital economy", ["E"] = "East", ["W"] = "West" });

    private static RegressionResult Fit(int n, double r2) => new()
    {
        Formula = "d_ln_y ~ l_ln_y", Estimator = EstimatorKind.Ols, N = n, DfResid = n - 2, DfTests = n - 2, Clusters = new Dictionary<string, int>(), Vcov = "iid",
        SmallSampleFactor = 1, Coefficients = [], Covariance = [], R2 = r2, AdjR2 = r2, Ssr = 1, Sigma = 1,
    };

    [Fact]
    public void Convergence_BetaLikeARegressionTable_WithSpeedAndHalfLife_AndTheSigmaSeries()
    {
        // β = −0.05 (se 0.01, t = −5, p = 0.0004 → ***): λ = −ln(1 − 0.05) = 0.051293…, half-life = ln 2 / λ = 13.5134…;
        // conditional β = −0.08 (se 0.02, t = −4, p = 0.03 → **): λ = −ln 0.92 = 0.083382…, half-life = 8.31295….
        BetaConvergence[] fits =
        [
            new(-0.05, 0.01, 0.0004, -Math.Log(0.95), Math.Log(2) / -Math.Log(0.95), Fit(300, 0.4567)),
            new(-0.08, 0.02, 0.03, -Math.Log(0.92), Math.Log(2) / -Math.Log(0.92), Fit(290, 0.61)),
        ];
        var o = GapTables.Convergence("Convergence", fits, [(2011, 0.5, 0.4), (2012, 0.45, 0.38)], "de", hasControls: true, fe: "0", vcov: "iid", se: false, En);
        Assert.Equal(["", "_sigma"], o.Tables.Select(t => t.Suffix));
        var beta = o.Tables[0].Table;
        Assert.Equal([("(1)", "Absolute"), ("(2)", "Conditional")], beta.Columns.Select(c => (c.Header, c.Label!)));
        string[] Row(string key) => [.. beta.Blocks.SelectMany(b => b.Rows).Single(r => r.Key == key).Cells.Select(c => c.Text)];
        Assert.Equal(["-0.0500***", "-0.0800**"], Row("beta"));
        Assert.Equal(["(-5.000)", "(-4.000)"], Row("beta_paren"));
        Assert.Equal(["0.0513", "0.0834"], Row("speed"));
        Assert.Equal(["13.51", "8.31"], Row("half_life"));
        Assert.Equal(["NO", "YES"], Row("controls"));
        Assert.Equal(["NO", "NO"], Row("fe"));
        Assert.Equal(["300", "290"], Row("N"));
        Assert.Equal(["0.457", "0.610"], Row("r2"));
        // The β cell carries what a regression table's estimate cell carries.
        var cell = beta.Blocks[0].Rows[0].Cells[0];
        Assert.Equal((-0.05, 0.01, -5.0, 0.0004, "***"), (cell.Value!.Value, cell.StdError!.Value, cell.T!.Value, cell.PValue!.Value, cell.Stars));
        Assert.StartsWith("Δln Digital economy(t) = α + β ln Digital economy(t−1)", beta.Notes.Single(), StringComparison.Ordinal);
        var sigma = o.Tables[1].Table;
        Assert.Equal("Convergence: σ-convergence", sigma.Title);
        Assert.Equal(["0.4500", "0.3800"], sigma.Blocks[0].Rows[1].Cells.Select(c => c.Text));
        Assert.Equal(("_sigma", 2), (o.Charts.Single().Suffix, o.Charts.Single().Series.Count));
    }

    [Fact]
    public void Convergence_WithStandardErrors_AndAbsoluteOnly()
    {
        var o = GapTables.Convergence("C", [new(-0.05, 0.01, 0.0004, 0.05, 13.86, Fit(300, 0.5))], [], "de", hasControls: false, fe: "0", vcov: "iid", se: true, En);
        var rows = o.Tables[0].Table.Blocks[0].Rows;
        Assert.Equal("(0.0100)", rows[1].Cells.Single().Text);
        Assert.Single(o.Tables[0].Table.Columns);
    }

    [Fact]
    public void Trends_GroupsInTheListedOrder_ThenAll_WithTheWeightsNote()
    {
        GroupMean[] means =
        [
            new(2011, "W", 2, 0.25), new(2011, "E", 3, 0.5), new(2011, GapWords.AllGroups, 5, 0.4),
            new(2012, "E", 3, 0.6), new(2012, GapWords.AllGroups, 3, 0.6),
        ];
        var o = GapTables.Trends("Trends", means, "de", "region", "pop", ["W", "E"], En);
        var t = o.Tables.Single().Table;
        Assert.Equal(["West", "East", "All"], t.Columns.Select(c => c.Header));
        Assert.Equal(["0.2500", "0.5000", "0.4000"], t.Blocks[0].Rows[0].Cells.Select(c => c.Text));
        Assert.Equal(["", "0.6000", "0.6000"], t.Blocks[0].Rows[1].Cells.Select(c => c.Text));
        Assert.Equal("Mean of Digital economy by region and year, weighted by pop (Σwy/Σw).", t.Notes.Single());
        var west = o.Charts.Single().Series[0];
        Assert.Equal(("West", 0.25), (west.Name, west.Values[0]));
        Assert.True(double.IsNaN(west.Values[1]));
        // Without a listed order: every group by name.
        Assert.Equal(["East", "West", "All"], GapTables.Trends("T", means, "de", "region", null, [], En).Tables[0].Table.Columns.Select(c => c.Header));
    }
}
