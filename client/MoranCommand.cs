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
/// `de moran VAR --w FILE`: global Moran's I of a term for every period in one call (both Cliff–Ord variances, z, p),
/// or of a model's within residuals (--residuals-of FORMULA --effects), with permutation p-values (--permutations R,
/// permutation r of period t from the stream (seed, key/period, r)).
/// </summary>
internal static class MoranCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var variable = new Argument<string?>("variable") { Description = "the term tested, e.g. dei or log(gsp) (leave out with --residuals-of)", Arity = ArgumentArity.ZeroOrOne };
        var panelInput = new PanelInput();
        var w = new Option<string>("--w") { Description = "weight matrix: a CSV (unit × unit table, edge list from,to[,weight], or unit,lat,lon with --w-rule), economic:VAR, nested:FILE,VAR or nested:FILE,VAR,PHI (docs/methods.md); matched to --unit by name", Required = true };
        var raw = new Option<bool>("--no-row-standardise") { Description = "use W as given (default: each row divided by its sum)" };
        var rule = new Option<string?>("--w-rule") { Description = "when --w is a coordinates file (unit, lat, lon): inverse[:POWER[:CUTOFF_KM]] (great-circle km) or knn:K; when it is a polygon file (.geojson, .json, .shp): queen[:PROPERTY[:SNAP]] (default) or rook[:PROPERTY[:SNAP]], PROPERTY the unit's name attribute (name)" };
        var residualsOf = new Option<string?>("--residuals-of") { Description = "test the within residuals of this model 'y ~ x1 + x2' (non-spatial FE fit) instead of a variable" };
        var effects = new Option<string>("--effects") { Description = "fixed effects of --residuals-of: " + SpatialText.EffectChoices, DefaultValueFactory = _ => "individual" };
        var permutations = new Option<int>("--permutations") { Description = "permutations per period for a permutation p (0 = none; 999 is common)", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "permutation seed", DefaultValueFactory = _ => 20261207 };
        var local = new Option<long?>("--local") { Description = "also local Moran's I (LISA) of each unit in this period, with its quadrant (HH, LH, LL, HL)" };
        var json = new Option<bool>("--json") { Description = "print JSON (every number)" };
        var cmd = new Command("moran", "Global Moran's I for every period (normality and randomisation moments, z, p; optional permutation p)")
        {
            variable, w, raw, rule, residualsOf, effects, permutations, seed, local, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string? v = p.GetValue(variable);
            string? model = p.GetValue(residualsOf);
            if ((v is null) == (model is null)) throw new InputException("de moran: give either a VARIABLE or --residuals-of FORMULA (one of the two)");
            int r = p.GetValue(permutations);
            if (r < 0) throw new InputException($"--permutations {r}: expected 0 (none) or a positive count");
            var panel = panelInput.Load(p);
            var weights = SpatialWeightsFile.Resolve(p.GetValue(w)!, "--w", panel.Frame, panel.UnitColumn, !p.GetValue(raw), p.GetValue(rule));
            string what;
            double[] stacked;
            IReadOnlyList<long> periods;
            SpatialWeights aligned;
            if (model is not null)
            {
                var f = Formula.Parse(model);
                var eff = SpatialText.Effects(p.GetValue(effects)!, "--effects");
                (stacked, periods) = SpatialPanel.WithinResiduals(panel, f, weights, eff);
                aligned = weights.AlignTo(panel.UnitLabels);
                what = $"residuals of {f.Source} ({SpatialText.Name(eff)} effects)";
            }
            else
            {
                var term = Formula.ParseTerm(v!);
                what = term.Text;
                stacked = SpatialData.Stack(panel, weights, [(term.Text, term.Evaluate(panel))], out periods, out aligned)[0];
            }
            var rows = new List<(MoranResult Result, double? PermP)>();
            for (int t = 0; t < periods.Count; t++)
            {
                var x = stacked[(t * aligned.N)..((t + 1) * aligned.N)];
                var res = Moran.Test(aligned, x, periods[t]);
                double? pp = r > 0 ? Moran.PermutationP(res.I, Moran.PermutationBlock(aligned, x, p.GetValue(seed), PermutationKey(what, periods[t]), 0, r)) : null;
                rows.Add((res, pp));
            }
            IReadOnlyList<LocalMoran>? lisa = null;
            if (p.GetValue(local) is { } lp)
            {
                int t = periods.ToList().IndexOf(lp);
                if (t < 0) throw new InputException($"--local {lp}: no such period (the data have {periods[0]}–{periods[^1]})");
                lisa = Moran.Local(aligned, stacked.AsSpan(t * aligned.N, aligned.N));
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(what, rows, r, p.GetValue(seed), lisa, p.GetValue(local)));
            else
            {
                Table(stdout, what, rows, r);
                if (lisa is not null)
                {
                    stdout.WriteLine($"local Moran's I, {p.GetValue(local)} (two-sided p under randomisation; quadrant: the unit's value, then its neighbours', High or Low):");
                    stdout.WriteLine($"{"unit",-24}{"I_i",10}{"z",9}{"p",10}  quadrant");
                    foreach (var u in lisa) stdout.WriteLine($"{u.Unit,-24}{u.I.ToString("0.0000", Inv),10}{u.Z.ToString("0.000", Inv),9}{TableOutput.P(u.P),10}  {u.Quadrant}");
                }
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>The stream key of a period's permutations: "moran/WHAT/PERIOD".</summary>
    internal static string PermutationKey(string what, long period) => $"moran/{what}/{period.ToString(CultureInfo.InvariantCulture)}";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static void Table(TextWriter o, string what, List<(MoranResult Result, double? PermP)> rows, int r)
    {
        o.WriteLine($"Moran's I of {what}, each period on its own (n = {rows[0].Result.N}); E[I] = {rows[0].Result.Normality.Expectation.ToString("0.0000", Inv)}");
        o.WriteLine($"{"period",8}{"I",10}{"z (rand.)",11}{"p (rand.)",11}{"z (norm.)",11}{"p (norm.)",11}{(r > 0 ? $"{"p (perm.)",11}" : "")}");
        foreach (var (m, pp) in rows)
            o.WriteLine($"{m.Period,8}{m.I.ToString("0.0000", Inv),10}{m.Randomisation.Z.ToString("0.000", Inv),11}{TableOutput.P(m.Randomisation.PGreater),11}{m.Normality.Z.ToString("0.000", Inv),11}{TableOutput.P(m.Normality.PGreater),11}{(pp is { } q ? q.ToString("0.000", Inv).PadLeft(11) : "")}");
        o.WriteLine($"note: one-sided p (alternative: positive autocorrelation){(r > 0 ? $"; permutation p = (#{{I_r ≥ I}} + 1)/({r} + 1)" : "")}.");
    }

    private static string Json(string what, List<(MoranResult Result, double? PermP)> rows, int r, long seed, IReadOnlyList<LocalMoran>? lisa, long? localPeriod)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("variable", what);
            j.WriteNumber("permutations", r);
            if (r > 0) j.WriteNumber("seed", seed);
            j.WriteStartArray("periods");
            foreach (var (m, pp) in rows)
            {
                j.WriteStartObject();
                j.WriteNumber("period", m.Period);
                j.WriteNumber("n", m.N);
                j.WriteNumber("i", m.I);
                j.WriteNumber("expectation", m.Normality.Expectation);
                foreach (var (name, mm) in new[] { ("randomisation", m.Randomisation), ("normality", m.Normality) })
                {
                    j.WriteStartObject(name);
                    j.WriteNumber("variance", mm.Variance);
                    j.WriteNumber("z", mm.Z);
                    j.WriteNumber("p_greater", mm.PGreater);
                    j.WriteEndObject();
                }
                j.WriteNumber("kurtosis", m.Kurtosis);
                if (pp is { } q) j.WriteNumber("permutation_p", q); else j.WriteNull("permutation_p");
                j.WriteEndObject();
            }
            j.WriteEndArray();
            if (lisa is null) j.WriteNull("local");
            else
            {
                j.WriteStartObject("local");
                j.WriteNumber("period", localPeriod!.Value);
                j.WriteStartArray("units");
                foreach (var u in lisa)
                {
                    j.WriteStartObject();
                    j.WriteString("unit", u.Unit);
                    j.WriteNumber("i", u.I);
                    j.WriteNumber("expectation", u.Expectation);
                    j.WriteNumber("variance", u.Variance);
                    j.WriteNumber("z", u.Z);
                    j.WriteNumber("p_two_sided", u.P);
                    j.WriteString("quadrant", u.Quadrant);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
