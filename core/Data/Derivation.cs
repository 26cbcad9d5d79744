using System.Globalization;
using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// One constructed measure of a study (<c>dataset.derive</c>): the column(s) it adds are named after
/// <paramref name="Name"/>, <paramref name="Kind"/> says which construction, and every parameter is a
/// list of strings (a scalar is a one-element list) so that the step travels through contracts as is.
/// </summary>
/// <param name="Name">The new column (and the prefix of any further columns the kind adds).</param>
/// <param name="Kind">One of <see cref="Derivation.Kinds"/>.</param>
/// <param name="Parameters">Parameter name → values.</param>
public sealed record DeriveStep(string Name, string Kind, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters);

/// <summary>What a derive step did, for the manifest.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Kind">The step's kind.</param>
/// <param name="Parameters">Every parameter with its default filled in (ordinal key order).</param>
/// <param name="Columns">The columns it added, in order.</param>
/// <param name="Notes">Facts worth reporting: fitted coefficients, weights, PCA components, a flipped sign.</param>
public sealed record DeriveRecord(string Name, string Kind, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters, IReadOnlyList<string> Columns, IReadOnlyList<string> Notes);

/// <summary>
/// Constructed measures as named steps applied in order to a panel (docs/methods.md, "Composite indices and regional gaps"): each
/// step reads columns of the data or of earlier steps and adds new columns; a step naming an
/// existing column is an error, so nothing is overwritten. Kinds and parameters (defaults in
/// brackets):
/// <list type="bullet">
/// <item><c>lq</c>: sector, total → LQ_it = (sector/total) / (Σ_i sector / Σ_i total) per period (<see cref="Measures.LocationQuotient"/>).</item>
/// <item><c>industrial_optimisation</c>: value_added [k ≥ 2 columns], employment [k columns] → Σ_k P_k L_k / mean.</item>
/// <item><c>upgrading</c>: value_added [primary, secondary, tertiary], employment [3], advanced [tertiary/secondary]
/// or secondary/tertiary, rationalisation [negative] (−TL) or reciprocal (1/TL), weights [0.318, 0.682] summing
/// to 1 → NAME_advanced, NAME_theil, NAME (composite).</item>
/// <item><c>translog_allocation</c>: output, labour, capital, wage, rate, distortions [false] → NAME = −(D_E + D_C)/2,
/// and with distortions NAME_labour_distortion (D_E) and NAME_capital_distortion (D_C).</item>
/// <item><c>capital_stock</c>: investment, price_index, base_year [first period], depreciation [0.096], growth [data] or a rate.</item>
/// <item><c>patents_adjusted</c>: patents, grant_lag_shares [τ_0, τ_1, … summing to 1], last_year [last period], log [true] → ln(1 + K_adj) or K_adj.</item>
/// <item><c>log</c>: column, offset [0] → ln(column + offset).</item>
/// <item><c>lag</c>: column, k [1] → the value k periods earlier within unit (negative k: a lead).</item>
/// <item><c>interact</c>: columns [a, b], centre [false] → a·b, or (a − ā)(b − b̄) with pooled means.</item>
/// <item><c>winsorize</c>: column, limits [1, 99], per_period [false].</item>
/// <item><c>index</c>: method [entropy] or pca, indicators ["code:+", "code:-", …], dimensions [none] (one per
/// indicator); entropy: shift [0], per_period [false], scale [1], sub_indices [false] (adds NAME_dimension per
/// first-level dimension); pca: cumulative [kaiser] or a share in (0, 1], reference [entropy] (the entropy
/// score of the same indicators) or a column that fixes the sign.</item>
/// <item><c>expr</c>: expr (arithmetic over columns, <see cref="DeriveExpression"/>: <c>fiscal / gdp</c>, <c>gdp / pop</c>,
/// <c>growth(gdp)</c>) → NAME.</item>
/// <item><c>deflate</c>: column, index, base_year, index_type [chained] (the yearbook's "previous year = 100") or fixed
/// (a fixed-base index) → NAME = column at base_year prices, per unit.</item>
/// </list>
/// </summary>
public static class Derivation
{
    /// <summary>The kinds of step, in documentation order.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        ["lq", "industrial_optimisation", "upgrading", "translog_allocation", "capital_stock", "patents_adjusted", "log", "lag", "interact", "winsorize", "index", "expr", "deflate"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Checks a step against the columns available before it and returns the column names it adds.
    /// </summary>
    /// <exception cref="InputException">
    /// A bad parameter; the message starts with the parameter's name ("weights: expected two numbers summing
    /// to 1, found [0.3, 0.3]"), or with "name" or "kind" when those are at fault, so the caller can prefix
    /// the key path.
    /// </exception>
    public static IReadOnlyList<string> Check(DeriveStep step, IReadOnlyCollection<string> availableColumns)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(availableColumns);
        return Plan(step, availableColumns, null).Columns;
    }

    /// <summary>
    /// Applies the steps in order; each may use the columns of earlier ones. Returns the panel with the
    /// added columns and one record per step.
    /// </summary>
    /// <exception cref="InputException">
    /// A step fails its check ("derive step 'x' (lq): total: no column …") or its data ("derive step 'x' (lq):
    /// location quotient: total employment 0 at …").
    /// </exception>
    public static (Panel Panel, IReadOnlyList<DeriveRecord> Records) Apply(Panel panel, IReadOnlyList<DeriveStep> steps)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(steps);
        var records = new List<DeriveRecord>();
        foreach (var step in steps)
        {
            var available = panel.Frame.Columns.Select(c => c.Name).ToList();
            StepPlan plan;
            IReadOnlyList<(string Name, double[] Values)> added;
            try
            {
                plan = Plan(step, available, panel);
                added = plan.Compute!();
            }
            catch (InputException e)
            {
                throw new InputException($"derive step '{step.Name}' ({step.Kind}): {e.Message}", e);
            }
            foreach (var (name, values) in added) panel = panel.WithColumn(name, values);
            records.Add(new DeriveRecord(step.Name, step.Kind, plan.Parameters, plan.Columns, plan.Notes));
        }
        return (panel, records);
    }

    /// <summary>A checked step: the columns it adds, its filled parameters, and (with a panel) how to compute them.</summary>
    private sealed class StepPlan(IReadOnlyList<string> columns, IReadOnlyDictionary<string, IReadOnlyList<string>> parameters, Func<IReadOnlyList<(string, double[])>>? compute, List<string> notes)
    {
        public IReadOnlyList<string> Columns { get; } = columns;
        public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; } = parameters;
        public Func<IReadOnlyList<(string, double[])>>? Compute { get; } = compute;
        public List<string> Notes { get; } = notes;
    }

    private static StepPlan Plan(DeriveStep step, IReadOnlyCollection<string> available, Panel? panel)
    {
        if (string.IsNullOrEmpty(step.Name) || !step.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(step.Name[0]))
            throw new InputException($"name: '{step.Name}' is not a column name; use letters, digits and _ (not starting with a digit)");
        var p = new Params(step.Parameters, available);
        var notes = new List<string>();
        string n = step.Name;
        List<string> cols;
        Func<IReadOnlyList<(string, double[])>>? compute = null;
        double[] Num(string c) => panel!.Frame.Numeric(c);
        switch (step.Kind)
        {
            case "lq":
            {
                string sector = p.Column("sector"), total = p.Column("total");
                cols = [n];
                if (panel is not null) compute = () => [(n, Measures.LocationQuotient(panel, Num(sector), Num(total)))];
                break;
            }
            case "industrial_optimisation":
            {
                var va = p.Columns("value_added", 2, null, "two or more sector value-added columns");
                var em = p.Columns("employment", va.Count, va.Count, $"{va.Count} sector employment columns, one per value_added column");
                cols = [n];
                if (panel is not null) compute = () => [(n, Measures.IndustrialOptimisation(panel, [.. va.Select(Num)], [.. em.Select(Num)]))];
                break;
            }
            case "upgrading":
            {
                var va = p.Columns("value_added", 3, 3, "three value-added columns: primary, secondary, tertiary");
                var em = p.Columns("employment", 3, 3, "three employment columns: primary, secondary, tertiary");
                string adv = p.Choice("advanced", "tertiary/secondary", "tertiary/secondary", "secondary/tertiary");
                string rat = p.Choice("rationalisation", "negative", "negative", "reciprocal");
                var w = p.Numbers("weights", ["0.318", "0.682"]);
                if (w.Length != 2 || Math.Abs(w[0] + w[1] - 1) > 1e-9 || w.Any(x => x < 0))
                    throw new InputException($"weights: expected two non-negative numbers summing to 1 (advanced, rationalisation), found [{string.Join(", ", w.Select(x => x.ToString("R", Inv)))}]");
                cols = [n + "_advanced", n + "_theil", n];
                var options = new UpgradingOptions
                {
                    InvertAdvanced = adv == "secondary/tertiary",
                    AdvancedWeight = w[0],
                    RationalisationWeight = w[1],
                    Rationalisation = rat == "negative" ? RationalisationScore.Negative : RationalisationScore.Reciprocal,
                };
                notes.Add(rat == "negative" ? "composite = w_adv·advanced − w_rat·TL (lower Theil is better)" : "composite = w_adv·advanced + w_rat/TL (lower Theil is better)");
                if (panel is not null)
                    compute = () =>
                    {
                        var r = Measures.Upgrading(panel, [.. va.Select(Num)], [.. em.Select(Num)], options);
                        return [(cols[0], r.Advanced), (cols[1], r.TheilRationalisation), (cols[2], r.Composite)];
                    };
                break;
            }
            case "translog_allocation":
            {
                string output = p.Column("output"), labour = p.Column("labour"), capital = p.Column("capital"), wage = p.Column("wage"), rate = p.Column("rate");
                bool distortions = p.Bool("distortions", false);
                cols = distortions ? [n, n + "_labour_distortion", n + "_capital_distortion"] : [n];
                if (panel is not null)
                    compute = () =>
                    {
                        var r = Measures.Translog(panel, output, labour, capital, Num(wage), Num(rate));
                        notes.Add("translog φ0..φ5 = " + string.Join(", ", r.Phi.Select(v => v.ToString("G6", Inv))) + $"; R² = {r.Fit.R2.ToString("G4", Inv)}, N = {r.Fit.N}");
                        return distortions ? [(n, r.Allocation), (cols[1], r.DistortionE), (cols[2], r.DistortionC)] : [(n, r.Allocation)];
                    };
                break;
            }
            case "capital_stock":
            {
                string inv = p.Column("investment"), price = p.Column("price_index");
                long? baseYear = p.OptInt("base_year");
                double dep = p.Number("depreciation", "0.096");
                if (!(dep > 0 && dep < 1)) throw new InputException($"depreciation: expected a rate in (0, 1) such as 0.096, found {dep.ToString("R", Inv)}");
                string growthText = p.Text("growth", "data");
                double? growth = null;
                if (growthText != "data")
                {
                    if (!double.TryParse(growthText, NumberStyles.Float, Inv, out double g) || !double.IsFinite(g))
                        throw new InputException($"growth: expected 'data' (each unit's average growth of real investment) or a rate such as 0.1384, found '{growthText}'");
                    growth = g;
                }
                cols = [n];
                if (panel is not null)
                {
                    long b = baseYear ?? panel.Periods[0];
                    if (!panel.Periods.Contains(b)) throw new InputException($"base_year: {b} is not a period of the data ({panel.Periods[0]}–{panel.Periods[^1]})");
                    p.Fill("base_year", b.ToString(Inv));
                    compute = () => [(n, Measures.CapitalStock(panel, Num(inv), Num(price), b, dep, growth))];
                }
                break;
            }
            case "patents_adjusted":
            {
                string patents = p.Column("patents");
                var tau = p.Numbers("grant_lag_shares", null);
                if (tau.Length == 0 || tau.Any(t => !(t >= 0)) || Math.Abs(tau.Sum() - 1) > 1e-6)
                    throw new InputException($"grant_lag_shares: expected the shares τ_0, τ_1, … of patents granted 0, 1, … years after application, non-negative and summing to 1, found [{string.Join(", ", tau.Select(x => x.ToString("R", Inv)))}]");
                long? last = p.OptInt("last_year");
                bool log = p.Bool("log", true);
                cols = [n];
                if (panel is not null)
                {
                    long l = last ?? panel.Periods[^1];
                    p.Fill("last_year", l.ToString(Inv));
                    compute = () => [(n, log ? Measures.PatentTruncation(panel, Num(patents), tau, l) : Measures.PatentAdjusted(panel, Num(patents), tau, l))];
                }
                break;
            }
            case "log":
            {
                string c = p.Column("column");
                double offset = p.Number("offset", "0");
                cols = [n];
                if (panel is not null)
                    compute = () => [(n, PanelTransforms.Log(panel, Num(c).Select(v => v + offset).ToArray(), offset == 0 ? c : $"{c} + {offset.ToString("R", Inv)}"))];
                break;
            }
            case "expr":
            {
                DeriveExpression e;
                try { e = DeriveExpression.Parse(p.Text("expr", null), available); }
                catch (InputException x) when (!x.Message.StartsWith("expr:", StringComparison.Ordinal)) { throw new InputException($"expr: {x.Message}", x); }
                cols = [n];
                if (panel is not null) compute = () => [(n, e.Evaluate(panel))];
                break;
            }
            case "deflate":
            {
                string c = p.Column("column"), idx = p.Column("index");
                long baseYear = p.OptInt("base_year") ?? throw new InputException("base_year: missing; the year whose prices the result is in, e.g. 2013");
                bool chained = p.Choice("index_type", "chained", "chained", "fixed") == "chained";
                cols = [n];
                if (panel is not null)
                    compute = () =>
                    {
                        var (real, units) = Deflate(panel, Num(c), Num(idx), baseYear, chained);
                        if (units.Count > 0) notes.Add($"missing for {units.Count} unit(s) whose price index does not reach {baseYear}: {string.Join(", ", units.Take(5))}{(units.Count > 5 ? ", …" : "")}");
                        return [(n, real)];
                    };
                break;
            }
            case "lag":
            {
                string c = p.Column("column");
                long k = p.Int("k", 1);
                if (k == 0 || Math.Abs(k) > 1000) throw new InputException($"k: expected a non-zero number of periods (negative for a lead), found {k}");
                cols = [n];
                if (panel is not null) compute = () => [(n, PanelTransforms.Lag(panel, Num(c), (int)k))];
                break;
            }
            case "interact":
            {
                var ab = p.Columns("columns", 2, 2, "two columns [a, b]");
                bool centre = p.Bool("centre", false);
                cols = [n];
                if (panel is not null)
                    compute = () =>
                    {
                        var a = Num(ab[0]);
                        var b = Num(ab[1]);
                        double ma = 0, mb = 0;
                        if (centre)
                        {
                            ma = a.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();
                            mb = b.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average();
                            notes.Add($"centred at the pooled means {ab[0]} = {ma.ToString("R", Inv)}, {ab[1]} = {mb.ToString("R", Inv)}");
                        }
                        return [(n, a.Select((v, i) => (v - ma) * (b[i] - mb)).ToArray())];
                    };
                break;
            }
            case "winsorize":
            {
                string c = p.Column("column");
                var lim = p.Numbers("limits", ["1", "99"]);
                if (lim.Length != 2 || !(lim[0] >= 0 && lim[0] < lim[1] && lim[1] <= 100))
                    throw new InputException($"limits: expected two percentiles [lower, upper] with 0 <= lower < upper <= 100, found [{string.Join(", ", lim.Select(x => x.ToString("R", Inv)))}]");
                bool per = p.Bool("per_period", false);
                cols = [n];
                if (panel is not null) compute = () => [(n, PanelTransforms.Winsorize(panel, Num(c), lim[0], lim[1], per ? WinsorScope.ByPeriod : WinsorScope.Pooled))];
                break;
            }
            case "index":
                (cols, compute) = IndexPlan(n, p, panel, notes);
                break;
            default:
                throw new InputException($"kind: unknown kind '{step.Kind}'; expected one of: {string.Join(", ", Kinds)}");
        }
        p.RejectUnknown(step.Kind);
        var seen = new HashSet<string>(available, StringComparer.Ordinal);
        foreach (var c in cols)
            if (!seen.Add(c))
                throw new InputException($"name: column '{c}' already exists; a derive step never overwrites a column, choose another name");
        return new StepPlan(cols, p.Filled, compute, notes);
    }

    private static (List<string> Columns, Func<IReadOnlyList<(string, double[])>>? Compute) IndexPlan(string n, Params p, Panel? panel, List<string> notes)
    {
        string method = p.Choice("method", "entropy", "entropy", "pca");
        var raw = p.Strings("indicators", null);
        if (raw.Count == 0) throw new InputException("indicators: expected a list such as [x1:+, x2:-] (direction + benefit, - cost)");
        var dims = p.Strings("dimensions", []);
        if (dims.Count == 0) dims = null;
        if (dims is not null && dims.Count != raw.Count)
            throw new InputException($"dimensions: expected one first-level dimension per indicator ({raw.Count}), found {dims.Count}");
        var indicators = new List<Indicator>();
        for (int j = 0; j < raw.Count; j++)
        {
            var bits = raw[j].Split(':', StringSplitOptions.TrimEntries);
            if (bits.Length > 2 || bits[0].Length == 0 || (bits.Length == 2 && bits[1] is not ("+" or "-")))
                throw new InputException($"indicators: '{raw[j]}' should be CODE:+ (benefit) or CODE:- (cost)");
            p.RequireColumn("indicators", bits[0]);
            indicators.Add(new Indicator(bits[0], bits.Length == 2 && bits[1] == "-" ? Direction.Negative : Direction.Positive, Path: dims is null || dims[j].Length == 0 ? null : [dims[j]]));
        }
        var dup = indicators.GroupBy(i => i.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"indicators: '{dup.Key}' appears more than once");
        p.Fill("indicators", [.. indicators.Select(i => i.Code + (i.Direction == Direction.Positive ? ":+" : ":-"))]);
        var system = new IndicatorSystem(n, indicators);
        var cols = new List<string> { n };
        string[] entropyKeys = ["shift", "per_period", "scale", "sub_indices"], pcaKeys = ["cumulative", "reference"];
        foreach (var k in method == "entropy" ? pcaKeys : entropyKeys)
            if (p.Has(k)) throw new InputException($"{k}: applies to method {(method == "entropy" ? "pca" : "entropy")} only");
        if (method == "entropy")
        {
            double shift = p.Number("shift", "0");
            if (!(shift >= 0 && shift < 1)) throw new InputException($"shift: expected 0 (none) or a small positive constant such as 0.0001, found {shift.ToString("R", Inv)}");
            bool per = p.Bool("per_period", false);
            double scale = p.Number("scale", "1");
            if (!(scale > 0)) throw new InputException($"scale: expected 1 or 100, found {scale.ToString("R", Inv)}");
            bool sub = p.Bool("sub_indices", false);
            var subCols = new Dictionary<string, string>(StringComparer.Ordinal);
            if (sub)
            {
                if (system.Dimensions.Count == 0) throw new InputException("sub_indices: the indicators have no dimensions (give dimensions, or a system with dimensions)");
                foreach (var (d, k) in system.Dimensions.Select((d, k) => (d, k)))
                {
                    string c = n + "_" + Slug(d, k + 1);
                    if (subCols.ContainsValue(c)) throw new InputException($"sub_indices: two dimensions give the column '{c}'; rename a dimension");
                    subCols[d] = c;
                }
                cols.AddRange(subCols.Values);
            }
            var options = new EntropyOptions { Shift = shift, Scope = per ? NormalisationScope.PerPeriod : NormalisationScope.Pooled, Scale = scale };
            if (panel is null) return (cols, null);
            return (cols, () =>
            {
                var r = EntropyIndex.Build(IndexInput.From(panel, system), options);
                notes.Add("entropy weights: " + string.Join(", ", r.Indicators.Select((c, j) => $"{c} {r.Weights.Weight[j].ToString("G6", Inv)}")));
                notes.AddRange(r.Warnings);
                var result = new List<(string, double[])> { (n, r.Score) };
                foreach (var (d, c) in subCols) result.Add((c, r.SubIndices[d]));
                return result;
            });
        }
        string cumText = p.Text("cumulative", "kaiser");
        double? cumulative = null;
        if (cumText != "kaiser")
        {
            if (!double.TryParse(cumText, NumberStyles.Float, Inv, out double c) || !(c > 0 && c <= 1))
                throw new InputException($"cumulative: expected 'kaiser' (components with eigenvalue > 1) or a cumulative variance share in (0, 1] such as 0.85, found '{cumText}'");
            cumulative = c;
        }
        string reference = p.Text("reference", "entropy");
        if (reference != "entropy") p.RequireColumn("reference", reference);
        if (panel is null) return (cols, null);
        return (cols, () =>
        {
            var input = IndexInput.From(panel, system);
            double[] refScore = reference == "entropy" ? EntropyIndex.Build(input).Score : panel.Frame.Numeric(reference);
            var r = PcaIndex.Build(input, new PcaOptions { CumulativeVariance = cumulative }, refScore);
            notes.Add($"PCA: {r.Components} component(s) kept, variance share {r.VarianceShare.Take(r.Components).Sum().ToString("G4", Inv)}");
            if (r.SignFlipped) notes.Add($"PCA sign flipped to correlate positively with {(reference == "entropy" ? "the entropy score" : $"'{reference}'")}");
            return [(n, r.Score)];
        });
    }

    /// <summary>A dimension name as a column suffix: ASCII letters and digits lower-cased, anything else '_'.</summary>
    /// <remarks>A name with no ASCII letter or digit (e.g. Chinese only) becomes "dimK", K its 1-based position.</remarks>
    private static string Slug(string s, int position)
    {
        var chars = s.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray();
        string slug = string.Join("_", new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 0 ? slug : "dim" + position.ToString(Inv);
    }

    /// <summary>
    /// A nominal series at <paramref name="baseYear"/> prices, per unit: real_t = nominal_t · P_base / P_t. With a chained
    /// index (the yearbook's "previous year = 100"), the price level is linked year by year from the base,
    /// P_t = P_{t−1} · index_t / 100 forwards and P_{t−1} = P_t / (index_t / 100) backwards, so a missing index or a missing
    /// year ends the chain there (the rows beyond it are missing, never bridged); with a fixed-base index P_t is the index.
    /// A unit without the base year (or its index) is missing throughout and listed.
    /// </summary>
    internal static (double[] Real, List<string> UnitsWithoutBase) Deflate(Panel panel, double[] nominal, double[] index, long baseYear, bool chained)
    {
        var real = new double[nominal.Length];
        Array.Fill(real, double.NaN);
        var missing = new List<string>();
        var time = panel.Time;
        for (int g = 0; g < panel.UnitCount; g++)
        {
            int lo = panel.UnitStart[g], hi = panel.UnitStart[g + 1];
            int b = -1;
            for (int r = lo; r < hi; r++) if (time[r] == baseYear) b = r;
            if (b < 0 || (!chained && !(index[b] > 0))) { missing.Add(panel.UnitLabels[g]); continue; }
            var level = new double[hi - lo];
            Array.Fill(level, double.NaN);
            if (chained)
            {
                level[b - lo] = 1;
                for (int r = b + 1; r < hi && time[r] == time[r - 1] + 1 && index[r] > 0; r++) level[r - lo] = level[r - 1 - lo] * index[r] / 100;
                for (int r = b; r > lo && time[r - 1] == time[r] - 1 && index[r] > 0; r--) level[r - 1 - lo] = level[r - lo] / (index[r] / 100);
            }
            else
            {
                for (int r = lo; r < hi; r++) level[r - lo] = index[r] > 0 ? index[r] / index[b] : double.NaN;
            }
            for (int r = lo; r < hi; r++) real[r] = nominal[r] / level[r - lo];
        }
        return (real, missing);
    }

    /// <summary>Reads a step's parameters by name, records each with its default, and names the parameter in every error.</summary>
    private sealed class Params(IReadOnlyDictionary<string, IReadOnlyList<string>> given, IReadOnlyCollection<string> available)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, IReadOnlyList<string>> _filled = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, IReadOnlyList<string>> Filled => _filled;

        public bool Has(string key) => given.ContainsKey(key);

        public void Fill(string key, params string[] values) => _filled[key] = values;

        public IReadOnlyList<string> Strings(string key, IReadOnlyList<string>? fallback)
        {
            _used.Add(key);
            if (given.TryGetValue(key, out var v)) { _filled[key] = v; return v; }
            if (fallback is null) throw new InputException($"{key}: missing");
            _filled[key] = fallback;
            return fallback;
        }

        public string Text(string key, string? fallback)
        {
            var v = Strings(key, fallback is null ? null : [fallback]);
            if (v.Count != 1) throw new InputException($"{key}: expected one value, found a list of {v.Count}");
            return v[0];
        }

        public string Column(string key)
        {
            string c = Text(key, null);
            RequireColumn(key, c);
            return c;
        }

        public IReadOnlyList<string> Columns(string key, int min, int? max, string what)
        {
            var v = Strings(key, null);
            if (v.Count < min || v.Count > (max ?? int.MaxValue)) throw new InputException($"{key}: expected {what}, found {v.Count}");
            foreach (var c in v) RequireColumn(key, c);
            return v;
        }

        public void RequireColumn(string key, string column)
        {
            if (!available.Contains(column))
                throw new InputException($"{key}: no column '{column}'; available: {string.Join(", ", available.OrderBy(a => a, StringComparer.Ordinal))}");
        }

        public double Number(string key, string fallback)
        {
            string t = Text(key, fallback);
            return double.TryParse(t, NumberStyles.Float, Inv, out double r) && double.IsFinite(r) ? r : throw new InputException($"{key}: expected a number, found '{t}'");
        }

        public double[] Numbers(string key, IReadOnlyList<string>? fallback) =>
            [.. Strings(key, fallback).Select(t => double.TryParse(t, NumberStyles.Float, Inv, out double r) && double.IsFinite(r) ? r : throw new InputException($"{key}: expected numbers, found '{t}'"))];

        public long Int(string key, long fallback)
        {
            string t = Text(key, fallback.ToString(Inv));
            return long.TryParse(t, NumberStyles.Integer, Inv, out long r) ? r : throw new InputException($"{key}: expected an integer, found '{t}'");
        }

        /// <summary>An optional integer whose default depends on the data (filled in later with <see cref="Fill"/>).</summary>
        public long? OptInt(string key)
        {
            _used.Add(key);
            if (!given.ContainsKey(key)) return null;
            return Int(key, 0);
        }

        public bool Bool(string key, bool fallback)
        {
            string t = Text(key, fallback ? "true" : "false");
            return t switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                _ => throw new InputException($"{key}: expected true or false, found '{t}'"),
            };
        }

        public string Choice(string key, string fallback, params string[] options)
        {
            string t = Text(key, fallback);
            return options.Contains(t) ? t : throw new InputException($"{key}: expected one of {string.Join(", ", options)}, found '{t}'");
        }

        public void RejectUnknown(string kind)
        {
            foreach (var k in given.Keys.Order(StringComparer.Ordinal))
                if (!_used.Contains(k))
                    throw new InputException($"{k}: unknown parameter of kind '{kind}'; expected one of: {string.Join(", ", _used.Order(StringComparer.Ordinal))}");
        }
    }
}
