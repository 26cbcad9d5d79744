using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>An <see cref="AnalysisModel"/>'s fit, exactly as <c>de estimate</c> runs it (the model arrives typed: nothing is parsed here).</summary>
internal static class ModelFitting
{
    /// <summary>The estimation options of a model: variance estimator, estimator, filters, singleton rule.</summary>
    public static EstimationOptions Options(AnalysisModel m) => m.Model.Options();

    /// <summary>Fits one model on the panel (already winsorised as the model asks); a model that cannot be estimated returns its reason.</summary>
    public static ModelFit Fit(Panel panel, AnalysisModel m)
    {
        try
        {
            var f = m.Model.Formula;
            var options = Options(m);
            var r = Estimation.Fit(panel, f, options);
            var h = m.Hausman ? Estimation.Hausman(panel, f, options) : null;
            return ModelFit.Of(m.Id, r, h);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return ModelFit.Failed(m, e.Message);
        }
    }
}
