using DigitalEconomy.Core.Formulas;

namespace DigitalEconomy.Core.Gmm;

/// <summary>How the equations are rid of the unit effect.</summary>
public enum GmmTransformation
{
    /// <summary>First differences Δx_t = x_t − x_{t−1} (Arellano–Bond; plm <c>pgmm</c>, xtabond2's default).</summary>
    FirstDifferences,

    /// <summary>
    /// Forward orthogonal deviations (Arellano–Bover 1995; xtabond2 <c>orthogonal</c>): x*_t = c_t (x_t − mean of the unit's
    /// later complete observations), c_t = √(n_t/(n_t+1)), stored one period late as xtabond2 does, so that the instrument
    /// lags mean the same thing as with first differences. Keeps more observations than differences in a panel with gaps.
    /// </summary>
    OrthogonalDeviations,
}

/// <summary>
/// A GMM-style instrument set (xtabond2 <c>gmm(x, lag(a b))</c>, plm <c>lag(x, a:b)</c> in the formula's second part): in
/// the transformed equation of period t, the levels x_{t−a} … x_{t−b} (each (period, lag) its own column, or one column per
/// lag when collapsed); in the level equation of system GMM, the difference Δx_{t−a+1} (one column per period, or one in
/// all when collapsed). Missing values are zeros, as in plm and xtabond2.
/// </summary>
/// <param name="Variable">The instrumenting variable in levels (a column or a term such as <c>log(emp)</c>).</param>
/// <param name="MinLag">The first lag a ≥ 1 (2 for a lagged dependent variable, 1 for a predetermined regressor).</param>
/// <param name="MaxLag">The last lag b ≥ a; <see cref="AllLags"/> for every available lag.</param>
/// <param name="Collapse">One column per lag instead of one per (period, lag) (Roodman 2009).</param>
public sealed record GmmStyle(Expr Variable, int MinLag, int MaxLag, bool Collapse)
{
    /// <summary>The last lag meaning "every available lag" (plm's 99, xtabond2's <c>.</c>).</summary>
    public const int AllLags = int.MaxValue;

    /// <summary>The set as written: <c>log(emp):2:.</c> (variable, first lag, last lag or <c>.</c>), with <c>:c</c> when collapsed.</summary>
    public string Text => $"{Variable.Text}:{MinLag}:{(MaxLag == AllLags ? "." : MaxLag.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(Collapse ? ":c" : "")}";

    /// <summary>
    /// Parses <c>TERM:FIRST:LAST</c> (LAST a number or <c>.</c> for every available lag), with <c>:c</c> appended to collapse
    /// this set, e.g. <c>log(emp):2:.</c>, <c>x:1:3:c</c>. <paramref name="where"/> names the option or key in messages.
    /// </summary>
    /// <exception cref="InputException">Not of that form, or lags out of order.</exception>
    public static GmmStyle Parse(string text, string where, bool collapse = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.EndsWith(":c", StringComparison.Ordinal)) { collapse = true; t = t[..^2]; }
        int b = t.LastIndexOf(':'), a = b > 0 ? t.LastIndexOf(':', b - 1) : -1;
        if (a <= 0) throw new InputException($"{where} '{text}': expected TERM:FIRST:LAST (e.g. y:2:. for every lag from 2, x:1:3, append :c to collapse)");
        string first = t[(a + 1)..b].Trim(), last = t[(b + 1)..].Trim();
        if (!int.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int lo) || lo < 1)
            throw new InputException($"{where} '{text}': the first lag '{first}' is not an integer ≥ 1");
        int hi = AllLags;
        if (last != "." && (!int.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out hi) || hi < lo))
            throw new InputException($"{where} '{text}': the last lag '{last}' is not '.' or an integer ≥ the first lag {lo}");
        return new GmmStyle(Formula.ParseTerm(t[..a]), lo, hi, collapse);
    }
}

/// <summary>
/// A dynamic panel model estimated by difference or system GMM: y_it = Σ_k β_k x_k,it (+ time effects) + μ_i + ε_it, with
/// the regressors written as formula terms (<c>lag(y, 1)</c>, <c>log(w)</c>, <c>lag(log(w), 1)</c>).
/// </summary>
/// <param name="Response">The dependent variable y (in levels).</param>
/// <param name="Regressors">The regressors, the lagged dependent variable among them, in the order of the coefficients.</param>
/// <param name="Gmm">The GMM-style instrument sets (at least one).</param>
/// <param name="Iv">
/// The IV-style (standard) instruments, transformed like the regressors in the transformed equations and in levels in the level
/// equations of system GMM. Null: plm's default, every regressor whose variable (the term with its lags removed) is not a
/// GMM-style variable.
/// </param>
/// <param name="System">System GMM (Blundell–Bond): the level equations are added, instrumented by lagged differences.</param>
/// <param name="TwoStep">Two-step estimation with the weighting matrix from the one-step residuals (Windmeijer-corrected SEs).</param>
/// <param name="TimeEffects">Period dummies as regressors and instruments (plm's <c>effect = "twoways"</c>); system GMM always
/// has an intercept in its level equations.</param>
/// <param name="Transformation">First differences or forward orthogonal deviations.</param>
public sealed record GmmSpec(
    Expr Response,
    IReadOnlyList<Expr> Regressors,
    IReadOnlyList<GmmStyle> Gmm,
    IReadOnlyList<Expr>? Iv = null,
    bool System = false,
    bool TwoStep = false,
    bool TimeEffects = true,
    GmmTransformation Transformation = GmmTransformation.FirstDifferences)
{
    /// <summary>One canonical text of the model (ids, messages, the <c>model</c> line of output).</summary>
    public string Text =>
        $"{Response.Text} ~ {string.Join(" + ", Regressors.Select(r => r.Text))}"
        + $" | gmm: {string.Join(", ", Gmm.Select(g => g.Text))}"
        + (Iv is null ? "" : $" | iv: {(Iv.Count == 0 ? "none" : string.Join(", ", Iv.Select(e => e.Text)))}")
        + $" | {(System ? "system" : "difference")}, {(TwoStep ? "two-step" : "one-step")}"
        + (Transformation == GmmTransformation.OrthogonalDeviations ? ", orthogonal" : "")
        + (TimeEffects ? ", time effects" : "");
}
