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
            [("pilot", [C("pilot_event"), C("pilot_placebo")]), ("desc", [])], grid: true, versioned: true));
    }

    [Fact]
    public void AnAnalysisNamedLikeAnothersFurtherTable_IsRefused_NamingBothAndTheFiles()
    {
        Assert.Equal("analysis 'pilot' and analysis 'pilot_event' both write tables/pilot_event.*: rename one of the analyses (an analysis's further tables and charts are named after it, e.g. NAME_event, NAME_placebo)",
            RunTables.SharedStem([T("pilot", "pilot"), T("pilot", "pilot_event"), T("pilot_event", "pilot_event")], [], grid: false, versioned: false));
    }

    [Fact]
    public void TheRunsOwnFiles_AreTaken_OnlyWhenTheRunWritesThem()
    {
        Assert.StartsWith("the grid and analysis 'specifications' both write tables/specifications.*: ", RunTables.SharedStem([T("specifications", "specifications")], [], grid: true, versioned: false));
        Assert.StartsWith("the version changes and analysis 'changes' both write tables/changes.*: ", RunTables.SharedStem([T("changes", "changes")], [], grid: true, versioned: true));
        Assert.StartsWith("the grid and analysis 'null' both write plots/null_median.png: ", RunTables.SharedStem([], [("null", [C("null_median")])], grid: true, versioned: false));
        // A study without a grid writes no specifications table or grid chart, one without a versioned dataset no changes table.
        Assert.Null(RunTables.SharedStem([T("specifications", "specifications"), T("changes", "changes")], [("null", [C("null_median")])], grid: false, versioned: false));
        Assert.Null(RunTables.SharedStem([T("changes", "changes")], [], grid: true, versioned: false));
        Assert.StartsWith("analysis 'a' and analysis 'b' both write plots/x_event.png: ", RunTables.SharedStem([], [("a", [C("x_event")]), ("b", [C("x_event")])], grid: false, versioned: false));
    }

    [Fact]
    public void OneAnalysisWritingOneFileTwice_IsNotToldToRenameAnAnalysis()
    {
        // Two Moran variables whose names differ only in characters a file name cannot hold give one scatter stem.
        Assert.Equal("analysis 'sp' writes plots/sp_scatter___.png twice (two of its parts give one file name): rename the variables or matrices that differ only in characters a file name cannot hold",
            RunTables.SharedStem([], [("sp", [C("sp_scatter___"), C("sp_scatter___")])], grid: false, versioned: false));
    }
}
