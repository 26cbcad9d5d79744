using System.Collections.Immutable;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;
using DigitalEconomy.Study;
using DigitalEconomy.Core;

namespace DigitalEconomy.Grains;

/// <summary>
/// The weight matrices a run's spatial analyses used, for manifest.json's <c>spatial_weights</c> (docs/studies.md,
/// "spatial"): per matrix the analysis, its name and label, its source (a file path relative to the study, or
/// <c>economic:VAR</c> / <c>nested:FILE,VAR[,PHI]</c>), the SHA-256 of its content (units and raw entries, the hash the
/// run id covers), n, the nonzero entries, whether it is row-standardised, the extreme real eigenvalues and the
/// admissible interval (1/ω_min, 1/ω_max) of a spatial coefficient (null when W has no negative eigenvalue); above
/// <see cref="Core.Spatial.SpatialPanel.SparseThreshold"/> units the extreme eigenvalues are Lanczos's (as the fit's).
/// </summary>
internal static class SpatialManifest
{
    /// <summary>The entries, or null when the study has no spatial analysis.</summary>
    public static JsonArray? Entries(ImmutableArray<AnalysisSpec> analyses)
    {
        if (analyses.IsDefaultOrEmpty) return null;
        var list = new JsonArray();
        foreach (var a in analyses)
            foreach (var m in a.Settings is SpatialSpec spatial ? spatial.Matrices : [])
            {
                var w = SpatialWeightsCache.Shared(m.Weights);
                JsonNode? lo = null, hi = null, lower = null, upper = null;
                // Above the sparse threshold, as the fit does, the extreme eigenvalues come from Lanczos on W's symmetric form:
                // the O(n³) eigen-decomposition of a county-level W would cost minutes for two numbers.
                var sparse = w.N > Core.Spatial.SpatialPanel.SparseThreshold ? Core.Spatial.SparseLogDet.TryCreate(w) : null;
                try
                {
                    var (min, max) = sparse?.ExtremeEigenvalues() ?? w.EigenRange();
                    (lo, hi) = (JsonValue.Create(min), JsonValue.Create(max));
                    if (min < 0 && max > 0) (lower, upper) = (JsonValue.Create(1 / min), JsonValue.Create(1 / max));
                }
                catch (InputException) { } // no real eigenvalue found: no range (the fit refuses such a W itself)
                list.Add(new JsonObject
                {
                    ["analysis"] = a.Name, ["name"] = m.Name, ["label"] = m.Label, ["source"] = m.Source, ["sha256"] = m.Weights.Sha256(),
                    ["n"] = w.N, ["nonzeros"] = w.NonZeros, ["row_standardised"] = w.RowStandardised,
                    ["eigenvalue_min"] = lo, ["eigenvalue_max"] = hi, ["interval_lower"] = lower, ["interval_upper"] = upper,
                });
            }
        return list.Count == 0 ? null : list;
    }
}
