using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Parquet.Tests;

/// <summary>arrow-rs (the Rust parquet crate, via parquet-wasm in tests/interop/arrowrs.mjs) as a third, independent reader.</summary>
internal static class ArrowRs
{
    private static readonly Dictionary<ParquetType, string> Types = new()
    {
        [ParquetType.Boolean] = "Bool", [ParquetType.Int32] = "Int32", [ParquetType.Int64] = "Int64", [ParquetType.Float] = "Float32",
        [ParquetType.Double] = "Float64", [ParquetType.String] = "Utf8", [ParquetType.Date] = "Date32<DAY>",
    };

    /// <summary>arrow-rs reads every file with the schema's types and the written values (timestamps: type and nulls).</summary>
    public static void AssertReads(IReadOnlyList<(string Path, ParquetSchema Schema, object?[][] Rows)> files)
    {
        var psi = new ProcessStartInfo("node", "arrowrs.mjs " + string.Join(" ", files.Select(f => "\"" + f.Path + "\"")))
        {
            WorkingDirectory = Duck.InteropDir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "arrow-rs did not finish");
        Assert.True(p.ExitCode == 0, err);
        Assert.Equal(files.Count, lines.Length);
        for (int k = 0; k < files.Count; k++)
        {
            using var doc = JsonDocument.Parse(lines[k]);
            var r = doc.RootElement;
            var (path, schema, rows) = files[k];
            Assert.False(r.TryGetProperty("error", out var e), $"{path}: arrow-rs error {e}");
            Assert.Equal(rows.Length, r.GetProperty("rows").GetInt32());
            var types = r.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray();
            var values = r.GetProperty("values").EnumerateArray().ToArray();
            for (int c = 0; c < schema.Fields.Count; c++)
            {
                var f = schema.Fields[c];
                if (f.Type == ParquetType.Timestamp) Assert.StartsWith("Timestamp<MICROSECOND", types[c], StringComparison.Ordinal);
                else Assert.True(Types[f.Type] == types[c], $"{path} column {f.Name}: {f.Type} read by arrow-rs as {types[c]}");
                var col = values[c].EnumerateArray().ToArray();
                for (int i = 0; i < rows.Length; i++)
                {
                    string? got = col[i].ValueKind == JsonValueKind.Null ? null : col[i].GetString();
                    object? want = rows[i][c];
                    if (want is null || got is null) { Assert.True(want is null && got is null, $"{path} row {i} column {f.Name}: null mismatch (wrote {want}, arrow-rs {got})"); continue; }
                    bool same = want switch
                    {
                        double d => Same(d, double.Parse(got, CultureInfo.InvariantCulture)),
                        float x => Same(x, double.Parse(got, CultureInfo.InvariantCulture)),
                        bool b => got == (b ? "true" : "false"),
                        DateOnly d => got == ((long)(d.DayNumber - new DateOnly(1970, 1, 1).DayNumber) * 86_400_000).ToString(CultureInfo.InvariantCulture),
                        DateTime => true,
                        IFormattable n => got == n.ToString(null, CultureInfo.InvariantCulture),
                        _ => got == (string)want,
                    };
                    Assert.True(same, $"{path} row {i} column {f.Name}: wrote {want}, arrow-rs read {got}");
                }
            }
        }
    }

    // JavaScript prints −0 as "0"; everything else must be the same double.
    private static bool Same(double a, double b) => a.Equals(b) || (a == 0 && b == 0) || (double.IsNaN(a) && double.IsNaN(b));
}
