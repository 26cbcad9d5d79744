using DigitalEconomy.Client;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Client.Tests;

/// <summary>dataset.derive: parsing, system expansion, and one-line errors naming the key path.</summary>
public sealed class StudyDeriveTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-derive-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyDeriveTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    private static Panel Provinces() => Panel.Create(CsvReader.ReadFile(DataPath), "province", "year");

    private static readonly string[] Columns = [.. Provinces().Frame.Columns.Select(c => c.Name)];

    /// <summary>Parses the list under <c>derive:</c> in <paramref name="yaml"/> (line 1 is "derive:").</summary>
    private IReadOnlyList<DeriveStep> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return StudyDerive.Parse(new StudyYaml("s.yaml"), root.Children[new YamlScalarNode("derive")], Columns, _dir);
    }

    private string Refused(string yaml)
    {
        var e = Assert.Throws<InputException>(() => Parse(yaml));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Steps_ScalarsAndLists_InOrder_LaterStepsSeeEarlierColumns()
    {
        var steps = Parse("""
            derive:
              - name: ict_lq
                kind: lq
                sector: ict_employment
                total: internet_users
              - { name: ln_ict_lq, kind: log, column: ict_lq }
              - name: gov_x_lq
                kind: interact
                columns: [gov, ln_ict_lq]
                centre: true
              - name: gov_w
                kind: winsorize
                column: gov
                limits: [5, 95]
                per_period: yes
            """);
        Assert.Equal(["ict_lq", "ln_ict_lq", "gov_x_lq", "gov_w"], steps.Select(s => s.Name));
        Assert.Equal(["gov", "ln_ict_lq"], steps[2].Parameters["columns"]);
        Assert.Equal(["true"], steps[2].Parameters["centre"]);
        Assert.Equal(["5", "95"], steps[3].Parameters["limits"]);
        Assert.Equal(["yes"], steps[3].Parameters["per_period"]);
        Assert.Equal(["ict_employment"], steps[0].Parameters["sector"]);
        Assert.Equal(2, steps[0].Parameters.Count);
    }

    [Fact]
    public void IndexSystem_BuiltIn_ExpandsToIndicatorsAndDimensions_AndAppliesLikeEntropyIndex()
    {
        var steps = Parse("""
            derive:
              - { name: hqd_index, kind: index, system: hqd, sub_indices: true }
              - { name: de_pca, kind: index, method: pca, system: de }
            """);
        var hqd = SystemLoaderAccess.Load("hqd");
        Assert.Equal(hqd.Indicators.Select(i => i.Code + (i.Direction == Direction.Positive ? ":+" : ":-")), steps[0].Parameters["indicators"]);
        Assert.Equal(hqd.Indicators.Select(i => i.Dimension!), steps[0].Parameters["dimensions"]);
        Assert.Equal(12, steps[0].Parameters["indicators"].Count);
        Assert.Contains("energy_intensity:-", steps[0].Parameters["indicators"]);
        var (panel, records) = Derivation.Apply(Provinces(), steps);
        var direct = EntropyIndex.Build(IndexInput.From(Provinces(), hqd));
        Assert.Equal(direct.Score, panel.Frame.Numeric("hqd_index"));
        Assert.Equal(1 + hqd.Dimensions.Count, records[0].Columns.Count);
        var deInput = IndexInput.From(Provinces(), SystemLoaderAccess.Load("de"));
        Assert.Equal(PcaIndex.Build(deInput, null, EntropyIndex.Build(deInput).Score).Score, panel.Frame.Numeric("de_pca"));
    }

    [Fact]
    public void IndexSystem_FileRelativeToTheStudy_AndInlineIndicators()
    {
        File.WriteAllText(Path.Combine(_dir, "mini.yaml"), "name: mini\nindicators:\n  - { code: gov, direction: \"-\" }\n  - { code: fin, direction: \"+\" }\n");
        var steps = Parse("""
            derive:
              - { name: a, kind: index, system: mini.yaml }
              - { name: b, kind: index, indicators: "gov:-, fin:+" }
              - { name: c, kind: index, indicators: [gov:-, fin] }
            """);
        Assert.Equal(["gov:-", "fin:+"], steps[0].Parameters["indicators"]);
        Assert.False(steps[0].Parameters.ContainsKey("dimensions"));
        Assert.Equal(["gov:-", "fin:+"], steps[1].Parameters["indicators"]);
        Assert.Equal(["gov:-", "fin"], steps[2].Parameters["indicators"]);
    }

    [Theory]
    [InlineData("  - { name: u, kind: upgrading, value_added: [gov, fin, market], employment: [gov, fin, market], weights: [0.3, 0.3] }",
        "s.yaml: line 3, key 'dataset.derive[1].weights': expected two non-negative numbers summing to 1 (advanced, rationalisation), found [0.3, 0.3]")]
    [InlineData("  - { name: u, kind: lqq, sector: gov }",
        "s.yaml: line 3, key 'dataset.derive[1].kind': unknown kind 'lqq'; expected one of: lq, industrial_optimisation, upgrading, translog_allocation, capital_stock, patents_adjusted, log, lag, interact, winsorize, index, expr, deflate")]
    [InlineData("  - { name: u, kind: lq, sector: gov, total: fin, totl: fin }",
        "s.yaml: line 3, key 'dataset.derive[1].totl': unknown parameter of kind 'lq'; expected one of: sector, total")]
    [InlineData("  - { name: u, kind: lq, sector: gov }",
        "s.yaml: line 3, key 'dataset.derive[1].total': missing")]
    [InlineData("  - { name: ln_gov, kind: log, column: fin }",
        "s.yaml: line 3, key 'dataset.derive[1].name': column 'ln_gov' already exists; a derive step never overwrites a column, choose another name")]
    [InlineData("  - { name: u, kind: lag, column: gov, k: [1, 2] }",
        "s.yaml: line 3, key 'dataset.derive[1].k': expected one value, found a list of 2")]
    [InlineData("  - { name: u, kind: lag, column: gov, k: {a: 1} }",
        "s.yaml: line 3, key 'dataset.derive[1].k': expected a value or a list of values")]
    [InlineData("  - { name: u, kind: interact, columns: [gov, [fin]] }",
        "s.yaml: line 3, key 'dataset.derive[1].columns[1]': expected a value, found a list")]
    [InlineData("  - { name: u, kind: log, system: hqd }",
        "s.yaml: line 3, key 'dataset.derive[1].system': applies to kind index only")]
    [InlineData("  - { name: u, kind: index, system: hqd, indicators: [gov] }",
        "s.yaml: line 3, key 'dataset.derive[1].system': give either system or indicators (with dimensions), not both")]
    [InlineData("  - { name: u, kind: index, system: nosuch.yaml }",
        "s.yaml: line 3, key 'dataset.derive[1].system': indicator system 'nosuch.yaml' does not exist (give a .yaml/.json file or one of the built-in systems: hqd, de, nqpf)")]
    [InlineData("  - { kind: log, column: gov }",
        "s.yaml: line 3, key 'dataset.derive[1].name': missing")]
    [InlineData("  - [log, gov]",
        "s.yaml: line 3, key 'dataset.derive[1]': expected a mapping with name, kind and the kind's parameters")]
    public void Errors_AreOneLine_NamingFileLineAndKeyPath(string second, string expected)
    {
        Assert.Equal(expected, Refused("derive:\n  - { name: ln_gov, kind: log, column: gov }\n" + second + "\n"));
    }

    [Fact]
    public void Errors_UnknownColumn_ListsAvailable_SystemColumnMissing_PointsAtSystem()
    {
        Assert.StartsWith("s.yaml: line 4, key 'dataset.derive[0].sector': no column 'digital'; available: broadband_ports, ",
            Refused("derive:\n  - name: u\n    kind: lq\n    sector: digital\n    total: fin\n"), StringComparison.Ordinal);
        Assert.StartsWith("s.yaml: line 2, key 'dataset.derive[0].system': no column 'higher_edu_share'; available: ",
            Refused("derive:\n  - { name: n, kind: index, system: nqpf }\n"), StringComparison.Ordinal);
        Assert.Equal("s.yaml: line 2, key 'dataset.derive': expected a list of steps, e.g. - { name: lq_dig, kind: lq, sector: dig_emp, total: emp }",
            Refused("derive:\n  name: x\n"));
    }

    [Fact]
    public void Errors_StepUsingALaterColumn_IsRefused()
    {
        var m = Refused("derive:\n  - { name: b, kind: log, column: a }\n  - { name: a, kind: log, column: gov }\n");
        Assert.StartsWith("s.yaml: line 2, key 'dataset.derive[0].column': no column 'a'", m, StringComparison.Ordinal);
    }
}
