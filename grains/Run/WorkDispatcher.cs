using DigitalEconomy.Contracts;
using Orleans.Runtime;

namespace DigitalEconomy.Grains;

/// <summary>A work call that failed for a reason that retrying cannot fix (the message names the work).</summary>
public sealed class WorkFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Calls work grains with the run's retry rule. Orleans delivers a call at most once: a call that timed
/// out, or whose silo died, is sent again (bounded attempts, growing pause); a work grain that lost its
/// dataset gets it back before the retry; anything else is the input's or the code's fault and stops
/// the run with the work named. Work is idempotent, so a call executed twice gives the same reply.
/// </summary>
internal sealed class WorkDispatcher(IGrainFactory grains, Func<Task> restoreDatasets, int maxAttempts, TimeSpan pause)
{
    private int _retries;

    /// <summary>Calls sent again so far.</summary>
    public int Retries => _retries;

    /// <summary>True for the failures that a retry may fix.</summary>
    public static bool IsTransient(Exception e) => e is TimeoutException or OrleansMessageRejectionException or DatasetUnavailableException
        or GatewayTooBusyException or ClientNotAvailableException
        // ConnectionFailedException and SocketConnectionException are internal to Orleans' messaging.
        || (e is OrleansException && e.GetType().Name.Contains("Connection", StringComparison.Ordinal));

    /// <summary>
    /// Sends <paramref name="work"/> to the compute grain of <paramref name="key"/> (the work key, which names the
    /// part the reply is committed as) under the retry rule of <see cref="CallAsync"/>; <paramref name="what"/> names
    /// the work in a failure.
    /// </summary>
    public Task<TResult> ComputeAsync<TResult>(string what, string key, ComputeWork<TResult> work, CancellationToken ct) where TResult : WorkResult =>
        // The cast cannot fail: the handler of a ComputeWork<TResult> returns a TResult (WorkHandler<TWork, TResult>).
        CallAsync(what, async () => (TResult)await grains.GetGrain<IComputeGrain>(key).ComputeAsync(work), ct);

    public async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && attempt < maxAttempts && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retries);
                Telemetry.Retries.Add(1);
                if (e is DatasetUnavailableException) await restoreDatasets();
                await Task.Delay(pause * attempt, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new WorkFailedException(IsTransient(e)
                    ? $"{what}: gave up after {attempt} attempts ({e.GetType().Name}: {e.Message})"
                    : $"{what}: {e.Message}", e);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> over items with at most <paramref name="inFlight"/> at once (in the caller's context: a grain's turn-based scheduler).</summary>
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int inFlight, Func<T, Task> work, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, inFlight));
        var tasks = new List<Task>();
        foreach (var item in items)
        {
            await gate.WaitAsync(ct);
            if (tasks.Exists(t => t.IsFaulted)) { gate.Release(); break; }
            tasks.Add(Run(item));
        }
        await Task.WhenAll(tasks);

        async Task Run(T item)
        {
            try { await work(item); }
            finally { gate.Release(); }
        }
    }
}
