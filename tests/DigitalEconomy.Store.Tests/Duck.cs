using System.Diagnostics;
using System.Text.Json;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// DuckDB as an independent Parquet reader and writer, through tests/interop/duck.mjs
/// (@duckdb/node-api, installed by scripts/test.sh).
/// </summary>
internal static class Duck
{
    public sealed record Result(string[] Columns, string[] Types, string?[][] Rows, string? Error);

    public static string InteropDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("DigitalEconomy.sln not found above the test binaries");
            string interop = Path.Combine(dir.FullName, "tests", "interop");
            if (!Directory.Exists(Path.Combine(interop, "node_modules", "@duckdb", "node-api")))
                throw new InvalidOperationException($"@duckdb/node-api is not installed in {interop}; run 'bash scripts/test.sh', which installs it");
            return interop;
        }
    }

    public static IReadOnlyList<Result> Run(params string[] statements)
    {
        var psi = new ProcessStartInfo("node", "duck.mjs")
        {
            WorkingDirectory = InteropDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(string.Join("\n", statements.Select(s => s.ReplaceLineEndings(" "))));
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new TimeoutException("DuckDB did not finish in 120 s"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"node duck.mjs failed ({p.ExitCode}): {err}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.TryGetProperty("error", out var e)) return new Result([], [], [], e.GetString());
            return new Result(
                r.GetProperty("columns").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                r.GetProperty("types").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                r.GetProperty("rows").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToArray()).ToArray(),
                null);
        }).ToList();
    }

    public static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
