using System.Diagnostics;
using SkiaSharp;

namespace DigitalEconomy.Tests;

/// <summary>
/// External programs the tests drive (xelatex, headless chromium) and what they check on their output,
/// shared by the test classes of the Reporting and Silo tests (each project links this file).
/// </summary>
internal static class Tools
{
    /// <summary>Runs <paramref name="file"/> with stdin closed; the exit code and stdout + stderr, or -1 after <paramref name="timeoutMs"/>.</summary>
    public static (int Code, string Output) Run(string file, string args, string cwd, int timeoutMs)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, "timed out\n" + o); }
        return (p.ExitCode, o + err.Result);
    }

    /// <summary>
    /// Compiles <paramref name="texFile"/> (in its own folder) with one xelatex run; null when it compiled to a PDF of over
    /// 1,000 bytes without a "Missing character" in its log, else what went wrong (the output's last 3,000 characters).
    /// </summary>
    public static string? XelatexFailure(string texFile)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(texFile))!, stem = Path.GetFileNameWithoutExtension(texFile);
        var (code, output) = Run("xelatex", $"-interaction=nonstopmode -halt-on-error \"{Path.GetFileName(texFile)}\"", dir, 120_000);
        if (code != 0) return $"{Path.GetFileName(texFile)}: xelatex failed:\n" + output[Math.Max(0, output.Length - 3000)..];
        var pdf = new FileInfo(Path.Combine(dir, stem + ".pdf"));
        if (!pdf.Exists || pdf.Length <= 1000) return $"{Path.GetFileName(texFile)}: no PDF over 1,000 bytes";
        string log = File.ReadAllText(Path.Combine(dir, stem + ".log"));
        return log.Contains("Missing character", StringComparison.Ordinal) ? $"{Path.GetFileName(texFile)}: the log has a missing character:\n" + log[Math.Max(0, log.Length - 3000)..] : null;
    }

    /// <summary>
    /// A headless chromium screenshot of the local page <paramref name="page"/> at <paramref name="width"/> × <paramref name="height"/>,
    /// written to <paramref name="shot"/> (profile in <paramref name="dir"/>/profile); the exit code and output.
    /// </summary>
    public static (int Code, string Output) Screenshot(string dir, string page, string shot, int width, int height) =>
        Run("chromium", $"--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir={Path.Combine(dir, "profile")} --window-size={width},{height} --screenshot={shot} file://{page}", dir, 120_000);

    /// <summary>Pixels darker than r + g + b &lt; 200 (text and rules on the white page) in [x0, x1) × [y0, y1).</summary>
    public static int Dark(SKBitmap bmp, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = y0; y < Math.Min(y1, bmp.Height); y++)
            for (int x = x0; x < Math.Min(x1, bmp.Width); x++) { var c = bmp.GetPixel(x, y); if (c.Red + c.Green + c.Blue < 200) n++; }
        return n;
    }

    /// <summary>True when some row in [y0, y1) has at least <paramref name="length"/> dark pixels between x0 and x1: a horizontal rule of a three-line table.</summary>
    public static bool HasRule(SKBitmap bmp, int x0, int x1, int y0, int y1, int length) =>
        Enumerable.Range(y0, Math.Max(0, Math.Min(y1, bmp.Height) - y0)).Any(y => Enumerable.Range(x0, Math.Max(0, Math.Min(x1, bmp.Width) - x0)).Count(x => { var c = bmp.GetPixel(x, y); return c.Red + c.Green + c.Blue < 200; }) >= length);
}
