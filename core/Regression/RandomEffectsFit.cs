using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// A fitted random-effects model (Swamy–Arora): the quasi-demeaned design and what post-estimation needs —
/// variance components, θ per unit, the kept regressors, coefficients, residuals and bread. The estimate does not
/// depend on the variance estimator, so one fit serves every estimator asked for (<see cref="RandomEffectsFit.Summarise"/>).
/// </summary>
internal sealed class RandomEffectsFitted
{
    public required Formula Formula { get; init; }

    public required ModelData Design { get; init; }

    /// <summary>Candidate names: the intercept, then the formula's regressors.</summary>
    public required List<string> Names { get; init; }

    /// <summary>Raw candidate columns (ones, then the regressors), in the order of <see cref="Names"/>.</summary>
    public required List<double[]> Raw { get; init; }

    public required List<int> Kept { get; init; }

    public required List<string> Omitted { get; init; }

    public required double[] B { get; init; }

    /// <summary>The quasi-demeaned response y − θᵢȳᵢ.</summary>
    public required double[] YStar { get; init; }

    /// <summary>The quasi-demeaned kept regressors (the scores' columns).</summary>
    public required List<double[]> Xk { get; init; }

    public required double[] Residuals { get; init; }

    public required double Ssr { get; init; }

    /// <summary>(X*'X*)⁻¹ of the kept quasi-demeaned regressors.</summary>
    public required double[,] Bread { get; init; }

    public required double Sigma2E { get; init; }

    public required double Sigma2U { get; init; }

    public required double[] Theta { get; init; }

    public required bool Balanced { get; init; }

    /// <summary>The fit's messages (the design's, the harmonic-T and negative-variance notes, omitted regressors).</summary>
    public required List<string> Warnings { get; init; }
}

/// <summary>The random-effects fit stage (Swamy–Arora variance components, quasi-demeaning, OLS) and its post-estimation.</summary>
internal static class RandomEffectsFit
{
    /// <summary>Fits y on the formula's regressors with unit random effects.</summary>
    public static RandomEffectsFitted Fit(Formula f, ModelData d, EstimationOptions o)
    {
        var warnings = new List<string>(d.Warnings);
        int n = d.N, g = d.UnitCount;
        var unitAbsorber = new Absorber([d.Unit]);
        var tCount = new double[g];
        foreach (int u in d.Unit) tCount[u]++;
        // Within regression: σ²_e.
        var yW = unitAbsorber.Demean(d.Y);
        var xW = d.X.Select(unitAbsorber.Demean).ToList();
        var qrW = new ThinQr(xW, Collinearity.Qr, d.X.Select(Estimation.Norm).ToList());
        var bW = qrW.Solve(yW);
        var rW = Estimation.Residuals(yW, qrW.Kept.Select(i => xW[i]).ToList(), bW);
        int kW = qrW.Rank;
        double sigma2e = Estimation.Dot(rW, rW) / (n - g - kW);
        // Between regression on unit means (with intercept): σ²_u.
        var ybar = Estimation.UnitMeans(d.Y, d.Unit, g, tCount);
        var xbarUnits = d.X.Select(x => Estimation.UnitMeans(x, d.Unit, g, tCount)).ToList();
        var bCols = new List<double[]> { Estimation.Ones(g) };
        bCols.AddRange(xbarUnits);
        var qrB = new ThinQr(bCols, Collinearity.Qr);
        var bB = qrB.Solve(ybar);
        var rB = Estimation.Residuals(ybar, qrB.Kept.Select(i => bCols[i]).ToList(), bB);
        double ssrB = Estimation.Dot(rB, rB);
        int kB = qrB.Rank;
        bool balanced = tCount.All(t => t == tCount[0]);
        double tBar = balanced ? tCount[0] : g / tCount.Sum(t => 1 / t);
        double sigma2u = ssrB / (g - kB) - sigma2e / tBar;
        if (!balanced) warnings.Add($"unbalanced panel: σ²_u uses the harmonic mean of T ({tBar:0.###}), as Stata xtreg, re; this case is not validated against a peer");
        if (sigma2u < 0)
        {
            warnings.Add($"the between-variance estimate is negative ({sigma2u:g4}); σ²_u set to 0, random effects reduce to pooled OLS");
            sigma2u = 0;
        }
        var theta = new double[g];
        for (int u = 0; u < g; u++) theta[u] = 1 - Math.Sqrt(sigma2e / (tCount[u] * sigma2u + sigma2e));
        // Quasi-demeaned regression.
        var names = new List<string> { "(Intercept)" };
        names.AddRange(d.XNames);
        var rawCols = new List<double[]> { Estimation.Ones(n) };
        rawCols.AddRange(d.X);
        double[] Quasi(double[] x)
        {
            var m = Estimation.UnitMeans(x, d.Unit, g, tCount);
            var r = new double[n];
            for (int i = 0; i < n; i++) r[i] = x[i] - theta[d.Unit[i]] * m[d.Unit[i]];
            return r;
        }
        var yS = Quasi(d.Y);
        var xS = rawCols.Select(Quasi).ToList();
        var qr = Estimation.Decompose(xS, rawCols, names, o, warnings, out var kept, out var omitted);
        var b = qr.Solve(yS);
        var xk = kept.Select(i => xS[i]).ToList();
        var resid = Estimation.Residuals(yS, xk, b);
        double ssr = Estimation.Dot(resid, resid);
        Estimation.CheckDf(n, kept.Count, 0, f);
        return new RandomEffectsFitted
        {
            Formula = f, Design = d, Names = names, Raw = rawCols, Kept = kept, Omitted = omitted, B = b, YStar = yS, Xk = xk,
            Residuals = resid, Ssr = ssr, Bread = qr.InverseCrossProduct(), Sigma2E = sigma2e, Sigma2U = sigma2u, Theta = theta,
            Balanced = balanced, Warnings = warnings,
        };
    }

    /// <summary>
    /// Post-estimation under one variance estimator (<c>o.Vcov</c>, with its cluster codes among the design's): the
    /// variance, z tests, R² of the quasi-demeaned fit, the variance components and Stata's R² statistics.
    /// </summary>
    public static RegressionResult Summarise(RandomEffectsFitted fit, EstimationOptions o, IReadOnlyList<int[]> clusterCodes, IReadOnlyList<string> clusterNames)
    {
        var d = fit.Design;
        int n = d.N, k = fit.Kept.Count;
        var warnings = new List<string>(fit.Warnings);
        var input = new VcovInput(o.Vcov, n, k, 0, false, null, clusterCodes, clusterNames);
        var vc = VcovEngine.Compute(input, fit.Bread, fit.Xk, fit.Residuals, fit.Ssr);
        var fitted = new double[n];
        for (int i = 0; i < n; i++) fitted[i] = fit.YStar[i] - fit.Residuals[i];
        double r2 = Estimation.Square(Estimation.Correlation(fit.YStar, fitted));
        var keptNames = fit.Kept.Select(i => fit.Names[i]).ToList();
        var stats = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["sigma_e"] = Math.Sqrt(fit.Sigma2E),
            ["sigma_u"] = Math.Sqrt(fit.Sigma2U),
            ["sigma2_e"] = fit.Sigma2E,
            ["sigma2_u"] = fit.Sigma2U,
            ["rho"] = fit.Sigma2U / (fit.Sigma2U + fit.Sigma2E),
        };
        if (fit.Balanced) stats["theta"] = fit.Theta[0];
        else { stats["theta_min"] = fit.Theta.Min(); stats["theta_max"] = fit.Theta.Max(); }
        var slopeIdx = keptNames.Select((nm, j) => (nm, j)).Where(p => p.nm != "(Intercept)").Select(p => p.j).ToList();
        Estimation.AddStataR2(stats, d.Unit, d.Y, slopeIdx.Select(j => fit.Raw[fit.Kept[j]]).ToList(), slopeIdx.Select(j => fit.B[j]).ToArray());
        var result = Estimation.Assemble(fit.Formula, EstimatorKind.RandomEffects, d, o, keptNames, fit.B, vc, n - k, fit.Ssr, r2, stats.GetValueOrDefault("r2_within_stata"), warnings, fit.Omitted, zTests: true, null);
        return result with { Statistics = stats };
    }
}
