using DigitalEconomy.Store;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// What the schedule tests on real silos share: a temporary folder with the datasets and results roots, a silo
/// as <c>de silo</c> hosts it (over the given redis-server, optionally watching an inbox), and waiting for run-log lines.
/// </summary>
public abstract class ScheduleSiloTest(string prefix) : IDisposable
{
    /// <summary>The test's own temporary folder.</summary>
    protected string Dir { get; } = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>The datasets root.</summary>
    protected string Root => Path.Combine(Dir, "datasets");

    /// <summary>The results root (runs.log lives there).</summary>
    protected string Results => Path.Combine(Dir, "results");

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A started silo on <paramref name="redis"/>, as <c>de silo</c> builds it; the inbox is scanned every second.</summary>
    protected static async Task<IHost> SiloAsync(string redis, string? inbox = null, string? datasets = null)
    {
        var host = SiloHost.Build(new ClusterSettings
        {
            Redis = redis, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning, Inbox = inbox, DatasetRoot = datasets ?? "datasets", InboxPeriod = TimeSpan.FromSeconds(1),
        });
        await host.StartAsync();
        return host;
    }

    /// <summary>Waits until the run log has <paramref name="count"/> lines; their fields.</summary>
    protected async Task<string[][]> LogLinesAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = RunLog.Read(Results);
            if (lines.Count >= count) return [.. lines.Select(l => l.Split('\t'))];
            Assert.True(DateTime.UtcNow < until, $"{lines.Count} run-log lines after {timeout.TotalSeconds:0} s, expected {count}");
            await Task.Delay(250);
        }
    }
}
