using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Two `de run` processes on the shipped study write the same bytes. Each .NET process seeds string hashing
/// at random, so anything that enumerates a hash-ordered collection into a file (the FE rows of a table once
/// did) differs between them; tests inside one process cannot see that.
/// </summary>
public class CrossProcessIdentityTests
{
    /// <summary>The `de` built next to the tests (the client project is referenced, so de.dll, its deps and runtimeconfig are copied here).</summary>
    private static string DeDll => Path.Combine(AppContext.BaseDirectory, "de.dll");

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";

    private static Process Start(string study, string outDir)
    {
        var psi = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { DeDll, "run", study, "--out", outDir }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("DE_REDIS");
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Dotnet} {DeDll}");
    }

    [Fact]
    public async Task TwoProcesses_SameStudy_EveryFileByteIdentical_ButTheManifestTimings()
    {
        string study = Path.Combine(AppContext.BaseDirectory, "shipped", "studies", "city_nqpf.yaml");
        var root = Directory.CreateTempSubdirectory("de-identity-");
        try
        {
            string a = Path.Combine(root.FullName, "a"), b = Path.Combine(root.FullName, "b");
            using var pa = Start(study, a);
            using var pb = Start(study, b);
            var outputs = await Task.WhenAll(new[] { pa, pb }.Select(async p =>
            {
                var err = p.StandardError.ReadToEndAsync();
                string o = await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
                Assert.True(p.ExitCode == 0, $"de run exited {p.ExitCode}: {await err}");
                return o;
            }));
            string runA = De.RunDir(outputs[0]), runB = De.RunDir(outputs[1]);
            Assert.Equal(Path.GetFileName(runA), Path.GetFileName(runB));
            string[] Files(string dir) => [.. Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)];
            var files = Files(runA);
            Assert.Equal(files, Files(runB));
            // Tables in every format, Parquet, charts, the report and the paper (the test machine has xelatex) are all there to compare.
            foreach (var must in new[] { "tables/specifications.docx", "tables/stepwise.tex", "specs.parquet", "analyses.parquet", "plots/specification_curve.png", "plots/specification_curve.svg", "report.html", "report.md", "paper.docx", "paper.tex", "paper.pdf" })
                Assert.Contains(must, files);
            // The report's header shows when each run started and ended (issue 28 point 9): those two lines may differ.
            static string Timeless(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME");
            bool Same(string f) => f is "report.html" or "report.md"
                ? Timeless(File.ReadAllText(Path.Combine(runA, f))) == Timeless(File.ReadAllText(Path.Combine(runB, f)))
                : File.ReadAllBytes(Path.Combine(runA, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runB, f)));
            var differ = files.Where(f => f != "manifest.json" && !Same(f)).ToList();
            Assert.True(differ.Count == 0, "files that differ between the two processes: " + string.Join(", ", differ));

            JsonObject Manifest(string dir)
            {
                var m = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!.AsObject();
                Assert.True(m.Remove("timings_ms"), "manifest.json has no timings_ms");
                Assert.True(m.Remove("started_utc") && m.Remove("finished_utc"), "manifest.json has no started_utc and finished_utc");
                return m;
            }
            Assert.Equal(Manifest(runA).ToJsonString(), Manifest(runB).ToJsonString());
        }
        finally { root.Delete(true); }
    }
}
