using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>A <see cref="ModelSpec"/> as core estimation options and its fit, exactly as <c>de estimate</c> runs it.</summary>
internal static class ModelFitting
{
    /// <summary>The estimation options of a model: variance estimator (Stata small-sample convention), estimator, filters, singleton rule.</summary>
    public static EstimationOptions Options(ModelSpec m) => new()
    {
        DropSingletons = !m.KeepSingletons,
        Vcov = VcovSpec.Parse(m.Vcov),
        Estimator = m.Estimator is { } e ? Estimation.ParseName(e) : null,
        Filters = [.. m.Filters.Select(RowFilter.Parse)],
    };

    /// <summary>Fits one model on the panel (already winsorised as the model asks); a model that cannot be estimated returns its reason.</summary>
    public static ModelFit Fit(Panel panel, ModelSpec m)
    {
        try
        {
            var f = Formula.Parse(m.Formula);
            var options = Options(m);
            var r = Estimation.Fit(panel, f, options);
            var h = m.Hausman ? Estimation.Hausman(panel, f, options) : null;
            return ModelFits.From(m.Id, r, h);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return ModelFits.Failed(m, e.Message);
        }
    }
}
