using System.Diagnostics;
using DigitalEconomy.Contracts;

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
        var fits = new ModelFit[work.Models.Length];
        Parallel.For(0, fits.Length, i => fits[i] = ModelFitting.Fit(datasets.Winsorized(work.Dataset.Sha256, panel, work.Models[i].Model.Winsorize), work.Models[i]));
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "model"));
        return new ModelBatchDone([.. fits]);
    }
}
