using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Store;
using MathNet.Numerics.Distributions;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The cluster bootstrap of a·b in a Baron–Kenny mediation analysis (issue 11 point 1): the run's intervals equal
/// `de mediate --bootstrap --json` and <see cref="Mediation.Bootstrap"/> with the same seed, stream key and replicates on the run's own dataset.csv, the
/// percentile limits equal a hand computation from independently refitted draws, and blocks of any size give the same bytes.
/// </summary>
public class MediationBootstrapRunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-medboot-{Environment.ProcessId}");
    private const int Seed = 11, Replicates = 40;

    private static string RunStudy(string name, int chunk)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "med.yaml");
        File.WriteAllText(path, $$"""
            name: med
            seed: {{Seed}}
            dataset:
              path: {{Studies.DataPath}}
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
            baseline:
              outcome: hqd_index
              treatment: de_index
              controls: [gov, market, lngdp, fin]
              fe: province + year
              vcov: cluster:province
            analyses:
              - name: bk
                type: mediation
                style: baron_kenny
                mediators: [fin, rd_gdp]
                bootstrap: { replicates: {{Replicates}}, level: 0.9, chunk: {{chunk}} }
            """);
        var (code, output, err) = De.Run("run", path, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    private static double Quantile7(double[] sorted, double p)
    {
        // R's type 7 written out here, not taken from core: the test checks core's summary against it.
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 >= sorted.Length ? sorted[^1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    [Fact]
    public async Task TheIntervalOfAB_EqualsMediationBootstrapAndAHandComputation_WhateverTheBlocks()
    {
        string run = RunStudy("chunk7", 7);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double? Cell(string key, int column) => cells.Single(c => c.Table == "bk" && c.RowKey == key && c.Column == column).Value;
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(run, "dataset.csv")), "province", "year");
        var options = new EstimationOptions { Vcov = VcovSpec.Parse("cluster:province") };
        var total = Core.Formulas.Formula.Parse("hqd_index ~ de_index + gov + market + lngdp | province + year");
        string[] mediators = ["fin", "rd_gdp"];
        for (int k = 0; k < mediators.Length; k++)
        {
            string m = mediators[k];
            int column = 3 + 2 * k; // (1) Y on X, then per mediator M on X and Y on X and M: the interval sits under the latter.
            // The stream is keyed by analysis and mediator.
            var expected = Mediation.Bootstrap(panel, total, new Core.Formulas.VarExpr(m), Replicates, Seed, options, key: $"bk/{m}", level: 0.9).Indirect;
            Assert.Equal(expected.PercentileLow, Cell("boot_pct_low", column));
            Assert.Equal(expected.PercentileHigh, Cell("boot_pct_high", column));
            Assert.Equal(expected.BiasCorrectedLow, Cell("boot_bc_low", column));
            Assert.Equal(expected.BiasCorrectedHigh, Cell("boot_bc_high", column));
            Assert.Equal(Replicates, Cell("boot_replicates", column));
            // The one-off command on the run's own data with the analysis's stream gives the same interval.
            var (code, json, err) = De.Run("mediate", "--data", Path.Combine(run, "dataset.csv"), "--unit", "province", "--time", "year", "--y", "hqd_index", "--x", "de_index",
                "--m", m, "--controls", "gov,market,lngdp", "--fe", "province + year", "--vcov", "cluster:province", "--bootstrap", $"{Replicates}", "--seed", $"{Seed}",
                "--stream-key", $"bk/{m}", "--level", "0.9", "--json");
            Assert.True(code == 0, err);
            using (var doc = JsonDocument.Parse(json))
            {
                var boot = doc.RootElement.GetProperty("bootstrap");
                Assert.Equal(boot.GetProperty("percentile_low").GetDouble(), Cell("boot_pct_low", column));
                Assert.Equal(boot.GetProperty("percentile_high").GetDouble(), Cell("boot_pct_high", column));
                Assert.Equal(boot.GetProperty("bias_corrected_low").GetDouble(), Cell("boot_bc_low", column));
                Assert.Equal(boot.GetProperty("bias_corrected_high").GetDouble(), Cell("boot_bc_high", column));
                Assert.Equal(Replicates, boot.GetProperty("replicates").GetInt32());
            }
            // By hand: replicate r resamples provinces from stream (seed, "bk/M", r) and refits both paths from their formulas.
            var draws = new double[Replicates];
            for (int r = 0; r < Replicates; r++)
            {
                var sample = ClusterBootstrap.Resample(panel, Seed, $"bk/{m}", r);
                double a = Estimation.Fit(sample, $"{m} ~ de_index + gov + market + lngdp | province + year", options)["de_index"].Estimate;
                double b = Estimation.Fit(sample, $"hqd_index ~ de_index + {m} + gov + market + lngdp | province + year", options)[m].Estimate;
                draws[r] = a * b;
            }
            var sorted = draws.Order().ToArray();
            Assert.Equal(Quantile7(sorted, 0.05), Cell("boot_pct_low", column)!.Value, 1e-15);
            Assert.Equal(Quantile7(sorted, 0.95), Cell("boot_pct_high", column)!.Value, 1e-15);
            double est = Estimation.Fit(panel, $"{m} ~ de_index + gov + market + lngdp | province + year", options)["de_index"].Estimate
                * Estimation.Fit(panel, $"hqd_index ~ de_index + {m} + gov + market + lngdp | province + year", options)[m].Estimate;
            double z0 = Normal.InvCDF(0, 1, draws.Count(d => d < est) / (double)Replicates), z = Normal.InvCDF(0, 1, 0.05);
            Assert.Equal(Quantile7(sorted, Normal.CDF(0, 1, 2 * z0 + z)), Cell("boot_bc_low", column)!.Value, 1e-15);
            Assert.Equal(Quantile7(sorted, Normal.CDF(0, 1, 2 * z0 - z)), Cell("boot_bc_high", column)!.Value, 1e-15);
            Assert.True(Cell("boot_pct_low", column) < Cell("boot_pct_high", column));
        }
        // Other columns have no interval.
        Assert.Null(Cell("boot_pct_low", 1));
        Assert.Null(Cell("boot_pct_low", 2));
        string md = File.ReadAllText(Path.Combine(run, "tables", "bk.md"));
        Assert.Contains("a·b bootstrap CI, percentile: lower", md, StringComparison.Ordinal);
        Assert.Contains("90% intervals of a·b: pairs cluster bootstrap", md, StringComparison.Ordinal);

        // One block of 40 against blocks of 7: the same bytes.
        string one = RunStudy("chunk60", 60);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "analyses.parquet")), File.ReadAllBytes(Path.Combine(one, "analyses.parquet")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "tables", "bk.md")), File.ReadAllBytes(Path.Combine(one, "tables", "bk.md")));
    }
}
