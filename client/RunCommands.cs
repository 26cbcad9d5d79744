using System.CommandLine;
using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DigitalEconomy.Client;

/// <summary>`de run`, `de status`, `de silo`: studies on Orleans grains, embedded or on a Redis-backed cluster.</summary>
internal static class RunCommands
{
    private static string? Redis(string? option) => ClusterConnection.Redis(option);

    /// <summary>The run id: the study file, the dataset's bytes and the seed (the same study on the same data is the same run).</summary>
    internal static string RunId(StudyDefinition study, string datasetSha256) => Grains.RunStart.RunId(study, datasetSha256);

    internal static string HashFile(string path) => Grains.RunStart.HashFile(path);

    public static Command Run(TextWriter stdout, TextWriter stderr)
    {
        var study = new Argument<string>("study") { Description = "study file (YAML), e.g. studies/sample.yaml" };
        var outDir = new Option<string>("--out") { Description = "results root; the run goes to OUT/<study>/<run-id>", DefaultValueFactory = _ => "results" };
        var redis = new Option<string?>("--redis") { Description = "run on a cluster whose membership is in Redis: host:port[,password=…] (or DE_REDIS); default: an in-process silo" };
        var inFlight = new Option<int>("--in-flight") { Description = "work calls in flight at once", DefaultValueFactory = _ => 2 * Environment.ProcessorCount };
        var detach = new Option<bool>("--detach") { Description = "with --redis: start the run and return; follow it with 'de status RUN --redis …'" };
        var console = new Option<bool>("--console-telemetry") { Description = "also print spans and metrics on stdout (OTLP export follows OTEL_EXPORTER_OTLP_ENDPOINT)" };
        var cmd = new Command("run", "Run a study end to end on grains: indices through RegionGrains, the grid and resampling through the compute grain, Parquet results") { study, outDir, redis, inFlight, detach, console };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string? cluster = Redis(p.GetValue(redis));
            // The in-process silo starts while the study is read and checked: on a cold start each takes a few hundred
            // milliseconds, mostly loading code, and they share nothing. A cluster is reached only once the study holds.
            using var early = cluster is null ? new EarlyHost(Task.Run(() => StartHost(null, p.GetValue(console)))) : null;
            var loaded = StudyLoader.Load(p.GetValue(study)!, n => stderr.WriteLine($"note: {n}"));
            var def = loaded;
            int n = p.GetValue(inFlight);
            if (n < 1) throw new InputException($"--in-flight {n}: expected at least 1");
            if (p.GetValue(detach) && cluster is null) throw new InputException("--detach needs --redis: an embedded run ends with its process");
            // The dataset resolved as a scheduled run resolves it (a named dataset: the version asked for, or the latest now).
            var (runId, command) = Grains.RunStart.Build(def, p.GetValue(outDir)!, n);
            def = command.Study;
            string version = def.Dataset.Name is { } dn ? $" on dataset {dn}@{def.Dataset.Version}" : "";
            stderr.WriteLine($"run {runId} of study '{def.Name}'{version} ({(cluster is null ? "embedded silo" : $"cluster at {ClusterConnection.Where(cluster)}")}); starting…");
            // Ctrl+C from here on interrupts the run (recorded as such; the same command resumes it).
            using var interrupt = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
            Console.CancelKeyPress += onCancel;
            using var host = early?.Take() ?? StartHost(cluster, p.GetValue(console));
            // The root of the run's trace (started once the host's exporters listen): Orleans propagates it into the run grain and every grain call.
            using var span = Grains.Telemetry.Source.StartActivity("de run");
            span?.SetTag("de.run", runId);
            var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunGrain>(runId);
            var status = Cluster(() => grain.StartAsync(command), $"could not start run {runId}");
            // The same study on the same data is the same run: one already running elsewhere is followed, and this --out stays unused.
            if (status.RunDirectory is { } running && !string.Equals(Path.GetFullPath(running), Path.Combine(command.OutRoot, def.Name, runId), StringComparison.Ordinal))
                stderr.WriteLine($"note: this study is already running (run {runId}) with results in {running}; attaching to it — --out {p.GetValue(outDir)} is not used");
            if (p.GetValue(detach))
            {
                Console.CancelKeyPress -= onCancel;
                stdout.WriteLine($"run {runId} started on the cluster; follow it with: de status {runId} --redis '{ClusterConnection.Shown(cluster!)}'");
                return 0;
            }
            try
            {
                var started = status;
                status = Cluster(() => Task.FromResult(ProgressView.Follow(stderr, () => PollAsync(grain), started, interrupt.Token)),
                    $"lost run {runId} (its results so far are in {started.RunDirectory}; follow it with 'de status')");
                if (interrupt.IsCancellationRequested)
                {
                    status = Cluster(grain.InterruptAsync, $"could not interrupt run {runId}");
                    stderr.WriteLine($"interrupted; resume with the same command (committed parts are kept): {status.RunDirectory}");
                    return 130;
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                // The in-process silo holds nothing once its run has ended (every file is written, its records are in memory):
                // it is stopped without the graceful hand-over a cluster's silo does (deactivating grains, leaving the
                // membership table), which took 0.1 s. A cluster client leaves as usual.
                if (cluster is null) host.StopAsync(new CancellationToken(canceled: true)).GetAwaiter().GetResult();
                else host.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }
            return Report(stdout, stderr, loaded, status);
        }));
        return cmd;
    }

    /// <summary>A call to the cluster; a failure of the cluster (not of the run) is one line naming what failed, never a stack trace.</summary>
    private static RunStatus Cluster(Func<Task<RunStatus>> call, string what)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not (InputException or OperationCanceledException or OutOfMemoryException))
        {
            throw new InputException($"{what}: {Grains.RunMessages.OneLine(e)}", e);
        }
    }

    /// <summary>
    /// The run's status. A call can fail while the cluster notices a dead silo (the run grain moves to a
    /// survivor and resumes there): such failures are retried for up to two minutes.
    /// </summary>
    private static async Task<RunStatus> PollAsync(IRunGrain grain)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try { return await grain.GetStatusAsync(); }
            catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// An in-process silo started in the background before the study is read. Taken, it belongs to the run; left untaken
    /// (the study was refused), it is stopped and disposed here, and a failure of that stop is not reported: the study's
    /// error is the line the user needs.
    /// </summary>
    private sealed class EarlyHost(Task<IHost> start) : IDisposable
    {
        private bool _taken;

        /// <summary>The started host (waits for its start); a start that failed throws its one-line error now.</summary>
        public IHost Take()
        {
            _taken = true;
            return start.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            if (_taken) return;
            try
            {
                using var host = start.GetAwaiter().GetResult();
                host.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Deliberately dropped: see the summary.
            }
        }
    }

    private static IHost StartHost(string? redis, bool consoleTelemetry = false)
    {
        if (redis is not null) return ClusterConnection.Connect(redis, consoleTelemetry);
        // The run reports through its progress and errors; hosting logs stay quiet.
        var settings = new ClusterSettings { Redis = redis, LogLevel = Microsoft.Extensions.Logging.LogLevel.None, ConsoleTelemetry = consoleTelemetry };
        var host = SiloHost.Build(settings);
        try
        {
            host.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not InputException)
        {
            host.Dispose();
            throw new InputException($"the in-process silo could not be started: {e.GetBaseException().Message}");
        }
        return host;
    }

    /// <summary>
    /// The run's last lines: the results, or why it stopped. Their verdict agrees with the run's manifest (when this machine
    /// sees it), and "the same command resumes" is said only when parts are kept and the same command still names this run.
    /// </summary>
    internal static int Report(TextWriter stdout, TextWriter stderr, StudyDefinition def, RunStatus status)
    {
        string? manifest = status.RunDirectory is { } d ? ManifestStatus(d) : null;
        if (status.State != RunState.Complete)
        {
            if (status.RunDirectory is { } dir && Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Any())
            {
                string? now = CurrentRunId(def);
                if (now == status.RunId) stderr.WriteLine($"note: parts written so far are kept in {dir}; the same command resumes");
                else if (now is not null) stderr.WriteLine($"note: parts written so far are kept in {dir}, but the dataset changed since the run started, so the same command now starts a new run ({now})");
            }
            stderr.WriteLine($"error: run {status.RunId} {status.State.ToString().ToLowerInvariant()}: {Grains.RunMessages.OneLine(status.Message)}");
            return Cli.InputError;
        }
        if (manifest is not null && manifest != "complete")
        {
            stderr.WriteLine($"error: run {status.RunId}: the cluster reports it complete but its manifest.json says '{manifest}'; 'de status {status.RunDirectory}' shows why");
            return Cli.InputError;
        }
        var s = status.Summary!;
        int analyses = def.Analyses.IsDefaultOrEmpty ? 0 : def.Analyses.Length;
        string what = (def.Grid is null ? "" : $"{s.Specifications} specifications") + (def.Grid is not null && analyses > 0 ? " and " : "") + (analyses > 0 ? $"{analyses} analyses" : "");
        // Specifications this run fitted: by this execution, and (after an interruption or a lost run grain) before it, in the parts it found.
        string earlier = s.SpecificationsFittedNow != s.SpecificationsRecomputed
            ? $" ({s.SpecificationsFittedNow} by this execution, {s.SpecificationsRecomputed - s.SpecificationsFittedNow} before it, in parts already written)" : "";
        if (s.AlreadyComplete)
            stdout.WriteLine($"run {status.RunId} is already complete ({what}); nothing recomputed");
        else
            stdout.WriteLine($"run {status.RunId}: {what}"
                             + (def.Grid is null ? "" : $" ({s.Failed} specifications could not be estimated, {s.BatchesRun} batches run, {s.BatchesReused} reused)")
                             + (def.Grid is null ? "" : $"; {s.SpecificationsRecomputed} specifications recomputed{earlier}, {s.SpecificationsReused} reused from earlier runs (same data key)")
                             + (s.Retries > 0 ? $", {s.Retries} calls retried" : ""));
        stdout.WriteLine($"results: {status.RunDirectory}");
        stdout.WriteLine("  " + ResultListing(status.RunDirectory!));
        return 0;
    }

    /// <summary>The status in a run folder's manifest.json, or null when this machine cannot read one there.</summary>
    private static string? ManifestStatus(string dir)
    {
        string path = Path.Combine(dir, "manifest.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("status", out var st) ? st.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The run id the same command would start now (the dataset hashed again), or null when it cannot say (the dataset is gone).</summary>
    private static string? CurrentRunId(StudyDefinition def)
    {
        try
        {
            var (resolved, sha) = Grains.RunStart.Resolve(def);
            return Grains.RunStart.RunId(resolved, sha);
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException) { return null; }
    }

    public static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("run") { Description = "a run folder, or a run id to look for under --out" };
        var outDir = new Option<string>("--out") { Description = "results root", DefaultValueFactory = _ => "results" };
        var redis = new Option<string?>("--redis") { Description = "also ask the cluster's run grain where a running run stands (or DE_REDIS)" };
        var cmd = new Command("status", "Show a run's manifest and progress") { run, outDir, redis };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string target = p.GetValue(run)!;
            string? cluster = Redis(p.GetValue(redis));
            if (cluster is not null)
            {
                using var host = StartHost(cluster);
                string id = Path.GetFileName(Path.TrimEndingDirectorySeparator(target));
                var s = Cluster(host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunGrain>(id).GetStatusAsync, $"the cluster could not say where run {id} stands");
                if (s.State == RunState.NotStarted) stdout.WriteLine($"the cluster has no run {s.RunId} (never started there)");
                else stdout.WriteLine($"run {s.RunId} on the cluster: {s.State.ToString().ToLowerInvariant()}, stage {s.Stage} {s.Done}/{s.Total}, run grain on silo {s.Host}{(s.Message is null ? "" : $" — {Grains.RunMessages.OneLine(s.Message)}")}");
                host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                if (s.RunDirectory is not null) target = s.RunDirectory;
            }
            string? dir = Directory.Exists(target) ? target
                : Directory.Exists(p.GetValue(outDir)!) ? Directory.GetDirectories(p.GetValue(outDir)!, target, SearchOption.AllDirectories).FirstOrDefault() : null;
            if (dir is null || !File.Exists(Path.Combine(dir, "manifest.json"))) throw new InputException($"no run '{target}' (give the run folder, or its id with --out)");
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            var m = doc.RootElement;
            int batches = m.GetProperty("batches").GetInt32();
            int parts = Directory.Exists(Path.Combine(dir, "specs")) ? Directory.GetFiles(Path.Combine(dir, "specs"), "part-*.parquet").Length : 0;
            string state = m.GetProperty("status").GetString() ?? "";
            stdout.WriteLine($"run {m.GetProperty("run_id").GetString()} of study '{m.GetProperty("study").GetString()}': {state}");
            if (m.TryGetProperty("stopped_because", out var why)) stdout.WriteLine($"  stopped because: {Grains.RunMessages.OneLine(why.GetString())}");
            if (m.TryGetProperty("damaged_parts", out var damaged))
                foreach (var d in damaged.EnumerateArray())
                    stdout.WriteLine($"  damaged part moved aside and recomputed: {d.GetProperty("part").GetString()} → {d.GetProperty("moved_to").GetString()}");
            stdout.WriteLine($"  specifications: {m.GetProperty("specifications").GetInt32()} in {batches} batches, {parts} parts written, {m.GetProperty("failed").GetInt32()} failed");
            stdout.WriteLine($"  dataset: {m.GetProperty("dataset").GetProperty("path").GetString()} (sha256 {m.GetProperty("dataset").GetProperty("raw_sha256").GetString()![..12]}…)");
            stdout.WriteLine($"  folder: {Path.GetFullPath(dir)}");
            if (state != "complete") stdout.WriteLine("  re-run the same 'de run' command to resume: finished parts are kept");
            return 0;
        }));
        return cmd;
    }

    public static Command SiloCommand(TextWriter stdout, TextWriter stderr)
    {
        var redis = new Option<string?>("--redis") { Description = "Redis holding the cluster's membership and reminders: host:port[,password=…] (or DE_REDIS)" };
        var address = new Option<string>("--address") { Description = "address to bind and advertise (other silos must reach it)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "silo-to-silo port (0 = a free one)", DefaultValueFactory = _ => 0 };
        var gateway = new Option<int>("--gateway") { Description = "client gateway port (0 = a free one)", DefaultValueFactory = _ => 0 };
        var dashboard = new Option<int?>("--dashboard") { Description = "serve the Orleans Dashboard (read-only) on this port, on --address" };
        var console = new Option<bool>("--console-telemetry") { Description = "print spans and metrics on the console (OTLP export follows OTEL_EXPORTER_OTLP_ENDPOINT)" };
        var kubernetes = new Option<bool>("--kubernetes") { Description = "in a Kubernetes pod: silo name, address and cluster ids from the pod (Orleans Kubernetes hosting; see deploy/kubernetes)" };
        var inbox = new Option<string?>("--inbox") { Description = "watch this inbox folder: new files in INBOX/<dataset>/ are ingested with its map.yaml and the schedules on that dataset run (or DE_INBOX; docs/schedules.md)" };
        var datasets = new Option<string?>("--datasets") { Description = "folder of the versioned datasets the inbox ingests into (or DE_DATASETS; default datasets)" };
        var cmd = new Command("silo", "Host grains: join a cluster whose membership is in Redis and work until stopped (Ctrl+C or SIGTERM)") { redis, address, port, gateway, dashboard, console, kubernetes, inbox, datasets };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string cluster = Redis(p.GetValue(redis)) ?? throw new InputException("a silo needs --redis host:port (or DE_REDIS); 'de run' without --redis hosts its own in-process silo");
            if (!System.Net.IPAddress.TryParse(p.GetValue(address), out var ip)) throw new InputException($"--address '{p.GetValue(address)}': expected an IP address such as 127.0.0.1");
            string? watch = ScheduleCommand.Setting(p.GetValue(inbox), "DE_INBOX");
            if (watch is not null && !Directory.Exists(watch)) throw new InputException($"--inbox '{watch}': no such folder (make it, with one folder per dataset holding its map.yaml)");
            RedisConnection.RequirePasswordOffLoopback(RedisConnection.Parse(cluster), cluster);
            SiloHost.EnsureRedisAsync(cluster, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            var settings = new ClusterSettings
            {
                Redis = cluster, Address = ip, SiloPort = p.GetValue(port), GatewayPort = p.GetValue(gateway), DashboardPort = p.GetValue(dashboard),
                ConsoleTelemetry = p.GetValue(console), LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning, Kubernetes = p.GetValue(kubernetes),
                Inbox = watch, DatasetRoot = ScheduleCommand.Setting(p.GetValue(datasets), "DE_DATASETS") ?? "datasets",
            };
            using var host = SiloHost.Build(settings);
            try { host.StartAsync().GetAwaiter().GetResult(); }
            catch (Exception e) when (e is not InputException)
            {
                throw new InputException($"the silo could not join the cluster in Redis at {ClusterConnection.Where(cluster)}: {RedisConnection.Scrub(e.GetBaseException().Message.ReplaceLineEndings(" "), cluster)}");
            }
            stdout.WriteLine($"silo {Environment.MachineName}:{Environment.ProcessId} ready at {ip} (cluster in Redis at {ClusterConnection.Where(cluster)})"
                             + (settings.DashboardPort is { } d ? $"; dashboard at http://{ip}:{d}/" : "")
                             + (settings.Inbox is { } w ? $"; watching inbox {Path.GetFullPath(w)} into {Path.GetFullPath(settings.DatasetRoot)}" : ""));
            stdout.Flush();
            host.WaitForShutdownAsync().GetAwaiter().GetResult();
            return 0;
        }));
        return cmd;
    }

    /// <summary>What the results folder holds (its top-level files and folders, sorted), when this machine can see it.</summary>
    private static string ResultListing(string dir)
    {
        if (!Directory.Exists(dir)) return "(the folder is on the silo's machine)";
        var entries = Directory.EnumerateFileSystemEntries(dir).Select(e => Directory.Exists(e)
            ? $"{Path.GetFileName(e)}/ ({Directory.EnumerateFiles(e, "*", SearchOption.AllDirectories).Count()} files)"
            : Path.GetFileName(e)).Order(StringComparer.Ordinal);
        return string.Join(", ", entries);
    }
}
