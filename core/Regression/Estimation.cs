using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// The estimation facade: pooled OLS, fixed effects (any number of absorbed factors), random effects
/// (Swamy–Arora), 2SLS and two-step GMM with absorbed fixed effects, and the Hausman test. See
/// <see cref="SmallSample"/> and <see cref="RegressionResult"/> for the conventions.
/// </summary>
public static class Estimation
{
    /// <summary>Parses <paramref name="formula"/> and fits it.</summary>
    public static RegressionResult Fit(Panel panel, string formula, EstimationOptions? options = null) =>
        Fit(panel, Formula.Parse(formula), options);

    /// <summary>Fits a formula on a panel.</summary>
    /// <exception cref="InputException">Unknown columns, non-numeric cells, log of a non-positive value, a formula that does not fit the estimator.</exception>
    /// <exception cref="EstimationException">Empty sample, no regressor left, fewer than two clusters, under-identification.</exception>
    public static RegressionResult Fit(Panel panel, Formula formula, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        options ??= new EstimationOptions();
        var kind = Resolve(formula, options);
        CheckVariance(kind, options.Vcov, options.Weights);
        if (kind == EstimatorKind.RandomEffects && !panel.IsPanel) throw new InputException(Panel.NeedsPanel("the random-effects estimator (re)"));
        var data = ModelData.Build(panel, formula, options);
        return kind switch
        {
            EstimatorKind.RandomEffects => RandomEffectsFit.Summarise(RandomEffectsFit.Fit(formula, data, options), options, data.ClusterCodes, data.ClusterNames),
            EstimatorKind.Iv2sls or EstimatorKind.IvGmm2s => IvFit.Summarise(IvFit.Fit(formula, data, options), options, kind, data.ClusterCodes, data.ClusterNames),
            _ => Linear(formula, data, options, kind),
        };
    }

    /// <summary>
    /// Fits once and computes every variance estimator in <paramref name="variances"/> from that fit: one sample (rows
    /// missing any of their cluster columns are left out), one design and one solve; the results differ only in the
    /// variance, tests and intervals (and, for IV, in the over-identification test, first-stage tests and identification
    /// statistics, which use the variance). Only iv-gmm2s is refitted per estimator: its robust variance is the
    /// weight of its second step. <c>options.Vcov</c> is ignored.
    /// </summary>
    /// <exception cref="InputException">As <see cref="Fit(Panel, Formula, EstimationOptions?)"/>, or no estimator given.</exception>
    public static IReadOnlyList<RegressionResult> Fit(Panel panel, Formula formula, EstimationOptions options, IReadOnlyList<VcovSpec> variances)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(variances);
        if (variances.Count == 0) throw new InputException("--vcov: give at least one variance estimator");
        var first = options with { Vcov = variances[0] };
        var kind = Resolve(formula, first);
        if (variances.Count == 1 || kind == EstimatorKind.IvGmm2s)
            return [.. variances.Select(v => Fit(panel, formula, options with { Vcov = v }))];
        foreach (var v in variances) CheckVariance(kind, v, options.Weights);
        if (kind == EstimatorKind.RandomEffects && !panel.IsPanel) throw new InputException(Panel.NeedsPanel("the random-effects estimator (re)"));
        var data = ModelData.Build(panel, formula, first, variances);
        switch (kind)
        {
            case EstimatorKind.RandomEffects:
            {
                var fit = RandomEffectsFit.Fit(formula, data, first);
                return [.. variances.Select(v => RandomEffectsFit.Summarise(fit, options with { Vcov = v }, ClusterCodesOf(v, data, variances), v.ClusterColumns))];
            }
            case EstimatorKind.Iv2sls:
            {
                var fit = IvFit.Fit(formula, data, first);
                return [.. variances.Select(v => IvFit.Summarise(fit, options with { Vcov = v }, kind, ClusterCodesOf(v, data, variances), v.ClusterColumns))];
            }
        }
        var rest = new List<RegressionResult>(variances.Count - 1);
        var primary = Linear(formula, data, first, kind, [.. variances.Skip(1)], rest);
        return [primary, .. rest];
    }

    /// <summary>
    /// Fits a typed model: winsorises its columns (1/99 %, pooled) on a copy of the panel when it asks, fits once and
    /// computes every one of its variance estimators from that fit (see <see cref="Fit(Panel, Formula, EstimationOptions, IReadOnlyList{VcovSpec})"/>).
    /// <paramref name="defaults"/> gives what a model does not carry (tolerances, confidence level, collinearity policy).
    /// </summary>
    /// <returns>One result per variance estimator, in the model's order.</returns>
    public static IReadOnlyList<RegressionResult> Fit(Panel panel, ModelSpec model, EstimationOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(model);
        var p = panel;
        if (!model.Winsorize.IsDefaultOrEmpty)
            foreach (var col in model.Winsorize) p = p.WithColumn(col, PanelTransforms.Winsorize(p, p.Frame.Numeric(col)));
        var options = model.Options(defaults);
        return model.Variances.IsDefaultOrEmpty ? [Fit(p, model.Formula, options)] : Fit(p, model.Formula, options, model.Variances);
    }

    /// <summary>The estimator of the fit (chosen or from the formula), refusing a formula that does not fit it.</summary>
    private static EstimatorKind Resolve(Formula formula, EstimationOptions options)
    {
        var kind = options.Estimator ?? ModelSpec.DefaultEstimator(formula);
        bool ivKind = kind is EstimatorKind.Iv2sls or EstimatorKind.IvGmm2s;
        if (ivKind != formula.IsIv)
            throw new InputException(ivKind
                ? $"estimator {Name(kind)} needs an IV part: 'y ~ exog | fe | endog ~ instrument'" + (kind == EstimatorKind.IvGmm2s ? "; for a dynamic panel (Arellano–Bond or Blundell–Bond GMM) use 'de gmm'" : "")
                : $"estimator {Name(kind)} cannot take the IV part of '{formula.Source}'; use iv-2sls or iv-gmm2s");
        if (kind == EstimatorKind.Ols && formula.FixedEffects.Count > 0)
            throw new InputException($"pooled OLS takes no fixed effects; drop '| {string.Join(" + ", formula.FixedEffects.Select(f => f.Text))}' or use the within estimator");
        if (kind == EstimatorKind.Within && formula.FixedEffects.Count == 0)
            throw new InputException("the within estimator needs fixed effects: add '| unit' (or '| unit + year') to the formula");
        if (kind == EstimatorKind.RandomEffects && formula.FixedEffects.Count > 0)
            throw new InputException("random effects use the panel unit as the effect; drop the '| ...' fixed-effects part");
        if (kind == EstimatorKind.RandomEffects && options.Weights is not null)
            throw new InputException($"weights are not supported with re; drop --weights {options.Weights}, or fit fixed effects (the within estimator) with weights");
        return kind;
    }

    private static void CheckVariance(EstimatorKind kind, VcovSpec vcov, string? weights)
    {
        if (kind is not (EstimatorKind.Ols or EstimatorKind.Within) && Variance.VcovRegistry.Of(vcov).LinearOnly)
            throw new InputException($"--vcov {vcov}: defined for ols and within fits only; {Name(kind)} takes {string.Join(", ", Variance.VcovRegistry.All.Where(e => !e.LinearOnly).Select(e => e.Syntax))}");
        if (weights is not null && !Variance.VcovRegistry.Of(vcov).SupportsWeights)
            throw new InputException($"--vcov {vcov} is not available with --weights {weights} (its weighted leverage is not validated against a reference); "
                + $"weighted fits take {string.Join(", ", Variance.VcovRegistry.All.Where(e => e.SupportsWeights).Select(e => e.Syntax))}");
    }

    /// <summary>The estimator's name in output: ols, within, re, iv-2sls, iv-gmm2s.</summary>
    public static string Name(EstimatorKind kind) => kind switch
    {
        EstimatorKind.Ols => "ols",
        EstimatorKind.Within => "within",
        EstimatorKind.RandomEffects => "re",
        EstimatorKind.Iv2sls => "iv-2sls",
        _ => "iv-gmm2s",
    };

    /// <summary>Parses an estimator name (ols, within/fe, re, iv-2sls/2sls, iv-gmm2s/gmm2s).</summary>
    public static EstimatorKind ParseName(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "ols" or "pooled" => EstimatorKind.Ols,
        "within" or "fe" => EstimatorKind.Within,
        "re" or "random" => EstimatorKind.RandomEffects,
        "iv-2sls" or "2sls" or "iv" => EstimatorKind.Iv2sls,
        "iv-gmm2s" or "gmm2s" or "gmm" => EstimatorKind.IvGmm2s,
        _ => throw new InputException($"--estimator '{name}': expected ols, within, re, iv-2sls or iv-gmm2s"),
    };

    /// <summary>
    /// Fits FE (within, unit effects) and RE (Swamy–Arora) on the formula's regressors with conventional
    /// variances and returns the Hausman test of the two — what <c>de estimate --hausman</c> and a study's
    /// <c>hausman: true</c> report. The formula has no fixed effects or one-way unit effects. Singletons are kept
    /// in both fits (whatever <see cref="EstimationOptions.DropSingletons"/> says), so that FE and RE use one sample.
    /// </summary>
    /// <exception cref="InputException">An IV formula, fixed effects other than the unit's, or weights.</exception>
    public static HausmanResult Hausman(Panel panel, Formula formula, EstimationOptions options)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(options);
        if (formula.IsIv) throw new InputException("the Hausman test compares FE and RE fits; it does not apply to an IV formula");
        if (options.Weights is not null) throw new InputException($"the Hausman test compares FE and RE fits, and weights are not supported with re; drop --weights {options.Weights} or --hausman");
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("the Hausman test"));
        var plain = formula with { FixedEffects = [] };
        var withUnit = formula.FixedEffects.Count == 0 ? formula with { FixedEffects = [new FixedEffect([panel.UnitColumn])] } : formula;
        if (withUnit.FixedEffects.Count != 1 || withUnit.FixedEffects[0].Text != panel.UnitColumn)
            throw new InputException($"the Hausman test needs one-way unit effects: write the formula with '| {panel.UnitColumn}' or without fixed effects");
        // Both fits on one sample: singletons are kept, as xtreg and plm's phtest (RE has no singletons to drop).
        var conventional = options with { Vcov = VcovSpec.Iid, Estimator = null, DropSingletons = false };
        var fe = Fit(panel, withUnit, conventional with { Estimator = EstimatorKind.Within });
        var re = Fit(panel, plain, conventional with { Estimator = EstimatorKind.RandomEffects });
        return Hausman(fe, re);
    }

    /// <summary>
    /// Hausman test of FE against RE: (b_FE − b_RE)'[V_FE − V_RE]⁻¹(b_FE − b_RE) on the common slopes,
    /// each V from its own model (Stata <c>hausman fe re</c>; plm <c>phtest</c>). When the difference is
    /// not positive definite a generalised inverse is used and the df is its rank, with a note.
    /// </summary>
    public static HausmanResult Hausman(RegressionResult fixedEffects, RegressionResult randomEffects)
    {
        ArgumentNullException.ThrowIfNull(fixedEffects);
        ArgumentNullException.ThrowIfNull(randomEffects);
        var terms = fixedEffects.Coefficients.Select(c => c.Term).Where(t => randomEffects.Coefficients.Any(c => c.Term == t)).ToList();
        if (terms.Count == 0) throw new EstimationException("Hausman test: the two models share no coefficient");
        int m = terms.Count;
        var d = new double[m];
        var v = new double[m, m];
        int[] fi = terms.Select(t => IndexOf(fixedEffects, t)).ToArray();
        int[] ri = terms.Select(t => IndexOf(randomEffects, t)).ToArray();
        for (int i = 0; i < m; i++)
        {
            d[i] = fixedEffects.Coefficients[fi[i]].Estimate - randomEffects.Coefficients[ri[i]].Estimate;
            for (int j = 0; j < m; j++) v[i, j] = fixedEffects.Covariance[fi[i]][fi[j]] - randomEffects.Covariance[ri[i]][ri[j]];
        }
        var inv = Dense.InverseSpd(v);
        string? note = null;
        int df = m;
        if (inv is null)
        {
            inv = Dense.Inverse(v);
            if (inv is not null)
                note = "V_FE − V_RE is not positive definite (as plm::phtest and Stata's hausman, its plain inverse is used); interpret with care";
            else
            {
                (inv, df) = Dense.PseudoInverseSymmetric(v);
                note = "V_FE − V_RE is singular; a generalised inverse was used and df is its rank";
            }
        }
        double stat = 0;
        var t2 = Dense.MultiplyVector(inv, d);
        for (int i = 0; i < m; i++) stat += d[i] * t2[i];
        return new HausmanResult(stat, df, Distributions.ChiSquaredUpper(stat, df), terms, note);
    }

    /// <summary>
    /// Wald test of the linear restrictions R b = r on a fit's coefficients, under the fit's own variance
    /// V: W = (Rb − r)'(R V R')⁻¹(Rb − r). Reported as F = W/q on (q, df_tests) — the convention of the
    /// fit's slope test (df_tests = df_resid for iid/HC1, G − 1 for clusters) — or as χ²(q) when the fit
    /// uses z tests (random effects). When R V R' is not positive definite a generalised inverse is used
    /// and q is its rank (Stata's <c>test</c> drops dependent constraints the same way).
    /// </summary>
    /// <param name="result">The fit; the columns of <paramref name="restrictions"/> follow its <see cref="RegressionResult.Coefficients"/>.</param>
    /// <param name="restrictions">R, one row per restriction (q × k).</param>
    /// <param name="values">r (length q); null for zeros.</param>
    /// <exception cref="ArgumentException">R's columns differ from the number of coefficients, or r's length from its rows.</exception>
    /// <exception cref="EstimationException">R V R' has rank 0, or V has non-finite entries.</exception>
    public static TestResult Wald(RegressionResult result, double[,] restrictions, double[]? values = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(restrictions);
        int q = restrictions.GetLength(0), k = restrictions.GetLength(1);
        if (k != result.Coefficients.Count)
            throw new ArgumentException($"R has {k} columns but the fit has {result.Coefficients.Count} coefficients.", nameof(restrictions));
        if (q == 0) throw new ArgumentException("R has no rows.", nameof(restrictions));
        if (values is not null && values.Length != q)
            throw new ArgumentException($"r has {values.Length} values but R has {q} rows.", nameof(values));
        var d = new double[q];
        var rv = new double[q, k];
        for (int i = 0; i < q; i++)
        {
            double s = -(values?[i] ?? 0);
            for (int j = 0; j < k; j++) s += restrictions[i, j] * result.Coefficients[j].Estimate;
            d[i] = s;
            for (int j = 0; j < k; j++)
            {
                double t = 0;
                for (int m = 0; m < k; m++) t += restrictions[i, m] * result.Covariance[m][j];
                rv[i, j] = t;
            }
        }
        var a = new double[q, q];
        for (int i = 0; i < q; i++)
            for (int j = 0; j < q; j++)
            {
                double t = 0;
                for (int m = 0; m < k; m++) t += rv[i, m] * restrictions[j, m];
                a[i, j] = t;
            }
        if (d.Any(x => !double.IsFinite(x)) || a.Cast<double>().Any(x => !double.IsFinite(x)))
            throw new EstimationException("Wald test: the restricted coefficients or their variance are not finite numbers");
        int df = q;
        var inv = Dense.InverseSpd(a);
        if (inv is null) (inv, df) = Dense.PseudoInverseSymmetric(a);
        if (df == 0) throw new EstimationException("Wald test: the variance of the restrictions R b is zero (rank 0)");
        var t2 = Dense.MultiplyVector(inv, d);
        double w = 0;
        for (int i = 0; i < q; i++) w += d[i] * t2[i];
        return double.IsPositiveInfinity(result.DfTests)
            ? new TestResult("Wald chi2", w, df, null, Distributions.ChiSquaredUpper(w, df))
            : new TestResult("Wald F", w / df, df, result.DfTests, Distributions.FUpper(w / df, df, result.DfTests));
    }

    private static int IndexOf(RegressionResult r, string term)
    {
        for (int i = 0; i < r.Coefficients.Count; i++) if (r.Coefficients[i].Term == term) return i;
        return -1;
    }

    // ---------------------------------------------------------------- OLS and within

    private static RegressionResult Linear(Formula f, ModelData d, EstimationOptions o, EstimatorKind kind, IReadOnlyList<VcovSpec>? more = null, List<RegressionResult>? moreResults = null)
    {
        // The demeaned columns live only during this fit: the design's columns rent this thread's scratch arrays.
        using var columns = new SingleFitColumns(new Absorber(d.FeCodes, d.Weights, o.Tolerance, o.MaxIterations), d.N, d.Weights);
        var fit = LinearFit.Fit(f, d.Y, d.X, columns, o, new List<string>(d.Warnings), d);
        return Summarise(fit, o, kind, more, moreResults);
    }

    /// <summary>
    /// Fits an OLS or within model and keeps the fit for post-estimation that reuses its demeaned columns (the wild
    /// bootstrap): the arrays are the fit's own, not scratch. The result is <see cref="Fit(Panel, Formula, EstimationOptions?)"/>'s, bit for bit.
    /// </summary>
    internal static (RegressionResult Result, FittedModel Fit) FitLinearKept(Panel panel, Formula formula, EstimationOptions options)
    {
        var kind = Resolve(formula, options);
        CheckVariance(kind, options.Vcov, options.Weights);
        if (kind is not (EstimatorKind.Ols or EstimatorKind.Within)) throw new InvalidOperationException("FitLinearKept takes OLS and within models");
        var d = ModelData.Build(panel, formula, options);
        var columns = new SingleFitColumns(new Absorber(d.FeCodes, d.Weights, options.Tolerance, options.MaxIterations), d.N, d.Weights, keep: true);
        var fit = LinearFit.Fit(formula, d.Y, d.X, columns, options, new List<string>(d.Warnings), d);
        return (Summarise(fit, options, kind, null, null), fit);
    }

    /// <summary>
    /// Post-estimation of a fit of its own: the primary variance (and <paramref name="more"/> from the same fit, into
    /// <paramref name="moreResults"/>), R², the Stata intercept and R² statistics, the coefficient table and Wald test.
    /// </summary>
    private static RegressionResult Summarise(FittedModel fit, EstimationOptions o, EstimatorKind kind, IReadOnlyList<VcovSpec>? more, List<RegressionResult>? moreResults)
    {
        var d = fit.Design!;
        var f = fit.Formula;
        var absorber = fit.Absorber;
        var warnings = fit.Warnings;
        bool hasFe = fit.HasFixedEffects;
        var kept = fit.Kept;
        var omitted = fit.Omitted;
        var b = fit.B;
        var resid = fit.Residuals;
        var xk = fit.Xk;
        double ssr = fit.Ssr;
        int k = fit.K;
        var common = more is null ? null : new List<string>(warnings);
        var input = new VcovInput(o.Vcov, d.N, k, absorber.AbsorbedDf, hasFe, hasFe ? absorber : null, ClusterCodesOf(o.Vcov, d, more), more is null ? d.ClusterNames : o.Vcov.ClusterColumns, Unit: d.Unit, Time: d.Time);
        var bread = fit.Bread;
        var result = Finish(input, o, warnings);
        // Further variance estimators of the same fit (same sample, coefficients, residuals and bread).
        foreach (var spec in more ?? [])
            moreResults!.Add(Finish(input with { Spec = spec, ClusterCodes = ClusterCodesOf(spec, d, more), ClusterNames = spec.ClusterColumns }, o with { Vcov = spec }, [.. common!]));
        return result;

        RegressionResult Finish(VcovInput input, EstimationOptions o, List<string> warnings)
        {
            var vc = VcovEngine.Compute(input, bread, xk, resid, ssr);
            double r2 = fit.R2;
            double? r2Within = fit.R2Within;
            int dfResid = fit.DfResid;
            var stats = new Dictionary<string, double>(StringComparer.Ordinal);
            var keptNames = fit.KeptNames;
            if (hasFe)
                stats["adj_r2_within"] = 1 - (1 - r2Within!.Value) * (d.N - 1) / dfResid;
            if (hasFe && d.Weights is null)
            {
                // Stata xtreg, fe `_cons` = ȳ − x̄'b with Var = x̄'V x̄ (plm::within_intercept).
                var rawKept = kept.Select(i => fit.Columns.Raw(fit.ColumnIndex[i])).ToList();
                var xbar = rawKept.Select(Mean).ToArray();
                double cons = Mean(d.Y);
                for (int j = 0; j < k; j++) cons -= xbar[j] * b[j];
                stats["intercept_stata"] = cons;
                // Only for estimators that are functions of the scores alone (not of the hat matrix).
                if (Variance.VcovRegistry.Of(input.Spec).ScoreLinear)
                    stats["intercept_stata_se"] = Math.Sqrt(InterceptVariance(input, vc, bread, xk, xbar, resid, ssr, d.N));
                if (d.FeCodes.Count == 1) AddStataR2(stats, d.FeCodes[0], d.Y, rawKept, b);
            }
            var result = Assemble(f, kind, d, o, keptNames, b, vc, dfResid, ssr, r2, r2Within, warnings, omitted, zTests: false, absorber);
            return result with { Statistics = stats };
        }
    }

    /// <summary>√wᵢ of the sample's weights, or null for an unweighted fit.</summary>
    internal static double[]? SqrtWeights(double[]? weights)
    {
        if (weights is null) return null;
        var r = new double[weights.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Sqrt(weights[i]);
        return r;
    }

    internal static void ScaleInPlace(double[] x, double[] by) { for (int i = 0; i < x.Length; i++) x[i] *= by[i]; }

    internal static double[] Scaled(double[] x, double[] by) { var r = new double[x.Length]; for (int i = 0; i < r.Length; i++) r[i] = x[i] * by[i]; return r; }

    /// <summary>Σ wᵢ(yᵢ − ȳ_w)² with ȳ_w the weighted mean (the TSS of a weighted R², as lm and fixest).</summary>
    internal static double WeightedCenteredSumSquares(double[] y, double[] w)
    {
        double sw = 0, swy = 0;
        for (int i = 0; i < y.Length; i++) { sw += w[i]; swy += w[i] * y[i]; }
        double m = swy / sw, s = 0;
        for (int i = 0; i < y.Length; i++) s += w[i] * (y[i] - m) * (y[i] - m);
        return s;
    }

    /// <summary>The cluster codes of <paramref name="spec"/> among those of the sample (all of them for a single estimator).</summary>
    private static IReadOnlyList<int[]> ClusterCodesOf(VcovSpec spec, ModelData d, IReadOnlyList<VcovSpec>? more) =>
        more is null ? d.ClusterCodes : [.. spec.ClusterColumns.Select(c => d.ClusterCodes[d.ClusterNames.IndexOf(c)])];

    /// <summary>
    /// Variance of Stata's `_cons` = ȳ − x̄'b under the fit's estimator: the intercept of the augmented
    /// regression of ỹ + ȳ on [1, x̃ + x̄]. By block inversion its row of (Z'Z)⁻¹ applied to an
    /// observation's score is eᵢ(1/N − x̃ᵢ'B x̄) with B = (X̃'X̃)⁻¹, so the sandwich reduces to one column.
    /// </summary>
    private static double InterceptVariance(VcovInput input, VcovOutput vc, double[,] bread, List<double[]> xk, double[] xbar, double[] resid, double ssr, int n)
    {
        var w = Dense.MultiplyVector(bread, xbar);
        if (input.Spec.Kind == VcovKind.Iid)
        {
            double q = 0;
            for (int j = 0; j < xbar.Length; j++) q += xbar[j] * w[j];
            return ssr / VcovEngine.DfResid(input) * (1.0 / n + q);
        }
        var u = new double[n];
        Array.Fill(u, 1.0 / n);
        for (int j = 0; j < xk.Count; j++) ThinQr.Axpy(-w[j], xk[j], u);
        if (input.Spec.Kind == VcovKind.Cluster && input.ClusterCodes.Count == 1)
        {
            // One-way clusters: reuse the fit's factor; Σ_g (Σ_{i∈g} eᵢuᵢ)².
            var codes = input.ClusterCodes[0];
            var sums = new double[vc.Clusters.Values.First()];
            for (int i = 0; i < n; i++) sums[codes[i]] += resid[i] * u[i];
            double m = 0;
            foreach (double v in sums) m += v * v;
            return vc.Factor * m;
        }
        return VcovEngine.Compute(input, new double[,] { { 1 } }, [u], resid, ssr).V[0, 0];
    }

    // ---------------------------------------------------------------- shared pieces

    internal static GramSolver Decompose(List<double[]> transformed, List<double[]> raw, List<string> names, EstimationOptions o, List<string> warnings, out List<int> kept, out List<string> omitted)
    {
        var qr = new GramSolver(transformed, raw.Select(Norm).ToList(), Collinearity.Gram);
        kept = [.. qr.Kept];
        omitted = qr.Dropped.Select(i => names[i]).ToList();
        ReportOmitted(omitted, o, warnings);
        return qr;
    }

    /// <summary>Applies the collinearity policy to the omitted regressors: an error, or one note each.</summary>
    internal static void ReportOmitted(List<string> omitted, EstimationOptions o, List<string> warnings)
    {
        if (omitted.Count > 0 && o.Collinear == CollinearPolicy.Error)
            throw new EstimationException($"regressor '{omitted[0]}' is constant, perfectly collinear with the other regressors, or absorbed by the fixed effects; remove it (or let it be omitted, as Stata does, with --drop-collinear)");
        foreach (var nm in omitted) warnings.Add($"note: {nm} omitted because of collinearity");
    }

    /// <summary>Stops a linear fit left with no coefficient, or with only the intercept of a model that had slopes.</summary>
    internal static void CheckRegressorsLeft(Formula f, bool hasFe, int kept, IReadOnlyList<string> names, int slopes, List<string> omitted)
    {
        if (kept == 0 || (!hasFe && kept == 1 && slopes > 0 && names[0] == "(Intercept)" && omitted.Count == slopes))
            throw new EstimationException($"no regressor left to estimate in '{f.Source}'" + (omitted.Count > 0 ? $" (omitted: {string.Join(", ", omitted)})" : ""));
    }

    internal static void CheckDf(int n, int k, int absorbed, Formula f)
    {
        if (n - k - absorbed <= 0)
            throw new EstimationException($"not enough observations: {n} rows for {k} coefficients and {absorbed} absorbed fixed-effect levels in '{f.Source}'");
    }

    /// <summary>The warning that the two-way clustered variance was made positive semi-definite.</summary>
    internal static void AddEigenFixWarning(EstimationOptions o, VcovOutput vc, List<string> warnings)
    {
        if (vc.ZeroedEigenvalues > 0)
            warnings.Add($"the two-way clustered variance V_{o.Vcov.ClusterColumns[0]} + V_{o.Vcov.ClusterColumns[^1]} − V_both (Cameron, Gelbach & Miller 2011) is not positive semi-definite: "
                + $"{vc.ZeroedEigenvalues} negative eigenvalue(s) (smallest {vc.MinEigenvalue.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}) set to 0, as fixest and reghdfe do; "
                + "standard errors and the Wald test use the fixed matrix");
    }

    /// <summary>The warning for a coefficient whose standard error is not a finite number.</summary>
    internal static void AddStdErrorWarning(Coefficient c, double variance, List<string> warnings)
    {
        if (!double.IsFinite(c.StdError))
            warnings.Add($"no standard error for '{c.Term}': its variance is {variance.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}; its test and interval are left empty");
    }

    internal static RegressionResult Assemble(Formula f, EstimatorKind kind, ModelData d, EstimationOptions o, List<string> names, double[] b, VcovOutput vc,
        int dfResid, double ssr, double r2, double? r2Within, List<string> warnings, List<string> omitted, bool zTests, Absorber? absorber)
    {
        double dfTests = zTests ? double.PositiveInfinity : vc.DfTests;
        AddEigenFixWarning(o, vc, warnings);
        var table = vc.CoefficientDf is { } coefDf && !zTests
            ? [.. names.Select((nm, i) => Row(nm, b[i], vc.V[i, i], coefDf[i], Distributions.CriticalValue(o.ConfidenceLevel, coefDf[i]), z: false))]
            : Table(names, b, vc.V, dfTests, o.ConfidenceLevel, zTests);
        foreach (var c in table) AddStdErrorWarning(c, vc.V[names.IndexOf(c.Term), names.IndexOf(c.Term)], warnings);
        var slopeIdx = names.Select((nm, i) => (nm, i)).Where(p => p.nm != "(Intercept)").Select(p => p.i).ToArray();
        TestResult? wald = null;
        if (slopeIdx.Length > 0)
        {
            var bs = slopeIdx.Select(i => b[i]).ToArray();
            var vs = Sub(vc.V, slopeIdx);
            if (bs.Any(x => !double.IsFinite(x)) || vs.Cast<double>().Any(x => !double.IsFinite(x)))
                warnings.Add("no Wald test of the slopes: the variance matrix has entries that are not finite numbers");
            else
            {
                double w;
                int df1 = slopeIdx.Length;
                if (vc.ZeroedEigenvalues > 0)
                {
                    // The fixed matrix is singular: a generalised inverse, with df its rank (Stata drops constraints the same way).
                    var (inv, rank) = Dense.PseudoInverseSymmetric(vs);
                    var t = Dense.MultiplyVector(inv, bs);
                    w = 0;
                    for (int i = 0; i < bs.Length; i++) w += bs[i] * t[i];
                    df1 = rank;
                    if (rank < slopeIdx.Length) warnings.Add($"the Wald test uses a generalised inverse of the fixed variance; df = its rank, {rank}");
                }
                else w = Dense.QuadraticInverse(bs, vs);
                if (df1 > 0)
                    wald = zTests
                        ? new TestResult("Wald chi2", w, df1, null, Distributions.ChiSquaredUpper(w, df1))
                        : new TestResult("Wald F", w / df1, df1, vc.DfTests, Distributions.FUpper(w / df1, df1, vc.DfTests));
            }
        }
        var fes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (absorber is not null)
            for (int i = 0; i < d.FeNames.Count; i++) fes[d.FeNames[i]] = absorber.Levels[i];
        int m = names.Count;
        var cov = new IReadOnlyList<double>[m];
        for (int i = 0; i < m; i++) { var row = new double[m]; for (int j = 0; j < m; j++) row[j] = vc.V[i, j]; cov[i] = row; }
        return new RegressionResult
        {
            Formula = f.Source,
            Estimator = kind,
            N = d.N,
            DfResid = dfResid,
            DfTests = dfTests,
            Clusters = vc.Clusters,
            Vcov = o.Vcov.ToString(),
            SmallSampleFactor = vc.Factor,
            CoefficientDf = zTests ? null : vc.CoefficientDf,
            Coefficients = table,
            Covariance = cov,
            R2 = r2,
            R2Within = r2Within,
            AdjR2 = 1 - (1 - r2) * (d.N - 1) / dfResid,
            Ssr = ssr,
            Sigma = Math.Sqrt(ssr / dfResid),
            WaldTest = wald,
            FixedEffects = fes,
            AbsorbedDf = absorber?.AbsorbedDf ?? 0,
            DemeanMethod = absorber?.Method ?? DemeanMethod.None,
            DemeanIterations = absorber?.MaxIterationsUsed ?? 0,
            Omitted = omitted,
            SingletonsRemoved = d.SingletonRows.Count,
            Warnings = warnings,
            Weights = o.Weights,
            SumWeights = d.Weights is null ? null : SumOf(d.Weights),
        };
    }

    private static double SumOf(double[] a) { double s = 0; foreach (double v in a) s += v; return s; }

    internal static List<Coefficient> Table(IReadOnlyList<string> names, double[] b, double[,] v, double df, double level, bool z)
    {
        double crit = Distributions.CriticalValue(level, z ? double.PositiveInfinity : df);
        var list = new List<Coefficient>(names.Count);
        for (int i = 0; i < names.Count; i++) list.Add(Row(names[i], b[i], v[i, i], df, crit, z));
        return list;
    }

    /// <summary>One row of a coefficient table from the estimate, its variance and the critical value.</summary>
    internal static Coefficient Row(string name, double b, double variance, double df, double crit, bool z)
    {
        double se = Math.Sqrt(variance);
        double t = b / se;
        double p = z ? Distributions.NormalTwoSided(t) : Distributions.StudentTTwoSided(t, df);
        return new Coefficient(name, b, se, t, p, b - crit * se, b + crit * se);
    }

    internal static void AddStataR2(Dictionary<string, double> stats, int[] groups, double[] y, List<double[]> x, double[] b)
    {
        // Stata xtreg R-sq: within = corr(y − ȳᵢ, (x − x̄ᵢ)b)², between = corr(ȳᵢ, x̄ᵢb)², overall = corr(y, xb)².
        int n = y.Length, g = groups.Max() + 1;
        var cnt = new double[g];
        foreach (int u in groups) cnt[u]++;
        var xb = new double[n];
        for (int j = 0; j < x.Count; j++) for (int i = 0; i < n; i++) xb[i] += x[j][i] * b[j];
        var ym = UnitMeans(y, groups, g, cnt);
        var xbm = UnitMeans(xb, groups, g, cnt);
        var yw = new double[n];
        var xbw = new double[n];
        for (int i = 0; i < n; i++) { yw[i] = y[i] - ym[groups[i]]; xbw[i] = xb[i] - xbm[groups[i]]; }
        stats["r2_within_stata"] = Square(Correlation(yw, xbw));
        stats["r2_between_stata"] = Square(Correlation(ym, xbm));
        stats["r2_overall_stata"] = Square(Correlation(y, xb));
    }

    internal static double[] Ones(int n) { var a = new double[n]; Array.Fill(a, 1.0); return a; }

    internal static double[] Residuals(double[] y, IReadOnlyList<double[]> x, double[] b)
    {
        var r = (double[])y.Clone();
        for (int j = 0; j < x.Count; j++) ThinQr.Axpy(-b[j], x[j], r);
        return r;
    }

    internal static double[] Subtract(double[] a, double[] b) { var r = new double[a.Length]; for (int i = 0; i < r.Length; i++) r[i] = a[i] - b[i]; return r; }

    internal static double Dot(double[] a, double[] b) => ThinQr.Dot(a, b);

    internal static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    internal static double Mean(double[] a) { double s = 0; foreach (double v in a) s += v; return s / a.Length; }

    internal static double Square(double v) => v * v;

    internal static double CenteredSumSquares(double[] y)
    {
        double m = Mean(y), s = 0;
        foreach (double v in y) s += (v - m) * (v - m);
        return s;
    }

    internal static double Correlation(double[] a, double[] b)
    {
        double ma = Mean(a), mb = Mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { double da = a[i] - ma, db = b[i] - mb; sab += da * db; saa += da * da; sbb += db * db; }
        return sab / Math.Sqrt(saa * sbb);
    }

    internal static double[] UnitMeans(double[] x, int[] unit, int g, double[] count)
    {
        var m = new double[g];
        for (int i = 0; i < x.Length; i++) m[unit[i]] += x[i];
        for (int u = 0; u < g; u++) m[u] /= count[u];
        return m;
    }

    internal static double[,] Sub(double[,] v, int[] idx)
    {
        var r = new double[idx.Length, idx.Length];
        for (int i = 0; i < idx.Length; i++) for (int j = 0; j < idx.Length; j++) r[i, j] = v[idx[i], idx[j]];
        return r;
    }
}
