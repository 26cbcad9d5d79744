using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>Fits the models of an analysis (key: run id / analysis name) and returns their results; writes nothing.</summary>
public sealed class ModelGrain(DatasetCache datasets) : Grain, IModelGrain
{
    /// <inheritdoc/>
    public async Task<ModelBatchDone> FitAsync(ModelBatch work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.model");
        span?.SetTag("de.run", work.RunId);
        var sw = Stopwatch.StartNew();
        var panel = await datasets.GetAsync(work.Dataset);
        Panel Variant(IReadOnlyList<string> cols) => cols.Count == 0 ? panel
            : datasets.Variant(work.Dataset.Sha256, SpecificationFit.VariantKey(cols), panel, p => SpecificationFit.Winsorized(p, cols));
        var fits = new ModelFit[work.Models.Length];
        Parallel.For(0, fits.Length, i => fits[i] = ModelFitting.Fit(Variant(work.Models[i].Winsorize), work.Models[i]));
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "model"));
        return new ModelBatchDone([.. fits]);
    }
}
