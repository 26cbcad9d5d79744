using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>What the aggregate stage reads: the estimated grid, its bootstrap and its curve inference.</summary>
internal sealed record AggregateInput(Estimated Estimated, Resampled? Boot, Inferred? Curve);

/// <summary>Stage 7 (input: <see cref="AggregateInput"/>; output: specs.parquet's rows, in specification id order).</summary>
internal sealed class AggregateStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// every part into specs.parquet (sorted by specification id; the bootstrapped specifications with their interval
    /// columns), bootstrap.parquet (pairs replicates, sorted by specification id then replicate) and curve_inference.parquet (sorted by draw).
    /// </summary>
    public async Task<List<SpecificationRow>> RunAsync(AggregateInput input, CancellationToken ct)
    {
        var (estimated, boot, curve) = input;
        using var span = Telemetry.Source.StartActivity("run.aggregate");
        Progress("aggregate", 0, 1);
        var rows = estimated.Rows.Values.SelectMany(r => r).OrderBy(r => r.SpecId, StringComparer.Ordinal).ToList();
        if (rows.Count != estimated.Specs.Count || rows.Select(r => r.SpecId).Distinct().Count() != rows.Count)
            throw new InvalidOperationException($"the parts hold {rows.Count} rows for {estimated.Specs.Count} specifications");
        if (boot is not null) rows = boot.Apply(rows);
        await ResultTables.Specs.WriteFileAsync(Path.Combine(RunDir, "specs.parquet"), rows, ct);
        if (boot?.Summary?.Spec.Method == Contracts.BootstrapMethod.Pairs) await ResultTables.Bootstrap.WriteFileAsync(Path.Combine(RunDir, "bootstrap.parquet"), boot.Replicates.Select(ResultRows.Row), ct);
        if (curve is not null) await ResultTables.CurveInference.WriteFileAsync(Path.Combine(RunDir, "curve_inference.parquet"), curve.Rows, ct);
        Progress("aggregate", 1, 1);
        return rows;
    }
}
