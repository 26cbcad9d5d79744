using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A real RabbitMQ (Debian's rabbitmq-server, installed by scripts/test.sh) on 127.0.0.1:5672, started
/// for the tests when it is not already running and stopped afterwards.
/// </summary>
public sealed class RabbitFixture : IDisposable
{
    public const string Url = "amqp://guest:guest@127.0.0.1:5672/";
    private readonly bool _started;

    public RabbitFixture()
    {
        if (Listening()) return;
        if (!File.Exists("/usr/sbin/rabbitmq-server") && !File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
            throw new InvalidOperationException("rabbitmq-server is not installed; run 'bash scripts/test.sh', which installs it from apt");
        Sh("rabbitmq-server", "-detached", 30);
        _started = true;
        Wait();
    }

    public static bool Listening()
    {
        try
        {
            using var c = new TcpClient();
            c.Connect("127.0.0.1", 5672);
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static void Wait()
    {
        string pid = $"/var/lib/rabbitmq/mnesia/rabbit@{Environment.MachineName.Split('.')[0]}.pid";
        Sh("rabbitmqctl", $"wait --timeout 90 {pid}", 120);
        var sw = Stopwatch.StartNew();
        while (!Listening() && sw.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(200);
        if (!Listening()) throw new InvalidOperationException("RabbitMQ did not open 127.0.0.1:5672");
    }

    /// <summary>Stops the broker application for a while (connections drop), then starts it again.</summary>
    public static void Bounce(TimeSpan down)
    {
        Sh("rabbitmqctl", "stop_app", 60);
        Thread.Sleep(down);
        Sh("rabbitmqctl", "start_app", 60);
        var sw = Stopwatch.StartNew();
        while (!Listening() && sw.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(200);
    }

    public static void Sh(string file, string args, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Loopback only, for the tests.
        psi.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        psi.Environment["RABBITMQ_DIST_PORT"] = "25672";
        psi.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"{file} {args} did not finish"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {err}");
    }

    public void Dispose()
    {
        if (_started)
        {
            try { Sh("rabbitmqctl", "stop", 60); } catch (InvalidOperationException) { }
        }
    }
}

[CollectionDefinition("rabbit")]
public sealed class RabbitGroup : ICollectionFixture<RabbitFixture>;

/// <summary>A `de silo` process.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _p;

    public SiloProcess(int concurrency)
    {
        string de = Path.Combine(AppContext.BaseDirectory, "de.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{de}\" silo --broker {RabbitFixture.Url} --concurrency {concurrency}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _p = Process.Start(psi)!;
        var sw = Stopwatch.StartNew();
        string? line;
        while ((line = _p.StandardOutput.ReadLine()) is not null)
        {
            if (line.Contains("ready", StringComparison.Ordinal)) break;
            if (sw.Elapsed > TimeSpan.FromSeconds(60)) break;
        }
        if (line is null || _p.HasExited) throw new InvalidOperationException($"silo did not start: {_p.StandardError.ReadToEnd()}");
        _ = _p.StandardOutput.ReadToEndAsync();
        _ = _p.StandardError.ReadToEndAsync();
    }

    public int Pid => _p.Id;

    /// <summary>kill -9: no shutdown, unacknowledged messages go back to the queue.</summary>
    public void KillHard() => Process.Start("kill", $"-9 {_p.Id}")!.WaitForExit();

    public void Dispose()
    {
        if (!_p.HasExited)
        {
            Process.Start("kill", $"-TERM {_p.Id}")!.WaitForExit();
            if (!_p.WaitForExit(15_000)) _p.Kill(true);
        }
        _p.Dispose();
    }
}
