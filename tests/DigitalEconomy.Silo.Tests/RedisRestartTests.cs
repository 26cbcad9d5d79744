using System.Diagnostics;
using System.Net.Sockets;
using DigitalEconomy.Client;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 19 point 5 on real silos (SiloHost.Build, as 'de silo' hosts them) over a real redis-server that
/// is killed and started again on the same port under them: without persistence the silos put the
/// membership table back and new clients work again within seconds; with the shipped persistence
/// settings the schedules and their reminders survive too; a client that finds no gateway answering
/// fails within seconds in one line.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class RedisRestartTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-redis-restart-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private const string MembersKey = "digitaleconomy/members/digitaleconomy";

    /// <summary>A redis-server on 127.0.0.1 that can be killed (SIGKILL, as a crash) and started again on the same port and data folder.</summary>
    private sealed class Redis : IDisposable
    {
        private readonly string[] _settings;
        private readonly string _data;
        private Process? _process;

        public Redis(string data, params string[] settings)
        {
            _data = data;
            _settings = settings;
            Directory.CreateDirectory(data);
            Port = SiloHost.FreePort();
            Start();
        }

        public int Port { get; }

        public string Connection => $"127.0.0.1:{Port}";

        private void Start()
        {
            var psi = new ProcessStartInfo(File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server")
            {
                RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = _data,
            };
            foreach (string a in (string[])["--port", $"{Port}", "--bind", "127.0.0.1", "--protected-mode", "yes", "--dir", _data, .. _settings]) psi.ArgumentList.Add(a);
            _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            var until = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var mux = ConnectionMultiplexer.Connect($"{Connection},connectTimeout=500");
                    mux.GetDatabase().Ping(); // also answers only once the append-only file is loaded
                    return;
                }
                catch (RedisException) when (DateTime.UtcNow < until && !_process.HasExited) { Thread.Sleep(50); }
            }
        }

        public void Restart()
        {
            Kill();
            Start();
        }

        private void Kill()
        {
            if (_process is null) return;
            try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            _process.Dispose();
            _process = null;
        }

        public HashEntry[] Members()
        {
            using var mux = ConnectionMultiplexer.Connect(Connection);
            return mux.GetDatabase().HashGetAll(MembersKey);
        }

        public long Reminders()
        {
            using var mux = ConnectionMultiplexer.Connect(Connection);
            return mux.GetDatabase().SortedSetLength("digitaleconomy/reminders");
        }

        public void Dispose() => Kill();
    }

    /// <summary>The persistence settings of the shipped Redis configuration (deploy/systemd/redis.conf.example), as redis-server arguments.</summary>
    private static string[] ShippedPersistence()
    {
        var args = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(ShippedRedisConfigTests.RepoRoot(), "deploy", "systemd", "redis.conf.example")))
        {
            var words = line.Trim().Split(' ', 2);
            if (words[0] is "save" or "appendonly" or "appendfsync") { args.Add("--" + words[0]); args.Add(words[1].Trim('"')); }
        }
        return [.. args];
    }

    private static async Task<IHost> SiloAsync(string redis)
    {
        var host = SiloHost.Build(new ClusterSettings { Redis = redis, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });
        await host.StartAsync();
        return host;
    }

    private static int Silos(HashEntry[] table) => table.Count(e => e.Name.ToString().StartsWith('S'));

    /// <summary>Runs the command until it exits 0 (each attempt bounded by the client's connect budget); how long that took.</summary>
    private async Task<(TimeSpan Took, string Out)> UntilItWorksAsync(TimeSpan bound, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (code, o, e) = await Task.Run(() => De.Run(args));
            if (code == 0) return (clock.Elapsed, o);
            log.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: de {args[0]} exit {code}: {e.Trim()}");
            Assert.True(clock.Elapsed < bound, $"de {string.Join(' ', args)} still fails after {bound.TotalSeconds:0} s: {e}");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task RedisRestartedWithoutPersistence_SilosPutTheMembershipTableBack_AndNewClientsWorkWithinSeconds()
    {
        using var redis = new Redis(Path.Combine(_dir, "redis"), "--save", "", "--appendonly", "no");
        var silos = new[] { await SiloAsync(redis.Connection), await SiloAsync(redis.Connection) };
        try
        {
            var before = redis.Members();
            Assert.Equal(2, Silos(before));

            // At once: a restart right after the silos started must be covered as well as a later one.
            redis.Restart();
            Assert.Empty(redis.Members());

            // A new client: within the connect budget of its first attempt, or a few attempts at most.
            var (took, listed) = await UntilItWorksAsync(TimeSpan.FromSeconds(30), "schedule", "list", "--redis", redis.Connection);
            log.WriteLine($"de schedule list worked {took.TotalSeconds:0.0} s after the restart");
            Assert.Equal("no schedules (add one with: de schedule add STUDY --cron \"0 3 * * *\")\n", listed.ReplaceLineEndings("\n"));
            var (code, o, e) = De.Run("status", "r0", "--redis", redis.Connection, "--out", _dir);
            Assert.Equal("the cluster has no run r0 (never started there)\n", o.ReplaceLineEndings("\n"));
            Assert.Equal(2, code); // and no run folder here either
            Assert.StartsWith("error: no run 'r0'", e, StringComparison.Ordinal);

            // Both silos' rows are back, as they were, with the table's version.
            var after = redis.Members();
            Assert.Equal(before.Where(x => x.Name.ToString().StartsWith('S')).Select(x => x.Name.ToString()).Order(), after.Where(x => x.Name.ToString().StartsWith('S')).Select(x => x.Name.ToString()).Order());
            Assert.Contains(after, x => x.Name == "Version");
        }
        finally
        {
            foreach (var s in silos) { await s.StopAsync(); s.Dispose(); }
        }
    }

    [Fact]
    public async Task RedisRestartedWithTheShippedPersistence_SchedulesAndRemindersSurvive_AndTheClusterAnswers()
    {
        var persistence = ShippedPersistence();
        log.WriteLine($"shipped persistence: {string.Join(' ', persistence)}");
        using var redis = new Redis(Path.Combine(_dir, "redis"), persistence);
        var silo = await SiloAsync(redis.Connection);
        try
        {
            string study = Studies.Write(Path.Combine(_dir, "study"), big: false, batchSize: 4);
            var (code, o, e) = De.Run("schedule", "add", study, "--cron", "0 3 1 1 *", "--id", "yearly", "--out", Path.Combine(_dir, "results"), "--redis", redis.Connection);
            Assert.True(code == 0, o + e);
            long reminders = redis.Reminders();
            Assert.True(reminders >= 1, $"{reminders} reminders");
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // appendfsync everysec

            redis.Restart();

            var (took, listed) = await UntilItWorksAsync(TimeSpan.FromSeconds(30), "schedule", "list", "--redis", redis.Connection);
            log.WriteLine($"de schedule list worked {took.TotalSeconds:0.0} s after the restart: {listed.Trim()}");
            Assert.StartsWith("yearly  ", listed, StringComparison.Ordinal);
            Assert.Contains("\"0 3 1 1 *\" UTC", listed, StringComparison.Ordinal);
            Assert.Equal(reminders, redis.Reminders());
            Assert.Equal(1, Silos(redis.Members()));
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    [Fact]
    public async Task AClientWithNoGatewayAnswering_FailsWithinSeconds_InOneLine()
    {
        using var redis = new Redis(Path.Combine(_dir, "redis"), "--save", "", "--appendonly", "no");

        // No silo ever joined: no gateway listed.
        var clock = Stopwatch.StartNew();
        var (code, o, e) = await Task.Run(() => De.Run("schedule", "list", "--redis", redis.Connection));
        var took = clock.Elapsed;
        log.WriteLine($"no gateway: {took.TotalSeconds:0.0} s: {e.Trim()}");
        Assert.Equal((2, ""), (code, o));
        Assert.Single(e.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"error: no silo of the cluster in Redis at {redis.Connection} answered within 10 s", e, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(16), $"took {took}");

        // A silo listed as active whose gateway port no longer answers (as after a SIGKILL): the same.
        var silo = await SiloAsync(redis.Connection);
        await silo.StopAsync();
        silo.Dispose();
        using (var mux = await ConnectionMultiplexer.ConnectAsync(redis.Connection))
        {
            var db = mux.GetDatabase();
            var row = (await db.HashGetAllAsync(MembersKey)).Single(x => x.Name.ToString().StartsWith('S'));
            await db.HashSetAsync(MembersKey, row.Name, System.Text.RegularExpressions.Regex.Replace(row.Value.ToString(), "\"Status\":\\d+", "\"Status\":3"));
        }
        clock.Restart();
        (code, o, e) = await Task.Run(() => De.Run("status", "r0", "--redis", redis.Connection, "--out", _dir));
        took = clock.Elapsed;
        log.WriteLine($"dead gateway: {took.TotalSeconds:0.0} s: {e.Trim()}");
        Assert.Equal((2, ""), (code, o));
        Assert.Single(e.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"error: no silo of the cluster in Redis at {redis.Connection} answered within 10 s", e, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(16), $"took {took}");
    }
}

/// <summary>Every shipped Redis configuration persists with an append-only file (issue 19 point 5).</summary>
public sealed class ShippedRedisConfigTests
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    [Theory]
    [InlineData("deploy/local-cluster.sh")]
    [InlineData("deploy/systemd/redis.conf.example")]
    [InlineData("deploy/kubernetes/redis.yaml")]
    [InlineData("deploy/docker-compose.yml")]
    [InlineData("deploy/slurm/cluster.sbatch")]
    public void ShippedRedis_RunsWithAnAppendOnlyFile_FsyncedEverySecond(string file)
    {
        string text = File.ReadAllText(Path.Combine(RepoRoot(), file));
        Assert.Contains("appendonly yes", text, StringComparison.Ordinal);
        Assert.Contains("appendfsync everysec", text, StringComparison.Ordinal);
        Assert.DoesNotContain("appendonly no", text, StringComparison.Ordinal);
    }
}

/// <summary>`de silo` that cannot start after Redis answered: one line, exit 2, no stack trace, no password.</summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class SiloStartTests
{
    [Fact]
    public void Silo_PortTaken_OneLineNamingTheRedis_NoStackTrace()
    {
        using var redis = new RedisServer();
        var busy = new TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
            var (code, o, e) = De.Run("silo", "--redis", redis.Connection, "--port", $"{port}");
            Assert.Equal((2, ""), (code, o));
            Assert.Single(e.TrimEnd('\n').Split('\n'));
            Assert.StartsWith($"error: the silo could not join the cluster in Redis at {redis.Connection}: ", e, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }
}
