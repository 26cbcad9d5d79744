using System.Collections.Immutable;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

// Core's fit results cross grain calls as they are, through these Orleans converters (core stays free of Orleans): every
// field of a RegressionResult survives the round trip, the covariance matrix included, and dictionaries keep their order.

/// <summary>The wire form of a <see cref="Coefficient"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct CoefficientSurrogate(string Term, double Estimate, double StdError, double Statistic, double PValue, double ConfLow, double ConfHigh);

/// <summary>Orleans converter for core's <see cref="Coefficient"/>.</summary>
[RegisterConverter]
public sealed class CoefficientConverter : IConverter<Coefficient, CoefficientSurrogate>
{
    /// <inheritdoc/>
    public Coefficient ConvertFromSurrogate(in CoefficientSurrogate s) => new(s.Term, s.Estimate, s.StdError, s.Statistic, s.PValue, s.ConfLow, s.ConfHigh);

    /// <inheritdoc/>
    public CoefficientSurrogate ConvertToSurrogate(in Coefficient c) => new(c.Term, c.Estimate, c.StdError, c.Statistic, c.PValue, c.ConfLow, c.ConfHigh);
}

/// <summary>The wire form of a <see cref="TestResult"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct TestResultSurrogate(string Name, double Statistic, double Df1, double? Df2, double PValue);

/// <summary>Orleans converter for core's <see cref="TestResult"/>.</summary>
[RegisterConverter]
public sealed class TestResultConverter : IConverter<TestResult, TestResultSurrogate>
{
    /// <inheritdoc/>
    public TestResult ConvertFromSurrogate(in TestResultSurrogate s) => new(s.Name, s.Statistic, s.Df1, s.Df2, s.PValue);

    /// <inheritdoc/>
    public TestResultSurrogate ConvertToSurrogate(in TestResult t) => new(t.Name, t.Statistic, t.Df1, t.Df2, t.PValue);
}

/// <summary>The wire form of a <see cref="FirstStage"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct FirstStageSurrogate(string Endogenous, ImmutableArray<Coefficient> Coefficients, TestResult FTest, double PartialR2);

/// <summary>Orleans converter for core's <see cref="FirstStage"/>.</summary>
[RegisterConverter]
public sealed class FirstStageConverter : IConverter<FirstStage, FirstStageSurrogate>
{
    /// <inheritdoc/>
    public FirstStage ConvertFromSurrogate(in FirstStageSurrogate s) => new(s.Endogenous, [.. s.Coefficients], s.FTest, s.PartialR2);

    /// <inheritdoc/>
    public FirstStageSurrogate ConvertToSurrogate(in FirstStage f) => new(f.Endogenous, [.. f.Coefficients], f.FTest, f.PartialR2);
}

/// <summary>The wire form of <see cref="IvDiagnostics"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct IvDiagnosticsSurrogate(double CraggDonaldF, double? KleibergenPaapWaldF, TestResult KleibergenPaapLm, ImmutableArray<double>? StockYogoSize, TestResult? OverIdentification);

/// <summary>Orleans converter for core's <see cref="IvDiagnostics"/>.</summary>
[RegisterConverter]
public sealed class IvDiagnosticsConverter : IConverter<IvDiagnostics, IvDiagnosticsSurrogate>
{
    /// <inheritdoc/>
    public IvDiagnostics ConvertFromSurrogate(in IvDiagnosticsSurrogate s) =>
        new(s.CraggDonaldF, s.KleibergenPaapWaldF, s.KleibergenPaapLm, s.StockYogoSize is { } sy ? [.. sy] : null, s.OverIdentification);

    /// <inheritdoc/>
    public IvDiagnosticsSurrogate ConvertToSurrogate(in IvDiagnostics d) =>
        new(d.CraggDonaldF, d.KleibergenPaapWaldF, d.KleibergenPaapLm, d.StockYogoSize is { } sy ? [.. sy] : null, d.OverIdentification);
}

/// <summary>The wire form of a <see cref="HausmanResult"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct HausmanSurrogate(double Statistic, int Df, double PValue, ImmutableArray<string> Terms, string? Note);

/// <summary>Orleans converter for core's <see cref="HausmanResult"/>.</summary>
[RegisterConverter]
public sealed class HausmanConverter : IConverter<HausmanResult, HausmanSurrogate>
{
    /// <inheritdoc/>
    public HausmanResult ConvertFromSurrogate(in HausmanSurrogate s) => new(s.Statistic, s.Df, s.PValue, [.. s.Terms], s.Note);

    /// <inheritdoc/>
    public HausmanSurrogate ConvertToSurrogate(in HausmanResult h) => new(h.Statistic, h.Df, h.PValue, [.. h.Terms], h.Note);
}

/// <summary>A name and a count, in order (a fit's clusters per column, its fixed-effect levels).</summary>
[GenerateSerializer, Immutable]
public readonly record struct NamedCountSurrogate(string Name, int Count);

/// <summary>A name and a number, in order (a fit's further statistics).</summary>
[GenerateSerializer, Immutable]
public readonly record struct NamedValueSurrogate(string Name, double Value);

/// <summary>The wire form of a <see cref="RegressionResult"/>: every field.</summary>
[GenerateSerializer, Immutable]
public readonly record struct RegressionResultSurrogate(
    string Formula, int Estimator, int N, int DfResid, double DfTests, ImmutableArray<NamedCountSurrogate> Clusters, string Vcov, double SmallSampleFactor,
    ImmutableArray<double>? CoefficientDf, ImmutableArray<Coefficient> Coefficients, ImmutableArray<ImmutableArray<double>> Covariance, double R2, double? R2Within,
    double AdjR2, double Ssr, double Sigma, TestResult? WaldTest, ImmutableArray<NamedCountSurrogate> FixedEffects, int AbsorbedDf, int DemeanMethod, int DemeanIterations,
    ImmutableArray<string> Omitted, ImmutableArray<FirstStage>? FirstStages, IvDiagnostics? Iv, ImmutableArray<NamedValueSurrogate> Statistics, int SingletonsRemoved,
    ImmutableArray<string> Warnings, string? Weights, double? SumWeights);

/// <summary>Orleans converter for core's <see cref="RegressionResult"/>.</summary>
[RegisterConverter]
public sealed class RegressionResultConverter : IConverter<RegressionResult, RegressionResultSurrogate>
{
    /// <inheritdoc/>
    public RegressionResult ConvertFromSurrogate(in RegressionResultSurrogate s) => new()
    {
        Formula = s.Formula,
        Estimator = (EstimatorKind)s.Estimator,
        N = s.N,
        DfResid = s.DfResid,
        DfTests = s.DfTests,
        Clusters = Ordered(s.Clusters),
        Vcov = s.Vcov,
        SmallSampleFactor = s.SmallSampleFactor,
        CoefficientDf = s.CoefficientDf is { } df ? [.. df] : null,
        Coefficients = [.. s.Coefficients],
        Covariance = [.. s.Covariance.Select(r => (IReadOnlyList<double>)[.. r])],
        R2 = s.R2,
        R2Within = s.R2Within,
        AdjR2 = s.AdjR2,
        Ssr = s.Ssr,
        Sigma = s.Sigma,
        WaldTest = s.WaldTest,
        FixedEffects = Ordered(s.FixedEffects),
        AbsorbedDf = s.AbsorbedDf,
        DemeanMethod = (DemeanMethod)s.DemeanMethod,
        DemeanIterations = s.DemeanIterations,
        Omitted = [.. s.Omitted],
        FirstStages = s.FirstStages is { } fs ? [.. fs] : null,
        Iv = s.Iv,
        Statistics = s.Statistics.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
        SingletonsRemoved = s.SingletonsRemoved,
        Warnings = [.. s.Warnings],
        Weights = s.Weights,
        SumWeights = s.SumWeights,
    };

    /// <inheritdoc/>
    public RegressionResultSurrogate ConvertToSurrogate(in RegressionResult r) => new(
        r.Formula, (int)r.Estimator, r.N, r.DfResid, r.DfTests, [.. r.Clusters.Select(c => new NamedCountSurrogate(c.Key, c.Value))], r.Vcov, r.SmallSampleFactor,
        r.CoefficientDf is { } df ? [.. df] : null, [.. r.Coefficients], [.. r.Covariance.Select(row => row.ToImmutableArray())], r.R2, r.R2Within,
        r.AdjR2, r.Ssr, r.Sigma, r.WaldTest, [.. r.FixedEffects.Select(c => new NamedCountSurrogate(c.Key, c.Value))], r.AbsorbedDf, (int)r.DemeanMethod, r.DemeanIterations,
        [.. r.Omitted], r.FirstStages is { } fs ? [.. fs] : null, r.Iv, [.. r.Statistics.Select(v => new NamedValueSurrogate(v.Key, v.Value))], r.SingletonsRemoved,
        [.. r.Warnings], r.Weights, r.SumWeights);

    /// <summary>The counts in their order (a Dictionary enumerates in insertion order while nothing is removed).</summary>
    private static Dictionary<string, int> Ordered(ImmutableArray<NamedCountSurrogate> counts)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts) d[c.Name] = c.Count;
        return d;
    }
}
