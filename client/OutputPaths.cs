using DigitalEconomy.Core;

namespace DigitalEconomy.Client;

/// <summary>Guards for output files: an output may never be one of the command's own inputs.</summary>
internal static class OutputPaths
{
    /// <summary>Refuses <paramref name="output"/> when it is the same file as one of <paramref name="inputs"/> (full paths, symbolic links resolved).</summary>
    public static void NotAnInput(string output, string option, params (string? Path, string Option)[] inputs)
    {
        string o = RealPath(output);
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var (path, name) in inputs)
            if (path is not null && string.Equals(o, RealPath(path), comparison))
                throw new InputException($"{option} '{output}' is the input {name} of this command; writing it would overwrite the data; choose another output file");
    }

    /// <summary>The absolute path with every symbolic link along it resolved (as realpath(3)); missing parts are kept as written.</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        string full = Path.GetFullPath(path);
        if (depth > 40) return full; // a cycle of links: compare what we have
        string root = Path.GetPathRoot(full) ?? "/";
        string current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            current = next;
        }
        return current;
    }
}
