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
/// admissible interval (1/ω_min, 1/ω_max) of a spatial coefficient (null when W has no negative eigenvalue).
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
                try
                {
                    var (min, max) = w.EigenRange();
                    (lo, hi) = (JsonValue.Create(min), JsonValue.Create(max));
                    var (l, u) = w.Interval();
                    (lower, upper) = (JsonValue.Create(l), JsonValue.Create(u));
                }
                catch (InputException) { } // no negative real eigenvalue: no interval (the fit refuses such a W itself)
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
