using DigitalEconomy.Core;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// Issue 21, item 1: a column map is read by a typed pass (IngestMapFileReader: syntax, types, closed words) before the pass
/// that checks its keys against each other (IngestMapLoader). Lines and values hand-read from the maps written here.
/// </summary>
public sealed class IngestMapTwoPassTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-map-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public IngestMapTwoPassTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "map.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TypeError_ComesBeforeAMissingKey()
    {
        // No unit (the validation pass) and a type that is none of the four (the typed pass, line 4).
        const string Map = "source: { sheet: 表1 }\ntime: { column: 年份, name: year }\nvariables:\n  gdp: { column: 地区生产总值, type: TYPE }\n";
        Assert.Equal("map.yaml: line 4, key 'variables.gdp.type': expected number, integer, text or category, found 'float'",
            Assert.Throws<InputException>(() => IngestMapLoader.Load(Write(Map.Replace("TYPE", "float", StringComparison.Ordinal)))).Message);
        Assert.Equal("map.yaml: line 1, key 'unit': missing; give { column: HEADER, name: NAME }",
            Assert.Throws<InputException>(() => IngestMapLoader.Load(Write(Map.Replace("TYPE", "number", StringComparison.Ordinal)))).Message);
    }

    [Fact]
    public void Sheets_TakeTheWorkbooksSourceKeys_OverriddenByTheirOwn()
    {
        var map = IngestMapLoader.Load(Write("""
            source:
              header_row: 2
              sheets:
                - { sheet: A, variables: { gdp: 地区生产总值 } }
                - { sheet: B, header_row: 3, variables: { pop: 人口 } }
            unit: { column: 地区, name: province }
            time: { value: 2022, name: year }
            """));
        Assert.Equal([("A", 2), ("B", 3)], map.Parts.Select(p => (p.Layout.Sheet!, p.Layout.HeaderRow!.Value)));
        Assert.Equal(["gdp", "pop"], map.Variables.Select(v => v.Name));
        Assert.Equal([("地区生产总值", "gdp"), ("人口", "pop")], map.Variables.Select(v => (v.Source, v.Name)));
        Assert.Equal(("province", "地区", 2022L), (map.Unit.Name, map.Unit.Source!, map.Time.Constant!.Value));
    }
}
