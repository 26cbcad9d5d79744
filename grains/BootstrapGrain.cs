using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Parquet;

namespace DigitalEconomy.Grains;

/// <summary>One bootstrap replicate of a specification's coefficient.</summary>
public sealed record BootstrapRow(string SpecId, long Replicate, double? Estimate, string? Error);

/// <summary>Runs blocks of pairs cluster bootstrap replicates of a specification and writes their part.</summary>
public sealed class BootstrapGrain(DatasetCache datasets) : IBootstrapGrain
{
    /// <summary>The schema of bootstrap parts and of bootstrap.parquet.</summary>
    public static RecordSchema<BootstrapRow> Schema { get; } = new RecordSchema<BootstrapRow>()
        .String("spec_id", r => r.SpecId, nullable: false).Int64("replicate", r => r.Replicate)
        .NullableDouble("estimate", r => r.Estimate).String("error", r => r.Error);

    /// <inheritdoc/>
    public Task<BootstrapCompleted> RunAsync(RunBootstrap work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.bootstrap");
        span?.SetTag("de.run", work.RunId);
        span?.SetTag("de.spec", work.Specification.Id);
        var sw = Stopwatch.StartNew();
        var panel = datasets.Get(work.DatasetHash, work.DatasetPath, work.Unit, work.Time);
        var rows = new BootstrapRow[work.Replicates];
        Parallel.For(0, work.Replicates, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            long r = work.FirstReplicate + i;
            var sample = ClusterBootstrap.Resample(panel, work.Seed, work.Specification.Id, r);
            var fit = SpecificationGrain.Fit(sample, work.Specification, "bootstrap");
            rows[i] = new BootstrapRow(work.Specification.Id, r, fit.Estimate, fit.Error);
        });
        Schema.WriteFile(work.PartPath, rows, SpecificationGrain.PartOptions());
        Telemetry.ReplicatesDone.Add(rows.Length);
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "bootstrap"));
        return Task.FromResult(new BootstrapCompleted(work.RunId, work.Specification.Id, work.FirstReplicate, work.Replicates, rows.Count(r => r.Error is not null)));
    }
}
