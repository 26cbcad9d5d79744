using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>Grain records to and from the rows of the store's declared result tables (<see cref="ResultTables"/>).</summary>
internal static class ResultRows
{
    /// <summary>The row of a fitted specification (which batch it travelled in is not recorded: results never depend on how work was split).</summary>
    public static SpecificationRow From(Specification s, SpecificationResult r) =>
        new(s.Id, SpecificationModel.FormulaText(s), SpecificationModel.Term(s), s.Outcome, s.ControlSet, SpecificationModel.FixedEffectsText(s), s.Sample,
            GridExpansion.YesNo(s.Winsorize), GridExpansion.YesNo(s.Lag), s.Vcov, r.Estimate, r.StdError, r.Statistic, r.PValue, r.ConfLow, r.ConfHigh, r.N, r.R2, r.R2Within, r.Error)
        {
            Estimator = GridExpansion.EstimatorChoice(s),
            Weights = s.Model.Weights,
        };

    /// <summary>A bootstrap replicate as a row of bootstrap.parquet.</summary>
    public static BootstrapRow Row(BootstrapReplicate r) => new(r.SpecId, r.Replicate, r.Estimate, r.Error);

    /// <summary>A row of bootstrap.parquet as a replicate.</summary>
    public static BootstrapReplicate Replicate(BootstrapRow r) => new(r.SpecId, r.Replicate, r.Estimate, r.Error);
}
