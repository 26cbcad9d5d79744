using System.Collections.Immutable;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// The registry of analysis types: the loader reads an analysis, and the run runs it, only through the type registered
/// for its <c>type:</c>. One line per type below; a type defined elsewhere (a test, a plug-in) joins with
/// <see cref="Register"/>.
/// </summary>
internal static class AnalysisTypes
{
    private static ImmutableArray<IAnalysisType> s_types =
    [
        new DescriptivesAnalysis(),
        new CorrelationsAnalysis(),
        new RegressionsAnalysis(),
        new RobustnessAnalysis(),
        new HeterogeneityAnalysis(),
        new MediationAnalysis(),
        new ModerationAnalysis(),
        new TrendsAnalysis(),
        new DisparityAnalysis(),
        new ConvergenceAnalysis(),
        new CouplingAnalysis(),
        new DidAnalysis(),
        new GmmAnalysis(),
        new ThresholdAnalysis(),
        new SpatialAnalysis(),
    ];

    /// <summary>The registered types in registration order.</summary>
    public static ImmutableArray<IAnalysisType> All => s_types;

    /// <summary>Every kind name, in registration order (as the loader's messages list them).</summary>
    public static IEnumerable<string> Kinds => s_types.SelectMany(t => t.Kinds);

    /// <summary>The type registered for a kind, or null.</summary>
    public static IAnalysisType? Find(string kind) => s_types.FirstOrDefault(t => t.Kinds.Contains(kind, StringComparer.Ordinal));

    /// <summary>The type that runs an analysis the loader read (its <see cref="Contracts.AnalysisSpec.Kind"/>).</summary>
    public static IAnalysisType For(Contracts.AnalysisSpec analysis) =>
        Find(analysis.Kind) ?? throw new Core.InputException($"analysis '{analysis.Name}': no analysis type '{analysis.Kind}' is registered on this process");

    /// <summary>
    /// Registers a type (idempotent for the same class): its kinds become known to the loader and the run of this process.
    /// A kind another class already registered is refused.
    /// </summary>
    public static void Register(IAnalysisType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ImmutableInterlocked.Update(ref s_types, list =>
        {
            foreach (var kind in type.Kinds)
                if (list.FirstOrDefault(t => t.Kinds.Contains(kind, StringComparer.Ordinal)) is { } other)
                    return other.GetType() == type.GetType() ? list : throw new InvalidOperationException($"analysis type '{kind}' is already registered by {other.GetType().Name}");
            return list.Add(type);
        });
    }
}
