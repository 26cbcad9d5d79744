using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Indices;

/// <summary>The gaps of one period: the observations used, their mean, CV, sd of logs, Theil T and Dagum Gini decompositions.</summary>
public sealed record GapPeriod(long Period, int N, double Mean, double Cv, double SdLog, TheilResult Theil, DagumResult Dagum);

/// <summary>A group's (optionally weighted) mean of a variable in one period.</summary>
public sealed record GroupMean(long Period, string Group, int N, double Mean);

/// <summary>A group's mean coupling C, development T and coordination D in one period (means over its observations), with the grade of the mean D.</summary>
public sealed record GroupCoupling(long Period, string Group, int N, double Coupling, double Development, double Coordination, string Grade, string GradeZh);

/// <summary>
/// The per-period slices of a panel that the regional-gap analyses of a study take (docs/methods.md, "Composite indices and regional gaps"):
/// each period's observations with every needed value present, handed to <see cref="Disparity"/>.
/// Groups are ordered by ordinal string comparison; rows with a missing group or value are left out.
/// </summary>
public static class RegionalGaps
{
    /// <summary>Per period (with two or more observations): CV, sd of ln y, Theil T (weighted when <paramref name="weight"/> is given) and Dagum Gini by <paramref name="group"/>.</summary>
    public static IReadOnlyList<GapPeriod> Disparities(Panel panel, string value, string group, string? weight = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var y = panel.Frame.Numeric(value);
        var w = weight is null ? null : panel.Frame.Numeric(weight);
        var g = panel.Frame[group];
        var list = new List<GapPeriod>();
        foreach (var (t, idx) in Slices(panel, i => double.IsFinite(y[i]) && g.TextAt(i) is not null && (w is null || double.IsFinite(w[i]))))
        {
            if (idx.Length < 2) continue;
            var yt = idx.Select(i => y[i]).ToArray();
            var gt = idx.Select(i => g.TextAt(i)!).ToArray();
            var wt = w is null ? null : idx.Select(i => w[i]).ToArray();
            var theil = Disparity.Theil(yt, gt, wt, [.. idx.Select(panel.Describe)]);
            var logs = yt.Select(x => Math.Log(x)).ToArray();
            double ml = logs.Average();
            list.Add(new GapPeriod(t, idx.Length, yt.Average(), Disparity.CoefficientOfVariation(yt), Math.Sqrt(logs.Sum(l => (l - ml) * (l - ml)) / logs.Length), theil, Disparity.Dagum(yt, gt)));
        }
        return list;
    }

    /// <summary>Per period and group (then, when <paramref name="allLabel"/> is given, the whole period under that name): the mean of <paramref name="value"/>, weighted Σwy/Σw when <paramref name="weight"/> is given.</summary>
    public static IReadOnlyList<GroupMean> Means(Panel panel, string value, string group, string? weight = null, string? allLabel = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var y = panel.Frame.Numeric(value);
        var w = weight is null ? null : panel.Frame.Numeric(weight);
        var g = panel.Frame[group];
        var list = new List<GroupMean>();
        foreach (var (t, idx) in Slices(panel, i => double.IsFinite(y[i]) && g.TextAt(i) is not null && (w is null || double.IsFinite(w[i]))))
        {
            GroupMean Mean(string name, int[] rows) =>
                new(t, name, rows.Length, w is null ? rows.Average(i => y[i]) : rows.Sum(i => w[i] * y[i]) / rows.Sum(i => w[i]));
            foreach (var grp in idx.GroupBy(i => g.TextAt(i)!).OrderBy(x => x.Key, StringComparer.Ordinal)) list.Add(Mean(grp.Key, [.. grp]));
            if (allLabel is not null && idx.Length > 0) list.Add(Mean(allLabel, idx));
        }
        return list;
    }

    /// <summary>
    /// Per period and group (and the whole period as group <paramref name="allLabel"/>): the means of C, T and D of
    /// <see cref="Disparity.Coupling"/> over the observations, each computed from the subsystem columns; the grade is that of the mean D.
    /// </summary>
    public static IReadOnlyList<GroupCoupling> Coupling(Panel panel, IReadOnlyList<string> subsystems, string group, IReadOnlyList<double>? alpha = null, string allLabel = "All")
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(subsystems);
        var u = subsystems.Select(panel.Frame.Numeric).ToArray();
        var g = panel.Frame[group];
        var list = new List<GroupCoupling>();
        foreach (var (t, idx) in Slices(panel, i => g.TextAt(i) is not null && u.All(c => double.IsFinite(c[i]))))
        {
            var fits = new Dictionary<int, CouplingResult>();
            foreach (int i in idx)
            {
                try { fits[i] = Disparity.Coupling([.. u.Select(c => c[i])], alpha); }
                catch (InputException e) { throw new InputException($"{panel.Describe(i)}: {e.Message}"); }
            }
            GroupCoupling Mean(string name, int[] rows)
            {
                double d = rows.Average(i => fits[i].Coordination);
                var (en, zh) = Disparity.Grade(d);
                return new GroupCoupling(t, name, rows.Length, rows.Average(i => fits[i].Coupling), rows.Average(i => fits[i].Development), d, en, zh);
            }
            foreach (var grp in idx.GroupBy(i => g.TextAt(i)!).OrderBy(x => x.Key, StringComparer.Ordinal)) list.Add(Mean(grp.Key, [.. grp]));
            if (idx.Length > 0) list.Add(Mean(allLabel, idx));
        }
        return list;
    }

    private static IEnumerable<(long Period, int[] Rows)> Slices(Panel panel, Func<int, bool> keep)
    {
        foreach (var t in panel.Periods)
            yield return (t, [.. Enumerable.Range(0, panel.RowCount).Where(i => panel.Time[i] == t && keep(i))]);
    }
}
