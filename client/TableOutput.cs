using System.Globalization;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Client;

/// <summary>The readable `de estimate` output: a publication-style column, then the detailed table.</summary>
internal static class TableOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, RegressionResult r, HausmanResult? h, WildResult? wild = null)
    {
        string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
        int w = Math.Max(22, r.Coefficients.Select(c => TerminalText.Width(c.Term) + 2).DefaultIfEmpty(0).Max());
        w = Math.Max(w, r.FixedEffects.Keys.Select(k => TerminalText.Width(k) + 5).DefaultIfEmpty(0).Max());
        string r2Label = r.Estimator switch
        {
            EstimatorKind.RandomEffects => "R² (quasi-demeaned)",
            _ when r.FixedEffects.Count > 0 => "R² (LSDV)",
            _ => "R²",
        };
        w = Math.Max(w, ("adj. " + r2Label).Length + 2);
        string Row(string label, string value) => TerminalText.PadRight(label, w) + value; // terminal cells: a Chinese term takes two per character
        string line = new('─', w + 18);
        o.WriteLine($"{Estimation.Name(r.Estimator)}: {r.Formula}");
        o.WriteLine(line);
        foreach (var c in r.Coefficients)
        {
            o.WriteLine(Row(c.Term, F(c.Estimate).PadLeft(10) + Stars(c.PValue)));
            o.WriteLine(Row("", ("(" + F(c.StdError) + ")").PadLeft(11)));
        }
        o.WriteLine(line);
        foreach (var fe in r.FixedEffects.Keys) o.WriteLine(Row($"{fe} FE", "YES".PadLeft(10)));
        o.WriteLine(Row("N", r.N.ToString(Inv).PadLeft(10)));
        foreach (var (k, v) in r.Clusters) o.WriteLine(Row($"clusters ({k})", v.ToString(Inv).PadLeft(10)));
        o.WriteLine(Row(r2Label, F(r.R2).PadLeft(10)));
        if (r.R2Within is { } rw) o.WriteLine(Row(r.Estimator == EstimatorKind.RandomEffects ? "R² within (Stata)" : "R² within", F(rw).PadLeft(10)));
        o.WriteLine(Row("adj. " + r2Label, F(r.AdjR2).PadLeft(10)));
        if (r.WaldTest is { } wt)
            o.WriteLine(Row(wt.Df2 is { } d2 ? $"F({wt.Df1:0}, {d2:0})" : $"Wald χ²({wt.Df1:0})", F(wt.Statistic).PadLeft(10) + $"  p = {P(wt.PValue)}"));
        o.WriteLine(line);
        string dist = double.IsPositiveInfinity(r.DfTests) ? "z" : $"t({r.DfTests:0})";
        o.WriteLine($"standard errors in parentheses: {r.Vcov}; tests use {dist}; * p<0.1, ** p<0.05, *** p<0.01");
        o.WriteLine();
        o.WriteLine($"{"term".PadRight(w)}{"estimate",13}{"std.error",13}{(dist == "z" ? "z" : "t"),10}{"p",11}{"conf.low",13}{"conf.high",13}");
        foreach (var c in r.Coefficients)
            o.WriteLine($"{TerminalText.PadRight(c.Term, w)}{F(c.Estimate),13}{F(c.StdError),13}{c.Statistic.ToString("0.000", Inv),10}{P(c.PValue),11}{F(c.ConfLow),13}{F(c.ConfHigh),13}");
        if (r.Statistics.TryGetValue("intercept_stata", out double cons))
            o.WriteLine($"_cons as xtreg/reghdfe report it (ȳ − x̄'b): {F(cons)} ({F(r.Statistics["intercept_stata_se"])})");
        if (r.Statistics.TryGetValue("sigma_u", out double su))
            o.WriteLine($"sigma_u = {F(su)}, sigma_e = {F(r.Statistics["sigma_e"])}, rho = {F(r.Statistics["rho"])}" + (r.Statistics.TryGetValue("theta", out double th) ? $", theta = {F(th)}" : ""));
        if (r.FirstStages is not null)
        {
            o.WriteLine();
            foreach (var fs in r.FirstStages)
            {
                o.WriteLine($"first stage for {fs.Endogenous}: F({fs.FTest.Df1:0}, {fs.FTest.Df2:0}) = {F(fs.FTest.Statistic)}, p = {P(fs.FTest.PValue)}, partial R² = {F(fs.PartialR2)}");
                foreach (var c in fs.Coefficients)
                    o.WriteLine($"  {TerminalText.PadRight(c.Term, w)}{F(c.Estimate),13} ({F(c.StdError)})");
            }
        }
        if (r.Iv is { } iv)
        {
            o.WriteLine($"Cragg-Donald Wald F: {F(iv.CraggDonaldF)}");
            if (iv.KleibergenPaapWaldF is { } kp) o.WriteLine($"Kleibergen-Paap rk Wald F: {F(kp)}");
            o.WriteLine($"{iv.KleibergenPaapLm.Name} (under-identification): χ²({iv.KleibergenPaapLm.Df1:0}) = {F(iv.KleibergenPaapLm.Statistic)}, p = {P(iv.KleibergenPaapLm.PValue)}");
            o.WriteLine(iv.StockYogoSize is { } sy
                ? $"Stock-Yogo 2SLS size critical values: 10% {sy[0]:0.00}, 15% {sy[1]:0.00}, 20% {sy[2]:0.00}, 25% {sy[3]:0.00}"
                : "Stock-Yogo 2SLS size critical values: not tabulated for this number of endogenous regressors/instruments");
            if (iv.OverIdentification is { } j)
                o.WriteLine($"{j.Name} over-identification: χ²({j.Df1:0}) = {F(j.Statistic)}, p = {P(j.PValue)}");
        }
        if (h is not null)
        {
            o.WriteLine();
            o.WriteLine($"Hausman test (FE vs RE): χ²({h.Df}) = {F(h.Statistic)}, p = {P(h.PValue)}");
            if (h.Note is not null) o.WriteLine($"  note: {h.Note}");
        }
        if (wild is { } x)
        {
            o.WriteLine();
            o.WriteLine($"Wild cluster bootstrap ({(x.Type == WildType.Restricted ? "WCR, null imposed" : "WCU")}, {x.Weights.ToString().ToLowerInvariant()} weights), H0: {x.Term} = {x.Null.ToString("R", Inv)}");
            string kind = x.PValueKind switch
            {
                WildPValue.Symmetric => "symmetric: share of |t*| > |t|",
                WildPValue.EqualTailed => "equal-tailed",
                WildPValue.Upper => "upper: share of t* > t",
                _ => "lower: share of t* < t",
            };
            o.WriteLine($"  t = {F(x.Statistic)} (CR1), bootstrap p = {x.PValue.ToString("0.0000", Inv)} ({kind}; ties not counted)");
            o.WriteLine($"  {x.Level * 100:0.##}% CI by test inversion: [{F(x.ConfLow)}, {F(x.ConfHigh)}]");
            o.WriteLine(x.Enumerated
                ? $"  draws: full enumeration of 2^{x.Clusters} = {x.Draws} sign vectors (exact; no random numbers)"
                : $"  draws: B = {x.Draws} (seed {x.Seed}), {x.Clusters} clusters");
        }
    }

    internal static string F(double v) => !double.IsFinite(v) ? "." : Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-4 && v != 0) ? v.ToString("0.0000e+0", Inv) : v.ToString("0.0000", Inv);

    internal static string P(double p) => p == 0 ? "<1e-300" : p < 1e-4 ? p.ToString("0.0e+0", Inv) : p.ToString("0.0000", Inv);
}
