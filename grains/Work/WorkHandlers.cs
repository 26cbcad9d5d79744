using System.Collections.Frozen;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// The one place where work types meet their handlers. Adding a work type: a record pair in contracts
/// (<c>… : ComputeWork&lt;TheResult&gt;</c> and <c>… : WorkResult</c>), a handler file in grains/Work/, and one line
/// in <see cref="All"/>. A static list rather than DI registrations: handlers are stateless, the list is
/// the whole registry for the grain and for the test that checks it maps every work type to exactly one handler.
/// </summary>
public static class WorkHandlers
{
    /// <summary>Every handler, one per work type.</summary>
    public static IReadOnlyList<IWorkHandler> All { get; } =
    [
        new EstimateBatchHandler(),
        new BootstrapBlockHandler(),
        new WildBootstrapHandler(),
        new CurveNullBlockHandler(),
        new ModelBatchHandler(),
        new PermutationHandler(),
        new MediationBootstrapHandler(),
        new DidPlaceboHandler(),
        new DidBootstrapHandler(),
        new ThresholdBootstrapHandler(),
        new SpatialHandler(),
    ];

    // ToFrozenDictionary throws on a work type registered twice, so such a mistake stops the silo at its first call.
    private static readonly FrozenDictionary<Type, IWorkHandler> ByType = All.ToFrozenDictionary(h => h.WorkType);

    /// <summary>The handler of <paramref name="work"/>'s type.</summary>
    /// <exception cref="NotSupportedException">No handler is registered for that type.</exception>
    public static IWorkHandler For(ComputeWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return ByType.TryGetValue(work.GetType(), out var h) ? h
            : throw new NotSupportedException($"no handler is registered for work of type {work.GetType().Name} (grains/Work/WorkHandlers.cs)");
    }
}
