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
            EstimatorKind.RandomEffects => RandomEffects(formula, data, options),
            EstimatorKind.Iv2sls or EstimatorKind.IvGmm2s => Iv(formula, data, options, kind),
            _ => Linear(formula, data, options, kind),
        };
    }

    /// <summary>
    /// Fits once and computes every variance estimator in <paramref name="variances"/> from that fit: for
    /// OLS and within fits one sample (rows missing any of their cluster columns are left out), one
    /// demeaning and one solve; the results differ only in the variance, tests and intervals. RE and IV
    /// fits are refitted per estimator (their variance enters the estimation: gmm2s weights, diagnostics).
    /// <c>options.Vcov</c> is ignored.
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
        if (variances.Count == 1 || kind is not (EstimatorKind.Ols or EstimatorKind.Within))
            return [.. variances.Select(v => Fit(panel, formula, options with { Vcov = v }))];
        foreach (var v in variances) CheckVariance(kind, v, options.Weights);
        var data = ModelData.Build(panel, formula, first, variances);
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
    private static double[]? SqrtWeights(double[]? weights)
    {
        if (weights is null) return null;
        var r = new double[weights.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Sqrt(weights[i]);
        return r;
    }

    private static void ScaleInPlace(double[] x, double[] by) { for (int i = 0; i < x.Length; i++) x[i] *= by[i]; }

    private static double[] Scaled(double[] x, double[] by) { var r = new double[x.Length]; for (int i = 0; i < r.Length; i++) r[i] = x[i] * by[i]; return r; }

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

    // ---------------------------------------------------------------- random effects

    private static RegressionResult RandomEffects(Formula f, ModelData d, EstimationOptions o)
    {
        var warnings = new List<string>(d.Warnings);
        int n = d.N, g = d.UnitCount;
        var unitAbsorber = new Absorber([d.Unit]);
        var tCount = new double[g];
        foreach (int u in d.Unit) tCount[u]++;
        // Within regression: σ²_e.
        var yW = unitAbsorber.Demean(d.Y);
        var xW = d.X.Select(unitAbsorber.Demean).ToList();
        var qrW = new ThinQr(xW, Collinearity.Qr, d.X.Select(Norm).ToList());
        var bW = qrW.Solve(yW);
        var rW = Residuals(yW, qrW.Kept.Select(i => xW[i]).ToList(), bW);
        int kW = qrW.Rank;
        double sigma2e = Dot(rW, rW) / (n - g - kW);
        // Between regression on unit means (with intercept): σ²_u.
        var ybar = UnitMeans(d.Y, d.Unit, g, tCount);
        var xbarUnits = d.X.Select(x => UnitMeans(x, d.Unit, g, tCount)).ToList();
        var bCols = new List<double[]> { Ones(g) };
        bCols.AddRange(xbarUnits);
        var qrB = new ThinQr(bCols, Collinearity.Qr);
        var bB = qrB.Solve(ybar);
        var rB = Residuals(ybar, qrB.Kept.Select(i => bCols[i]).ToList(), bB);
        double ssrB = Dot(rB, rB);
        int kB = qrB.Rank;
        bool balanced = tCount.All(t => t == tCount[0]);
        double tBar = balanced ? tCount[0] : g / tCount.Sum(t => 1 / t);
        double sigma2u = ssrB / (g - kB) - sigma2e / tBar;
        if (!balanced) warnings.Add($"unbalanced panel: σ²_u uses the harmonic mean of T ({tBar:0.###}), as Stata xtreg, re; this case is not validated against a peer");
        if (sigma2u < 0)
        {
            warnings.Add($"the between-variance estimate is negative ({sigma2u:g4}); σ²_u set to 0, random effects reduce to pooled OLS");
            sigma2u = 0;
        }
        var theta = new double[g];
        for (int u = 0; u < g; u++) theta[u] = 1 - Math.Sqrt(sigma2e / (tCount[u] * sigma2u + sigma2e));
        // Quasi-demeaned regression.
        var names = new List<string> { "(Intercept)" };
        names.AddRange(d.XNames);
        var rawCols = new List<double[]> { Ones(n) };
        rawCols.AddRange(d.X);
        double[] Quasi(double[] x)
        {
            var m = UnitMeans(x, d.Unit, g, tCount);
            var r = new double[n];
            for (int i = 0; i < n; i++) r[i] = x[i] - theta[d.Unit[i]] * m[d.Unit[i]];
            return r;
        }
        var yS = Quasi(d.Y);
        var xS = rawCols.Select(Quasi).ToList();
        var qr = Decompose(xS, rawCols, names, o, warnings, out var kept, out var omitted);
        var b = qr.Solve(yS);
        var xk = kept.Select(i => xS[i]).ToList();
        var resid = Residuals(yS, xk, b);
        double ssr = Dot(resid, resid);
        int k = kept.Count;
        CheckDf(n, k, 0, f);
        var input = new VcovInput(o.Vcov, n, k, 0, false, null, d.ClusterCodes, d.ClusterNames);
        var vc = VcovEngine.Compute(input, qr.InverseCrossProduct(), xk, resid, ssr);
        var fitted = new double[n];
        for (int i = 0; i < n; i++) fitted[i] = yS[i] - resid[i];
        double r2 = Square(Correlation(yS, fitted));
        var keptNames = kept.Select(i => names[i]).ToList();
        var stats = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["sigma_e"] = Math.Sqrt(sigma2e),
            ["sigma_u"] = Math.Sqrt(sigma2u),
            ["sigma2_e"] = sigma2e,
            ["sigma2_u"] = sigma2u,
            ["rho"] = sigma2u / (sigma2u + sigma2e),
        };
        if (balanced) stats["theta"] = theta[0];
        else { stats["theta_min"] = theta.Min(); stats["theta_max"] = theta.Max(); }
        var slopeIdx = keptNames.Select((nm, j) => (nm, j)).Where(p => p.nm != "(Intercept)").Select(p => p.j).ToList();
        AddStataR2(stats, d.Unit, d.Y, slopeIdx.Select(j => rawCols[kept[j]]).ToList(), slopeIdx.Select(j => b[j]).ToArray());
        var result = Assemble(f, EstimatorKind.RandomEffects, d, o, keptNames, b, vc, n - k, ssr, r2, stats.GetValueOrDefault("r2_within_stata"), warnings, omitted, zTests: true, null);
        return result with { Statistics = stats };
    }

    // ---------------------------------------------------------------- IV

    private static RegressionResult Iv(Formula f, ModelData d, EstimationOptions o, EstimatorKind kind)
    {
        var warnings = new List<string>(d.Warnings);
        var absorber = new Absorber(d.FeCodes, d.Weights, o.Tolerance, o.MaxIterations);
        bool hasFe = d.FeCodes.Count > 0;
        int n = d.N;
        var sw = SqrtWeights(d.Weights);
        var exogRaw = new List<double[]>();
        var exogNames = new List<string>();
        if (!hasFe) { exogRaw.Add(Ones(n)); exogNames.Add("(Intercept)"); }
        exogRaw.AddRange(d.X);
        exogNames.AddRange(d.XNames);
        var yT = absorber.Demean(d.Y);
        var exogT = exogRaw.Select(absorber.Demean).ToList();
        var endogT = d.Endog.Select(absorber.Demean).ToList();
        var instT = d.Inst.Select(absorber.Demean).ToList();
        if (sw is not null)
        {
            // Weighted 2SLS/GMM: both stages on √w·(weighted within transform), as ivreg2 aweights and fixest.
            ScaleInPlace(yT, sw);
            foreach (var c in exogT.Concat(endogT).Concat(instT)) ScaleInPlace(c, sw);
        }
        // Instruments: excluded first, then the included exogenous regressors.
        var zRaw = sw is null ? d.Inst.Concat(exogRaw).ToList() : [.. d.Inst.Concat(exogRaw).Select(c => Scaled(c, sw))];
        var zT = instT.Concat(exogT).ToList();
        var zNames = d.InstNames.Concat(exogNames).ToList();
        var qrZ = new ThinQr(zT, Collinearity.Qr, zRaw.Select(Norm).ToList());
        foreach (int j in qrZ.Dropped)
            warnings.Add($"instrument {zNames[j]} omitted because of collinearity");
        var zKeptIdx = qrZ.Kept.ToList();
        var excludedKept = zKeptIdx.Where(j => j < d.Inst.Count).ToList();
        int k1 = d.Endog.Count, l1 = excludedKept.Count, l = qrZ.Rank;
        if (l1 < k1)
            throw new EstimationException($"under-identified: {k1} endogenous regressor(s) but {l1} usable excluded instrument(s) in '{f.Source}'");
        // Structural regressors: endogenous first, then exogenous.
        var xRaw = sw is null ? d.Endog.Concat(exogRaw).ToList() : [.. d.Endog.Concat(exogRaw).Select(c => Scaled(c, sw))];
        var xT = endogT.Concat(exogT).ToList();
        var xNames = d.EndogNames.Concat(exogNames).ToList();
        var xHat = xT.Select(qrZ.Project).ToList();
        var qrX = Decompose(xHat, xRaw, xNames, o, warnings, out var kept, out var omitted);
        int k = kept.Count;
        CheckDf(n, k, absorber.AbsorbedDf, f);
        var xk = kept.Select(i => xT[i]).ToList();
        var xHatK = kept.Select(i => xHat[i]).ToList();
        var zK = zKeptIdx.Select(j => zT[j]).ToList();
        var b = qrX.Solve(yT);
        var resid = Residuals(yT, xk, b);
        var input = new VcovInput(o.Vcov, n, k, absorber.AbsorbedDf, hasFe, hasFe ? absorber : null, d.ClusterCodes, d.ClusterNames);
        VcovOutput vc;
        TestResult? overId = null;
        bool robust = o.Vcov.Kind != VcovKind.Iid;
        if (kind == EstimatorKind.IvGmm2s && robust)
        {
            var gmm = Gmm2s(input, xk, zK, yT, resid);
            b = gmm.B;
            resid = gmm.Resid;
            vc = gmm.Vcov;
            if (l > k) overId = new TestResult("Hansen J", gmm.J, l - k, null, Distributions.ChiSquaredUpper(gmm.J, l - k));
        }
        else
        {
            if (kind == EstimatorKind.IvGmm2s) warnings.Add("gmm2s with iid errors is identical to 2SLS");
            vc = VcovEngine.Compute(input, qrX.InverseCrossProduct(), xHatK, resid, Dot(resid, resid));
            if (l > k)
            {
                if (robust)
                {
                    double j = Gmm2s(input, xk, zK, yT, resid).J;
                    overId = new TestResult("Hansen J", j, l - k, null, Distributions.ChiSquaredUpper(j, l - k));
                }
                else
                {
                    var pu = qrZ.Project(resid);
                    double sargan = Dot(pu, resid) / (Dot(resid, resid) / n);
                    overId = new TestResult("Sargan", sargan, l - k, null, Distributions.ChiSquaredUpper(sargan, l - k));
                }
            }
        }
        double ssr = Dot(resid, resid);
        int dfResid = n - k - absorber.AbsorbedDf;
        double r2 = 1 - ssr / (d.Weights is null ? CenteredSumSquares(d.Y) : WeightedCenteredSumSquares(d.Y, d.Weights));
        double? r2Within = hasFe ? 1 - ssr / Dot(yT, yT) : null;
        // First stages and identification diagnostics.
        var firstStages = new List<FirstStage>();
        var zKeptNames = zKeptIdx.Select(j => zNames[j]).ToList();
        var exogKeptT = zKeptIdx.Where(j => j >= d.Inst.Count).Select(j => zT[j]).ToList();
        var qrExog = exogKeptT.Count > 0 ? new ThinQr(exogKeptT, Collinearity.PartialOut) : null;
        double[] PartialOut(double[] v) => qrExog is null ? v : Subtract(v, qrExog.Project(v));
        var z1p = excludedKept.Select(j => PartialOut(zT[j])).ToList();
        var x1p = endogT.Select(PartialOut).ToList();
        var qrZ1 = new ThinQr(z1p, Collinearity.PartialOut);
        var fsInput = input with { K = l };
        var bzInv = qrZ.InverseCrossProduct();
        for (int e = 0; e < k1; e++)
        {
            var pi = qrZ.Solve(endogT[e]);
            var v = Residuals(endogT[e], zK, pi);
            var fvc = VcovEngine.Compute(fsInput, bzInv, zK, v, Dot(v, v));
            var coefs = Table(zKeptNames, pi, fvc.V, fvc.DfTests, o.ConfidenceLevel, false);
            var idx = Enumerable.Range(0, l1).ToArray();
            var sub = Sub(fvc.V, idx);
            var piEx = idx.Select(i => pi[i]).ToArray();
            double fstat = Dense.QuadraticInverse(piEx, sub) / l1;
            var ftest = new TestResult("F excluded instruments", fstat, l1, fvc.DfTests, Distributions.FUpper(fstat, l1, fvc.DfTests));
            var px = qrZ1.Project(x1p[e]);
            firstStages.Add(new FirstStage(d.EndogNames[e], coefs, ftest, Dot(px, px) / Dot(x1p[e], x1p[e])));
        }
        var diag = IdentificationDiagnostics(o, input, d, x1p, z1p, qrZ1, n, l, l1, k1, absorber.AbsorbedDf, warnings);
        WeakInstrumentWarning(diag, warnings);
        var keptNames = kept.Select(i => xNames[i]).ToList();
        var result = Assemble(f, kind, d, o, keptNames, b, vc, dfResid, ssr, r2, r2Within, warnings, omitted, zTests: false, absorber);
        var stats = new Dictionary<string, double>(StringComparer.Ordinal);
        if (r2Within is not null) stats["adj_r2_within"] = 1 - (1 - r2Within.Value) * (n - 1) / dfResid;
        return result with { FirstStages = firstStages, Iv = diag with { OverIdentification = overId }, Statistics = stats };
    }

    private sealed record GmmFit(double[] B, double[] Resid, VcovOutput Vcov, double J);

    /// <summary>Two-step efficient GMM with weight S⁻¹ built from first-step (2SLS) residuals.</summary>
    private static GmmFit Gmm2s(VcovInput input, List<double[]> x, List<double[]> z, double[] y, double[] resid1)
    {
        var s = input.Spec.Kind == VcovKind.Hc1 ? VcovEngine.HcMeat(z, resid1) : VcovEngine.ClusterMeat(z, resid1, input.ClusterCodes[0], input.ClusterCodes[0].Max() + 1);
        if (input.Spec.Kind == VcovKind.Cluster && input.ClusterCodes.Count > 1)
            throw new InputException("iv-gmm2s supports one cluster column; use iv-2sls for two-way clustering");
        var w = Dense.InverseSpd(s) ?? Dense.PseudoInverseSymmetric(s).Inverse;
        int k = x.Count, l = z.Count;
        var a = new double[k, l];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < l; j++) a[i, j] = Dot(x[i], z[j]);
        var zy = z.Select(c => Dot(c, y)).ToArray();
        var aw = Dense.Multiply(a, w);
        var m = Dense.Sandwich(a, w);
        var mInv = Dense.InverseSpd(m) ?? throw new EstimationException("gmm2s: the weighted moment matrix is singular");
        var b = Dense.MultiplyVector(mInv, Dense.MultiplyVector(aw, zy));
        var r = Residuals(y, x, b);
        var zr = z.Select(c => Dot(c, r)).ToArray();
        double j2 = 0;
        var wzr = Dense.MultiplyVector(w, zr);
        for (int i = 0; i < l; i++) j2 += zr[i] * wzr[i];
        // Small-sample factor as for the 2SLS sandwich under the same convention.
        var probe = VcovEngine.Compute(input, new double[k, k], x, r, 0);
        double factor = double.IsNaN(probe.Factor) ? 1 : probe.Factor;
        return new GmmFit(b, r, probe with { V = Dense.Scale(mInv, factor) }, j2);
    }

    private static IvDiagnostics IdentificationDiagnostics(EstimationOptions o, VcovInput input, ModelData d, List<double[]> x1p, List<double[]> z1p, ThinQr qrZ1, int n, int l, int l1, int k1, int absorbed, List<string> warnings)
    {
        // Canonical correlations of the endogenous regressors with the excluded instruments.
        var bmat = new double[k1, k1];
        var mmat = new double[k1, k1];
        var proj = x1p.Select(qrZ1.Project).ToList();
        for (int i = 0; i < k1; i++)
            for (int j = 0; j < k1; j++) { bmat[i, j] = Dot(x1p[i], x1p[j]); mmat[i, j] = Dot(proj[i], x1p[j]); }
        var bInv = Dense.InverseSpd(bmat) ?? throw new EstimationException("the endogenous regressors are collinear after partialling out the exogenous ones");
        var rho2 = MinGeneralizedEigen(mmat, bInv);
        double cd = rho2 / (1 - rho2);
        double cdf = cd * (n - l - absorbed) / l1;
        int lmDf = l1 - k1 + 1;
        double? rkf = null;
        TestResult lm;
        if (o.Vcov.Kind == VcovKind.Iid)
        {
            double anderson = n * rho2;
            lm = new TestResult("Anderson canonical correlation LM", anderson, lmDf, null, Distributions.ChiSquaredUpper(anderson, lmDf));
        }
        else if (k1 == 1)
        {
            // Kleibergen-Paap with one endogenous regressor: the robust Wald and score tests of π = 0.
            var pi = qrZ1.Solve(x1p[0]);
            var v = Residuals(x1p[0], z1p, pi);
            var bread = qrZ1.InverseCrossProduct();
            bool cluster = o.Vcov.Kind == VcovKind.Cluster;
            int g = cluster ? d.ClusterCodes[0].Max() + 1 : 0;
            var meat = cluster ? VcovEngine.ClusterMeat(z1p, v, d.ClusterCodes[0], g) : VcovEngine.HcMeat(z1p, v);
            double chi2 = Dense.QuadraticInverse(pi, Dense.Sandwich(bread, meat));
            rkf = cluster ? chi2 / (n - 1) * (n - l) * (g - 1) / g / l1 : chi2 / n * (n - l - absorbed) / l1;
            var score = z1p.Select(c => Dot(c, x1p[0])).ToArray();
            var meat0 = cluster ? VcovEngine.ClusterMeat(z1p, x1p[0], d.ClusterCodes[0], g) : VcovEngine.HcMeat(z1p, x1p[0]);
            double lmStat = Dense.QuadraticInverse(score, meat0);
            lm = new TestResult("Kleibergen-Paap rk LM", lmStat, lmDf, null, Distributions.ChiSquaredUpper(lmStat, lmDf));
            if (cluster && d.ClusterCodes.Count > 1) warnings.Add("Kleibergen-Paap statistics use the first cluster column only");
        }
        else
        {
            // K1 > 1: the rk Wald statistic of rank(Π) = K1 − 1 by the SVD construction; the under-identification
            // LM reported is the Anderson canonical-correlation LM (the robust rk LM needs the rank-restricted
            // residuals and is not computed for several endogenous regressors).
            bool cluster = o.Vcov.Kind == VcovKind.Cluster;
            int g = cluster ? d.ClusterCodes[0].Max() + 1 : 0;
            var chi2 = RkWaldGeneral(x1p, z1p, qrZ1, n, cluster ? d.ClusterCodes[0] : null);
            rkf = cluster ? chi2 / (n - 1) * (n - l) * (g - 1) / g / l1 : chi2 / n * (n - l - absorbed) / l1;
            double anderson = n * rho2;
            lm = new TestResult("Anderson canonical correlation LM", anderson, lmDf, null, Distributions.ChiSquaredUpper(anderson, lmDf));
            warnings.Add($"with {k1} endogenous regressors the under-identification test is the Anderson LM (not robust); the Kleibergen-Paap rk Wald F is robust");
        }
        return new IvDiagnostics(cdf, rkf, lm, StockYogo.TslsSize(k1, l1), null);
    }

    /// <summary>
    /// Warns when the first-stage F (Kleibergen-Paap rk Wald F under robust errors, else Cragg-Donald) is
    /// below every Stock–Yogo (2005) critical value for 2SLS size, i.e. even a 25 % actual size of a
    /// nominal 5 % Wald test cannot be ruled out (ivreg2 prints the same table).
    /// </summary>
    private static void WeakInstrumentWarning(IvDiagnostics diag, List<string> warnings)
    {
        var critical = diag.StockYogoSize?.Where(c => c > 0).ToList();
        if (critical is null || critical.Count == 0) return;
        bool kp = diag.KleibergenPaapWaldF is not null;
        double f = diag.KleibergenPaapWaldF ?? diag.CraggDonaldF;
        double smallest = critical.Min();
        if (!(f < smallest)) return;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        warnings.Add($"weak instruments: the {(kp ? "Kleibergen-Paap rk Wald" : "Cragg-Donald Wald")} F = {f.ToString("0.00", inv)} is below every Stock-Yogo (2005) critical value "
            + $"(smallest {smallest.ToString("0.00", inv)}, for a 25% maximal size of a nominal 5% test); estimates and tests of the instrumented coefficients are unreliable");
    }

    /// <summary>The general Kleibergen-Paap rk Wald χ² (CR0/HC0 covariance of the first stages).</summary>
    internal static double RkWaldGeneral(List<double[]> x1p, List<double[]> z1p, ThinQr qrZ1, int n, int[]? clusterCodes)
    {
        int k1 = x1p.Count, l1 = z1p.Count;
        var pi = new double[l1, k1];
        var resid = new List<double[]>();
        for (int e = 0; e < k1; e++)
        {
            var p = qrZ1.Solve(x1p[e]);
            for (int j = 0; j < l1; j++) pi[j, e] = p[j];
            resid.Add(Residuals(x1p[e], z1p, p));
        }
        var zz = new double[l1, l1];
        for (int a = 0; a < l1; a++) for (int b = 0; b < l1; b++) zz[a, b] = Dot(z1p[a], z1p[b]);
        var yy = new double[k1, k1];
        for (int a = 0; a < k1; a++) for (int b = 0; b < k1; b++) yy[a, b] = Dot(x1p[a], x1p[b]);
        var v = KleibergenPaap.VarVecPi(z1p, resid, qrZ1.InverseCrossProduct(), clusterCodes);
        return KleibergenPaap.RkStatistic(pi, zz, yy, v, n);
    }

    /// <summary>Smallest eigenvalue of B⁻¹M for symmetric M and SPD B (given B⁻¹), via the symmetric form.</summary>
    private static double MinGeneralizedEigen(double[,] m, double[,] bInv)
    {
        int k = m.GetLength(0);
        if (k == 1) return m[0, 0] * bInv[0, 0];
        // B⁻¹ = C C' (Cholesky); eigenvalues of C' M C are those of B⁻¹ M.
        var c = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(bInv).Cholesky().Factor;
        var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(m);
        var s = c.TransposeThisAndMultiply(mm).Multiply(c);
        return Dense.SymmetricEigenvalues(((s + s.Transpose()) * 0.5).ToArray())[0];
    }

    // ---------------------------------------------------------------- shared pieces

    private static GramSolver Decompose(List<double[]> transformed, List<double[]> raw, List<string> names, EstimationOptions o, List<string> warnings, out List<int> kept, out List<string> omitted)
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

    private static RegressionResult Assemble(Formula f, EstimatorKind kind, ModelData d, EstimationOptions o, List<string> names, double[] b, VcovOutput vc,
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

    private static List<Coefficient> Table(IReadOnlyList<string> names, double[] b, double[,] v, double df, double level, bool z)
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

    private static void AddStataR2(Dictionary<string, double> stats, int[] groups, double[] y, List<double[]> x, double[] b)
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

    private static double[] Residuals(double[] y, IReadOnlyList<double[]> x, double[] b)
    {
        var r = (double[])y.Clone();
        for (int j = 0; j < x.Count; j++) ThinQr.Axpy(-b[j], x[j], r);
        return r;
    }

    private static double[] Subtract(double[] a, double[] b) { var r = new double[a.Length]; for (int i = 0; i < r.Length; i++) r[i] = a[i] - b[i]; return r; }

    private static double Dot(double[] a, double[] b) => ThinQr.Dot(a, b);

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static double Mean(double[] a) { double s = 0; foreach (double v in a) s += v; return s / a.Length; }

    private static double Square(double v) => v * v;

    internal static double CenteredSumSquares(double[] y)
    {
        double m = Mean(y), s = 0;
        foreach (double v in y) s += (v - m) * (v - m);
        return s;
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = Mean(a), mb = Mean(b), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { double da = a[i] - ma, db = b[i] - mb; sab += da * db; saa += da * da; sbb += db * db; }
        return sab / Math.Sqrt(saa * sbb);
    }

    private static double[] UnitMeans(double[] x, int[] unit, int g, double[] count)
    {
        var m = new double[g];
        for (int i = 0; i < x.Length; i++) m[unit[i]] += x[i];
        for (int u = 0; u < g; u++) m[u] /= count[u];
        return m;
    }

    private static double[,] Sub(double[,] v, int[] idx)
    {
        var r = new double[idx.Length, idx.Length];
        for (int i = 0; i < idx.Length; i++) for (int j = 0; j < idx.Length; j++) r[i, j] = v[idx[i], idx[j]];
        return r;
    }
}
