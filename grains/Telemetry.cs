using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DigitalEconomy.Grains;

/// <summary>The "DigitalEconomy" ActivitySource and Meter: spans per stage and grain call, counters, latency.</summary>
public static class Telemetry
{
    /// <summary>The name of the source and the meter.</summary>
    public const string Name = "DigitalEconomy";

    /// <summary>Spans: run stages (run.indices, run.specs, run.aggregate) and grain calls (grain.*).</summary>
    public static readonly ActivitySource Source = new(Name, "0.1.0");

    /// <summary>Metrics.</summary>
    public static readonly Meter Meter = new(Name, "0.1.0");

    /// <summary>Specifications estimated.</summary>
    public static readonly Counter<long> SpecificationsDone = Meter.CreateCounter<long>("de.specifications.done", description: "specifications estimated");

    /// <summary>Bootstrap replicates done.</summary>
    public static readonly Counter<long> ReplicatesDone = Meter.CreateCounter<long>("de.replicates.done", description: "bootstrap replicates done");

    /// <summary>Work calls sent again after a timeout or a silo failure.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("de.work.retries", description: "work calls sent again");

    /// <summary>Grain call latency in milliseconds.</summary>
    public static readonly Histogram<double> GrainLatency = Meter.CreateHistogram<double>("de.grain.latency", "ms", "grain call latency");
}
