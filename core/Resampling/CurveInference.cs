using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using MathNet.Numerics.Distributions;

namespace DigitalEconomy.Core.Resampling;

/// <summary>A specification of a curve as the null draws refit it: its model as fitted (winsorised panel already applied by the caller) and its observed estimate.</summary>
/// <param name="Model">The model; <see cref="BatchModel.Term"/> names the treatment term as it enters (e.g. <c>lag(x)</c>).</param>
/// <param name="Estimate">The observed estimate b̂ of that term.</param>
public sealed record CurveSpecification(BatchModel Model, double Estimate);

/// <summary>The three statistics of a specification curve (Simonsohn, Simmons &amp; Nelson 2020) over the specifications with a finite estimate and p-value.</summary>
/// <param name="Median">Median estimate (mean of the two middle values for an even count); NaN when no specification counts.</param>
/// <param name="ShareSignificant">Share of specifications with p &lt; 0.05 whose estimate has the dominant sign.</param>
/// <param name="AggregateZ">Stouffer's Z = Σ z_s / √S, z_s the normal quantile of the one-sided p in the dominant direction (see <see cref="CurveInference.OneSidedZ"/>).</param>
/// <param name="Specifications">S, the specifications that count.</param>
public sealed record CurveStatistics(double Median, double ShareSignificant, double AggregateZ, int Specifications);

/// <summary>The p-values of the observed curve statistics from the null draws.</summary>
/// <param name="Median">Share of draws whose median is at least as large in the dominant direction: sign·median* ≥ sign·median.</param>
/// <param name="ShareSignificant">Share of draws with share* ≥ share.</param>
/// <param name="AggregateZ">Share of draws with Z* ≥ Z (Z is already oriented in the dominant direction).</param>
/// <param name="Draws">Draws used (draws where no specification could be refitted are left out).</param>
public sealed record CurvePValues(double Median, double ShareSignificant, double AggregateZ, int Draws);

/// <summary>
/// Specification-curve inference under the null (docs/methods.md, "Specification grids"; Simonsohn, Simmons &amp; Nelson 2020).
/// <para>Null data: for each specification s with observed estimate b̂_s, the outcome is replaced by
/// y0_s = y − b̂_s·T_s, where y and T_s are evaluated on the panel the specification is fitted on (winsorised
/// when it winsorises, on the full data) and T_s is its treatment term as it enters (lagged within unit when
/// lagged). The recipe is built once on the full data; draws then only resample.</para>
/// <para>Draw d resamples G units with replacement from the counter stream
/// <c>CounterRng.InFamily(CounterRng.Family(seed, "curve-null"), d)</c>, each copy a unit of its own with its
/// whole series (as <see cref="ClusterBootstrap.Resample(Data.Panel, long, string, long)"/>): the same resample for every specification of draw
/// d, wherever and in whichever block it is computed. Every specification is refitted on its own y0 column of
/// the resampled panel, with <see cref="BatchEstimation"/> so that models sharing rows and fixed effects share
/// one projection of their regressors.</para>
/// <para>Statistics (per draw, and observed): over the specifications with finite estimate and p, with the
/// dominant sign d = sign of the observed median (+1 when it is 0) fixed for the draws: the median estimate;
/// the share with p &lt; 0.05 and sign(estimate) = d; Stouffer's Z = Σ z_s / √S (= mean z_s · √S) with
/// z_s = −Φ⁻¹(p_s/2) when sign(estimate_s) = d and Φ⁻¹(p_s/2) otherwise (the normal quantile of the
/// one-sided p in the direction d from the two-sided p_s). p-value of a statistic = share of draws at least as
/// extreme as observed in the dominant direction (no +1 correction), as Simonsohn et al.</para>
/// </summary>
public static class CurveInference
{
    /// <summary>The stream family key of the null draws.</summary>
    public const string StreamKey = "curve-null";

    /// <summary>Significance level of the share statistic.</summary>
    public const double Alpha = 0.05;

    /// <summary>The dominant sign: the sign of the median of the finite estimates (+1 when it is 0 or there is none).</summary>
    public static int DominantSign(IEnumerable<double> estimates)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        double m = Median([.. estimates.Where(double.IsFinite)]);
        return m < 0 ? -1 : 1;
    }

    /// <summary>z of the one-sided p-value in direction <paramref name="sign"/> from an estimate and its two-sided p-value (p/2 floored at 1e-300).</summary>
    public static double OneSidedZ(double estimate, double pValue, int sign)
    {
        double half = Math.Max(pValue / 2, 1e-300);
        double q = Normal.InvCDF(0, 1, half);
        bool dominant = sign > 0 ? estimate > 0 : estimate < 0;
        return dominant ? -q : q;
    }

    /// <summary>The statistics of one curve; pairs with a non-finite estimate or p-value are left out.</summary>
    public static CurveStatistics Statistics(IReadOnlyList<double> estimates, IReadOnlyList<double> pValues, int sign)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(pValues);
        if (estimates.Count != pValues.Count) throw new ArgumentException("one p-value per estimate", nameof(pValues));
        var est = new List<double>(estimates.Count);
        int significant = 0;
        double sumZ = 0;
        for (int i = 0; i < estimates.Count; i++)
        {
            double e = estimates[i], p = pValues[i];
            if (!double.IsFinite(e) || !double.IsFinite(p)) continue;
            est.Add(e);
            if (p < Alpha && (sign > 0 ? e > 0 : e < 0)) significant++;
            sumZ += OneSidedZ(e, p, sign);
        }
        int s = est.Count;
        if (s == 0) return new CurveStatistics(double.NaN, double.NaN, double.NaN, 0);
        return new CurveStatistics(Median([.. est]), significant / (double)s, sumZ / Math.Sqrt(s), s);
    }

    /// <summary>The p-values of the observed statistics given the null draws' statistics (draws with no specification are left out).</summary>
    public static CurvePValues PValues(CurveStatistics observed, int sign, IEnumerable<CurveStatistics> draws)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(draws);
        int n = 0, median = 0, share = 0, z = 0;
        foreach (var d in draws)
        {
            if (d.Specifications == 0) continue;
            n++;
            if (sign * d.Median >= sign * observed.Median) median++;
            if (d.ShareSignificant >= observed.ShareSignificant) share++;
            if (d.AggregateZ >= observed.AggregateZ) z++;
        }
        return n == 0 ? new CurvePValues(double.NaN, double.NaN, double.NaN, 0) : new CurvePValues(median / (double)n, share / (double)n, z / (double)n, n);
    }

    /// <summary>
    /// The null data of specifications fitted on <paramref name="panel"/>: the panel reduced to the columns the
    /// models read, and each model with y0_s = y − b̂_s·T_s as its response, a typed vector over the rows of that panel
    /// (<see cref="VectorExpr"/>; <see cref="Draws"/> carries it through each resample). A specification whose y or T cannot
    /// be evaluated keeps its model (its refits then fail alike).
    /// </summary>
    public static (Panel Panel, IReadOnlyList<BatchModel> Models) NullData(Panel panel, IReadOnlyList<CurveSpecification> specs)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(specs);
        var needed = new HashSet<string>(StringComparer.Ordinal) { panel.UnitColumn, panel.TimeColumn };
        foreach (var s in specs)
        {
            needed.UnionWith(s.Model.Formula.Columns);
            foreach (var f in s.Model.Options.Filters) needed.UnionWith(f.Columns);
            needed.UnionWith(s.Model.Options.Vcov.ClusterColumns);
        }
        var columns = panel.Frame.Columns.Where(c => needed.Contains(c.Name)).ToList();
        var models = new BatchModel[specs.Count];
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            var f = s.Model.Formula;
            var term = f.Regressors.FirstOrDefault(e => e.Text == s.Model.Term);
            double[] y, t;
            try
            {
                y = f.Response.Evaluate(panel);
                t = term?.Evaluate(panel) ?? throw new InputException($"'{s.Model.Term}' is not a regressor of {f.Source}");
            }
            catch (InputException)
            {
                models[i] = s.Model;
                continue;
            }
            var y0 = new double[y.Length];
            for (int r = 0; r < y0.Length; r++) y0[r] = y[r] - s.Estimate * t[r];
            models[i] = s.Model with { Model = s.Model.Model with { Formula = f with { Response = new VectorExpr(f.Response.Text + " (null)", y0) } } };
        }
        // The panel is sorted by unit and time already, so Panel.Create keeps its row order: y0 stays aligned.
        var frame = new DataFrame(columns, panel.Frame.Source);
        return (Panel.Create(frame, panel.UnitColumn, panel.TimeColumn), models);
    }

    /// <summary>The stream family of the null draws of a run seed.</summary>
    public static ulong Family(long seed) => CounterRng.Family(seed, StreamKey);

    /// <summary>The panel of draw <paramref name="draw"/>: G units drawn with replacement from stream InFamily(family, draw), copies relabelled b1..bG.</summary>
    public static Panel Resample(Panel panel, ulong family, long draw)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return ClusterBootstrap.Resample(panel, CounterRng.InFamily(family, draw));
    }

    /// <summary>
    /// Refits every null model on draws [firstDraw, firstDraw + count): result[d][s] = (estimate, two-sided p) of
    /// model s in draw firstDraw + d, NaN when the refit fails. Draws run in parallel; each value depends only on
    /// (panel, model, seed, draw).
    /// </summary>
    public static (double Estimate, double PValue)[][] Draws(Panel nullPanel, IReadOnlyList<BatchModel> nullModels, long seed, long firstDraw, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nullPanel);
        ArgumentNullException.ThrowIfNull(nullModels);
        ulong family = Family(seed);
        var result = new (double, double)[count][];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, d =>
        {
            var sample = ClusterBootstrap.Resample(nullPanel, CounterRng.InFamily(family, firstDraw + d), out var rows);
            var fits = BatchEstimation.Fit(sample, [.. nullModels.Select(m => Resampled(m, rows))], cancellationToken);
            var row = new (double, double)[fits.Count];
            for (int s = 0; s < row.Length; s++)
                row[s] = fits[s].Coefficient is { } c && fits[s].Error is null ? (c.Estimate, c.PValue) : (double.NaN, double.NaN);
            result[d] = row;
        });
        return result;
    }

    /// <summary>A null model on a resampled panel: its vector response (y0) taken at the resample's source rows.</summary>
    private static BatchModel Resampled(BatchModel m, int[] rows)
    {
        if (m.Formula.Response is not VectorExpr v) return m;
        var a = GC.AllocateUninitializedArray<double>(rows.Length); // written whole below
        for (int i = 0; i < a.Length; i++) a[i] = v.Values[rows[i]];
        return m with { Model = m.Model with { Formula = m.Formula with { Response = v with { Values = a } } } };
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        int h = values.Length / 2;
        return values.Length % 2 == 1 ? values[h] : (values[h - 1] + values[h]) / 2;
    }
}
