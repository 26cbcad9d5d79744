using DigitalEconomy.Client;
using DigitalEconomy.Core;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>Issue 9, items 2, 8 and 9: every wrong study file is one line naming the key path.</summary>
public sealed class StudyLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-study-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyLoaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    /// <summary>A valid study; <paramref name="edit"/> replaces one line of it.</summary>
    private string Write(params (string Find, string Replace)[] edits)
    {
        string text = $"""
            name: t
            seed: 7
            batch_size: 8
            dataset:
              path: {Data}
              unit: province
              time: year
              region: region
            grid:
              treatment: gov
              outcomes: [lngdp]
              controls:
                none: []
                full: [market, fin]
              fixed_effects: ["province + year"]
              samples:
                all: null
                east: "region == East"
              vcov: ["cluster:province"]

            """;
        foreach (var (find, replace) in edits)
        {
            Assert.Contains(find, text, StringComparison.Ordinal);
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Valid_Loads()
    {
        var s = StudyLoader.Load(Write());
        Assert.Equal(8, s.BatchSize);
        Assert.Equal(7, s.Seed);
    }

    [Fact]
    public void ShippedSampleStudy_Loads()
    {
        var s = StudyLoader.Load(Path.Combine(RepoRoot.Path, "studies", "sample.yaml"));
        Assert.Equal(8, s.BatchSize);
        Assert.Equal(3, s.Grid!.Samples.Length);
    }

    [Fact]
    public void DatasetPath_Directory_SaysItIsADirectory()
    {
        var m = Refused(Write(($"path: {Data}", $"path: {Path.GetTempPath()}")));
        Assert.Contains("key 'dataset.path'", m, StringComparison.Ordinal);
        Assert.Contains("is a directory", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_List_NamesKeyAndType()
    {
        var m = Refused(Write(("seed: 7", "seed: [1, 2]")));
        Assert.Contains("key 'seed'", m, StringComparison.Ordinal);
        Assert.Contains("expected an integer", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Treatment_List_NamesKeyAndType()
    {
        var m = Refused(Write(("treatment: gov", "treatment: [gov, fin]")));
        Assert.Contains("key 'grid.treatment'", m, StringComparison.Ordinal);
        Assert.Contains("expected a column name", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_Mapping_NamesKeyAndType()
    {
        var m = Refused(Write(("outcomes: [lngdp]", "outcomes: [{a: b}]")));
        Assert.Contains("key 'grid.outcomes'", m, StringComparison.Ordinal);
        Assert.Contains("expected a column name", m, StringComparison.Ordinal);
    }

    [Fact]
    public void AliasBomb_InsideControls_IsRefused()
    {
        string bomb = "    full: [market, fin]\n    a: &a [market, market, market, market, market, market, market, market]\n"
            + "    b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n    d: [*c, *c, *c, *c, *c, *c, *c, *c]";
        var m = Refused(Write(("    full: [market, fin]", bomb)));
        Assert.Contains("key 'grid.controls.b'", m, StringComparison.Ordinal);
        Assert.Contains("expected a column name", m, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlsKey_NotAScalar_IsRefused()
    {
        var m = Refused(Write(("    none: []", "    [x]: []")));
        Assert.Contains("key 'grid.controls'", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_Method_NotAScalar_IsRefused()
    {
        var m = Refused(Write(("batch_size: 8", "batch_size: {a: 1}")));
        Assert.Contains("key 'batch_size'", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Extrapolate_IsReadForTheInterpolatedColumns_AndRefusedWithoutThemOrWithAnUnknownMethod()
    {
        var d = StudyLoader.Load(Write(("  region: region\n", "  region: region\n  interpolate: [gov]\n  extrapolate: growth\n"))).Dataset;
        Assert.Equal("growth", d.Extrapolate);
        Assert.Equal(new[] { "gov" }, d.Interpolate.ToArray());
        Assert.Null(StudyLoader.Load(Write(("  region: region\n", "  region: region\n  interpolate: [gov]\n  extrapolate: none\n"))).Dataset.Extrapolate);
        Assert.Equal("s.yaml: line 9, key 'dataset.extrapolate': applies to the dataset.interpolate columns; give interpolate: true or a list of columns",
            Refused(Write(("  region: region\n", "  region: region\n  extrapolate: linear\n"))));
        Assert.Equal("s.yaml: line 10, key 'dataset.extrapolate': expected none, linear (extend the line of the two nearest years) or growth (the unit's average growth rate), found 'cubic'",
            Refused(Write(("  region: region\n", "  region: region\n  interpolate: [gov]\n  extrapolate: cubic\n"))));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void BatchSize_NotPositive_IsRefused(string value)
    {
        var m = Refused(Write(("batch_size: 8", $"batch_size: {value}")));
        Assert.Contains("key 'batch_size'", m, StringComparison.Ordinal);
        Assert.Contains("positive", m, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleFilter_SyntaxError_IsRefusedBeforeAnyWork()
    {
        var m = Refused(Write(("\"region == East\"", "\"region === East\"")));
        Assert.Contains("key 'grid.samples.east'", m, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedEffects_SyntaxError_IsRefused()
    {
        var m = Refused(Write(("[\"province + year\"]", "[\"province +\"]")));
        Assert.Contains("key 'grid.fixed_effects'", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Vcov_NotAScalar_IsRefused()
    {
        var m = Refused(Write(("vcov: [\"cluster:province\"]", "vcov: [[iid]]")));
        Assert.Contains("key 'grid.vcov'", m, StringComparison.Ordinal);
    }

    [Fact]
    public void Vcov_UnknownClusterColumn_IsRefused()
    {
        var m = Refused(Write(("vcov: [\"cluster:province\"]", "vcov: [\"cluster:provinz\"]")));
        Assert.Contains("key 'grid.vcov'", m, StringComparison.Ordinal);
        Assert.Contains("provinz", m, StringComparison.Ordinal);
    }

    [Fact]
    public void CurveInference_IsReadWithDefaults_AndEveryWrongKeyNamesItsPath()
    {
        var def = StudyLoader.Load(Write(("vcov: [\"cluster:province\"]", "vcov: [\"cluster:province\"]\ncurve_inference: { draws: 30 }")));
        Assert.Equal(new Contracts.CurveInferenceSpec(30, 50, 100), def.CurveInference);
        Assert.Null(StudyLoader.Load(Write()).CurveInference);
        Assert.Contains("key 'curve_inference.chunk': chunk must be between 1 and 10000000",
            Refused(Write(("vcov: [\"cluster:province\"]", "vcov: [\"cluster:province\"]\ncurve_inference: { draws: 30, chunk: 0 }"))), StringComparison.Ordinal);
        Assert.Contains("key 'curve_inference.spec_chunks': unknown key; expected one of: draws, chunk, spec_chunk",
            Refused(Write(("vcov: [\"cluster:province\"]", "vcov: [\"cluster:province\"]\ncurve_inference: { spec_chunks: 3 }"))), StringComparison.Ordinal);
        Assert.Contains("key 'curve_inference': expected a mapping",
            Refused(Write(("vcov: [\"cluster:province\"]", "vcov: [\"cluster:province\"]\ncurve_inference: 500"))), StringComparison.Ordinal);
    }
}
