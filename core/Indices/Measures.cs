using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Indices;

/// <summary>How the Theil rationalisation index enters the upgrading composite (lower Theil = more rational).</summary>
public enum RationalisationScore
{
    /// <summary>−TL (default): higher is better, 0 is perfectly balanced.</summary>
    Negative,
    /// <summary>1/TL: higher is better; undefined at TL = 0.</summary>
    Reciprocal,
}

/// <summary>Options of the industrial-structure upgrading composite.</summary>
public sealed record UpgradingOptions
{
    /// <summary>Advanced ratio tertiary/secondary (default) or, if true, secondary/tertiary.</summary>
    public bool InvertAdvanced { get; init; }

    /// <summary>Weight of the advanced ratio. The default value is 0.318.</summary>
    public double AdvancedWeight { get; init; } = 0.318;

    /// <summary>Weight of the rationalisation score. The default value is 0.682.</summary>
    public double RationalisationWeight { get; init; } = 0.682;

    /// <summary>The sign convention of the rationalisation term. The default value is <see cref="RationalisationScore.Negative"/>.</summary>
    public RationalisationScore Rationalisation { get; init; } = RationalisationScore.Negative;
}

/// <summary>Industrial-structure upgrading per row.</summary>
public sealed record UpgradingResult(double[] Advanced, double[] TheilRationalisation, double[] Composite);

/// <summary>Translog production-function fit and the factor-allocation measures derived from it.</summary>
/// <param name="Fit">The OLS fit of ln M on ln E, ln C, ½(ln E)², ½(ln C)², ln E·ln C.</param>
/// <param name="Phi">φ0..φ5.</param>
/// <param name="MarginalE">MP_E = (φ1 + φ3 ln E + φ5 ln C)·M̂/E, with M̂ the fitted output.</param>
/// <param name="MarginalC">MP_C = (φ2 + φ4 ln C + φ5 ln E)·M̂/C.</param>
/// <param name="DistortionE">D_E = MP_E / w.</param>
/// <param name="DistortionC">D_C = MP_C / r.</param>
/// <param name="Allocation">−(D_E + D_C)/2.</param>
public sealed record TranslogResult(RegressionResult Fit, double[] Phi, double[] MarginalE, double[] MarginalC, double[] DistortionE, double[] DistortionC, double[] Allocation);

/// <summary>
/// Constructed measures of the field (docs/methods.md, "Composite indices and regional gaps"). Inputs are arrays in a panel's row order;
/// positive quantities are checked and a violation names its unit and period.
/// </summary>
public static class Measures
{
    /// <summary>
    /// Location quotient LQ_it = (E_dig,it / E_all,it) / (Σ_i E_dig,it / Σ_i E_all,it), sums over all
    /// units in year t.
    /// </summary>
    public static double[] LocationQuotient(Panel panel, double[] sector, double[] total)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(sector);
        ArgumentNullException.ThrowIfNull(total);
        var sums = new Dictionary<long, (double S, double T)>();
        for (int i = 0; i < sector.Length; i++)
        {
            if (!(total[i] > 0)) throw new InputException($"location quotient: total employment {total[i]} at {panel.Describe(i)} is not positive");
            var (s, t) = sums.GetValueOrDefault(panel.Time[i]);
            sums[panel.Time[i]] = (s + sector[i], t + total[i]);
        }
        return sector.Select((s, i) => s / total[i] / (sums[panel.Time[i]].S / sums[panel.Time[i]].T)).ToArray();
    }

    /// <summary>
    /// Industrial optimisation Indus = Σ_k P_k·L_k over sectors, P_k = output share of sector k,
    /// L_k = value added / employment; divided by its sample mean (mean-normalised).
    /// </summary>
    public static double[] IndustrialOptimisation(Panel panel, IReadOnlyList<double[]> valueAdded, IReadOnlyList<double[]> employment)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(valueAdded);
        ArgumentNullException.ThrowIfNull(employment);
        int n = panel.RowCount;
        var raw = new double[n];
        for (int i = 0; i < n; i++)
        {
            double y = valueAdded.Sum(v => v[i]);
            for (int k = 0; k < valueAdded.Count; k++)
            {
                if (!(employment[k][i] > 0)) throw new InputException($"industrial optimisation: employment of sector {k + 1} at {panel.Describe(i)} is not positive");
                raw[i] += valueAdded[k][i] / y * (valueAdded[k][i] / employment[k][i]);
            }
        }
        double mean = raw.Average();
        return raw.Select(v => v / mean).ToArray();
    }

    /// <summary>
    /// Industrial-structure upgrading: advanced = tertiary/secondary value added; Theil
    /// rationalisation TL = Σ_k (Y_k/Y) ln((Y_k/L_k)/(Y/L)) (0 = balanced, lower is better); composite =
    /// w_adv·advanced + w_rat·score(TL) with score −TL (default) or 1/TL.
    /// </summary>
    public static UpgradingResult Upgrading(Panel panel, IReadOnlyList<double[]> valueAdded, IReadOnlyList<double[]> employment, UpgradingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(valueAdded);
        ArgumentNullException.ThrowIfNull(employment);
        options ??= new UpgradingOptions();
        if (valueAdded.Count != 3 || employment.Count != 3) throw new InputException("industrial upgrading needs value added and employment of the three sectors (primary, secondary, tertiary)");
        int n = panel.RowCount;
        var adv = new double[n];
        var tl = new double[n];
        var comp = new double[n];
        for (int i = 0; i < n; i++)
        {
            double y = 0, l = 0;
            for (int k = 0; k < 3; k++)
            {
                if (!(valueAdded[k][i] > 0) || !(employment[k][i] > 0))
                    throw new InputException($"industrial upgrading: value added and employment of sector {k + 1} must be positive at {panel.Describe(i)}");
                y += valueAdded[k][i]; l += employment[k][i];
            }
            adv[i] = options.InvertAdvanced ? valueAdded[1][i] / valueAdded[2][i] : valueAdded[2][i] / valueAdded[1][i];
            for (int k = 0; k < 3; k++) tl[i] += valueAdded[k][i] / y * Math.Log(valueAdded[k][i] / employment[k][i] / (y / l));
            double score = options.Rationalisation == RationalisationScore.Negative ? -tl[i] : 1 / tl[i];
            comp[i] = options.AdvancedWeight * adv[i] + options.RationalisationWeight * score;
        }
        return new UpgradingResult(adv, tl, comp);
    }

    /// <summary>
    /// Translog production function by pooled OLS, ln M = φ0 + φ1 ln E + φ2 ln C + ½φ3 (ln E)² +
    /// ½φ4 (ln C)² + φ5 ln E ln C, then marginal products at the fitted output M̂, distortions against
    /// the factor prices w (wage) and r (interest rate), and allocation = −(D_E + D_C)/2.
    /// </summary>
    public static TranslogResult Translog(Panel panel, string output, string labour, string capital, double[] wage, double[] rate)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(wage);
        ArgumentNullException.ThrowIfNull(rate);
        var lnM = PanelTransforms.Log(panel, panel.Frame.Numeric(output), output);
        var lnE = PanelTransforms.Log(panel, panel.Frame.Numeric(labour), labour);
        var lnC = PanelTransforms.Log(panel, panel.Frame.Numeric(capital), capital);
        // The translog terms enter the design as typed vectors (named after the factors), not as columns added to the panel.
        VectorExpr[] terms =
        [
            new($"ln {labour}", lnE), new($"ln {capital}", lnC),
            new($"½(ln {labour})²", lnE.Select(v => 0.5 * v * v).ToArray()),
            new($"½(ln {capital})²", lnC.Select(v => 0.5 * v * v).ToArray()),
            new($"ln {labour}·ln {capital}", lnE.Select((v, i) => v * lnC[i]).ToArray()),
        ];
        var fit = Estimation.Fit(panel, Formula.Of(new VectorExpr($"ln {output}", lnM), terms, []), new EstimationOptions { Collinear = CollinearPolicy.Error });
        double[] phi = [fit["(Intercept)"].Estimate, .. terms.Select(t => fit[t.Text].Estimate)];
        int n = panel.RowCount;
        var e = panel.Frame.Numeric(labour);
        var c = panel.Frame.Numeric(capital);
        var mpE = new double[n]; var mpC = new double[n]; var dE = new double[n]; var dC = new double[n]; var alloc = new double[n];
        for (int i = 0; i < n; i++)
        {
            double mHat = Math.Exp(TranslogLog(phi, lnE[i], lnC[i]));
            mpE[i] = (phi[1] + phi[3] * lnE[i] + phi[5] * lnC[i]) * mHat / e[i];
            mpC[i] = (phi[2] + phi[4] * lnC[i] + phi[5] * lnE[i]) * mHat / c[i];
            if (!(wage[i] > 0) || !(rate[i] > 0)) throw new InputException($"translog: wage and interest rate must be positive at {panel.Describe(i)}");
            dE[i] = mpE[i] / wage[i];
            dC[i] = mpC[i] / rate[i];
            alloc[i] = -(dE[i] + dC[i]) / 2;
        }
        return new TranslogResult(fit, phi, mpE, mpC, dE, dC, alloc);
    }

    /// <summary>The fitted translog ln M̂ at ln E, ln C.</summary>
    public static double TranslogLog(IReadOnlyList<double> phi, double lnE, double lnC)
    {
        ArgumentNullException.ThrowIfNull(phi);
        return phi[0] + phi[1] * lnE + phi[2] * lnC + 0.5 * phi[3] * lnE * lnE + 0.5 * phi[4] * lnC * lnC + phi[5] * lnE * lnC;
    }

    /// <summary>
    /// Perpetual-inventory capital stock per unit: real investment I_t = nominal I_t / (P_t / P_base),
    /// K_0 = I_0 / (g + δ), K_t = I_t + (1 − δ) K_{t−1}. δ defaults to 9.6 %; g, when not given, is each
    /// unit's average annual growth rate of real investment over its series. Periods must be
    /// consecutive within a unit.
    /// </summary>
    public static double[] CapitalStock(Panel panel, double[] investment, double[] priceIndex, long baseYear, double depreciation = 0.096, double? growth = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(investment);
        ArgumentNullException.ThrowIfNull(priceIndex);
        var k = new double[investment.Length];
        for (int g = 0; g < panel.UnitCount; g++)
        {
            int lo = panel.UnitStart[g], hi = panel.UnitStart[g + 1];
            int b = Array.IndexOf(panel.Time, baseYear, lo, hi - lo);
            if (b < 0) throw new InputException($"capital stock: unit '{panel.UnitLabels[g]}' has no row for the base year {baseYear}");
            var real = new double[hi - lo];
            for (int r = lo; r < hi; r++)
            {
                if (r > lo && panel.Time[r] != panel.Time[r - 1] + 1) throw new InputException($"capital stock: unit '{panel.UnitLabels[g]}' has a gap before {panel.Time[r]}; interpolate investment first");
                if (!(investment[r] > 0) || !(priceIndex[r] > 0)) throw new InputException($"capital stock: investment and price index must be positive at {panel.Describe(r)}");
                real[r - lo] = investment[r] / (priceIndex[r] / priceIndex[b]);
            }
            double gr = growth ?? (real.Length > 1 ? Math.Pow(real[^1] / real[0], 1.0 / (real.Length - 1)) - 1 : 0);
            if (!(gr + depreciation > 0)) throw new InputException($"capital stock: g + δ = {gr + depreciation:g4} for unit '{panel.UnitLabels[g]}' is not positive; set g explicitly");
            k[lo] = real[0] / (gr + depreciation);
            for (int r = lo + 1; r < hi; r++) k[r] = real[r - lo] + (1 - depreciation) * k[r - 1];
        }
        return k;
    }

    /// <summary>
    /// Patent truncation adjustment: K_adj,t = K_raw,t / Σ_{s=0}^{T_end − t} τ_s, where τ_s is the share of
    /// patents granted s years after application; returns ln(1 + K_adj).
    /// </summary>
    public static double[] PatentTruncation(Panel panel, double[] raw, IReadOnlyList<double> grantLagShares, long lastYear) =>
        PatentAdjusted(panel, raw, grantLagShares, lastYear).Select(v => Math.Log(1 + v)).ToArray();

    /// <summary>
    /// The truncation-adjusted patent count K_adj,t = K_raw,t / Σ_{s=0}^{T_end − t} τ_s (no log), where τ_s
    /// is the share of patents granted s years after application; horizons beyond the last τ use Σ τ = 1.
    /// </summary>
    /// <exception cref="InputException">Shares that are negative or do not sum to 1, a row after the last year, or a zero cumulative share.</exception>
    public static double[] PatentAdjusted(Panel panel, double[] raw, IReadOnlyList<double> grantLagShares, long lastYear)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(grantLagShares);
        if (grantLagShares.Count == 0 || Math.Abs(grantLagShares.Sum() - 1) > 1e-6 || grantLagShares.Any(t => t < 0))
            throw new InputException("patent truncation: the grant-lag shares τ_s must be non-negative and sum to 1");
        var cum = new double[grantLagShares.Count];
        for (int s = 0; s < cum.Length; s++) cum[s] = (s > 0 ? cum[s - 1] : 0) + grantLagShares[s];
        return raw.Select((v, i) =>
        {
            long horizon = lastYear - panel.Time[i];
            if (horizon < 0) throw new InputException($"patent truncation: {panel.Describe(i)} is after the last year {lastYear}");
            double share = cum[(int)Math.Min(horizon, cum.Length - 1)];
            if (!(share > 0)) throw new InputException($"patent truncation: no patent is granted within {horizon} years (τ_0..τ_{horizon} are 0) at {panel.Describe(i)}");
            return v / share;
        }).ToArray();
    }
}
