using System.Diagnostics;
using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Grains;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Embedded runs (in-process silo on the in-memory transport).</summary>
public class RunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-run-{Environment.ProcessId}");

    [Fact]
    public void EntropyWeightsThroughRegionGrains_EqualTheSingleProcessResult()
    {
        string study = Studies.Write(Path.Combine(Root, "w"), big: false, batchSize: 10);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "w", "out"));
        Assert.True(code == 0, err);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(De.RunDir(output), "manifest.json")));
        var panel = Panel.Create(CsvReader.ReadFile(Studies.DataPath), "province", "year");
        foreach (var (index, system) in new[] { ("hqd_index", "hqd"), ("de_index", "de") })
        {
            var sys = DigitalEconomy.Client.SystemLoaderAccess.Load(system);
            var one = EntropyIndex.Build(IndexInput.From(panel, sys), new EntropyOptions { Shift = 1e-4 });
            var grains = m.RootElement.GetProperty("index_weights").GetProperty(index);
            for (int j = 0; j < sys.Indicators.Count; j++)
            {
                double w = grains.GetProperty(sys.Indicators[j].Code).GetDouble();
                Assert.True(Math.Abs(w - one.Weights.Weight[j]) <= 1e-12 * one.Weights.Weight[j], $"{index} {sys.Indicators[j].Code}: grains {w}, one pass {one.Weights.Weight[j]}");
            }
        }
    }

    [Fact]
    public void Bootstrap_IsByteIdentical_WhateverTheChunkSize()
    {
        byte[] Run(int chunk)
        {
            string study = Studies.Write(Path.Combine(Root, $"boot{chunk}"), big: false, batchSize: 16, bootstrapChunk: chunk);
            var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, $"boot{chunk}", "out"));
            Assert.True(code == 0, err);
            string dir = De.RunDir(output);
            Assert.Equal(40 / chunk, Directory.GetFiles(Path.Combine(dir, "bootstrap"), "part-*.parquet").Length);
            using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            Assert.Equal(40, m.RootElement.GetProperty("bootstrap").GetProperty("replicates").GetInt32());
            return File.ReadAllBytes(Path.Combine(dir, "bootstrap.parquet"));
        }
        Assert.Equal(Run(40), Run(5));
    }

    [Fact]
    public void CompleteRun_IsNotRecomputed_AndAnInterruptedOneResumesFromItsParts()
    {
        string study = Studies.Write(Path.Combine(Root, "resume"), big: false, batchSize: 4);
        string outDir = Path.Combine(Root, "resume", "out");
        var (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        string runDir = De.RunDir(output);
        var bytes = File.ReadAllBytes(Path.Combine(runDir, "specs.parquet"));
        (code, output, _) = De.Run("run", study, "--out", outDir);
        Assert.Equal(0, code);
        Assert.Contains("already complete", output, StringComparison.Ordinal);
        // Simulate an interruption: the run is marked running and half the parts are gone.
        string manifest = Path.Combine(runDir, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"complete\"", "\"running\"", StringComparison.Ordinal));
        var parts = Directory.GetFiles(Path.Combine(runDir, "specs"), "part-*.parquet").Order(StringComparer.Ordinal).ToArray();
        foreach (var p in parts.Take(parts.Length / 2)) File.Delete(p);
        (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains($"{parts.Length / 2} batches run, {parts.Length - parts.Length / 2} reused", output, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(runDir, "specs.parquet")));
        // The specification curve: a PNG and a well-formed SVG with its axis titles, both in the report.
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(runDir, "plots", "specification_curve.svg"));
        Assert.Contains("Specifications ranked by estimate", svg.ToString(), StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(runDir, "plots", "specification_curve.png")).Take(4));
        string report = File.ReadAllText(Path.Combine(runDir, "report.html"));
        Assert.Contains("plots/specification_curve.png", report, StringComparison.Ordinal);
        (code, output, _) = De.Run("status", runDir);
        Assert.Equal(0, code);
        Assert.Contains(": complete", output, StringComparison.Ordinal);
    }

    [Fact]
    public void StudyFileErrors_NameLineAndKey_UnknownVariablesListTheAvailableOnes()
    {
        string dir = Path.Combine(Root, "bad");
        string good = File.ReadAllText(Studies.Write(dir, big: false, batchSize: 4));
        string f = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(f, good.Replace("treatment: de_index", "treatment: digital", StringComparison.Ordinal));
        var (code, _, err) = De.Run("run", f, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Matches(@"^error: bad\.yaml: line 17, key 'grid\.treatment': unknown variable 'digital'; available: .*de_index.*gov", err.Trim());
        File.WriteAllText(f, good.Replace("batch_size:", "batchsize:", StringComparison.Ordinal));
        (code, _, err) = De.Run("run", f, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: bad.yaml: line 3, key 'batchsize': unknown key; expected one of: name, seed, batch_size", err.Trim(), StringComparison.Ordinal);
        File.WriteAllText(f, good.Replace("vcov: [\"cluster:province\", \"hc1\"]", "vcov: [\"cluster:province\", \"hc4\"]", StringComparison.Ordinal));
        (code, _, err) = De.Run("run", f, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains("key 'grid.vcov': --vcov 'hc4': expected iid, hc1, cluster:COL[,COL], hc2, hc3, cr2:COL, cr3:COL, dk or nw", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }
}

/// <summary>Spans and metrics: the tracer listens process-wide, so nothing else may run meanwhile.</summary>
[CollectionDefinition("telemetry", DisableParallelization = true)]
public sealed class TelemetryTestGroup;

[Collection("telemetry")]
public class TelemetryTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-telemetry-{Environment.ProcessId}");

    [Fact]
    public void ARun_EmitsSpansAndMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(Telemetry.Name, "Microsoft.Orleans.Application").AddInMemoryExporter(spans).Build();
        using var meter = Sdk.CreateMeterProviderBuilder().AddMeter(Telemetry.Name).AddInMemoryExporter(metrics).Build();
        string study = Studies.Write(Path.Combine(Root, "otel"), big: false, batchSize: 6);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "otel", "out"));
        Assert.True(code == 0, err);
        string runId = Path.GetFileName(De.RunDir(output));
        tracer.ForceFlush();
        meter.ForceFlush();
        // Other tests run in parallel in this process: keep the spans of this run (grain spans carry the run id).
        lock (spans) spans.RemoveAll(s => s.GetTagItem("de.run") is string id && id != runId);
        var names = spans.Select(s => s.DisplayName).ToHashSet();
        Assert.Subset(names, new HashSet<string> { "de run", "run", "run.prepare", "run.indices", "run.estimate", "run.aggregate", "run.report", "grain.specification", "grain.region.ranges", "grain.region.sums", "grain.region.score" });
        var grainSpans = spans.Where(s => s.DisplayName == "grain.specification").ToList();
        // The small grid has 2^6 = 64 specifications in 8 groups of 8 that share sample, fixed effects and
        // winsorising (2 samples × 2 FE × 2 winsor); with batches of at most 6 each group takes 2: 16 batches.
        Assert.True(grainSpans.Count == 16, string.Join("; ", grainSpans.Select(s => $"{s.GetTagItem("de.run")}/{s.GetTagItem("de.batch")}")));
        // One trace from the command through every grain call (Orleans activity propagation).
        var root = spans.Single(s => s.DisplayName == "de run" && s.GetTagItem("de.run") as string == runId);
        Assert.All(spans.Where(s => s.GetTagItem("de.run") as string == runId), s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.All(grainSpans, s => Assert.NotEqual(default, s.ParentSpanId));
        Assert.Contains(metrics, m => m.Name == "de.specifications.done");
        Assert.Contains(metrics, m => m.Name == "de.grain.latency");
        long done = 0;
        foreach (var m in metrics.Where(m => m.Name == "de.specifications.done"))
            foreach (ref readonly var p in m.GetMetricPoints()) done += p.GetSumLong();
        Assert.True(done >= 64, $"specifications counter {done}");
    }
}

public class InterpolationRunTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-interp-{Environment.ProcessId}");

    [Fact]
    public void GapsInTheYearbook_AreFilledWhenAsked_AndEveryFillIsListed()
    {
        Directory.CreateDirectory(Root);
        // Punch two interior holes into the provinces panel: Beijing 2015 gdp_growth, Hebei 2013 rd_gdp.
        var lines = File.ReadAllLines(Studies.DataPath);
        var header = lines[0].Split(',');
        int g = Array.IndexOf(header, "gdp_growth"), rd = Array.IndexOf(header, "rd_gdp");
        string Punch(string line, int col) { var f = line.Split(','); f[col] = ""; return string.Join(",", f); }
        var holes = lines.Select(l => l.StartsWith("Beijing,北京,2015,", StringComparison.Ordinal) ? Punch(l, g) : l.StartsWith("Hebei,河北,2013,", StringComparison.Ordinal) ? Punch(l, rd) : l).ToArray();
        string data = Path.Combine(Root, "holes.csv");
        File.WriteAllLines(data, holes);
        string study = Studies.Write(Path.Combine(Root, "s"), big: false, batchSize: 16);
        string text = File.ReadAllText(study).Replace(Studies.DataPath, data, StringComparison.Ordinal);
        File.WriteAllText(study, text);
        var (code, _, err) = De.Run("run", study, "--out", Path.Combine(Root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("indicator 'gdp_growth' is missing at province 'Beijing', year 2015", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "out", "small")), "a failed run leaves no empty run folder");
        File.WriteAllText(study, text.Replace("  region: region\n", "  region: region\n  interpolate: [gdp_growth, rd_gdp]\n", StringComparison.Ordinal));
        string output;
        (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "out"));
        Assert.True(code == 0, err);
        string dir = De.RunDir(output);
        var fills = File.ReadAllLines(Path.Combine(dir, "fills.csv"));
        Assert.Equal("column,province,year,value,method", fills[0]);
        Assert.Equal(3, fills.Length);
        // The fill is the midpoint of the neighbouring years (linear in time).
        var rows = lines.Select(l => l.Split(',')).ToArray();
        double Value(string p, string y, int col) => double.Parse(rows.Single(r => r[0] == p && r[2] == y)[col], System.Globalization.CultureInfo.InvariantCulture);
        string expected = ((Value("Beijing", "2014", g) + Value("Beijing", "2016", g)) / 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"gdp_growth,Beijing,2015,{expected},interpolated", fills);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        Assert.Equal(2, m.RootElement.GetProperty("interpolated_cells").GetInt32());
        Assert.Equal(data, m.RootElement.GetProperty("dataset").GetProperty("path").GetString());
    }
}
