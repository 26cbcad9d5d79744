using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using NJsonSchema;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// docs/study.schema.json (issue 11): every shipped study validates, broken studies are refused by the schema and by the
/// loader alike, and the keys the loader accepts at every level are exactly the schema's properties there (drift).
/// </summary>
public sealed partial class StudySchemaTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-schema-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudySchemaTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Root() => RepoRoot.Path;

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Root(), "docs", "study.schema.json"))).GetAwaiter().GetResult());

    private static readonly Lazy<JsonObject> SchemaJson = new(() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "docs", "study.schema.json")))!);

    /// <summary>
    /// YAML as an editor's language server sees it (YAML 1.2 core schema): plain scalars that read as null, booleans,
    /// integers or floats are typed, quoted ones are strings. Written here because YamlDotNet's representation
    /// model keeps every scalar as text and its serializer has no YAML-to-JSON mode that keeps quoting.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } p => Plain(p.Value ?? ""),
        YamlScalarNode q => JsonValue.Create(q.Value ?? ""),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntPattern().IsMatch(v)) return JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
        if (FloatPattern().IsMatch(v)) return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        return JsonValue.Create(v);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static ICollection<NJsonSchema.Validation.ValidationError> Validate(string yamlText)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));
        return Schema.Value.Validate(ToJson(yaml.Documents[0].RootNode)!.ToJsonString());
    }

    private static string Data => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    [Fact]
    public void EveryShippedStudy_ValidatesAndNamesTheSchema()
    {
        var studies = Directory.GetFiles(Path.Combine(Root(), "studies"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.True(studies.Count >= 4, $"expected the shipped studies, found {studies.Count}");
        foreach (var study in studies)
        {
            string text = File.ReadAllText(study);
            var errors = Validate(text);
            Assert.True(errors.Count == 0, $"{Path.GetFileName(study)}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}"))}");
            Assert.StartsWith("# yaml-language-server: $schema=../docs/study.schema.json\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    /// <summary>A study the loader accepts; each case below breaks one thing in it.</summary>
    private static string Valid => $$"""
        name: t
        seed: 5
        dataset:
          path: {{Data}}
          unit: province
          time: year
          region: region
          derive:
            - { name: lq_dig, kind: lq, sector: emp_digital_core, total: emp_total }
        baseline:
          outcome: lngdp
          treatment: gov
          controls: [market, fin]
          fe: province + year
        analyses:
          - name: stepwise
            type: regressions
            columns: [{ controls: [] }, {}]
          - { name: mech, type: mediation, style: baron_kenny, mediators: [fin], bootstrap: { replicates: 99, level: 0.9 } }
          - { name: trends, type: trends, variable: gdp, by: region, groups: [East, Central, West, Northeast], weight: emp_total, sample: null }
          - { name: gaps, type: disparity, variable: gdp, by: region, weight: emp_total, sample: "year >= 2012" }
          - { name: conv, type: convergence, variable: gdp, controls: [gov, market], fe: province, vcov: hc1, sample: all }
          - { name: coup, type: coupling, subsystems: [gov, fin], weights: [0.4, 0.6], by: region, groups: [East, West] }

        """;

    [Fact]
    public void TheBaseStudy_IsValidForTheSchemaAndTheLoader()
    {
        Assert.Empty(Validate(Valid));
        string path = Path.Combine(_dir, "ok.yaml");
        File.WriteAllText(path, Valid);
        var analyses = StudyLoader.Load(path).Analyses;
        Assert.Equal(["regressions", "mediation", "trends", "disparity", "convergence", "coupling"], analyses.Select(a => a.Kind));
        // The regional-gap keys as written, defaults where left out (by: dataset.region; vcov and sample: the baseline's, which has none).
        Assert.Equal(("gdp", "region", "emp_total", 0, 4), analyses[2].Gaps is { } t ? (t.Variable, t.By, t.Weight, t.Filters.Length, t.Groups.Length) : default);
        Assert.Equal("year >= 2012", Assert.Single(analyses[3].Gaps!.Filters).Text);
        Assert.Equal(("province", "hc1", 2, 0), analyses[4].Gaps is { } c ? (c.FeText, c.Vcov.ToString(), c.Controls.Length, c.Filters.Length) : default);
        Assert.Equal(("region", 0.4, 0.6, "East,West"), analyses[5].Gaps is { } k ? (k.By, k.Alpha[0], k.Alpha[1], string.Join(",", k.Groups)) : default);
    }

    [Theory]
    [InlineData("unknown root key", "seed: 5", "seed: 5\nsede: 6")]
    [InlineData("unknown dataset key", "  region: region", "  region: region\n  regoin: region")]
    [InlineData("unknown column key", "columns: [{ controls: [] }, {}]", "columns: [{ contrls: [] }, {}]")]
    [InlineData("unknown analysis type", "type: regressions", "type: regression")]
    [InlineData("unknown derive kind", "kind: lq,", "kind: location_quotient,")]
    [InlineData("unknown derive parameter", "total: emp_total", "total: emp_total, totl: emp_total")]
    [InlineData("wrong type: seed", "seed: 5", "seed: five")]
    [InlineData("wrong type: controls", "controls: [market, fin]", "controls: market")]
    [InlineData("wrong type: replicates", "replicates: 99", "replicates: many")]
    [InlineData("out of range: level", "level: 0.9", "level: 1.5")]
    [InlineData("bad enum: style", "style: baron_kenny", "style: sobel")]
    [InlineData("bootstrap without baron_kenny", "style: baron_kenny, ", "")]
    [InlineData("missing required: dataset.unit", "  unit: province\n", "")]
    [InlineData("missing required: columns", "    columns: [{ controls: [] }, {}]\n", "")]
    [InlineData("missing required: baseline.outcome", "  outcome: lngdp\n", "")]
    [InlineData("missing required: name", "name: t\n", "")]
    [InlineData("unknown key in a disparity analysis", "type: disparity,", "type: disparity, controls: [gov],")]
    [InlineData("a regression key in a trends analysis", "type: trends,", "type: trends, show_controls: true,")]
    [InlineData("a variable in a coupling analysis", "type: coupling,", "type: coupling, variable: gdp,")]
    [InlineData("missing required: convergence variable", "variable: gdp, controls", "controls")]
    [InlineData("missing required: coupling subsystems", "subsystems: [gov, fin], weights: [0.4, 0.6], ", "")]
    [InlineData("coupling with one subsystem", "subsystems: [gov, fin], weights: [0.4, 0.6]", "subsystems: [gov]")]
    [InlineData("a subsystem twice", "subsystems: [gov, fin]", "subsystems: [gov, gov]")]
    [InlineData("a coupling weight outside [0, 1]", "weights: [0.4, 0.6]", "weights: [1.4, -0.4]")]
    [InlineData("wrong type: coupling weights", "weights: [0.4, 0.6]", "weights: 0.5")]
    [InlineData("a group twice", "groups: [East, West]", "groups: [East, East]")]
    [InlineData("no group", "groups: [East, West]", "groups: []")]
    [InlineData("wrong type: groups", "groups: [East, West]", "groups: East")]
    [InlineData("bad vcov: convergence", "vcov: hc1", "vcov: hc4")]
    [InlineData("bad name: trends", "name: trends,", "name: trends 1,")]
    [InlineData("dataset path and name both", "  unit: province\n", "  name: provinces\n  unit: province\n")]
    [InlineData("dataset neither path nor name", "  path: ", "  # path: ")]
    [InlineData("dataset version with path", "  unit: province\n", "  version: 2\n  unit: province\n")]
    [InlineData("dataset root with path", "  unit: province\n", "  root: .\n  unit: province\n")]
    [InlineData("dataset name with version 0", "  path: ", "  name: provinces@0\n  # path: ")]
    [InlineData("dataset name with a space", "  path: ", "  name: prov inces\n  # path: ")]
    [InlineData("dataset version not a number", "  path: ", "  name: provinces\n  version: two\n  # path: ")]
    [InlineData("dataset version 0", "  path: ", "  name: provinces\n  version: 0\n  # path: ")]
    public void ABrokenStudy_IsRefusedByTheSchemaAndTheLoader(string what, string find, string replace)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        string broken = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.True(Validate(broken).Count > 0, $"the schema accepts a study with {what}");
        string path = Path.Combine(_dir, "broken.yaml");
        File.WriteAllText(path, broken);
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>
    /// A versioned dataset needs neither path nor unit and time. The schema only: that the loader accepts these forms
    /// (given a dataset under the root) is tested in Silo.Tests' DatasetStudyTests, which ingests versions.
    /// </summary>
    [Theory]
    [InlineData("  name: cities\n")]
    [InlineData("  name: cities@2\n")]
    [InlineData("  name: 城市@v2\n")]
    [InlineData("  name: cities\n  version: 2\n  root: ../datasets\n")]
    [InlineData("  name: cities\n  version: v2\n")]
    public void AVersionedDataset_IsValidForTheSchema(string dataset)
    {
        string study = Valid.Replace("  path: ", dataset + "  # path: ", StringComparison.Ordinal)
            .Replace("  unit: province\n  time: year\n", "", StringComparison.Ordinal);
        Assert.DoesNotContain("unit: province", study, StringComparison.Ordinal);
        Assert.Empty(Validate(study));
    }

    [Fact]
    public void TheMediationBootstrap_IsExpandedFromTheBaseline()
    {
        string path = Path.Combine(_dir, "ok.yaml");
        File.WriteAllText(path, Valid);
        var med = StudyLoader.Load(path).Analyses[1].Mediation!;
        // The baseline lngdp ~ gov + market + fin | province + year without its mediator fin, as de mediate builds the tail.
        Assert.Equal(new MediationBootstrapSpec(99, 0.9, 100, "lngdp", med.Bootstrap!.Model), med.Bootstrap);
        // The path models as Baron–Kenny writes them: M on X and the controls; Y on X, M and the controls (M right after X).
        var (pathA, pathB) = med.Bootstrap.PathModels("fin");
        Assert.Equal(("fin ~ gov + market | province + year", "lngdp ~ gov + fin + market | province + year"), (pathA.Formula.Source, pathB.Formula.Source));
        Assert.Equal(("cluster:province", "cluster:province"), (pathA.Vcov.ToString(), pathB.Vcov.ToString()));
        Assert.Equal("lngdp ~ gov + market | province + year", med.Bootstrap.Model.Formula);
        Assert.Equal("cluster:province", med.Bootstrap.Model.Vcov);
        File.WriteAllText(path, Valid.Replace("bootstrap: { replicates: 99, level: 0.9 }", "bootstrap: {}", StringComparison.Ordinal));
        Assert.Equal((999, 0.95, 100), StudyLoader.Load(path).Analyses[1].Mediation!.Bootstrap is { } b ? (b.Replicates, b.Level, b.Chunk) : default);
    }

    [Theory]
    [InlineData("replicates: 99", "replicates: 1", "analyses[1].bootstrap.replicates", "from 2 to 10000000, found 1")]
    [InlineData("level: 0.9", "level: 95", "analyses[1].bootstrap.level", "between 0 and 1")]
    [InlineData("level: 0.9", "level: 0.9, chunk: 0", "analyses[1].bootstrap.chunk", "from 1 to 10000000, found 0")]
    [InlineData("level: 0.9", "levels: 0.9", "analyses[1].bootstrap.levels", "unknown key; expected one of: replicates, level, chunk")]
    [InlineData("style: baron_kenny, ", "", "analyses[1].bootstrap", "needs style: baron_kenny")]
    [InlineData("bootstrap: { replicates: 99, level: 0.9 }", "bootstrap: 99", "analyses[1].bootstrap", "expected a mapping")]
    public void ABadMediationBootstrap_IsOneLineNamingItsKey(string find, string replace, string key, string what)
    {
        string path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, Valid.Replace(find, replace, StringComparison.Ordinal));
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains($"key '{key}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeStudySchema_PrintsTheSchemaOfDocs()
    {
        var (code, output, err) = CliRunner.Run("study", "schema");
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(Root(), "docs", "study.schema.json")), output);
    }

    // ---- drift: the keys the loader accepts at each level are the schema's properties there ----

    /// <summary>The list of keys in the loader's one-line refusal of an unknown key ("…; expected one of: a, b, c").</summary>
    private string[] LoaderKeys(string study)
    {
        string path = Path.Combine(_dir, "drift.yaml");
        File.WriteAllText(path, study);
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        int at = e.Message.IndexOf("expected one of: ", StringComparison.Ordinal);
        Assert.True(at > 0, e.Message);
        return [.. e.Message[(at + "expected one of: ".Length)..].Split(", ").Select(k => k.Split(' ')[0].TrimEnd('.', ';'))];
    }

    private static string[] SchemaKeys(string? definition)
    {
        var node = definition is null ? SchemaJson.Value : (JsonObject)SchemaJson.Value["definitions"]![definition]!;
        return [.. ((JsonObject)node["properties"]!).Select(p => p.Key)];
    }

    private static void SameKeys(IEnumerable<string> loader, IEnumerable<string> schema, string level) =>
        Assert.True(loader.Order(StringComparer.Ordinal).SequenceEqual(schema.Order(StringComparer.Ordinal), StringComparer.Ordinal),
            $"{level}: loader accepts [{string.Join(", ", loader.Order(StringComparer.Ordinal))}], schema has [{string.Join(", ", schema.Order(StringComparer.Ordinal))}]");

    /// <summary>A study with every section, and <c>zz_unknown: 1</c> at <paramref name="level"/>.</summary>
    private static string Everything(string level, string analysis = "")
    {
        string U(string l, string indent) => l == level ? $"{indent}zz_unknown: 1\n" : "";
        return $$"""
            name: t
            {{U("root", "")}}dataset:
              path: {{Data}}
              unit: province
              time: year
              region: region
            {{U("dataset", "  ")}}indices:
              - name: de_index
                system: de
            {{U("indices", "    ")}}tables:
              stat: t
            {{U("tables", "  ")}}baseline:
              outcome: lngdp
              treatment: gov
            {{U("baseline", "  ")}}analyses:
              - type: regressions
                columns:
                  - controls: []
            {{U("column", "        ")}}{{analysis}}grid:
              treatment: gov
              outcomes: [lngdp]
              controls: { none: [] }
              fixed_effects: ["province + year"]
              samples: { all: null }
              vcov: ["cluster:province"]
            {{U("grid", "  ")}}bootstrap:
              replicates: 9
            {{U("bootstrap", "  ")}}curve_inference:
              draws: 9
            {{U("curve_inference", "  ")}}
            """;
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("dataset", "dataset")]
    [InlineData("indices", "index")]
    [InlineData("tables", "tables")]
    [InlineData("baseline", "baseline")]
    [InlineData("column", "column")]
    [InlineData("grid", "grid")]
    [InlineData("bootstrap", "grid_bootstrap")]
    [InlineData("curve_inference", "curve_inference")]
    public void TheKeysOfEachSection_AreTheSchemasProperties(string level, string? definition)
    {
        Assert.Empty(Validate(Everything("none")));
        SameKeys(LoaderKeys(Everything(level)), SchemaKeys(definition), level);
    }

    [Theory]
    [InlineData("descriptives", "")]
    [InlineData("correlations", "")]
    [InlineData("regressions", "columns: [{}], ")]
    [InlineData("robustness", "variations: { hc1: { vcov: hc1 } }, ")]
    [InlineData("heterogeneity", "by: region, groups: [East, West], permutations: 0, ")]
    [InlineData("mediation", "style: baron_kenny, mediators: [fin], ")]
    [InlineData("moderation", "moderator: fin, ")]
    [InlineData("trends", "variable: lngdp, ")]
    [InlineData("disparity", "variable: lngdp, ")]
    [InlineData("convergence", "variable: lngdp, ")]
    [InlineData("coupling", "subsystems: [gov, fin], ")]
    public void TheKeysOfEachAnalysisType_AreTheSchemasProperties(string type, string keys)
    {
        string Analysis(string unknown) => $"  - {{ type: {type}, {keys}{unknown}name: a }}\n";
        Assert.Empty(Validate(Everything("none", Analysis(""))));
        SameKeys(LoaderKeys(Everything("none", Analysis("zz_unknown: 1, "))), SchemaKeys($"analysis_{type}"), type);
    }

    [Fact]
    public void TheMediationBootstrapKeys_AreTheSchemasProperties()
    {
        string Analysis(string unknown) => $"  - {{ type: mediation, style: baron_kenny, mediators: [fin], bootstrap: {{ replicates: 9, {unknown}level: 0.9 }} }}\n";
        Assert.Empty(Validate(Everything("none", Analysis(""))));
        SameKeys(LoaderKeys(Everything("none", Analysis("zz_unknown: 1, "))), SchemaKeys("mediation_bootstrap"), "mediation bootstrap");
    }

    [Fact]
    public void TheAnalysisTypes_AreTheSchemasTypesAndBranches()
    {
        var loader = LoaderKeys(Everything("none", "  - { type: zz_unknown }\n"));
        var analysis = (JsonObject)SchemaJson.Value["definitions"]!["analysis"]!;
        SameKeys(loader, ((JsonArray)analysis["properties"]!["type"]!["enum"]!).Select(v => (string)v!), "analysis types");
        // One oneOf branch per type, whose type is that constant.
        var branches = ((JsonArray)analysis["oneOf"]!).Select(b => ((string)b!["$ref"]!).Split('/')[^1]).ToList();
        SameKeys(loader.Select(t => $"analysis_{t}"), branches, "analysis branches");
        foreach (var t in loader)
            Assert.Equal(t, (string)SchemaJson.Value["definitions"]![$"analysis_{t}"]!["properties"]!["type"]!["enum"]![0]!);
    }

    /// <summary>A minimal valid step of each kind over the provinces; the loader's refusal of an extra parameter lists the kind's parameters.</summary>
    [Theory]
    [InlineData("lq", "sector: emp_digital_core, total: emp_total")]
    [InlineData("industrial_optimisation", "value_added: [va_primary, va_secondary], employment: [emp_primary, emp_secondary]")]
    [InlineData("upgrading", "value_added: [va_primary, va_secondary, va_tertiary], employment: [emp_primary, emp_secondary, emp_tertiary]")]
    [InlineData("translog_allocation", "output: gdp, labour: emp_total, capital: fixed_investment, wage: wage, rate: interest_rate")]
    [InlineData("capital_stock", "investment: fixed_investment, price_index: invest_price")]
    [InlineData("patents_adjusted", "patents: patents_app, grant_lag_shares: [1]")]
    [InlineData("log", "column: gdp")]
    [InlineData("lag", "column: gdp")]
    [InlineData("interact", "columns: [gov, fin]")]
    [InlineData("winsorize", "column: gdp")]
    [InlineData("index", "indicators: [gov:+, fin:+]")]
    [InlineData("expr", "expr: gov / gdp")]
    [InlineData("deflate", "column: gdp, index: invest_price, base_year: 2013")]
    public void TheParametersOfEachDeriveKind_AreTheSchemasProperties(string kind, string parameters)
    {
        string Study(string step) => Valid.Replace("{ name: lq_dig, kind: lq, sector: emp_digital_core, total: emp_total }", step, StringComparison.Ordinal);
        Assert.Empty(Validate(Study($"{{ name: d, kind: {kind}, {parameters} }}")));
        var keys = LoaderKeys(Study($"{{ name: d, kind: {kind}, {parameters}, zz_unknown: 1 }}")).Concat(["name", "kind"]).ToList();
        if (kind == "index")
        {
            // The index's parameters depend on its method; the study loader itself reads 'system'.
            keys.AddRange(LoaderKeys(Study($"{{ name: d, kind: index, method: pca, {parameters}, zz_unknown: 1 }}")));
            keys.Add("system");
        }
        SameKeys(keys.Distinct(StringComparer.Ordinal), SchemaKeys($"derive_{kind}"), kind);
        Assert.Equal(kind, (string)SchemaJson.Value["definitions"]![$"derive_{kind}"]!["properties"]!["kind"]!["enum"]![0]!);
    }

    [Fact]
    public void TheDeriveKinds_AreTheSchemasKindsAndBranches()
    {
        var loader = LoaderKeys(Valid.Replace("kind: lq,", "kind: zz_unknown,", StringComparison.Ordinal));
        SameKeys(loader, Core.Data.Derivation.Kinds, "derive kinds (core)");
        var step = (JsonObject)SchemaJson.Value["definitions"]!["derive_step"]!;
        SameKeys(loader, ((JsonArray)step["properties"]!["kind"]!["enum"]!).Select(v => (string)v!), "derive kinds");
        SameKeys(loader.Select(k => $"derive_{k}"), ((JsonArray)step["oneOf"]!).Select(b => ((string)b!["$ref"]!).Split('/')[^1]), "derive branches");
    }

    [Fact]
    public void EveryPropertyOfTheSchema_HasADescription()
    {
        var defs = (JsonObject)SchemaJson.Value["definitions"]!;
        bool Described(JsonNode p) => p["description"] is not null || (p["$ref"] is { } r && defs[((string)r!).Split('/')[^1]]!["description"] is not null);
        var missing = new List<string>();
        void Walk(JsonNode? n, string at)
        {
            if (n is JsonObject o)
            {
                if (o["properties"] is JsonObject props)
                    foreach (var (k, v) in props)
                        if (!Described(v!)) missing.Add($"{at}.{k}");
                foreach (var (k, v) in o) Walk(v, $"{at}/{k}");
            }
            else if (n is JsonArray a)
                for (int i = 0; i < a.Count; i++) Walk(a[i], $"{at}[{i}]");
        }
        Walk(SchemaJson.Value, "");
        Assert.Empty(missing);
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string)SchemaJson.Value["$schema"]!);
    }
}
