using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A run whose analyses would write one table file twice fails in one line naming both analyses and the files, and writes
/// no table: a did analysis 'pilot' writes tables/pilot_event.*, which an analysis named 'pilot_event' would overwrite.
/// </summary>
public class SharedStemRunTests
{
    [Fact]
    public void AnAnalysisNamedLikeAnothersEventTable_FailsTheRunInOneLine_BeforeAnyTableIsWritten()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-shared-stem-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string study = Path.Combine(dir, "clash.yaml");
        File.WriteAllText(study, $$"""
            name: clash
            dataset:
              path: {{Path.Combine(AppContext.BaseDirectory, "data", "cities.csv")}}
              unit: city
              time: year
            baseline: { outcome: tfp, treatment: pilot_active, controls: [gov, fin], fe: city + year, vcov: cluster:city }
            analyses:
              - { name: pilot, type: did, outcome: tfp, cohort: pilot_year, methods: [twfe, event] }
              - { name: pilot_event, type: descriptives }
            """);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        string line = err.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.EndsWith(" failed: analysis 'pilot' and analysis 'pilot_event' both write tables/pilot_event.*: rename one of the analyses (an analysis's further tables and charts are named after it, e.g. NAME_event, NAME_placebo)", line);
        var run = Directory.GetDirectories(Path.Combine(dir, "out", "clash")).Single();
        Assert.False(Directory.Exists(Path.Combine(run, "tables")), output + err);
    }
}
