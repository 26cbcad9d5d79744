using System.Net;
using System.Text.RegularExpressions;
using DigitalEconomy.Core;
using StackExchange.Redis;

namespace DigitalEconomy.Silo;

/// <summary>
/// The one place a Redis connection string (StackExchange.Redis configuration: <c>host:port[,password=…]</c>)
/// is parsed, described and masked. Every message or log line that could carry one goes through
/// <see cref="Mask"/> or <see cref="Scrub"/>: a password never reaches a terminal or a log.
/// </summary>
public static partial class RedisConnection
{
    /// <summary>What a masked secret is replaced with.</summary>
    public const string Hidden = "***";

    // password=VALUE (any case, spaces around '='), up to the next comma: the StackExchange.Redis keyword
    // (a value already masked is left as it is, with what follows it).
    [GeneratedRegex(@"(?i)(\bpassword\s*=)(?!\*\*\*(?:[,\s)'""]|$))([^,]*)")]
    private static partial Regex PasswordKeyword();

    // user:VALUE@host, alone or in a redis:// address; not an Orleans silo address (host:port@generation).
    [GeneratedRegex(@"([^\s,:/@]*):(?!\d+@)([^\s,/@]+)@")]
    private static partial Regex UserInfo();

    /// <summary>The text with every <c>password=…</c> value and every <c>user:password@</c> password replaced by ***.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UserInfo().Replace(PasswordKeyword().Replace(text, "$1" + Hidden), "$1:" + Hidden + "@");
    }

    /// <summary>
    /// <see cref="Mask"/>, and also every literal occurrence of the connection string's secrets (its
    /// password, its user:password password), for messages of libraries that might repeat one bare.
    /// </summary>
    public static string Scrub(string text, string? redis)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (redis is not null)
            foreach (string secret in Secrets(redis).Where(s => s.Length >= 3).OrderByDescending(s => s.Length))
                text = text.Replace(secret, Hidden, StringComparison.Ordinal);
        return Mask(text);
    }

    private static IEnumerable<string> Secrets(string redis)
    {
        foreach (Match m in PasswordKeyword().Matches(redis)) if (m.Groups[2].Value.Trim() is { Length: > 0 } s) yield return s;
        foreach (Match m in UserInfo().Matches(redis)) yield return m.Groups[2].Value;
    }

    /// <summary>Parses a connection string; a mistake is one line naming the (masked) string and what was expected.</summary>
    /// <exception cref="InputException">The string is not a StackExchange.Redis configuration, or names no endpoint.</exception>
    public static ConfigurationOptions Parse(string redis, string option = "--redis")
    {
        ArgumentNullException.ThrowIfNull(redis);
        ConfigurationOptions config;
        try { config = ConfigurationOptions.Parse(redis); }
        catch (Exception e) when (e is ArgumentException or FormatException or RedisConnectionException)
        {
            string why = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new InputException($"{option} '{Mask(redis)}': {Scrub(why.ReplaceLineEndings(" ").TrimEnd('.', ' '), redis)}; expected host:port or host:port,password=…");
        }
        if (config.EndPoints.Count == 0) throw new InputException($"{option} '{Mask(redis)}': no host:port in it; expected host:port or host:port,password=…");
        return config;
    }

    /// <summary>Where the connection goes, for messages: its endpoints, "host:port, host:port" (never its options).</summary>
    public static string Where(ConfigurationOptions config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.Join(", ", config.EndPoints.Select(Format));
    }

    /// <summary>Where the connection string goes (<see cref="Where(ConfigurationOptions)"/>).</summary>
    /// <exception cref="InputException">The string cannot be parsed (<see cref="Parse"/>).</exception>
    public static string Where(string redis) => Where(Parse(redis));

    private static string Format(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint d => $"{d.Host}:{d.Port}",
        IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"[{ip.Address}]:{ip.Port}",
        _ => endPoint.ToString() ?? "",
    };

    private static bool IsLoopback(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        DnsEndPoint d => string.Equals(d.Host, "localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>
    /// A silo joins a Redis that is not on loopback only with a password: anyone who reaches an open Redis
    /// can rewrite the cluster's membership, reminders and run records.
    /// </summary>
    /// <exception cref="InputException">An endpoint is not on loopback and the configuration has no password.</exception>
    public static void RequirePasswordOffLoopback(ConfigurationOptions config, string redis, string option = "--redis")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(redis);
        if (!string.IsNullOrEmpty(config.Password)) return;
        var open = config.EndPoints.Where(e => !IsLoopback(e)).Select(Format).ToList();
        if (open.Count > 0)
            throw new InputException($"{option} '{Mask(redis)}': Redis at {string.Join(", ", open)} is not on loopback and has no password: a silo joins it only with ,password=… (set requirepass in its redis.conf; deploy/README.md)");
    }
}
