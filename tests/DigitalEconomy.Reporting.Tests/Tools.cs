using System.Diagnostics;

namespace DigitalEconomy.Reporting.Tests;

/// <summary>External programs the tests drive (xelatex, headless chromium), shared by the test classes.</summary>
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
    /// A headless chromium screenshot of the local page <paramref name="page"/> at <paramref name="width"/> × <paramref name="height"/>,
    /// written to <paramref name="shot"/> (profile in <paramref name="dir"/>/profile); the exit code and output.
    /// </summary>
    public static (int Code, string Output) Screenshot(string dir, string page, string shot, int width, int height) =>
        Run("chromium", $"--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir={Path.Combine(dir, "profile")} --window-size={width},{height} --screenshot={shot} file://{page}", dir, 120_000);
}
