using System.Diagnostics;

namespace DigitalEconomy.Store;

/// <summary>
/// Compiles a LaTeX document to PDF with <c>xelatex</c> when it is on PATH (a document of ASCII characters only with
/// <c>pdflatex</c> when that is on PATH too: the paper's preamble has a branch for either engine, and pdflatex does not
/// load system fonts, about 1 s less per paper; Chinese text needs xelatex's xeCJK): the document and the files it includes
/// (charts) go to a temporary folder, the engine runs there once (nonstop, halting on the first error), and the PDF's bytes
/// come back; the folder is removed afterwards whatever happens. The PDF's dates are fixed (SOURCE_DATE_EPOCH 1980-01-01,
/// the zip epoch the .docx files use), so the same document gives the same bytes in any folder and at any time.
/// </summary>
public static class XeLatex
{
    /// <summary>The full path of xelatex on PATH, or null when there is none.</summary>
    public static string? Find() => OnPath(OperatingSystem.IsWindows() ? "xelatex.exe" : "xelatex");

    private static string? OnPath(string exe)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, exe);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>
    /// The PDF of <paramref name="tex"/> (<paramref name="files"/>: relative path with '/' → bytes, e.g. plots/x.png), or null
    /// with the reason in <paramref name="error"/>: no xelatex on PATH, a compile error (the log's last lines), or no answer within <paramref name="timeout"/>.
    /// </summary>
    public static byte[]? TryCompile(string tex, IReadOnlyDictionary<string, byte[]> files, TimeSpan timeout, out string? error)
    {
        ArgumentNullException.ThrowIfNull(tex);
        ArgumentNullException.ThrowIfNull(files);
        error = null;
        if (Find() is not { } xelatex) { error = "xelatex is not on PATH"; return null; }
        string engine = xelatex;
        if (tex.All(char.IsAscii) && OnPath(OperatingSystem.IsWindows() ? "pdflatex.exe" : "pdflatex") is { } pdflatex) engine = pdflatex;
        string name = Path.GetFileNameWithoutExtension(engine);
        var dir = Directory.CreateTempSubdirectory("de-xelatex-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "paper.tex"), tex, new System.Text.UTF8Encoding(false));
            foreach (var (path, bytes) in files)
            {
                if (path.Split('/').Any(s => s is "" or "." or "..") || Path.IsPathRooted(path)) continue;
                string full = Path.Combine(dir.FullName, path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, bytes);
            }
            var psi = new ProcessStartInfo(engine, ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"])
            {
                WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            // The same document gives the same PDF: the creation date and the file's /ID come from this time, not the clock.
            psi.Environment["SOURCE_DATE_EPOCH"] = "315532800";
            psi.Environment["FORCE_SOURCE_DATE"] = "1";
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                error = $"{name} gave no answer within {timeout.TotalSeconds:0} s";
                return null;
            }
            string output = stdout.Result + stderr.Result;
            string pdf = Path.Combine(dir.FullName, "paper.pdf");
            if (p.ExitCode != 0 || !File.Exists(pdf))
            {
                var lines = output.Split('\n').Where(l => l.StartsWith('!') || l.StartsWith("l.", StringComparison.Ordinal)).Take(4);
                error = $"{name} failed (exit {p.ExitCode}): " + string.Join(" ", lines).Trim();
                return null;
            }
            return File.ReadAllBytes(pdf);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
