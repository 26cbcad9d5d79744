using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace DigitalEconomy.Silo;

/// <summary>
/// Puts the cluster's membership table back into Redis when Redis lost it (a restart without
/// persistence, a FLUSHALL, an expired key), so that silos stay members and clients find gateways
/// without restarting anything.
/// </summary>
/// <remarks>
/// Orleans' Redis clustering (Microsoft.Orleans.Clustering.Redis 10.4.2) keeps the table in one hash,
/// <c>{ServiceId}/members/{ClusterId}</c>: a <c>Version</c> field and one JSON row per silo. A silo writes
/// its row once, when it joins; after that it only updates it. When the hash is gone, every update
/// fails (<c>UpdateIAmAlive</c>'s script finds no row: "bad argument #1 to 'find'"), every read fails
/// ("version is missing") until a client recreates <c>Version</c> = 0, and no silo ever inserts its row
/// again, so clients see no gateway. Silos also ignore a table whose version is lower than the one they
/// last saw, and a silo that reads a newer version without its own row declares itself dead and stops
/// the process.
///
/// Chosen repair, the simplest that respects those rules: every silo keeps a copy of the whole hash as
/// it last read it healthy (its own row and <c>Version</c> present), every <see cref="Period"/>. When its
/// row or <c>Version</c> is missing, it writes the copy back in one Lua script: rows that are missing
/// are added (HSETNX: a row written since is never overwritten) and <c>Version</c> becomes the copy's
/// version when the table's is missing or lower. The table then is exactly one that every silo has
/// already seen (or older than its view, which it ignores until the table moves on), so no silo finds
/// itself missing from a newer version. If the table's version is already at or past the copy's (another
/// silo restored a newer copy) and rows were still missing, the version is raised by one, as Orleans'
/// own insert does, so the others read them. The silo's own membership agent then updates its row
/// again (IAmAlive), and rows of silos that died meanwhile are declared dead by the usual probes.
/// Rejected: re-inserting the row through Orleans' IMembershipTable (the table version it needs is
/// either below the silos' views, so ignored, or above them without their rows, so fatal to them) and
/// restarting the silo in the process (its activations and running work would be lost).
/// </remarks>
internal sealed partial class MembershipWatchdog(
    ConfigurationOptions redis,
    IOptions<ClusterOptions> cluster,
    ILocalSiloDetails silo,
    ILogger<MembershipWatchdog> log) : BackgroundService
{
    /// <summary>How often the table is read (one HGETALL of a small hash): 2 seconds.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private const string VersionField = "Version";

    private const string RestoreScript = """
        local restored = 0
        for i = 2, #ARGV, 2 do
          restored = restored + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        local current = tonumber(redis.call('HGET', KEYS[1], 'Version'))
        local copy = tonumber(ARGV[1])
        if (not current) or current < copy then
          redis.call('HSET', KEYS[1], 'Version', ARGV[1])
          return {restored, ARGV[1]}
        elseif restored > 0 then
          redis.call('HSET', KEYS[1], 'Version', tostring(current + 1))
          return {restored, tostring(current + 1)}
        end
        return {restored, tostring(current)}
        """;

    private ConnectionMultiplexer? _mux;
    private HashEntry[]? _copy;

    private RedisKey Key => $"{cluster.Value.ServiceId}/members/{cluster.Value.ClusterId}";

    /// <summary>Connects and takes the first copy before the host's start returns: a Redis restart right after it is covered too.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = redis.Clone();
        config.AbortOnConnectFail = false; // keep reconnecting while Redis is down
        _mux = await ConnectionMultiplexer.ConnectAsync(config, TextWriter.Null).ConfigureAwait(false);
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            await CheckAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>One read of the table: a healthy one becomes the copy; one without this silo's row or the version gets the copy back.</summary>
    private async Task CheckAsync(CancellationToken stoppingToken)
    {
        var db = _mux!.GetDatabase();
        string mine = silo.SiloAddress.ToString();
        try
        {
            var table = await db.HashGetAllAsync(Key).ConfigureAwait(false);
            bool hasVersion = table.Any(e => e.Name == VersionField), hasMine = table.Any(e => e.Name == mine);
            if (hasVersion && hasMine)
            {
                _copy = table;
                return;
            }
            // Before the first healthy read the silo is still joining: Orleans' own join writes the row.
            if (_copy is not { } copy || stoppingToken.IsCancellationRequested) return;
            string version = copy.First(e => e.Name == VersionField).Value.ToString();
            var args = new List<RedisValue> { version };
            foreach (var e in copy.Where(e => e.Name != VersionField)) { args.Add(e.Name); args.Add(e.Value); }
            var result = (RedisResult[]?)await db.ScriptEvaluateAsync(RestoreScript, [Key], [.. args]).ConfigureAwait(false);
            LogRestored(log, Key.ToString(), (int?)result?[0] ?? 0, copy.Length - 1, result?[1].ToString() ?? version);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis down or restarting: the next tick tries again.
            LogUnreachable(log, e);
        }
    }

    public override void Dispose()
    {
        _mux?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The membership table {Key} in Redis had lost this silo's entry (Redis restarted without persistence, or the key was deleted): wrote back {Restored} of the {Rows} silo entries last seen, table version now {Version}")]
    private static partial void LogRestored(ILogger logger, string key, int restored, int rows, string version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership watchdog: Redis not reachable; trying again")]
    private static partial void LogUnreachable(ILogger logger, Exception error);
}
