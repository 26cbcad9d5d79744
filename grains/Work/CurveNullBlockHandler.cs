using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Grains.Work;

/// <summary>
/// Refits a block of specifications on a block of null draws of the specification curve (key: spec block key + "-" + first draw).
/// Each specification's null data are built on the panel it is fitted on (winsorised as it asks, on the full data) by
/// <see cref="CurveInference.NullData"/>; specifications on the same panel go through one <see cref="Core.Regression.BatchEstimation"/>
/// call per draw, so those sharing sample and fixed effects share one projection. Draw d resamples from the stream family
/// (seed, "curve-null"), so a (specification, draw) value does not depend on the block it was computed in.
/// </summary>
public sealed class CurveNullBlockHandler() : WorkHandler<CurveNullBlock, CurveNullBlockDone>("curve_null")
{
    /// <inheritdoc/>
    protected override CurveNullBlockDone Run(CurveNullBlock work, WorkData data)
    {
        var specs = work.Specifications;
        if (work.Estimates.Length != specs.Length) throw new ArgumentException("one estimate per specification", nameof(work));
        var fits = new CurveNullFit[work.Draws * specs.Length];
        var columns = SpecificationFit.PanelColumns(specs);
        var groups = Enumerable.Range(0, specs.Length).GroupBy(i => SpecificationFit.VariantKey(columns[i]), StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var members = g.ToList();
            var cols = columns[members[0]];
            Panel p = cols.Count == 0 ? data.Panel : data.Variant(g.Key, x => SpecificationFit.Winsorized(x, cols));
            var ok = new List<int>();
            var curve = new List<CurveSpecification>();
            foreach (int i in members)
            {
                try { curve.Add(new CurveSpecification(SpecificationFit.Model(specs[i]), work.Estimates[i])); ok.Add(i); }
                catch (InputException) { for (int d = 0; d < work.Draws; d++) fits[d * specs.Length + i] = new CurveNullFit(specs[i].Id, work.FirstDraw + d, null, null); }
            }
            var (nullPanel, models) = CurveInference.NullData(p, curve);
            var draws = CurveInference.Draws(nullPanel, models, work.Seed, work.FirstDraw, work.Draws);
            for (int d = 0; d < work.Draws; d++)
                for (int k = 0; k < ok.Count; k++)
                {
                    var (e, pv) = draws[d][k];
                    fits[d * specs.Length + ok[k]] = new CurveNullFit(specs[ok[k]].Id, work.FirstDraw + d, SpecificationFit.Finite(e), SpecificationFit.Finite(pv));
                }
        }
        return new CurveNullBlockDone([.. fits]);
    }
}
