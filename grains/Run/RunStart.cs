using System.Security.Cryptography;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>
/// From a loaded study to the command that starts its run: the study's dataset resolved to an immutable
/// file and its SHA-256 (a named dataset through <see cref="DatasetVersions.Resolve"/>: the version asked
/// for, or the latest one now), the run id, and the <see cref="StartRun"/>. The client calls it for
/// <c>de run</c>; a grain that starts runs on a schedule calls the same, so both name runs alike.
/// </summary>
public static class RunStart
{
    /// <summary>The run id: the study file, the dataset's bytes and the seed (the same study on the same data is the same run).</summary>
    public static string RunId(StudyDefinition study, string datasetSha256)
    {
        ArgumentNullException.ThrowIfNull(study);
        return "r" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{study.SourceHash}|{datasetSha256}|{study.Seed}\nrun")))[..12];
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string HashFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>
    /// The study with its dataset resolved: a named dataset gets the version's data file as its path and
    /// the version's number (so the run records which version it read); a path dataset is hashed as it is.
    /// </summary>
    /// <exception cref="InputException">No such dataset or version, a version changed after it was made, or a missing file (one line naming the key).</exception>
    public static (StudyDefinition Study, string Sha256) Resolve(StudyDefinition study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var d = study.Dataset;
        if (d.Name is null)
        {
            if (!File.Exists(d.Path)) throw new InputException($"study '{study.Name}', key 'dataset.path': file '{d.Path}' does not exist");
            return (study, HashFile(d.Path));
        }
        ResolvedDataset r;
        try
        {
            r = new DatasetVersions(d.Root ?? DefaultRoot).Resolve(d.Version is { } v ? $"{d.Name}@{v}" : d.Name);
        }
        catch (InputException e)
        {
            throw new InputException($"study '{study.Name}', key 'dataset.name': {e.Message}", e);
        }
        return (study with { Dataset = d with { Path = r.Path, Version = r.Version } }, r.Sha256);
    }

    /// <summary>The default folder of versioned datasets, as <c>de ingest --root</c>: <c>datasets/</c> in the current directory.</summary>
    public static string DefaultRoot => Study.DatasetRoots.Default;

    /// <summary>Resolves the study's dataset and builds the command that starts (or resumes) its run under <paramref name="outRoot"/>.</summary>
    /// <exception cref="InputException">As <see cref="Resolve"/>; <paramref name="maxInFlight"/> below one.</exception>
    public static (string RunId, StartRun Command) Build(StudyDefinition study, string outRoot, int maxInFlight)
    {
        ArgumentNullException.ThrowIfNull(outRoot);
        if (maxInFlight < 1) throw new InputException($"in-flight {maxInFlight}: expected at least 1");
        var (resolved, sha) = Resolve(study);
        return (RunId(resolved, sha), new StartRun(resolved, sha, Path.GetFullPath(outRoot), maxInFlight));
    }
}
