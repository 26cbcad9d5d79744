using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Core.Regression;

/// <summary>The coefficient of a term in one group, from the fully interacted model.</summary>
/// <param name="Term">The term as written in the formula.</param>
/// <param name="Group">The group label.</param>
/// <param name="Coefficient">Its row of the interacted model (named <c>term:[column=label]</c>), with its SE, test and interval.</param>
public sealed record GroupCoefficient(string Term, string Group, Coefficient Coefficient);

/// <summary>The difference of a term's coefficient between two groups: b_First − b_Second.</summary>
/// <param name="Term">The term.</param>
/// <param name="First">The group whose coefficient is taken first (earlier in the group order).</param>
/// <param name="Second">The group subtracted.</param>
/// <param name="Difference">b_First − b_Second.</param>
/// <param name="StdError">sqrt(V_ff + V_ss − 2 V_fs) under the interacted model's variance.</param>
/// <param name="Statistic">Difference / StdError.</param>
/// <param name="PValue">Two-sided, from t(df_tests) (the normal for z tests); equals the p of the one-restriction Wald F.</param>
public sealed record GroupContrast(string Term, string First, string Second, double Difference, double StdError, double Statistic, double PValue);

/// <summary>The Wald test that one term's coefficient is equal in every group (G − 1 restrictions).</summary>
/// <param name="Term">The term.</param>
/// <param name="Test">F(G − 1, df_tests) (χ² for z tests).</param>
public sealed record GroupEqualityTest(string Term, TestResult Test);

/// <summary>
/// The Chow-type test in the fully interacted model: see <see cref="GroupDifference.Chow"/>.
/// </summary>
/// <param name="GroupColumn">The column defining the groups.</param>
/// <param name="Groups">Group labels in order (numeric columns by value, text columns ordinally).</param>
/// <param name="UnitsPerGroup">Units with at least one row in each group (after the filters), in the order of <paramref name="Groups"/>.</param>
/// <param name="Terms">The terms tested.</param>
/// <param name="Coefficients">Each tested term in each group (term-major).</param>
/// <param name="Differences">Every pair of groups for every tested term (term-major, pairs (i, j) with i &lt; j).</param>
/// <param name="TermTests">Per term: equality across all groups.</param>
/// <param name="JointTest">All tested terms equal across groups at once: q = terms × (G − 1) restrictions.</param>
/// <param name="Interacted">The fit of the fully interacted model.</param>
public sealed record GroupChowResult(
    string GroupColumn,
    IReadOnlyList<string> Groups,
    IReadOnlyList<int> UnitsPerGroup,
    IReadOnlyList<string> Terms,
    IReadOnlyList<GroupCoefficient> Coefficients,
    IReadOnlyList<GroupContrast> Differences,
    IReadOnlyList<GroupEqualityTest> TermTests,
    TestResult JointTest,
    RegressionResult Interacted);

/// <summary>The statistic of the permutation test.</summary>
public enum PermutationStatistic
{
    /// <summary>Two groups: d = b_first − b_second (groups in their order).</summary>
    Difference,
    /// <summary>More than two groups: the range max_g b_g − min_g b_g.</summary>
    Range,
}

/// <summary>Options of the permutation test, with documented defaults.</summary>
public sealed record PermutationOptions
{
    /// <summary>Number of permutations B. The default value is 1000.</summary>
    public int Permutations { get; init; } = GroupDifference.DefaultPermutations;

    /// <summary>Seed of the counter-based streams. The default value is 20261122.</summary>
    public long Seed { get; init; } = 20261122;

    /// <summary>Key of the stream family (seed, key); permutation r draws from stream r of it. The default value is <c>groupdiff</c>.</summary>
    public string Key { get; init; } = "groupdiff";
}

/// <summary>The observed statistic of each tested term (the unpermuted labels).</summary>
/// <param name="Statistic">Difference (two groups) or range.</param>
/// <param name="Groups">Group labels in order.</param>
/// <param name="UnitsPerGroup">Units of each group in the estimation sample (kept by every permutation).</param>
/// <param name="Terms">The terms.</param>
/// <param name="Values">The statistic per term.</param>
/// <param name="GroupEstimates">Per term, the coefficient of each group (separate fits with group-specific fixed effects).</param>
public sealed record PermutationObservation(
    PermutationStatistic Statistic,
    IReadOnlyList<string> Groups,
    IReadOnlyList<int> UnitsPerGroup,
    IReadOnlyList<string> Terms,
    IReadOnlyList<double> Values,
    IReadOnlyList<IReadOnlyList<double>> GroupEstimates);

/// <summary>
/// The statistics of permutations First .. First + Count − 1, per term; NaN where a permuted fit failed
/// or omitted the term. Blocks of one test merge in any order (<see cref="GroupDifference.Combine"/>).
/// </summary>
/// <param name="First">Index of the first permutation.</param>
/// <param name="Statistic">Difference or range.</param>
/// <param name="Terms">The terms.</param>
/// <param name="Draws">Draws[t][i] is the statistic of term t under permutation First + i.</param>
public sealed record PermutationBlock(int First, PermutationStatistic Statistic, IReadOnlyList<string> Terms, IReadOnlyList<IReadOnlyList<double>> Draws)
{
    /// <summary>Number of permutations in the block.</summary>
    public int Count => Draws.Count == 0 ? 0 : Draws[0].Count;
}

/// <summary>
/// The permutation test of one term. With d the observed statistic, d* the permuted ones and B the
/// usable permutations: <see cref="PValue"/> = (1 + #{|d*| ≥ |d|}) / (1 + B) (for the range, whose
/// values are ≥ 0, this is (1 + #{S* ≥ S}) / (1 + B)); <see cref="PValueUpper"/> = (1 + #{d* ≥ d}) / (1 + B),
/// the one-sided test of b_first &gt; b_second; <see cref="ShareUpper"/> = #{d* ≥ d} / B, the empirical
/// share as Stata's <c>bdiff</c> prints it.
/// </summary>
/// <param name="Term">The term.</param>
/// <param name="Statistic">Difference or range.</param>
/// <param name="Observed">d (or the range) on the real labels.</param>
/// <param name="Permutations">Usable permutations B (requested minus failed).</param>
/// <param name="Failed">Permutations whose fit failed or omitted the term (excluded).</param>
/// <param name="AtLeast">#{|d*| ≥ |d|} (range: #{S* ≥ S}).</param>
/// <param name="AtLeastUpper">#{d* ≥ d}.</param>
/// <param name="PValue">Two-sided (range: upper) p-value, see the type.</param>
/// <param name="PValueUpper">One-sided p-value, see the type.</param>
/// <param name="ShareUpper">bdiff's empirical p, see the type.</param>
public sealed record PermutationTest(
    string Term,
    PermutationStatistic Statistic,
    double Observed,
    int Permutations,
    int Failed,
    int AtLeast,
    int AtLeastUpper,
    double PValue,
    double PValueUpper,
    double ShareUpper);

/// <summary>
/// Tests of coefficient differences between groups (docs/methods.md, "Group-difference tests"): the Chow-type Wald test in the
/// fully interacted model, and the Fisher permutation test that moves group labels across whole units.
/// </summary>
public static class GroupDifference
{
    /// <summary>
    /// The distinct values of a group column as the tests label groups (numbers in round-trip form, text
    /// as written), in the tests' order (numbers ascending, text ordinal); missing values are left out.
    /// </summary>
    public static IReadOnlyList<string> GroupValues(DataFrame frame, string column)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var col = frame[column];
        return col.Values is { } v
            ? [.. v.Where(x => !double.IsNaN(x)).Distinct().Order().Select(x => x.ToString("R", CultureInfo.InvariantCulture))]
            : [.. col.Texts!.Where(x => x is not null).Select(x => x!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The fewest units a group may have.</summary>
    public const int MinUnitsPerGroup = 2;

    /// <summary>The default number of permutations.</summary>
    public const int DefaultPermutations = 1000;

    /// <summary>
    /// The Chow-type test in the fully interacted model. Every regressor x is replaced by x·1[g] for each
    /// group g (no pooled slope), every fixed-effect factor f by f^group (a unit effect is unchanged when
    /// groups are unions of units; a year effect becomes year×group), and a pooled OLS model gets an
    /// intercept for each group (the intercept plus G − 1 group dummies). The model is fitted by
    /// <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/> with <paramref name="options"/>, so
    /// the variance estimator, small-sample convention, degrees of freedom and filters are those of any
    /// fit; the coefficient of x in group g is that of x·1[g] (equal to a separate fit on group g). The
    /// tests are <see cref="Estimation.Wald"/> on contrasts b_x,1 − b_x,g = 0 (g = 2..G): per term
    /// (G − 1 restrictions) and jointly for all tested terms. Rows whose group is missing are dropped.
    /// </summary>
    /// <param name="panel">The data.</param>
    /// <param name="formula">An OLS or within formula (no IV part).</param>
    /// <param name="groupColumn">The column defining the groups (text or numeric).</param>
    /// <param name="terms">The regressors whose equality is tested; null for every regressor.</param>
    /// <param name="options">Estimation options. The default is iid errors.</param>
    /// <exception cref="InputException">Missing group column, fewer than two groups, a group with fewer than
    /// <see cref="MinUnitsPerGroup"/> units, a term not in the model, an IV or random-effects model.</exception>
    /// <exception cref="EstimationException">A tested term omitted in some group, or the fit fails.</exception>
    public static GroupChowResult Chow(Panel panel, Formula formula, string groupColumn, IReadOnlyList<string>? terms = null, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(groupColumn);
        options ??= new EstimationOptions();
        var tested = CheckModel(formula, terms, options, groupColumn);
        var layout = GroupLayout.Read(panel, groupColumn, options.Filters);
        var interacted = Interact(formula, groupColumn, layout.Labels);
        var fit = Estimation.Fit(panel, interacted, options);
        int g = layout.Labels.Length;
        var index = new int[tested.Count, g];
        var coefs = new List<GroupCoefficient>();
        for (int t = 0; t < tested.Count; t++)
            for (int h = 0; h < g; h++)
            {
                string name = GroupSliceExpr.Name(tested[t], groupColumn, layout.Labels[h]);
                int i = IndexOf(fit, name);
                if (i < 0)
                    throw new EstimationException($"'{tested[t]}' in group '{layout.Labels[h]}' of '{groupColumn}' was omitted from the interacted model (constant in the group, collinear, or absorbed by the group's fixed effects); its difference cannot be tested");
                index[t, h] = i;
                coefs.Add(new GroupCoefficient(tested[t], layout.Labels[h], fit.Coefficients[i]));
            }
        bool z = double.IsPositiveInfinity(fit.DfTests);
        var diffs = new List<GroupContrast>();
        for (int t = 0; t < tested.Count; t++)
            for (int a = 0; a < g; a++)
                for (int b = a + 1; b < g; b++)
                {
                    int i = index[t, a], j = index[t, b];
                    double d = fit.Coefficients[i].Estimate - fit.Coefficients[j].Estimate;
                    double se = Math.Sqrt(fit.Covariance[i][i] + fit.Covariance[j][j] - 2 * fit.Covariance[i][j]);
                    double stat = d / se;
                    double p = z ? Numerics.Distributions.NormalTwoSided(stat) : Numerics.Distributions.StudentTTwoSided(stat, fit.DfTests);
                    diffs.Add(new GroupContrast(tested[t], layout.Labels[a], layout.Labels[b], d, se, stat, p));
                }
        int k = fit.Coefficients.Count;
        double[,] Contrasts(IEnumerable<int> termIdx)
        {
            var list = termIdx.ToList();
            var r = new double[list.Count * (g - 1), k];
            int row = 0;
            foreach (int t in list)
                for (int h = 1; h < g; h++, row++) { r[row, index[t, 0]] = 1; r[row, index[t, h]] = -1; }
            return r;
        }
        var termTests = tested.Select((term, t) => new GroupEqualityTest(term, Estimation.Wald(fit, Contrasts([t])))).ToList();
        var joint = Estimation.Wald(fit, Contrasts(Enumerable.Range(0, tested.Count)));
        return new GroupChowResult(groupColumn, layout.Labels, layout.UnitsPerGroup, tested, coefs, diffs, termTests, joint, fit);
    }

    /// <summary>
    /// The fully interacted formula of <see cref="Chow"/>: regressors x·1[g] named <c>x:[column=label]</c>,
    /// group intercepts <c>[column=label]</c> for g = 2..G when the model has no fixed effects, and every
    /// fixed effect interacted with the group column.
    /// </summary>
    public static Formula Interact(Formula formula, string groupColumn, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(groupColumn);
        ArgumentNullException.ThrowIfNull(groups);
        var regs = new List<Expr>();
        if (formula.FixedEffects.Count == 0)
            for (int h = 1; h < groups.Count; h++) regs.Add(new GroupSliceExpr(null, groupColumn, groups[h]));
        foreach (var x in formula.Regressors)
            foreach (var label in groups) regs.Add(new GroupSliceExpr(x, groupColumn, label));
        var fes = formula.FixedEffects
            .Select(fe => fe.Columns.Contains(groupColumn, StringComparer.Ordinal) ? fe : new FixedEffect([.. fe.Columns, groupColumn]))
            .ToList();
        var f = new Formula("", formula.Response, regs, fes, [], []);
        return f with { Source = f.ToString() };
    }

    // ---------------------------------------------------------------- permutation test

    /// <summary>
    /// The observed statistic of the permutation test: the model is fitted separately on the rows of each
    /// group (its fixed effects, less the group column, are then group-specific, so each b_g equals the
    /// fully interacted model's), and the statistic is d = b_first − b_second for two groups or the range
    /// max − min for more. See <see cref="Draws"/> for the permutations.
    /// </summary>
    /// <exception cref="InputException">As <see cref="Chow"/>, and a group column that varies within a unit.</exception>
    /// <exception cref="EstimationException">A group's fit fails or omits a tested term.</exception>
    public static PermutationObservation Observe(Panel panel, Formula formula, string groupColumn, IReadOnlyList<string> terms, EstimationOptions? options = null)
    {
        var design = PermutationDesign.Build(panel, formula, groupColumn, terms, options ?? new EstimationOptions());
        var est = design.Estimates(design.UnitGroup, out string? error);
        if (error is not null) throw new EstimationException($"permutation test on the observed groups: {error}");
        var values = design.Statistics(est);
        return new PermutationObservation(design.Kind, design.Labels, design.UnitsPerGroup, design.Terms, values,
            Enumerable.Range(0, design.Terms.Count).Select(t => (IReadOnlyList<double>)Enumerable.Range(0, design.Labels.Length).Select(h => est[t, h]).ToArray()).ToList());
    }

    /// <summary>
    /// Permutations <paramref name="first"/> .. first + count − 1 of the Fisher permutation test. The
    /// units of the estimation sample, in panel order, carry their group labels; permutation r shuffles
    /// that label vector (Fisher–Yates from the last position down: j = NextInt(i + 1), swap i and j) with
    /// stream r of the family <see cref="CounterRng.Family"/>(seed, key) (<see cref="CounterRng.InFamily"/>),
    /// so every unit keeps its whole series, every group keeps its number of units, and a permutation's
    /// statistic depends only on (seed, key, r): blocks computed anywhere merge to the same result.
    /// The model is refitted on each permuted group (coefficients only); a fit that fails or omits the
    /// term gives NaN, excluded by <see cref="Combine"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative first or count.</exception>
    public static PermutationBlock Draws(Panel panel, Formula formula, string groupColumn, IReadOnlyList<string> terms, EstimationOptions? options,
        long seed, string key, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var design = PermutationDesign.Build(panel, formula, groupColumn, terms, options ?? new EstimationOptions());
        ulong family = CounterRng.Family(seed, key);
        var draws = new double[design.Terms.Count][];
        for (int t = 0; t < draws.Length; t++) draws[t] = new double[count];
        Parallel.For(0, count, i =>
        {
            var labels = Shuffle(design.UnitGroup, CounterRng.InFamily(family, first + (long)i));
            var est = design.Estimates(labels, out _);
            var s = design.Statistics(est);
            for (int t = 0; t < s.Length; t++) draws[t][i] = s[t];
        });
        return new PermutationBlock(first, design.Kind, design.Terms, draws);
    }

    /// <summary>The label shuffle of <see cref="Draws"/>: Fisher–Yates from the last position down, j = NextInt(i + 1).</summary>
    public static int[] Shuffle(IReadOnlyList<int> labels, CounterRng rng)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rng);
        var a = labels.ToArray();
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
        return a;
    }

    /// <summary>
    /// Merges blocks into the test of each term (p-value conventions on <see cref="PermutationTest"/>).
    /// The blocks may come in any order but must cover permutations 0 .. B − 1 exactly once.
    /// </summary>
    /// <exception cref="ArgumentException">Blocks of other terms or statistic, overlapping, or leaving a gap.</exception>
    public static IReadOnlyList<PermutationTest> Combine(PermutationObservation observed, IEnumerable<PermutationBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(blocks);
        var sorted = blocks.OrderBy(b => b.First).ToList();
        int next = 0;
        foreach (var b in sorted)
        {
            if (b.Statistic != observed.Statistic || !b.Terms.SequenceEqual(observed.Terms, StringComparer.Ordinal))
                throw new ArgumentException("A block was drawn for other terms or another statistic.", nameof(blocks));
            if (b.First != next)
                throw new ArgumentException($"Blocks must cover permutations 0..B-1 exactly once; expected one starting at {next}, got {b.First}.", nameof(blocks));
            next += b.Count;
        }
        var tests = new List<PermutationTest>(observed.Terms.Count);
        for (int t = 0; t < observed.Terms.Count; t++)
        {
            double d = observed.Values[t];
            int valid = 0, failed = 0, atLeast = 0, upper = 0;
            foreach (var b in sorted)
                foreach (double x in b.Draws[t])
                {
                    if (double.IsNaN(x)) { failed++; continue; }
                    valid++;
                    if (Math.Abs(x) >= Math.Abs(d)) atLeast++;
                    if (x >= d) upper++;
                }
            tests.Add(new PermutationTest(observed.Terms[t], observed.Statistic, d, valid, failed, atLeast, upper,
                (1.0 + atLeast) / (1.0 + valid), (1.0 + upper) / (1.0 + valid), valid == 0 ? double.NaN : (double)upper / valid));
        }
        return tests;
    }

    /// <summary>The whole permutation test in one call: <see cref="Observe"/>, <see cref="Draws"/> of 0 .. B − 1, <see cref="Combine"/>.</summary>
    /// <exception cref="InputException">Fewer than one permutation, and as <see cref="Observe"/>.</exception>
    public static (PermutationObservation Observed, IReadOnlyList<PermutationTest> Tests) Permutation(Panel panel, Formula formula, string groupColumn,
        IReadOnlyList<string> terms, EstimationOptions? options = null, PermutationOptions? permutation = null)
    {
        permutation ??= new PermutationOptions();
        if (permutation.Permutations < 1) throw new InputException($"permutations {permutation.Permutations}: expected at least 1");
        var observed = Observe(panel, formula, groupColumn, terms, options);
        var block = Draws(panel, formula, groupColumn, terms, options, permutation.Seed, permutation.Key, 0, permutation.Permutations);
        return (observed, Combine(observed, [block]));
    }

    // ---------------------------------------------------------------- shared pieces

    private static List<string> CheckModel(Formula formula, IReadOnlyList<string>? terms, EstimationOptions options, string groupColumn)
    {
        if (formula.IsIv)
            throw new InputException($"group-difference tests take OLS or within models; '{formula.Source}' has an IV part");
        if (options.Estimator is { } e && e is not (EstimatorKind.Ols or EstimatorKind.Within))
            throw new InputException($"group-difference tests take OLS or within models, not {Estimation.Name(e)}");
        if (formula.Regressors.Count == 0)
            throw new InputException($"'{formula.Source}' has no regressor whose difference could be tested");
        if (formula.Columns.Contains(groupColumn, StringComparer.Ordinal) && formula.Regressors.Any(r => r.Columns.Contains(groupColumn, StringComparer.Ordinal)))
            throw new InputException($"the group column '{groupColumn}' is also a regressor of '{formula.Source}'; the interacted model already gives each group its own intercept");
        var names = formula.Regressors.Select(r => r.Text).ToList();
        if (terms is null || terms.Count == 0) return names;
        foreach (var t in terms)
            if (!names.Contains(t, StringComparer.Ordinal))
                throw new InputException($"term '{t}' is not a regressor of '{formula.Source}'; regressors: {string.Join(", ", names)}");
        return terms.Distinct(StringComparer.Ordinal).ToList();
    }

    private static int IndexOf(RegressionResult r, string term)
    {
        for (int i = 0; i < r.Coefficients.Count; i++) if (r.Coefficients[i].Term == term) return i;
        return -1;
    }

    /// <summary>Group labels, their codes per row, and units per group on the rows passing the filters.</summary>
    private sealed record GroupLayout(string[] Labels, int[] Code, int[] UnitsPerGroup)
    {
        public static GroupLayout Read(Panel panel, string column, IReadOnlyList<RowFilter> filters)
        {
            if (!panel.Frame.Has(column))
                throw new InputException($"group column '{column}' is not in {panel.Frame.Source}; columns: {string.Join(", ", panel.Frame.Columns.Select(c => c.Name))}");
            var col = panel.Frame[column];
            var inFilter = ModelData.FilterMask(panel, filters);
            int n = panel.RowCount;
            string[] labels;
            if (col.Values is { } v)
                labels = v.Where((x, r) => !double.IsNaN(x) && inFilter[r]).Distinct().Order().Select(x => x.ToString("R", CultureInfo.InvariantCulture)).ToArray();
            else
                labels = col.Texts!.Where((x, r) => x is not null && inFilter[r]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(x => x!).ToArray();
            if (labels.Length < 2)
                throw new InputException($"group column '{column}' has {labels.Length} group{(labels.Length == 1 ? $" ('{labels[0]}')" : "s")} in the sample; a group difference needs at least two");
            var codeOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < labels.Length; i++) codeOf[labels[i]] = i;
            var code = new int[n];
            var units = new HashSet<int>[labels.Length];
            for (int i = 0; i < units.Length; i++) units[i] = [];
            for (int r = 0; r < n; r++)
            {
                code[r] = inFilter[r] && col.TextAt(r) is { } s ? codeOf[s] : -1;
                if (code[r] >= 0) units[code[r]].Add(panel.UnitCode[r]);
            }
            var counts = units.Select(u => u.Count).ToArray();
            for (int i = 0; i < labels.Length; i++)
                if (counts[i] < MinUnitsPerGroup)
                    throw new InputException($"group '{labels[i]}' of '{column}' has {counts[i]} unit{(counts[i] == 1 ? "" : "s")} ({panel.UnitColumn}); each group needs at least {MinUnitsPerGroup}");
            return new GroupLayout(labels, code, counts);
        }
    }

    /// <summary>
    /// The estimation sample of the permutation test as plain columns (terms evaluated on the whole panel
    /// first, so lags keep their meaning; filters, complete cases and missing groups applied), and the
    /// separate fits of each group.
    /// </summary>
    private sealed class PermutationDesign
    {
        public required Panel Data { get; init; }

        /// <summary>The model fitted on each group: its response and regressors are typed vectors over the rows of <see cref="Data"/> (<see cref="VectorExpr"/>), named as in the study's formula.</summary>
        public required ModelSpec Model { get; init; }

        /// <summary>What the model does not carry (tolerances, confidence level, collinearity policy).</summary>
        public required EstimationOptions Defaults { get; init; }
        public required string[] Labels { get; init; }
        public required int[] UnitGroup { get; init; }
        public required int[] UnitsPerGroup { get; init; }
        public required List<string> Terms { get; init; }
        public PermutationStatistic Kind => Labels.Length == 2 ? PermutationStatistic.Difference : PermutationStatistic.Range;

        public static PermutationDesign Build(Panel panel, Formula formula, string groupColumn, IReadOnlyList<string> terms, EstimationOptions options)
        {
            ArgumentNullException.ThrowIfNull(panel);
            ArgumentNullException.ThrowIfNull(formula);
            ArgumentNullException.ThrowIfNull(groupColumn);
            ArgumentNullException.ThrowIfNull(terms);
            var tested = CheckModel(formula, terms, options, groupColumn);
            var layout = GroupLayout.Read(panel, groupColumn, options.Filters);
            // Whole units move: one group per unit (over every row with a group).
            var unitCode = new int[panel.UnitCount];
            Array.Fill(unitCode, -1);
            var col = panel.Frame[groupColumn];
            for (int r = 0; r < panel.RowCount; r++)
            {
                if (col.TextAt(r) is not { } s) continue;
                int u = panel.UnitCode[r];
                int c = Array.IndexOf(layout.Labels, s);
                if (unitCode[u] == -1) unitCode[u] = c;
                else if (unitCode[u] != c)
                    throw new InputException($"group column '{groupColumn}' varies within {panel.UnitColumn} '{panel.UnitLabels[u]}' ('{(unitCode[u] >= 0 ? layout.Labels[unitCode[u]] : "?")}' and '{s}'): the permutation test moves whole units, so each unit needs one group");
            }
            var y = formula.Response.Evaluate(panel);
            var xs = formula.Regressors.Select(e => e.Evaluate(panel)).ToList();
            var feColumns = formula.FixedEffects.SelectMany(fe => fe.Columns).Where(c => c != groupColumn).Distinct(StringComparer.Ordinal).ToList();
            var feCodes = feColumns.Select(c => panel.Codes(c).Codes).ToList();
            var rows = new List<int>();
            for (int r = 0; r < panel.RowCount; r++)
            {
                if (layout.Code[r] < 0 || double.IsNaN(y[r]) || xs.Any(x => double.IsNaN(x[r])) || feCodes.Any(c => c[r] < 0)) continue;
                rows.Add(r);
            }
            if (rows.Count == 0) throw new EstimationException($"empty sample: no row of '{formula.Source}' with every variable and a group observed");
            var columns = new List<Column> { panel.Frame[panel.UnitColumn], panel.Frame[panel.TimeColumn] };
            foreach (var c in feColumns)
                if (c != panel.UnitColumn && c != panel.TimeColumn) columns.Add(panel.Frame[c]);
            // The input panel is sorted by unit and time and rows ascend, so Panel.Create keeps their order: row i of data is rows[i].
            var data = Panel.Create(new DataFrame(columns, panel.Frame.Source).Take(rows), panel.UnitColumn, panel.TimeColumn);
            for (int i = 0; i < rows.Count; i++)
                if (data.Time[i] != panel.Time[rows[i]] || data.UnitLabels[data.UnitCode[i]] != panel.UnitLabels[panel.UnitCode[rows[i]]])
                    throw new InvalidOperationException("the permutation sample is not in the panel's row order");
            var unitGroup = new int[data.UnitCount];
            for (int u = 0; u < unitGroup.Length; u++) unitGroup[u] = layout.Code[rows[data.UnitStart[u]]];
            var perGroup = new int[layout.Labels.Length];
            foreach (int g in unitGroup) perGroup[g]++;
            for (int g = 0; g < perGroup.Length; g++)
                if (perGroup[g] < MinUnitsPerGroup)
                    throw new InputException($"group '{layout.Labels[g]}' of '{groupColumn}' has {perGroup[g]} unit{(perGroup[g] == 1 ? "" : "s")} with complete data; each group needs at least {MinUnitsPerGroup}");
            var fes = formula.FixedEffects.Select(fe => fe.Columns.Where(c => c != groupColumn).ToList()).Where(c => c.Count > 0).Select(c => new FixedEffect(c)).ToList();
            // The terms were evaluated on the whole panel (lags keep their meaning); the design takes their values as typed vectors.
            double[] Pick(double[] v) { var a = new double[rows.Count]; for (int i = 0; i < a.Length; i++) a[i] = v[rows[i]]; return a; }
            var plain = new Formula(formula.Source, new VectorExpr(formula.Response.Text, Pick(y)),
                [.. formula.Regressors.Select((e, j) => (Expr)new VectorExpr(e.Text, Pick(xs[j])))], fes, [], []);
            var defaults = options with { Vcov = VcovSpec.Iid, Estimator = null, Filters = [], Collinear = CollinearPolicy.Drop };
            return new PermutationDesign
            {
                Data = data,
                Model = ModelSpec.Of(plain, defaults),
                Defaults = defaults,
                Labels = layout.Labels,
                UnitGroup = unitGroup,
                UnitsPerGroup = perGroup,
                Terms = tested,
            };
        }

        /// <summary>The model on a subset of the design's rows: each vector term restricted to <paramref name="rows"/>.</summary>
        private Formula Restricted(List<int> rows)
        {
            var f = Model.Formula;
            Expr Take(Expr e)
            {
                var v = ((VectorExpr)e).Values;
                var a = new double[rows.Count];
                for (int i = 0; i < a.Length; i++) a[i] = v[rows[i]];
                return new VectorExpr(e.Text, a);
            }
            return f with { Response = Take(f.Response), Regressors = [.. f.Regressors.Select(Take)] };
        }

        /// <summary>b[term, group] from a fit on each group's units; NaN (and the reason) where a fit fails or omits the term.</summary>
        public double[,] Estimates(int[] unitGroup, out string? error)
        {
            error = null;
            int g = Labels.Length;
            var b = new double[Terms.Count, g];
            for (int h = 0; h < g; h++)
            {
                var rows = new List<int>();
                for (int u = 0; u < unitGroup.Length; u++)
                    if (unitGroup[u] == h)
                        for (int r = Data.UnitStart[u]; r < Data.UnitStart[u + 1]; r++) rows.Add(r);
                try
                {
                    var fit = Estimation.Fit(Data.Subset(rows), Restricted(rows), Model.Options(Defaults));
                    for (int t = 0; t < Terms.Count; t++)
                    {
                        var c = fit.Coefficients.FirstOrDefault(x => x.Term == Terms[t]);
                        b[t, h] = c?.Estimate ?? double.NaN;
                        if (c is null) error ??= $"'{Terms[t]}' was omitted in group '{Labels[h]}' (constant in the group, collinear, or absorbed)";
                    }
                }
                catch (Exception e) when (e is EstimationException or InputException)
                {
                    for (int t = 0; t < Terms.Count; t++) b[t, h] = double.NaN;
                    error ??= $"group '{Labels[h]}': {e.Message}";
                }
            }
            return b;
        }

        public double[] Statistics(double[,] b)
        {
            var s = new double[Terms.Count];
            for (int t = 0; t < s.Length; t++)
            {
                if (Kind == PermutationStatistic.Difference) { s[t] = b[t, 0] - b[t, 1]; continue; }
                double max = double.NegativeInfinity, min = double.PositiveInfinity;
                for (int h = 0; h < Labels.Length; h++)
                {
                    double v = b[t, h];
                    if (double.IsNaN(v)) { max = double.NaN; break; }
                    max = Math.Max(max, v); min = Math.Min(min, v);
                }
                s[t] = max - min;
            }
            return s;
        }
    }
}

/// <summary>
/// A regressor restricted to one group, x·1[column = label] (1[column = label] when the regressor is null),
/// missing where the group is missing. Named <c>x:[column=label]</c> (<c>[column=label]</c>).
/// </summary>
internal sealed record GroupSliceExpr(Expr? Inner, string Column, string Label) : Expr
{
    public static string Name(string? inner, string column, string label) => inner is null ? $"[{column}={label}]" : $"{inner}:[{column}={label}]";

    /// <inheritdoc/>
    public override string Text => Name(Inner?.Text, Column, Label);

    /// <inheritdoc/>
    public override IEnumerable<string> Columns => Inner is null ? [Column] : [.. Inner.Columns, Column];

    /// <inheritdoc/>
    public override double[] Evaluate(Panel panel)
    {
        var x = Inner?.Evaluate(panel);
        var col = panel.Frame[Column];
        var r = new double[panel.RowCount];
        for (int i = 0; i < r.Length; i++)
        {
            var s = col.TextAt(i);
            r[i] = s is null ? double.NaN : s == Label ? x?[i] ?? 1.0 : 0.0;
        }
        return r;
    }
}
