using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Parquet;

namespace DigitalEconomy.Grains;

/// <summary>One row of a specifications part (and of specs.parquet).</summary>
public sealed record SpecificationRow(
    string SpecId, string Batch, string Formula, string Term, string Outcome, string Controls, string FixedEffects, string Sample,
    string Winsor, string Lag, string Vcov, double? Estimate, double? StdError, double? Statistic, double? PValue, double? ConfLow, double? ConfHigh,
    long? N, double? R2, double? R2Within, string? Error);

/// <summary>Fits a batch of specifications with core and writes the batch's Parquet part atomically.</summary>
public sealed class SpecificationGrain(DatasetCache datasets) : ISpecificationGrain
{
    /// <summary>The schema of specification parts and of the aggregated specs.parquet.</summary>
    public static RecordSchema<SpecificationRow> Schema { get; } = new RecordSchema<SpecificationRow>()
        .String("spec_id", r => r.SpecId, nullable: false).String("batch", r => r.Batch, nullable: false)
        .String("formula", r => r.Formula, nullable: false).String("term", r => r.Term, nullable: false)
        .String("outcome", r => r.Outcome, nullable: false).String("controls", r => r.Controls, nullable: false)
        .String("fe", r => r.FixedEffects, nullable: false).String("sample", r => r.Sample, nullable: false)
        .String("winsor", r => r.Winsor, nullable: false).String("lag", r => r.Lag, nullable: false).String("vcov", r => r.Vcov, nullable: false)
        .NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError).NullableDouble("statistic", r => r.Statistic)
        .NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow).NullableDouble("conf_high", r => r.ConfHigh)
        .NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within)
        .String("error", r => r.Error);

    /// <summary>
    /// Fixed writer options so that parts and aggregates are byte-identical wherever they are written;
    /// the key-value metadata names the result schema version (nothing run- or time-specific).
    /// </summary>
    public static ParquetOptions PartOptions()
    {
        var o = new ParquetOptions { CreatedBy = "DigitalEconomy.Parquet version 0.1.0" };
        o.Metadata["digitaleconomy.schema_version"] = "1";
        return o;
    }

    /// <inheritdoc/>
    public Task<SpecificationsEstimated> EstimateAsync(EstimateSpecifications work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.specification");
        span?.SetTag("de.run", work.RunId);
        span?.SetTag("de.batch", work.BatchKey);
        var sw = Stopwatch.StartNew();
        var panel = datasets.Get(work.DatasetHash, work.DatasetPath, work.Unit, work.Time);
        var rows = new List<SpecificationRow>(work.Specifications.Count);
        int failed = 0;
        foreach (var spec in work.Specifications)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = Fit(panel, spec, work.BatchKey);
            if (row.Error is not null) failed++;
            rows.Add(row);
        }
        Schema.WriteFile(work.PartPath, rows, PartOptions());
        Telemetry.SpecificationsDone.Add(rows.Count);
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "specification"));
        return Task.FromResult(new SpecificationsEstimated(work.RunId, work.BatchKey, rows.Count, failed, $"{Environment.MachineName}:{Environment.ProcessId}"));
    }

    /// <summary>Fits one specification; a model that cannot be estimated becomes a row with its error text.</summary>
    public static SpecificationRow Fit(Panel panel, SpecificationDto spec, string batch)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(spec);
        string C(string k) => spec.Choices.TryGetValue(k, out var v) ? v : "";
        try
        {
            var p = panel;
            foreach (var col in spec.Winsorize) p = p.WithColumn(col, PanelTransforms.Winsorize(p, p.Frame.Numeric(col)));
            var options = new EstimationOptions
            {
                Vcov = VcovSpec.Parse(spec.Vcov),
                Filters = spec.Filter is null ? [] : [RowFilter.Parse(spec.Filter)],
                Collinear = CollinearPolicy.Drop,
            };
            var r = Estimation.Fit(p, spec.Formula, options);
            var c = r.Coefficients.FirstOrDefault(x => x.Term == spec.Term)
                    ?? throw new EstimationException($"'{spec.Term}' was omitted (collinear or absorbed)");
            return new SpecificationRow(spec.Id, batch, spec.Formula, spec.Term, C("outcome"), C("controls"), C("fe"), C("sample"), C("winsor"), C("lag"), spec.Vcov,
                c.Estimate, c.StdError, c.Statistic, c.PValue, c.ConfLow, c.ConfHigh, r.N, r.R2, r.R2Within, null);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return new SpecificationRow(spec.Id, batch, spec.Formula, spec.Term, C("outcome"), C("controls"), C("fe"), C("sample"), C("winsor"), C("lag"), spec.Vcov,
                null, null, null, null, null, null, null, null, null, e.Message);
        }
    }
}
