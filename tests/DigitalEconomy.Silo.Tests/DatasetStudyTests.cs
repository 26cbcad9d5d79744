using DigitalEconomy.Client;
using DigitalEconomy.Core;
using DigitalEconomy.Grains;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Issue 14, point 3: a study names a versioned dataset (dataset.name, version, root) instead of a file.</summary>
public sealed class DatasetStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-dsstudy-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public DatasetStudyTests()
    {
        // v1: 2013-2015 of every city; v2 adds 2016 of the eastern cities.
        CityVersions.Ingest(Path.Combine(_dir, "in"), Root, "cities", CityVersions.Csv((y, _) => y <= 2015), "v1.csv");
        CityVersions.Ingest(Path.Combine(_dir, "in"), Root, "cities", CityVersions.Csv((y, r) => y <= 2015 || (y == 2016 && r == "East")), "v2.csv");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Root => Path.Combine(_dir, "datasets");

    private string V(int v) => Path.Combine(Root, "cities", $"v{v}", "data.csv");

    private string Write(string dataset)
    {
        string path = Path.Combine(_dir, "studies", "s.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            name: s
            dataset:
            {dataset}
              region: region
            grid:
              treatment: dfi_index
              outcomes: [lngdp]
              controls:
                none: []
              fixed_effects: ["city + year"]
              samples:
                all: null
              vcov: ["cluster:city"]

            """);
        return path;
    }

    private static string Refused(string path)
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Name_WithoutVersion_IsTheLatestVersion_RootRelativeToTheStudyFile_UnitAndTimeFromTheDataset()
    {
        var s = StudyLoader.Load(Write("  name: cities\n  root: ../datasets"));
        Assert.Equal("cities", s.Dataset.Name);
        Assert.Null(s.Dataset.Version);
        Assert.Equal(Root, s.Dataset.Root);
        Assert.Equal(V(2), s.Dataset.Path);
        Assert.Equal(("city", "year"), (s.Dataset.Unit, s.Dataset.Time));
        var (resolved, sha) = RunStart.Resolve(s);
        Assert.Equal(2, resolved.Dataset.Version);
        Assert.Equal(RunStart.HashFile(V(2)), sha);
    }

    [Theory]
    [InlineData("  name: cities@1\n  root: ../datasets")]
    [InlineData("  name: cities\n  version: 1\n  root: ../datasets")]
    [InlineData("  name: cities@v1\n  version: v1\n  root: ../datasets")]
    public void Version_AsSuffixOrKey_PinsThatVersion(string dataset)
    {
        var s = StudyLoader.Load(Write(dataset));
        Assert.Equal(1, s.Dataset.Version);
        Assert.Equal(V(1), s.Dataset.Path);
        var (runId, command) = RunStart.Build(s, Path.Combine(_dir, "results"), 2);
        Assert.Equal(RunStart.HashFile(V(1)), command.DatasetSha256);
        Assert.Equal(RunStart.RunId(s, RunStart.HashFile(V(1))), runId);
    }

    [Fact]
    public void UnpinnedStudy_ResolvesTheVersionLatestWhenTheRunStarts()
    {
        var s = StudyLoader.Load(Write("  name: cities\n  root: ../datasets"));
        CityVersions.Ingest(Path.Combine(_dir, "in"), Root, "cities", CityVersions.Csv((y, r) => y <= 2015 || (y == 2016 && r is "East" or "West")), "v3.csv");
        var (id3, c3) = RunStart.Build(s, Path.Combine(_dir, "results"), 2);
        Assert.Equal(3, c3.Study.Dataset.Version);
        Assert.Equal(V(3), c3.Study.Dataset.Path);
        var (id1, _) = RunStart.Build(s with { Dataset = s.Dataset with { Version = 1 } }, Path.Combine(_dir, "results"), 2);
        Assert.NotEqual(id1, id3);
    }

    [Fact]
    public void DefaultRoot_IsDatasetsInTheCurrentDirectory()
    {
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "datasets"), RunStart.DefaultRoot);
        var m = Refused(Write("  name: nosuchdataset"));
        Assert.Contains("key 'dataset.name': no dataset 'nosuchdataset' under " + RunStart.DefaultRoot, m, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  name: towns\n  root: ../datasets", "line 3, key 'dataset.name': no dataset 'towns' under")]
    [InlineData("  name: cities\n  version: 9\n  root: ../datasets", "line 4, key 'dataset.version': dataset 'cities' has no version 9; versions: v1, v2")]
    [InlineData("  name: cities@9\n  root: ../datasets", "line 3, key 'dataset.name': dataset 'cities' has no version 9; versions: v1, v2")]
    [InlineData("  name: cities@1\n  version: 2\n  root: ../datasets", "line 4, key 'dataset.version': 2 contradicts 'cities@1' in dataset.name; give the version once")]
    [InlineData("  name: cities\n  version: two\n  root: ../datasets", "key 'dataset.version': version 'two': expected a version number such as 2 or v2")]
    [InlineData("  name: cit ies\n  root: ../datasets", "key 'dataset.name': dataset name 'cit ies': use letters, digits, '-' and '_'")]
    [InlineData("  name: [cities]\n  root: ../datasets", "key 'dataset.name': expected a dataset name such as cities or cities@2, found a list")]
    [InlineData("  name: cities\n  root: ../nowhere", "key 'dataset.root': folder '")]
    [InlineData("  name: cities\n  path: x.csv\n  root: ../datasets", "key 'dataset.path': give either 'path:' (a file) or 'name:' (a versioned dataset), not both")]
    [InlineData("  path: x.csv\n  version: 2", "key 'dataset.version': belongs to a versioned dataset: give 'name:' instead of 'path:'")]
    [InlineData("  unit: city", "key 'dataset.path': missing; give the data file (path:) or a versioned dataset (name:)")]
    public void BadDatasetKeys_OneLineNamingTheKey(string dataset, string expected)
    {
        var m = Refused(Write(dataset));
        Assert.StartsWith("s.yaml: ", m, StringComparison.Ordinal);
        Assert.Contains(expected, m, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionChangedByHand_IsRefusedByTheLoaderAndAtRunStart()
    {
        var s = StudyLoader.Load(Write("  name: cities@1\n  root: ../datasets"));
        File.SetAttributes(V(1), FileAttributes.Normal);
        File.AppendAllText(V(1), "C999,East,X,2015,1,1,1,1,1\n");
        Assert.Contains("key 'dataset.name': " + V(1) + ": SHA-256 ", Refused(Write("  name: cities@1\n  root: ../datasets")), StringComparison.Ordinal);
        var e = Assert.Throws<InputException>(() => RunStart.Build(s, Path.Combine(_dir, "results"), 2));
        Assert.StartsWith("study 's', key 'dataset.name': " + V(1) + ": SHA-256 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 1 of 'cities' was changed after it was made", e.Message, StringComparison.Ordinal);
    }
}
