using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A study run on the CSV dataset and the same study on that dataset converted to Parquet; then
/// `de query` on one run and across both, checked against specs.parquet read independently (Parquet.Net).
/// </summary>
public sealed class QueryTests : IClassFixture<QueryTests.TwoRuns>
{
    public sealed class TwoRuns
    {
        public TwoRuns()
        {
            Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"de-query-{Environment.ProcessId}")).FullName;
            OutRoot = Path.Combine(Root, "results");
            string csvStudy = Studies.Write(Path.Combine(Root, "csv"), big: false, batchSize: 16, bootstrapChunk: 20);
            var (code, output, err) = De.Run("run", csvStudy, "--out", OutRoot);
            if (code != 0) throw new InvalidOperationException(err);
            CsvRun = De.RunDir(output);
            string pq = Path.Combine(Root, "provinces.parquet");
            (code, _, err) = De.Run("parquet", "from-csv", Studies.DataPath, pq);
            if (code != 0) throw new InvalidOperationException(err);
            string pqStudy = Studies.Write(Path.Combine(Root, "pq"), big: false, batchSize: 16, bootstrapChunk: 20, dataPath: pq);
            (code, output, err) = De.Run("run", pqStudy, "--out", OutRoot);
            if (code != 0) throw new InvalidOperationException(err);
            ParquetRun = De.RunDir(output);
        }

        public string Root { get; }
        public string OutRoot { get; }
        public string CsvRun { get; }
        public string ParquetRun { get; }
    }

    private readonly TwoRuns _runs;

    public QueryTests(TwoRuns runs) => _runs = runs;

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static void Close(double want, double got) => Assert.True(Math.Abs(want - got) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"expected {want:R}, got {got:R}");

    [Fact]
    public async Task AParquetDataset_GivesTheSameSpecificationsAsItsCsv_UnderAnotherRunId()
    {
        Assert.NotEqual(Path.GetFileName(_runs.CsvRun), Path.GetFileName(_runs.ParquetRun));
        var a = await ResultTables.Specs.ReadFileAsync(Path.Combine(_runs.CsvRun, "specs.parquet"));
        var b = await ResultTables.Specs.ReadFileAsync(Path.Combine(_runs.ParquetRun, "specs.parquet"));
        Assert.Equal(64, a.Count);
        Assert.Equal(a, b);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_runs.CsvRun, "specs.parquet")), File.ReadAllBytes(Path.Combine(_runs.ParquetRun, "specs.parquet")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_runs.CsvRun, "dataset.csv")), File.ReadAllBytes(Path.Combine(_runs.ParquetRun, "dataset.csv")));
    }

    [Fact]
    public async Task Query_MedianByOutcome_ByRunId_EqualsSpecsReadIndependently()
    {
        string runId = Path.GetFileName(_runs.CsvRun);
        var (code, output, err) = De.Run("query", runId, "SELECT outcome, median(estimate) AS m, count(*) AS n FROM specs GROUP BY 1 ORDER BY 1", "--out", _runs.OutRoot, "--csv");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("outcome,m,n", lines[0]);
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(_runs.CsvRun, "specs.parquet"));
        var groups = rows.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(groups.Count, lines.Length - 1);
        for (int k = 0; k < groups.Count; k++)
        {
            var cells = lines[k + 1].Split(',');
            Assert.Equal(groups[k].Key, cells[0]);
            Close(Median(groups[k].Select(r => r.Estimate!.Value)), double.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(groups[k].Count().ToString(CultureInfo.InvariantCulture), cells[2]);
        }
        // A unique prefix of the run id works too, and the terminal table shows the same value.
        (code, output, err) = De.Run("query", runId[..6], "SELECT median(estimate) AS m FROM specs", "--out", _runs.OutRoot);
        Assert.True(code == 0, err);
        Assert.Contains(Median(rows.Select(r => r.Estimate!.Value)).ToString("R", CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        Assert.EndsWith("(1 row)\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_AcrossTwoRuns_HasARunIdColumn_AndEachRunsValues()
    {
        var (code, output, err) = De.Run("query", "--runs", $"{_runs.CsvRun},{_runs.ParquetRun}",
            "SELECT run_id, count(*) AS n, sum(estimate) AS s, max(n) AS max_n FROM specs GROUP BY 1 ORDER BY 1", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var got = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, got.Count);
        foreach (var (dir, row) in new[] { _runs.CsvRun, _runs.ParquetRun }.OrderBy(Path.GetFileName, StringComparer.Ordinal).Zip(got))
        {
            var specs = await ResultTables.Specs.ReadFileAsync(Path.Combine(dir, "specs.parquet"));
            Assert.Equal(Path.GetFileName(dir), row.GetProperty("run_id").GetString());
            Assert.Equal(specs.Count, row.GetProperty("n").GetInt64());
            Close(specs.Sum(r => r.Estimate!.Value), row.GetProperty("s").GetDouble());
            Assert.Equal(specs.Max(r => r.N), row.GetProperty("max_n").GetInt64());
        }
        // The other tables of the runs are views too, with the run id.
        (code, output, err) = De.Run("query", _runs.CsvRun, "SELECT (SELECT count(*) FROM bootstrap) AS b, (SELECT count(DISTINCT \"index\") FROM indices) AS i", "--csv",
            "--runs", _runs.ParquetRun);
        Assert.True(code == 0, err);
        Assert.Equal("b,i\n80,2\n", output);
    }

    [Fact]
    public void Query_OneRunWithRuns_HasRunId_TheSameRunInTwoFolders_IsLabelledByFolder_AndWritesAreRefused()
    {
        string runId = Path.GetFileName(_runs.CsvRun);
        var (code, output, err) = De.Run("query", "--runs", _runs.CsvRun, "SELECT DISTINCT run_id FROM specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal($"run_id\n{runId}\n", output);
        string copy = Path.Combine(Path.GetTempPath(), $"de-query-copy-{Environment.ProcessId}", runId);
        CopyDirectory(_runs.CsvRun, copy);
        (code, output, err) = De.Run("query", "--runs", $"{_runs.CsvRun},{copy}", "SELECT run_id, count(*) AS n FROM specs GROUP BY 1 ORDER BY 1", "--csv");
        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.EndsWith($"{runId},64", l, StringComparison.Ordinal));
        Assert.NotEqual(lines[1], lines[2]);
        string target = Path.Combine(Path.GetTempPath(), $"de-query-{Environment.ProcessId}.csv");
        (code, _, err) = De.Run("query", _runs.CsvRun, $"COPY specs TO '{target}'");
        Assert.Equal(2, code);
        Assert.StartsWith("error: de query runs read-only queries", err.Trim(), StringComparison.Ordinal);
        (code, _, err) = De.Run("query", _runs.CsvRun, $"SELECT 1; COPY specs TO '{target}'");
        Assert.Equal(2, code);
        Assert.Equal("error: de query runs one statement; remove the ';' and what follows it", err.Trim());
        Assert.False(File.Exists(target));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
    }

    [Fact]
    public void Query_BadSqlOrUnknownRun_IsOneLine()
    {
        var (code, _, err) = De.Run("query", _runs.CsvRun, "SELECT nope FROM specs");
        Assert.Equal(2, code);
        Assert.StartsWith("error: query: Binder Error", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (code, _, err) = De.Run("query", "rnothere", "SELECT 1", "--out", _runs.OutRoot);
        Assert.Equal(2, code);
        Assert.Contains("run 'rnothere': no run folder of that name", err, StringComparison.Ordinal);
    }
}
