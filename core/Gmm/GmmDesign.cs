using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;

namespace DigitalEconomy.Core.Gmm;

/// <summary>A named block of instrument columns (one GMM-style set in one equation, the time effects, the IV-style set).</summary>
/// <param name="Name">e.g. <c>gmm(log(emp), 2:.) diff</c>, <c>gmm(log(emp), 2:.) level</c>, <c>time</c>, <c>iv diff</c>.</param>
/// <param name="Columns">Its column indices in the instrument matrix.</param>
public sealed record InstrumentBlock(string Name, IReadOnlyList<int> Columns);

/// <summary>
/// The stacked per-unit design of a dynamic panel GMM model — the one place where instruments are built as matrices.
/// Following plm's <c>pgmm</c>, every unit gets the same rows on the grid of all periods (a row the unit does not have is
/// all zeros): with first differences the transformed equations of positions TL1 … T−1, with system GMM also the level
/// equations of positions TL2 … T−1 (TL1 = max(maximum regressor lag + 1, smallest GMM lag), TL2 = TL1 − 1, positions
/// 0-based in the sorted distinct periods). A row is dropped (zeroed) when its response or a regressor is missing;
/// a missing instrument value is a zero.
/// </summary>
internal sealed class GmmDesign
{
    public required int Units { get; init; }
    public required string[] UnitLabels { get; init; }
    /// <summary>Rows per unit: the transformed equations first, then (system GMM) the level equations.</summary>
    public required int Rows { get; init; }
    /// <summary>Number of transformed-equation rows per unit (the rest are level rows).</summary>
    public required int TransformedRows { get; init; }
    public required double[][] Y { get; init; }
    public required double[][,] X { get; init; }
    public required double[][,] Z { get; init; }
    /// <summary>Which rows of each unit are used.</summary>
    public required bool[][] Used { get; init; }
    /// <summary>The one-step weighting matrix's per-unit block (plm's H: G, or the "full" system matrix; I for orthogonal deviations).</summary>
    public required double[,] H { get; init; }
    public required string[] Names { get; init; }
    /// <summary>Index of the first time-effect coefficient (the intercept of system GMM included); Names.Length when none.</summary>
    public required int TimeStart { get; init; }
    /// <summary>Index of the intercept (system GMM), −1 when none.</summary>
    public required int Intercept { get; init; }
    public required IReadOnlyList<InstrumentBlock> Blocks { get; init; }
    /// <summary>First-differenced regressors and the level positions they belong to, for the AR tests after orthogonal deviations.</summary>
    public required double[][,]? DiffX { get; init; }
    public required double[][]? DiffY { get; init; }
    public required bool[][]? DiffUsed { get; init; }
    public int K => Names.Length;
    public int L => Z.Length == 0 ? 0 : Z[0].GetLength(1);

    /// <summary>Lag depth of a term: lag(x, k) is k deeper than x; a lead is negative.</summary>
    public static int LagDepth(Expr e) => e switch
    {
        CallExpr { Function: "lag" } c => c.Order + LagDepth(c.Argument),
        CallExpr { Function: "lead" } c => LagDepth(c.Argument) - c.Order,
        CallExpr c => LagDepth(c.Argument),
        ProductExpr p => Math.Max(LagDepth(p.Left), LagDepth(p.Right)),
        _ => 0,
    };

    /// <summary>The variable of a term with its outer lags and leads removed: lag(log(w), 1) → log(w).</summary>
    public static Expr StripLags(Expr e) => e is CallExpr { Function: "lag" or "lead" } c ? StripLags(c.Argument) : e;

    /// <summary>plm's default IV-style instruments: the regressors whose variable is not a GMM-style variable.</summary>
    public static IReadOnlyList<Expr> DefaultIv(GmmSpec spec)
    {
        var gmmVars = spec.Gmm.Select(g => StripLags(g.Variable).Text).ToHashSet(StringComparer.Ordinal);
        return [.. spec.Regressors.Where(r => !gmmVars.Contains(StripLags(r).Text))];
    }

    public static GmmDesign Build(Panel panel, GmmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(spec);
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("GMM"));
        if (spec.Regressors.Count == 0) throw new InputException("gmm: the model has no regressor (expected at least the lagged dependent variable, e.g. lag(y, 1))");
        if (spec.Gmm.Count == 0) throw new InputException("gmm: no GMM-style instruments (expected at least one --gmm VAR:FIRST:LAST, e.g. y:2:.)");
        foreach (var g in spec.Gmm)
            if (g.MinLag < 1 || g.MaxLag < g.MinLag)
                throw new InputException($"gmm: instrument set '{g.Text}': expected lags FIRST:LAST with 1 ≤ FIRST ≤ LAST");
        if (spec.System && spec.Transformation == GmmTransformation.OrthogonalDeviations)
            throw new InputException("gmm: --orthogonal with --system is not supported (the level/orthogonal-deviation weighting of xtabond2 is not reproduced); use first differences for system GMM");
        var dup = spec.Regressors.GroupBy(r => r.Text, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"gmm: the regressor '{dup.Key}' appears more than once");

        var periods = panel.Periods;
        int T = periods.Count;
        var posOf = new Dictionary<long, int>(T);
        for (int p = 0; p < T; p++) posOf[periods[p]] = p;
        int N = panel.UnitCount;
        int mainMaxLag = Math.Max(0, spec.Regressors.Max(LagDepth));
        int gmmMinLag = spec.Gmm.Min(g => g.MinLag);
        int tl1 = Math.Max(mainMaxLag + 1, gmmMinLag);
        int tl2 = tl1 - 1;
        int nD = T - tl1;
        if (nD < 1) throw new InputException($"gmm: the panel has {T} periods; the lags asked for need at least {tl1 + 1} (the first transformed equation is period {tl1 + 1})");
        int nL = spec.System ? T - tl2 : 0;
        int R = nD + nL;

        // Levels on the grid (unit × position), NaN when missing.
        double[][] Grid(double[] v)
        {
            var g = new double[N][];
            for (int i = 0; i < N; i++) { g[i] = new double[T]; Array.Fill(g[i], double.NaN); }
            for (int r = 0; r < v.Length; r++) g[panel.UnitCode[r]][posOf[panel.Time[r]]] = v[r];
            return g;
        }
        var y = Grid(spec.Response.Evaluate(panel));
        var x = spec.Regressors.Select(e => Grid(e.Evaluate(panel))).ToArray();
        var gv = spec.Gmm.Select(g => Grid(g.Variable.Evaluate(panel))).ToArray();
        var ivTerms = spec.Iv ?? DefaultIv(spec);
        var iv = ivTerms.Select(e => Grid(e.Evaluate(panel))).ToArray();
        bool fod = spec.Transformation == GmmTransformation.OrthogonalDeviations;

        // Coefficient names: regressors, then the time effects (plm's order and labels).
        var names = new List<string>(spec.Regressors.Select(r => r.Text));
        int timeStart = names.Count, intercept = -1;
        var dummies = new List<int>();
        string Label(int p) => periods[p].ToString(CultureInfo.InvariantCulture);
        if (spec.System)
        {
            intercept = names.Count; names.Add("(Intercept)");
            if (spec.TimeEffects) for (int s = tl2 + 1; s < T; s++) { dummies.Add(s); names.Add(Label(s)); }
        }
        else if (spec.TimeEffects)
            for (int s = tl1; s < T; s++) { dummies.Add(s); names.Add(Label(s)); }
        int K = names.Count, k0 = spec.Regressors.Count;

        // Instrument columns: count them first, then fill.
        var blocks = new List<InstrumentBlock>();
        int L = 0;
        InstrumentBlock Block(string name, int count) { var b = new InstrumentBlock(name, Enumerable.Range(L, count).ToArray()); L += count; blocks.Add(b); return b; }
        // GMM-style, transformed equations: (row position p, level position q) pairs or (lag) columns.
        var diffGmm = new List<(int Set, int Row, int Lag, int Col)>();
        for (int s = 0; s < spec.Gmm.Count; s++)
        {
            var g = spec.Gmm[s];
            int first = L, count = 0;
            if (g.Collapse)
            {
                int lags = (int)Math.Min((long)T - g.MinLag, (long)g.MaxLag - g.MinLag + 1);
                for (int d = 0; d < nD; d++)
                {
                    int p = tl1 + d;
                    for (int l = g.MinLag; l <= g.MinLag + lags - 1 && p - l >= 0; l++) diffGmm.Add((s, d, l, first + l - g.MinLag));
                }
                count = Math.Max(lags, 0);
            }
            else
                for (int d = 0; d < nD; d++)
                {
                    int p = tl1 + d;
                    int lo = (int)Math.Max(0, p - (long)g.MaxLag);
                    for (int q = lo; q <= p - g.MinLag; q++) diffGmm.Add((s, d, p - q, first + count++));
                }
            Block($"gmm({g.Variable.Text}, {g.MinLag}:{(g.MaxLag == GmmStyle.AllLags ? "." : g.MaxLag.ToString(CultureInfo.InvariantCulture))}){(g.Collapse ? " collapsed" : "")} {(fod ? "orthogonal" : "diff")}", count);
        }
        var levelGmm = new List<(int Set, int Row, int Col)>();
        int timeBlockCols = 0;
        if (spec.System)
        {
            for (int s = 0; s < spec.Gmm.Count; s++)
            {
                var g = spec.Gmm[s];
                int first = L, count = 0;
                for (int j = 0; j < nL; j++)
                {
                    int p = tl2 + j, q = p - g.MinLag + 1; // Δx at q needs q ≥ 1
                    if (q < 1) continue;
                    levelGmm.Add((s, j, g.Collapse ? first : first + count));
                    if (!g.Collapse) count++;
                }
                if (g.Collapse) count = levelGmm.Any(t => t.Set == s) ? 1 : 0;
                Block($"gmm({g.Variable.Text}, {g.MinLag}:{(g.MaxLag == GmmStyle.AllLags ? "." : g.MaxLag.ToString(CultureInfo.InvariantCulture))}){(g.Collapse ? " collapsed" : "")} level", count);
            }
            timeBlockCols = 1 + dummies.Count;
            Block("time effects level", timeBlockCols);
        }
        else if (spec.TimeEffects)
        {
            timeBlockCols = dummies.Count;
            Block($"time effects {(fod ? "orthogonal" : "diff")}", timeBlockCols);
        }
        int timeFirst = blocks.Count > 0 && timeBlockCols > 0 ? blocks[^1].Columns[0] : -1;
        int ivDiffFirst = L;
        if (iv.Length > 0) Block($"iv {(fod ? "orthogonal" : "diff")}", iv.Length);
        int ivLevelFirst = L;
        if (iv.Length > 0 && spec.System) Block("iv level", iv.Length);

        var Y = new double[N][];
        var X = new double[N][,];
        var Z = new double[N][,];
        var used = new bool[N][];
        double[][,]? diffX = fod ? new double[N][,] : null;
        double[][]? diffY = fod ? new double[N][] : null;
        bool[][]? diffUsed = fod ? new bool[N][] : null;
        var lv = new double[K];
        var lvPrev = new double[K];

        // Level values of the regressors (time effects included) at position p; false when any is missing.
        bool Level(int i, int p, double[] into, out double yv)
        {
            yv = y[i][p];
            bool ok = !double.IsNaN(yv);
            for (int k = 0; k < k0; k++) { into[k] = x[k][i][p]; ok &= !double.IsNaN(into[k]); }
            if (intercept >= 0) into[intercept] = 1;
            for (int d = 0; d < dummies.Count; d++) into[timeStart + (intercept >= 0 ? 1 : 0) + d] = p == dummies[d] ? 1 : 0;
            return ok;
        }

        for (int i = 0; i < N; i++)
        {
            var yi = new double[R];
            var xi = new double[R, K];
            var zi = new double[R, L];
            var ui = new bool[R];
            // Transformed rows.
            if (!fod)
                for (int d = 0; d < nD; d++)
                {
                    int p = tl1 + d;
                    bool ok = Level(i, p, lv, out double y1) & Level(i, p - 1, lvPrev, out double y0);
                    if (!ok) continue;
                    ui[d] = true;
                    yi[d] = y1 - y0;
                    for (int k = 0; k < K; k++) xi[d, k] = lv[k] - lvPrev[k];
                    for (int j = 0; j < iv.Length; j++) { double v = iv[j][i][p] - iv[j][i][p - 1]; zi[d, ivDiffFirst + j] = double.IsNaN(v) ? 0 : v; }
                }
            else
            {
                // Forward orthogonal deviations over the unit's complete positions, stored one period late.
                var complete = new List<int>();
                for (int p = 0; p < T; p++) if (Level(i, p, lv, out _)) complete.Add(p);
                var dx = new double[nD, K]; var dy = new double[nD]; var du = new bool[nD];
                for (int c = 0; c < complete.Count - 1; c++)
                {
                    int p = complete[c], d = p + 1 - tl1;
                    if (d < 0 || d >= nD) continue;
                    int later = complete.Count - 1 - c;
                    double scale = Math.Sqrt(later / (later + 1.0));
                    Level(i, p, lv, out double yv);
                    double ym = 0; var xm = new double[K]; var ivm = new double[iv.Length]; var ivn = new int[iv.Length];
                    for (int c2 = c + 1; c2 < complete.Count; c2++)
                    {
                        Level(i, complete[c2], lvPrev, out double yl);
                        ym += yl; for (int k = 0; k < K; k++) xm[k] += lvPrev[k];
                        for (int j = 0; j < iv.Length; j++) { double v = iv[j][i][complete[c2]]; if (!double.IsNaN(v)) { ivm[j] += v; ivn[j]++; } }
                    }
                    ui[d] = true;
                    yi[d] = scale * (yv - ym / later);
                    for (int k = 0; k < K; k++) xi[d, k] = scale * (lv[k] - xm[k] / later);
                    for (int j = 0; j < iv.Length; j++)
                    {
                        double v = iv[j][i][p];
                        zi[d, ivDiffFirst + j] = double.IsNaN(v) || ivn[j] == 0 ? 0 : Math.Sqrt(ivn[j] / (ivn[j] + 1.0)) * (v - ivm[j] / ivn[j]);
                    }
                }
                // First differences of the same rows, for the AR tests.
                for (int d = 0; d < nD; d++)
                {
                    int p = tl1 + d;
                    bool ok = Level(i, p, lv, out double y1) & Level(i, p - 1, lvPrev, out double y0);
                    if (!ok) continue;
                    du[d] = true; dy[d] = y1 - y0;
                    for (int k = 0; k < K; k++) dx[d, k] = lv[k] - lvPrev[k];
                }
                diffX![i] = dx; diffY![i] = dy; diffUsed![i] = du;
            }
            // Level rows (system GMM).
            for (int j = 0; j < nL; j++)
            {
                int p = tl2 + j, row = nD + j;
                if (!Level(i, p, lv, out double yv)) continue;
                ui[row] = true;
                yi[row] = yv;
                for (int k = 0; k < K; k++) xi[row, k] = lv[k];
                for (int m = 0; m < iv.Length; m++) { double v = iv[m][i][p]; zi[row, ivLevelFirst + m] = double.IsNaN(v) ? 0 : v; }
            }
            // GMM-style instruments and the time effects as instruments, on used rows only.
            foreach (var (s, d, lag, col) in diffGmm)
            {
                if (!ui[d]) continue;
                int p = tl1 + d;
                double v = gv[s][i][p - lag];
                zi[d, col] = double.IsNaN(v) ? 0 : v;
            }
            foreach (var (s, j, col) in levelGmm)
            {
                int row = nD + j;
                if (!ui[row]) continue;
                int q = tl2 + j - spec.Gmm[s].MinLag + 1;
                double v = gv[s][i][q] - gv[s][i][q - 1];
                zi[row, col] = double.IsNaN(v) ? 0 : v;
            }
            if (timeBlockCols > 0)
            {
                if (spec.System)
                    for (int j = 0; j < nL; j++) { int row = nD + j; if (!ui[row]) continue; for (int c = 0; c < timeBlockCols; c++) zi[row, timeFirst + c] = xi[row, timeStart + c]; }
                else
                    for (int d = 0; d < nD; d++) { if (!ui[d]) continue; for (int c = 0; c < timeBlockCols; c++) zi[d, timeFirst + c] = xi[d, timeStart + c]; }
            }
            // A dropped row is all zeros (plm zeroes it after filling).
            for (int r = 0; r < R; r++)
                if (!ui[r]) for (int c = 0; c < L; c++) zi[r, c] = 0;
            Y[i] = yi; X[i] = xi; Z[i] = zi; used[i] = ui;
        }

        // The one-step weighting block: plm's FSM "G" (difference) and "full" (system); I for orthogonal deviations.
        var h = new double[R, R];
        for (int d = 0; d < nD; d++)
        {
            h[d, d] = fod ? 1 : 2;
            if (!fod && d + 1 < nD) { h[d, d + 1] = -1; h[d + 1, d] = -1; }
        }
        if (spec.System)
        {
            for (int j = 0; j < nL; j++) h[nD + j, nD + j] = 1;
            for (int d = 0; d < nD; d++) { h[d, nD + d] = -1; h[nD + d, d] = -1; h[d, nD + d + 1] = 1; h[nD + d + 1, d] = 1; }
        }
        return new GmmDesign
        {
            Units = N, UnitLabels = panel.UnitLabels, Rows = R, TransformedRows = nD, Y = Y, X = X, Z = Z, Used = used, H = h,
            Names = [.. names], TimeStart = timeStart < K ? timeStart : K, Intercept = intercept, Blocks = blocks,
            DiffX = diffX, DiffY = diffY, DiffUsed = diffUsed,
        };
    }
}
