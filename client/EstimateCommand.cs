using System.CommandLine;
using System.Globalization;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Client;

internal static class EstimateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formula = new Argument<string>("formula")
        {
            Description = "fixest-style formula: 'y ~ x1 + log(x2) + lag(x3) | fe1 + fe2' or 'y ~ exog | fe | endog ~ instrument'; '0' for no FE; 'a^b' interacts FE columns; 'a:b' multiplies regressors",
        };
        var panelInput = new PanelInput(optionalPanel: true);
        var vcov = new Option<string[]>("--vcov")
        {
            Description = $"variance estimator: {VcovSpec.Syntaxes} (default iid; studies cluster by unit; robust = hc1, Stata's robust). Several from one fit, side by side: repeat --vcov, or a list 'hc1,cluster:state,dk' (a comma starts a new estimator when an estimator's name follows; use ';' when a cluster column has such a name)",
            DefaultValueFactory = _ => ["iid"],
            AllowMultipleArgumentsPerToken = false,
        };
        var ssc = new Option<string>("--ssc") { Description = "small-sample convention: stata (xtreg/reghdfe, default) | plm | lsdv (areg) | none", DefaultValueFactory = _ => "stata" };
        var estimator = new Option<string?>("--estimator") { Description = "ols | within | re | iv-2sls | iv-gmm2s (default: from the formula)" };
        var lag = new Option<string[]>("--lag") { Description = "replace COL by its lag within unit before estimating: COL or COL:K (repeatable)", AllowMultipleArgumentsPerToken = false };
        var winsor = new Option<string?>("--winsor") { Description = "winsorise these columns (comma list) before estimating" };
        var limits = new Option<string>("--winsor-limits") { Description = "lower,upper percentiles", DefaultValueFactory = _ => "1,99" };
        var winsorBy = new Option<string>("--winsor-by") { Description = "pooled | period", DefaultValueFactory = _ => "pooled" };
        var interpolate = new Option<string?>("--interpolate") { Description = "fill gaps inside each unit's series of these columns (comma list) by linear interpolation; every fill is reported" };
        var filter = new Option<string[]>("--filter") { Description = "keep rows where e.g. 'region == East' or 'year >= 2015' (repeatable; lags still see dropped rows)" };
        var weightsOpt = new Option<string?>("--weights") { Description = "analytic (precision) weights from this numeric column, as fixest weights = ~COL and lm(weights = COL): minimise Σ w e²; rows with weight 0 are dropped, a negative weight is an error; not with re, hc2/hc3/cr2/cr3 or --wild" };
        var singletons = new SingletonsOption();
        var dropCollinear = new Option<bool>("--drop-collinear") { Description = "omit collinear regressors with a note, as Stata does, instead of stopping" };
        var hausman = new Option<bool>("--hausman") { Description = "also fit FE and RE on the formula and report the Hausman test" };
        var level = new Option<double>("--level") { Description = "confidence level", DefaultValueFactory = _ => 0.95 };
        var json = new Option<bool>("--json") { Description = "print JSON instead of the table" };
        var wild = new Option<string?>("--wild") { Description = "wild cluster bootstrap test of TERM=VALUE, e.g. \"unemp=0\" (needs --vcov cluster:COL); p-value and CI by test inversion" };
        var reps = new Option<int>("--reps") { Description = "wild bootstrap draws B; with Rademacher weights and 2^G <= B all 2^G sign vectors are enumerated", DefaultValueFactory = _ => 9999 };
        var wildWeights = new Option<string>("--wild-weights") { Description = "rademacher | webb | mammen", DefaultValueFactory = _ => "rademacher" };
        var wildType = new Option<string>("--wild-type") { Description = "wcr (null imposed) | wcu", DefaultValueFactory = _ => "wcr" };
        var wildP = new Option<string>("--wild-pvalue") { Description = "symmetric (share of |t*| > |t|) | equal-tailed | upper | lower", DefaultValueFactory = _ => "symmetric" };
        var seed = new Option<long>("--seed") { Description = "seed of the wild bootstrap streams", DefaultValueFactory = _ => 20261122 };
        var tables = new TableFiles();
        var tableStat = new Option<string>("--table-stat") { Description = "in parentheses under each coefficient of --table: t | se", DefaultValueFactory = _ => "t" };
        var tableKey = new Option<string?>("--table-key") { Description = "key regressors of --table (comma list): only they get rows, the other regressors become one 'Controls YES' row" };
        var tableR2 = new Option<string>("--table-r2") { Description = "R² of --table for fixed-effects models: within (xtreg, fe; default) | lsdv (reghdfe/areg)", DefaultValueFactory = _ => "within" };
        var cmd = new Command("estimate", "Fit a panel regression: pooled OLS, fixed effects, random effects, or IV (2SLS / gmm2s) with absorbed fixed effects")
        {
            formula, vcov, ssc, estimator, lag, winsor, limits, winsorBy, interpolate, filter, weightsOpt, dropCollinear, hausman, level, json,
            wild, reps, wildWeights, wildType, wildP, seed, tableStat, tableKey, tableR2,
        };
        panelInput.AddTo(cmd);
        singletons.AddTo(cmd);
        tables.AddTo(cmd);
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var f = Formula.Parse(p.GetValue(formula)!);
            var table = tables.Read(p);
            var tableOptions = new RegressionTableOptions
            {
                Stat = p.GetValue(tableStat)!.Trim().ToLowerInvariant() switch
                {
                    "t" => ParenthesisStat.T,
                    "se" => ParenthesisStat.Se,
                    var other => throw new InputException($"--table-stat '{other}': expected t or se"),
                },
                R2 = p.GetValue(tableR2)!.Trim().ToLowerInvariant() switch
                {
                    "lsdv" => R2Kind.Lsdv,
                    "within" => R2Kind.Within,
                    var other => throw new InputException($"--table-r2 '{other}': expected lsdv or within"),
                },
                KeyTerms = p.GetValue(tableKey) is { } keys ? [.. Split(keys)] : null,
                Labels = table.Labels,
                Language = table.Language,
            };
            var warnings = new List<string>();
            var panel = panelInput.Load(p);
            panel = Prepare(panel, p.GetValue(interpolate), p.GetValue(winsor), p.GetValue(limits)!, p.GetValue(winsorBy)!, p.GetValue(lag) ?? [], warnings);
            double lvl = p.GetValue(level);
            if (!(lvl > 0 && lvl < 1)) throw new InputException($"--level {lvl.ToString(CultureInfo.InvariantCulture)}: expected a number between 0 and 1, e.g. 0.95");
            var convention = VcovSpec.ParseConvention(p.GetValue(ssc)!);
            var vcovTexts = p.GetValue(vcov) is { Length: > 0 } given ? given : ["iid"];
            var variances = vcovTexts.Length == 1 && VcovSpec.ParseList(vcovTexts[0], convention) is { Count: 1 }
                ? [VcovSpec.Parse(vcovTexts[0], convention)]
                : vcovTexts.SelectMany(t => VcovSpec.ParseList(t, convention)).ToList();
            var options = new EstimationOptions
            {
                Vcov = variances[0],
                Estimator = p.GetValue(estimator) is { } e ? Estimation.ParseName(e) : null,
                Collinear = p.GetValue(dropCollinear) ? CollinearPolicy.Drop : CollinearPolicy.Error,
                DropSingletons = singletons.Drop(p),
                Weights = p.GetValue(weightsOpt) is { } wcol ? (wcol.Trim().Length > 0 ? wcol.Trim() : throw new InputException("--weights: give the name of a numeric column")) : null,
                ConfidenceLevel = lvl,
                Filters = (p.GetValue(filter) ?? []).Select(RowFilter.Parse).ToList(),
            };
            (string Term, WildOptions Options)? wildTest = p.GetValue(wild) is { } wildText ? ParseWild(wildText, p.GetValue(reps), p.GetValue(wildWeights)!, p.GetValue(wildType)!, p.GetValue(wildP)!, p.GetValue(seed), options) : null;
            if (variances.Count > 1)
            {
                if (wildTest is not null) throw new InputException("--wild uses one variance estimator (cluster:COL): give one --vcov");
                var fits = Estimation.Fit(panel, f, options, variances);
                if (warnings.Count > 0) fits = [.. fits.Select(x => x with { Warnings = [.. warnings, .. x.Warnings] })];
                HausmanResult? hm = p.GetValue(hausman) ? Estimation.Hausman(panel, f, options) : null;
                if (table.Path is { } multiPath)
                {
                    Table t;
                    try { t = RegressionTable.Build(fits, tableOptions with { UnitColumn = panel.IsPanel ? panel.UnitColumn : null, TimeColumn = panel.IsPanel ? panel.TimeColumn : null, Title = fits[0].Formula }); }
                    catch (ArgumentException ae) { throw new InputException($"--table-key: {ae.Message.Split(" (Parameter", 2)[0]}"); }
                    TableFiles.Write(multiPath, t, table.Format);
                }
                if (p.GetValue(json)) stdout.WriteLine(JsonOutput.WriteSideBySide(fits, hm));
                else
                {
                    TableOutput.WriteSideBySide(stdout, fits, hm);
                    foreach (var w in fits.SelectMany(x => x.Warnings).Distinct(StringComparer.Ordinal)) stderr.WriteLine($"warning: {w}");
                }
                return 0;
            }
            var result = Estimation.Fit(panel, f, options);
            HausmanResult? h = null;
            if (p.GetValue(hausman)) h = Estimation.Hausman(panel, f, options);
            WildResult? wr = null;
            if (wildTest is { } wt)
            {
                if (!result.Coefficients.Any(c => c.Term == wt.Term))
                    throw new InputException($"--wild '{p.GetValue(wild)}': '{wt.Term}' is not a coefficient of the model; coefficients: {string.Join(", ", result.Coefficients.Select(c => c.Term))}");
                wr = WildBootstrap.Run(panel, f, options, wt.Term, wt.Options);
            }
            if (warnings.Count > 0) result = result with { Warnings = [.. warnings, .. result.Warnings] };
            if (table.Path is { } tablePath)
            {
                Table t;
                try { t = RegressionTable.Build([result], tableOptions with { UnitColumn = panel.IsPanel ? panel.UnitColumn : null, TimeColumn = panel.IsPanel ? panel.TimeColumn : null, Title = result.Formula }); }
                catch (ArgumentException ae) { throw new InputException($"--table-key: {ae.Message.Split(" (Parameter", 2)[0]}"); }
                TableFiles.Write(tablePath, t, table.Format);
            }
            if (p.GetValue(json)) stdout.WriteLine(JsonOutput.Write(result, h, wr));
            else
            {
                TableOutput.Write(stdout, result, h, wr, panel.IsPanel ? panel.UnitColumn : null);
                foreach (var w in result.Warnings) stderr.WriteLine($"warning: {w}");
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>Parses --wild TERM=VALUE and the other wild options; every check before any fitting.</summary>
    private static (string Term, WildOptions Options) ParseWild(string text, int reps, string weights, string type, string pvalue, long seed, EstimationOptions options)
    {
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            throw new InputException($"--wild '{text}': expected TERM=VALUE, e.g. \"unemp=0\" or \"log(pcap)=0.5\"");
        string term = text[..eq].Trim().TrimEnd('=').Trim();
        string value = text[(eq + 1)..].Trim();
        if (term.Length == 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !double.IsFinite(r))
            throw new InputException($"--wild '{text}': expected TERM=VALUE with a number after '=', e.g. \"unemp=0\"");
        if (options.Vcov.Kind != VcovKind.Cluster || options.Vcov.ClusterColumns.Count != 1)
            throw new InputException("--wild needs one-way clustered errors: add --vcov cluster:COL");
        if (options.Weights is not null) throw new InputException($"--wild does not support --weights {options.Weights}; drop one of them");
        if (reps < 1) throw new InputException($"--reps {reps}: expected at least 1 bootstrap draw");
        var o = new WildOptions
        {
            Null = r,
            Replications = reps,
            Seed = seed,
            Weights = weights.Trim().ToLowerInvariant() switch
            {
                "rademacher" => WildWeights.Rademacher,
                "webb" => WildWeights.Webb,
                "mammen" => WildWeights.Mammen,
                _ => throw new InputException($"--wild-weights '{weights}': expected rademacher, webb or mammen"),
            },
            Type = type.Trim().ToLowerInvariant() switch
            {
                "wcr" or "restricted" => WildType.Restricted,
                "wcu" or "unrestricted" => WildType.Unrestricted,
                _ => throw new InputException($"--wild-type '{type}': expected wcr or wcu"),
            },
            PValue = pvalue.Trim().ToLowerInvariant() switch
            {
                "symmetric" or "two-sided" => WildPValue.Symmetric,
                "equal-tailed" => WildPValue.EqualTailed,
                "upper" or ">" => WildPValue.Upper,
                "lower" or "<" => WildPValue.Lower,
                _ => throw new InputException($"--wild-pvalue '{pvalue}': expected symmetric, equal-tailed, upper or lower"),
            },
        };
        return (term, o);
    }

    internal static Panel Prepare(Panel panel, string? interpolate, string? winsor, string limits, string winsorBy, string[] lags, List<string> warnings)
    {
        if (!panel.IsPanel)
        {
            if (Split(interpolate).Any()) throw new InputException(Panel.NeedsPanel("--interpolate (within each unit's series)"));
            if (lags.Length > 0) throw new InputException(Panel.NeedsPanel("--lag"));
            if (Split(winsor).Any() && winsorBy is "period" or "year") throw new InputException(Panel.NeedsPanel("--winsor-by period"));
        }
        foreach (var col in Split(interpolate))
        {
            var v = PanelTransforms.Interpolate(panel, panel.Frame.Numeric(col), out var fills);
            panel = panel.WithColumn(col, v);
            foreach (var c in fills) warnings.Add($"interpolated {col} at {panel.UnitColumn} '{c.Unit}', {panel.TimeColumn} {c.Time}: {c.Value.ToString("G6", CultureInfo.InvariantCulture)}");
            if (fills.Count == 0) warnings.Add($"interpolate {col}: no interior gap to fill");
        }
        var winsorCols = Split(winsor).ToList();
        if (winsorCols.Count > 0)
        {
            var parts = limits.Split(',');
            if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lo) || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hi))
                throw new InputException($"--winsor-limits '{limits}': expected two percentiles such as 1,99");
            var scope = winsorBy switch
            {
                "pooled" => WinsorScope.Pooled,
                "period" or "year" => WinsorScope.ByPeriod,
                _ => throw new InputException($"--winsor-by '{winsorBy}': expected pooled or period"),
            };
            foreach (var col in winsorCols) panel = panel.WithColumn(col, PanelTransforms.Winsorize(panel, panel.Frame.Numeric(col), lo, hi, scope));
            warnings.Add($"winsorised {string.Join(", ", winsorCols)} at {lo}/{hi} percentiles ({winsorBy})");
        }
        foreach (var spec in lags)
        {
            var parts = spec.Split(':');
            int k = 1;
            if (parts.Length > 2 || (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out k)))
                throw new InputException($"--lag '{spec}': expected COL or COL:K with an integer K");
            panel = panel.WithColumn(parts[0], PanelTransforms.Lag(panel, panel.Frame.Numeric(parts[0]), k));
            warnings.Add($"{parts[0]} replaced by its lag {k} within {panel.UnitColumn}");
        }
        return panel;
    }

    private static IEnumerable<string> Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
