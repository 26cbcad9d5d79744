using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Study;

/// <summary>
/// The validation pass over the study's <c>bootstrap</c> section: <c>{specs, method, replicates, chunk, weights, type, level}</c> (docs/studies.md).
/// Filters are checked against the grid here; specification ids are checked for their form here and matched when the
/// run has expanded its grid (an id hashes the prepared data, indices included, which only the run builds).
/// </summary>
internal static class StudyBootstrap
{
    /// <summary>The validation pass over the study's bootstrap section (read by <see cref="StudyFileReader"/>), or null when it has none.</summary>
    public static BootstrapSpec? Read(StudyYaml ctx, BootstrapSection? section, GridSpec grid)
    {
        if (section is not { } b) return null;
        long reps = b.Replicates.Value, chunk = b.Chunk.Value;
        if (reps < 2 || reps > 10_000_000) throw ctx.Error(b.Replicates.At, "bootstrap.replicates", $"expected an integer from 2 to 10000000, found {reps}");
        if (chunk < 1 || chunk > 10_000_000) throw ctx.Error(b.Chunk.At, "bootstrap.chunk", $"expected an integer from 1 to 10000000, found {chunk}");
        var method = b.Method.Value;
        if (method == BootstrapMethod.Pairs)
            foreach (var (key, given) in new[] { ("weights", b.Weights?.At), ("type", b.Type?.At) })
                if (given is { } at) throw ctx.Error(at, "bootstrap." + key, "applies to method: wild only");
        double level = b.Level.Value;
        if (!(level > 0 && level < 1)) throw ctx.Error(b.Level.At, "bootstrap.level", $"expected a confidence level between 0 and 1 (e.g. 0.95), found {level}");
        var specs = Specs(ctx, b.Specs, grid);
        if (method == BootstrapMethod.Wild && BootstrapSelection.Preview(grid, specs) is { } selected && !selected.Any(s => OneWayCluster(s.Vcov)))
        {
            var (key, at) = b.Specs is { } sp ? ("specs", sp.At) : ("method", b.Method.At);
            throw ctx.Error(at, "bootstrap." + key,
                $"the wild cluster bootstrap needs one-way clustered errors (vcov cluster:COL), and no selected specification has them (vcov: {string.Join(", ", selected.Select(s => s.Vcov).Distinct(StringComparer.Ordinal))})");
        }
        return new BootstrapSpec((int)reps, (int)chunk, method, specs, b.Weights?.Value ?? BootstrapWeights.Rademacher, b.Type?.Value ?? BootstrapWildType.Wcr, level);
    }

    private static bool OneWayCluster(string vcov) => VcovSpec.Parse(vcov) is { Kind: VcovKind.Cluster, ClusterColumns.Count: 1 };

    /// <summary><c>specs</c>: <c>baseline</c> (the default), <c>all</c> or a list of entries, each checked against the grid.</summary>
    private static ImmutableArray<string> Specs(StudyYaml ctx, BootstrapSpecs? specs, GridSpec grid)
    {
        if (specs is null) return ["baseline"];
        if (specs.Word is { } word) return [word];
        for (int i = 0; i < specs.Entries.Length; i++)
            if (BootstrapSelection.Problem(grid, specs.Entries[i].Value) is { } problem) throw ctx.Error(specs.Entries[i].At, $"bootstrap.specs[{i}]", problem);
        return [.. specs.Entries.Select(e => e.Value)];
    }
}
