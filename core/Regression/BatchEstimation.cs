using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>One model of a batch: a typed model and the coefficient to report.</summary>
/// <param name="Model">The model (its primary variance estimator is the one computed; its winsorised columns must already be winsorised in the panel the batch is fitted on).</param>
/// <param name="Term">The coefficient reported, named as in the formula, e.g. <c>lag(de_index)</c>.</param>
/// <param name="Defaults">What the model does not carry: tolerances, confidence level, collinearity policy (library defaults when null).</param>
public sealed record BatchModel(ModelSpec Model, string Term, EstimationOptions? Defaults = null)
{
    /// <summary>A model of a formula with the estimator, variance, filters and singleton rule of <paramref name="options"/>.</summary>
    public BatchModel(Formula formula, EstimationOptions options, string term) : this(ModelSpec.Of(formula, options), term, options) { }

    /// <summary>The parsed formula.</summary>
    public Formula Formula => Model.Formula;

    /// <summary>
    /// The estimation options of the model (see <see cref="ModelSpec.Options"/>). Setting them (<c>m with { Options = … }</c>)
    /// sets the model's estimator, variance, filters and singleton rule and the defaults from them.
    /// </summary>
    public EstimationOptions Options
    {
        get => Model.Options(Defaults);
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            Model = ModelSpec.Of(Model.Formula, value) with { Winsorize = Model.Winsorize };
            Defaults = value;
        }
    }
}

/// <summary>
/// The result of one model of a batch: the reported coefficient and the fit's summary, or the reason it
/// could not be estimated. Every number equals what <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/>
/// gives for the same model, bit for bit.
/// </summary>
/// <param name="Term">The coefficient asked for.</param>
/// <param name="Coefficient">Its row of the coefficient table; null when <paramref name="Error"/> is set.</param>
/// <param name="N">Observations used; null on error.</param>
/// <param name="R2">R² (LSDV R² with fixed effects); null on error.</param>
/// <param name="R2Within">Within R²; null without fixed effects or on error.</param>
/// <param name="DfResid">Residual degrees of freedom N − k − absorbed; null on error.</param>
/// <param name="Warnings">The fit's messages (rows dropped, regressors omitted...); empty when the model failed before fitting.</param>
/// <param name="Error">Why the model could not be estimated (the message <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/>
/// throws, or <c>'term' was omitted (collinear or absorbed)</c>); null on success.</param>
/// <param name="FastPath">True when the model was fitted on the shared cross-products; false when it fell back to a fit of its own.</param>
public sealed record BatchFit(
    string Term,
    Coefficient? Coefficient,
    int? N,
    double? R2,
    double? R2Within,
    int? DfResid,
    IReadOnlyList<string> Warnings,
    string? Error,
    bool FastPath);

/// <summary>
/// Fits many linear models on one panel, sharing the work they have in common (Frisch–Waugh–Lovell):
/// each distinct term is evaluated once; each distinct filter is applied once; models with the same
/// estimation rows (filters and complete cases) and the same fixed effects share one absorber, one
/// demeaning of every column they use and one cross-product of every pair of demeaned columns. Each
/// model is then fitted by the single fit's own stage, <see cref="LinearFit.Fit"/>, on the group's shared
/// columns (a Cholesky solve on its sub-matrix of cross-products, the same collinearity rule and refinement
/// step), and its variance comes from <c>VcovEngine</c> (so the small-sample conventions are the single fit's).
/// There is no second implementation of the fit, so every number is bit-identical to
/// <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/> for the same model, and a result depends
/// only on its own model: never on which other models share the batch or on their order.
/// </summary>
/// <remarks>
/// Pooled OLS and within (fixed-effects) models with iid, HC1 and one- or two-way cluster variances, any
/// small-sample convention, filters, singleton dropping and either collinearity policy take the shared
/// path. IV, random effects and estimator choices that do not fit the formula are fitted one by one with
/// <see cref="Estimation.Fit(Panel, Formula, EstimationOptions?)"/>, so callers need not sort them out.
/// Not thread-safe per call, but calls are independent: shard a grid across threads or machines freely.
/// </remarks>
public static class BatchEstimation
{
    /// <summary>Fits each model and returns the results in the order of <paramref name="models"/>.</summary>
    /// <exception cref="ArgumentNullException">A null panel, list, model or model member.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between two models.</exception>
    public static IReadOnlyList<BatchFit> Fit(Panel panel, IReadOnlyList<BatchModel> models, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(models);
        // How many models of the call share each fit (they differ only in their variance): the fit is kept for the later ones.
        var fitUses = new Dictionary<(string, CollinearPolicy), int>();
        foreach (var m in models)
            if (m?.Model is not null && OnFastPath(m)) CollectionsMarshal.GetValueRefOrAddDefault(fitUses, FitKey(m.Formula, (m.Defaults ?? LibraryDefaults).Collinear), out _)++;
        var context = new Context(panel, fitUses);
        var results = new BatchFit[models.Count];
        for (int i = 0; i < results.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var m = models[i];
            ArgumentNullException.ThrowIfNull(m);
            ArgumentNullException.ThrowIfNull(m.Model);
            ArgumentNullException.ThrowIfNull(m.Term);
            results[i] = OnFastPath(m) ? context.Fit(m) : Single(panel, m);
        }
        return results;
    }

    /// <summary>OLS without fixed effects or within with fixed effects, no IV part, no weights (a weighted model is fitted on its own by <see cref="Estimation"/>).</summary>
    internal static bool OnFastPath(BatchModel m)
    {
        var f = m.Formula;
        if (f.IsIv || m.Model.Weights is not null) return false;
        var kind = m.Model.ResolvedEstimator;
        return kind switch
        {
            EstimatorKind.Ols => f.FixedEffects.Count == 0,
            EstimatorKind.Within => f.FixedEffects.Count > 0,
            _ => false,
        };
    }

    /// <summary>The options a model without its own defaults is fitted with (<see cref="ModelSpec.Options"/>).</summary>
    private static readonly EstimationOptions LibraryDefaults = new();

    private static string OmittedMessage(string term) => $"'{term}' was omitted (collinear or absorbed)";

    /// <summary>
    /// What a model's linear fit reads besides its group (estimation rows and fixed effects): its formula (its text, kept with
    /// the formula, so nothing is built per model: a curve inference counts half a million models) and the collinearity policy
    /// (<see cref="LinearFit.Fit"/> reads no other option). Models with equal keys in one group have one fit; equal texts are
    /// checked to be equal terms before a fit is shared.
    /// </summary>
    private static (string, CollinearPolicy) FitKey(Formula f, CollinearPolicy collinear) => (f.Source, collinear);

    private static BatchFit Failed(BatchModel m, string error, IReadOnlyList<string> warnings, bool fast) =>
        new(m.Term, null, null, null, null, null, warnings, error, fast);

    /// <summary>The fallback: a fit of its own.</summary>
    private static BatchFit Single(Panel panel, BatchModel m)
    {
        try
        {
            var r = Estimation.Fit(panel, m.Formula, m.Options);
            var c = r.Coefficients.FirstOrDefault(x => x.Term == m.Term);
            return c is null
                ? Failed(m, OmittedMessage(m.Term), r.Warnings, false)
                : new BatchFit(m.Term, c, r.N, r.R2, r.R2Within, r.DfResid, r.Warnings, null, false);
        }
        catch (Exception e) when (e is InputException or EstimationException)
        {
            return Failed(m, e.Message, [], false);
        }
    }

    /// <summary>A value computed once, or the domain error computing it raised (re-raised at each use).</summary>
    private readonly record struct Cached<T>(T? Value, ExceptionDispatchInfo? Error)
    {
        public static Cached<T> Of(Func<T> compute)
        {
            try { return new Cached<T>(compute(), null); }
            catch (Exception e) when (e is InputException or EstimationException) { return new Cached<T>(default, ExceptionDispatchInfo.Capture(e)); }
        }

        public T Get()
        {
            Error?.Throw();
            return Value!;
        }
    }

    /// <summary>The caches of one call.</summary>
    private sealed class Context(Panel panel, Dictionary<(string, CollinearPolicy), int> fitUses)
    {
        private readonly Dictionary<Expr, Cached<double[]>> _terms = [];
        private readonly Dictionary<string, Cached<(int[] Codes, int Levels)>> _factors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Cached<bool[]>> _filters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, bool[]> _filterSets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Group>> _groups = new(StringComparer.Ordinal);
        private readonly Dictionary<Expr, int> _termPatterns = [];
        private readonly Dictionary<string, int> _factorPatterns = new(StringComparer.Ordinal);
        private readonly Dictionary<ulong, List<(List<int> Rows, int Id)>> _patterns = [];
        private readonly Dictionary<string, (List<int> Rows, List<string> Warnings, Group Group)> _samples = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<Expr>> _checkedTerms = new(StringComparer.Ordinal);
        private int _patternCount;
        private bool[]? _allRows;

        public BatchFit Fit(BatchModel m)
        {
            var f = m.Formula;
            var o = m.Options;
            try
            {
                // The order of ModelData.Build, so the first failure reported is the same.
                var y = Term(f.Response);
                var x = f.Regressors.Select(Term).ToList();
                var feKeys = f.FixedEffects.Select(fe => Factor(fe.Columns)).ToList();
                var clKeys = Variance.VcovRegistry.Of(o.Vcov).MaxClusters > 0 ? o.Vcov.ClusterColumns.Select(c => Factor([c])).ToList() : [];
                var inFilter = FilterSet(o.Filters);
                // The sample depends on the filters, the options and which rows each column misses, not on
                // the columns themselves: models whose columns miss the same rows share it (and its group).
                string fe = string.Join("\u001e", f.FixedEffects.Select(x => string.Join("\u001f", x.Columns)));
                var patterns = new SortedSet<int> { MissingPattern(f.Response, y) };
                for (int j = 0; j < x.Count; j++) patterns.Add(MissingPattern(f.Regressors[j], x[j]));
                for (int j = 0; j < feKeys.Count; j++) patterns.Add(MissingPattern(string.Join("\u001f", f.FixedEffects[j].Columns), feKeys[j].Codes));
                for (int j = 0; j < clKeys.Count; j++) patterns.Add(MissingPattern(o.Vcov.ClusterColumns[j], clKeys[j].Codes));
                string key = string.Create(CultureInfo.InvariantCulture,
                    $"{string.Join(",", patterns)}\u001d{string.Join("\u001f", o.Filters.Select(r => r.Text))}\u001d{fe}\u001d{o.DropSingletons}\u001d{o.Tolerance:R}\u001d{o.MaxIterations}");
                if (!_samples.TryGetValue(key, out var sample))
                {
                    // A sample that fails is not stored: its message names the formula, so each model recomputes it.
                    var (rows, warnings, _) = ModelData.SampleRows(panel, f, o, [.. x, y], feKeys, clKeys, inFilter);
                    _samples[key] = sample = (rows, warnings, GroupFor(rows, fe, o, feKeys));
                }
                // As Estimation.Fit: a cell too large to estimate is refused, naming it. A column that passed on this sample for
                // an earlier model is not scanned again (only passes are remembered, so a failing column fails each model alike).
                if (!_checkedTerms.TryGetValue(key, out var passed)) _checkedTerms[key] = passed = [];
                var toCheck = new List<(string, double[])>(x.Count + 1);
                if (!passed.Contains(f.Response)) toCheck.Add((f.Response.Text, y));
                for (int j = 0; j < x.Count; j++) if (!passed.Contains(f.Regressors[j])) toCheck.Add((f.Regressors[j].Text, x[j]));
                ModelData.CheckMagnitude(panel, sample.Rows, toCheck);
                passed.Add(f.Response);
                passed.UnionWith(f.Regressors);
                var fitKey = FitKey(f, o.Collinear);
                ref int uses = ref CollectionsMarshal.GetValueRefOrNullRef(fitUses, fitKey);
                int later = Unsafe.IsNullRef(ref uses) ? 0 : --uses;
                return sample.Group.Fit(panel, m, y, x, clKeys, [.. sample.Warnings], fitKey, later);
            }
            catch (Exception e) when (e is InputException or EstimationException)
            {
                // As Estimation.Fit throws: an error carries no warnings.
                return Failed(m, e.Message, [], true);
            }
        }

        private double[] Term(Expr e)
        {
            if (!_terms.TryGetValue(e, out var c)) _terms[e] = c = Cached<double[]>.Of(() => e.Evaluate(panel));
            return c.Get();
        }

        private (int[] Codes, int Levels) Factor(IReadOnlyList<string> columns)
        {
            string key = string.Join("\u001f", columns);
            if (!_factors.TryGetValue(key, out var c)) _factors[key] = c = Cached<(int[], int)>.Of(() => ModelData.Keys(panel, columns));
            return c.Get();
        }

        private bool[] FilterSet(IReadOnlyList<RowFilter> filters)
        {
            if (filters.Count == 0) return _allRows ??= ModelData.FilterMask(panel, []);
            var masks = new List<bool[]>(filters.Count);
            foreach (var filter in filters)
            {
                if (!_filters.TryGetValue(filter.Text, out var c)) _filters[filter.Text] = c = Cached<bool[]>.Of(() => ModelData.FilterMask(panel, [filter]));
                masks.Add(c.Get());
            }
            if (masks.Count == 1) return masks[0];
            string key = string.Join("\u001f", filters.Select(x => x.Text));
            if (!_filterSets.TryGetValue(key, out var set))
            {
                set = (bool[])masks[0].Clone();
                for (int i = 1; i < masks.Count; i++)
                    for (int r = 0; r < set.Length; r++) set[r] &= masks[i][r];
                _filterSets[key] = set;
            }
            return set;
        }

        private int MissingPattern(Expr e, double[] column)
        {
            if (!_termPatterns.TryGetValue(e, out int id))
            {
                var missing = new List<int>();
                for (int r = 0; r < column.Length; r++) if (double.IsNaN(column[r])) missing.Add(r);
                _termPatterns[e] = id = Intern(missing);
            }
            return id;
        }

        private int MissingPattern(string factor, int[] codes)
        {
            if (!_factorPatterns.TryGetValue(factor, out int id))
            {
                var missing = new List<int>();
                for (int r = 0; r < codes.Length; r++) if (codes[r] < 0) missing.Add(r);
                _factorPatterns[factor] = id = Intern(missing);
            }
            return id;
        }

        /// <summary>A number per distinct set of missing rows (numbered in order of first sight; used only as a key).</summary>
        private int Intern(List<int> missing)
        {
            ulong h = Hash(missing);
            if (!_patterns.TryGetValue(h, out var list)) _patterns[h] = list = [];
            foreach (var (rows, id) in list)
                if (rows.SequenceEqual(missing)) return id;
            list.Add((missing, _patternCount));
            return _patternCount++;
        }

        private static ulong Hash(List<int> rows)
        {
            ulong h = 14695981039346656037UL; // FNV-1a over the row indices
            foreach (int r in rows) { h ^= (uint)r; h *= 1099511628211UL; }
            return h ^ (ulong)rows.Count;
        }

        private Group GroupFor(List<int> rows, string fe, EstimationOptions o, List<(int[] Codes, int Levels)> feKeys)
        {
            ulong h = Hash(rows);
            string key = string.Create(CultureInfo.InvariantCulture, $"{fe}\u001d{o.Tolerance:R}\u001d{o.MaxIterations}\u001d{rows.Count}\u001d{h:x16}");
            if (!_groups.TryGetValue(key, out var list)) _groups[key] = list = [];
            foreach (var g in list)
                if (g.Rows.SequenceEqual(rows)) return g;
            var created = new Group(panel.RowCount, rows, feKeys, o);
            list.Add(created);
            return created;
        }
    }

    /// <summary>
    /// Models sharing the estimation rows and the fixed effects: the design's columns for all of them — their absorber,
    /// the raw and demeaned columns (one projection per column, shared by the models of the group), the cross-products
    /// of the demeaned columns and the cluster codes, each computed on first use. Each model is fitted by the single
    /// fit's <see cref="LinearFit.Fit"/> on these columns.
    /// </summary>
    private sealed class Group : DesignColumns
    {
        private readonly int _panelRows;
        private readonly int _n;
        private readonly Absorber _absorber;
        private readonly Dictionary<Expr, int> _index = [];
        private readonly List<CachedColumn> _columns = [];
        private readonly Dictionary<long, double> _cross = [];
        private readonly Dictionary<string, List<int[]>> _clusters = new(StringComparer.Ordinal);
        private readonly VcovCache _vcovCache = new();
        private int _intercept = -1;

        public Group(int panelRows, List<int> rows, List<(int[] Codes, int Levels)> feKeys, EstimationOptions o)
        {
            _panelRows = panelRows;
            Rows = rows;
            _n = rows.Count;
            _absorber = new Absorber(feKeys.Select(k => ModelData.Codes(k, rows)).ToList(), o.Tolerance, o.MaxIterations);
        }

        public List<int> Rows { get; }

        public override Absorber Absorber => _absorber;

        public override int N => _n;

        private int[]? _unitCodes;
        private int[]? _timeCodes;

        private sealed class CachedColumn(double[] raw)
        {
            public double[] Raw { get; } = raw;
            public double[]? Demeaned { get; set; }
            public ExceptionDispatchInfo? DemeanError { get; set; }
            public double? Norm { get; set; }
            public double? Tss { get; set; }
        }

        public BatchFit Fit(Panel panel, BatchModel m, double[] y, List<double[]> x, List<(int[] Codes, int Levels)> clKeys, List<string> warnings, (string, CollinearPolicy) fitKey, int later)
        {
            var o = m.Options;
            var fit = LinearFitOf(m.Formula, y, x, o, warnings, fitKey, later);
            // Post-estimation of the one reported coefficient: its variance (the group's cluster codes and caches), test and interval.
            var entry = Variance.VcovRegistry.Of(o.Vcov);
            var input = new VcovInput(o.Vcov, _n, fit.K, _absorber.AbsorbedDf, fit.HasFixedEffects, fit.HasFixedEffects ? _absorber : null, ClusterCodes(o.Vcov, clKeys), [.. o.Vcov.ClusterColumns], _vcovCache,
                Unit: entry.NeedsUnit ? _unitCodes ??= ModelData.UnitCodes(panel.UnitCode, Rows) : null,
                Time: entry.NeedsTime ? _timeCodes ??= ModelData.PeriodCodes(panel.Time, Rows) : null);
            var vc = VcovEngine.Compute(input, fit.Bread, fit.Xk, fit.Residuals, fit.Ssr);
            double r2 = fit.R2;
            double? r2Within = fit.R2Within;
            int pos = -1;
            for (int j = 0; j < fit.K && pos < 0; j++) if (fit.Names[fit.Kept[j]] == m.Term) pos = j;
            if (pos < 0) return Failed(m, OmittedMessage(m.Term), warnings, true);
            double df = vc.CoefficientDf is { } coefDf ? coefDf[pos] : vc.DfTests; // CR2: the term's Satterthwaite df
            double crit = Distributions.CriticalValue(o.ConfidenceLevel, df);
            var c = Estimation.Row(m.Term, fit.B[pos], vc.V[pos, pos], df, crit, z: false);
            Estimation.AddEigenFixWarning(o, vc, warnings);
            Estimation.AddStdErrorWarning(c, vc.V[pos, pos], warnings);
            return new BatchFit(m.Term, c, _n, r2, r2Within, fit.DfResid, warnings, null, true);
        }

        /// <summary>Fits kept for later models of the call with the same fit key, and the warnings each fit added.</summary>
        private readonly Dictionary<(string, CollinearPolicy), (Formula Formula, FittedModel Fit, string[] Warnings)> _fits = [];

        /// <summary>
        /// <see cref="LinearFit.Fit"/> of the model, or the fit of an earlier model of the call with the same fit key: models that
        /// differ only in their variance (a grid's variance choices) have one fit, and each computed it again with its own
        /// residual array. Within a group the rows, the fixed effects and each term's column are the same, and of the options
        /// the fit reads only the collinearity policy (in the key), so the kept fit is the arrays the model would compute; its
        /// warnings are repeated. A fit is kept only while <paramref name="later"/> models of the call may use it, so a batch of
        /// distinct models keeps none. A fit that fails is not kept (the next model fails the same way by itself).
        /// </summary>
        private FittedModel LinearFitOf(Formula f, double[] y, List<double[]> x, EstimationOptions o, List<string> warnings, (string, CollinearPolicy) fitKey, int later)
        {
            if (_fits.TryGetValue(fitKey, out var kept) && kept.Formula.Response.Equals(f.Response) && kept.Formula.Regressors.SequenceEqual(f.Regressors))
            {
                if (later <= 0) _fits.Remove(fitKey);
                warnings.AddRange(kept.Warnings);
                return kept.Fit;
            }
            int before = warnings.Count;
            var fit = LinearFit.Fit(f, y, x, this, o, warnings);
            if (later > 0) _fits[fitKey] = (f, fit, [.. warnings.Skip(before)]);
            return fit;
        }

        public override int Column(Expr term, double[] values) => ColumnOf(term, values);

        public override double[] Raw(int i) => _columns[i].Raw;

        private int ColumnOf(Expr e, double[] full)
        {
            if (_index.TryGetValue(e, out int i)) return i;
            double[] raw;
            if (_n == _panelRows) raw = full;
            else
            {
                // Column copies and demeaned columns are written whole, so they need no zeroing. They are not pooled: a
                // resample's samples change length every draw, and pooled arrays of lengths no later draw asks for would only
                // move to the oldest generation (a curve run's peak memory rose by 150-240 MB when they were).
                raw = GC.AllocateUninitializedArray<double>(_n);
                for (int r = 0; r < raw.Length; r++) raw[r] = full[Rows[r]];
            }
            _columns.Add(new CachedColumn(raw));
            return _index[e] = _columns.Count - 1;
        }

        public override int Intercept()
        {
            if (_intercept < 0)
            {
                _columns.Add(new CachedColumn(Estimation.Ones(_n)));
                _intercept = _columns.Count - 1;
            }
            return _intercept;
        }

        public override double[] Demeaned(int i)
        {
            var c = _columns[i];
            if (c.Demeaned is null && c.DemeanError is null)
            {
                try { c.Demeaned = _absorber.Demean(c.Raw, GC.AllocateUninitializedArray<double>(_n)); }
                catch (EstimationException e) { c.DemeanError = ExceptionDispatchInfo.Capture(e); }
            }
            c.DemeanError?.Throw();
            return c.Demeaned!;
        }

        public override double Cross(int i, int j)
        {
            long key = ((long)Math.Min(i, j) << 32) | (uint)Math.Max(i, j);
            if (!_cross.TryGetValue(key, out double v)) _cross[key] = v = ThinQr.Dot(Demeaned(i), Demeaned(j));
            return v;
        }

        public override double Norm(int i)
        {
            var c = _columns[i];
            return c.Norm ??= Math.Sqrt(ThinQr.Dot(c.Raw, c.Raw));
        }

        public override double Tss(int i)
        {
            var c = _columns[i];
            return c.Tss ??= Estimation.CenteredSumSquares(c.Raw);
        }

        private List<int[]> ClusterCodes(VcovSpec spec, List<(int[] Codes, int Levels)> clKeys)
        {
            if (clKeys.Count == 0) return [];
            string key = string.Join("\u001f", spec.ClusterColumns);
            if (!_clusters.TryGetValue(key, out var codes)) _clusters[key] = codes = clKeys.Select(k => ModelData.Codes(k, Rows)).ToList();
            return codes;
        }
    }
}
