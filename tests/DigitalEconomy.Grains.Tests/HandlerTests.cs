using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>Handlers run without a cluster, on a panel in memory (<see cref="WorkData.Uncached"/>).</summary>
public class HandlerTests
{
    private static readonly Lazy<Panel> Produc = new(() =>
        Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year"));

    private static readonly DatasetRef Dataset = new("0000", "state", "year");

    private static Specification Spec(string id, string treatment, string vcov = "cluster:state", bool winsorize = false)
    {
        var choices = new Specification(id, "gsp", treatment, false, "base", ["pc", "emp"], ["state", "year"], "all", null, winsorize, vcov, null!);
        return choices with { Model = SpecificationModel.Build(choices, VcovSpec.Parse(vcov), null) };
    }

    [Fact]
    public void EstimateBatch_FitsInTheOrderSent_AndAnUnfittableSpecificationIsAResultWithItsReason()
    {
        var work = new EstimateBatch("run", Dataset, "batch-1", [Spec("a", "pcap"), Spec("b", "no_such_column"), Spec("c", "unemp", "hc1", winsorize: true)]);
        var done = new EstimateBatchHandler().Compute(work, WorkData.Uncached(Produc.Value));
        Assert.Equal("batch-1", done.BatchKey);
        Assert.Equal(["a", "b", "c"], done.Results.Select(r => r.SpecId));
        Assert.Null(done.Results[0].Error);
        Assert.Equal(816, done.Results[0].N);
        Assert.NotNull(done.Results[1].Error);
        Assert.Null(done.Results[1].Estimate);
        Assert.Null(done.Results[2].Error);
    }

    [Fact]
    public void EstimateBatch_AgreesWithTheModelHandler_OnTheSameModel()
    {
        // Two paths through core: batch estimation of a typed specification, and the one-model fit of de estimate.
        var spec = new EstimateBatchHandler().Compute(new EstimateBatch("run", Dataset, "k", [Spec("a", "pcap")]), WorkData.Uncached(Produc.Value)).Results[0];
        var model = new AnalysisModel("m/1", new ModelSpec { Formula = Formula.Parse("gsp ~ pcap + pc + emp | state + year"), Variances = [VcovSpec.Cluster("state")] }, false);
        var fit = new ModelBatchHandler().Compute(new ModelBatch("run", Dataset, [model]), WorkData.Uncached(Produc.Value)).Fits[0];
        Assert.Null(fit.Error);
        var coef = fit.Coefficients.Single(c => c.Term == "pcap");
        Assert.Equal(coef.Estimate, spec.Estimate!.Value, 1e-9);
        Assert.Equal(coef.StdError, spec.StdError!.Value, 1e-9);
        Assert.Equal(fit.Result!.N, (int)spec.N!.Value);
    }

    [Fact]
    public void BootstrapReplicates_DoNotDependOnTheBlockTheyRanIn()
    {
        var handler = new BootstrapBlockHandler();
        var data = WorkData.Uncached(Produc.Value);
        var spec = Spec("a", "pcap");
        var whole = handler.Compute(new BootstrapBlock("run", Dataset, 7, spec, 0, 4), data).Replicates;
        var split = handler.Compute(new BootstrapBlock("run", Dataset, 7, spec, 0, 2), data).Replicates
            .Concat(handler.Compute(new BootstrapBlock("run", Dataset, 7, spec, 2, 2), data).Replicates);
        Assert.Equal(whole, split);
        Assert.Equal([0L, 1, 2, 3], whole.Select(r => r.Replicate));
        Assert.All(whole, r => Assert.True(r.Estimate is { } e && double.IsFinite(e), r.Error));
    }

    [Fact]
    public void WildBootstrap_WithoutOneWayClusters_IsAReplyWithTheReason_NotAnException()
    {
        var done = new WildBootstrapHandler().Compute(
            new WildBootstrapWork("run", Dataset, 1, Spec("a", "pcap", "hc1"), 99, BootstrapWeights.Rademacher, BootstrapWildType.Wcr, 0.95), WorkData.Uncached(Produc.Value));
        Assert.Equal("a", done.SpecId);
        Assert.Null(done.PValue);
        Assert.Contains("one-way clustered errors", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkData_Winsorized_OfNoColumns_IsTheDatasetItself()
    {
        var data = WorkData.Uncached(Produc.Value);
        Assert.Same(Produc.Value, data.Winsorized(ImmutableArray<string>.Empty));
        Assert.NotSame(Produc.Value, data.Winsorized(["gsp"]));
    }
}
