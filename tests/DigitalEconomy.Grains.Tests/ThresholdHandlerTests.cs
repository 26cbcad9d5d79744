using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Threshold;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

public class ThresholdHandlerTests
{
    private static readonly Lazy<Panel> Produc = new(() =>
        Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year"));

    private static readonly ThresholdSpec Spec = new(Formula.Parse("log(gsp) ~ log(pc) + log(emp)"), Formula.ParseTerm("unemp"), [Formula.ParseTerm("log(pcap)")],
        new ThresholdOptions { Thresholds = 2, Trim = [0.05] });

    private static ThresholdBootstrapWork Work(int first, int count) =>
        new("run", new DatasetRef("0000", "state", "year"), ThresholdModel.From(Spec), [7.1], 2, 5, "th/2", first, count);

    [Fact]
    public void Blocks_AreCoresDraws_WhateverTheSplit()
    {
        var data = WorkData.Uncached(Produc.Value);
        var handler = new ThresholdBootstrapHandler();
        var whole = handler.Compute(Work(0, 6), data);
        var split = handler.Compute(Work(0, 1), data).F.Concat(handler.Compute(Work(1, 5), data).F);
        Assert.Equal(0, whole.First);
        Assert.Equal(whole.F.Select(BitConverter.DoubleToInt64Bits), split.Select(BitConverter.DoubleToInt64Bits));
        var core = ThresholdBootstrap.Draws(Produc.Value, Spec, [7.1], 2, 5, "th/2", 0, 6);
        Assert.Equal(core.Select(BitConverter.DoubleToInt64Bits), whole.F.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void TheModel_CrossesAsItsTree()
    {
        var back = ThresholdModel.From(Spec).ToSpec();
        Assert.Equal(Spec.Formula.Source, back.Formula.Source);
        Assert.Equal(Spec.ThresholdVariable, back.ThresholdVariable);
        Assert.Equal(Spec.Regime, back.Regime);
        Assert.Equal(Spec.Options.Thresholds, back.Options.Thresholds);
        Assert.Equal(Spec.Options.Trim, back.Options.Trim);
        Assert.Equal(Spec.Options.Transform, back.Options.Transform);
    }
}
