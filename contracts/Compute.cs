namespace DigitalEconomy.Contracts;

/// <summary>
/// The one work grain (key: the work key of the piece of work, exactly as the run names its part: a batch key,
/// "spec id/first replicate", a spec id, "run/analysis", "run/analysis/test/first" …). Stateless: the reply
/// depends on the work record only, so a call executed twice (Orleans delivers at most once and the run retries)
/// gives the same reply, wherever it ran.
/// </summary>
public interface IComputeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Does the work with the handler registered for its type and returns its result (the subtype
    /// <see cref="ComputeWork{TResult}"/> names); a dataset no silo holds any more is a
    /// <see cref="DatasetUnavailableException"/>, so that the run puts it again and retries.
    /// </summary>
    Task<WorkResult> ComputeAsync(ComputeWork work);
}

/// <summary>
/// A piece of work for <see cref="IComputeGrain"/>. Every work record derives from <see cref="ComputeWork{TResult}"/>
/// and carries the run (for traces) and the prepared dataset it reads; Orleans serializes the concrete subtype.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record ComputeWork
{
    /// <summary>The run the work belongs to (for traces).</summary>
    public abstract string RunId { get; init; }

    /// <summary>The prepared dataset the work reads (from the per-silo cache).</summary>
    public abstract DatasetRef Dataset { get; init; }
}

/// <summary>A piece of work whose reply is a <typeparamref name="TResult"/>: ties each work record to its result record at compile time.</summary>
/// <typeparam name="TResult">The reply record.</typeparam>
[GenerateSerializer, Immutable]
public abstract record ComputeWork<TResult> : ComputeWork where TResult : WorkResult;

/// <summary>The reply of <see cref="IComputeGrain"/>; each work type has its own subtype.</summary>
[GenerateSerializer, Immutable]
public abstract record WorkResult;
