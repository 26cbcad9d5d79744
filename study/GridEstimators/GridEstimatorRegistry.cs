using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Study.GridEstimators;

/// <summary>The non-linear grid estimators, found by their <c>grid.estimators</c> words (docs/architecture.md: one class, one line here).</summary>
public static class GridEstimatorRegistry
{
    /// <summary>Every family; a new one is one line here.</summary>
    public static IReadOnlyList<IGridEstimator> All { get; } =
    [
        new GmmGridEstimator(),
        new DidGridEstimator(),
        new SpatialGridEstimator(),
    ];

    private static readonly Dictionary<string, IGridEstimator> ByWord = All.SelectMany(f => f.Words.Select(w => (w, f))).ToDictionary(p => p.w, p => p.f, StringComparer.Ordinal);

    /// <summary>Every word, in registry order.</summary>
    public static IReadOnlyList<string> Words { get; } = [.. All.SelectMany(f => f.Words)];

    /// <summary>The family of a word, or null for the linear family's words (and unknown ones).</summary>
    public static IGridEstimator? Find(string? word) => word is not null && ByWord.TryGetValue(word, out var f) ? f : null;

    /// <summary>The family of a node.</summary>
    public static IGridEstimator Of(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Node is { } n ? Find(n.Estimator) ?? throw new InputException($"grid estimator '{n.Estimator}' is not known to this version") : throw new ArgumentException("a linear specification", nameof(s));
    }

    /// <summary>Fits a node: the family's fit, with an input or estimation failure as a result carrying its one-line reason.</summary>
    public static SpecificationResult Fit(Panel panel, Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        try { return Of(s).Fit(panel, s); }
        catch (Exception e) when (e is InputException or EstimationException) { return Failed(s.Id, e.Message); }
    }

    /// <summary>Whether a grid lists a non-linear estimator.</summary>
    public static bool HasNodes(GridSpec grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return !grid.Estimators.IsDefaultOrEmpty && grid.Estimators.Any(e => Find(e) is not null);
    }

    /// <summary>The rows of <paramref name="panel"/> a node's sample filters keep (all rows without filters), or null for all; refuses a sample that keeps none, in one line.</summary>
    public static List<int>? SampleRows(Panel panel, Specification s)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(s);
        if (s.Model.Filters.IsDefaultOrEmpty) return null;
        var pass = new int[panel.RowCount];
        foreach (var f in s.Model.Filters) foreach (int r in f.Apply(panel.Frame)) pass[r]++;
        var rows = Enumerable.Range(0, panel.RowCount).Where(r => pass[r] == s.Model.Filters.Length).ToList();
        return rows.Count == 0 ? throw new InputException($"sample '{s.Sample}' keeps no row") : rows;
    }

    /// <summary>A result that records why the node could not be fitted (one line).</summary>
    public static SpecificationResult Failed(string specId, string reason) =>
        new(specId, null, null, null, null, null, null, null, null, null, Echo.OneLine(reason));

    /// <summary>A number, or null when it is not finite.</summary>
    public static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>
    /// The result of an estimate with a normal-theory standard error: z = b/se, two-sided normal p, b ± z₀.₉₇₅·se
    /// (every non-linear family here reports asymptotic normal inference).
    /// </summary>
    public static SpecificationResult Normal(string specId, double estimate, double se, long n)
    {
        double z = estimate / se, q = 1.959963984540054;
        return new(specId, Finite(estimate), Finite(se), Finite(z), Finite(Core.Numerics.Distributions.NormalTwoSided(z)),
            Finite(estimate - q * se), Finite(estimate + q * se), n, null, null, null);
    }

    /// <summary>Whether the choices sit at the baseline of the dimensions a family does not vary along (fixed effects, variance, lag as asked) and are unweighted.</summary>
    public static bool AtBaseline(GridSpec grid, Specification choices, string? weights, bool fixedEffects = true, bool vcov = true, bool lag = true)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(choices);
        return weights is null
            && (!fixedEffects || choices.FixedEffects.SequenceEqual(grid.FixedEffects[0]))
            && (!vcov || choices.Vcov == grid.Vcov[0])
            && (!lag || choices.Lag == grid.Lag[0]);
    }
}
