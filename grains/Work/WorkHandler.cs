using System.Diagnostics;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// What <see cref="ComputeGrain"/> needs of a handler, whatever its work type: the type it handles, its name
/// (the span is <c>grain.NAME</c> and the latency metric's <c>grain</c> tag is NAME), its span tags and the work
/// itself. Implemented through <see cref="WorkHandler{TWork, TResult}"/>, which does the casts once.
/// </summary>
public interface IWorkHandler
{
    /// <summary>The work record this handler computes (a concrete subtype of <see cref="ComputeWork"/>).</summary>
    Type WorkType { get; }

    /// <summary>Name in telemetry: span <c>grain.NAME</c>, <c>grain</c> tag of <c>de.grain.latency</c>.</summary>
    string Name { get; }

    /// <summary>Adds the work's own tags to the grain's span (beside <c>de.run</c>, which the grain sets).</summary>
    void Tag(Activity span, ComputeWork work);

    /// <summary>Computes the work on the dataset it reads. Pure: the result depends on the work and the data only.</summary>
    WorkResult Compute(ComputeWork work, WorkData data);
}

/// <summary>
/// A handler of one work type: a stateless class that turns a <typeparamref name="TWork"/> into its
/// <typeparamref name="TResult"/> on the prepared dataset. The compute grain does everything else (span,
/// latency, the dataset from the per-silo cache, logging); register the handler in <see cref="WorkHandlers"/>.
/// A handler writes only <see cref="Run"/> (and <see cref="Tag"/> when its span wants more than the run id).
/// </summary>
/// <typeparam name="TWork">The work record.</typeparam>
/// <typeparam name="TResult">Its reply.</typeparam>
/// <param name="name">Name in telemetry (<see cref="IWorkHandler.Name"/>).</param>
public abstract class WorkHandler<TWork, TResult>(string name) : IWorkHandler
    where TWork : ComputeWork<TResult>
    where TResult : WorkResult
{
    /// <inheritdoc/>
    public Type WorkType => typeof(TWork);

    /// <inheritdoc/>
    public string Name => name;

    /// <summary>Computes <paramref name="work"/> on <paramref name="data"/>.</summary>
    public TResult Compute(TWork work, WorkData data)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(data);
        return Run(work, data);
    }

    /// <summary>The handler's computation (its arguments are not null).</summary>
    protected abstract TResult Run(TWork work, WorkData data);

    /// <summary>The work's own span tags (none unless overridden).</summary>
    protected virtual void Tag(Activity span, TWork work) { }

    void IWorkHandler.Tag(Activity span, ComputeWork work) => Tag(span, (TWork)work);

    WorkResult IWorkHandler.Compute(ComputeWork work, WorkData data) => Compute((TWork)work, data);
}
