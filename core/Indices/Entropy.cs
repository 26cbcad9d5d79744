namespace DigitalEconomy.Core.Indices;

/// <summary>Where the min-max range of an indicator is taken.</summary>
public enum NormalisationScope
{
    /// <summary>Over the pooled panel (default).</summary>
    Pooled,
    /// <summary>Separately in each period.</summary>
    PerPeriod,
}

/// <summary>Options of the entropy-weight index, all recorded in its output.</summary>
public sealed record EntropyOptions
{
    /// <summary>Range normalisation scope. The default value is <see cref="NormalisationScope.Pooled"/>.</summary>
    public NormalisationScope Scope { get; init; } = NormalisationScope.Pooled;

    /// <summary>
    /// Translation shift a added to every normalised value (z + a) so that ln never sees 0; 0 means
    /// no shift, with 0·ln 0 := 0. Common choices are 1e-4 and 0.01. The default value is 0.
    /// </summary>
    public double Shift { get; init; }

    /// <summary>Score scale: 1 for 0–1 scores, 100 for 0–100. The default value is 1.</summary>
    public double Scale { get; init; } = 1;
}

/// <summary>
/// Per-indicator ranges of a slice of rows (a region), pooled or per period. Mergeable in any
/// order: min of mins, max of maxes, sum of counts (the first map step of the entropy index).
/// </summary>
public sealed record RangeStatistics(long Count, IReadOnlyDictionary<long, double[]> Min, IReadOnlyDictionary<long, double[]> Max)
{
    /// <summary>Key of the pooled range in <see cref="Min"/>/<see cref="Max"/>.</summary>
    public const long PooledKey = long.MinValue;

    /// <summary>Merges two slices' ranges.</summary>
    public static RangeStatistics Combine(RangeStatistics a, RangeStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var min = a.Min.ToDictionary(p => p.Key, p => (double[])p.Value.Clone());
        var max = a.Max.ToDictionary(p => p.Key, p => (double[])p.Value.Clone());
        foreach (var (k, v) in b.Min)
        {
            if (!min.TryGetValue(k, out var m)) { min[k] = (double[])v.Clone(); max[k] = (double[])b.Max[k].Clone(); continue; }
            var mx = max[k];
            for (int j = 0; j < m.Length; j++) { m[j] = Math.Min(m[j], v[j]); mx[j] = Math.Max(mx[j], b.Max[k][j]); }
        }
        return new RangeStatistics(a.Count + b.Count, min, max);
    }
}

/// <summary>
/// Per-indicator sums of a slice given the global ranges: S = Σz and T = Σ z·ln z (0·ln 0 := 0),
/// with z already shifted. Mergeable by addition (the second map step); the entropy is then
/// e = −(1/ln n)(T/S − ln S), which equals −(1/ln n) Σ p ln p with p = z/S.
/// </summary>
public sealed record EntropySums(long Count, double[] SumZ, double[] SumZLnZ)
{
    /// <summary>Adds two slices' sums.</summary>
    public static EntropySums Combine(EntropySums a, EntropySums b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new EntropySums(a.Count + b.Count, a.SumZ.Zip(b.SumZ, (x, y) => x + y).ToArray(), a.SumZLnZ.Zip(b.SumZLnZ, (x, y) => x + y).ToArray());
    }
}

/// <summary>Weights of the entropy method.</summary>
/// <param name="Entropy">e_j per indicator.</param>
/// <param name="Divergence">d_j = 1 − e_j.</param>
/// <param name="Weight">w_j = d_j / Σ d.</param>
/// <param name="Constant">Indicators with max = min (weight 0).</param>
public sealed record EntropyWeights(double[] Entropy, double[] Divergence, double[] Weight, IReadOnlyList<string> Constant);

/// <summary>The entropy-weight index of every row.</summary>
/// <param name="Options">The options used.</param>
/// <param name="Indicators">Indicator codes in order.</param>
/// <param name="Weights">Entropies, divergences and weights.</param>
/// <param name="Normalised">z (shifted) per indicator and row.</param>
/// <param name="Score">Scale·Σ_j w_j z_ij per row.</param>
/// <param name="SubIndices">Per first-level dimension, Scale·Σ_{j∈dim} w_j z_ij (they add up to the score).</param>
/// <param name="Warnings">Constant indicators and other notes.</param>
public sealed record EntropyResult(
    EntropyOptions Options,
    IReadOnlyList<string> Indicators,
    EntropyWeights Weights,
    IReadOnlyList<double[]> Normalised,
    double[] Score,
    IReadOnlyDictionary<string, double[]> SubIndices,
    IReadOnlyList<string> Warnings);

/// <summary>
/// The entropy-weight method (熵权法, docs/methods.md, "Composite indices and regional gaps"): range normalisation with directions,
/// p = z/Σz, e = −(1/ln n)Σ p ln p, d = 1 − e, w = d/Σd, score = Σ w z. A constant indicator carries
/// no information: weight 0 and a warning naming it. Computable as a map-reduce over regions:
/// <see cref="Ranges"/> → <see cref="RangeStatistics.Combine"/> → <see cref="Sums"/> →
/// <see cref="EntropySums.Combine"/> → <see cref="WeightsFrom"/> → <see cref="Score"/>; the
/// one-pass <see cref="Build"/> runs exactly these steps on a single slice.
/// </summary>
public static class EntropyIndex
{
    /// <summary>Builds the index over all rows.</summary>
    public static EntropyResult Build(IndexInput input, EntropyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new EntropyOptions();
        Validate(options);
        var ranges = Ranges(input, options);
        var sums = Sums(input, ranges, options);
        var weights = WeightsFrom(input.System, sums, ranges, options);
        return Score(input, ranges, weights, options);
    }

    /// <summary>Map step 1: the ranges of a slice.</summary>
    public static RangeStatistics Ranges(IndexInput slice, EntropyOptions options)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(options);
        int m = slice.Columns.Count;
        var min = new Dictionary<long, double[]>();
        var max = new Dictionary<long, double[]>();
        for (int i = 0; i < slice.RowCount; i++)
        {
            long key = options.Scope == NormalisationScope.Pooled ? RangeStatistics.PooledKey : slice.Periods[i];
            if (!min.TryGetValue(key, out var mn))
            {
                mn = new double[m]; Array.Fill(mn, double.PositiveInfinity); min[key] = mn;
                var mx0 = new double[m]; Array.Fill(mx0, double.NegativeInfinity); max[key] = mx0;
            }
            var mx = max[key];
            for (int j = 0; j < m; j++)
            {
                double v = slice.Columns[j][i];
                if (v < mn[j]) mn[j] = v;
                if (v > mx[j]) mx[j] = v;
            }
        }
        return new RangeStatistics(slice.RowCount, min, max);
    }

    /// <summary>The normalised (and shifted) values of indicator j over a slice's rows.</summary>
    private static double[] Normalise(IndexInput slice, RangeStatistics ranges, EntropyOptions o, int j, double[][]? rowMin, double[][]? rowMax)
    {
        var x = slice.Columns[j];
        var z = new double[x.Length];
        bool positive = slice.System.Indicators[j].Direction == Direction.Positive;
        if (rowMin is null)
        {
            double lo = ranges.Min[RangeStatistics.PooledKey][j], hi = ranges.Max[RangeStatistics.PooledKey][j];
            if (!(hi > lo)) { Array.Fill(z, o.Shift); return z; }
            // (x − lo)/(hi − lo) as a division, exactly as the formula, so scores do not depend on the code path.
            for (int i = 0; i < z.Length; i++) z[i] = (positive ? (x[i] - lo) / (hi - lo) : (hi - x[i]) / (hi - lo)) + o.Shift;
            return z;
        }
        for (int i = 0; i < z.Length; i++)
        {
            double lo = rowMin[i][j], hi = rowMax![i][j];
            z[i] = (hi > lo ? (positive ? (x[i] - lo) / (hi - lo) : (hi - x[i]) / (hi - lo)) : 0) + o.Shift;
        }
        return z;
    }

    private static (double[][]? Min, double[][]? Max) RowRanges(IndexInput slice, RangeStatistics ranges, EntropyOptions o)
    {
        if (o.Scope == NormalisationScope.Pooled) return (null, null);
        var min = new double[slice.RowCount][];
        var max = new double[slice.RowCount][];
        for (int i = 0; i < min.Length; i++) { min[i] = ranges.Min[slice.Periods[i]]; max[i] = ranges.Max[slice.Periods[i]]; }
        return (min, max);
    }

    /// <summary>Map step 2: S = Σz and T = Σ z ln z of a slice, given the merged ranges.</summary>
    public static EntropySums Sums(IndexInput slice, RangeStatistics ranges, EntropyOptions options)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(options);
        int m = slice.Columns.Count;
        var s = new double[m];
        var t = new double[m];
        var (rowMin, rowMax) = RowRanges(slice, ranges, options);
        for (int j = 0; j < m; j++)
        {
            var z = Normalise(slice, ranges, options, j, rowMin, rowMax);
            double sj = 0, tj = 0;
            foreach (double v in z)
            {
                sj += v;
                if (v > 0) tj += v * Math.Log(v);
            }
            s[j] = sj;
            t[j] = tj;
        }
        return new EntropySums(slice.RowCount, s, t);
    }

    /// <summary>Reduce: entropies, divergences and weights from the merged sums.</summary>
    public static EntropyWeights WeightsFrom(IndicatorSystem system, EntropySums total, RangeStatistics ranges, EntropyOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(ranges);
        int m = total.SumZ.Length;
        if (total.Count < 2) throw new InputException($"the entropy index needs at least two observations; got {total.Count}");
        double lnN = Math.Log(total.Count);
        var e = new double[m];
        var d = new double[m];
        var constant = new List<string>();
        for (int j = 0; j < m; j++)
        {
            bool isConstant = ranges.Max.All(p => p.Value[j] <= ranges.Min[p.Key][j]);
            double sj = total.SumZ[j];
            if (isConstant || sj <= 0)
            {
                constant.Add(system.Indicators[j].Code);
                e[j] = 1;
                d[j] = 0;
                continue;
            }
            e[j] = -(total.SumZLnZ[j] / sj - Math.Log(sj)) / lnN;
            d[j] = 1 - e[j];
        }
        double sd = d.Sum();
        if (sd <= 0) throw new InputException($"every indicator is constant ({string.Join(", ", constant)}); no index can be built");
        return new EntropyWeights(e, d, d.Select(x => x / sd).ToArray(), constant);
    }

    /// <summary>Scores of a slice (a region's rows) from the global ranges and weights.</summary>
    public static EntropyResult Score(IndexInput slice, RangeStatistics ranges, EntropyWeights weights, EntropyOptions options)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        int m = slice.Columns.Count, n = slice.RowCount;
        var z = new double[m][];
        var score = new double[n];
        var dims = slice.System.Dimensions;
        var sub = dims.ToDictionary(k => k, _ => new double[n], StringComparer.Ordinal);
        var (rowMin, rowMax) = RowRanges(slice, ranges, options);
        for (int j = 0; j < m; j++)
        {
            z[j] = Normalise(slice, ranges, options, j, rowMin, rowMax);
            double w = weights.Weight[j] * options.Scale;
            var dim = slice.System.Indicators[j].Dimension;
            var target = dim is null ? null : sub[dim];
            for (int i = 0; i < n; i++)
            {
                score[i] += w * z[j][i];
                if (target is not null) target[i] += w * z[j][i];
            }
        }
        var warnings = weights.Constant.Select(c => $"indicator '{c}' is constant (max = min): it carries no information and gets weight 0").ToList();
        return new EntropyResult(options, slice.System.Indicators.Select(i => i.Code).ToList(), weights, z, score, sub, warnings);
    }

    private static void Validate(EntropyOptions o)
    {
        if (!(o.Shift >= 0 && o.Shift < 1)) throw new InputException($"--shift {o.Shift}: expected 0 (none) or a small positive constant such as 0.0001");
        if (!(o.Scale > 0)) throw new InputException($"score scale {o.Scale}: expected 1 or 100");
    }
}
