namespace DigitalEconomy.Core.Regression;

/// <summary>
/// The collinearity rule, in one place (docs/methods.md, "Collinearity"). A regressor is dropped (Stata's <c>_rmcoll</c>,
/// in the order given) when what is left of it after projecting out the regressors kept before it is negligible
/// against its own scale: the larger of the norm of its transformed (demeaned, √w-scaled) column and of its raw column,
/// so that a regressor absorbed by the fixed effects is dropped too. The threshold is stated per factorisation because
/// the two measure different things:
/// <list type="bullet">
/// <item><see cref="Gram"/>: every coefficient solve (OLS and within fits, single or batch, the quasi-demeaned random-effects
/// regression, the IV second stage) factors X̃'X̃ by Cholesky; the pivot is a squared residual norm, so 1e-14 on ‖·‖² is
/// a relative residual norm of 1e-7.</item>
/// <item><see cref="Qr"/>: the random-effects variance-component regressions (within and between) and the IV instrument
/// set factor the columns by Gram–Schmidt QR; the threshold 1e-9 is on the residual norm itself.</item>
/// <item><see cref="PartialOut"/>: the IV diagnostics partial the included exogenous regressors out of the instruments and
/// endogenous regressors; those sets were already screened by <see cref="Qr"/>, so 1e-12 only guards exact rank loss.</item>
/// </list>
/// They are not merged into one number: moving the QR paths to 1e-7 (or the Gram path to 1e-18) would change which
/// regressor is dropped in near-collinear designs, and with it reference results that are bit-identical today.
/// </summary>
internal static class Collinearity
{
    /// <summary>Cholesky pivot threshold on the squared norm (every coefficient solve).</summary>
    public const double Gram = 1e-14;

    /// <summary>Gram–Schmidt threshold on the norm (random-effects variance components, IV instrument set).</summary>
    public const double Qr = 1e-9;

    /// <summary>Gram–Schmidt threshold when partialling out an already screened set (IV diagnostics).</summary>
    public const double PartialOut = 1e-12;
}
