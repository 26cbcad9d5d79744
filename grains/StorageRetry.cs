using Orleans.Storage;

namespace DigitalEconomy.Grains;

/// <summary>
/// The one rule for grain-state and reminder writes to the cluster's storage (Redis): a write that times out or
/// loses its connection is sent again, with a growing pause, within a bounded budget; a write refused for its
/// version (<see cref="InconsistentStateException"/>: an earlier write that timed out did land when Redis came
/// back, or Redis restarted without its data) re-reads the state and decides: nothing to do when the stored
/// state already holds what the grain decided, else the same decision written again on the version just read.
/// A grain calls it; it never decides anything about the grain's work.
/// </summary>
public sealed class StorageRetry(TimeSpan budget, TimeSpan firstPause, TimeSpan longestPause)
{
    /// <summary>Up to two minutes per write, pauses from 0.5 s doubling to 5 s (longer than a Redis stall or restart the cluster rides out).</summary>
    public static StorageRetry Default { get; } = new(TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

    /// <summary>A timeout or a lost connection anywhere in the exception's chain (Orleans wraps the storage's own exceptions).</summary>
    public static bool IsTransient(Exception e) => Chain(e).Any(x => x is TimeoutException
        || (x.GetType().Namespace ?? "").StartsWith("StackExchange.Redis", StringComparison.Ordinal)
        || x.GetType().Name.Contains("Connection", StringComparison.Ordinal));

    /// <summary>A write refused because the stored version is not the one the grain holds.</summary>
    public static bool IsConflict(Exception e) => Chain(e).Any(x => x is InconsistentStateException);

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
                foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to the state and writes it; on a version conflict re-reads the state, stops
    /// when <paramref name="holds"/> says it already holds the decision, else applies it again and writes.
    /// </summary>
    /// <exception cref="Exception">The last failure, once the budget is spent or for a failure that is neither transient nor a conflict.</exception>
    public async Task WriteAsync<T>(IPersistentState<T> state, Action<T> apply, Func<T, bool> holds)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(holds);
        apply(state.State);
        bool reread = false;
        await RetryAsync(async () =>
        {
            if (reread)
            {
                await state.ReadStateAsync();
                reread = false;
                if (holds(state.State)) return;
                apply(state.State);
            }
            try { await state.WriteStateAsync(); }
            catch (Exception e) when (IsConflict(e))
            {
                reread = true;
                throw;
            }
        }, retryConflicts: true);
    }

    /// <summary>Runs a storage call (a reminder's registration, say), sending it again after a transient failure within the budget.</summary>
    public Task RunAsync(Func<Task> call) => RetryAsync(call, retryConflicts: false);

    private async Task RetryAsync(Func<Task> call, bool retryConflicts)
    {
        var until = DateTime.UtcNow + budget;
        var pause = firstPause;
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when ((IsTransient(e) || (retryConflicts && IsConflict(e))) && DateTime.UtcNow + pause < until)
            {
                if (!IsConflict(e))
                {
                    await Task.Delay(pause);
                    pause = TimeSpan.FromTicks(Math.Min(longestPause.Ticks, pause.Ticks * 2));
                }
            }
        }
    }
}
