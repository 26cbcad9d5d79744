using DigitalEconomy.Core;
using DigitalEconomy.Silo;
using Microsoft.Extensions.Hosting;

namespace DigitalEconomy.Client;

/// <summary>
/// How the cluster commands (run, status, schedule) reach a Redis-backed cluster: the connection string
/// from --redis or DE_REDIS, checked against Redis, then an Orleans client started within the hosting's
/// connect budget. Every message names the Redis by its endpoints or masked, never with its password.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>The connection string: the option's value, else DE_REDIS's, else null (no cluster).</summary>
    internal static string? Redis(string? option)
    {
        string? text = option ?? Environment.GetEnvironmentVariable("DE_REDIS");
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Where the cluster's Redis is, for messages: "host:port" (never the password).</summary>
    internal static string Where(string redis) => RedisConnection.Where(redis);

    /// <summary>The connection string as it may be shown: password=*** (to repeat it in a hint).</summary>
    internal static string Shown(string redis) => RedisConnection.Mask(redis);

    /// <summary>A started client of the cluster; one line (exit 2) when Redis or every gateway is out of reach.</summary>
    internal static IHost Connect(string redis, bool consoleTelemetry = false)
    {
        SiloHost.EnsureRedisAsync(redis, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        // Cluster commands report through their own lines; hosting logs stay quiet.
        var host = SiloHost.BuildClient(new ClusterSettings { Redis = redis, LogLevel = Microsoft.Extensions.Logging.LogLevel.None, ConsoleTelemetry = consoleTelemetry });
        try
        {
            SiloHost.StartClientAsync(host, redis).GetAwaiter().GetResult();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
