using System.Collections.Immutable;
using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Did;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Runs a block of Callaway–Sant'Anna multiplier-bootstrap draws (key: run / analysis / cs_bootstrap / first): core refits the
/// group-time ATTs and their aggregations (deterministic, so every block sees the same influence functions), then draw b
/// multiplies them by the Mammen weights of stream b of (seed, stream key) — the same bytes whatever the block size and
/// wherever the block ran. The analysis summarises the joined draws (<see cref="CsBootstrap.Summarise"/>).
/// </summary>
public sealed class DidBootstrapHandler() : WorkHandler<DidBootstrapWork, DidBootstrapDone>("did_bootstrap")
{
    /// <inheritdoc/>
    protected override DidBootstrapDone Run(DidBootstrapWork work, WorkData data)
    {
        var s = work.Settings;
        var cs = CallawaySantAnna.Fit(s.Design(data.Panel), s.Options(), s.ControlGroup, s.CsOptions);
        var draws = CsBootstrap.Draws(cs, work.Seed, work.StreamKey, work.First, work.Count);
        return new DidBootstrapDone(work.First, [.. draws.Select(d => d.ToImmutableArray())]);
    }

    /// <inheritdoc/>
    protected override void Tag(Activity span, DidBootstrapWork work)
    {
        span.SetTag("de.did.first", work.First);
        span.SetTag("de.did.count", work.Count);
    }
}
