using System.Diagnostics;
using System.Net.Sockets;

namespace DigitalEconomy.Silo.Tests;

/// <summary>A real redis-server on 127.0.0.1 and a free port, with no persistence; stopped (killed) on dispose.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        Port = SiloHost.FreePort();
        string exe = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var psi = new ProcessStartInfo(exe, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start (install it: apt-get install redis-server; scripts/test.sh does)");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var c = new TcpClient("127.0.0.1", Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !_process.HasExited) { Thread.Sleep(50); }
        }
    }

    public int Port { get; }

    /// <summary>The redis-server's process id (a test may SIGSTOP it to stall Redis).</summary>
    public int ProcessId => _process.Id;

    public string Connection => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
