using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Work;

/// <summary>Fits the models of an analysis (key: run id / analysis name) exactly as <c>de estimate</c> does; a model that cannot be estimated comes back with its error. Writes nothing.</summary>
public sealed class ModelBatchHandler() : WorkHandler<ModelBatch, ModelBatchDone>("model")
{
    /// <inheritdoc/>
    protected override ModelBatchDone Run(ModelBatch work, WorkData data)
    {
        var fits = new ModelFit[work.Models.Length];
        Parallel.For(0, fits.Length, i => fits[i] = ModelFitting.Fit(data.Winsorized(work.Models[i].Model.Winsorize), work.Models[i]));
        return new ModelBatchDone([.. fits]);
    }
}
