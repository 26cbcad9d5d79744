using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `fill:` in a column map: the version's gaps filled at ingest, each filled cell in the manifest. Values by hand: unit A has
/// x = 100 (2011), missing, 400 (2013), missing (2014: the series ends a year early): the interior 2012 is the line's 250; the
/// average growth rate over 2011–2013 is (400/100)^(1/2) − 1 = 100 %, so 2014 is 400·2 = 800. Unit B: 10, missing, 20, 30 →
/// 2012 = 15.
/// </summary>
public sealed class IngestFillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-ingest-fill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Root => P("datasets");

    private const string Csv = "unit,year,x,y\nA,2011,100,1\nA,2012,,2\nA,2013,400,3\nA,2014,..,4\nB,2011,10,5\nB,2012,,6\nB,2013,20,7\nB,2014,30,8\n";

    [Fact]
    public void InterpolateAndExtrapolateByGrowth_EachFilledCellInTheManifest()
    {
        File.WriteAllText(P("p.csv"), Csv);
        File.WriteAllText(P("p.yaml"), "unit: { column: unit, name: unit }\ntime: { column: year, name: year }\nvariables:\n  x: x\n  y: y\nfill: { interpolate: linear, extrapolate: growth, columns: [x] }\n");
        var (code, stdout, err) = CliRunner.Run("ingest", "d", P("p.csv"), "--map", P("p.yaml"), "--root", Root);
        Assert.True(code == 0, err);
        Assert.Contains("filled 3 cells (interpolated 2, extrapolated growth 1); each listed in the manifest (fills)", stdout);
        var f = DatasetFile.Read(new DatasetVersions(Root).Resolve("d@1").Path);
        Assert.Equal([100, 250, 400, 800, 10, 15, 20, 30], f.Numeric("x"));
        var m = new DatasetVersions(Root).Manifest("d", 1);
        Assert.Equal(
            [
                new FilledCellRecord("A", 2012, "x", 250, "interpolated"),
                new FilledCellRecord("A", 2014, "x", 800, "extrapolated growth"),
                new FilledCellRecord("B", 2012, "x", 15, "interpolated"),
            ], m.Fills!);
        Assert.Contains("\"fills\"", File.ReadAllText(Path.Combine(Root, "d", "v1", "manifest.json")));
    }

    [Fact]
    public void LinearEndsAndTheMapsNumberVariablesByDefault()
    {
        File.WriteAllText(P("p.csv"), Csv);
        File.WriteAllText(P("p.yaml"), "unit: { column: unit, name: unit }\ntime: { column: year, name: year }\nvariables:\n  x: x\nfill: { extrapolate: linear }\n");
        var (code, _, err) = CliRunner.Run("ingest", "d", P("p.csv"), "--map", P("p.yaml"), "--root", Root);
        Assert.True(code == 0, err);
        // A 2014: the line through the two nearest observations (2011: 100, 2013: 400) extended one year: 400 + 150 = 550.
        Assert.Equal([100, 250, 400, 550, 10, 15, 20, 30], DatasetFile.Read(new DatasetVersions(Root).Resolve("d").Path).Numeric("x"));
    }

    [Fact]
    public void MapErrorsNameTheKey()
    {
        File.WriteAllText(P("p.csv"), Csv);
        File.WriteAllText(P("p.yaml"), "unit: { column: unit, name: unit }\ntime: { column: year, name: year }\nvariables:\n  x: x\nfill: { extrapolate: cubic }\n");
        var (code, _, err) = CliRunner.Run("ingest", "d", P("p.csv"), "--map", P("p.yaml"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Contains("key 'fill.extrapolate': expected none, linear or growth, found 'cubic'", err);
        File.WriteAllText(P("p.yaml"), "unit: { column: unit, name: unit }\ntime: { column: year, name: year }\nvariables:\n  x: x\nfill: { columns: [z] }\n");
        (code, _, err) = CliRunner.Run("ingest", "d", P("p.csv"), "--map", P("p.yaml"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Equal("error: fill.columns: 'z' is not a column of the dataset (columns: x)", err.Trim());
    }
}
