using DigitalEconomy.Contracts;
using Microsoft.Extensions.Hosting;

namespace DigitalEconomy.Silo;

/// <summary>Starts the inbox watcher grain once the silo is up (the grain then keeps itself going with a timer and a reminder).</summary>
internal sealed class InboxStarter(IGrainFactory grains, InboxSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IInboxGrain>(settings.Inbox).StartAsync(settings).WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
