using System.Diagnostics;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 19 point 2: a Redis connection string never reaches a message with its password, and a silo
/// refuses a Redis off loopback that has no password. None of these needs a server.
/// </summary>
public sealed class RedisSecretTests
{
    [Fact]
    public void Status_ConnectionStringWithATypo_OneLineWithoutThePassword()
    {
        // The reproducer of the issue, letter for letter.
        var (code, o, e) = De.Run("status", "X", "--redis", "127.0.0.1:P,password=SECRET,bogus=1");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Equal("error: --redis '127.0.0.1:P,password=***,bogus=1': Keyword 'bogus' is not supported; expected host:port or host:port,password=…\n", e.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("SECRET", o + e, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("status")]
    [InlineData("schedule")]
    [InlineData("silo")]
    public void EveryCommand_ConnectionStringWithATypo_DoesNotEchoThePassword(string command)
    {
        string redis = "Password = SECRET,127.0.0.1:6399,nonsense=2";
        string[] args = command switch
        {
            "run" => ["run", Studies.Write(Path.Combine(Path.GetTempPath(), $"de-secret-{Environment.ProcessId}"), big: false, batchSize: 4), "--redis", redis],
            "status" => ["status", "X", "--redis", redis],
            "schedule" => ["schedule", "list", "--redis", redis],
            _ => ["silo", "--redis", redis],
        };
        var (code, o, e) = De.Run(args);
        Assert.Equal(2, code);
        Assert.DoesNotContain("SECRET", o + e, StringComparison.Ordinal);
        Assert.Single(e.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("127.0.0.1:6380,password=SECRET", "127.0.0.1:6380,password=***")]
    [InlineData("password=SECRET,redis:6379", "password=***,redis:6379")]
    [InlineData("redis:6379, PASSWORD = SECRET ,ssl=true", "redis:6379, PASSWORD =***,ssl=true")]
    [InlineData("redis://user:SECRET@10.0.0.5:6379", "redis://user:***@10.0.0.5:6379")]
    [InlineData("user:SECRET@10.0.0.5:6379,ssl=true", "user:***@10.0.0.5:6379,ssl=true")]
    [InlineData("10.0.0.5:6379,user=de,password=SECRET", "10.0.0.5:6379,user=de,password=***")]
    [InlineData("127.0.0.1:6380", "127.0.0.1:6380")]
    [InlineData("[::1]:6380,abortConnect=false", "[::1]:6380,abortConnect=false")]
    [InlineData("silo S127.0.0.1:35401@155613237 is dead", "silo S127.0.0.1:35401@155613237 is dead")]
    public void Mask_HidesEveryFormOfPassword(string text, string masked) =>
        Assert.Equal(masked, RedisConnection.Mask(text));

    [Fact]
    public void Scrub_HidesTheConnectionsPasswordWhereverAMessageRepeatsIt()
    {
        string redis = "10.0.0.5:6379,password=s3cr3t-value";
        Assert.Equal("login failed for *** at 10.0.0.5:6379 (password=***)",
            RedisConnection.Scrub("login failed for s3cr3t-value at 10.0.0.5:6379 (password=s3cr3t-value)", redis));
    }

    [Theory]
    [InlineData("10.1.2.3:6379", "10.1.2.3:6379")]
    [InlineData("redis:6379", "redis:6379")]
    [InlineData("127.0.0.1:6379,10.1.2.3:6380", "10.1.2.3:6380")]
    public void Silo_RedisOffLoopbackWithoutPassword_IsRefusedInOneLine_WithoutConnecting(string redis, string named)
    {
        var clock = Stopwatch.StartNew();
        var (code, o, e) = De.Run("silo", "--redis", redis);
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Equal($"error: --redis '{redis}': Redis at {named} is not on loopback and has no password: a silo joins it only with ,password=… (set requirepass in its redis.conf; deploy/README.md)\n", e.ReplaceLineEndings("\n"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}: it should refuse before any connection attempt");
    }

    [Fact]
    public void SiloHost_RedisOffLoopbackWithoutPassword_IsRefusedThere_Too()
    {
        var e = Assert.Throws<DigitalEconomy.Core.InputException>(() => SiloHost.Build(new ClusterSettings { Redis = "10.1.2.3:6379" }));
        Assert.StartsWith("--redis '10.1.2.3:6379': Redis at 10.1.2.3:6379 is not on loopback and has no password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silo_RedisOffLoopbackWithPassword_IsTried_AndItsFailureNamesNoSecret()
    {
        // 192.0.2.0/24 is TEST-NET-1: never routed, so the connection attempt times out (5 s).
        var (code, o, e) = De.Run("silo", "--redis", "192.0.2.1:6379,password=SECRET");
        Assert.Equal(2, code);
        Assert.Equal("", o);
        Assert.Equal("error: cannot reach Redis at 192.0.2.1:6379 within 5 s; is redis-server running?\n", e.ReplaceLineEndings("\n"));
    }
}
