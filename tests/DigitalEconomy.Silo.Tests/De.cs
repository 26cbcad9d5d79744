using DigitalEconomy.Client;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Runs `de` in process and reads where its run went.</summary>
internal static class De
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static string RunDir(string output) => output.Split('\n').First(l => l.StartsWith("results: ", StringComparison.Ordinal))["results: ".Length..].Trim();
}
