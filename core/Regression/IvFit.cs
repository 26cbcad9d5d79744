using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// A fitted IV model at its 2SLS step: the transformed (demeaned, √w-scaled) design — response, structural regressors,
/// instruments, their projections and decompositions — the 2SLS coefficients and residuals, and the partialled-out
/// pieces the identification diagnostics use. Everything here is independent of the variance estimator; what depends on
/// it (the variance, the efficient GMM step, the over-identification test, first-stage tests and the Kleibergen–Paap
/// statistics) is post-estimation (<see cref="IvFit.Summarise"/>).
/// </summary>
internal sealed class IvFitted
{
    public required Formula Formula { get; init; }

    public required ModelData Design { get; init; }

    public required Absorber Absorber { get; init; }

    public required bool HasFixedEffects { get; init; }

    /// <summary>The transformed response.</summary>
    public required double[] Y { get; init; }

    /// <summary>The transformed endogenous regressors.</summary>
    public required List<double[]> Endog { get; init; }

    /// <summary>Instruments (excluded first, then the included exogenous regressors), transformed, with their names and decomposition.</summary>
    public required List<double[]> Z { get; init; }

    public required List<string> ZNames { get; init; }

    public required ThinQr QrZ { get; init; }

    /// <summary>Indices into <see cref="Z"/> of the instruments kept, and of the excluded ones among them.</summary>
    public required List<int> ZKept { get; init; }

    public required int ExcludedKept { get; init; }

    /// <summary>Structural names (endogenous first, then exogenous) and the kept ones' indices.</summary>
    public required List<string> XNames { get; init; }

    public required GramSolver QrX { get; init; }

    public required List<int> Kept { get; init; }

    public required List<string> Omitted { get; init; }

    /// <summary>Kept structural regressors (transformed) and their projections on the instruments.</summary>
    public required List<double[]> Xk { get; init; }

    public required List<double[]> XHatK { get; init; }

    /// <summary>The 2SLS coefficients and residuals.</summary>
    public required double[] B { get; init; }

    public required double[] Residuals { get; init; }

    /// <summary>The endogenous regressors and the excluded instruments with the included exogenous ones partialled out, and the latter's decomposition.</summary>
    public required List<double[]> X1p { get; init; }

    public required List<double[]> Z1p { get; init; }

    public required ThinQr QrZ1 { get; init; }

    /// <summary>The fit's messages (the design's, instruments and regressors omitted).</summary>
    public required List<string> Warnings { get; init; }
}

/// <summary>The IV fit stage (2SLS with absorbed fixed effects and analytic weights) and its post-estimation (variance, two-step GMM, diagnostics).</summary>
internal static class IvFit
{
    /// <summary>The 2SLS step: transforms the design, decomposes the instruments and the projected regressors, solves, and prepares the diagnostics' pieces.</summary>
    public static IvFitted Fit(Formula f, ModelData d, EstimationOptions o)
    {
        var warnings = new List<string>(d.Warnings);
        var absorber = new Absorber(d.FeCodes, d.Weights, o.Tolerance, o.MaxIterations);
        bool hasFe = d.FeCodes.Count > 0;
        int n = d.N;
        var sw = Estimation.SqrtWeights(d.Weights);
        var exogRaw = new List<double[]>();
        var exogNames = new List<string>();
        if (!hasFe) { exogRaw.Add(Estimation.Ones(n)); exogNames.Add("(Intercept)"); }
        exogRaw.AddRange(d.X);
        exogNames.AddRange(d.XNames);
        var yT = absorber.Demean(d.Y);
        var exogT = exogRaw.Select(absorber.Demean).ToList();
        var endogT = d.Endog.Select(absorber.Demean).ToList();
        var instT = d.Inst.Select(absorber.Demean).ToList();
        if (sw is not null)
        {
            // Weighted 2SLS/GMM: both stages on √w·(weighted within transform), as ivreg2 aweights and fixest.
            Estimation.ScaleInPlace(yT, sw);
            foreach (var c in exogT.Concat(endogT).Concat(instT)) Estimation.ScaleInPlace(c, sw);
        }
        // Instruments: excluded first, then the included exogenous regressors.
        var zRaw = sw is null ? d.Inst.Concat(exogRaw).ToList() : [.. d.Inst.Concat(exogRaw).Select(c => Estimation.Scaled(c, sw))];
        var zT = instT.Concat(exogT).ToList();
        var zNames = d.InstNames.Concat(exogNames).ToList();
        var qrZ = new ThinQr(zT, Collinearity.Qr, zRaw.Select(Estimation.Norm).ToList());
        foreach (int j in qrZ.Dropped)
            warnings.Add($"instrument {zNames[j]} omitted because of collinearity");
        var zKeptIdx = qrZ.Kept.ToList();
        var excludedKept = zKeptIdx.Where(j => j < d.Inst.Count).ToList();
        int k1 = d.Endog.Count, l1 = excludedKept.Count;
        if (l1 < k1)
            throw new EstimationException($"under-identified: {k1} endogenous regressor(s) but {l1} usable excluded instrument(s) in '{f.Source}'");
        // Structural regressors: endogenous first, then exogenous.
        var xRaw = sw is null ? d.Endog.Concat(exogRaw).ToList() : [.. d.Endog.Concat(exogRaw).Select(c => Estimation.Scaled(c, sw))];
        var xT = endogT.Concat(exogT).ToList();
        var xNames = d.EndogNames.Concat(exogNames).ToList();
        var xHat = xT.Select(qrZ.Project).ToList();
        var qrX = Estimation.Decompose(xHat, xRaw, xNames, o, warnings, out var kept, out var omitted);
        Estimation.CheckDf(n, kept.Count, absorber.AbsorbedDf, f);
        var xk = kept.Select(i => xT[i]).ToList();
        var b = qrX.Solve(yT);
        var resid = Estimation.Residuals(yT, xk, b);
        // The endogenous regressors and excluded instruments with the kept exogenous instruments partialled out (first stages, diagnostics).
        var exogKeptT = zKeptIdx.Where(j => j >= d.Inst.Count).Select(j => zT[j]).ToList();
        var qrExog = exogKeptT.Count > 0 ? new ThinQr(exogKeptT, Collinearity.PartialOut) : null;
        double[] PartialOut(double[] v) => qrExog is null ? v : Estimation.Subtract(v, qrExog.Project(v));
        var z1p = excludedKept.Select(j => PartialOut(zT[j])).ToList();
        var x1p = endogT.Select(PartialOut).ToList();
        return new IvFitted
        {
            Formula = f, Design = d, Absorber = absorber, HasFixedEffects = hasFe, Y = yT, Endog = endogT, Z = zT, ZNames = zNames, QrZ = qrZ,
            ZKept = zKeptIdx, ExcludedKept = l1, XNames = xNames, QrX = qrX, Kept = kept, Omitted = omitted, Xk = xk,
            XHatK = kept.Select(i => xHat[i]).ToList(), B = b, Residuals = resid, X1p = x1p, Z1p = z1p,
            QrZ1 = new ThinQr(z1p, Collinearity.PartialOut), Warnings = warnings,
        };
    }

    /// <summary>
    /// Post-estimation under one variance estimator (<c>o.Vcov</c>, with its cluster codes among the design's): for
    /// iv-gmm2s with a robust variance the efficient two-step GMM estimate, else the 2SLS sandwich; the Sargan or
    /// Hansen J test; the first stages with their F tests; Cragg–Donald, Kleibergen–Paap and the Stock–Yogo warning.
    /// </summary>
    public static RegressionResult Summarise(IvFitted fit, EstimationOptions o, EstimatorKind kind, IReadOnlyList<int[]> clusterCodes, IReadOnlyList<string> clusterNames)
    {
        var d = fit.Design;
        var f = fit.Formula;
        var absorber = fit.Absorber;
        var warnings = new List<string>(fit.Warnings);
        int n = d.N, k = fit.Kept.Count, l = fit.QrZ.Rank, l1 = fit.ExcludedKept, k1 = d.Endog.Count;
        bool hasFe = fit.HasFixedEffects;
        var zK = fit.ZKept.Select(j => fit.Z[j]).ToList();
        var b = fit.B;
        var resid = fit.Residuals;
        var input = new VcovInput(o.Vcov, n, k, absorber.AbsorbedDf, hasFe, hasFe ? absorber : null, clusterCodes, clusterNames);
        VcovOutput vc;
        TestResult? overId = null;
        bool robust = o.Vcov.Kind != VcovKind.Iid;
        if (kind == EstimatorKind.IvGmm2s && robust)
        {
            var gmm = Gmm2s(input, fit.Xk, zK, fit.Y, resid);
            b = gmm.B;
            resid = gmm.Resid;
            vc = gmm.Vcov;
            if (l > k) overId = new TestResult("Hansen J", gmm.J, l - k, null, Distributions.ChiSquaredUpper(gmm.J, l - k));
        }
        else
        {
            if (kind == EstimatorKind.IvGmm2s) warnings.Add("gmm2s with iid errors is identical to 2SLS");
            vc = VcovEngine.Compute(input, fit.QrX.InverseCrossProduct(), fit.XHatK, resid, Estimation.Dot(resid, resid));
            if (l > k)
            {
                if (robust)
                {
                    double j = Gmm2s(input, fit.Xk, zK, fit.Y, resid).J;
                    overId = new TestResult("Hansen J", j, l - k, null, Distributions.ChiSquaredUpper(j, l - k));
                }
                else
                {
                    var pu = fit.QrZ.Project(resid);
                    double sargan = Estimation.Dot(pu, resid) / (Estimation.Dot(resid, resid) / n);
                    overId = new TestResult("Sargan", sargan, l - k, null, Distributions.ChiSquaredUpper(sargan, l - k));
                }
            }
        }
        double ssr = Estimation.Dot(resid, resid);
        int dfResid = n - k - absorber.AbsorbedDf;
        double r2 = 1 - ssr / (d.Weights is null ? Estimation.CenteredSumSquares(d.Y) : Estimation.WeightedCenteredSumSquares(d.Y, d.Weights));
        double? r2Within = hasFe ? 1 - ssr / Estimation.Dot(fit.Y, fit.Y) : null;
        // First stages and identification diagnostics.
        var firstStages = new List<FirstStage>();
        var zKeptNames = fit.ZKept.Select(j => fit.ZNames[j]).ToList();
        var fsInput = input with { K = l };
        var bzInv = fit.QrZ.InverseCrossProduct();
        for (int e = 0; e < k1; e++)
        {
            var pi = fit.QrZ.Solve(fit.Endog[e]);
            var v = Estimation.Residuals(fit.Endog[e], zK, pi);
            var fvc = VcovEngine.Compute(fsInput, bzInv, zK, v, Estimation.Dot(v, v));
            var coefs = Estimation.Table(zKeptNames, pi, fvc.V, fvc.DfTests, o.ConfidenceLevel, false);
            var idx = Enumerable.Range(0, l1).ToArray();
            var sub = Estimation.Sub(fvc.V, idx);
            var piEx = idx.Select(i => pi[i]).ToArray();
            double fstat = Dense.QuadraticInverse(piEx, sub) / l1;
            var ftest = new TestResult("F excluded instruments", fstat, l1, fvc.DfTests, Distributions.FUpper(fstat, l1, fvc.DfTests));
            var px = fit.QrZ1.Project(fit.X1p[e]);
            firstStages.Add(new FirstStage(d.EndogNames[e], coefs, ftest, Estimation.Dot(px, px) / Estimation.Dot(fit.X1p[e], fit.X1p[e])));
        }
        var diag = IdentificationDiagnostics(o, clusterCodes, fit.X1p, fit.Z1p, fit.QrZ1, n, l, l1, k1, absorber.AbsorbedDf, warnings);
        WeakInstrumentWarning(diag, warnings);
        var keptNames = fit.Kept.Select(i => fit.XNames[i]).ToList();
        var result = Estimation.Assemble(f, kind, d, o, keptNames, b, vc, dfResid, ssr, r2, r2Within, warnings, fit.Omitted, zTests: false, absorber);
        var stats = new Dictionary<string, double>(StringComparer.Ordinal);
        if (r2Within is not null) stats["adj_r2_within"] = 1 - (1 - r2Within.Value) * (n - 1) / dfResid;
        return result with { FirstStages = firstStages, Iv = diag with { OverIdentification = overId }, Statistics = stats };
    }

    private sealed record GmmFit(double[] B, double[] Resid, VcovOutput Vcov, double J);

    /// <summary>Two-step efficient GMM with weight S⁻¹ built from first-step (2SLS) residuals.</summary>
    private static GmmFit Gmm2s(VcovInput input, List<double[]> x, List<double[]> z, double[] y, double[] resid1)
    {
        var s = input.Spec.Kind == VcovKind.Hc1 ? VcovEngine.HcMeat(z, resid1) : VcovEngine.ClusterMeat(z, resid1, input.ClusterCodes[0], input.ClusterCodes[0].Max() + 1);
        if (input.Spec.Kind == VcovKind.Cluster && input.ClusterCodes.Count > 1)
            throw new InputException("iv-gmm2s supports one cluster column; use iv-2sls for two-way clustering");
        var w = Dense.InverseSpd(s) ?? Dense.PseudoInverseSymmetric(s).Inverse;
        int k = x.Count, l = z.Count;
        var a = new double[k, l];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < l; j++) a[i, j] = Estimation.Dot(x[i], z[j]);
        var zy = z.Select(c => Estimation.Dot(c, y)).ToArray();
        var aw = Dense.Multiply(a, w);
        var m = Dense.Sandwich(a, w);
        var mInv = Dense.InverseSpd(m) ?? throw new EstimationException("gmm2s: the weighted moment matrix is singular");
        var b = Dense.MultiplyVector(mInv, Dense.MultiplyVector(aw, zy));
        var r = Estimation.Residuals(y, x, b);
        var zr = z.Select(c => Estimation.Dot(c, r)).ToArray();
        double j2 = 0;
        var wzr = Dense.MultiplyVector(w, zr);
        for (int i = 0; i < l; i++) j2 += zr[i] * wzr[i];
        // Small-sample factor as for the 2SLS sandwich under the same convention.
        var probe = VcovEngine.Compute(input, new double[k, k], x, r, 0);
        double factor = double.IsNaN(probe.Factor) ? 1 : probe.Factor;
        return new GmmFit(b, r, probe with { V = Dense.Scale(mInv, factor) }, j2);
    }

    private static IvDiagnostics IdentificationDiagnostics(EstimationOptions o, IReadOnlyList<int[]> clusterCodes, List<double[]> x1p, List<double[]> z1p, ThinQr qrZ1, int n, int l, int l1, int k1, int absorbed, List<string> warnings)
    {
        // Canonical correlations of the endogenous regressors with the excluded instruments.
        var bmat = new double[k1, k1];
        var mmat = new double[k1, k1];
        var proj = x1p.Select(qrZ1.Project).ToList();
        for (int i = 0; i < k1; i++)
            for (int j = 0; j < k1; j++) { bmat[i, j] = Estimation.Dot(x1p[i], x1p[j]); mmat[i, j] = Estimation.Dot(proj[i], x1p[j]); }
        var bInv = Dense.InverseSpd(bmat) ?? throw new EstimationException("the endogenous regressors are collinear after partialling out the exogenous ones");
        var rho2 = MinGeneralizedEigen(mmat, bInv);
        double cd = rho2 / (1 - rho2);
        double cdf = cd * (n - l - absorbed) / l1;
        int lmDf = l1 - k1 + 1;
        double? rkf = null;
        TestResult lm;
        if (o.Vcov.Kind == VcovKind.Iid)
        {
            double anderson = n * rho2;
            lm = new TestResult("Anderson canonical correlation LM", anderson, lmDf, null, Distributions.ChiSquaredUpper(anderson, lmDf));
        }
        else if (k1 == 1)
        {
            // Kleibergen-Paap with one endogenous regressor: the robust Wald and score tests of π = 0.
            var pi = qrZ1.Solve(x1p[0]);
            var v = Estimation.Residuals(x1p[0], z1p, pi);
            var bread = qrZ1.InverseCrossProduct();
            bool cluster = o.Vcov.Kind == VcovKind.Cluster;
            int g = cluster ? clusterCodes[0].Max() + 1 : 0;
            var meat = cluster ? VcovEngine.ClusterMeat(z1p, v, clusterCodes[0], g) : VcovEngine.HcMeat(z1p, v);
            double chi2 = Dense.QuadraticInverse(pi, Dense.Sandwich(bread, meat));
            rkf = cluster ? chi2 / (n - 1) * (n - l) * (g - 1) / g / l1 : chi2 / n * (n - l - absorbed) / l1;
            var score = z1p.Select(c => Estimation.Dot(c, x1p[0])).ToArray();
            var meat0 = cluster ? VcovEngine.ClusterMeat(z1p, x1p[0], clusterCodes[0], g) : VcovEngine.HcMeat(z1p, x1p[0]);
            double lmStat = Dense.QuadraticInverse(score, meat0);
            lm = new TestResult("Kleibergen-Paap rk LM", lmStat, lmDf, null, Distributions.ChiSquaredUpper(lmStat, lmDf));
            if (cluster && clusterCodes.Count > 1) warnings.Add("Kleibergen-Paap statistics use the first cluster column only");
        }
        else
        {
            // K1 > 1: the rk Wald statistic of rank(Π) = K1 − 1 by the SVD construction; the under-identification
            // LM reported is the Anderson canonical-correlation LM (the robust rk LM needs the rank-restricted
            // residuals and is not computed for several endogenous regressors).
            bool cluster = o.Vcov.Kind == VcovKind.Cluster;
            int g = cluster ? clusterCodes[0].Max() + 1 : 0;
            var chi2 = RkWaldGeneral(x1p, z1p, qrZ1, n, cluster ? clusterCodes[0] : null);
            rkf = cluster ? chi2 / (n - 1) * (n - l) * (g - 1) / g / l1 : chi2 / n * (n - l - absorbed) / l1;
            double anderson = n * rho2;
            lm = new TestResult("Anderson canonical correlation LM", anderson, lmDf, null, Distributions.ChiSquaredUpper(anderson, lmDf));
            warnings.Add($"with {k1} endogenous regressors the under-identification test is the Anderson LM (not robust); the Kleibergen-Paap rk Wald F is robust");
        }
        return new IvDiagnostics(cdf, rkf, lm, StockYogo.TslsSize(k1, l1), null);
    }

    /// <summary>
    /// Warns when the first-stage F (Kleibergen-Paap rk Wald F under robust errors, else Cragg-Donald) is
    /// below every Stock–Yogo (2005) critical value for 2SLS size, i.e. even a 25 % actual size of a
    /// nominal 5 % Wald test cannot be ruled out (ivreg2 prints the same table).
    /// </summary>
    private static void WeakInstrumentWarning(IvDiagnostics diag, List<string> warnings)
    {
        var critical = diag.StockYogoSize?.Where(c => c > 0).ToList();
        if (critical is null || critical.Count == 0) return;
        bool kp = diag.KleibergenPaapWaldF is not null;
        double f = diag.KleibergenPaapWaldF ?? diag.CraggDonaldF;
        double smallest = critical.Min();
        if (!(f < smallest)) return;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        warnings.Add($"weak instruments: the {(kp ? "Kleibergen-Paap rk Wald" : "Cragg-Donald Wald")} F = {f.ToString("0.00", inv)} is below every Stock-Yogo (2005) critical value "
            + $"(smallest {smallest.ToString("0.00", inv)}, for a 25% maximal size of a nominal 5% test); estimates and tests of the instrumented coefficients are unreliable");
    }

    /// <summary>The general Kleibergen-Paap rk Wald χ² (CR0/HC0 covariance of the first stages).</summary>
    internal static double RkWaldGeneral(List<double[]> x1p, List<double[]> z1p, ThinQr qrZ1, int n, int[]? clusterCodes)
    {
        int k1 = x1p.Count, l1 = z1p.Count;
        var pi = new double[l1, k1];
        var resid = new List<double[]>();
        for (int e = 0; e < k1; e++)
        {
            var p = qrZ1.Solve(x1p[e]);
            for (int j = 0; j < l1; j++) pi[j, e] = p[j];
            resid.Add(Estimation.Residuals(x1p[e], z1p, p));
        }
        var zz = new double[l1, l1];
        for (int a = 0; a < l1; a++) for (int b = 0; b < l1; b++) zz[a, b] = Estimation.Dot(z1p[a], z1p[b]);
        var yy = new double[k1, k1];
        for (int a = 0; a < k1; a++) for (int b = 0; b < k1; b++) yy[a, b] = Estimation.Dot(x1p[a], x1p[b]);
        var v = KleibergenPaap.VarVecPi(z1p, resid, qrZ1.InverseCrossProduct(), clusterCodes);
        return KleibergenPaap.RkStatistic(pi, zz, yy, v, n);
    }

    /// <summary>Smallest eigenvalue of B⁻¹M for symmetric M and SPD B (given B⁻¹), via the symmetric form.</summary>
    private static double MinGeneralizedEigen(double[,] m, double[,] bInv)
    {
        int k = m.GetLength(0);
        if (k == 1) return m[0, 0] * bInv[0, 0];
        // B⁻¹ = C C' (Cholesky); eigenvalues of C' M C are those of B⁻¹ M.
        var c = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(bInv).Cholesky().Factor;
        var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(m);
        var s = c.TransposeThisAndMultiply(mm).Multiply(c);
        return Dense.SymmetricEigenvalues(((s + s.Transpose()) * 0.5).ToArray())[0];
    }
}
