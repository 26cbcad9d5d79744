using DigitalEconomy.Client;

namespace DigitalEconomy.Client.Tests;

/// <summary>Runs `de` in process and captures its exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", "validation", name);
}
