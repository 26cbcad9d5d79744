using DigitalEconomy.Client;
using DigitalEconomy.Core;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The grid's estimator, instruments and weights dimensions as the study loader reads them: accepted forms and one-line refusals naming the key.</summary>
public sealed class StudyGridModelsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-gridmodels-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyGridModelsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string extra, string fes = "[\"province + year\", \"0\"]")
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"""
            name: t
            dataset:
              path: {data}
              unit: province
              time: year
            grid:
              treatment: gov
              outcomes: [lngdp]
              controls:
                full: [market, fin]
              fixed_effects: {fes}
              samples:
                all: null
              vcov: ["cluster:province"]
            {extra}
            """);
        return path;
    }

    [Fact]
    public void Estimators_Instruments_Weights_AreRead_WithCanonicalNames()
    {
        var g = StudyLoader.Load(Write("  estimators: [fe, random, 2sls]\n  instruments: [lag(gov)]\n  weights: [none, market]")).Grid!;
        Assert.Equal(["within", "re", "iv-2sls"], g.Estimators.ToArray());
        Assert.Equal(["lag(gov)"], g.Instruments.ToArray());
        Assert.Equal(["none", "market"], g.Weights.ToArray());
        var plain = StudyLoader.Load(Write("")).Grid!;
        Assert.True(plain.Estimators.IsDefaultOrEmpty && plain.Weights.IsDefaultOrEmpty && plain.Instruments.IsDefaultOrEmpty);
    }

    [Theory]
    [InlineData("  estimators: [probit]", "key 'grid.estimators[0]': expected ols, within, re, iv-2sls, iv-gmm2s, gmm-diff, gmm-sys, did-twfe, did-sa, did-cs, sar, sem, sac or sdm, found 'probit'")]
    [InlineData("  estimators: [within, fe]", "key 'grid.estimators': an estimator is listed twice")]
    [InlineData("  estimators: [iv-2sls]", "key 'grid.estimators': the IV estimators need the treatment's instruments")]
    [InlineData("  instruments: [lag(gov)]", "key 'grid.instruments': instruments are used by the IV estimators only")]
    [InlineData("  estimators: [iv-2sls]\n  instruments: [nope]", "key 'grid.instruments[0]': unknown variable 'nope'")]
    [InlineData("  weights: [pop_missing]", "key 'grid.weights[0]': unknown variable 'pop_missing'")]
    [InlineData("  weights: [none, none]", "key 'grid.weights': an entry is listed twice")]
    public void AWrongEntry_IsOneLineNamingItsKey(string extra, string expected) =>
        Assert.Contains(expected, Refused(Write(extra)), StringComparison.Ordinal);

    [Fact]
    public void AnEstimatorWithoutAFixedEffectsChoiceItTakes_IsRefused()
    {
        Assert.Contains("key 'grid.estimators[0]': re takes no fixed effects (the unit is its random effect); add \"0\" to grid.fixed_effects",
            Refused(Write("  estimators: [re]", "[\"province + year\"]")), StringComparison.Ordinal);
        Assert.Contains("key 'grid.estimators[0]': within needs fixed effects",
            Refused(Write("  estimators: [within]", "[\"0\"]")), StringComparison.Ordinal);
    }
}
