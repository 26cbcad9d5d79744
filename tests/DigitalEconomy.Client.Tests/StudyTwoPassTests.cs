using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 21, item 1: a study file is read by a typed pass (syntax and types, nothing opened) before the validation pass that
/// checks it against the dataset (docs/architecture.md, "Reading a study file"). Messages hand-written from the file's lines.
/// </summary>
public sealed class StudyTwoPassTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-twopass-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyTwoPassTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Line 4 names a data file that does not exist, line 6 a column the data lack; a type error further down comes first.
    private string Write(string grid)
    {
        string text = "name: t\nseed: 7\ndataset:\n  path: nosuch.csv\n  unit: province\n  time: nosuch_column\n" +
            "grid:\n  treatment: gov\n  outcomes: [lngdp]\n  controls: { none: [] }\n  fixed_effects: [\"province + year\"]\n" +
            "  samples: { all: null }\n  vcov: [\"cluster:province\"]\n" + grid;
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("  winsorize: [maybe]\n", "s.yaml: line 14, key 'grid.winsorize': expected true or false")]
    [InlineData("  lag: {a: 1}\n", "s.yaml: line 14, key 'grid.lag': expected a list, e.g. [a, b]")]
    [InlineData("  weight: [none]\n", "s.yaml: line 14, key 'grid.weight': unknown key; expected one of: treatment, outcomes, controls, fixed_effects, samples, winsorize, lag, vcov, estimators, instruments, weights, cohort, matrices, gmm")]
    [InlineData("bootstrap: { replicates: many }\n", "s.yaml: line 14, key 'bootstrap.replicates': expected an integer, found 'many'")]
    [InlineData("tables: { stat: z }\n", "s.yaml: line 14, key 'tables.stat': expected t or se, found 'z'")]
    public void TypeErrors_AreReported_BeforeTheDatasetIsOpened(string grid, string expected) =>
        Assert.Equal(expected, Refused(Write(grid)));

    [Fact]
    public void WithNoTypeError_TheValidationPass_NamesTheDataset()
    {
        string message = Refused(Write(""));
        Assert.StartsWith("s.yaml: line 4, key 'dataset.path': file '", message, StringComparison.Ordinal);
        Assert.EndsWith("nosuch.csv' does not exist", message, StringComparison.Ordinal);
    }
}
