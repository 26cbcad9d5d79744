using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DigitalEconomy.Core;
using DuckDB.NET.Data;

namespace DigitalEconomy.Store;

/// <summary>A run whose result tables are queried: its id (the run folder's name) and its folder.</summary>
public sealed record RunFolder(string RunId, string Directory);

/// <summary>The result of a query: column names, DuckDB type names and rows of values (DBNull as null).</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<object?[]> Rows);

/// <summary>
/// SQL over runs' result files with DuckDB in process: every <c>*.parquet</c> file at the top of a run
/// folder (specs, bootstrap, indices, ...) becomes a view of that name. Over several runs each view
/// is the union of the runs' files (by column name) with a leading <c>run_id</c> column.
/// </summary>
public static partial class ResultQuery
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The result tables of a run folder: table name → file.</summary>
    public static IReadOnlyDictionary<string, string> Tables(string runDirectory) =>
        Directory.EnumerateFiles(runDirectory, "*.parquet", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => Path.GetFullPath(f), StringComparer.Ordinal);

    /// <summary>The views' SQL for the runs (one run: plain views unless <paramref name="labelRuns"/>; several: a run_id column and UNION ALL BY NAME).</summary>
    public static IReadOnlyList<string> ViewStatements(IReadOnlyList<RunFolder> runs, bool labelRuns = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var tables = runs.Select(r => (Run: r, Tables: Tables(r.Directory))).ToList();
        var names = tables.SelectMany(t => t.Tables.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var statements = new List<string>();
        foreach (var name in names)
        {
            var selects = tables.Where(t => t.Tables.ContainsKey(name))
                .Select(t => runs.Count == 1 && !labelRuns
                    ? $"SELECT *{Renames(name, t.Tables[name])} FROM read_parquet({Literal(t.Tables[name])})"
                    : $"SELECT {Literal(t.Run.RunId)} AS run_id, *{Renames(name, t.Tables[name])} FROM read_parquet({Literal(t.Tables[name])})");
            statements.Add($"CREATE VIEW {Identifier(name)} AS {string.Join(" UNION ALL BY NAME ", selects)}");
        }
        return statements;
    }

    /// <summary>Columns renamed since older runs were written, per result table (models, analyses: 'column', reserved in DuckDB, is now 'col').</summary>
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> RenamedColumns = new(StringComparer.Ordinal)
    {
        ["models"] = ResultTables.Models.Renamed,
        ["analyses"] = ResultTables.AnalysisCells.Renamed,
    };

    /// <summary>" RENAME (\"old\" AS new, …)" for a file of an older schema that still carries former names; "" otherwise.</summary>
    private static string Renames(string table, string path)
    {
        if (!RenamedColumns.TryGetValue(table, out var renamed) || renamed.Count == 0) return "";
        HashSet<string> names;
        var reader = ParquetFormat.OpenAsync(path).GetAwaiter().GetResult();
        try { names = reader.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal); }
        finally { reader.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        var pairs = renamed.Where(r => !names.Contains(r.Key) && names.Contains(r.Value)).Select(r => $"{Identifier(r.Value)} AS {Identifier(r.Key)}").ToList();
        return pairs.Count == 0 ? "" : $" RENAME ({string.Join(", ", pairs)})";
    }

    /// <summary>
    /// DuckDB in process with no extension loaded or installed on demand (the Parquet and JSON readers are
    /// linked in): set when the database opens, before any statement runs.
    /// </summary>
    private const string ConnectionString = "Data Source=:memory:;autoload_known_extensions=false;autoinstall_known_extensions=false";

    private static readonly string[] ReadOnlyStarts = ["SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SUMMARIZE", "SHOW", "EXPLAIN", "PIVOT", "UNPIVOT", "("];

    [GeneratedRegex(@"^\s*EXPLAIN\s+(ANALYZE\s+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplainPrefix();

    /// <summary>
    /// Queries read results; they never write. DuckDB's own parser decides: the SQL must be exactly one
    /// SELECT statement (WITH, FROM, VALUES, TABLE, DESCRIBE, SUMMARIZE, SHOW, UNPIVOT and PIVOT with its
    /// IN values parse as one), or EXPLAIN [ANALYZE] of one. Anything else (COPY, EXPORT, ATTACH, INSTALL,
    /// LOAD, PRAGMA, CALL, SET, CREATE…, a second statement) is refused in one line before it runs.
    /// </summary>
    private static void RefuseAllButOneQuery(DuckDBCommand cmd, string sql)
    {
        var explain = ExplainPrefix().Match(sql);
        string query = explain.Success ? sql[explain.Length..] : sql;
        cmd.CommandText = "SELECT json_serialize_sql(CAST($sql AS VARCHAR))";
        cmd.Parameters.Clear();
        cmd.Parameters.Add(new DuckDBParameter("sql", query));
        string json = (string)cmd.ExecuteScalar()!;
        cmd.Parameters.Clear();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        // The statement's kind is named after an EXPLAIN [ANALYZE]: "EXPLAIN ANALYZE COPY" is a COPY.
        string text = query.Trim().TrimEnd(';').Trim();
        string first = text.Split([' ', '\t', '\n', '\r', '('], 2)[0].ToUpperInvariant();
        if (text.StartsWith('(')) first = "(";
        string named = explain.Success ? $"{string.Join(' ', explain.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant()} {first}" : first;
        if (root.GetProperty("error").GetBoolean())
        {
            string type = root.TryGetProperty("error_type", out var t) ? t.GetString() ?? "" : "";
            string message = root.TryGetProperty("error_message", out var m) ? m.GetString() ?? "" : "";
            if (type == "parser") throw new InputException("query: Parser Error: " + message.ReplaceLineEndings(" ").Trim());
            // Not a SELECT: a query first and something after ';' is a second statement; anything else is not a query.
            if (ReadOnlyStarts.Contains(first) && text.Contains(';', StringComparison.Ordinal))
                throw new InputException("de query runs one statement; remove the ';' and what follows it");
            string hint = first == "PIVOT" ? " (a PIVOT runs with its values written out: PIVOT t ON c IN (v1, v2) USING …)" : "";
            throw new InputException($"de query runs read-only queries (one SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, … or EXPLAIN of one); '{named}' is refused{hint}: results are read here, never written or changed");
        }
        int statements = root.GetProperty("statements").GetArrayLength();
        if (statements > 1) throw new InputException("de query runs one statement; remove the ';' and what follows it");
        if (statements == 0) throw new InputException("de query: the SQL is empty; give a query such as SELECT count(*) FROM specs");
    }

    /// <summary>
    /// The sandbox, set after the views are created: the only files DuckDB may open are the runs' result
    /// Parquet files (no folder, not even its temporary one, which is turned off), external access is off
    /// (no other file, URL, database or extension), and the configuration is locked so the query cannot undo it.
    /// </summary>
    private static IEnumerable<string> Sandbox(IEnumerable<string> files) =>
    [
        "SET temp_directory = ''",
        "SET allowed_directories = []",
        $"SET allowed_paths = [{string.Join(", ", files.Select(Literal))}]",
        "SET enable_external_access = false",
        "SET lock_configuration = true",
    ];

    /// <summary>
    /// Runs <paramref name="sql"/> over the runs' tables: one read-only query (see <see cref="RefuseAllButOneQuery"/>)
    /// in a DuckDB that may open the runs' result Parquet files and nothing else (see <see cref="Sandbox"/>).
    /// </summary>
    /// <exception cref="InputException">A run without result tables, SQL that is not one query, or DuckDB refused the SQL (its message, on one line).</exception>
    public static QueryResult Run(IReadOnlyList<RunFolder> runs, string sql, bool labelRuns = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(sql);
        foreach (var r in runs)
            if (Tables(r.Directory).Count == 0) throw new InputException($"run '{r.RunId}' ({r.Directory}) has no *.parquet result tables");
        using var con = new DuckDBConnection(ConnectionString);
        con.Open();
        using var cmd = con.CreateCommand();
        try
        {
            RefuseAllButOneQuery(cmd, sql);
            foreach (var statement in ViewStatements(runs, labelRuns).Concat(Sandbox(runs.SelectMany(r => Tables(r.Directory).Values).Distinct(StringComparer.Ordinal))))
            {
                cmd.CommandText = statement;
                cmd.ExecuteNonQuery();
            }
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToList();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            return new QueryResult(columns, types, rows);
        }
        catch (DbException e)
        {
            throw new InputException("query: " + e.Message.ReplaceLineEndings(" ").Trim(), e);
        }
    }

    /// <summary>A value as text: doubles in shortest round-trip form, dates ISO 8601, lists as JSON; null stays null.</summary>
    public static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        double d => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Inf" : double.IsNegativeInfinity(d) ? "-Inf" : d.ToString("R", Inv),
        float f => float.IsNaN(f) ? "NaN" : float.IsPositiveInfinity(f) ? "Inf" : float.IsNegativeInfinity(f) ? "-Inf" : f.ToString("R", Inv),
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", Inv),
        DateTime t => t.TimeOfDay == TimeSpan.Zero && t.Kind != DateTimeKind.Utc ? t.ToString("yyyy-MM-dd", Inv) : t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", Inv),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", Inv),
        TimeOnly t => t.ToString("HH:mm:ss.ffffff", Inv),
        byte[] bytes => Convert.ToHexString(bytes),
        IDictionary dict => "{" + string.Join(",", dict.Keys.Cast<object>().Select(k => Json(Text(k), true) + ":" + JsonValue(dict[k]))) + "}",
        IEnumerable list => "[" + string.Join(",", list.Cast<object?>().Select(JsonValue)) + "]",
        IFormattable n => n.ToString(null, Inv),
        _ => value.ToString(),
    };

    /// <summary>A value as JSON (numbers bare, NaN/Inf and everything else as strings).</summary>
    public static string JsonValue(object? value) => value switch
    {
        null or DBNull => "null",
        bool b => b ? "true" : "false",
        double d when !double.IsFinite(d) => Json(Text(d), true),
        float f when !float.IsFinite(f) => Json(Text(f), true),
        sbyte or short or int or long or byte or ushort or uint or ulong or float or double or decimal or System.Numerics.BigInteger => Text(value)!,
        string or DateOnly or DateTime or DateTimeOffset or TimeOnly or byte[] => Json(Text(value), true),
        IDictionary or IEnumerable => Text(value)!,
        _ => Json(Text(value), true),
    };

    private static string Json(string? s, bool quote) => s is null ? "null" : quote ? JsonText.Quote(s) : s;

    private static string Literal(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Identifier(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
