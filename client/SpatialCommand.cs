using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// `de spatial FORMULA --w FILE --model sar|sem|sac|sdm --effects individual|twoways`: a fixed-effects spatial panel by
/// maximum likelihood (docs/methods.md, "Spatial panels"), with the exact LeSage–Pace impacts and, with --draws R,
/// their simulated SEs (draw r from the stream (seed, stream key, r), computed in this process).
/// </summary>
internal static class SpatialCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = new Argument<string>("formula") { Description = "'y ~ x1 + log(x2)' (no fixed effects: they come from --effects)" };
        var panelInput = new PanelInput();
        var w = new Option<string>("--w") { Description = "weight matrix: a CSV (unit × unit table with the row unit first, an edge list from,to[,weight], or unit,lat,lon with --w-rule), economic:VAR (1/|mean VAR_i − mean VAR_j|), nested:FILE,VAR (FILE ∘ economic) or nested:FILE,VAR,PHI (φ·FILE + (1−φ)·economic); matched to --unit by name", Required = true };
        var raw = new Option<bool>("--no-row-standardise") { Description = "use W as given (default: each row divided by its sum)" };
        var rule = new Option<string?>("--w-rule") { Description = "when --w is a coordinates file (unit, lat, lon): inverse[:POWER[:CUTOFF_KM]] (great-circle km) or knn:K; when it is a polygon file (.geojson, .json, .shp): queen[:PROPERTY[:SNAP]] (default) or rook[:PROPERTY[:SNAP]], PROPERTY the unit's name attribute (name)" };
        var model = new Option<string>("--model") { Description = SpatialText.Models + " (sar: ρWy; sem: λWu; sac: both; sdm: ρWy and WX)", DefaultValueFactory = _ => "sdm" };
        var effects = new Option<string>("--effects") { Description = SpatialText.EffectChoices, DefaultValueFactory = _ => "individual" };
        var leeYu = new Option<bool>("--lee-yu") { Description = "Lee–Yu (2010) correction (default off, as splm): individual effects σ² × T/(T−1) and T−1, N(T−1) in the information matrix (as splm); twoways the transformation approach, effective sample (N−1)(T−1), row-standardised W only" };
        var draws = new Option<int>("--draws") { Description = "simulation draws for the impacts' SEs (0 = none; 1000 is common)", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "simulation seed", DefaultValueFactory = _ => 20261207 };
        var streamKey = new Option<string>("--stream-key") { Description = "simulation stream family: draw r uses (seed, key, r)", DefaultValueFactory = _ => "spatial/impacts" };
        var logDet = new Option<string>("--logdet") { Description = SpatialText.LogDetChoices + ": how log|I − ρW| and the traces are computed (auto: sparse above " + SpatialPanel.SparseThreshold.ToString(CultureInfo.InvariantCulture) + " units when W is a row-standardised symmetric matrix, else eigen; docs/methods.md)", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "print JSON (every number)" };
        var cmd = new Command("spatial", "Fixed-effects spatial panel (SAR, SEM, SAC, SDM) by maximum likelihood, with direct, indirect and total effects")
        {
            formula, w, raw, rule, model, effects, leeYu, draws, seed, streamKey, logDet, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var options = new SpatialOptions(SpatialText.Model(p.GetValue(model)!, "--model"), SpatialText.Effects(p.GetValue(effects)!, "--effects"), p.GetValue(leeYu),
                SpatialText.LogDet(p.GetValue(logDet)!, "--logdet"));
            int r = p.GetValue(draws);
            if (r < 0 || r == 1) throw new InputException($"--draws {r}: expected 0 (none) or at least 2");
            var f = Formula.Parse(p.GetValue(formula)!);
            var panel = panelInput.Load(p);
            var weights = SpatialWeightsFile.Resolve(p.GetValue(w)!, "--w", panel.Frame, panel.UnitColumn, !p.GetValue(raw), p.GetValue(rule));
            var fit = SpatialPanel.Fit(panel, f, weights, options);
            if (fit.Note is { } note) stderr.WriteLine(note);
            if (r > 0 && fit.Impacts is not null)
            {
                var (mean, v) = Impacts.DrawParameters(fit);
                var d = Impacts.SimulateBlock(weights.AlignTo(panel.UnitLabels), mean, v, fit.Terms.Count, options.Model == SpatialModel.Sdm, p.GetValue(seed), p.GetValue(streamKey)!, 0, r);
                fit = fit with { Impacts = Impacts.WithStandardErrors(fit.Impacts, d) };
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(fit, weights, r, p.GetValue(seed)));
            else Table(stdout, fit, r);
            return 0;
        }));
        return cmd;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static void Table(TextWriter o, SpatialFit fit, int draws)
    {
        var opt = fit.Options;
        o.WriteLine($"{SpatialText.Name(opt.Model).ToUpperInvariant()} with {SpatialText.Name(opt.Effects)} fixed effects, N = {fit.N}, T = {fit.T}, NT = {fit.Observations}{(opt.LeeYu ? ", Lee–Yu corrected" : "")}");
        o.WriteLine($"{"",-24}{"estimate",12}{"std.error",12}{"z",10}{"p",10}");
        foreach (var c in fit.Coefficients)
            o.WriteLine($"{c.Name,-24}{TableOutput.F(c.Estimate),12}{TableOutput.F(c.StdError),12}{c.Z.ToString("0.00", Inv),10}{TableOutput.P(c.P),10}");
        o.WriteLine($"sigma^2 = {TableOutput.F(fit.Sigma2)}, log-likelihood = {fit.LogLik.ToString("0.000", Inv)}, admissible interval ({fit.Interval.Lower.ToString("0.0000", Inv)}, {fit.Interval.Upper.ToString("0.0000", Inv)}), log-determinants by {(fit.LogDetMethod == SpatialLogDet.Sparse ? "sparse Cholesky" : "eigenvalues")}");
        if (fit.Impacts is null)
        {
            o.WriteLine("impacts: a spatial error model has no spillovers (direct effects = β, indirect = 0)");
            return;
        }
        o.WriteLine(draws > 0 ? $"impacts (LeSage–Pace; SEs from {draws} simulation draws):" : "impacts (LeSage–Pace; --draws R for their SEs):");
        o.WriteLine($"{"",-24}{"direct",12}{"indirect",12}{"total",12}");
        foreach (var i in fit.Impacts)
        {
            o.WriteLine($"{i.Term,-24}{TableOutput.F(i.Direct),12}{TableOutput.F(i.Indirect),12}{TableOutput.F(i.Total),12}");
            if (i.DirectSe is { } ds) o.WriteLine($"{"",-24}{"(" + TableOutput.F(ds) + ")",12}{"(" + TableOutput.F(i.IndirectSe!.Value) + ")",12}{"(" + TableOutput.F(i.TotalSe!.Value) + ")",12}");
        }
        o.WriteLine("note: rho is the coefficient of W·y and lambda that of W·u (LeSage–Pace, xsmle); splm names them the other way round.");
    }

    internal static string Json(SpatialFit fit, SpatialWeights w, int draws, long seed)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("model", SpatialText.Name(fit.Options.Model));
            j.WriteString("effects", SpatialText.Name(fit.Options.Effects));
            j.WriteBoolean("lee_yu", fit.Options.LeeYu);
            j.WriteString("formula", fit.Formula);
            j.WriteNumber("n", fit.N);
            j.WriteNumber("t", fit.T);
            j.WriteNumber("observations", fit.Observations);
            j.WriteStartObject("weights");
            j.WriteNumber("units", w.N);
            j.WriteNumber("nonzeros", w.NonZeros);
            j.WriteBoolean("row_standardised", w.RowStandardised);
            j.WriteString("logdet", SpatialText.Name(fit.LogDetMethod));
            var (lo, hi) = fit.EigenRange; // exact (eigen) or Lanczos (sparse): the sparse path computes no eigenvalues
            j.WriteNumber("eigenvalue_min", lo);
            j.WriteNumber("eigenvalue_max", hi);
            j.WriteNumber("interval_lower", fit.Interval.Lower);
            j.WriteNumber("interval_upper", fit.Interval.Upper);
            j.WriteEndObject();
            j.WriteStartArray("coefficients");
            foreach (var c in fit.Coefficients)
            {
                j.WriteStartObject();
                j.WriteString("name", c.Name);
                j.WriteNumber("estimate", c.Estimate);
                j.WriteNumber("std_error", c.StdError);
                j.WriteNumber("z", c.Z);
                j.WriteNumber("p_value", c.P);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteStartArray("vcov");
            for (int a = 0; a < fit.Coefficients.Count; a++)
            {
                j.WriteStartArray();
                for (int b = 0; b < fit.Coefficients.Count; b++) j.WriteNumberValue(fit.Vcov[a, b]);
                j.WriteEndArray();
            }
            j.WriteEndArray();
            j.WriteNumber("sigma2", fit.Sigma2);
            j.WriteNumber("sigma2_std_error", fit.Sigma2Se);
            j.WriteNumber("log_likelihood", fit.LogLik);
            if (fit.Impacts is null) j.WriteNull("impacts");
            else
            {
                j.WriteStartObject("impacts");
                j.WriteNumber("draws", draws);
                if (draws > 0) j.WriteNumber("seed", seed);
                j.WriteStartArray("terms");
                foreach (var i in fit.Impacts)
                {
                    j.WriteStartObject();
                    j.WriteString("term", i.Term);
                    foreach (var (name, v, se) in new[] { ("direct", i.Direct, i.DirectSe), ("indirect", i.Indirect, i.IndirectSe), ("total", i.Total, i.TotalSe) })
                    {
                        j.WriteNumber(name, v);
                        if (se is { } s) j.WriteNumber(name + "_std_error", s);
                        else j.WriteNull(name + "_std_error");
                    }
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteString("names", "rho = coefficient of W·y, lambda = coefficient of W·u (splm's names are the reverse)");
            j.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
