using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>arrow-rs (the Rust parquet crate, via parquet-wasm in tests/interop) as a second independent reader and writer.</summary>
internal static class ArrowRs
{
    public sealed record Result(string File, int Rows, string[] Types, string?[][] Columns);

    /// <summary>Reads the files with arrow-rs (tests/interop/arrowrs.mjs); any error fails the test.</summary>
    public static IReadOnlyList<Result> Read(params string[] files)
    {
        var (output, err, code) = Node("arrowrs.mjs", files);
        Assert.True(code == 0, err);
        Assert.True(err.Length == 0, $"arrow-rs wrote to stderr: {err}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Length, lines.Length);
        return lines.Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            Assert.False(r.TryGetProperty("error", out var e), $"{r.GetProperty("file")}: arrow-rs error {e}");
            return new Result(r.GetProperty("file").GetString()!, r.GetProperty("rows").GetInt32(),
                r.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                r.GetProperty("values").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToArray()).ToArray());
        }).ToList();
    }

    /// <summary>Writes a file with arrow-rs from an Arrow table of every common type (tests/interop/arrow_write.mjs).</summary>
    public static void WriteTypes(string path)
    {
        var (_, err, code) = Node("arrow_write.mjs", [path]);
        Assert.True(code == 0, err);
    }

    private static (string Out, string Err, int Code) Node(string script, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("node", [script, .. args]) { WorkingDirectory = Duck.InteropDir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), $"node {script} did not finish");
        return (stdout.Result, err, p.ExitCode);
    }
}
