using System.Text;
using System.Text.Json;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Client;

/// <summary>
/// The `--json` shape of `de estimate`: formula, estimator, n, df_resid, clusters, vcov, coefficients,
/// r2, r2_within, adj_r2, first_stage, diagnostics, warnings. Doubles are written in shortest
/// round-trip form; non-finite values as null.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Several variance estimators of one fit: <c>{"vcov": [...], "fits": [one --json object per estimator]}</c>.</summary>
    public static string WriteSideBySide(IReadOnlyList<RegressionResult> fits, HausmanResult? hausman)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("vcov");
            foreach (var f in fits) w.WriteStringValue(f.Vcov);
            w.WriteEndArray();
            w.WriteStartArray("fits");
            foreach (var f in fits) w.WriteRawValue(Write(f, hausman));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static string Write(RegressionResult r, HausmanResult? hausman, WildResult? wild = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("formula", r.Formula);
            w.WriteString("estimator", Estimation.Name(r.Estimator));
            w.WriteNumber("n", r.N);
            w.WriteNumber("df_resid", r.DfResid);
            w.WriteStartObject("clusters");
            foreach (var (k, v) in r.Clusters) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteString("vcov", r.Vcov);
            if (r.Weights is { } weights)
            {
                // Only for weighted fits, so unweighted output keeps its shape; ssr, sigma and the R²s are then weighted.
                w.WriteString("weights", weights);
                Num(w, "sum_weights", r.SumWeights);
            }
            w.WritePropertyName("coefficients");
            WriteCoefficients(w, r.Coefficients);
            Num(w, "r2", r.R2);
            Num(w, "r2_within", r.R2Within);
            Num(w, "adj_r2", r.AdjR2);
            if (r.FirstStages is null) w.WriteNull("first_stage");
            else
            {
                w.WriteStartObject("first_stage");
                foreach (var fs in r.FirstStages)
                {
                    w.WriteStartObject(fs.Endogenous);
                    w.WritePropertyName("coefficients");
                    WriteCoefficients(w, fs.Coefficients);
                    w.WritePropertyName("f");
                    WriteTest(w, fs.FTest);
                    Num(w, "partial_r2", fs.PartialR2);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteStartObject("diagnostics");
            // Observations removed as singletons before the fit (0 when none, or when kept: --singletons keep).
            w.WriteNumber("singletons_removed", r.SingletonsRemoved);
            Num(w, "ssr", r.Ssr);
            Num(w, "sigma", r.Sigma);
            Num(w, "df_tests", r.DfTests);
            Num(w, "small_sample_factor", r.SmallSampleFactor);
            if (r.CoefficientDf is { } cdf)
            {
                // Per-coefficient t-test df (CR2 Satterthwaite); written only when the estimator gives them.
                w.WriteStartObject("coefficient_df");
                for (int i = 0; i < r.Coefficients.Count; i++) Num(w, r.Coefficients[i].Term, cdf[i]);
                w.WriteEndObject();
            }
            if (r.WaldTest is not null) { w.WritePropertyName("wald"); WriteTest(w, r.WaldTest); }
            w.WriteNumber("absorbed_df", r.AbsorbedDf);
            w.WriteStartObject("fixed_effects");
            foreach (var (k, v) in r.FixedEffects) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteString("demean_method", r.DemeanMethod.ToString());
            w.WriteNumber("demean_iterations", r.DemeanIterations);
            w.WriteStartArray("omitted");
            foreach (var o in r.Omitted) w.WriteStringValue(o);
            w.WriteEndArray();
            foreach (var (k, v) in r.Statistics.OrderBy(p => p.Key, StringComparer.Ordinal)) Num(w, k, v);
            if (r.Iv is { } iv)
            {
                Num(w, "cragg_donald_f", iv.CraggDonaldF);
                Num(w, "kleibergen_paap_rk_wald_f", iv.KleibergenPaapWaldF);
                w.WritePropertyName("underidentification_lm");
                WriteTest(w, iv.KleibergenPaapLm);
                if (iv.StockYogoSize is null) w.WriteNull("stock_yogo_2sls_size");
                else
                {
                    w.WriteStartObject("stock_yogo_2sls_size");
                    for (int i = 0; i < 4; i++) w.WriteNumber($"{StockYogo.MaximalSizes[i] * 100:0}%", iv.StockYogoSize[i]);
                    w.WriteEndObject();
                }
                if (iv.OverIdentification is null) w.WriteNull("overidentification");
                else { w.WritePropertyName("overidentification"); WriteTest(w, iv.OverIdentification); }
            }
            if (hausman is not null)
            {
                w.WriteStartObject("hausman");
                Num(w, "statistic", hausman.Statistic);
                w.WriteNumber("df", hausman.Df);
                Num(w, "p_value", hausman.PValue);
                if (hausman.Note is not null) w.WriteString("note", hausman.Note);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (wild is not null) WriteWild(w, wild);
            w.WriteStartArray("warnings");
            foreach (var s in r.Warnings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>The `wild` object: the test, its p-value, the inverted interval and how the draws were made.</summary>
    private static void WriteWild(Utf8JsonWriter w, WildResult x)
    {
        w.WriteStartObject("wild");
        w.WriteString("term", x.Term);
        Num(w, "null", x.Null);
        w.WriteString("type", x.Type == WildType.Restricted ? "wcr" : "wcu");
        w.WriteString("weights", x.Weights.ToString().ToLowerInvariant());
        w.WriteString("p_value_type", PValueName(x.PValueKind));
        Num(w, "estimate", x.Estimate);
        Num(w, "statistic", x.Statistic);
        Num(w, "p_value", x.PValue);
        Num(w, "conf_low", x.ConfLow);
        Num(w, "conf_high", x.ConfHigh);
        Num(w, "level", x.Level);
        w.WriteNumber("draws", x.Draws);
        w.WriteBoolean("full_enumeration", x.Enumerated);
        w.WriteNumber("clusters", x.Clusters);
        if (x.Enumerated) w.WriteNull("seed"); else w.WriteNumber("seed", x.Seed);
        Num(w, "small_sample_factor", x.SmallSampleFactor);
        w.WriteEndObject();
    }

    internal static string PValueName(WildPValue k) => k switch
    {
        WildPValue.Symmetric => "symmetric",
        WildPValue.EqualTailed => "equal-tailed",
        WildPValue.Upper => "upper",
        _ => "lower",
    };

    internal static void WriteCoefficients(Utf8JsonWriter w, IReadOnlyList<Coefficient> coefs)
    {
        w.WriteStartArray();
        foreach (var c in coefs) WriteCoefficient(w, c);
        w.WriteEndArray();
    }

    /// <summary>One coefficient as an object: its term and <see cref="CoefficientFields"/>.</summary>
    internal static void WriteCoefficient(Utf8JsonWriter w, Coefficient c)
    {
        w.WriteStartObject();
        w.WriteString("term", c.Term);
        CoefficientFields(w, c);
        w.WriteEndObject();
    }

    internal static void WriteTest(Utf8JsonWriter w, TestResult t)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        Num(w, "statistic", t.Statistic);
        Num(w, "df1", t.Df1);
        Num(w, "df2", t.Df2);
        Num(w, "p_value", t.PValue);
        w.WriteEndObject();
    }

    /// <summary>A coefficient's numbers: estimate, std_error, statistic, p_value, conf_low, conf_high.</summary>
    internal static void CoefficientFields(Utf8JsonWriter w, Coefficient c)
    {
        Num(w, "estimate", c.Estimate);
        Num(w, "std_error", c.StdError);
        Num(w, "statistic", c.Statistic);
        Num(w, "p_value", c.PValue);
        Num(w, "conf_low", c.ConfLow);
        Num(w, "conf_high", c.ConfHigh);
    }

    internal static void Num(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } d && double.IsFinite(d)) w.WriteNumber(name, d);
        else w.WriteNull(name);
    }
}
