namespace DigitalEconomy.Client.Tests;

/// <summary>The repository's root folder (the one holding DigitalEconomy.sln), found upwards from the test binaries.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }
}
