using System.Text.Json;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains;

/// <summary>What the completed run reports.</summary>
internal sealed record Finished(RunSummary Summary, BootstrapSummaryRecord? Bootstrap, CurveSummaryRecord? Curve, Incremental? Incremental = null);

/// <summary>
/// What the manifest stage reads: the prepared and indexed dataset, the grid's size, the status, when the run first started,
/// and — once complete — what it finished with, what the publish stage reported and the changes table made.
/// </summary>
internal sealed record ManifestInput(Prepared Prepared, Indexed Indexed, int Specs, int Batches, string Status, DateTimeOffset StartedUtc,
    Finished? Finished = null, Published? Published = null, Changes? Changes = null);

/// <summary>
/// Stage 10 (input: <see cref="ManifestInput"/>; output: manifest.json). Besides its input it reads the context's
/// collectors: the damaged parts and the stage timings.
/// </summary>
internal sealed class ManifestStage(RunContext run) : RunStage(run)
{
    /// <summary>manifest.json: inputs' hashes, seed, code version, counts and status (written "running" before the grid, "complete" last).</summary>
    public void Run(ManifestInput input)
    {
        var (prepared, indexed, specs, batches, status, startedUtc, finished, published, changes) = input;
        var m = new JsonObject
        {
            ["study"] = _study.Name,
            ["run_id"] = RunId,
            ["status"] = status,
            ["study_sha256"] = _study.SourceHash,
            ["seed"] = _study.Seed,
            ["code_version"] = typeof(RunExecution).Assembly.GetName().Version?.ToString() ?? "0",
            ["dataset"] = new JsonObject
            {
                ["path"] = _study.Dataset.Path,
                ["raw_sha256"] = prepared.RawSha256,
                ["prepared_sha256"] = indexed.Dataset.Sha256,
                ["encoding"] = prepared.Encoding, // UTF-8, GB18030 (not valid UTF-8), UTF-16LE…; null for Parquet
            },
            ["specifications"] = specs,
            ["batches"] = batches,
            ["batch_size"] = _study.BatchSize,
            ["failed"] = finished?.Summary.Failed ?? 0,
            ["interpolated_cells"] = prepared.Fills,
            // When the run first started (a resumed run keeps it) and, once complete, when its results were published:
            // the report's 开始/结束 (UTC) show the same two times.
            ["started_utc"] = Manifest.Utc(startedUtc),
        };
        if (status == "complete" && published?.FinishedUtc is { } done) m["finished_utc"] = Manifest.Utc(done);
        if (_study.Dataset.Name is { } datasetName)
        {
            // A versioned dataset: which one and which version the run read (the path is that version's data file).
            var ds = (JsonObject)m["dataset"]!;
            ds["name"] = datasetName;
            ds["version"] = _study.Dataset.Version;
            ds["root"] = _study.Dataset.Root;
        }
        if (published?.ChartWarnings is { Count: > 0 } chartWarnings) m["charts_not_drawn"] = new JsonArray([.. chartWarnings.Select(x => (JsonNode?)JsonValue.Create(x))]);
        if (prepared.Derived.Count > 0)
        {
            // Every constructed measure with its parameters (defaults filled in), the columns it added and its notes.
            var steps = new JsonArray();
            foreach (var r in prepared.Derived)
            {
                var ps = new JsonObject();
                foreach (var (k, v) in r.Parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal)) ps[k] = new JsonArray([.. v.Select(x => (JsonNode?)JsonValue.Create(x))]);
                steps.Add(new JsonObject
                {
                    ["name"] = r.Name, ["kind"] = r.Kind, ["parameters"] = ps,
                    ["columns"] = new JsonArray([.. r.Columns.Select(x => (JsonNode?)JsonValue.Create(x))]),
                    ["notes"] = new JsonArray([.. r.Notes.Select(x => (JsonNode?)JsonValue.Create(x))]),
                });
            }
            m["derive"] = steps;
        }
        if (finished?.Bootstrap is { } b)
        {
            // The count and the baseline's interval (every bootstrapped specification's is in specs.parquet).
            var (bs, s) = (b.Spec, b.Shown);
            var o = new JsonObject
            {
                ["method"] = bs.Method == BootstrapMethod.Wild ? "wild" : "pairs", ["level"] = bs.Level, ["specifications"] = b.Specifications,
                ["spec_id"] = s.SpecId, ["baseline"] = b.ShownIsBaseline, ["replicates"] = s.Replicates,
            };
            if (bs.Method == BootstrapMethod.Wild)
            {
                o["weights"] = bs.Weights.ToString().ToLowerInvariant();
                o["type"] = bs.Type.ToString().ToLowerInvariant();
                o["full_enumeration"] = s.Enumerated;
                o["p_value"] = Num(s.WildPValue);
                o["conf_low"] = Num(s.WildLow);
                o["conf_high"] = Num(s.WildHigh);
            }
            else
            {
                o["failed"] = s.Failed;
                o["std_error"] = Num(s.StdError);
                o["percentile_low"] = Num(s.PercentileLow);
                o["percentile_high"] = Num(s.PercentileHigh);
                o["bc_low"] = Num(s.BiasCorrectedLow);
                o["bc_high"] = Num(s.BiasCorrectedHigh);
            }
            if (s.Note is not null) o["note"] = s.Note;
            m["bootstrap"] = o;
        }
        if (finished?.Curve is { } c)
            m["curve_inference"] = new JsonObject
            {
                ["draws"] = c.Draws, ["draws_used"] = c.DrawsUsed, ["specifications"] = c.Observed.Specifications, ["dominant_sign"] = c.Sign,
                ["observed"] = new JsonObject { ["median"] = Num(c.Observed.Median), ["share_significant"] = Num(c.Observed.ShareSignificant), ["aggregate_z"] = Num(c.Observed.AggregateZ) },
                ["p_values"] = new JsonObject { ["median"] = Num(c.PValues.Median), ["share_significant"] = Num(c.PValues.ShareSignificant), ["aggregate_z"] = Num(c.PValues.AggregateZ) },
            };
        var weights = new JsonObject();
        foreach (var (k, v) in indexed.Weights)
        {
            var o = new JsonObject();
            foreach (var (ind, x) in v) o[ind] = x;
            weights[k] = o;
        }
        m["index_weights"] = weights;
        if (SpatialManifest.Entries(_study.Analyses) is { } spatialWeights) m["spatial_weights"] = spatialWeights; // issue 24: the W matrices used
        if (indexed.Status is { Count: > 0 } st)
        {
            // Per index: whether it was recomputed and why, the key of its inputs, and its normalisation (min/max per indicator in system order).
            var ix = new JsonObject();
            foreach (var (name, s) in st)
                ix[name] = new JsonObject
                {
                    ["recomputed"] = s.Recomputed, ["reason"] = s.Reason, ["compared_with"] = s.ComparedWith, ["input_key"] = s.InputKey, ["ranges"] = IndexReuse.WriteRanges(s.Ranges),
                };
            m["indices"] = ix;
        }
        if (finished?.Incremental is { } inc)
            m["incremental"] = new JsonObject
            {
                // Specifications whose data key matched a row of an earlier complete run of this study under this results root.
                ["specifications_reused"] = inc.Reused.Count,
                ["specifications_recomputed"] = inc.Recomputed,
                ["earlier_runs_read"] = new JsonArray([.. inc.RunsRead.Select(x => (JsonNode?)JsonValue.Create(x))]),
            };
        if (changes is { } ch)
            m["changes_from"] = new JsonObject { ["run_id"] = ch.RunId, ["dataset_version"] = ch.Version, ["table"] = "tables/changes.md", ["rows"] = ch.Rows };
        if (_run.DamagedParts is { Count: > 0 } damagedParts)
        {
            // Committed parts this execution could not use: moved aside (kept, never deleted) and recomputed.
            var damaged = new JsonArray();
            foreach (var d in damagedParts)
                damaged.Add(new JsonObject { ["part"] = Relative(d.Path), ["moved_to"] = Relative(d.MovedTo), ["reason"] = d.Reason });
            m["damaged_parts"] = damaged;
        }
        if (finished is not null)
        {
            m["counts"] = new JsonObject
            {
                ["batches_run"] = finished.Summary.BatchesRun, ["batches_reused"] = finished.Summary.BatchesReused, ["retries"] = finished.Summary.Retries,
                ["specifications_fitted_by_this_execution"] = finished.Summary.SpecificationsFittedNow,
            };
            var t = new JsonObject();
            foreach (var (stage, ms) in _run.Timings) t[stage] = ms;
            m["timings_ms"] = t;
        }
        Manifest.Write(_run.ManifestPath, m);
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonNode? Num(double? v) => v is { } x ? Num(x) : null;
}

/// <summary>Reads and writes manifest.json (indented, UTF-8, Chinese text unescaped).</summary>
internal static class Manifest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, JsonObject manifest) =>
        Store.AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(Indented) + "\n")));

    /// <summary>A manifest as JSON, or null when there is none or it cannot be read.</summary>
    public static JsonObject? ReadObject(string path) => Read(path);

    private static JsonObject? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>A time as the manifest and the report write it: ISO 8601 UTC to the second ("2024-01-01T12:00:00Z").</summary>
    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The started_utc recorded (a run that is resumed keeps its first start), or null.</summary>
    public static DateTimeOffset? ReadStartedUtc(string path) =>
        Read(path)?["started_utc"]?.GetValue<string>() is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The status recorded, or "" when there is no readable manifest.</summary>
    public static string ReadStatus(string path) => Read(path)?["status"]?.GetValue<string>() ?? "";

    /// <summary>The summary of a complete run.</summary>
    public static RunSummary ReadSummary(string path)
    {
        var m = Read(path)!;
        var inc = m["incremental"];
        return new RunSummary(m["specifications"]!.GetValue<int>(), m["failed"]!.GetValue<int>(), 0, m["batches"]!.GetValue<int>(), true, 0,
            inc?["specifications_reused"]?.GetValue<int>() ?? 0, inc?["specifications_recomputed"]?.GetValue<int>() ?? 0);
    }

    /// <summary>Records that the run stopped (failed or interrupted) and why.</summary>
    public static void SetStatus(string path, string status, string? reason)
    {
        var m = Read(path);
        if (m is null) return;
        m["status"] = status;
        if (reason is null) m.Remove("stopped_because"); else m["stopped_because"] = reason;
        Write(path, m);
    }
}
