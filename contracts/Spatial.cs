using System.Collections.Immutable;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Contracts;

/// <summary>
/// A spatial weight matrix on the wire: the units in W's order and its nonzero entries as given (before
/// row-standardisation), so the silo rebuilds exactly the same <see cref="SpatialWeights"/> (same eigenvalues).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SpatialWeightsData(ImmutableArray<string> Units, ImmutableArray<int> RowStart, ImmutableArray<int> Columns, ImmutableArray<double> Weights, bool RowStandardise)
{
    /// <summary>The wire form of <paramref name="w"/>.</summary>
    public static SpatialWeightsData Of(SpatialWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return new([.. w.Names], [.. w.RowStart], [.. w.ColumnIndex], [.. w.RawValues], w.RowStandardised);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the matrix's content: its units, compressed-row layout and raw entries (round-trip
    /// text) and whether it is row-standardised — what the run id covers and manifest.json records.
    /// </summary>
    public string Sha256()
    {
        string text = string.Join("\u001f", Units) + "|" + string.Join(",", RowStart) + "|" + string.Join(",", Columns) + "|"
            + string.Join(",", Weights.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "|" + RowStandardise;
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The weights rebuilt (<see cref="SpatialWeights.FromEdges"/> of the raw entries).</summary>
    public SpatialWeights ToWeights()
    {
        var edges = new List<(string, string, double)>(Weights.Length);
        for (int i = 0; i < Units.Length; i++)
            for (int k = RowStart[i]; k < RowStart[i + 1]; k++) edges.Add((Units[i], Units[Columns[k]], Weights[k]));
        return SpatialWeights.FromEdges(Units, edges, symmetric: false, RowStandardise);
    }
}

/// <summary>What a block of <see cref="SpatialWork"/> draws.</summary>
public enum SpatialDrawKind
{
    /// <summary>Impact draws: (ρ, β, θ) from N(mean, V), LeSage–Pace impacts of each.</summary>
    Impacts,
    /// <summary>Moran permutations of each period's cross-section.</summary>
    MoranPermutations,
}

/// <summary>
/// Work for the compute grain (key: run / analysis / model or variable / first draw): draws First .. First + Count − 1 of a
/// spatial analysis's simulation. Draw r uses the stream (seed, StreamKey, r) — for Moran, (seed, StreamKey/PERIOD, r) per
/// period — so a draw is the same whatever block, silo or process it ran in.
/// </summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset (not read: the work carries its numbers).</param>
/// <param name="Weights">W in the panel's unit order.</param>
/// <param name="Kind">Impact draws or Moran permutations.</param>
/// <param name="Mean">Impacts: (ρ, β₁..β_K, θ₁..θ_K).</param>
/// <param name="Vcov">Impacts: their covariance, row-major.</param>
/// <param name="Terms">Impacts: K.</param>
/// <param name="Durbin">Impacts: θ present (SDM).</param>
/// <param name="Values">Moran: the variable stacked period by period (T blocks of N in W's order).</param>
/// <param name="Periods">Moran: the periods (stream keys).</param>
/// <param name="Seed">Study seed.</param>
/// <param name="StreamKey">Stream family.</param>
/// <param name="First">First draw.</param>
/// <param name="Count">Draws in the block.</param>
[GenerateSerializer, Immutable]
public sealed record SpatialWork(string RunId, DatasetRef Dataset, SpatialWeightsData Weights, SpatialDrawKind Kind, ImmutableArray<double> Mean, ImmutableArray<double> Vcov,
    int Terms, bool Durbin, ImmutableArray<double> Values, ImmutableArray<long> Periods, long Seed, string StreamKey, int First, int Count) : ComputeWork<SpatialDone>
{
    /// <summary>The stream family of one period's permutations: "KEY/PERIOD".</summary>
    public static string MoranKey(string key, long period) => $"{key}/{period.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Draw First + i's numbers in Draws[i]: impacts (direct₁..K, indirect₁..K, total₁..K), or Moran's I per period.</summary>
[GenerateSerializer, Immutable]
public sealed record SpatialDone(int First, ImmutableArray<ImmutableArray<double>> Draws) : WorkResult;

/// <summary>One weight matrix of a spatial analysis: its name (stream keys, tables' keys), label (tables), the file it was read from, and W itself.</summary>
[GenerateSerializer, Immutable]
public sealed record SpatialMatrixSpec(string Name, string Label, string Source, SpatialWeightsData Weights);

/// <summary>
/// A spatial analysis (<c>type: spatial</c>, docs/studies.md): Moran's I of variables per period under each matrix, and FE
/// spatial panels of one formula under each matrix and model, with their effects.
/// </summary>
/// <param name="Matrices">The weight matrices, read when the study was loaded.</param>
/// <param name="Moran">Variables whose Moran's I is tested per period.</param>
/// <param name="Formula">The model 'y ~ x1 + x2' (null: no models).</param>
/// <param name="Models">Model names (sar, sem, sac, sdm), in column order.</param>
/// <param name="Effects">individual or twoways.</param>
/// <param name="LeeYu">Lee–Yu (2010) correction: individual effects, or two-way effects with a row-standardised W (docs/methods.md).</param>
/// <param name="Draws">Simulation draws for the impacts' SEs (0: none).</param>
/// <param name="Permutations">Moran permutations per period (0: none).</param>
/// <param name="Chunk">Draws or permutations per compute-grain call.</param>
/// <param name="LogDet">auto, eigen or sparse: how the fits compute log|I − ρW| and the traces (docs/methods.md).</param>
[GenerateSerializer, Immutable]
public sealed record SpatialSpec(ImmutableArray<SpatialMatrixSpec> Matrices, ImmutableArray<string> Moran, Core.Formulas.Formula? Formula, ImmutableArray<string> Models, string Effects,
    bool LeeYu, int Draws, int Permutations, int Chunk, string LogDet = "auto") : AnalysisSettings;
