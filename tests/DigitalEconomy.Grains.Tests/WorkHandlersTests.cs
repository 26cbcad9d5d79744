using DigitalEconomy.Contracts;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>The registry of the compute grain: every work record of the contracts has exactly one handler, and nothing else has one.</summary>
public class WorkHandlersTests
{
    private static readonly Type[] WorkTypes = [.. typeof(ComputeWork).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ComputeWork)) && !t.IsAbstract)];

    [Fact]
    public void EveryWorkType_HasExactlyOneHandler()
    {
        Assert.Equal(11, WorkTypes.Length);
        foreach (var t in WorkTypes)
            Assert.True(WorkHandlers.All.Count(h => h.WorkType == t) == 1, $"{t.Name}: {WorkHandlers.All.Count(h => h.WorkType == t)} handlers");
    }

    [Fact]
    public void EveryHandler_HandlesAWorkTypeOfTheContracts_UnderItsOwnName()
    {
        Assert.All(WorkHandlers.All, h => Assert.Contains(h.WorkType, WorkTypes));
        Assert.Equal(WorkHandlers.All.Count, WorkHandlers.All.Select(h => h.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(WorkHandlers.All.Count, WorkHandlers.All.Select(h => h.WorkType).Distinct().Count());
    }

    [Fact]
    public void EveryWorkType_NamesAResultType_ThatIsAWorkResult()
    {
        foreach (var t in WorkTypes)
        {
            var generic = t.BaseType!;
            Assert.True(generic.IsGenericType && generic.GetGenericTypeDefinition() == typeof(ComputeWork<>), $"{t.Name} derives from ComputeWork<TResult>");
            Assert.True(generic.GetGenericArguments()[0].IsSubclassOf(typeof(WorkResult)));
        }
    }

    [Fact]
    public void TheSpanNames_TheTestsAndTracesRelyOn_AreKept()
    {
        // Span grain.NAME and the latency metric's grain tag: the same names as the seven work grains had.
        Assert.Equal(
            ["bootstrap", "curve_null", "did_bootstrap", "did_placebo", "mediation_bootstrap", "model", "permutation", "spatial", "specification", "threshold_bootstrap", "wild"],
            WorkHandlers.All.Select(h => h.Name).Order(StringComparer.Ordinal));
    }

    private sealed record UnknownResult : WorkResult;

    private sealed record UnknownWork(string RunId, DatasetRef Dataset) : ComputeWork<UnknownResult>;

    [Fact]
    public void WorkWithoutAHandler_IsRefused_NamingItsType()
    {
        var e = Assert.Throws<NotSupportedException>(() => WorkHandlers.For(new UnknownWork("r", new DatasetRef("00", "state", "year"))));
        Assert.Contains(nameof(UnknownWork), e.Message, StringComparison.Ordinal);
    }
}
