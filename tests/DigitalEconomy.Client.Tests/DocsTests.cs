using System.Text.RegularExpressions;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>The user documentation lives in the repository, and the README tour leaves nothing in the repository root.</summary>
public partial class DocsTests
{
    private static string Root() => RepoRoot.Path;

    private static IEnumerable<string> Documents(string root) =>
        new[] { Path.Combine(root, "README.md"), Path.Combine(root, "deploy", "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"));

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [Fact]
    public void ReadmeAndDocs_LinkOnlyToFilesInTheRepository()
    {
        string root = Root();
        foreach (var name in new[] { "methods.md", "studies.md", "architecture.md" })
            Assert.True(File.Exists(Path.Combine(root, "docs", name)), $"docs/{name} is missing");
        foreach (var doc in Documents(root))
        {
            string text = File.ReadAllText(doc);
            Assert.DoesNotContain("../shared", text, StringComparison.Ordinal);
            foreach (Match m in Link().Matches(text))
            {
                string target = m.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal) || target.StartsWith('#')) continue;
                string file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, target.Split('#')[0]));
                Assert.True(File.Exists(file) || Directory.Exists(file), $"{Path.GetRelativePath(root, doc)} links to {target}, which is not in the repository");
                Assert.StartsWith(root, file, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ReadmeTour_WritesOnlyUnderScratchOrResults()
    {
        string readme = File.ReadAllText(Path.Combine(Root(), "README.md"));
        var commands = Regex.Matches(readme, "```sh\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(b => b.Groups[1].Value.Split('\n')).Select(l => l.Trim()).Where(l => l.StartsWith("de ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(commands);
        foreach (var line in commands)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var outputs = new List<string>();
            for (int i = 0; i + 1 < words.Length; i++)
                if (words[i] == "--out" || words[i] == "--table") outputs.Add(words[i + 1]);
            if (words.Length > 3 && words[1] == "parquet" && words[2] is "from-csv" or "to-csv") outputs.Add(words[4]);
            foreach (var o in outputs)
                Assert.True(o.StartsWith("scratch/", StringComparison.Ordinal) || o.StartsWith("results", StringComparison.Ordinal) || o.StartsWith('/'),
                    $"the README command `{line}` writes {o} into the repository");
        }
    }
}
