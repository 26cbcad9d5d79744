using System.Text.Json;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Gmm;

/// <summary>
/// Difference and system GMM on the unbalanced EmplUK panel against plm 2.6-2's pgmm (refs/emplUK_gmm.json, made by
/// refs/make_emplUK_gmm.R of the shared validation folder): coefficients, non-robust and robust/Windmeijer SEs, the
/// Hansen test, AR(1)/AR(2) robust and non-robust, the Wald tests, within 1e-6 relative.
/// </summary>
public class GmmEmplUkTests
{
    private static readonly Core.Data.Panel Data = LoadPanel("EmplUK.csv", "firm", "year");
    private static readonly JsonElement Ref = Ref("emplUK_gmm.json");
    private const double Tol = 1e-6;

    /// <summary>plm's coefficient names and the terms they are here.</summary>
    private static readonly (string Plm, string Term)[] AbNames =
    [
        ("lag(log(emp), 1:2)1", "lag(log(emp))"), ("lag(log(emp), 1:2)2", "lag(log(emp),2)"),
        ("lag(log(wage), 0:1)0", "log(wage)"), ("lag(log(wage), 0:1)1", "lag(log(wage))"), ("log(capital)", "log(capital)"),
        ("lag(log(output), 0:1)0", "log(output)"), ("lag(log(output), 0:1)1", "lag(log(output))"),
        ("1979", "1979"), ("1980", "1980"), ("1981", "1981"), ("1982", "1982"), ("1983", "1983"), ("1984", "1984"),
    ];

    private static readonly (string Plm, string Term)[] BbNames =
    [
        ("lag(log(emp), 1)", "lag(log(emp))"), ("lag(log(wage), 0:1)0", "log(wage)"), ("lag(log(wage), 0:1)1", "lag(log(wage))"),
        ("lag(log(capital), 0:1)0", "log(capital)"), ("lag(log(capital), 0:1)1", "lag(log(capital))"), ("(Intercept)", "(Intercept)"),
        ("1978", "1978"), ("1979", "1979"), ("1980", "1980"), ("1981", "1981"), ("1982", "1982"), ("1983", "1983"), ("1984", "1984"),
    ];

    internal static GmmSpec ArellanoBond(bool twoStep) => new(
        Formula.ParseTerm("log(emp)"),
        [.. new[] { "lag(log(emp), 1)", "lag(log(emp), 2)", "log(wage)", "lag(log(wage), 1)", "log(capital)", "log(output)", "lag(log(output), 1)" }.Select(Formula.ParseTerm)],
        [new GmmStyle(Formula.ParseTerm("log(emp)"), 2, 99, false)],
        TwoStep: twoStep);

    internal static GmmSpec BlundellBond(bool twoStep) => new(
        Formula.ParseTerm("log(emp)"),
        [.. new[] { "lag(log(emp), 1)", "log(wage)", "lag(log(wage), 1)", "log(capital)", "lag(log(capital), 1)" }.Select(Formula.ParseTerm)],
        [.. new[] { "log(emp)", "log(wage)", "log(capital)" }.Select(v => new GmmStyle(Formula.ParseTerm(v), 2, 99, false))],
        System: true, TwoStep: twoStep);

    public static TheoryData<string> Cases => new() { "ab_onestep", "ab_twosteps", "bb_onestep", "bb_twosteps" };

    private static (GmmResult Fit, (string Plm, string Term)[] Names) Run(string name)
    {
        bool two = name.EndsWith("twosteps", StringComparison.Ordinal);
        return name.StartsWith("ab", StringComparison.Ordinal)
            ? (GmmEstimator.Fit(Data, ArellanoBond(two)), AbNames)
            : (GmmEstimator.Fit(Data, BlundellBond(two)), BbNames);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CoefficientsAndStandardErrors_MatchPgmm(string name)
    {
        var (fit, names) = Run(name);
        var r = Ref.GetProperty(name);
        Assert.Equal(names.Length, fit.Coefficients.Count);
        Assert.Equal(names.Select(n => n.Term), fit.Coefficients.Select(c => c.Term));
        foreach (var (plm, term) in names)
        {
            Close(r.D("coefficients", plm), fit[term].Estimate, Tol, $"{term} estimate");
            Close(r.D("se_nonrobust", plm), fit[term].StdError, Tol, $"{term} se");
            Close(r.D("se_robust", plm), fit[term].RobustStdError, Tol, $"{term} robust se");
        }
        Assert.Equal(r.At("n_firms").GetInt32(), fit.PanelUnits);
        Assert.Equal(r.At("n_residuals_stacked").GetInt32(), fit.StackedRows);
        Assert.Equal(r.At("n_instruments").GetInt32(), fit.Instruments);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_MatchPgmm(string name)
    {
        var (fit, _) = Run(name);
        var r = Ref.GetProperty(name);
        Close(r.D("sargan_hansen", "statistic"), fit.Hansen.Statistic, Tol, "Hansen J");
        Assert.Equal(r.D("sargan_hansen", "df"), fit.Hansen.Df);
        Close(r.D("sargan_hansen", "p"), fit.Hansen.PValue, Tol, "Hansen p");
        Close(r.D("ar1_robust", "z"), fit.Ar1.Statistic, Tol, "AR(1)");
        Close(r.D("ar1_robust", "p"), fit.Ar1.PValue, Tol, "AR(1) p");
        Close(r.D("ar2_robust", "z"), fit.Ar2!.Statistic, Tol, "AR(2)");
        Close(r.D("ar2_robust", "p"), fit.Ar2.PValue, Tol, "AR(2) p");
        Close(r.D("ar1_nonrobust", "z"), fit.Ar1NonRobust.Statistic, Tol, "AR(1) non-robust");
        Close(r.D("ar2_nonrobust", "z"), fit.Ar2NonRobust!.Statistic, Tol, "AR(2) non-robust");
        Close(r.D("ar2_nonrobust", "p"), fit.Ar2NonRobust.PValue, Tol, "AR(2) non-robust p");
        Close(r.D("wald_coef_robust", "chisq"), fit.WaldCoefficients.Statistic, Tol, "Wald coef");
        Assert.Equal(r.D("wald_coef_robust", "df"), fit.WaldCoefficients.Df);
        double p = r.D("wald_coef_robust", "p");
        if (p > 0) Close(p, fit.WaldCoefficients.PValue, Tol, "Wald coef p"); else Assert.True(fit.WaldCoefficients.PValue < 1e-300);
        Close(r.D("wald_time_robust", "chisq"), fit.WaldTime!.Statistic, Tol, "Wald time");
        Assert.Equal(r.D("wald_time_robust", "df"), fit.WaldTime.Df);
        Close(r.D("wald_time_robust", "p"), fit.WaldTime.PValue, Tol, "Wald time p");
    }
}
