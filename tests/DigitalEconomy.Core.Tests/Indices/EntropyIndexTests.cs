using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Indices;

/// <summary>Entropy-weight index against the R reference (entropy.json, case f).</summary>
public class EntropyIndexTests
{
    private static readonly JsonElement Ref = TestData.Ref("entropy.json");
    private static readonly string[] Codes = ["x1", "x2", "x3", "x4"];
    private static readonly IndexInput Input = IndexInput.From(
        Panel.Create(CsvReader.ReadFile(PathOf("entropy_input.csv")), "unit", "year"),
        IndicatorSystem.ParseInline("x1:+,x2:+,x3:+,x4:-"));

    [Theory]
    [InlineData("variant_A_no_shift", 0.0)]
    [InlineData("variant_B_shift", 1e-4)]
    public void Variants_MatchReference(string variant, double shift)
    {
        var r = EntropyIndex.Build(Input, new EntropyOptions { Shift = shift });
        var v = Ref.At(variant);
        for (int j = 0; j < 4; j++)
        {
            Close(v.D("weights", Codes[j]), r.Weights.Weight[j], 1e-12, $"w[{Codes[j]}]");
            Close(v.D("entropy", Codes[j]), r.Weights.Entropy[j], 1e-12, $"e[{Codes[j]}]");
            Close(v.D("divergence", Codes[j]), r.Weights.Divergence[j], 1e-12, $"d[{Codes[j]}]");
        }
        var scores = v.At("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(30, scores.Length);
        // The input file is sorted by unit then year, as the panel is.
        for (int i = 0; i < 30; i++) Close(scores[i], r.Score[i], 1e-12, $"score[{i}]");
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void Scale100_AndSubIndicesAddUpToTheScore()
    {
        var system = new IndicatorSystem("t", [
            new Indicator("x1", Direction.Positive, Path: ["A"]), new Indicator("x2", Direction.Positive, Path: ["A"]),
            new Indicator("x3", Direction.Positive, Path: ["B"]), new Indicator("x4", Direction.Negative, Path: ["B"])]);
        var input = IndexInput.FromArrays(system, Input.Columns, Input.Units, Input.Periods);
        var r = EntropyIndex.Build(input, new EntropyOptions { Scale = 100 });
        var scoresA = Ref.At("variant_A_no_shift", "scores").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < 30; i++)
        {
            Close(100 * scoresA[i], r.Score[i], 1e-12, "scaled score");
            Close(r.Score[i], r.SubIndices["A"][i] + r.SubIndices["B"][i], 1e-12, "sub-indices");
        }
    }

    [Fact]
    public void ConstantIndicator_GetsWeightZeroAndAWarning()
    {
        var constant = Enumerable.Repeat(5.0, 30).ToArray();
        var system = IndicatorSystem.ParseInline("x1,x2,flat");
        var input = IndexInput.FromArrays(system, [Input.Columns[0], Input.Columns[1], constant], Input.Units, Input.Periods);
        foreach (var shift in new[] { 0.0, 1e-4 })
        {
            var r = EntropyIndex.Build(input, new EntropyOptions { Shift = shift });
            Assert.Equal(0, r.Weights.Weight[2]);
            Assert.Equal(1, r.Weights.Weight[0] + r.Weights.Weight[1], 12);
            Assert.Contains("indicator 'flat' is constant", Assert.Single(r.Warnings), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PerPeriodNormalisation_UsesEachYearsRange()
    {
        var r = EntropyIndex.Build(Input, new EntropyOptions { Scope = NormalisationScope.PerPeriod });
        // In every year the best unit of x1 has z = 1 and the worst z = 0.
        foreach (var year in Input.Periods.Distinct())
        {
            var rows = Enumerable.Range(0, 30).Where(i => Input.Periods[i] == year).ToArray();
            Assert.Equal(1, rows.Max(i => r.Normalised[0][i]), 15);
            Assert.Equal(0, rows.Min(i => r.Normalised[0][i]), 15);
        }
    }

    [Fact]
    public void MapReduce_OverRandomPartitionsOfUnits_EqualsOnePass()
    {
        var units = Input.Units.Distinct().ToArray();
        var gen = Gen.ArrayOf(Gen.Choose(0, 3), units.Length).Select(a => a);
        foreach (var shift in new[] { 0.0, 1e-4 })
        foreach (var scope in new[] { NormalisationScope.Pooled, NormalisationScope.PerPeriod })
        {
            var options = new EntropyOptions { Shift = shift, Scope = scope };
            var one = EntropyIndex.Build(Input, options);
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(30), Prop.ForAll(Arb.From(gen), assign =>
            {
                // Regions = groups of units; each computes its partial statistics alone, in shuffled order.
                var regions = Enumerable.Range(0, 4)
                    .Select(g => Enumerable.Range(0, 30).Where(i => assign[Array.IndexOf(units, Input.Units[i])] == g).ToList())
                    .Where(rows => rows.Count > 0).Select(Input.Slice).Reverse().ToList();
                var ranges = regions.Select(s => EntropyIndex.Ranges(s, options)).Aggregate(RangeStatistics.Combine);
                var sums = regions.Select(s => EntropyIndex.Sums(s, ranges, options)).Aggregate(EntropySums.Combine);
                var w = EntropyIndex.WeightsFrom(Input.System, sums, ranges, options);
                for (int j = 0; j < 4; j++)
                    if (Math.Abs(w.Weight[j] - one.Weights.Weight[j]) > 1e-12 * one.Weights.Weight[j]) return false;
                foreach (var region in regions)
                {
                    var s = EntropyIndex.Score(region, ranges, w, options);
                    for (int i = 0; i < region.RowCount; i++)
                    {
                        int row = Enumerable.Range(0, 30).Single(k => Input.Units[k] == region.Units[i] && Input.Periods[k] == region.Periods[i]);
                        if (Math.Abs(s.Score[i] - one.Score[row]) > 1e-12 * Math.Max(1e-3, one.Score[row])) return false;
                    }
                }
                return true;
            }));
        }
    }

    [Fact]
    public void BadInput_NamesTheIndicator()
    {
        var frame = CsvReader.Read(new StringReader("u,t,a,b,c\nA,1,1,,\nA,2,2,3,\nB,1,3,4,\n"), "bad.csv");
        var panel = Panel.Create(frame, "u", "t");
        Assert.Equal("bad.csv: indicator 'zz' has no column; available columns: u, t, a, b, c",
            Assert.Throws<InputException>(() => IndexInput.From(panel, IndicatorSystem.ParseInline("a,zz"))).Message);
        Assert.Equal("bad.csv: indicator 'c' is missing in every row",
            Assert.Throws<InputException>(() => IndexInput.From(panel, IndicatorSystem.ParseInline("a,c"))).Message);
        Assert.Equal("bad.csv: indicator 'b' is missing at u 'A', t 1 (line 2), 1 missing cell(s) in all; fill gaps first: de index --interpolate, or dataset.interpolate in a study (with dataset.extrapolate: linear or growth for a series that starts late or ends early)",
            Assert.Throws<InputException>(() => IndexInput.From(panel, IndicatorSystem.ParseInline("a,b"))).Message);
        var one = Panel.Create(CsvReader.Read(new StringReader("u,t,a\nA,1,1\n"), "one.csv"), "u", "t");
        Assert.Equal("one.csv: an index needs at least two observations; the data have 1",
            Assert.Throws<InputException>(() => IndexInput.From(one, IndicatorSystem.ParseInline("a"))).Message);
    }
}
