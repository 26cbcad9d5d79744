using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

public class DerivationTests
{
    // Three units × two years. Row order after Panel.Create: a2019, a2020, b2019, b2020, c2019, c2020.
    private const string Csv = """
        u,t,dig,emp,y1,y2,y3,l1,l2,l3,inv,price,pat,x,z
        a,2019,2,10,10,40,50,50,30,20,10,1,10,1,4
        a,2020,1,10,20,40,60,40,40,20,22,2,10,2,3
        b,2019,1,20,5,50,45,10,40,50,20,1,20,3,2
        b,2020,4,20,10,50,60,20,50,30,44,2,30,4,1
        c,2019,3,30,30,30,40,30,30,40,5,1,5,5,0
        c,2020,3,30,30,40,50,30,30,30,11,2,5,6,5
        """;

    private static Panel P(string csv = Csv) => Panel.Create(CsvReader.Read(new StringReader(csv), "d.csv"), "u", "t");

    private static DeriveStep S(string name, string kind, params (string Key, string[] Values)[] ps) =>
        new(name, kind, ps.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Values, StringComparer.Ordinal));

    private static (string, string[]) A(string key, params string[] values) => (key, values);

    private static double[] Col(Panel p, string name) => p.Frame.Numeric(name);

    private static void Near(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(double.IsNaN(expected[i]) ? double.IsNaN(actual[i]) : Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"row {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static (Panel Panel, IReadOnlyList<DeriveRecord> Records) Run(params DeriveStep[] steps) => Derivation.Apply(P(), steps);

    private static string Fails(DeriveStep step, params string[] extra)
    {
        var cols = P().Frame.Columns.Select(c => c.Name).Concat(extra).ToList();
        var e = Assert.Throws<InputException>(() => Derivation.Check(step, cols));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Lq_ByHand()
    {
        var (p, rec) = Run(S("lq_dig", "lq", A("sector", "dig"), A("total", "emp")));
        // 2019: national share 6/60 = 0.1 → a 0.2/0.1, b 0.05/0.1, c 0.1/0.1.
        // 2020: national share 8/60 → a 0.1·7.5, b 0.2·7.5, c 0.1·7.5.
        Near([2, 0.75, 0.5, 1.5, 1, 0.75], Col(p, "lq_dig"));
        Assert.Equal(["lq_dig"], rec[0].Columns);
        Assert.Equal(["dig"], rec[0].Parameters["sector"]);
    }

    [Fact]
    public void IndustrialOptimisation_SumOfShareTimesProductivity_MeanNormalised_ByHand()
    {
        var (p, _) = Run(S("indus", "industrial_optimisation", A("value_added", "y1", "y2", "y3"), A("employment", "l1", "l2", "l3")));
        // Σ_k (Y_k/Y)(Y_k/L_k), written out per row.
        double[] raw =
        [
            0.1 * 0.2 + 0.4 * 40.0 / 30 + 0.5 * 2.5,
            20.0 / 120 * 0.5 + 40.0 / 120 * 1 + 60.0 / 120 * 3,
            0.05 * 0.5 + 0.5 * 1.25 + 0.45 * 0.9,
            10.0 / 120 * 0.5 + 50.0 / 120 * 1 + 60.0 / 120 * 2,
            0.3 * 1 + 0.3 * 1 + 0.4 * 1,
            30.0 / 120 * 1 + 40.0 / 120 * 40 / 30 + 50.0 / 120 * 50 / 30,
        ];
        double mean = raw.Sum() / 6;
        Near([.. raw.Select(v => v / mean)], Col(p, "indus"));
    }

    [Fact]
    public void Upgrading_AdvancedTheilComposite_ByHand_DefaultsRecorded()
    {
        var step = S("up", "upgrading", A("value_added", "y1", "y2", "y3"), A("employment", "l1", "l2", "l3"));
        Assert.Equal(["up_advanced", "up_theil", "up"], Derivation.Check(step, P().Frame.Columns.Select(c => c.Name).ToList()));
        var (p, rec) = Run(step);
        // a2019: Y = L = 100, so Y/L = 1: TL = 0.1 ln 0.2 + 0.4 ln(4/3) + 0.5 ln 2.5.
        double tlA = 0.1 * Math.Log(0.2) + 0.4 * Math.Log(4.0 / 3) + 0.5 * Math.Log(2.5);
        // b2020: Y = 120, L = 100, Y/L = 1.2: productivities 0.5, 1, 2.
        double tlB = 10.0 / 120 * Math.Log(0.5 / 1.2) + 50.0 / 120 * Math.Log(1 / 1.2) + 60.0 / 120 * Math.Log(2 / 1.2);
        Assert.Equal(1.25, Col(p, "up_advanced")[0], 14);
        Assert.Equal(tlA, Col(p, "up_theil")[0], 14);
        Assert.Equal(tlB, Col(p, "up_theil")[3], 14);
        Assert.Equal(0, Col(p, "up_theil")[4], 14); // c2019: every sector's productivity equals the average: balanced
        Assert.Equal(0.318 * 1.25 - 0.682 * tlA, Col(p, "up")[0], 14);
        Assert.Equal(0.318 * 40 / 30.0, Col(p, "up")[4], 14);
        Assert.Equal(["0.318", "0.682"], rec[0].Parameters["weights"]);
        Assert.Equal(["tertiary/secondary"], rec[0].Parameters["advanced"]);
        Assert.Equal(["negative"], rec[0].Parameters["rationalisation"]);

        var (q, _) = Run(S("up", "upgrading", A("value_added", "y1", "y2", "y3"), A("employment", "l1", "l2", "l3"), A("advanced", "secondary/tertiary"), A("weights", "0.5", "0.5"), A("rationalisation", "reciprocal")));
        Assert.Equal(0.8, Col(q, "up_advanced")[0], 14);
        Assert.Equal(0.5 * 0.8 + 0.5 / tlA, Col(q, "up")[0], 13);
    }

    [Fact]
    public void CapitalStock_PerpetualInventory_ByHand()
    {
        var (p, rec) = Run(S("k", "capital_stock", A("investment", "inv"), A("price_index", "price"), A("depreciation", "0.1"), A("growth", "0.1")));
        // Real investment at 2019 prices: a 10, 11; b 20, 22; c 5, 5.5. K0 = I0/(g + δ) = I0/0.2, K1 = I1 + 0.9 K0.
        Near([50, 56, 100, 112, 25, 28], Col(p, "k"));
        Assert.Equal(["2019"], rec[0].Parameters["base_year"]);
        // Growth from the data: every unit's real investment grows 10 %, so the same K0 with δ = 9.6 % by default.
        var (q, rec2) = Run(S("k", "capital_stock", A("investment", "inv"), A("price_index", "price")));
        Assert.Equal(10 / 0.196, Col(q, "k")[0], 10);
        Assert.Equal(11 + 0.904 * 10 / 0.196, Col(q, "k")[1], 10);
        Assert.Equal(["0.096"], rec2[0].Parameters["depreciation"]);
        Assert.Equal(["data"], rec2[0].Parameters["growth"]);
    }

    [Fact]
    public void PatentsAdjusted_ByHand_LogOptional_LastYearDefaultsToTheData()
    {
        var (p, rec) = Run(S("pat_adj", "patents_adjusted", A("patents", "pat"), A("grant_lag_shares", "0.5", "0.3", "0.2")));
        // 2020 rows are the last year (share τ0 = 0.5), 2019 rows have one more year (τ0 + τ1 = 0.8).
        Near([Math.Log(1 + 10 / 0.8), Math.Log(21), Math.Log(1 + 20 / 0.8), Math.Log(61), Math.Log(1 + 5 / 0.8), Math.Log(11)], Col(p, "pat_adj"));
        Assert.Equal(["2020"], rec[0].Parameters["last_year"]);
        Assert.Equal(["true"], rec[0].Parameters["log"]);
        var (q, _) = Run(S("pat_adj", "patents_adjusted", A("patents", "pat"), A("grant_lag_shares", "0.5", "0.3", "0.2"), A("log", "false"), A("last_year", "2021")));
        // One more year of grants everywhere: 2020 rows 0.8, 2019 rows 1.
        Near([10, 12.5, 20, 37.5, 5, 6.25], Col(q, "pat_adj"));
    }

    [Fact]
    public void LogLagInteractWinsorize_ByHand()
    {
        var (p, rec) = Run(
            S("ln_x", "log", A("column", "x")),
            S("ln1_z", "log", A("column", "z"), A("offset", "1")),
            S("l_x", "lag", A("column", "x")),
            S("f_x", "lag", A("column", "x"), A("k", "-1")),
            S("xz", "interact", A("columns", "x", "z")),
            S("xz_c", "interact", A("columns", "x", "z"), A("centre", "true")),
            S("x_w", "winsorize", A("column", "x"), A("limits", "20", "80")),
            S("x_wy", "winsorize", A("column", "x"), A("limits", "40", "60"), A("per_period", "true")));
        Near([.. new[] { 1.0, 2, 3, 4, 5, 6 }.Select(v => Math.Log(v))], Col(p, "ln_x"));
        Near([Math.Log(5), Math.Log(4), Math.Log(3), Math.Log(2), 0, Math.Log(6)], Col(p, "ln1_z"));
        Near([double.NaN, 1, double.NaN, 3, double.NaN, 5], Col(p, "l_x"));
        Near([2, double.NaN, 4, double.NaN, 6, double.NaN], Col(p, "f_x"));
        Near([4, 6, 6, 4, 0, 30], Col(p, "xz"));
        // Pooled means x̄ = 3.5, z̄ = 2.5.
        Near([-3.75, -0.75, 0.25, -0.75, -3.75, 6.25], Col(p, "xz_c"));
        Assert.Contains(rec[5].Notes, n => n.Contains("x = 3.5", StringComparison.Ordinal) && n.Contains("z = 2.5", StringComparison.Ordinal));
        // 6 values 1..6: the 20th percentile is the 2nd order statistic (6·0.2 = 1.2), the 80th the 5th.
        Near([2, 2, 3, 4, 5, 5], Col(p, "x_w"));
        // Per year: 2019 {1, 3, 5} and 2020 {2, 4, 6}; the 40th and 60th percentiles are both the median.
        Near([3, 4, 3, 4, 3, 4], Col(p, "x_wy"));
        Assert.Equal(["1"], rec[2].Parameters["k"]);
        Assert.Equal(["1", "99"], Derivation.Apply(P(), [S("w", "winsorize", A("column", "x"))]).Records[0].Parameters["limits"]);
    }

    [Fact]
    public void Translog_ExactTranslogData_AllocationByHand()
    {
        // ln M is exactly a translog in ln E, ln C, so OLS recovers φ and M̂ = M.
        double[] phi = [0.3, 0.5, 0.4, -0.06, 0.02, 0.05];
        var lines = new List<string> { "u,t,m,e,c,w,r" };
        var rows = new List<(double M, double E, double C, double W, double R)>();
        for (int i = 0; i < 12; i++)
        {
            double e = 5 + 3 * i, c = 10 + 7 * ((i * 5) % 12) + i, w = 1 + 0.1 * i, r = 0.05 + 0.01 * (i % 4);
            double le = Math.Log(e), lc = Math.Log(c);
            double m = Math.Exp(phi[0] + phi[1] * le + phi[2] * lc + 0.5 * phi[3] * le * le + 0.5 * phi[4] * lc * lc + phi[5] * le * lc);
            rows.Add((m, e, c, w, r));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"u{i:D2},2020,{m:R},{e:R},{c:R},{w:R},{r:R}"));
        }
        var panel = P(string.Join("\n", lines));
        var (p, rec) = Derivation.Apply(panel, [S("alloc", "translog_allocation", A("output", "m"), A("labour", "e"), A("capital", "c"), A("wage", "w"), A("rate", "r"), A("distortions", "true"))]);
        Assert.Equal(["alloc", "alloc_labour_distortion", "alloc_capital_distortion"], rec[0].Columns);
        for (int i = 0; i < 12; i++)
        {
            var (m, e, c, w, r) = rows[i];
            double le = Math.Log(e), lc = Math.Log(c);
            double dE = (phi[1] + phi[3] * le + phi[5] * lc) * m / e / w;
            double dC = (phi[2] + phi[4] * lc + phi[5] * le) * m / c / r;
            Assert.Equal(dE, Col(p, "alloc_labour_distortion")[i], 8);
            Assert.Equal(dC, Col(p, "alloc_capital_distortion")[i], 8);
            Assert.Equal(-(dE + dC) / 2, Col(p, "alloc")[i], 8);
        }
        Assert.Contains(rec[0].Notes, n => n.StartsWith("translog φ0..φ5 = 0.3, 0.5, 0.4, -0.06, 0.02, 0.05", StringComparison.Ordinal));
    }

    [Fact]
    public void Index_Entropy_EqualsEntropyIndexBuild_WithSubIndices()
    {
        var step = S("ix", "index", A("indicators", "x:+", "z:-", "inv:+"), A("dimensions", "Growth", "Green", "Growth"), A("shift", "0.0001"), A("sub_indices", "true"));
        var (p, rec) = Run(step);
        var system = new IndicatorSystem("ix", [new Indicator("x", Direction.Positive, Path: ["Growth"]), new Indicator("z", Direction.Negative, Path: ["Green"]), new Indicator("inv", Direction.Positive, Path: ["Growth"])]);
        var direct = EntropyIndex.Build(IndexInput.From(P(), system), new EntropyOptions { Shift = 0.0001 });
        Near(direct.Score, Col(p, "ix"), 0);
        Near(direct.SubIndices["Growth"], Col(p, "ix_growth"), 0);
        Near(direct.SubIndices["Green"], Col(p, "ix_green"), 0);
        Assert.Equal(["ix", "ix_growth", "ix_green"], rec[0].Columns);
        Assert.Equal(["entropy"], rec[0].Parameters["method"]);
        Assert.Equal(["false"], rec[0].Parameters["per_period"]);
        Assert.Equal(["1"], rec[0].Parameters["scale"]);
    }

    [Fact]
    public void Index_Pca_EqualsPcaIndexBuild_SignFromEntropy()
    {
        var (p, rec) = Run(S("ix", "index", A("method", "pca"), A("indicators", "x:+", "z:-", "inv:+", "pat")));
        var system = IndicatorSystem.ParseInline("x:+,z:-,inv:+,pat:+");
        var input = IndexInput.From(P(), system);
        var direct = PcaIndex.Build(input, new PcaOptions(), EntropyIndex.Build(input).Score);
        Near(direct.Score, Col(p, "ix"), 0);
        Assert.Equal(["kaiser"], rec[0].Parameters["cumulative"]);
        Assert.Equal(["entropy"], rec[0].Parameters["reference"]);
        Assert.Equal(["x:+", "z:-", "inv:+", "pat:+"], rec[0].Parameters["indicators"]);
        Assert.Equal(direct.SignFlipped, rec[0].Notes.Any(n => n.StartsWith("PCA sign flipped", StringComparison.Ordinal)));

        // With z as the reference, a benefit-direction z makes the sign follow z.
        var (q, rec2) = Run(S("ix", "index", A("method", "pca"), A("indicators", "x", "inv"), A("cumulative", "0.99"), A("reference", "z")));
        var input2 = IndexInput.From(P(), IndicatorSystem.ParseInline("x,inv"));
        var direct2 = PcaIndex.Build(input2, new PcaOptions { CumulativeVariance = 0.99 }, Col(P(), "z"));
        Near(direct2.Score, Col(q, "ix"), 0);
        Assert.Equal(direct2.SignFlipped, rec2[0].Notes.Any(n => n.StartsWith("PCA sign flipped to correlate positively with 'z'", StringComparison.Ordinal)));
    }

    [Fact]
    public void Steps_UseEarlierColumns_InOrder_AndNeverOverwrite()
    {
        var lq = S("lq", "lq", A("sector", "dig"), A("total", "emp"));
        var ln = S("ln_lq", "log", A("column", "lq"));
        var lagged = S("l_ln_lq", "lag", A("column", "ln_lq"));
        var (p, rec) = Run(lq, ln, lagged);
        // The 2020 rows carry the 2019 location quotients 2, 0.5 and 1.
        Near([double.NaN, Math.Log(2), double.NaN, Math.Log(0.5), double.NaN, 0], Col(p, "l_ln_lq"));
        Assert.Equal(["lq", "ln_lq", "l_ln_lq"], rec.Select(r => r.Name));
        Assert.Equal(P().Frame.Columns.Count + 3, p.Frame.Columns.Count);

        var e = Assert.Throws<InputException>(() => Run(ln, lq));
        Assert.StartsWith("derive step 'ln_lq' (log): column: no column 'lq'; available: ", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InputException>(() => Run(lq, S("lq", "log", A("column", "x"))));
        Assert.Equal("derive step 'lq' (log): name: column 'lq' already exists; a derive step never overwrites a column, choose another name", e.Message);
        Assert.StartsWith("name: column 'x' already exists", Fails(S("x", "log", A("column", "z"))), StringComparison.Ordinal);
        Assert.StartsWith("name: column 'up_theil' already exists", Fails(S("up", "upgrading", A("value_added", "y1", "y2", "y3"), A("employment", "l1", "l2", "l3")), "up_theil"), StringComparison.Ordinal);
    }

    [Fact]
    public void DataErrors_NameTheStepAndTheRow()
    {
        var e = Assert.Throws<InputException>(() => Run(S("ln_z", "log", A("column", "z"))));
        Assert.Equal("derive step 'ln_z' (log): log(z): non-positive value 0 at u 'c', t 2019 (line 6)", e.Message);
    }

    [Theory]
    [InlineData("weights: expected two non-negative numbers summing to 1 (advanced, rationalisation), found [0.3, 0.3]", "upgrading", "value_added=y1,y2,y3", "employment=l1,l2,l3", "weights=0.3,0.3")]
    [InlineData("employment: expected three employment columns: primary, secondary, tertiary, found 2", "upgrading", "value_added=y1,y2,y3", "employment=l1,l2")]
    [InlineData("advanced: expected one of tertiary/secondary, secondary/tertiary, found 'tertiary'", "upgrading", "value_added=y1,y2,y3", "employment=l1,l2,l3", "advanced=tertiary")]
    [InlineData("kind: unknown kind 'lq2'; expected one of: lq, industrial_optimisation, upgrading, translog_allocation, capital_stock, patents_adjusted, log, lag, interact, winsorize, index, expr, deflate", "lq2")]
    [InlineData("total: missing", "lq", "sector=dig")]
    [InlineData("sector: expected one value, found a list of 2", "lq", "sector=dig,emp", "total=emp")]
    [InlineData("totl: unknown parameter of kind 'lq'; expected one of: sector, total", "lq", "sector=dig", "total=emp", "totl=emp")]
    [InlineData("k: expected a non-zero number of periods (negative for a lead), found 0", "lag", "column=x", "k=0")]
    [InlineData("k: expected an integer, found '1.5'", "lag", "column=x", "k=1.5")]
    [InlineData("centre: expected true or false, found 'maybe'", "interact", "columns=x,z", "centre=maybe")]
    [InlineData("columns: expected two columns [a, b], found 3", "interact", "columns=x,z,pat")]
    [InlineData("limits: expected two percentiles [lower, upper] with 0 <= lower < upper <= 100, found [99, 1]", "winsorize", "column=x", "limits=99,1")]
    [InlineData("depreciation: expected a rate in (0, 1) such as 0.096, found 9.6", "capital_stock", "investment=inv", "price_index=price", "depreciation=9.6")]
    [InlineData("growth: expected 'data' (each unit's average growth of real investment) or a rate such as 0.1384, found 'fast'", "capital_stock", "investment=inv", "price_index=price", "growth=fast")]
    [InlineData("grant_lag_shares: expected the shares τ_0, τ_1, … of patents granted 0, 1, … years after application, non-negative and summing to 1, found [0.5, 0.3]", "patents_adjusted", "patents=pat", "grant_lag_shares=0.5,0.3")]
    [InlineData("indicators: 'x:up' should be CODE:+ (benefit) or CODE:- (cost)", "index", "indicators=x:up")]
    [InlineData("dimensions: expected one first-level dimension per indicator (2), found 1", "index", "indicators=x,z", "dimensions=A")]
    [InlineData("cumulative: applies to method pca only", "index", "indicators=x,z", "cumulative=0.8")]
    [InlineData("shift: applies to method entropy only", "index", "method=pca", "indicators=x,z", "shift=0.01")]
    [InlineData("cumulative: expected 'kaiser' (components with eigenvalue > 1) or a cumulative variance share in (0, 1] such as 0.85, found '1.5'", "index", "method=pca", "indicators=x,z", "cumulative=1.5")]
    [InlineData("sub_indices: the indicators have no dimensions (give dimensions, or a system with dimensions)", "index", "indicators=x,z", "sub_indices=true")]
    [InlineData("method: expected one of entropy, pca, found 'topsis'", "index", "method=topsis", "indicators=x")]
    public void Check_BadParameters_MessageStartsWithTheParameter(string expected, string kind, params string[] ps)
    {
        var step = new DeriveStep("new", kind, ps.ToDictionary(s => s.Split('=')[0], s => (IReadOnlyList<string>)s.Split('=')[1].Split(','), StringComparer.Ordinal));
        Assert.Equal(expected, Fails(step));
    }

    [Fact]
    public void Check_UnknownColumn_ListsTheAvailableOnes_AndBadNames()
    {
        Assert.StartsWith("sector: no column 'digital'; available: dig, emp, inv, ", Fails(S("q", "lq", A("sector", "digital"), A("total", "emp"))), StringComparison.Ordinal);
        Assert.StartsWith("name: '2x' is not a column name", Fails(S("2x", "log", A("column", "x"))), StringComparison.Ordinal);
        Assert.StartsWith("name: 'a b' is not a column name", Fails(S("a b", "log", A("column", "x"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_IsDeterministic()
    {
        DeriveStep[] steps = [S("ix", "index", A("indicators", "x", "inv", "pat")), S("xz", "interact", A("columns", "ix", "z"), A("centre", "true"))];
        var a = Derivation.Apply(P(), steps);
        var b = Derivation.Apply(P(), steps);
        Assert.Equal(Col(a.Panel, "xz"), Col(b.Panel, "xz"));
        Assert.Equal(a.Records[1].Notes, b.Records[1].Notes);
    }
}
