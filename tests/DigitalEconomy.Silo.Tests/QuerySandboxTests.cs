using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// `de query` reads the queried runs' result Parquet files and nothing else, and writes nothing: against a
/// real run folder (a `de run` of the test study) in a temp directory that also holds a fake Redis password,
/// another Parquet file and a folder to write into, every attempt to write or read beyond the results is one
/// line on stderr, exit 2, and leaves every file of the temp directory byte-identical, with nothing created.
/// </summary>
public sealed class QuerySandboxTests : IClassFixture<QuerySandboxTests.OneRun>
{
    public sealed class OneRun
    {
        public OneRun()
        {
            Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"de-query-sandbox-{Environment.ProcessId}")).FullName;
            string study = Studies.Write(Path.Combine(Root, "study"), big: false, batchSize: 16, bootstrapChunk: 20);
            var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "results"));
            if (code != 0) throw new InvalidOperationException(err);
            Run = De.RunDir(output);
            File.WriteAllText(Path.Combine(Root, "redis.password"), Password);
            File.Copy(Path.Combine(Run, "specs.parquet"), Path.Combine(Root, "other.parquet"));
            Directory.CreateDirectory(Path.Combine(Root, "elsewhere"));
            // The same run in a second folder, for --runs over two runs.
            Copy = Path.Combine(Root, "copy", Path.GetFileName(Run));
            Directory.CreateDirectory(Copy);
            foreach (var f in Directory.GetFiles(Run)) File.Copy(f, Path.Combine(Copy, Path.GetFileName(f)));
        }

        public const string Password = "s3cret-redis-password-4711";

        public string Root { get; }

        public string Run { get; }

        public string Copy { get; }
    }

    private readonly OneRun _run;

    public QuerySandboxTests(OneRun run) => _run = run;

    /// <summary>Every file and folder under the temp directory: path → SHA-256 of its bytes ("dir" for folders).</summary>
    private Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFileSystemEntries(_run.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(p => p, p => Directory.Exists(p) ? "dir" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))), StringComparer.Ordinal);

    public static TheoryData<string> Refused() =>
    [
        "EXPLAIN ANALYZE COPY (SELECT spec_id, estimate*10 AS estimate FROM specs) TO 'RUN/specs.parquet' (FORMAT parquet)",
        "EXPLAIN ANALYZE COPY (SELECT spec_id, estimate*10 AS estimate FROM specs) TO 'RUN/specs.parquet' (FORMAT parquet, USE_TMP_FILE false)",
        "COPY (SELECT * FROM specs) TO 'RUN/specs.parquet' (FORMAT parquet, USE_TMP_FILE false)",
        "COPY specs TO 'ROOT/elsewhere/x.csv'",
        "SELECT * FROM read_csv('/etc/passwd', sep=':')",
        "SELECT * FROM read_text('ROOT/redis.password')",
        "SELECT content FROM read_blob('ROOT/redis.password')",
        "SELECT * FROM read_text('RUN/specs.parquet/../../../../redis.password')",
        "SELECT * FROM read_text('file://ROOT/redis.password')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM glob('ROOT/*')",
        "SELECT * FROM read_csv('RUN/dataset.csv')",
        "SELECT count(*) FROM read_parquet('ROOT/other.parquet')",
        "SELECT count(*) FROM 'ROOT/other.parquet'",
        "SELECT * FROM read_csv('CWD/.tmp/de-query-probe.csv')",
        "ATTACH 'ROOT/elsewhere/x.duckdb' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "PRAGMA enable_profiling",
        "CALL pragma_version()",
        "SET enable_external_access = true",
        "EXPORT DATABASE 'ROOT/elsewhere/export'",
        "WITH x AS (SELECT 1) COPY specs TO 'ROOT/elsewhere/cte.csv'",
        "EXPLAIN COPY specs TO 'ROOT/elsewhere/explain.csv'",
        "/* a comment first */ EXPLAIN ANALYZE COPY specs TO 'ROOT/elsewhere/commented.csv'",
        "SELECT 1; COPY specs TO 'ROOT/elsewhere/second.csv'",
        "SELECT 1 AS a; SELECT 2 AS b",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public void AWriteOrAReadBeyondTheResults_IsOneLine_Exit2_AndNoFileChanges(string template)
    {
        string cwdTmp = Path.Combine(Environment.CurrentDirectory, ".tmp");
        bool hadCwdTmp = Directory.Exists(cwdTmp);
        string probe = Path.Combine(cwdTmp, "de-query-probe.csv");
        Directory.CreateDirectory(cwdTmp);
        File.WriteAllText(probe, "secret,value\nprobe,1\n");
        try
        {
            string sql = template.Replace("RUN", _run.Run, StringComparison.Ordinal).Replace("ROOT", _run.Root, StringComparison.Ordinal)
                .Replace("CWD", Environment.CurrentDirectory, StringComparison.Ordinal);
            var before = Snapshot();
            var tmpBefore = Directory.GetFileSystemEntries(cwdTmp).Order(StringComparer.Ordinal).ToList();
            var (code, output, err) = De.Run("query", _run.Run, sql, "--csv");
            Assert.Equal(before, Snapshot());
            Assert.Equal(tmpBefore, Directory.GetFileSystemEntries(cwdTmp).Order(StringComparer.Ordinal).ToList());
            Assert.True(code == 2, $"exit {code}; stdout: {output}; stderr: {err}");
            Assert.Equal("", output);
            Assert.StartsWith("error: ", err, StringComparison.Ordinal);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain(OneRun.Password, err, StringComparison.Ordinal);
            Assert.DoesNotContain("probe,1", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(probe);
            if (!hadCwdTmp && !Directory.EnumerateFileSystemEntries(cwdTmp).Any()) Directory.Delete(cwdTmp);
        }
    }

    [Fact]
    public void ANonQuery_IsNamedInTheRefusal()
    {
        var (code, _, err) = De.Run("query", _run.Run, "EXPLAIN ANALYZE COPY specs TO 'x.csv'");
        Assert.Equal(2, code);
        Assert.StartsWith("error: de query runs read-only queries", err, StringComparison.Ordinal);
        // The refusal names the statement under the EXPLAIN, not the EXPLAIN alone.
        Assert.Contains("'EXPLAIN ANALYZE COPY' is refused", err, StringComparison.Ordinal);
        (code, _, err) = De.Run("query", _run.Run, "SELECT * FROM read_text('/etc/hostname')");
        Assert.Equal(2, code);
        Assert.StartsWith("error: query: Permission Error: Cannot access file \"/etc/hostname\"", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Queries_StillRead_TheResults_OfOneRunOrTwo()
    {
        var before = Snapshot();
        var (code, output, err) = De.Run("query", _run.Run, "SELECT count(*) AS n, count(DISTINCT spec_id) AS d FROM specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal("n,d\n64,64\n", output);
        (code, output, err) = De.Run("query", _run.Run, "SELECT (SELECT count(*) FROM bootstrap) AS b, (SELECT count(DISTINCT \"index\") FROM indices) AS i", "--json");
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(40, doc.RootElement[0].GetProperty("b").GetInt64()); // the study's 40 bootstrap replicates
            Assert.Equal(2, doc.RootElement[0].GetProperty("i").GetInt64());
        }
        // The same run in two folders: one row per folder, each with the 64 specifications.
        (code, output, err) = De.Run("query", "--runs", $"{_run.Run},{_run.Copy}", "SELECT count(*) AS n, count(DISTINCT run_id) AS runs FROM specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal("n,runs\n128,2\n", output);
        // A ';' inside a string is not a second statement; DESCRIBE, SUMMARIZE, EXPLAIN of a query and a PIVOT with its values are read-only.
        (code, output, err) = De.Run("query", _run.Run, "SELECT ';' AS s, count(*) AS n FROM specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal("s,n\n;,64\n", output);
        (code, output, err) = De.Run("query", _run.Run, "DESCRIBE specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Contains("\nestimate,DOUBLE,", output, StringComparison.Ordinal);
        (code, output, err) = De.Run("query", _run.Run, "SUMMARIZE specs", "--csv");
        Assert.True(code == 0, err);
        Assert.Contains("\nestimate,DOUBLE,", output, StringComparison.Ordinal);
        (code, output, err) = De.Run("query", _run.Run, "EXPLAIN ANALYZE SELECT outcome, avg(estimate) FROM specs GROUP BY 1", "--csv");
        Assert.True(code == 0, err);
        Assert.Contains("READ_PARQUET", output, StringComparison.Ordinal);
        (code, output, err) = De.Run("query", _run.Run, "PIVOT specs ON vcov IN ('hc1', 'cluster:province') USING count(*) GROUP BY term ORDER BY term", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal("term,hc1,cluster:province\nde_index,16,16\nlag(de_index),16,16\n", output);
        // A PIVOT whose values come from the data is two statements in DuckDB: refused, with the way to write it.
        (code, _, err) = De.Run("query", _run.Run, "PIVOT specs ON vcov USING count(*)");
        Assert.Equal(2, code);
        Assert.Contains("PIVOT t ON c IN (v1, v2)", err, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }
}
