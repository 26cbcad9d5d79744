using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Grains;
using MassTransit;

namespace DigitalEconomy.Silo;

/// <summary>Adapts an EstimateSpecifications message to a SpecificationGrain call.</summary>
public sealed class EstimateSpecificationsConsumer(SpecificationGrain grain) : IConsumer<EstimateSpecifications>
{
    /// <inheritdoc/>
    public async Task Consume(ConsumeContext<EstimateSpecifications> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.RespondAsync(await grain.EstimateAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }
}

/// <summary>Adapts ComputeRegionRanges to a RegionGrain call.</summary>
public sealed class RegionRangesConsumer(RegionGrain grain) : IConsumer<ComputeRegionRanges>
{
    /// <inheritdoc/>
    public async Task Consume(ConsumeContext<ComputeRegionRanges> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.RespondAsync(await grain.RangesAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }
}

/// <summary>Adapts ComputeRegionSums to a RegionGrain call.</summary>
public sealed class RegionSumsConsumer(RegionGrain grain) : IConsumer<ComputeRegionSums>
{
    /// <inheritdoc/>
    public async Task Consume(ConsumeContext<ComputeRegionSums> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.RespondAsync(await grain.SumsAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }
}

/// <summary>Adapts RunBootstrap to a BootstrapGrain call.</summary>
public sealed class RunBootstrapConsumer(BootstrapGrain grain) : IConsumer<RunBootstrap>
{
    /// <inheritdoc/>
    public async Task Consume(ConsumeContext<RunBootstrap> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.RespondAsync(await grain.RunAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }
}

/// <summary>Tuning of the bootstrap endpoint: one block at a time per silo (a block is parallel inside).</summary>
public sealed class RunBootstrapConsumerDefinition : ConsumerDefinition<RunBootstrapConsumer>
{
    /// <summary>Creates the definition.</summary>
    public RunBootstrapConsumerDefinition()
    {
        EndpointName = "de-bootstrap";
        ConcurrentMessageLimit = 1;
    }

    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RunBootstrapConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = 1;
        endpointConfigurator.UseMessageRetry(r => { r.Ignore<InputException>(); r.Interval(3, TimeSpan.FromMilliseconds(500)); });
    }
}

/// <summary>Tuning of the specification endpoint: concurrency per silo and retries of transient faults only.</summary>
public sealed class EstimateSpecificationsConsumerDefinition : ConsumerDefinition<EstimateSpecificationsConsumer>
{
    /// <summary>Concurrent batches per silo (set by the host from its options).</summary>
    public static int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Creates the definition.</summary>
    public EstimateSpecificationsConsumerDefinition()
    {
        EndpointName = "de-specifications";
        ConcurrentMessageLimit = Concurrency;
    }

    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<EstimateSpecificationsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = Concurrency;
        // Bad input (a wrong dataset, a singular design the grain could not turn into a row) is not
        // transient: straight to the fault with its message. I/O hiccups are retried.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<InputException>();
            r.Ignore<EstimationException>();
            r.Ignore<ArgumentException>();
            r.Interval(3, TimeSpan.FromMilliseconds(500));
        });
    }
}

/// <summary>Tuning of the region endpoints.</summary>
public sealed class RegionRangesConsumerDefinition : ConsumerDefinition<RegionRangesConsumer>
{
    /// <summary>Creates the definition.</summary>
    public RegionRangesConsumerDefinition() => EndpointName = "de-region-ranges";

    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RegionRangesConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r => { r.Ignore<InputException>(); r.Interval(3, TimeSpan.FromMilliseconds(500)); });
    }
}

/// <summary>Tuning of the region endpoints.</summary>
public sealed class RegionSumsConsumerDefinition : ConsumerDefinition<RegionSumsConsumer>
{
    /// <summary>Creates the definition.</summary>
    public RegionSumsConsumerDefinition() => EndpointName = "de-region-sums";

    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RegionSumsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(r => { r.Ignore<InputException>(); r.Interval(3, TimeSpan.FromMilliseconds(500)); });
    }
}
