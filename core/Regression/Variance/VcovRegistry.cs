namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// One variance estimator: its names in formulas, studies and on the command line, what it needs from
/// the fit, and one function of a <see cref="VcovContext"/>. Adding an estimator is one file deriving
/// from this class plus one line in <see cref="VcovRegistry.All"/> (docs/architecture.md).
/// </summary>
internal abstract class VarianceEstimator
{
    /// <summary>The canonical name, written in output and parsed back (e.g. <c>hc1</c>, <c>cluster</c>, <c>dk</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Other accepted spellings of the name.</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>How it is written, for help and messages (e.g. <c>cluster:COL[,COL]</c>).</summary>
    public virtual string Syntax => MaxClusters == 0 ? Name : MinClusters == MaxClusters && MaxClusters == 1 ? Name + ":COL" : Name + ":COL[,COL]";

    /// <summary>Fewest cluster columns after the colon (0: the estimator takes none).</summary>
    public virtual int MinClusters => 0;

    /// <summary>Most cluster columns after the colon (0: the estimator takes none).</summary>
    public virtual int MaxClusters => 0;

    /// <summary>The estimator uses the time codes of the sample rows (<see cref="VcovInput.Time"/>).</summary>
    public virtual bool NeedsTime => false;

    /// <summary>The estimator uses the unit codes of the sample rows (<see cref="VcovInput.Unit"/>).</summary>
    public virtual bool NeedsUnit => false;

    /// <summary>
    /// The estimator needs the least-squares design (hat matrix, FE projection), so it is defined for OLS
    /// and within fits only; IV and RE fits refuse it.
    /// </summary>
    public virtual bool LinearOnly => false;

    /// <summary>
    /// The variance is a function of the scores x̃ᵢeᵢ alone (not of the hat matrix), so the same estimator
    /// applies to any linear combination of the fit, such as Stata's `_cons` of a within fit.
    /// </summary>
    public virtual bool ScoreLinear => true;

    /// <summary>
    /// The estimator takes analytic weights: it is a function of the weighted scores wᵢeᵢx̃ᵢ and the bread
    /// (X̃'WX̃)⁻¹ alone, which a weighted fit hands it. Estimators of the hat matrix (HC2, HC3, CR2, CR3) say
    /// false: their weighted leverage is not validated against a reference, so weighted fits refuse them.
    /// </summary>
    public virtual bool SupportsWeights => ScoreLinear;

    /// <summary>The small-sample convention changes the result (it is then written after the name when not stata).</summary>
    public virtual bool UsesConvention => true;

    /// <summary>The message when the column count after the colon is wrong.</summary>
    public virtual string ClusterCountMessage(string text) => $"--vcov '{text}': give one cluster column, e.g. {Name}:city";

    /// <summary>The variance of the coefficients from the fit's pieces.</summary>
    public abstract VcovOutput Compute(in VcovContext c);
}

/// <summary>
/// Everything a variance estimator may use, for one fit: the fit's <see cref="VcovInput"/> (N, K,
/// absorbed df, the absorber, cluster/unit/time codes, the convention), the bread (X̃'X̃)⁻¹, the
/// regressors X̃ with the fixed effects partialled out (for IV the projected regressors; the score of row
/// i is x̃ᵢeᵢ), the residuals e and their sum of squares. A struct, so the default path allocates nothing new.
/// </summary>
internal readonly record struct VcovContext(VcovInput Input, double[,] Bread, IReadOnlyList<double[]> X, double[] Resid, double Ssr)
{
    public VcovSpec Spec => Input.Spec;
    public int N => Input.N;
    public int K => Input.K;
    public int AbsorbedDf => Input.AbsorbedDf;
    public int DfResid => Input.N - Input.K - Input.AbsorbedDf;
}

/// <summary>
/// The registered variance estimators and the one grammar of their text:
/// <c>NAME</c> or <c>NAME:COL[,COL]</c> for one estimator; a list of several (<see cref="ParseList"/>)
/// is separated by <c>;</c>, or by <c>,</c> when each new item starts with an estimator's name.
/// </summary>
internal static class VcovRegistry
{
    /// <summary>Every estimator, one line each, in the order of help texts.</summary>
    public static IReadOnlyList<VarianceEstimator> All { get; } =
    [
        new Iid(),
        new Hc1(),
        new ClusterCr1(),
        new Hc2(),
        new Hc3(),
        new Cr2(),
        new Cr3(),
        new DriscollKraay(),
        new NeweyWestPanel(),
    ];

    private static readonly Dictionary<string, VarianceEstimator> ByName = BuildIndex();

    private static Dictionary<string, VarianceEstimator> BuildIndex()
    {
        var d = new Dictionary<string, VarianceEstimator>(StringComparer.Ordinal);
        foreach (var e in All)
            foreach (var n in e.Aliases.Prepend(e.Name)) d.Add(n, e);
        return d;
    }

    /// <summary>The estimator registered under <paramref name="name"/> (canonical or alias).</summary>
    public static VarianceEstimator Get(string name) =>
        ByName.TryGetValue(name, out var e) ? e : throw new InputException($"unknown variance estimator '{name}'; expected {Expected}");

    /// <summary>The entry of a parsed specification.</summary>
    public static VarianceEstimator Of(VcovSpec spec) => Get(spec.Name);

    /// <summary>"iid, hc1 or cluster:COL[,COL]" — the registered syntaxes for messages and help.</summary>
    public static string Expected
    {
        get
        {
            var s = All.Select(e => e.Syntax).ToList();
            return s.Count == 1 ? s[0] : string.Join(", ", s.Take(s.Count - 1)) + " or " + s[^1];
        }
    }

    /// <summary>Parses one estimator: <c>NAME</c> or <c>NAME:COL[,COL]</c> (names and aliases from the registry).</summary>
    /// <exception cref="InputException">An unknown name or a wrong number of columns.</exception>
    public static VcovSpec Parse(string text, SmallSample convention = SmallSample.Stata)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        int colon = t.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? t : t[..colon];
        if (!ByName.TryGetValue(name, out var e) || (colon < 0) != (e.MaxClusters == 0))
            throw new InputException($"--vcov '{text}': expected {Expected}");
        if (colon < 0) return new VcovSpec(e.Name, [], convention);
        var cols = t[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (cols.Length < e.MinClusters || cols.Length > e.MaxClusters) throw new InputException(e.ClusterCountMessage(text));
        return new VcovSpec(e.Name, cols, convention);
    }

    /// <summary>
    /// Parses several estimators to be computed from one fit. Items are separated by <c>;</c>; without a
    /// <c>;</c>, a comma also separates items when the text after it starts with an estimator's name
    /// (<c>hc1,cluster:state,dk</c> is three estimators, <c>cluster:state,year</c> one two-way cluster).
    /// A cluster column that is itself an estimator's name needs the <c>;</c> form.
    /// </summary>
    public static IReadOnlyList<VcovSpec> ParseList(string text, SmallSample convention = SmallSample.Stata)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains(';', StringComparison.Ordinal))
            return [.. text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => Parse(p, convention))];
        var items = new List<string>();
        foreach (var token in text.Split(','))
        {
            string tk = token.Trim();
            int colon = tk.IndexOf(':', StringComparison.Ordinal);
            bool starts = ByName.ContainsKey(colon < 0 ? tk : tk[..colon]);
            if (items.Count == 0 || starts) items.Add(tk);
            else items[^1] += "," + tk;
        }
        return [.. items.Select(p => Parse(p, convention))];
    }

    /// <summary>
    /// Reads back the text <see cref="Format"/> writes — <c>NAME[:COL,COL]</c>, then <c>(convention)</c> — as results and
    /// tables carry it: the one reader of that grammar besides <see cref="Parse"/> itself (the tables' words and the
    /// client's notes call it instead of splitting <c>cluster:</c> by hand). Null when the text is no estimator's.
    /// </summary>
    public static VcovSpec? ParseFormatted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        var convention = SmallSample.Stata;
        int paren = t.IndexOf(" (", StringComparison.Ordinal);
        if (paren > 0 && t.EndsWith(')'))
        {
            string c = t[(paren + 2)..^1];
            // Enum.TryParse would also take digits ("3"); Format writes the member's name, so only a name is read back.
            var named = Enum.GetValues<SmallSample>().Where(x => string.Equals(x.ToString(), c, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count != 1) return null;
            convention = named[0];
            t = t[..paren];
        }
        try { return Parse(t, convention); }
        catch (InputException) { return null; }
    }

    /// <summary>The canonical text: <c>NAME[:COL,COL]</c>, then <c>(convention)</c> when the estimator uses one and it is not stata.</summary>
    public static string Format(VcovSpec spec)
    {
        var e = Of(spec);
        string s = spec.ClusterColumns.Count == 0 ? e.Name : e.Name + ":" + string.Join(",", spec.ClusterColumns);
        return spec.Convention == SmallSample.Stata || !e.UsesConvention ? s : $"{s} ({spec.Convention.ToString().ToLowerInvariant()})";
    }
}
