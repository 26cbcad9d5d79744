using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>Stepwise (Baron–Kenny) mediation: the three regressions and the Sobel test of a·b.</summary>
/// <param name="Total">c: Y on X (step 1).</param>
/// <param name="APath">a: M on X (step 2).</param>
/// <param name="Direct">c′: X in Y on X and M (step 3).</param>
/// <param name="BPath">b: M in Y on X and M (step 3).</param>
/// <param name="Indirect">a·b (equals c − c′ when the samples agree).</param>
/// <param name="SobelZ">a·b / sqrt(b²·se_a² + a²·se_b²).</param>
/// <param name="SobelP">Two-sided normal p-value of the Sobel z.</param>
/// <param name="AroianZ">As Sobel with + se_a²·se_b² under the root.</param>
/// <param name="AroianP">Its two-sided normal p-value.</param>
public sealed record MediationResult(
    Coefficient Total, Coefficient APath, Coefficient Direct, Coefficient BPath,
    double Indirect, double SobelZ, double SobelP, double AroianZ, double AroianP);

/// <summary>Cluster-bootstrap inference on the indirect effect a·b.</summary>
/// <param name="A">Summary of the a path.</param>
/// <param name="B">Summary of the b path.</param>
/// <param name="Indirect">Summary of a·b.</param>
/// <param name="Draws">Every replicate's (a, b, a·b), in replicate order.</param>
public sealed record MediationBootstrap(Resampling.BootstrapSummary A, Resampling.BootstrapSummary B, Resampling.BootstrapSummary Indirect, IReadOnlyList<double[]> Draws);

/// <summary>Mechanism analysis (docs/methods.md, "Estimation").</summary>
public static class Mediation
{
    /// <summary>
    /// Baron–Kenny mediation of X on Y through M with the same controls, fixed effects and variance estimator in all three
    /// regressions: <paramref name="total"/> is Y ~ X + controls | fe (X its first regressor), <paramref name="mediator"/> is M.
    /// The paths are built from the total formula's tree (<see cref="PathModels(ModelSpec, Formulas.Expr)"/>): no formula text.
    /// </summary>
    public static MediationResult BaronKenny(Panel panel, Formulas.Formula total, Formulas.Expr mediator, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(mediator);
        var (a, b) = PathModels(new ModelSpec { Formula = total }, mediator);
        var fitTotal = Estimation.Fit(panel, total, options);
        var fitA = Estimation.Fit(panel, a.Formula, options);
        var full = Estimation.Fit(panel, b.Formula, options);
        string x = total.Regressors[0].Text;
        return Combine(fitTotal[x], fitA[x], full[x], full[mediator.Text]);
    }

    /// <summary>
    /// The indirect effect a·b of the three fitted paths with its Sobel and Aroian tests:
    /// z = a·b / sqrt(b²·se_a² + a²·se_b² [+ se_a²·se_b² for Aroian]), two-sided normal p-values.
    /// </summary>
    public static MediationResult Combine(Coefficient total, Coefficient a, Coefficient direct, Coefficient b)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(direct);
        ArgumentNullException.ThrowIfNull(b);
        double ab = a.Estimate * b.Estimate;
        double v = b.Estimate * b.Estimate * a.StdError * a.StdError + a.Estimate * a.Estimate * b.StdError * b.StdError;
        double sobel = ab / Math.Sqrt(v);
        double aroian = ab / Math.Sqrt(v + a.StdError * a.StdError * b.StdError * b.StdError);
        return new MediationResult(total, a, direct, b, ab, sobel, Distributions.NormalTwoSided(sobel), aroian, Distributions.NormalTwoSided(aroian));
    }

    /// <summary>
    /// Pairs cluster bootstrap of a, b and a·b (units resampled with their whole series, each copy its
    /// own unit; the fixed effects of <paramref name="total"/> are re-estimated on every
    /// replicate). Replicate r uses stream (seed, <paramref name="key"/>, r), so the draws are the same
    /// whether computed here in one call or in blocks by <see cref="BootstrapDraws(Data.Panel, ModelSpec, ModelSpec, long, string, int, int, EstimationOptions?)"/> (a study's
    /// mediation analysis keys its streams by analysis and mediator).
    /// </summary>
    public static MediationBootstrap Bootstrap(Data.Panel panel, Formulas.Formula total, Formulas.Expr mediator, int replicates, long seed, EstimationOptions? options = null,
        string key = "mediation", double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (replicates < 2) throw new InputException($"bootstrap: {replicates} replicates; use at least 2 (999 is common)");
        var (a, b) = PathModels(new ModelSpec { Formula = total }, mediator);
        var point = Paths(panel, a, b, options);
        return Summarise(point, BootstrapDraws(panel, a, b, seed, key, 0, replicates, options), level);
    }

    /// <summary>
    /// (a, b, a·b) of typed path models (see <see cref="PathModels(ModelSpec, Formulas.Expr)"/>): a is the first regressor of <paramref name="a"/>
    /// (X in M on X …), b the second regressor of <paramref name="b"/> (M in Y on X, M …). Fitted with <paramref name="options"/>.
    /// </summary>
    public static double[] Paths(Data.Panel panel, ModelSpec a, ModelSpec b, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double ea = Estimation.Fit(panel, a.Formula, options)[a.Formula.Regressors[0].Text].Estimate;
        double eb = Estimation.Fit(panel, b.Formula, options)[b.Formula.Regressors[1].Text].Estimate;
        return [ea, eb, ea * eb];
    }

    /// <summary>
    /// The a- and b-path models of mediator <paramref name="mediator"/> (a data column) from the total model Y ~ X + controls | fe
    /// (X its first regressor): a = M ~ X + controls | fe, b = Y ~ X + M + controls | fe (M right after X), with the total
    /// model's estimator, variance, filters, weights and singleton rule. Built from the formula tree: nothing is printed or parsed.
    /// </summary>
    /// <exception cref="InputException">A total model without a regressor or with an IV part, or a mediator already among its terms.</exception>
    public static (ModelSpec A, ModelSpec B) PathModels(ModelSpec total, string mediator) => PathModels(total, new Formulas.VarExpr(mediator));

    /// <summary>The a- and b-path models of a mediator given as a term (a column, or e.g. <c>log(emp)</c>); see <see cref="PathModels(ModelSpec, string)"/>.</summary>
    /// <exception cref="InputException">A total model without a regressor or with an IV part.</exception>
    public static (ModelSpec A, ModelSpec B) PathModels(ModelSpec total, Formulas.Expr m)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(m);
        var f = total.Formula;
        if (f.Regressors.Count == 0 || f.IsIv) throw new InputException($"mediation needs a model Y ~ X + controls without instruments; '{f.Source}' is not one");
        var a = Formulas.Formula.Of(m, f.Regressors, f.FixedEffects);
        var b = Formulas.Formula.Of(f.Response, [f.Regressors[0], m, .. f.Regressors.Skip(1)], f.FixedEffects);
        return (total with { Formula = a }, total with { Formula = b });
    }

    /// <summary>Replicates [first, first + count) of (a, b, a·b) of typed path models (no formula parsed per replicate); a replicate that cannot be estimated is [NaN].</summary>
    public static double[][] BootstrapDraws(Data.Panel panel, ModelSpec a, ModelSpec b, long seed, string key, int first, int count, EstimationOptions? options = null) =>
        Resampling.ClusterBootstrap.Run(panel, p => Paths(p, a, b, options), seed, key, first, count);

    /// <summary>The summaries of a, b and a·b from the point values and the draws in replicate order (failed replicates dropped).</summary>
    public static MediationBootstrap Summarise(double[] point, IReadOnlyList<double[]> draws, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(draws);
        var ok = draws.Where(d => d.Length == 3).ToList();
        return new MediationBootstrap(
            Resampling.ClusterBootstrap.Summarise(point[0], ok.Select(d => d[0]), level),
            Resampling.ClusterBootstrap.Summarise(point[1], ok.Select(d => d[1]), level),
            Resampling.ClusterBootstrap.Summarise(point[2], ok.Select(d => d[2]), level),
            draws);
    }
}
