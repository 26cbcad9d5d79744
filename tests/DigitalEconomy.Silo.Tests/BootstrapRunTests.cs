using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Core.Tests.Resampling;
using DigitalEconomy.Store;
using MathNet.Numerics.Distributions;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The bootstrap of any specification (issue 13, point 3), embedded: every selected specification's interval columns
/// in specs.parquet against independent computations in the test.
/// </summary>
public class BootstrapRunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-bootspecs-{Environment.ProcessId}");
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int Seed = 11;

    /// <summary>A study over the provinces: de_index on hqd_index with two-way FE; <paramref name="grid"/> the varying dimensions.</summary>
    private static string Study(string dir, string grid, string bootstrap)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "boot.yaml");
        File.WriteAllText(path, $"""
            name: boot
            seed: {Seed}
            batch_size: 3
            dataset:
              path: {Studies.DataPath}
              unit: province
              time: year
              region: region
            indices:
              - name: hqd_index
                system: hqd
                shift: 0.0001
              - name: de_index
                system: de
                shift: 0.0001
            grid:
              treatment: de_index
              outcomes: [hqd_index]
              fixed_effects: ["province + year"]
            {grid}
            bootstrap: {bootstrap}

            """);
        return path;
    }

    private static string RunStudy(string study, string outDir)
    {
        var (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        return De.RunDir(output);
    }

    private const string PairsGrid = """
          controls:
            none: []
            full: [gov, market]
          samples:
            all: null
            east: "region == East"
          lag: [false, true]
          vcov: ["cluster:province"]
        """;

    private static readonly Dictionary<string, string?> Filters = new(StringComparer.Ordinal) { ["all"] = null, ["east"] = "region == East" };

    private static double Quantile7(double[] sorted, double p)
    {
        // R's type 7, written out here rather than taken from core: the test checks core's summary against it.
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 >= sorted.Length ? sorted[^1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    private static void Close(double expected, double? actual, string what) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, found {actual?.ToString("R", Inv) ?? "null"}");

    [Fact]
    public async Task Pairs_AllSpecifications_EachIntervalEqualsAnIndependentResampleRefitAndFormula_WhateverTheChunk()
    {
        const int reps = 20;
        string dir7 = RunStudy(Study(Path.Combine(Root, "p7"), PairsGrid, $"{{ specs: all, replicates: {reps}, chunk: 7 }}"), Path.Combine(Root, "p7", "out"));
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(dir7, "specs.parquet"));
        var boot = await ResultTables.Bootstrap.ReadFileAsync(Path.Combine(dir7, "bootstrap.parquet"));
        Assert.Equal(8, rows.Count);
        Assert.Equal(8 * reps, boot.Count);
        Assert.Equal(8 * 3, Directory.GetFiles(Path.Combine(dir7, "bootstrap"), "part-*.parquet").Length);
        Assert.Equal(boot.OrderBy(b => b.SpecId, StringComparer.Ordinal).ThenBy(b => b.Replicate).Select(b => (b.SpecId, b.Replicate)), boot.Select(b => (b.SpecId, b.Replicate)));
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(dir7, "dataset.csv")), "province", "year");
        double za = Normal.InvCDF(0, 1, 0.025);
        foreach (var row in rows)
        {
            var options = new EstimationOptions { Vcov = VcovSpec.Parse(row.Vcov), Filters = Filters[row.Sample] is { } f ? [RowFilter.Parse(f)] : [] };
            double est = Estimation.Fit(panel, row.Formula, options)[row.Term].Estimate;
            Close(est, row.Estimate, $"{row.SpecId} estimate");
            // Replicate r: the units drawn from stream (seed, spec id, r), the specification refitted from its formula.
            var draws = new double[reps];
            for (int r = 0; r < reps; r++)
            {
                draws[r] = Estimation.Fit(ClusterBootstrap.Resample(panel, Seed, row.SpecId, r), row.Formula, options)[row.Term].Estimate;
                Close(draws[r], boot.Single(b => b.SpecId == row.SpecId && b.Replicate == r).Estimate, $"{row.SpecId} replicate {r}");
            }
            double mean = draws.Average();
            double se = Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (reps - 1));
            var sorted = draws.Order().ToArray();
            // Bias-corrected percentile interval (Efron): z0 = Φ⁻¹(share of draws below the estimate), limits at Φ(2z0 ± z).
            double z0 = Normal.InvCDF(0, 1, draws.Count(d => d < est) / (double)reps);
            Assert.Equal("pairs", row.BootMethod);
            Assert.Equal(reps, row.BootReplicates);
            Assert.Null(row.BootNote);
            Close(se, row.BootStdError, $"{row.SpecId} boot SE");
            Close(Quantile7(sorted, 0.025), row.BootPercentileLow, $"{row.SpecId} percentile low");
            Close(Quantile7(sorted, 0.975), row.BootPercentileHigh, $"{row.SpecId} percentile high");
            Close(Quantile7(sorted, Normal.CDF(0, 1, 2 * z0 + za)), row.BootBcLow, $"{row.SpecId} BC low");
            Close(Quantile7(sorted, Normal.CDF(0, 1, 2 * z0 - za)), row.BootBcHigh, $"{row.SpecId} BC high");
            Assert.Null(row.WildPValue);
        }
        // The manifest counts the specifications and shows the baseline's; the table keeps the baseline's line.
        var baseline = rows.Single(r => r is { Controls: "none", Sample: "all", Lag: "no" });
        using (var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir7, "manifest.json"))))
        {
            var b = m.RootElement.GetProperty("bootstrap");
            Assert.Equal(8, b.GetProperty("specifications").GetInt32());
            Assert.Equal(baseline.SpecId, b.GetProperty("spec_id").GetString());
            Assert.Equal(baseline.BootStdError, b.GetProperty("std_error").GetDouble());
            Assert.Equal(baseline.BootBcHigh, b.GetProperty("bc_high").GetDouble());
        }
        string md = File.ReadAllText(Path.Combine(dir7, "tables", "specifications.md"));
        Assert.Contains($"Cluster bootstrap of column (1), {reps} replicates (bootstrap.parquet): SE {baseline.BootStdError!.Value.ToString("0.0000", Inv)}, 95% percentile interval "
            + $"\\[{baseline.BootPercentileLow!.Value.ToString("0.0000", Inv)}, {baseline.BootPercentileHigh!.Value.ToString("0.0000", Inv)}\\]", md, StringComparison.Ordinal);
        Assert.Contains("8 specifications bootstrapped in all", md, StringComparison.Ordinal);

        // (c) The same study in blocks of 50: the same bytes.
        string dir50 = RunStudy(Study(Path.Combine(Root, "p50"), PairsGrid, $"{{ specs: all, replicates: {reps}, chunk: 50 }}"), Path.Combine(Root, "p50", "out"));
        Assert.Equal(8, Directory.GetFiles(Path.Combine(dir50, "bootstrap"), "part-*.parquet").Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir7, "specs.parquet")), File.ReadAllBytes(Path.Combine(dir50, "specs.parquet")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir7, "bootstrap.parquet")), File.ReadAllBytes(Path.Combine(dir50, "bootstrap.parquet")));
    }

    [Fact]
    public async Task Pairs_FilterEntries_SelectTheirSpecifications_OthersKeepNullColumns()
    {
        string dir = RunStudy(Study(Path.Combine(Root, "f"), PairsGrid, "{ specs: [\"sample == east & controls == full\", baseline], replicates: 5, chunk: 5 }"), Path.Combine(Root, "f", "out"));
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(dir, "specs.parquet"));
        var chosen = rows.Where(r => r.BootMethod is not null).Select(r => (r.Controls, r.Sample, r.Lag)).Order().ToList();
        Assert.Equal([("full", "east", "no"), ("full", "east", "yes"), ("none", "all", "no")], chosen);
        Assert.All(rows.Where(r => r.BootMethod is null), r => Assert.True(r.BootStdError is null && r.BootReplicates is null && r.BootNote is null));
        var boot = await ResultTables.Bootstrap.ReadFileAsync(Path.Combine(dir, "bootstrap.parquet"));
        Assert.Equal(15, boot.Count);
    }

    [Fact]
    public async Task Wild_EqualsCoreOnTheSamePanel_EnumeratesFourRegions_AndExplainsSpecsWithoutOneWayClusters()
    {
        const string grid = """
              controls:
                none: []
                full: [gov, market]
              samples:
                all: null
              vcov: ["cluster:region", "cluster:province", "hc1"]
            """;
        string dir = RunStudy(Study(Path.Combine(Root, "w"), grid, "{ specs: all, method: wild, replicates: 99 }"), Path.Combine(Root, "w", "out"));
        Assert.False(File.Exists(Path.Combine(dir, "bootstrap.parquet")), "the wild bootstrap has no replicates of the estimate");
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(dir, "specs.parquet"));
        Assert.Equal(6, rows.Count);
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(dir, "dataset.csv")), "province", "year");
        foreach (var row in rows)
        {
            Assert.Equal("wild", row.BootMethod);
            Assert.Null(row.BootStdError);
            if (row.Vcov == "hc1")
            {
                Assert.True(row.WildPValue is null && row.WildConfLow is null && row.WildConfHigh is null);
                Assert.Contains("needs one-way clustered errors", row.BootNote, StringComparison.Ordinal);
                continue;
            }
            var core = WildBootstrap.Run(panel, Formula.Parse(row.Formula), new EstimationOptions { Vcov = VcovSpec.Parse(row.Vcov) }, row.Term,
                new WildOptions { Replications = 99, Seed = Seed, Key = row.SpecId, Level = 0.95 });
            Assert.Equal(row.Vcov == "cluster:region", core.Enumerated);
            Assert.Equal(row.Vcov == "cluster:region" ? 16 : 99, row.BootReplicates);
            Assert.Equal(core.PValue, row.WildPValue);
            Assert.Equal(core.ConfLow, row.WildConfLow ?? double.NegativeInfinity);
            Assert.Equal(core.ConfHigh, row.WildConfHigh ?? double.PositiveInfinity);
        }
        // Full enumeration by refitting: 4 regions, all 16 sign vectors, WCR residuals from the model without de_index,
        // each y* refitted with explicit province and year dummies (the test's slow reference, no within transformation).
        var spec = rows.Single(r => r is { Vcov: "cluster:region", Controls: "none" });
        var y = panel.Frame.Numeric("hqd_index");
        var x = panel.Frame.Numeric("de_index");
        int[] Codes(string col)
        {
            var labels = Enumerable.Range(0, panel.RowCount).Select(i => panel.Frame[col].TextAt(i)!).ToList();
            var levels = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return [.. labels.Select(l => levels.IndexOf(l))];
        }
        var reference = new WildReference(y, [x], [Codes("province"), Codes("year")], Codes("region"), 0, 1.0);
        var (t, stars) = reference.Run(0, WildType.Restricted, Enumerable.Range(0, 16).Select(b => WildBootstrap.SignVector(4, b)));
        var (count, closest) = WildReference.Exceedances(t, stars);
        Assert.True(closest > 1e-6, $"a draw lies within {closest} of |t|: the count would hang on rounding");
        Assert.Equal(count / 16.0, spec.WildPValue);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var mb = m.RootElement.GetProperty("bootstrap");
        Assert.Equal("wild", mb.GetProperty("method").GetString());
        Assert.Equal(6, mb.GetProperty("specifications").GetInt32());
        Assert.Equal(spec.SpecId, mb.GetProperty("spec_id").GetString());
        Assert.True(mb.GetProperty("full_enumeration").GetBoolean());
        Assert.Contains($"Wild cluster bootstrap (WCR, rademacher weights) of column (1), H0: coefficient = 0, full enumeration of 16 sign vectors: p = {spec.WildPValue!.Value.ToString("0.000", Inv)}",
            File.ReadAllText(Path.Combine(dir, "tables", "specifications.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdOfNoSpecification_StopsTheRunBeforeAnyFit_NamingTheKeyPath()
    {
        string study = Study(Path.Combine(Root, "id"), PairsGrid, "{ specs: [baseline, \"0123456789abcdef\"], replicates: 5 }");
        var (code, _, err) = De.Run("run", study, "--out", Path.Combine(Root, "id", "out"));
        Assert.Equal(2, code);
        Assert.Contains("study key 'bootstrap.specs[1]': no specification of this run has id '0123456789abcdef'", err, StringComparison.Ordinal);
        string outDir = Path.Combine(Root, "id", "out");
        Assert.True(!Directory.Exists(outDir) || Directory.GetFiles(outDir, "part-*.parquet", SearchOption.AllDirectories).Length == 0);
    }
}
