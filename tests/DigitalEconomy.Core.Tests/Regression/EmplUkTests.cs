using System.Globalization;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>The unbalanced EmplUK panel (140 firms, T = 7–9) against R plm (emplUK_plm.txt, made by emplUK_plm.R).</summary>
public class EmplUkTests
{
    private static readonly Core.Data.Panel Data = LoadPanel("EmplUK.csv", "firm", "year");

    private static Dictionary<string, (int Df, int N, Dictionary<string, double[]> Coef, double Rsq)> Reference()
    {
        var result = new Dictionary<string, (int, int, Dictionary<string, double[]>, double)>();
        string? model = null; int df = 0, n = 0; Dictionary<string, double[]> coef = [];
        foreach (var line in File.ReadAllLines(PathOf("emplUK_plm.txt")))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 5 && f[1] == "df") { model = f[0]; df = int.Parse(f[2], CultureInfo.InvariantCulture); n = int.Parse(f[4], CultureInfo.InvariantCulture); coef = []; }
            else if (f[0] == "rsq") result[model!] = (df, n, coef, double.Parse(f[1], CultureInfo.InvariantCulture));
            else coef[f[0]] = f.Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        return result;
    }

    [Theory]
    [InlineData("oneway", "log(emp) ~ log(wage) + log(capital) + log(output) | firm")]
    [InlineData("twoways", "log(emp) ~ log(wage) + log(capital) + log(output) | firm + year")]
    [InlineData("lagged", "log(emp) ~ lag(log(emp)) + log(wage) + log(capital) | firm + year")]
    public void Within_MatchesPlm(string model, string formula)
    {
        var (df, n, coef, rsq) = Reference()[model];
        var iid = Estimation.Fit(Data, formula);
        var cl = Estimation.Fit(Data, formula, new EstimationOptions { Vcov = VcovSpec.Cluster("firm") with { Convention = SmallSample.Plm } });
        Assert.Equal(n, iid.N);
        Assert.Equal(df, iid.DfResid);
        foreach (var (term, v) in coef)
        {
            Close(v[0], iid[term].Estimate, 1e-9, term);
            Close(v[1], iid[term].StdError, 1e-9, term);
            Close(v[2], cl[term].StdError, 1e-9, term);
        }
        Close(rsq, iid.R2Within!.Value, 1e-9, "rsq");
    }
}

/// <summary>Interacted fixed effects (firm + sector×year) against R's lm with the dummies (emplUK_ife.R).</summary>
public class InteractedFixedEffectsTests
{
    [Theory]
    [InlineData("emplUK_ife.txt", "log(emp) ~ log(wage) + log(capital) | firm + sector^year")]
    [InlineData("emplUK_ife3.txt", "log(emp) ~ log(wage) + log(capital) | firm + year + sector^year")]
    public void InteractedEffects_EqualLmWithDummies_IncludingRedundantFactors(string reference, string formula)
    {
        var lines = File.ReadAllLines(PathOf(reference));
        var data = LoadPanel("EmplUK.csv", "firm", "year");
        var r = Estimation.Fit(data, formula);
        Assert.Equal(DemeanMethod.AlternatingProjections, r.DemeanMethod);
        foreach (var line in lines)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Close(double.Parse(f[1], CultureInfo.InvariantCulture), r[f[0]].Estimate, 1e-9, f[0]);
            Close(double.Parse(f[2], CultureInfo.InvariantCulture), r[f[0]].StdError, 1e-9, f[0]);
            Assert.Equal(int.Parse(f[3]["df=".Length..], CultureInfo.InvariantCulture), r.DfResid);
        }
    }
}
