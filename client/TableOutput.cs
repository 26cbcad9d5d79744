using System.Globalization;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Client;

/// <summary>The readable `de estimate` output: a publication-style column, then the detailed table.</summary>
internal static class TableOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, RegressionResult r, HausmanResult? h, WildResult? wild = null, string? unit = null)
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
        if (r.Weights is { } weights) o.WriteLine(Row($"Σ weights ({weights})", F(r.SumWeights ?? double.NaN).PadLeft(10)));
        if (r.FixedEffects.Count > 0) o.WriteLine(Row("singletons removed", r.SingletonsRemoved.ToString(Inv).PadLeft(10)));
        foreach (var (k, v) in r.Clusters) o.WriteLine(Row($"clusters ({k})", v.ToString(Inv).PadLeft(10)));
        o.WriteLine(Row(r2Label, F(r.R2).PadLeft(10)));
        if (r.R2Within is { } rw) o.WriteLine(Row(r.Estimator == EstimatorKind.RandomEffects ? "R² within (Stata)" : "R² within", F(rw).PadLeft(10)));
        o.WriteLine(Row("adj. " + r2Label, F(r.AdjR2).PadLeft(10)));
        if (r.WaldTest is { } wt)
            o.WriteLine(Row(wt.Df2 is { } d2 ? $"F({wt.Df1:0}, {d2:0})" : $"Wald χ²({wt.Df1:0})", F(wt.Statistic).PadLeft(10) + $"  p = {P(wt.PValue)}"));
        o.WriteLine(line);
        string dist = double.IsPositiveInfinity(r.DfTests) ? "z" : $"t({r.DfTests:0})";
        o.WriteLine($"standard errors in parentheses; variance: {VarianceUsed(r.Vcov, unit)}; tests use {dist}; * p<0.1, ** p<0.05, *** p<0.01");
        if (r.Weights is { } wname) o.WriteLine($"weighted by {wname} (analytic weights): SSR = Σwe² = {F(r.Ssr)}, R² weighted");
        if (r.CoefficientDf is { } cdf)
            o.WriteLine("coefficient t tests use Satterthwaite df: " + string.Join(", ", r.Coefficients.Select((c, i) => $"{c.Term} {cdf[i].ToString("0.00", Inv)}")));
        o.WriteLine();
        o.WriteLine($"{"term".PadRight(w)}{"estimate",13}{"std.error",13}{(dist == "z" ? "z" : "t"),10}{"p",11}{"conf.low",13}{"conf.high",13}");
        foreach (var c in r.Coefficients)
            o.WriteLine($"{TerminalText.PadRight(c.Term, w)}{F(c.Estimate),13}{F(c.StdError),13}{c.Statistic.ToString("0.000", Inv),10}{P(c.PValue),11}{F(c.ConfLow),13}{F(c.ConfHigh),13}");
        if (r.Statistics.TryGetValue("intercept_stata", out double cons))
            o.WriteLine($"_cons as xtreg/reghdfe report it (ȳ − x̄'b): {F(cons)}" + (r.Statistics.TryGetValue("intercept_stata_se", out double consSe) ? $" ({F(consSe)})" : ""));
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

    /// <summary>
    /// Several variance estimators of one fit side by side: the coefficients once, then one column of standard
    /// errors per estimator (stars from that estimator's own test), its test distribution and clusters.
    /// </summary>
    public static void WriteSideBySide(TextWriter o, IReadOnlyList<RegressionResult> rs, HausmanResult? h)
    {
        string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
        var r = rs[0];
        int w = Math.Max(22, r.Coefficients.Select(c => c.Term.Length + 2).DefaultIfEmpty(0).Max());
        var widths = rs.Select(x => Math.Max(x.CoefficientDf is null ? 15 : 20, x.Vcov.Length + 5)).ToArray();
        string line = new('─', w + 13 + widths.Sum());
        o.WriteLine($"{Estimation.Name(r.Estimator)}: {r.Formula}");
        o.WriteLine($"one fit, N = {r.N.ToString(Inv)}{(r.FixedEffects.Count > 0 ? $" ({r.SingletonsRemoved.ToString(Inv)} singletons removed)" : "")}{(r.Weights is { } wn ? $", weighted by {wn} (Σw = {F(r.SumWeights ?? double.NaN)})" : "")}; standard errors by variance estimator; * p<0.1, ** p<0.05, *** p<0.01 by each estimator's own test");
        o.WriteLine(line);
        o.WriteLine("term".PadRight(w) + "estimate".PadLeft(13) + string.Concat(rs.Select((x, j) => x.Vcov.PadLeft(widths[j]))));
        foreach (var c in r.Coefficients)
            o.WriteLine(c.Term.PadRight(w) + F(c.Estimate).PadLeft(13) + string.Concat(rs.Select((x, j) =>
            {
                var cj = x[c.Term];
                return (F(cj.StdError) + Stars(cj.PValue).PadRight(3)).PadLeft(widths[j]);
            })));
        o.WriteLine(line);
        string Dist(RegressionResult x) => x.CoefficientDf is not null ? "t(Satterthwaite)" : double.IsPositiveInfinity(x.DfTests) ? "z" : $"t({x.DfTests:0})";
        o.WriteLine("tests".PadRight(w) + "".PadLeft(13) + string.Concat(rs.Select((x, j) => (Dist(x) + "   ").PadLeft(widths[j]))));
        o.WriteLine("small-sample factor".PadRight(w) + "".PadLeft(13) + string.Concat(rs.Select((x, j) => (F(x.SmallSampleFactor) + "   ").PadLeft(widths[j]))));
        foreach (var name in rs.SelectMany(x => x.Clusters.Keys).Distinct(StringComparer.Ordinal))
            o.WriteLine($"clusters ({name})".PadRight(w) + "".PadLeft(13) + string.Concat(rs.Select((x, j) => ((x.Clusters.TryGetValue(name, out int g) ? g.ToString(Inv) : "") + "   ").PadLeft(widths[j]))));
        foreach (var x in rs.Where(x => x.CoefficientDf is not null))
            o.WriteLine($"{x.Vcov}: Satterthwaite df " + string.Join(", ", x.Coefficients.Select((c, i) => $"{c.Term} {x.CoefficientDf![i].ToString("0.00", Inv)}")));
        if (h is not null) o.WriteLine($"Hausman test (FE vs RE): χ²({h.Df}) = {F(h.Statistic)}, p = {P(h.PValue)}");
    }

    /// <summary>
    /// The variance estimator in words, never silently: <c>hc1</c> (also asked as robust) is "HC1 (Stata's robust)";
    /// <c>iid</c> says it is this command's default while studies cluster by unit; clusters name Stata's vce.
    /// </summary>
    internal static string VarianceUsed(string vcov, string? unit)
    {
        // The grammar is core's (VcovSpec.ParseFormatted reads back what VcovSpec.ToString, VcovRegistry.Format, writes).
        if (Core.Regression.VcovSpec.ParseFormatted(vcov) is not { } spec) return vcov;
        string tail = vcov.Trim().Contains(" (", StringComparison.Ordinal) ? $", {spec.Convention.ToString().ToLowerInvariant()} small-sample convention" : "";
        if (spec.Kind == VcovKind.Hc1) return $"HC1 (Stata's robust{tail})";
        if (spec.Kind == VcovKind.Iid) return unit is null ? "iid (conventional; the default of de estimate)"
            : $"iid (conventional; the default of de estimate, --vcov cluster:{unit} clusters by unit as studies do)";
        if (spec.Kind == VcovKind.Cluster)
        {
            var cols = spec.ClusterColumns;
            return cols.Count == 1 ? $"clustered by {cols[0]} (CR1, Stata's vce(cluster {cols[0]}){tail})"
                : $"clustered two-way by {string.Join(" and ", cols)} (CGM, reghdfe's vce(cluster {string.Join(" ", cols)}){tail})";
        }
        return vcov;
    }

    internal static string F(double v) => !double.IsFinite(v) ? "." : Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-4 && v != 0) ? v.ToString("0.0000e+0", Inv) : v.ToString("0.0000", Inv);

    internal static string P(double p) => p == 0 ? "<1e-300" : p < 1e-4 ? p.ToString("0.0e+0", Inv) : p.ToString("0.0000", Inv);
}
