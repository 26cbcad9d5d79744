using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Client;

/// <summary>
/// `de did`: difference-in-differences for staggered pilot policies — the TWFE DID, the event study with its pre-trend test,
/// Sun–Abraham, Callaway–Sant'Anna and the Goodman-Bacon decomposition, with optional placebo draws, a fake-year placebo and
/// leave-one-cohort-out refits (docs/methods.md, "Difference-in-differences"). Every number is in --json.
/// </summary>
internal static class DidCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var panelInput = new PanelInput();
        var outcome = new Option<string>("--outcome") { Description = "outcome term, e.g. y or log(gdp)", Required = true };
        var cohort = new Option<string?>("--cohort") { Description = "column with each unit's first treated period (empty, 0 or after the last period = never treated)" };
        var treatment = new Option<string?>("--treatment") { Description = "0/1 column that is 1 from a unit's adoption on (instead of --cohort)" };
        var method = new Option<string>("--method") { Description = "twfe | event | sunab | cs | bacon", DefaultValueFactory = _ => "twfe" };
        var control = new Option<string>("--control") { Description = "Callaway–Sant'Anna controls: never | notyet", DefaultValueFactory = _ => "never" };
        var covariates = new Option<string?>("--covariates") { Description = "covariate terms, comma-separated (twfe, event, sunab, cs; not bacon)" };
        var est = new Option<string>("--est") { Description = "cs with covariates: or (outcome regression) | ipw | dr (doubly robust, did's default)", DefaultValueFactory = _ => "dr" };
        var basePeriod = new Option<string>("--base-period") { Description = "cs: varying (pre-periods against t - 1) | universal (every period against g - 1)", DefaultValueFactory = _ => "varying" };
        var vcov = new Option<string?>("--vcov") { Description = "variance estimator(s) of the regression methods (default cluster:UNIT, fixest's convention)" };
        var reference = new Option<int>("--ref") { Description = "event study: the omitted relative period", DefaultValueFactory = _ => -1 };
        var bin = new Option<string?>("--bin") { Description = "event study: end points LO,HI; relative periods beyond them are binned into them" };
        var placebo = new Option<int>("--placebo") { Description = "placebo draws of the TWFE DID (0 = none; 500 is common)", DefaultValueFactory = _ => 0 };
        var placeboKind = new Option<string>("--placebo-kind") { Description = "units (reassign treated units, cohort sizes kept) | years (shuffle adoption years among treated units)", DefaultValueFactory = _ => "units" };
        var seed = new Option<long>("--seed") { Description = "placebo seed", DefaultValueFactory = _ => 20261207 };
        var streamKey = new Option<string?>("--stream-key") { Description = "placebo stream family: draw b uses stream b of (seed, key); default did/placebo/KIND; a study's did analysis NAME uses NAME/placebo/KIND" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "cs: multiplier-bootstrap draws for bootstrap SEs and uniform bands of the group-time ATTs and of each aggregation (0 = none; 999 is common)", DefaultValueFactory = _ => 0 };
        var fakeYear = new Option<int>("--fake-year") { Description = "also fit the TWFE DID with adoption moved K periods earlier on pre-adoption rows (0 = no)", DefaultValueFactory = _ => 0 };
        var leaveOut = new Option<bool>("--leave-out-cohorts") { Description = "also refit the TWFE DID without each cohort in turn" };
        var level = new Option<double>("--level") { Description = "confidence level, in (0, 1)", DefaultValueFactory = _ => 0.95 };
        var json = new Option<bool>("--json") { Description = "print JSON (every number)" };
        var cmd = new Command("did", "Difference-in-differences for staggered adoption: TWFE, event study, Sun–Abraham, Callaway–Sant'Anna, Goodman-Bacon, placebo tests")
        {
            outcome, cohort, treatment, method, control, covariates, est, basePeriod, vcov, reference, bin, placebo, placeboKind, seed, streamKey, bootstrap, fakeYear, leaveOut, level, json,
        };
        panelInput.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string m = p.GetValue(method)!.Trim().ToLowerInvariant();
            if (m is not ("twfe" or "event" or "sunab" or "cs" or "bacon")) throw new InputException($"--method {m}: expected twfe, event, sunab, cs or bacon");
            var ctl = p.GetValue(control)!.Trim().ToLowerInvariant() switch
            {
                "never" or "nevertreated" => ControlGroup.Never,
                "notyet" or "notyettreated" => ControlGroup.NotYet,
                var x => throw new InputException($"--control {x}: expected never or notyet"),
            };
            var csOptions = new CsOptions
            {
                Estimator = p.GetValue(est)!.Trim().ToLowerInvariant() switch
                {
                    "or" or "reg" => CsEstimator.Regression,
                    "ipw" => CsEstimator.Ipw,
                    "dr" => CsEstimator.DoublyRobust,
                    var x => throw new InputException($"--est {x}: expected or, ipw or dr"),
                },
                BasePeriod = p.GetValue(basePeriod)!.Trim().ToLowerInvariant() switch
                {
                    "varying" => CsBasePeriod.Varying,
                    "universal" => CsBasePeriod.Universal,
                    var x => throw new InputException($"--base-period {x}: expected varying or universal"),
                },
            };
            var kind = p.GetValue(placeboKind)!.Trim().ToLowerInvariant() switch
            {
                "units" => PlaceboKind.Units,
                "years" => PlaceboKind.Years,
                var x => throw new InputException($"--placebo-kind {x}: expected units or years"),
            };
            double lv = p.GetValue(level);
            if (!(lv > 0 && lv < 1)) throw new InputException($"--level {lv.ToString(Inv)}: expected a confidence level between 0 and 1 (e.g. 0.95)");
            if (p.GetValue(placebo) < 0) throw new InputException($"--placebo {p.GetValue(placebo)}: expected 0 or a number of draws");
            var (lo, hi) = ParseBin(p.GetValue(bin));
            string? cohortCol = p.GetValue(cohort), treatCol = p.GetValue(treatment);
            if ((cohortCol is null) == (treatCol is null)) throw new InputException("give one of --cohort COL (first treated period) or --treatment COL (0/1 adoption)");
            var vcovText = p.GetValue(vcov);
            var panel = panelInput.Load(p);
            var design = cohortCol is not null ? DidDesign.FromCohort(panel, cohortCol) : DidDesign.FromTreatment(panel, treatCol!);
            foreach (var n in design.Notes) stderr.WriteLine($"note: {n}");
            var options = new DidOptions
            {
                Outcome = Term("--outcome", p.GetValue(outcome)!),
                Covariates = [.. (p.GetValue(covariates) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => Term("--covariates", c))],
                Variances = vcovText is null ? null : VcovSpec.ParseList(vcovText),
                Reference = p.GetValue(reference),
                BinLow = lo,
                BinHigh = hi,
                ConfidenceLevel = lv,
            };
            var run = new DidRun(m, ctl, csOptions, design, options);
            run.Estimate();
            if (p.GetValue(placebo) > 0)
            {
                stderr.WriteLine($"placebo: {p.GetValue(placebo)} draws ({kind.ToString().ToLowerInvariant()} reassigned)…");
                var prepared = TwfePlacebo.Prepare(design, options);
                string key = p.GetValue(streamKey) ?? PlaceboStreamKey(kind);
                var draws = prepared.Draws(kind, p.GetValue(seed), key, 0, p.GetValue(placebo));
                run.Placebo = (kind, p.GetValue(seed), key, draws, PlaceboSummary.Of(prepared.Actual, [.. draws.Where(double.IsFinite)]));
            }
            if (p.GetValue(bootstrap) != 0)
            {
                if (m != "cs") throw new InputException($"--bootstrap {p.GetValue(bootstrap)}: the multiplier bootstrap is Callaway–Sant'Anna's; add --method cs");
                if (p.GetValue(bootstrap) < 2) throw new InputException($"--bootstrap {p.GetValue(bootstrap)}: expected at least 2 draws");
                run.Bootstrap = (p.GetValue(seed), CsBootstrap.Summarise(run.Cs!, CsBootstrap.Draws(run.Cs!, p.GetValue(seed), CsBootstrapKey, 0, p.GetValue(bootstrap)), lv));
            }
            if (p.GetValue(fakeYear) > 0) run.FakeYear = (p.GetValue(fakeYear), DidChecks.FakeYear(design, options, p.GetValue(fakeYear)));
            if (p.GetValue(leaveOut)) run.LeaveOut = DidChecks.LeaveOneCohortOut(design, options);
            if (p.GetValue(json)) stdout.WriteLine(run.Json());
            else run.Text(stdout);
            return 0;
        }));
        return cmd;
    }

    /// <summary>The default stream family key of `de did`'s placebo draws (a study's analysis NAME uses NAME/placebo/KIND; --stream-key gives it).</summary>
    internal static string PlaceboStreamKey(PlaceboKind kind) => "did/placebo/" + kind.ToString().ToLowerInvariant();

    /// <summary>The stream family of `de did --method cs --bootstrap`: draw b uses stream b of (seed, key).</summary>
    internal const string CsBootstrapKey = "did/cs_bootstrap";

    /// <summary>One term of an option, parsed once here (core receives it typed).</summary>
    private static Expr Term(string option, string text)
    {
        try { return Formula.ParseTerm(text); }
        catch (InputException e) { throw new InputException($"{option} {text}: not a term ({e.Message})"); }
    }

    private static (int? Lo, int? Hi) ParseBin(string? text)
    {
        if (text is null) return (null, null);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, Inv, out int lo) || !int.TryParse(parts[1], NumberStyles.Integer, Inv, out int hi))
            throw new InputException($"--bin {text}: expected two integers LO,HI, e.g. -5,5");
        return (lo, hi);
    }

    /// <summary>One `de did` call: the chosen estimator's result and the optional checks, printed as text or JSON.</summary>
    private sealed class DidRun(string method, ControlGroup control, CsOptions csOptions, DidDesign design, DidOptions options)
    {
        private TwfeResult? _twfe;
        private EventStudyResult? _event;
        private SunAbrahamResult? _sunab;
        private CsResult? _cs;
        private BaconResult? _bacon;

        public (PlaceboKind Kind, long Seed, string Key, double[] Draws, PlaceboSummary Summary)? Placebo { get; set; }

        public (int Shift, TwfeResult Result)? FakeYear { get; set; }

        public CsResult? Cs => _cs;

        public (long Seed, CsBootstrapResult Result)? Bootstrap { get; set; }

        public IReadOnlyList<(long Cohort, TwfeResult Result)>? LeaveOut { get; set; }

        public void Estimate()
        {
            switch (method)
            {
                case "twfe": _twfe = EventStudy.Twfe(design, options); break;
                case "event": _event = EventStudy.Fit(design, options); break;
                case "sunab": _sunab = SunAbraham.Fit(design, options); break;
                case "cs": _cs = CallawaySantAnna.Fit(design, options, control, csOptions); break;
                default: _bacon = Bacon.Decompose(design, options); break;
            }
        }

        private static string F(double v) => TableOutput.F(v);

        private string EstimatorName => csOptions.Estimator switch { CsEstimator.Regression => "or", CsEstimator.Ipw => "ipw", _ => "dr" };

        private string BaseName => csOptions.BasePeriod == CsBasePeriod.Universal ? "universal" : "varying";

        private static string Row(string name, Coefficient c) =>
            $"{name,-22}{F(c.Estimate),12}{F(c.StdError),12}{F(c.Statistic),10}{TableOutput.P(c.PValue),10}   [{F(c.ConfLow)}, {F(c.ConfHigh)}]";

        private static string Row(string name, CsEffect e) =>
            // An effect fixed by construction (the universal base's e = −1) has no SE: "." for its SE, t, p and interval.
            $"{name,-22}{F(e.Att),12}{F(e.StdError),12}{F(e.Att / e.StdError),10}{(double.IsNaN(e.StdError) ? "." : TableOutput.P(e.PValue)),10}   [{F(e.ConfLow)}, {F(e.ConfHigh)}]";

        public void Text(TextWriter o)
        {
            var panel = design.Panel;
            o.WriteLine($"design: {design.Source}; {panel.UnitCount} units, {design.NeverTreated} never treated; cohorts "
                + string.Join(", ", design.Cohorts.Select(c => $"{c} ({design.CountOf(c)})")));
            string head = $"{"",-22}{"estimate",12}{"std.error",12}{"t/z",10}{"p",10}   interval";
            RegressionResult? fit = _twfe?.Fit ?? _event?.Fit ?? _sunab?.Fit;
            if (fit is not null)
                o.WriteLine($"N = {fit.N}, vcov {fit.Vcov} ({string.Join(", ", fit.Clusters.Select(kv => $"{kv.Value} clusters of {kv.Key}"))}), t tests on {fit.DfTests.ToString(Inv)} df");
            if (_twfe is not null)
            {
                o.WriteLine("two-way FE DID: y ~ treat_post + covariates | unit + time");
                o.WriteLine(head);
                foreach (var c in _twfe.Fit.Coefficients) o.WriteLine(Row(c.Term, c));
            }
            if (_event is not null)
            {
                o.WriteLine($"event study (reference period {_event.Reference}; never-treated units in the reference group)");
                o.WriteLine(head);
                foreach (var t in _event.Terms) o.WriteLine(Row(EventStudy.EventName(t.RelPeriod), t.Coefficient));
                if (_event.PreTrend is { } w) o.WriteLine($"pre-trend test (all leads = 0): F({w.Df1.ToString(Inv)}, {(w.Df2 ?? double.PositiveInfinity).ToString(Inv)}) = {F(w.Statistic)}, p = {TableOutput.P(w.PValue)}");
            }
            if (_sunab is not null)
            {
                o.WriteLine($"Sun–Abraham: {_sunab.Cells.Count} cohort × relative-period cells, aggregated with cell-size weights");
                o.WriteLine(head);
                o.WriteLine(Row("ATT", _sunab.Att));
                foreach (var (r, c) in _sunab.ByPeriod) o.WriteLine(Row(EventStudy.EventName(r), c));
                foreach (var (g, c) in _sunab.ByCohort) o.WriteLine(Row("cohort::" + g.ToString(Inv), c));
            }
            if (_cs is not null)
            {
                o.WriteLine($"Callaway–Sant'Anna ({(_cs.Control == ControlGroup.Never ? "never-treated" : "not-yet-treated")} controls, {EstimatorName}, {BaseName} base period, {_cs.Units} units, {_cs.Cells.Count} group-time cells; normal intervals)");
                foreach (var n in _cs.Notes) o.WriteLine($"note: {n}");
                o.WriteLine(head);
                o.WriteLine(Row("simple ATT", _cs.Simple));
                o.WriteLine(Row("dynamic (e >= 0)", _cs.Dynamic.Overall));
                foreach (var e in _cs.Dynamic.Effects) o.WriteLine(Row($"  e = {e.Key}", e));
                o.WriteLine(Row("group", _cs.Group.Overall));
                foreach (var e in _cs.Group.Effects) o.WriteLine(Row($"  g = {e.Key}", e));
                o.WriteLine(Row("calendar", _cs.Calendar.Overall));
                if (Bootstrap is { } bs)
                {
                    o.WriteLine($"multiplier bootstrap ({bs.Result.Draws} draws, seed {bs.Seed}): uniform critical value {F(bs.Result.CriticalValue)} over {_cs.Cells.Count} group-time cells (bands in --json)");
                    foreach (var a in bs.Result.Aggregations)
                        o.WriteLine($"  {a.Type}: uniform critical value {F(a.CriticalValue)} over {a.StdErrors.Count} effect(s)" + (double.IsNaN(a.OverallStdError) ? "" : $"; overall bootstrap SE {F(a.OverallStdError)}"));
                }
            }
            if (_bacon is not null)
            {
                o.WriteLine($"Goodman-Bacon decomposition of the TWFE estimate {F(_bacon.TwfeEstimate)}");
                o.WriteLine($"{"type",-28}{"weight",10}{"estimate",12}");
                foreach (var (type, w, e) in _bacon.ByType) o.WriteLine($"{type,-28}{F(w),10}{F(e),12}");
            }
            if (Placebo is { } pl)
            {
                var s = pl.Summary;
                o.WriteLine($"placebo ({pl.Kind.ToString().ToLowerInvariant()} reassigned, {s.Draws} draws, seed {pl.Seed}): actual {F(s.Actual)}, placebo mean {F(s.Mean)} (sd {F(s.StdDev)}), "
                    + $"p = {TableOutput.P(s.PValue)} ((1 + #|b*| >= |b|)/(1 + B)); share as extreme {F(s.ShareAsExtreme)}");
            }
            if (FakeYear is { } fy) o.WriteLine(Row($"fake year (-{fy.Shift})", fy.Result.Att));
            if (LeaveOut is { } lo) foreach (var (c, r) in lo) o.WriteLine(Row($"without cohort {c}", r.Att));
        }

        public string Json()
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("method", method);
                w.WriteString("outcome", options.Outcome.Text);
                WriteDesign(w);
                if (_twfe is not null)
                {
                    WriteFit(w, _twfe.Fit);
                    w.WritePropertyName("att");
                    JsonOutput.WriteCoefficient(w, _twfe.Att);
                }
                if (_event is not null)
                {
                    WriteFit(w, _event.Fit);
                    w.WriteNumber("reference", _event.Reference);
                    w.WriteStartArray("event");
                    foreach (var t in _event.Terms)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("rel_period", t.RelPeriod);
                        w.WriteNumber("rows", t.Rows);
                        JsonOutput.CoefficientFields(w, t.Coefficient);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (_event.PreTrend is { } pt) { w.WritePropertyName("pre_trend"); JsonOutput.WriteTest(w, pt); }
                    else w.WriteNull("pre_trend");
                }
                if (_sunab is not null)
                {
                    WriteFit(w, _sunab.Fit);
                    w.WriteStartArray("cells");
                    foreach (var c in _sunab.Cells)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("cohort", c.Cohort);
                        w.WriteNumber("rel_period", c.RelPeriod);
                        w.WriteNumber("rows", c.Rows);
                        JsonOutput.CoefficientFields(w, c.Coefficient);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WritePropertyName("att");
                    JsonOutput.WriteCoefficient(w, _sunab.Att);
                    w.WriteStartArray("by_period");
                    foreach (var (r, c) in _sunab.ByPeriod) { w.WriteStartObject(); w.WriteNumber("rel_period", r); JsonOutput.CoefficientFields(w, c); w.WriteEndObject(); }
                    w.WriteEndArray();
                    w.WriteStartArray("by_cohort");
                    foreach (var (g, c) in _sunab.ByCohort) { w.WriteStartObject(); w.WriteNumber("cohort", g); JsonOutput.CoefficientFields(w, c); w.WriteEndObject(); }
                    w.WriteEndArray();
                }
                if (_cs is not null) WriteCs(w, _cs);
                if (Bootstrap is { } bs && _cs is not null)
                {
                    w.WriteStartObject("bootstrap");
                    w.WriteNumber("draws", bs.Result.Draws);
                    w.WriteNumber("seed", bs.Seed);
                    w.WriteString("stream_key", CsBootstrapKey);
                    JsonOutput.Num(w, "critical_value", bs.Result.CriticalValue);
                    w.WriteStartArray("group_time");
                    for (int i = 0; i < _cs.Cells.Count; i++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("group", _cs.Cells[i].Group);
                        w.WriteNumber("time", _cs.Cells[i].Time);
                        JsonOutput.Num(w, "std_error", bs.Result.StdErrors[i]);
                        JsonOutput.Num(w, "band_low", bs.Result.Low[i]);
                        JsonOutput.Num(w, "band_high", bs.Result.High[i]);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartArray("aggregations");
                    foreach (var a in bs.Result.Aggregations)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", a.Type);
                        JsonOutput.Num(w, "critical_value", a.CriticalValue);
                        JsonOutput.Num(w, "overall_std_error", a.OverallStdError);
                        var effects = a.Type switch { "dynamic" => _cs.Dynamic.Effects, "group" => _cs.Group.Effects, "calendar" => _cs.Calendar.Effects, _ => [_cs.Simple] };
                        w.WriteStartArray("effects");
                        for (int i = 0; i < a.StdErrors.Count; i++)
                        {
                            w.WriteStartObject();
                            if (effects[i].Key is { } key) w.WriteNumber("key", key); else w.WriteNull("key");
                            JsonOutput.Num(w, "std_error", a.StdErrors[i]);
                            JsonOutput.Num(w, "band_low", a.Low[i]);
                            JsonOutput.Num(w, "band_high", a.High[i]);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                if (_bacon is not null)
                {
                    w.WriteNumber("twfe_estimate", _bacon.TwfeEstimate);
                    w.WriteStartArray("terms");
                    foreach (var t in _bacon.Terms)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", t.Type);
                        w.WriteNumber("treated", t.Treated);
                        if (t.Control is { } c) w.WriteNumber("control", c); else w.WriteNull("control");
                        JsonOutput.Num(w, "estimate", t.Estimate);
                        JsonOutput.Num(w, "weight", t.Weight);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartArray("by_type");
                    foreach (var (type, wt, e) in _bacon.ByType) { w.WriteStartObject(); w.WriteString("type", type); JsonOutput.Num(w, "weight", wt); JsonOutput.Num(w, "estimate", e); w.WriteEndObject(); }
                    w.WriteEndArray();
                }
                if (Placebo is { } pl)
                {
                    var s = pl.Summary;
                    w.WriteStartObject("placebo");
                    w.WriteString("kind", pl.Kind.ToString().ToLowerInvariant());
                    w.WriteNumber("seed", pl.Seed);
                    w.WriteString("stream_key", pl.Key);
                    w.WriteNumber("draws", pl.Draws.Length);
                    w.WriteNumber("usable_draws", s.Draws);
                    JsonOutput.Num(w, "actual", s.Actual);
                    JsonOutput.Num(w, "mean", s.Mean);
                    JsonOutput.Num(w, "std_dev", s.StdDev);
                    JsonOutput.Num(w, "p_value", s.PValue);
                    JsonOutput.Num(w, "share_as_extreme", s.ShareAsExtreme);
                    w.WriteStartArray("estimates");
                    foreach (var d in pl.Draws) { if (double.IsFinite(d)) w.WriteNumberValue(d); else w.WriteNullValue(); }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                if (FakeYear is { } fy)
                {
                    w.WriteStartObject("fake_year");
                    w.WriteNumber("shift", fy.Shift);
                    w.WriteNumber("n", fy.Result.Fit.N);
                    JsonOutput.CoefficientFields(w, fy.Result.Att);
                    w.WriteEndObject();
                }
                if (LeaveOut is { } lo)
                {
                    w.WriteStartArray("leave_out_cohort");
                    foreach (var (c, r) in lo) { w.WriteStartObject(); w.WriteNumber("cohort", c); w.WriteNumber("n", r.Fit.N); JsonOutput.CoefficientFields(w, r.Att); w.WriteEndObject(); }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(ms.ToArray());
        }

        private void WriteDesign(Utf8JsonWriter w)
        {
            w.WriteStartObject("design");
            w.WriteString("source", design.Source);
            w.WriteNumber("units", design.Panel.UnitCount);
            w.WriteNumber("never_treated", design.NeverTreated);
            w.WriteStartArray("cohorts");
            foreach (var c in design.Cohorts) { w.WriteStartObject(); w.WriteNumber("cohort", c); w.WriteNumber("units", design.CountOf(c)); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var n in design.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        private static void WriteFit(Utf8JsonWriter w, RegressionResult r)
        {
            w.WriteNumber("n", r.N);
            w.WriteString("vcov", r.Vcov);
            w.WriteStartObject("clusters");
            foreach (var (k, v) in r.Clusters) w.WriteNumber(k, v);
            w.WriteEndObject();
            JsonOutput.Num(w, "small_sample_factor", r.SmallSampleFactor);
            JsonOutput.Num(w, "df_tests", r.DfTests);
            JsonOutput.Num(w, "r2", r.R2);
            JsonOutput.Num(w, "r2_within", r.R2Within);
            w.WritePropertyName("coefficients");
            JsonOutput.WriteCoefficients(w, r.Coefficients);
            w.WriteStartArray("warnings");
            foreach (var x in r.Warnings) w.WriteStringValue(x);
            w.WriteEndArray();
        }

        private static void Effect(Utf8JsonWriter w, CsEffect e, string keyName)
        {
            w.WriteStartObject();
            if (e.Key is { } k) w.WriteNumber(keyName, k);
            JsonOutput.Num(w, "att", e.Att);
            JsonOutput.Num(w, "std_error", e.StdError);
            JsonOutput.Num(w, "p_value", e.PValue);
            JsonOutput.Num(w, "conf_low", e.ConfLow);
            JsonOutput.Num(w, "conf_high", e.ConfHigh);
            w.WriteEndObject();
        }

        private void WriteCs(Utf8JsonWriter w, CsResult r)
        {
            w.WriteString("control", r.Control == ControlGroup.Never ? "never" : "notyet");
            w.WriteString("est", EstimatorName);
            w.WriteNumber("covariates", options.Covariates.Count);
            w.WriteString("base_period", BaseName);
            w.WriteNumber("units_used", r.Units);
            w.WriteStartArray("cs_notes");
            foreach (var n in r.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("group_time");
            foreach (var c in r.Cells)
            {
                w.WriteStartObject();
                w.WriteNumber("group", c.Group);
                w.WriteNumber("time", c.Time);
                w.WriteNumber("base_period", c.BasePeriod);
                JsonOutput.Num(w, "att", c.Att);
                JsonOutput.Num(w, "std_error", c.StdError);
                w.WriteNumber("treated", c.Treated);
                w.WriteNumber("controls", c.Controls);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("simple");
            Effect(w, r.Simple, "key");
            foreach (var (name, agg, key) in new[] { ("dynamic", r.Dynamic, "e"), ("group", r.Group, "group"), ("calendar", r.Calendar, "time") })
            {
                w.WriteStartObject(name);
                w.WriteStartArray("effects");
                foreach (var e in agg.Effects) Effect(w, e, key);
                w.WriteEndArray();
                w.WritePropertyName("overall");
                Effect(w, agg.Overall, key);
                w.WriteEndObject();
            }
        }
    }
}
