using System.Text.Json.Nodes;
using DigitalEconomy.Study.Analyses;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// docs/study.schema.json's analyses are generated from the registered analysis types (study/Analyses/AnalysisSchema.cs):
/// the committed file must be what they generate. To rewrite it after changing a type:
/// <c>DE_WRITE_SCHEMA=1 dotnet test tests/DigitalEconomy.Client.Tests --filter StudySchemaGenerationTests</c>.
/// </summary>
public class StudySchemaGenerationTests
{
    private static string SchemaPath()
    {
        return Path.Combine(RepoRoot.Path, "docs", "study.schema.json");
    }

    [Fact]
    public void TheCommittedSchema_IsWhatTheRegisteredTypesGenerate()
    {
        string path = SchemaPath();
        string committed = File.ReadAllText(path);
        string generated = AnalysisSchema.Generate(committed);
        if (generated != committed && Environment.GetEnvironmentVariable("DE_WRITE_SCHEMA") == "1") File.WriteAllText(path, generated);
        Assert.True(generated == committed,
            "docs/study.schema.json is not what the registered analysis types generate; rewrite it with DE_WRITE_SCHEMA=1 dotnet test tests/DigitalEconomy.Client.Tests --filter StudySchemaGenerationTests");
    }

    [Fact]
    public void TheGeneratedAnalyses_ListEveryRegisteredKind_OnceEach()
    {
        var schema = JsonNode.Parse(AnalysisSchema.Generate(File.ReadAllText(SchemaPath())))!;
        var definitions = (JsonObject)schema["definitions"]!;
        string[] kinds = ["descriptives", "correlations", "regressions", "robustness", "heterogeneity", "mediation", "moderation", "trends", "disparity", "convergence", "coupling", "did", "gmm", "threshold", "spatial"];
        Assert.Equal(kinds, ((JsonArray)definitions["analysis"]!["properties"]!["type"]!["enum"]!).Select(k => (string)k!));
        Assert.All(kinds, k => Assert.Equal(k, (string)definitions[$"analysis_{k}"]!["properties"]!["type"]!["enum"]![0]!));
        // The shared keys come before the first type that uses them.
        var names = definitions.Select(d => d.Key).ToList();
        Assert.True(names.IndexOf("analysis_name") < names.IndexOf("analysis_descriptives"));
        Assert.True(names.IndexOf("gap_by") < names.IndexOf("analysis_trends"));
    }

    [Fact]
    public void AType_ThatDescribesNoKeys_GetsABranchNamingItsKind()
    {
        var branch = (JsonObject)JsonNode.Parse("{" + AnalysisSchema.Minimal("toy").Json + "}")!["analysis_toy"]!;
        Assert.Equal("toy", (string)branch["properties"]!["type"]!["enum"]![0]!);
        Assert.Equal("type", (string)branch["required"]![0]!);
    }
}
