using System.Net;
using System.Net.Sockets;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace DigitalEconomy.Silo;

/// <summary>How a silo or a cluster client is hosted.</summary>
public sealed record ClusterSettings
{
    /// <summary>
    /// Redis holding cluster membership, reminders and run records, as a StackExchange.Redis configuration
    /// string (<c>host:port</c>, optionally <c>,password=…</c>); null hosts one silo in process with
    /// localhost clustering and in-memory reminders (the embedded default).
    /// </summary>
    public string? Redis { get; init; }
    /// <summary>Address the silo binds and advertises. The default value is loopback (127.0.0.1).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    /// <summary>Silo-to-silo port; 0 picks a free one. The default value is 0.</summary>
    public int SiloPort { get; init; }
    /// <summary>Client gateway port; 0 picks a free one. The default value is 0.</summary>
    public int GatewayPort { get; init; }
    /// <summary>Serve the Orleans Dashboard (read-only) on this port, on <see cref="Address"/>. The default value is none.</summary>
    public int? DashboardPort { get; init; }
    /// <summary>Write spans and metrics to the console as well. The default value is false.</summary>
    public bool ConsoleTelemetry { get; init; }
    /// <summary>Minimum log level. The default value is Warning.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
    /// <summary>
    /// Running in a Kubernetes pod: Orleans' Kubernetes hosting takes the silo name, address and cluster
    /// ids from the pod (POD_NAME, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID) and removes silos whose
    /// pod is gone. Membership and reminders stay in Redis. The default value is false.
    /// </summary>
    public bool Kubernetes { get; init; }
    /// <summary>Cluster id (silos and clients of one cluster share it). The default value is "digitaleconomy".</summary>
    public string ClusterId { get; init; } = "digitaleconomy";
    /// <summary>
    /// Inbox folder to watch (docs/datasets.md, "Inbox"): new files in INBOX/&lt;dataset&gt;/ are ingested into
    /// <see cref="DatasetRoot"/> and the schedules on that dataset run. The default value is none (no watcher).
    /// </summary>
    public string? Inbox { get; init; }
    /// <summary>Folder of the versioned datasets the inbox ingests into. The default value is "datasets".</summary>
    public string DatasetRoot { get; init; } = "datasets";
    /// <summary>How often the inbox is scanned. The default value is 3 seconds.</summary>
    public TimeSpan InboxPeriod { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>Builds silos and cluster clients: clustering, reminders, run storage, membership tuning, telemetry, dashboard.</summary>
public static class SiloHost
{
    /// <summary>The Orleans service id of every DigitalEconomy cluster.</summary>
    public const string ServiceId = "digitaleconomy";

    /// <summary>
    /// Failure detection tuned so that a killed silo is declared dead in seconds (Orleans' defaults take
    /// minutes): probe every second, two missed probes, one vote suffices, membership table re-read every 2 s.
    /// </summary>
    public static void TuneMembership(ClusterMembershipOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>What every silo of ours has, whatever its clustering: the grains' services, fast failure detection, trace propagation.</summary>
    public static ISiloBuilder AddDigitalEconomy(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<DatasetCache>();
        silo.Configure<ClusterMembershipOptions>(TuneMembership);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(60));
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>
    /// The run records in Redis, stored with Orleans' own serializer — the one their [GenerateSerializer]
    /// records cross silos with — not the default JSON one, which could not read a study record back
    /// after a silo died.
    /// </summary>
    public static ISiloBuilder AddRunStorage(this ISiloBuilder silo, ConfigurationOptions config) =>
        silo.AddRedisGrainStorage(RunGrain.StorageName, (Microsoft.Extensions.Options.OptionsBuilder<Orleans.Persistence.RedisStorageOptions> b) =>
            b.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
            {
                o.ConfigurationOptions = config.Clone();
                o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
            }));

    /// <summary>Membership, reminders and run records in Redis.</summary>
    public static ISiloBuilder UseRedis(this ISiloBuilder silo, string redis)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var config = RedisConnection.Parse(redis);
        RedisConnection.RequirePasswordOffLoopback(config, redis);
        silo.UseRedisClustering(o => o.ConfigurationOptions = config.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = config.Clone());
        silo.AddRunStorage(config);
        return silo;
    }

    /// <summary>Builds a silo host (not started).</summary>
    public static IHost Build(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Refused before anything is built: a silo never joins an open Redis off loopback.
        var redisConfig = settings.Redis is { } redis ? RedisConnection.Parse(redis) : null;
        if (redisConfig is not null) RedisConnection.RequirePasswordOffLoopback(redisConfig, settings.Redis!);
        int siloPort = settings.SiloPort > 0 ? settings.SiloPort : FreePort();
        int gatewayPort = settings.GatewayPort > 0 ? settings.GatewayPort : FreePort();
        // The in-process silo of one command (no Redis) reads no configuration files or variables (appsettings.json and its
        // file watcher, DOTNET_ settings): the empty builder is built and started 0.1-0.25 s sooner. A silo of a cluster keeps
        // the defaults (its hosting may be configured from the environment or files).
        IHostApplicationBuilder builder = settings.DashboardPort is not null ? WebApplication.CreateSlimBuilder()
            : settings.Redis is null ? Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings()) : Host.CreateApplicationBuilder([]);
        Logging(builder, settings.LogLevel);
        builder.UseOrleans(silo =>
        {
            silo.AddDigitalEconomy();
            if (settings.Redis is null)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, null, ServiceId, $"embedded-{Environment.ProcessId}");
                // One silo has no remote grain to locate: the directory cache's default size (10⁶ entries) cost an 18 MB
                // allocation at start-up and the full collection it set off.
                silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 10_000);
                silo.UseInMemoryReminderService();
                silo.AddMemoryGrainStorage(RunGrain.StorageName);
            }
            else
            {
                silo.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = ServiceId; });
                silo.ConfigureEndpoints(settings.Address, siloPort, gatewayPort, listenOnAnyHostAddress: false);
                silo.UseRedis(settings.Redis);
                if (settings.Kubernetes) silo.UseKubernetesHosting();
            }
            if (settings.DashboardPort is not null) silo.AddDashboard(o => o.HideTrace = true); // read-only pages; no live log trace
        });
        Telemetry(builder.Services, settings.ConsoleTelemetry);
        // Registered after UseOrleans, so it starts once the silo has joined: puts the membership table back if Redis loses it.
        if (redisConfig is not null)
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<MembershipWatchdog>(sp, redisConfig));
        if (settings.Inbox is { } inbox)
        {
            // Registered after UseOrleans, so it starts once the silo is up.
            var watch = new InboxSettings(Path.GetFullPath(inbox), Path.GetFullPath(settings.DatasetRoot), settings.InboxPeriod);
            builder.Services.AddHostedService(sp => new InboxStarter(sp.GetRequiredService<IGrainFactory>(), watch));
        }
        if (builder is WebApplicationBuilder web)
        {
            web.WebHost.UseUrls($"http://{(settings.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{settings.Address}]" : settings.Address.ToString())}:{settings.DashboardPort}");
            var app = web.Build();
            app.MapOrleansDashboard();
            return app;
        }
        return ((HostApplicationBuilder)builder).Build();
    }

    /// <summary>
    /// How long a client keeps trying to reach a gateway (a silo's client port) before it gives up: the
    /// gateways listed in Redis are retried once a second until then, which covers silos re-registering
    /// after a Redis restart (<see cref="MembershipWatchdog"/>), and nothing waits longer than this.
    /// </summary>
    public static readonly TimeSpan ClientConnectBudget = TimeSpan.FromSeconds(10);

    /// <summary>Builds a client of a Redis-backed cluster (not started; start it with <see cref="StartClientAsync"/>).</summary>
    public static IHost BuildClient(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.Redis);
        var builder = Host.CreateApplicationBuilder([]);
        Logging(builder, settings.LogLevel);
        var config = RedisConnection.Parse(settings.Redis);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = ServiceId; });
            client.UseRedisClustering(o => o.ConfigurationOptions = config.Clone());
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
            // No gateway listed, or none answering: retried once a second within the connect budget, then the start fails.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (clock.Elapsed + TimeSpan.FromSeconds(1) >= ClientConnectBudget) return false;
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                return true;
            });
            client.AddActivityPropagation();
        });
        Telemetry(builder.Services, settings.ConsoleTelemetry);
        return builder.Build();
    }

    /// <summary>
    /// Starts a client built by <see cref="BuildClient"/> within <see cref="ClientConnectBudget"/> (plus a
    /// little for the last attempt): when no gateway answers, one line naming the Redis (never its password).
    /// </summary>
    /// <exception cref="InputException">No silo of the cluster answered in time.</exception>
    public static async Task StartClientAsync(IHost client, string redis)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(redis);
        var limit = ClientConnectBudget + TimeSpan.FromSeconds(5);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            // WaitAsync as well as the token: the start must not outlive the budget even where Orleans does not watch the token.
            await client.StartAsync(cts.Token).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not InputException)
        {
            string why = e is OperationCanceledException or TimeoutException ? "" : $" ({RedisConnection.Scrub(e.GetBaseException().Message.ReplaceLineEndings(" "), redis)})";
            throw new InputException($"no silo of the cluster in Redis at {RedisConnection.Where(redis)} answered within {ClientConnectBudget.TotalSeconds:0} s{why}; is a 'de silo' running on that Redis?");
        }
    }

    /// <summary>Fails fast with one line when Redis cannot be reached or refuses the login.</summary>
    public static async Task EnsureRedisAsync(string redis, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var config = RedisConnection.Parse(redis);
        config.AbortOnConnectFail = true;
        config.ConnectTimeout = (int)timeout.TotalMilliseconds;
        config.ConnectRetry = 1;
        string where = RedisConnection.Where(config);
        try
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync(config, TextWriter.Null).ConfigureAwait(false);
            await mux.GetDatabase().PingAsync().ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            bool auth = e.FailureType == ConnectionFailureType.AuthenticationFailure || e.Message.Contains("NOAUTH", StringComparison.Ordinal) || e.Message.Contains("WRONGPASS", StringComparison.Ordinal);
            throw new InputException(auth
                ? $"Redis at {where} refused the login (check password= in the connection string)"
                : $"cannot reach Redis at {where} within {timeout.TotalSeconds:0} s; is redis-server running?");
        }
        catch (RedisServerException e) when (e.Message.Contains("NOAUTH", StringComparison.Ordinal))
        {
            throw new InputException($"Redis at {where} needs a password: add ,password=… to the connection string");
        }
    }

    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void Logging(IHostApplicationBuilder builder, LogLevel level)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(level);
    }

    /// <summary>OpenTelemetry: our source and meter plus Orleans' spans; OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, the console on request.</summary>
    private static void Telemetry(IServiceCollection services, bool console)
    {
        bool otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (!otlp && !console) return;
        services.AddOpenTelemetry()
            .WithTracing(t =>
            {
                t.AddSource(Grains.Telemetry.Name, "Microsoft.Orleans.Application");
                if (otlp) t.AddOtlpExporter();
                if (console) t.AddConsoleExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(Grains.Telemetry.Name);
                if (otlp) m.AddOtlpExporter();
                if (console) m.AddConsoleExporter();
            });
    }
}
