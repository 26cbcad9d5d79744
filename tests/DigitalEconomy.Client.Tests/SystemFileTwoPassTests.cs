using DigitalEconomy.Core;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 21, item 1: an indicator system file is read like a study file, a typed pass (IndicatorSystem.ReadTree: mappings,
/// lists, text) before the validation pass (IndicatorSystem.FromDocument: names, levels, codes, directions). Values read by
/// hand from study/systems/hqd.yaml; messages as the single-pass reader words them.
/// </summary>
public sealed class SystemFileTwoPassTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-system-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public SystemFileTwoPassTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "sys.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TypeError_IsReported_BeforeAValueError()
    {
        // dimensions[0]'s indicator lacks its code (the validation pass); dimensions[1]'s indicators are no list (the typed pass).
        string path = Write("name: x\ndimensions:\n  - { name: A, indicators: [ { direction: \"+\" } ] }\n  - { name: B, indicators: notalist }\n");
        Assert.Equal("sys.yaml: dimensions[1].indicators: expected a list", Assert.Throws<InputException>(() => SystemLoader.Load(path)).Message);
        path = Write("name: x\ndimensions:\n  - { name: A, indicators: [ { direction: \"+\" } ] }\n  - { name: B, indicators: [ { code: b, direction: \"-\" } ] }\n");
        Assert.Equal("sys.yaml: dimensions[0].indicators[0].code: missing (the data column of the indicator)", Assert.Throws<InputException>(() => SystemLoader.Load(path)).Message);
    }

    [Fact]
    public void Hqd_TypedDocument_HoldsTheFileAsWritten()
    {
        var doc = IndicatorSystem.ReadTree(new Dictionary<string, object?>
        {
            ["name"] = "Hqd",
            ["dimensions"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["name"] = "Economic vitality", ["name_zh"] = "经济活力",
                    ["indicators"] = new List<object?> { new Dictionary<string, object?> { ["code"] = "gdp_growth", ["direction"] = "+", ["unit"] = "%" } },
                },
            },
        }, "hqd.yaml");
        var ind = Assert.Single(Assert.Single(doc.Dimensions).Indicators);
        Assert.Equal(("dimensions[0].indicators[0].", "gdp_growth", "+", "%"), (ind.At, ind.Code, ind.Direction, ind.Unit));
        // The built-in file through both passes: 12 indicators in 6 dimensions, the first two under 经济活力 (study/systems/hqd.yaml).
        var hqd = SystemLoader.Load("hqd");
        Assert.Equal(("Hqd", "经济高质量发展", 12, 6), (hqd.Name, hqd.NameZh, hqd.Indicators.Count, hqd.Dimensions.Count));
        Assert.Equal(["gdp_growth", "gdp_pc"], hqd.Indicators.Where(i => i.Dimension == "Economic vitality").Select(i => i.Code));
        Assert.Equal(Direction.Negative, hqd.Indicators.Single(i => i.Code == "energy_intensity").Direction);
    }
}
