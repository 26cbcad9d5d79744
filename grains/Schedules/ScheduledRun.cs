using System.Security.Cryptography;
using System.Text;
using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains.Schedules;

/// <summary>A run a schedule is about to start: the command, its id, and the dataset it reads.</summary>
/// <param name="Command">The command for the run grain.</param>
/// <param name="RunId">The run id (the same as <c>de run</c> gives the same study on the same data).</param>
/// <param name="Dataset">NAME@vN of a named dataset, else the data file's name.</param>
public sealed record PreparedRun(StartRun Command, string RunId, string Dataset);

/// <summary>Resolves a schedule's study to the data it reads now and the run id, as <c>de run</c> does.</summary>
public static class ScheduledRun
{
    /// <summary>Work calls in flight of an automatic run (as <c>de run</c>'s default on a 2-core machine).</summary>
    public const int MaxInFlight = 4;

    /// <summary>
    /// The run id: SHA-256 of the study file's hash, the dataset's hash and the seed. The same formula as
    /// client/RunCommands.RunId (a test asserts they agree), written here because grains cannot reference
    /// the client.
    /// </summary>
    public static string RunId(StudyDefinition study, string datasetSha256)
    {
        ArgumentNullException.ThrowIfNull(study);
        return "r" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{study.SourceHash}|{datasetSha256}|{study.Seed}\nrun")))[..12];
    }

    /// <summary>The run of a schedule now: a named dataset's newest version, or the study's file as it is.</summary>
    /// <exception cref="Core.InputException">The dataset or file is gone or changed under its manifest.</exception>
    public static PreparedRun Prepare(ScheduleDefinition schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var study = schedule.Study;
        string sha, dataset;
        if (schedule.Dataset is { } name)
        {
            var resolved = new DatasetVersions(schedule.DatasetRoot ?? "datasets").Resolve(name);
            study = study with { Dataset = study.Dataset with { Path = resolved.Path } };
            sha = resolved.Sha256;
            dataset = $"{resolved.Name}@v{resolved.Version}";
        }
        else
        {
            sha = DatasetVersions.Sha256File(study.Dataset.Path);
            dataset = Path.GetFileName(study.Dataset.Path);
        }
        string runId = RunId(study, sha);
        return new PreparedRun(new StartRun(study, sha, schedule.ResultsRoot, MaxInFlight), runId, dataset);
    }
}
