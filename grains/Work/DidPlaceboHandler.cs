using System.Collections.Immutable;
using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Did;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Runs a block of placebo draws of a TWFE DID (key: run / analysis / placebo / first): core's <see cref="TwfePlacebo"/>
/// prepares the outcome and covariates once per block (one demeaning each) and then demeans only each draw's treatment
/// indicator. Draw b shuffles the cohorts with stream b of (seed, stream key): the estimates are the same bytes whatever
/// the block size and wherever the block ran.
/// </summary>
public sealed class DidPlaceboHandler() : WorkHandler<DidPlaceboWork, DidPlaceboDone>("did_placebo")
{
    /// <inheritdoc/>
    protected override DidPlaceboDone Run(DidPlaceboWork work, WorkData data)
    {
        var s = work.Settings;
        var placebo = TwfePlacebo.Prepare(s.Design(data.Panel), s.Options());
        return new DidPlaceboDone(work.First, [.. placebo.Draws(s.Kind, work.Seed, work.StreamKey, work.First, work.Count)]);
    }

    /// <inheritdoc/>
    protected override void Tag(Activity span, DidPlaceboWork work)
    {
        span.SetTag("de.did.first", work.First);
        span.SetTag("de.did.count", work.Count);
    }
}
