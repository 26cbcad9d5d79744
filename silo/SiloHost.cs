using System.Net.Sockets;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Grains;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DigitalEconomy.Silo;

/// <summary>How a silo (or a client-only bus) is hosted.</summary>
public sealed record SiloOptions
{
    /// <summary>RabbitMQ URI (amqp://user:pass@host:port/vhost); null runs in process on the in-memory transport.</summary>
    public Uri? Broker { get; init; }
    /// <summary>Host grain consumers (a silo) or only send work (a client of a cluster).</summary>
    public bool HostGrains { get; init; } = true;
    /// <summary>Concurrent specification batches per silo. The default value is the processor count.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;
    /// <summary>Minimum log level of the host's console logging. The default value is Warning.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}

/// <summary>Builds silos: MassTransit (in-memory or RabbitMQ), grains, telemetry.</summary>
public static class SiloHost
{
    /// <summary>Fails fast, with one clear message, when the broker's TCP port cannot be reached within <paramref name="timeout"/>.</summary>
    public static async Task EnsureReachableAsync(Uri broker, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(broker);
        int port = broker.IsDefaultPort || broker.Port <= 0 ? 5672 : broker.Port;
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(broker.Host, port, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InputException($"cannot reach the broker at {broker.Host}:{port} ({(e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message)}); is RabbitMQ running?");
        }
        // The port answers: now log in, so that a wrong user, password or vhost is one clear line too.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = broker, RequestedConnectionTimeout = timeout, ClientProvidedName = "de preflight" };
        using var login = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(5));
        try
        {
            await using var connection = await factory.CreateConnectionAsync(login.Token).ConfigureAwait(false);
            // The vhost is checked when a channel opens.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: login.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.AuthenticationFailureException
                                      or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException)
        {
            string user = factory.UserName, vhost = factory.VirtualHost;
            bool auth = e is RabbitMQ.Client.Exceptions.AuthenticationFailureException || e.InnerException is RabbitMQ.Client.Exceptions.AuthenticationFailureException;
            throw new InputException(auth
                ? $"the broker at {broker.Host}:{port} refused the login of user '{user}' (check the user and password in the URI)"
                : e.GetBaseException().Message.Contains("vhost", StringComparison.Ordinal)
                    ? $"the broker at {broker.Host}:{port} has no vhost '{vhost}' for user '{user}' (the URI's path names the vhost; '/' is the default one)"
                    : $"the broker at {broker.Host}:{port} did not accept a connection for user '{user}' on vhost '{vhost}' ({e.GetBaseException().Message})");
        }
    }

    /// <summary>Starts a built host; a transport that fails to start is one clear line, not a stack trace.</summary>
    public static async Task StartAsync(IHost host, Uri? broker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (InputException or OperationCanceledException))
        {
            string where = broker is null ? "the in-process transport" : $"the broker at {broker.Host}";
            throw new InputException($"{where} could not be started: {e.GetBaseException().Message}");
        }
    }

    /// <summary>Builds the host (not started).</summary>
    public static IHost Build(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        var services = builder.Services;
        services.AddSingleton<DatasetCache>();
        services.AddSingleton<SpecificationGrain>();
        services.AddSingleton<RegionGrain>();
        services.AddSingleton<BootstrapGrain>();
        services.AddSingleton<IGrainDispatcher, BusDispatcher>();
        EstimateSpecificationsConsumerDefinition.Concurrency = Math.Max(1, options.Concurrency);
        services.AddMassTransit(x =>
        {
            if (options.HostGrains)
            {
                x.AddConsumer<EstimateSpecificationsConsumer, EstimateSpecificationsConsumerDefinition>();
                x.AddConsumer<RegionRangesConsumer, RegionRangesConsumerDefinition>();
                x.AddConsumer<RegionSumsConsumer, RegionSumsConsumerDefinition>();
                x.AddConsumer<RunBootstrapConsumer, RunBootstrapConsumerDefinition>();
            }
            var timeout = RequestTimeout.After(h: 1);
            x.AddRequestClient<EstimateSpecifications>(new Uri("queue:de-specifications"), timeout);
            x.AddRequestClient<ComputeRegionRanges>(new Uri("queue:de-region-ranges"), timeout);
            x.AddRequestClient<ComputeRegionSums>(new Uri("queue:de-region-sums"), timeout);
            x.AddRequestClient<RunBootstrap>(new Uri("queue:de-bootstrap"), timeout);
            if (options.Broker is null)
                x.UsingInMemory((ctx, cfg) => cfg.ConfigureEndpoints(ctx));
            else
                x.UsingRabbitMq((ctx, cfg) =>
                {
                    cfg.Host(options.Broker);
                    cfg.ConfigureEndpoints(ctx);
                });
        });
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        string? otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (!string.IsNullOrEmpty(otlp))
        {
            services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder().AddSource(Telemetry.Name, "MassTransit").AddOtlpExporter().Build());
            services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder().AddMeter(Telemetry.Name).AddOtlpExporter().Build());
            services.AddHostedService<TelemetryActivator>();
        }
        return builder.Build();
    }

    /// <summary>Resolves the OTLP providers at start so that they export from the first span.</summary>
    private sealed class TelemetryActivator(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) { _ = tracer; _ = meter; return Task.CompletedTask; }
        public Task StopAsync(CancellationToken cancellationToken) { tracer.ForceFlush(); meter.ForceFlush(); return Task.CompletedTask; }
    }
}

/// <summary>Sends grain work as MassTransit requests: competing consumers on the silos answer.</summary>
public sealed class BusDispatcher(IServiceProvider services) : IGrainDispatcher
{
    private async Task<TResponse> Ask<TRequest, TResponse>(TRequest work, CancellationToken ct) where TRequest : class where TResponse : class
    {
        using var scope = services.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<TRequest>>();
        try
        {
            var r = await client.GetResponse<TResponse>(work, ct).ConfigureAwait(false);
            return r.Message;
        }
        catch (RequestFaultException e)
        {
            var inner = e.Fault?.Exceptions.FirstOrDefault();
            throw new InputException(inner?.Message ?? e.Message);
        }
    }

    /// <inheritdoc/>
    public Task<SpecificationsEstimated> EstimateAsync(EstimateSpecifications work, CancellationToken cancellationToken) =>
        Ask<EstimateSpecifications, SpecificationsEstimated>(work, cancellationToken);

    /// <inheritdoc/>
    public Task<RegionRangesComputed> RangesAsync(ComputeRegionRanges work, CancellationToken cancellationToken) =>
        Ask<ComputeRegionRanges, RegionRangesComputed>(work, cancellationToken);

    /// <inheritdoc/>
    public Task<RegionSumsComputed> SumsAsync(ComputeRegionSums work, CancellationToken cancellationToken) =>
        Ask<ComputeRegionSums, RegionSumsComputed>(work, cancellationToken);

    /// <inheritdoc/>
    public Task<BootstrapCompleted> BootstrapAsync(RunBootstrap work, CancellationToken cancellationToken) =>
        Ask<RunBootstrap, BootstrapCompleted>(work, cancellationToken);
}
