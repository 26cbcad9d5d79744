using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// The Chow-type test in the fully interacted model against R (groupdiff.R → groupdiff.csv: lm with the
/// slopes × group and the state and year × group dummies, sandwich 3.0-2), on Produc with two groups
/// (regions 1–4 vs 5–9) and three (1–3, 4–6, 7–9).
/// </summary>
public class GroupDifferenceTests
{
    internal static readonly Panel Produc = WithGroups(LoadPanel("Produc.csv", "state", "year"));
    internal static readonly string[] Terms = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];
    private const string Within = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year";
    private const string Pooled = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";

    private static Panel WithGroups(Panel p)
    {
        var region = p.Frame.Numeric("region");
        p = p.WithColumn("g2", region.Select(r => r <= 4 ? 1.0 : 2.0).ToArray());
        return p.WithColumn("g3", region.Select(r => r <= 3 ? 1.0 : r <= 6 ? 2.0 : 3.0).ToArray());
    }

    private sealed record Row(string Case, string Vcov, string Kind, string Term, string Groups, double Estimate, double Se, double Stat, double P, int Df1, int Df2);

    private static readonly List<Row> Reference = File.ReadAllLines(PathOf("groupdiff.csv")).Skip(1).Select(l =>
    {
        var f = l.Split(',');
        double D(string s) => s == "NA" ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
        return new Row(f[0], f[1], f[2], f[3], f[4], D(f[5]), D(f[6]), D(f[7]), D(f[8]), int.Parse(f[9], CultureInfo.InvariantCulture), int.Parse(f[10], CultureInfo.InvariantCulture));
    }).ToList();

    private static EstimationOptions Options(string vcov) => new()
    {
        // vcovCL(type = "HC1") on lm with dummies is the LSDV convention: K = slopes + absorbed levels.
        Vcov = vcov switch { "iid" => VcovSpec.Iid, "hc1" => VcovSpec.Hc1, _ => VcovSpec.Cluster("state") with { Convention = SmallSample.Lsdv } },
        Collinear = CollinearPolicy.Error,
    };

    [Theory]
    [InlineData("fe2", "iid")]
    [InlineData("fe2", "hc1")]
    [InlineData("fe2", "cluster")]
    [InlineData("fe3", "iid")]
    [InlineData("fe3", "hc1")]
    [InlineData("fe3", "cluster")]
    [InlineData("ols2", "iid")]
    [InlineData("ols2", "hc1")]
    [InlineData("ols2", "cluster")]
    public void Chow_FullyInteractedModel_MatchesRLmWithSandwich(string model, string vcov)
    {
        string group = model == "fe3" ? "g3" : "g2";
        var r = GroupDifference.Chow(Produc, Formula.Parse(model.StartsWith("fe", StringComparison.Ordinal) ? Within : Pooled), group, null, Options(vcov));
        var rows = Reference.Where(x => x.Case == model).ToList();
        var n = rows.Single(x => x.Kind == "n");
        Assert.Equal((int)n.Estimate, r.Interacted.N);
        Assert.Equal((int)n.Stat, r.Interacted.DfResid);
        Assert.Equal(Terms, r.Terms);
        Assert.Equal(model == "fe3" ? ["1", "2", "3"] : new[] { "1", "2" }, r.Groups);
        int checkedRows = 0;
        foreach (var x in rows.Where(x => x.Vcov == vcov))
        {
            string what = $"{model} {vcov} {x.Kind} {x.Term} {x.Groups}";
            switch (x.Kind)
            {
                case "coef":
                    var c = r.Coefficients.Single(c => c.Term == x.Term && c.Group == x.Groups).Coefficient;
                    Close(x.Estimate, c.Estimate, 1e-8, what);
                    Close(x.Se, c.StdError, 1e-8, what);
                    Close(x.P, c.PValue, 1e-8, what + " p");
                    Assert.Equal(x.Df2, r.Interacted.DfTests);
                    break;
                case "diff":
                    var pair = x.Groups.Split('-');
                    var d = r.Differences.Single(d => d.Term == x.Term && d.First == pair[0] && d.Second == pair[1]);
                    Close(x.Estimate, d.Difference, 1e-8, what);
                    Close(x.Se, d.StdError, 1e-8, what);
                    Close(x.Stat, d.Statistic, 1e-8, what);
                    Close(x.P, d.PValue, 1e-8, what + " p");
                    break;
                case "wald":
                    var t = x.Term == "ALL" ? r.JointTest : r.TermTests.Single(t => t.Term == x.Term).Test;
                    Assert.Equal("Wald F", t.Name);
                    Close(x.Estimate, t.Statistic, 1e-8, what);
                    Close(x.P, t.PValue, 1e-8, what + " p");
                    Assert.Equal(x.Df1, t.Df1);
                    Assert.Equal(x.Df2, t.Df2);
                    break;
            }
            checkedRows++;
        }
        int g = r.Groups.Count;
        Assert.Equal(4 * g + 4 * g * (g - 1) / 2 + 5, checkedRows);
    }

    [Fact]
    public void Wald_AllSlopesZero_EqualsTheFitsOwnWaldTest()
    {
        var fit = Estimation.Fit(Produc, Within, new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        var eye = new double[4, 4];
        for (int i = 0; i < 4; i++) eye[i, i] = 1;
        var w = Estimation.Wald(fit, eye);
        Close(fit.WaldTest!.Statistic, w.Statistic, 1e-12, "F");
        Close(fit.WaldTest.PValue, w.PValue, 1e-12, "p");
        Assert.Equal(fit.WaldTest.Df2, w.Df2);
        // A restriction with a value: b_pcap = b_pc  <=>  b_pcap − b_pc − 0 = 0, and t² = F for one restriction.
        var one = new double[1, 4];
        one[0, 0] = 1; one[0, 1] = -1;
        var t = Estimation.Wald(fit, one, [0.1]);
        double diff = fit.Coefficients[0].Estimate - fit.Coefficients[1].Estimate - 0.1;
        double v = fit.Covariance[0][0] + fit.Covariance[1][1] - 2 * fit.Covariance[0][1];
        Close(diff * diff / v, t.Statistic, 1e-12, "t²");
    }

    [Fact]
    public void Chow_BadInput_OneLineMessages()
    {
        var f = Formula.Parse(Within);
        Assert.Contains("group column 'nope' is not in", Assert.Throws<InputException>(() => GroupDifference.Chow(Produc, f, "nope")).Message);
        Assert.Contains("a group difference needs at least two", Assert.Throws<InputException>(() => GroupDifference.Chow(Produc.WithColumn("one", new double[Produc.RowCount]), f, "one")).Message);
        var lone = Produc.WithColumn("lone", Produc.UnitCode.Select(u => u == 0 ? 1.0 : 0.0).ToArray());
        Assert.Contains("has 1 unit (state); each group needs at least 2", Assert.Throws<InputException>(() => GroupDifference.Chow(lone, f, "lone")).Message);
        Assert.Contains("term 'hwy' is not a regressor", Assert.Throws<InputException>(() => GroupDifference.Chow(Produc, f, "g2", ["hwy"])).Message);
        var byYear = Produc.WithColumn("late", Produc.Time.Select(t => t >= 1980 ? 1.0 : 0.0).ToArray());
        Assert.Contains("varies within state", Assert.Throws<InputException>(() => GroupDifference.Observe(byYear, f, "late", ["unemp"])).Message);
        Assert.Contains("IV part", Assert.Throws<InputException>(() => GroupDifference.Chow(Produc, Formula.Parse("log(gsp) ~ unemp | state | log(emp) ~ log(hwy)"), "g2")).Message);
    }
}

/// <summary>
/// The Fisher permutation test against an independent slow implementation with the same streams: the
/// labels shuffled here (Fisher–Yates written again), the permuted column added to the panel, the fully
/// interacted model refitted by Estimation.Fit with explicit product columns, d* = b_1 − b_2.
/// </summary>
public class GroupPermutationTests
{
    private static readonly Panel Produc = GroupDifferenceTests.Produc;
    private static readonly Formula Within = Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year");
    private const long Seed = 42;
    private const string Key = "groupdiff/test";

    /// <summary>The slow statistic of permutation r for every term: one interacted fit on the whole panel.</summary>
    private static double[] Slow(string group, int r, out int[] unitLabels)
    {
        var col = Produc.Frame.Numeric(group);
        var levels = col.Distinct().Order().ToArray();
        var labels = new int[Produc.UnitCount];
        for (int u = 0; u < labels.Length; u++) labels[u] = Array.IndexOf(levels, col[Produc.UnitStart[u]]);
        var rng = CounterRng.InFamily(CounterRng.Family(Seed, Key), r);
        for (int i = labels.Length - 1; i >= 1; i--)
        {
            int j = rng.NextInt(i + 1);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        unitLabels = labels;
        var pg = Produc.UnitCode.Select(u => (double)labels[u]).ToArray();
        var panel = Produc.WithColumn("pg", pg);
        var terms = GroupDifferenceTests.Terms;
        var names = new List<string>();
        for (int t = 0; t < terms.Length; t++)
        {
            var x = Formula.Parse("y ~ " + terms[t]).Regressors[0].Evaluate(Produc);
            for (int h = 0; h < levels.Length; h++)
            {
                string name = $"x{t}_{h}";
                panel = panel.WithColumn(name, x.Select((v, i) => pg[i] == h ? v : 0.0).ToArray());
                names.Add(name);
            }
        }
        var fit = Estimation.Fit(panel, $"log(gsp) ~ {string.Join(" + ", names)} | state + year^pg", new EstimationOptions { Collinear = CollinearPolicy.Error });
        return terms.Select((_, t) =>
        {
            var b = Enumerable.Range(0, levels.Length).Select(h => fit[$"x{t}_{h}"].Estimate).ToArray();
            return levels.Length == 2 ? b[0] - b[1] : b.Max() - b.Min();
        }).ToArray();
    }

    [Theory]
    [InlineData("g2", 1000)]
    [InlineData("g3", 200)]
    public void Draws_EqualSlowInteractedRefits_AndPValuesAreIdentical(string group, int b)
    {
        var terms = GroupDifferenceTests.Terms;
        var observed = GroupDifference.Observe(Produc, Within, group, terms);
        var chow = GroupDifference.Chow(Produc, Within, group);
        // The observed group coefficients equal the fully interacted model's.
        for (int t = 0; t < terms.Length; t++)
            for (int h = 0; h < observed.Groups.Count; h++)
                Close(chow.Coefficients.Single(c => c.Term == terms[t] && c.Group == observed.Groups[h]).Coefficient.Estimate, observed.GroupEstimates[t][h], 1e-9, $"{terms[t]} {h}");
        var block = GroupDifference.Draws(Produc, Within, group, terms, null, Seed, Key, 0, b);
        var slow = new double[terms.Length][];
        for (int t = 0; t < terms.Length; t++) slow[t] = new double[b];
        Parallel.For(0, b, r =>
        {
            var s = Slow(group, r, out _);
            for (int t = 0; t < terms.Length; t++) slow[t][r] = s[t];
        });
        var tests = GroupDifference.Combine(observed, [block]);
        for (int t = 0; t < terms.Length; t++)
        {
            for (int r = 0; r < b; r++) Close(slow[t][r], block.Draws[t][r], 1e-7, $"{terms[t]} permutation {r}");
            double d = observed.Values[t];
            int atLeast = slow[t].Count(x => Math.Abs(x) >= Math.Abs(d));
            int upper = slow[t].Count(x => x >= d);
            var test = tests[t];
            Assert.Equal(b, test.Permutations);
            Assert.Equal(0, test.Failed);
            Assert.Equal(atLeast, test.AtLeast);
            Assert.Equal(upper, test.AtLeastUpper);
            Assert.Equal((1.0 + atLeast) / (1 + b), test.PValue);
            Assert.Equal((1.0 + upper) / (1 + b), test.PValueUpper);
            Assert.Equal((double)upper / b, test.ShareUpper);
        }
        // Every permutation keeps the number of units per group.
        Slow(group, 7, out var labels);
        for (int h = 0; h < observed.Groups.Count; h++) Assert.Equal(observed.UnitsPerGroup[h], labels.Count(l => l == h));
        // The statistics are not all degenerate: the test can reject or not.
        Assert.Contains(tests, x => x.PValue < 0.05);
        Assert.Contains(tests, x => x.PValue > 0.2);
    }

    [Fact]
    public void Draws_BlocksOf97InAnyOrder_EqualOneBlockOf1000()
    {
        var terms = new[] { "log(emp)", "unemp" };
        var whole = GroupDifference.Draws(Produc, Within, "g2", terms, null, Seed, Key, 0, 1000);
        var blocks = new List<PermutationBlock>();
        for (int first = 0; first < 1000; first += 97)
            blocks.Add(GroupDifference.Draws(Produc, Within, "g2", terms, null, Seed, Key, first, Math.Min(97, 1000 - first)));
        blocks.Reverse();
        var observed = GroupDifference.Observe(Produc, Within, "g2", terms);
        Assert.Equal(GroupDifference.Combine(observed, [whole]), GroupDifference.Combine(observed, blocks));
        foreach (var blk in blocks)
            for (int t = 0; t < terms.Length; t++)
                for (int i = 0; i < blk.Count; i++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(whole.Draws[t][blk.First + i]), BitConverter.DoubleToInt64Bits(blk.Draws[t][i]));
        // The one-call form is the same test.
        var (_, oneCall) = GroupDifference.Permutation(Produc, Within, "g2", terms, null, new PermutationOptions { Seed = Seed, Key = Key });
        Assert.Equal(GroupDifference.Combine(observed, [whole]), oneCall);
        // A gap or an overlap is refused.
        Assert.Throws<ArgumentException>(() => GroupDifference.Combine(observed, blocks.Where(x => x.First != 97)));
        Assert.Throws<ArgumentException>(() => GroupDifference.Combine(observed, [whole, blocks[^1]]));
    }
}
