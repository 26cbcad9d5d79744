using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>
/// Core fit results ↔ the <see cref="ModelFit"/> records the model grain returns. The core types carry
/// no Orleans serializer (core stays free of Orleans), so a fit crosses the wire as this mirror; the run
/// maps it back for the table builder. Everything but the covariance matrix survives the round trip.
/// </summary>
internal static class ModelFits
{
    public static ModelFit From(string id, RegressionResult r, HausmanResult? hausman) => new(
        id, r.Formula, Estimation.Name(r.Estimator), r.N, r.DfResid, r.DfTests, [.. r.Clusters.Select(c => new NamedCount(c.Key, c.Value))], r.Vcov,
        [.. r.Coefficients.Select(From)], r.R2, r.R2Within, r.AdjR2, [.. r.FixedEffects.Select(c => new NamedCount(c.Key, c.Value))],
        r.FirstStages is { } fs ? [.. fs.Select(f => new FirstStageFit(f.Endogenous, [.. f.Coefficients.Select(From)], From(f.FTest), f.PartialR2))] : [],
        r.Iv is { } iv ? new IvFit(iv.CraggDonaldF, iv.KleibergenPaapWaldF, From(iv.KleibergenPaapLm), iv.StockYogoSize is { } sy ? [.. sy] : [],
            iv.OverIdentification is { } oi ? From(oi) : null) : null,
        r.Statistics.ToImmutableDictionary(), [.. r.Warnings],
        hausman is null ? null : new HausmanFit(hausman.Statistic, hausman.Df, hausman.PValue, hausman.Note), null, r.SingletonsRemoved, r.Weights, r.SumWeights);

    public static ModelFit Failed(AnalysisModel m, string error) =>
        new(m.Id, m.Model.Formula.Source, m.Model.Estimator is { } e ? Estimation.Name(e) : "", 0, 0, 0, [], m.Model.Vcov.ToString(), [], double.NaN, null, double.NaN,
            [], [], null, ImmutableDictionary<string, double>.Empty, [], null, error);

    /// <summary>The core result of a fit (empty covariance), for the table builder.</summary>
    public static RegressionResult ToCore(ModelFit f) => new()
    {
        Formula = f.Formula,
        Estimator = Estimation.ParseName(f.Estimator),
        N = f.N,
        DfResid = f.DfResid,
        DfTests = f.DfTests,
        Clusters = Ordered(f.Clusters),
        Vcov = f.Vcov,
        SmallSampleFactor = double.NaN,
        Coefficients = [.. f.Coefficients.Select(ToCore)],
        Covariance = [],
        R2 = f.R2,
        R2Within = f.R2Within,
        AdjR2 = f.AdjR2,
        Ssr = double.NaN,
        Sigma = double.NaN,
        FixedEffects = Ordered(f.FixedEffects),
        FirstStages = f.FirstStages.IsDefaultOrEmpty ? null : [.. f.FirstStages.Select(s => new FirstStage(s.Endogenous, [.. s.Coefficients.Select(ToCore)], ToCore(s.FTest), s.PartialR2))],
        Iv = f.Iv is { } iv ? new IvDiagnostics(iv.CraggDonaldF, iv.KleibergenPaapWaldF, ToCore(iv.KleibergenPaapLm), iv.StockYogoSize.IsDefaultOrEmpty ? null : [.. iv.StockYogoSize],
            iv.OverIdentification is { } oi ? ToCore(oi) : null) : null,
        Statistics = f.Statistics,
        Warnings = [.. f.Warnings],
        SingletonsRemoved = f.SingletonsRemoved,
        Weights = f.Weights,
        SumWeights = f.SumWeights,
    };

    /// <summary>The counts in the model's order (a Dictionary enumerates in insertion order while nothing is removed).</summary>
    private static Dictionary<string, int> Ordered(ImmutableArray<NamedCount> counts)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts) d[c.Name] = c.Count;
        return d;
    }

    public static Coefficient ToCore(CoefficientFit c) => new(c.Term, c.Estimate, c.StdError, c.Statistic, c.PValue, c.ConfLow, c.ConfHigh);

    private static CoefficientFit From(Coefficient c) => new(c.Term, c.Estimate, c.StdError, c.Statistic, c.PValue, c.ConfLow, c.ConfHigh);

    private static TestFit From(TestResult t) => new(t.Name, t.Statistic, t.Df1, t.Df2, t.PValue);

    private static TestResult ToCore(TestFit t) => new(t.Name, t.Statistic, t.Df1, t.Df2, t.PValue);
}
