using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>
/// The grid keys of the non-linear estimators (docs/studies.md "grid"): <c>grid.gmm</c>, <c>grid.cohort</c>, <c>grid.matrices</c>, and
/// the checks (the validation pass over what StudyFileReader read) that each non-linear word of <c>grid.estimators</c> can form nodes, every error one line naming its key.
/// </summary>
internal static class StudyGridNodes
{
    /// <summary>The grid with its non-linear settings (read by <see cref="StudyFileReader"/>) checked.</summary>
    public static GridSpec Read(StudyYaml ctx, GridSection g, GridSpec grid, DataFrame frame, IReadOnlySet<string> available, ImmutableArray<AnalysisSpec> analyses)
    {
        var words = grid.Estimators.IsDefaultOrEmpty ? [] : grid.Estimators;
        bool Has(string prefix) => words.Any(w => w.StartsWith(prefix, StringComparison.Ordinal) && GridEstimatorRegistry.Find(w) is not null);

        GridGmmSettings? gmm = null;
        if (g.Gmm is { } gm)
        {
            if (!Has("gmm-")) throw ctx.Error(gm.At, "grid.gmm", "is read by the GMM estimators only: add gmm-diff or gmm-sys to grid.estimators, or remove this key");
            if (gm.Lags is < 0 or > 5) throw ctx.Error(gm.At, "grid.gmm.lags", "expected an integer from 0 to 5 (the lags 1 … L of the treatment and controls added as regressors)");
            var controls = grid.Controls.SelectMany(c => c.Columns).ToHashSet(StringComparer.Ordinal);
            ImmutableArray<string> endogenous = [.. gm.Endogenous.Select((c, i) => controls.Contains(c.Value) ? c.Value
                : throw ctx.Error(c.At, $"grid.gmm.endogenous[{i}]", $"'{c.Value}' is in no control set of grid.controls (the treatment is always endogenous); expected one of: {string.Join(", ", controls.Order(StringComparer.Ordinal))}"))];
            gmm = new GridGmmSettings(gm.Collapse, (int)gm.Lags, endogenous);
        }

        string? cohort = null;
        if (g.Cohort is { } con)
        {
            if (!Has("did-")) throw ctx.Error(con.At, "grid.cohort", "is read by the DID estimators only: add did-twfe, did-sa or did-cs to grid.estimators, or remove this key");
            cohort = con.Value;
            if (StudyCheck.Variable(cohort, available, frame) is { } wrong) throw ctx.Error(con.At, "grid.cohort", wrong);
        }

        ImmutableArray<SpatialMatrixSpec> matrices = [];
        if (g.Matrices is { } mn)
        {
            if (!words.Any(w => GridEstimatorRegistry.Find(w) is SpatialGridEstimator))
                throw ctx.Error(mn.At, "grid.matrices", "is read by the spatial estimators only: add sar or sdm to grid.estimators, or remove this key");
            var declared = (analyses.IsDefault ? [] : analyses).Select(a => a.Settings).OfType<SpatialSpec>().SelectMany(s => s.Matrices)
                .GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.First(), StringComparer.Ordinal);
            matrices = [.. mn.Value.Select((n, i) =>
            {
                string name = n.Value;
                return declared.TryGetValue(name, out var m) ? m
                    : throw ctx.Error(n.At, $"grid.matrices[{i}]", declared.Count == 0
                        ? $"no weight matrix '{name}': grid matrices are those a spatial analysis declares (analyses: - type: spatial, weights: [{{ name: {name}, path: … }}])"
                        : $"no weight matrix '{name}'; the spatial analyses declare: {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))}");
            })];
            if (matrices.Length == 0) throw ctx.Error(mn.At, "grid.matrices", "expected at least one matrix name");
            if (matrices.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != matrices.Length) throw ctx.Error(mn.At, "grid.matrices", "a matrix is listed twice");
        }

        grid = grid with { Gmm = gmm, Cohort = cohort, Matrices = matrices };
        var estimatorNodes = g.Estimators is { } es ? es.Value : [];
        for (int i = 0; i < words.Length; i++)
        {
            if (GridEstimatorRegistry.Find(words[i]) is not { } family) continue;
            var at = i < estimatorNodes.Length ? estimatorNodes[i].At : g.At;
            if (family.Needs(words[i], grid) is { } needs) throw ctx.Error(at, $"grid.estimators[{i}]", needs);
            // The baseline is one specification named by the first entry of each dimension; a spatial word names one node per matrix.
            if (i == 0 && family is SpatialGridEstimator)
                throw ctx.Error(at, "grid.estimators[0]", $"{words[0]} makes one node per matrix and cannot name the baseline: put a linear, GMM or DID estimator first (e.g. [within, {words[0]}])");
            if (family is DidGridEstimator && cohort is null && frame.Has(grid.Treatment) && !DidGridEstimator.IsBinary(frame.Numeric(grid.Treatment)))
                throw ctx.Error(at, $"grid.estimators[{i}]", $"{words[i]} needs the adoption design: add grid.cohort (each unit's first treated period) or make grid.treatment ('{grid.Treatment}') a 0/1 column");
        }
        // Expanded only when a non-linear estimator is named (each must form a specification): a linear grid of 10,000
        // specifications took a tenth of a second here, and the run expands it anyway.
        var specs = words.Any(w => GridEstimatorRegistry.Find(w) is not null) ? GridExpansion.Expand(grid, "") : [];
        for (int i = 0; i < words.Length; i++)
            if (GridEstimatorRegistry.Find(words[i]) is not null && !specs.Any(s => s.Node?.Estimator == words[i]))
                throw ctx.Error(i < estimatorNodes.Length ? estimatorNodes[i].At : g.At, $"grid.estimators[{i}]",
                    $"{words[i]} forms no specification: it is fitted unweighted at the baseline fixed effects and variance, so grid.weights needs \"none\"" + (words[i] == "did-cs" ? ", and it takes no covariates, so grid.controls needs an empty set (e.g. none: [])" : ""));
        return grid;
    }

    /// <summary>
    /// Curve inference refits every specification on null outcomes by the linear batch fit, and the bootstrap resamples linear fits:
    /// neither has a meaning here for a non-linear node, so a study asking for them over such nodes is refused in one line.
    /// </summary>
    public static void CheckResampling(StudyYaml ctx, StudyFile study, GridSpec grid, BootstrapSpec? bootstrap)
    {
        if (!GridEstimatorRegistry.HasNodes(grid)) return;
        string words = string.Join(", ", grid.Estimators.Where(e => GridEstimatorRegistry.Find(e) is not null));
        if (study.CurveInference is { } ci)
            throw ctx.Error(ci.At, "curve_inference", $"the null refits are linear fits and the grid has non-linear estimators ({words}); drop curve_inference or those estimators");
        if (bootstrap is null) return;
        var selected = BootstrapSelection.Preview(grid, bootstrap.Specs);
        if (selected is null || selected.Any(s => s.Node is not null))
            throw ctx.Error(study.Bootstrap!.At, "bootstrap.specs",
                $"the bootstrap refits linear specifications and {(selected is null ? "an id may name" : "the selection includes")} a node of a non-linear estimator ({words}); select linear specifications by filter, e.g. baseline with a linear first estimator");
    }
}
