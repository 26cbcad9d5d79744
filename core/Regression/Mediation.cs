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

/// <summary>Mechanism analysis (METHODS.md §5.3).</summary>
public static class Mediation
{
    /// <summary>
    /// Baron–Kenny mediation of X on Y through M with the same controls, fixed effects and variance
    /// estimator in all three regressions. <paramref name="controlsAndFe"/> is the formula's tail after
    /// the treatment, e.g. <c>"+ log(pc) + unemp | state + year"</c>.
    /// </summary>
    public static MediationResult BaronKenny(Panel panel, string y, string x, string m, string controlsAndFe, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(controlsAndFe);
        var total = Estimation.Fit(panel, $"{y} ~ {x} {controlsAndFe}", options);
        var a = Estimation.Fit(panel, $"{m} ~ {x} {controlsAndFe}", options);
        var full = Estimation.Fit(panel, $"{y} ~ {x} + {m} {controlsAndFe}", options);
        var ca = a.Coefficients.Single(c => c.Term == Formulas.Formula.Parse($"{m} ~ {x}").Regressors[0].Text);
        var cb = full.Coefficients.Single(c => c.Term == Formulas.Formula.Parse($"{y} ~ {m}").Regressors[0].Text);
        string xName = Formulas.Formula.Parse($"{y} ~ {x}").Regressors[0].Text;
        double ab = ca.Estimate * cb.Estimate;
        double v = cb.Estimate * cb.Estimate * ca.StdError * ca.StdError + ca.Estimate * ca.Estimate * cb.StdError * cb.StdError;
        double sobel = ab / Math.Sqrt(v);
        double aroian = ab / Math.Sqrt(v + ca.StdError * ca.StdError * cb.StdError * cb.StdError);
        return new MediationResult(total[xName], ca, full[xName], cb, ab,
            sobel, Distributions.NormalTwoSided(sobel), aroian, Distributions.NormalTwoSided(aroian));
    }
}
