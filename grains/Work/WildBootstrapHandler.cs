using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// The wild cluster bootstrap of one specification's treatment coefficient against 0 (key: specification id):
/// core's fast algorithm (<see cref="WildBootstrap"/>), so one call per specification. Draw b uses the stream
/// (seed, spec id, b); under full enumeration no random numbers are used. The result depends only on the work.
/// A specification that cannot be tested (no one-way cluster vcov, failed fit) is a reply carrying the reason.
/// </summary>
public sealed class WildBootstrapHandler() : WorkHandler<WildBootstrapWork, WildBootstrapDone>("wild")
{
    /// <inheritdoc/>
    protected override void Tag(Activity span, WildBootstrapWork work) => span.SetTag("de.spec", work.Specification.Id);

    /// <summary>
    /// The test on the dataset (winsorised when the specification asks for it),
    /// as <c>de estimate --wild "TERM=0"</c> computes it on the same panel, formula and variance.
    /// </summary>
    protected override WildBootstrapDone Run(WildBootstrapWork work, WorkData data)
    {
        var s = work.Specification;
        try
        {
            var model = SpecificationFit.Model(s);
            if (model.Options.Vcov.Kind != VcovKind.Cluster || model.Options.Vcov.ClusterColumns.Count != 1)
                return Failed(s.Id, $"the wild cluster bootstrap needs one-way clustered errors (vcov cluster:COL); this specification uses {s.Vcov}");
            var p = data.Winsorized(SpecificationModel.WinsorColumns(s));
            var options = new WildOptions
            {
                Replications = work.Replicates,
                Seed = work.Seed,
                Key = s.Id,
                Level = work.Level,
                Weights = work.Weights switch { BootstrapWeights.Webb => WildWeights.Webb, BootstrapWeights.Mammen => WildWeights.Mammen, _ => WildWeights.Rademacher },
                Type = work.Type == BootstrapWildType.Wcu ? WildType.Unrestricted : WildType.Restricted,
            };
            var r = WildBootstrap.Run(p, model.Formula, model.Options, model.Term, options);
            return new WildBootstrapDone(s.Id, SpecificationFit.Finite(r.PValue), SpecificationFit.Finite(r.ConfLow), SpecificationFit.Finite(r.ConfHigh), (int)r.Draws, r.Enumerated, r.Clusters, null);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return Failed(s.Id, e.Message);
        }
    }

    private static WildBootstrapDone Failed(string specId, string reason) => new(specId, null, null, null, 0, false, 0, reason);
}
