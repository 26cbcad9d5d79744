using System.CommandLine;
using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Grains;
using DigitalEconomy.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DigitalEconomy.Client;

/// <summary>`de run`, `de status`, `de silo`.</summary>
internal static class RunCommands
{
    private static Uri? Broker(string? option)
    {
        string? text = option ?? Environment.GetEnvironmentVariable("DE_BROKER");
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "rabbitmq"))
            throw new InputException($"--broker '{text}': expected amqp://user:password@host:port/vhost");
        return uri;
    }

    public static Command Run(TextWriter stdout, TextWriter stderr)
    {
        var study = new Argument<string>("study") { Description = "study file (YAML), e.g. studies/sample.yaml" };
        var outDir = new Option<string>("--out") { Description = "results root; the run goes to OUT/<study>/<run-id>", DefaultValueFactory = _ => "results" };
        var broker = new Option<string?>("--broker") { Description = "submit to a cluster: amqp://user:pass@host:port/vhost (or DE_BROKER); default runs embedded" };
        var concurrency = new Option<int>("--concurrency") { Description = "batches in flight (embedded: also the in-process silo's concurrency)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("run", "Run a study end to end: indices through RegionGrains, the specification grid through SpecificationGrains, Parquet results") { study, outDir, broker, concurrency };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var def = StudyLoader.Load(p.GetValue(study)!);
            var uri = Broker(p.GetValue(broker));
            if (uri is not null) SiloHost.EnsureReachableAsync(uri, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            int n = Math.Max(1, p.GetValue(concurrency));
            // The run reports through its progress bar and errors; transport logging stays quiet.
            using var host = SiloHost.Build(new SiloOptions { Broker = uri, HostGrains = uri is null, Concurrency = n, LogLevel = Microsoft.Extensions.Logging.LogLevel.None });
            using var cts = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
            SiloHost.StartAsync(host, uri, cts.Token).GetAwaiter().GetResult();
            try
            {
                stderr.WriteLine($"run {RunCoordinator.RunId(def)} of study '{def.Name}' ({(uri is null ? "embedded silo" : $"cluster at {uri.Host}")})");
                var progress = new ProgressBar(stderr);
                var coordinator = new RunCoordinator(host.Services.GetRequiredService<IGrainDispatcher>(), progress);
                var result = coordinator.RunAsync(def, p.GetValue(outDir)!, n * (uri is null ? 1 : 4), cts.Token).GetAwaiter().GetResult();
                progress.Done();
                if (result.AlreadyComplete)
                    stdout.WriteLine($"run {result.RunId} is already complete ({result.Specifications} specifications); nothing recomputed");
                else
                    stdout.WriteLine($"run {result.RunId}: {result.Specifications} specifications ({result.Failed} could not be estimated), {result.BatchesRun} batches run, {result.BatchesReused} reused");
                stdout.WriteLine($"results: {result.RunDirectory}");
                stdout.WriteLine($"  specs.parquet, manifest.json, tables/specifications.md, plots/specification_curve.svg, indices/, specs/{(def.Bootstrap is null ? "" : ", bootstrap.parquet, bootstrap/")}");
                return 0;
            }
            finally
            {
                host.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }
        }));
        return cmd;
    }

    public static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("run") { Description = "a run folder, or a run id to look for under --out" };
        var outDir = new Option<string>("--out") { Description = "results root", DefaultValueFactory = _ => "results" };
        var cmd = new Command("status", "Show a run's manifest and progress (parts written of batches)") { run, outDir };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string target = p.GetValue(run)!;
            string? dir = Directory.Exists(target) ? target
                : Directory.Exists(p.GetValue(outDir)!) ? Directory.GetDirectories(p.GetValue(outDir)!, target, SearchOption.AllDirectories).FirstOrDefault() : null;
            if (dir is null || !File.Exists(Path.Combine(dir, "manifest.json"))) throw new InputException($"no run '{target}' (give the run folder, or its id with --out)");
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            var m = doc.RootElement;
            int batches = m.GetProperty("batches").GetInt32();
            int parts = Directory.Exists(Path.Combine(dir, "specs")) ? Directory.GetFiles(Path.Combine(dir, "specs"), "part-*.parquet").Length : 0;
            stdout.WriteLine($"run {m.GetProperty("run_id").GetString()} of study '{m.GetProperty("study").GetString()}': {m.GetProperty("status").GetString()}");
            stdout.WriteLine($"  specifications: {m.GetProperty("specifications").GetInt32()} in {batches} batches, {parts} parts written, {m.GetProperty("failed").GetInt32()} failed");
            stdout.WriteLine($"  dataset: {m.GetProperty("dataset").GetProperty("path").GetString()} (sha256 {m.GetProperty("dataset").GetProperty("raw_sha256").GetString()![..12]}…)");
            stdout.WriteLine($"  folder: {Path.GetFullPath(dir)}");
            if (m.GetProperty("status").GetString() != "complete") stdout.WriteLine("  re-run the same 'de run' command to resume: finished parts are kept");
            return 0;
        }));
        return cmd;
    }

    public static Command SiloCommand(TextWriter stdout, TextWriter stderr)
    {
        var broker = new Option<string?>("--broker") { Description = "RabbitMQ to join: amqp://user:pass@host:port/vhost (or DE_BROKER)" };
        var concurrency = new Option<int>("--concurrency") { Description = "concurrent batches on this silo", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("silo", "Host grains: join a cluster through RabbitMQ and work until stopped (Ctrl+C or SIGTERM)") { broker, concurrency };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var uri = Broker(p.GetValue(broker)) ?? throw new InputException("a silo needs a broker: --broker amqp://user:pass@host:port/vhost (or set DE_BROKER); 'de run' without --broker hosts its own in-process silo");
            SiloHost.EnsureReachableAsync(uri, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            using var host = SiloHost.Build(new SiloOptions { Broker = uri, Concurrency = Math.Max(1, p.GetValue(concurrency)), LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });
            SiloHost.StartAsync(host, uri).GetAwaiter().GetResult();
            stdout.WriteLine($"silo {Environment.MachineName}:{Environment.ProcessId} ready on {uri.Host}:{(uri.IsDefaultPort ? 5672 : uri.Port)} (concurrency {p.GetValue(concurrency)})");
            stdout.Flush();
            host.WaitForShutdownAsync().GetAwaiter().GetResult();
            return 0;
        }));
        return cmd;
    }

    /// <summary>A one-line progress bar on stderr.</summary>
    private sealed class ProgressBar(TextWriter err) : IProgress<RunProgress>
    {
        private readonly object _gate = new();
        private string _last = "";

        public void Report(RunProgress value)
        {
            lock (_gate)
            {
                int width = 30;
                int filled = value.Total == 0 ? width : (int)((long)width * value.Done / value.Total);
                string line = $"\r{value.Stage,-20} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}";
                if (line == _last) return;
                // A new stage starts on its own line.
                if (_last.Length > 0 && !_last.StartsWith($"\r{value.Stage,-20}", StringComparison.Ordinal)) err.WriteLine();
                _last = line;
                err.Write(line);
                err.Flush();
            }
        }

        public void Done()
        {
            lock (_gate) { if (_last.Length > 0) err.WriteLine(); }
        }
    }
}
