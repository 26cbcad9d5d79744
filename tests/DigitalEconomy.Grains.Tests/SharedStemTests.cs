using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Study;
using DigitalEconomy.Study.Analyses;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>
/// No two of a run's tables (or charts) share a file: an analysis named like another's further table, or like a file the
/// run writes itself, is refused in one line before anything is written (RunTables.SharedStem).
/// </summary>
public class SharedStemTests
{
    private static readonly Table Empty = new("t", "", [], [], []);

    private static AnalysisTable T(string analysis, string stem) => new(analysis, stem, Empty);

    private static AnalysisChart C(string stem) => new(stem, stem, _ => []);

    [Fact]
    public void DistinctStems_AreAccepted()
    {
        Assert.Null(RunTables.SharedStem([T("pilot", "pilot"), T("pilot", "pilot_event"), T("desc", "desc")],
            [("pilot", [C("pilot_event"), C("pilot_placebo")]), ("desc", [])]));
    }

    [Fact]
    public void AnAnalysisNamedLikeAnothersFurtherTable_IsRefused_NamingBothAndTheFiles()
    {
        Assert.Equal("analysis 'pilot' and analysis 'pilot_event' both write tables/pilot_event.*: rename one of the analyses (an analysis's further tables and charts are named after it, e.g. NAME_event, NAME_placebo)",
            RunTables.SharedStem([T("pilot", "pilot"), T("pilot", "pilot_event"), T("pilot_event", "pilot_event")], []));
    }

    [Fact]
    public void TheRunsOwnFiles_AreTaken()
    {
        Assert.StartsWith("the grid and analysis 'specifications' both write tables/specifications.*: ", RunTables.SharedStem([T("specifications", "specifications")], []));
        Assert.StartsWith("the version changes and analysis 'changes' both write tables/changes.*: ", RunTables.SharedStem([T("changes", "changes")], []));
        Assert.StartsWith("the run and analysis 'null' both draw plots/null_median.png: ", RunTables.SharedStem([], [("null", [C("null_median")])]));
        Assert.StartsWith("analysis 'a' and analysis 'b' both draw plots/x_event.png: ", RunTables.SharedStem([], [("a", [C("x_event")]), ("b", [C("x_event")])]));
    }
}
