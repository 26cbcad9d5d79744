using System.CommandLine;
using DigitalEconomy.Core;

namespace DigitalEconomy.Client;

/// <summary>The `de` command line. Errors the user can fix print one line on stderr and exit 2.</summary>
public static class Cli
{
    public const int InputError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("de — DigitalEconomy: panel econometrics and composite indices for regional digital-economy research");
        root.Subcommands.Add(EstimateCommand.Create(stdout, stderr));
        root.Subcommands.Add(DescribeCommand.Create(stdout, stderr));
        root.Subcommands.Add(GroupDiffCommand.Create(stdout, stderr));
        root.Subcommands.Add(MediateCommand.Create(stdout, stderr));
        root.Subcommands.Add(DidCommand.Create(stdout, stderr));
        root.Subcommands.Add(ThresholdCommand.Create(stdout, stderr));
        root.Subcommands.Add(IndexCommand.Create(stdout, stderr));
        root.Subcommands.Add(DisparityCommand.Create(stdout, stderr));
        root.Subcommands.Add(ParquetCommand.Create(stdout, stderr));
        root.Subcommands.Add(QueryCommand.Create(stdout, stderr));
        root.Subcommands.Add(RunCommands.Run(stdout, stderr));
        root.Subcommands.Add(RunCommands.Status(stdout, stderr));
        root.Subcommands.Add(RunCommands.SiloCommand(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(IngestCommand.Create(stdout, stderr));
        root.Subcommands.Add(DatasetCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScheduleCommand.Create(stdout, stderr));
        root.Subcommands.Add(StudyCommand.Create(stdout, stderr));
        root.Subcommands.Add(GmmCommand.Create(stdout, stderr));
        root.Subcommands.Add(SpatialCommand.Create(stdout, stderr));
        root.Subcommands.Add(MoranCommand.Create(stdout, stderr));
        root.Subcommands.Add(SpatialWeightsCommand.Create(stdout, stderr));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The first error is the cause; the rest repeat it token by token.
            var cause = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            stderr.WriteLine($"error: {cause.Message}");
            stderr.WriteLine("run 'de --help' or 'de <command> --help' for usage");
            return InputError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>Runs an action, turning the exceptions a user can cause into one clear line and exit code 2.</summary>
    internal static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InputException or EstimationException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return InputError;
        }
    }
}
