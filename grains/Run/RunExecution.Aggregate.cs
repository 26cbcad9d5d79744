using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    /// <summary>
    /// Stage 5: every part into specs.parquet (sorted by specification id; the bootstrapped specifications with their interval
    /// columns), bootstrap.parquet (pairs replicates, sorted by specification id then replicate) and curve_inference.parquet (sorted by draw).
    /// </summary>
    private async Task<List<SpecificationRow>> AggregateAsync(Estimated estimated, Resampled? boot, Inferred? curve, CancellationToken ct)
    {
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
