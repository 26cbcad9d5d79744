using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>One specification of a specification curve.</summary>
/// <param name="Id">The specification id (ties in the estimate are ordered by it).</param>
/// <param name="Estimate">The estimate of the coefficient of interest.</param>
/// <param name="Low">Lower end of its 95 % interval.</param>
/// <param name="High">Upper end of its 95 % interval.</param>
/// <param name="PValue">Its p-value; below <see cref="SpecificationCurveOptions.Alpha"/> counts as significant.</param>
/// <param name="Choices">The choice in each dimension (e.g. "controls" → "full").</param>
/// <param name="IsBaseline">True for the baseline specification (at most one).</param>
public sealed record SpecCurvePoint(string Id, double Estimate, double Low, double High, double PValue, IReadOnlyDictionary<string, string> Choices, bool IsBaseline = false);

/// <summary>Texts and settings of <see cref="SpecificationCurveChart"/> (English defaults; pass Chinese texts for zh).</summary>
public sealed record SpecificationCurveOptions
{
    /// <summary>The title. <value>The default value is "Specification curve".</value></summary>
    public string Title { get; init; } = "Specification curve";
    /// <summary>Title of the estimate axis. <value>The default value is "Estimate (95% CI)".</value></summary>
    public string EstimateAxis { get; init; } = "Estimate (95% CI)";
    /// <summary>Title of the rank axis under the choice panel. <value>The default value is "Specifications ranked by estimate".</value></summary>
    public string RankAxis { get; init; } = "Specifications ranked by estimate";
    /// <summary>The dimensions of the choice panel, top to bottom; null: every key of the choices, in ordinal order. Dimensions with one value are left out.</summary>
    public IReadOnlyList<string>? Dimensions { get; init; }
    /// <summary>Printed names of dimensions (and of choice values, looked up as "dimension=value" or "value").</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Significance level of the colouring. <value>The default value is 0.05.</value></summary>
    public double Alpha { get; init; } = 0.05;
    /// <summary>Legend text of significant estimates; null: "p &lt; α".</summary>
    public string? Significant { get; init; }
    /// <summary>Legend text of the others; null: "p ≥ α".</summary>
    public string? NotSignificant { get; init; }
    /// <summary>Legend text of the intervals. <value>The default value is "95% CI".</value></summary>
    public string Interval { get; init; } = "95% CI";
    /// <summary>Legend text of the baseline. <value>The default value is "Baseline".</value></summary>
    public string Baseline { get; init; } = "Baseline";
    /// <summary>Text after the rank-axis title when columns hold several specifications; {0} is the number per column. <value>The default value is " (one column = {0} specifications; shade = share with the choice)".</value></summary>
    public string BinnedNote { get; init; } = " (one column ≈ {0} specifications; shade = share with the choice)";
    /// <summary>
    /// Most columns of the choice panel; more specifications than this are put into this many
    /// consecutive bins of the ranking, each cell shaded by the share of its specifications that
    /// have the choice. <value>The default value is 160 (about 8 px a column at 1600 px).</value>
    /// </summary>
    public int MaxColumns { get; init; } = 160;
}

/// <summary>
/// The specification curve (Simonsohn, Simmons and Nelson 2020; docs/methods.md, "Specification grids"): estimates sorted
/// from smallest to largest with their 95 % intervals (bars up to 300 specifications, a shaded band
/// beyond), significant and other estimates in two colours with a legend, the zero line, the baseline
/// as a red diamond and a dashed vertical line through both panels; beneath, the choice panel: one
/// row per choice value grouped under a grey row per dimension (labelled "[dimension]"), a cell dark where the specification
/// of that column has that choice. Above <see cref="SpecificationCurveOptions.MaxColumns"/>
/// specifications a column is a bin of consecutive ranks and its cells are shaded by share, so the
/// panel stays readable at 10,000 specifications. Estimates or intervals that are not finite are left out.
/// </summary>
public static class SpecificationCurveChart
{
    private static readonly Color SigColour = Color.FromHex("#1F4E9A");
    private static readonly Color OtherColour = Color.FromHex("#8C8C8C");
    private static readonly Color BaselineColour = Color.FromHex("#C0392B");

    // The upper panel's height and its padding above and below the data area, in layout units.
    private const float TopH = 250, TopPad = 8, BottomPad = 36, TopPlotHeight = TopH - TopPad - BottomPad;

    /// <summary>
    /// The markers of <paramref name="idx"/> (ranks in increasing order) worth drawing: when there are more specifications
    /// than layout units across the plot, a marker is left out when it lies within half a unit, across and up, of the last
    /// one drawn — it would be drawn over that one (the smallest marker is 2.2 units wide). The curve is sorted, so the
    /// markers kept in a column span the same range as all of them. Below that density every marker is drawn.
    /// </summary>
    private static int[] Visible(int[] idx, List<SpecCurvePoint> ok, int n, double plotWidth, double unitsPerEstimate)
    {
        if (n <= plotWidth || idx.Length == 0) return idx;
        double unitsPerRank = plotWidth / n;
        var kept = new List<int>(Math.Min(idx.Length, 4 * (int)plotWidth)) { idx[0] };
        foreach (int i in idx.AsSpan(1))
        {
            int last = kept[^1];
            if ((i - last) * unitsPerRank >= 0.5 || Math.Abs(ok[i].Estimate - ok[last].Estimate) * unitsPerEstimate >= 0.5) kept.Add(i);
        }
        return [.. kept];
    }

    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No specification with finite numbers; more than one baseline.</exception>
    public static byte[] Render(IReadOnlyList<SpecCurvePoint> specs, SpecificationCurveOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        // As documented: estimates or intervals that are not finite are left out (ScottPlot's axes need finite limits).
        specs = [.. specs.Where(s => double.IsFinite(s.Estimate) && double.IsFinite(s.Low) && double.IsFinite(s.High))];
        var o = options ?? new SpecificationCurveOptions();
        var c = chart ?? new ChartOptions();
        var ok = specs.Where(s => double.IsFinite(s.Estimate) && double.IsFinite(s.Low) && double.IsFinite(s.High))
            .OrderBy(s => s.Estimate).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (ok.Count == 0) throw new ArgumentException("a specification curve needs at least one specification with a finite estimate and interval", nameof(specs));
        if (ok.Count(s => s.IsBaseline) > 1) throw new ArgumentException("a specification curve has at most one baseline", nameof(specs));
        int n = ok.Count;

        string L(string key) => o.Labels.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : key;
        var dimensions = (o.Dimensions ?? ok.SelectMany(s => s.Choices.Keys).Distinct().Order(StringComparer.Ordinal).ToList())
            .Select(d => (Name: d, Values: ok.Select(s => s.Choices.TryGetValue(d, out var v) ? v : "").Distinct().Order(StringComparer.Ordinal).ToList()))
            .Where(d => d.Values.Count > 1).ToList();

        // Rows of the choice panel, top to bottom: a header per dimension, then its values.
        var rows = new List<(string Label, string? Dim, string? Value)>();
        foreach (var (name, values) in dimensions)
        {
            rows.Add(("[" + L(name) + "]", null, null));
            foreach (var v in values) rows.Add((o.Labels.TryGetValue(name + "=" + v, out var lv) ? lv : L(v.Length == 0 ? "(none)" : v), name, v));
        }
        int columns = Math.Min(n, Math.Max(1, o.MaxColumns));
        bool binned = columns < n;

        // Layout units (drawn at ChartOptions.Scale px each).
        float width = c.Width / c.Scale;
        const float left = 150, rowH = 11, choiceBottom = 44;
        float choiceH = rows.Count * rowH + choiceBottom + 6;
        float height = Math.Max(c.Height / c.Scale, TopH + choiceH);
        string rankTitle = o.RankAxis + (binned ? string.Format(System.Globalization.CultureInfo.InvariantCulture, o.BinnedNote, ChartCanvas.Num((double)n / columns, "0.#")) : "");
        string sig = o.Significant ?? $"p < {ChartCanvas.Num(o.Alpha)}", other = o.NotSignificant ?? $"p ≥ {ChartCanvas.Num(o.Alpha)}";
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.EstimateAxis, rankTitle, sig, other, o.Interval, o.Baseline, .. rows.Select(r => r.Label)]);
        // The legend sits in a panel right of the curve (inside it, upper left, it covered the smallest estimates); the
        // choice panel keeps the same right margin so that its columns stay under their estimates. Its width: the
        // longest entry at about 8 units a terminal cell (a Chinese character two) plus the symbol and padding.
        string[] entries = [sig, other, o.Interval, o.Baseline];
        float right = 28 + 64 + 8 * entries.Max(Report.TextWidth.Cells);

        var xs = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        float plotWidth = width - left - right;
        int baseline = ok.FindIndex(s => s.IsBaseline);

        // Upper panel: the curve.
        var top = new Plot();
        ChartCanvas.Style(top, font);
        top.Title(o.Title, 15);
        top.YLabel(o.EstimateAxis, 12);
        top.Axes.Bottom.TickLabelStyle.IsVisible = false;
        top.Axes.Bottom.MajorTickStyle.Length = 0;
        top.Axes.Bottom.MinorTickStyle.Length = 0;
        top.Layout.Fixed(new PixelPadding(left, right, TopPad, BottomPad));
        var isSig = ok.Select(s => s.PValue < o.Alpha).ToArray();
        if (n <= 300)
        {
            bool first = true;
            foreach (bool g in new[] { false, true })
            {
                var idx = Enumerable.Range(0, n).Where(i => isSig[i] == g).ToList();
                if (idx.Count == 0) continue;
                var eb = top.Add.ErrorBar(idx.Select(i => xs[i]).ToList(), idx.Select(i => ok[i].Estimate).ToList(), idx.Select(_ => 0.0).ToList());
                eb.YErrorPositive = idx.Select(i => ok[i].High - ok[i].Estimate).ToList();
                eb.YErrorNegative = idx.Select(i => ok[i].Estimate - ok[i].Low).ToList();
                eb.Color = (g ? SigColour : OtherColour).WithAlpha(0.45);
                eb.CapSize = 0;
                eb.LineWidth = n <= 100 ? 1.5f : 1f;
                if (first) eb.LegendText = o.Interval;
                first = false;
            }
        }
        else if (n > plotWidth)
        {
            // More specifications than layout units across the plot: the band's outline per unit-wide column of ranks (the
            // lowest low and highest high in it), which is the same picture at the chart's resolution in a fraction of the points.
            int bins = (int)plotWidth;
            var (bx, blo, bhi) = (new double[bins], new double[bins], new double[bins]);
            for (int k = 0; k < bins; k++)
            {
                int a = (int)((long)k * n / bins), b = (int)((long)(k + 1) * n / bins);
                (blo[k], bhi[k]) = (double.PositiveInfinity, double.NegativeInfinity);
                for (int i = a; i < b; i++) { blo[k] = Math.Min(blo[k], ok[i].Low); bhi[k] = Math.Max(bhi[k], ok[i].High); }
                bx[k] = (xs[a] + xs[b - 1]) / 2;
            }
            var band = top.Add.FillY(bx, blo, bhi);
            band.FillColor = OtherColour.WithAlpha(0.30);
            band.LineWidth = 0;
            band.LegendText = o.Interval;
        }
        else
        {
            var band = top.Add.FillY(xs, ok.Select(s => s.Low).ToArray(), ok.Select(s => s.High).ToArray());
            band.FillColor = OtherColour.WithAlpha(0.30);
            band.LineWidth = 0;
            band.LegendText = o.Interval;
        }
        float marker = n <= 100 ? 6 : n <= 1000 ? 3.5f : 2.2f;
        double lo = Math.Min(0, ok.Min(s => s.Low)), hi = Math.Max(0, ok.Max(s => s.High));
        double pad = (hi - lo) * 0.06 + (hi - lo < 1e-12 ? 1 : 0);
        foreach (bool g in new[] { true, false })
        {
            var idx = Visible(Enumerable.Range(0, n).Where(i => isSig[i] == g).ToArray(), ok, n, plotWidth, TopPlotHeight / (hi - lo + 2 * pad));
            if (idx.Length == 0) continue;
            var m = top.Add.Markers(idx.Select(i => xs[i]).ToArray(), idx.Select(i => ok[i].Estimate).ToArray(), MarkerShape.FilledCircle, marker, g ? SigColour : OtherColour);
            m.LegendText = g ? sig : other;
        }
        top.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dashed);
        if (baseline >= 0)
        {
            top.Add.VerticalLine(xs[baseline], 1, BaselineColour.WithAlpha(0.7), LinePattern.Dashed);
            var bm = top.Add.Marker(xs[baseline], ok[baseline].Estimate, MarkerShape.FilledDiamond, 12, BaselineColour);
            bm.LegendText = o.Baseline;
        }
        top.Axes.SetLimits(0.5, n + 0.5, lo - pad, hi + pad);
        top.ShowLegend(Edge.Right);

        // Lower panel: choices, as cells of a heat map (share of the column's specifications with the value).
        var choice = new Plot();
        ChartCanvas.Style(choice, font);
        choice.Layout.Fixed(new PixelPadding(left, right, choiceBottom, 4));
        choice.XLabel(rankTitle, 12);
        choice.HideGrid();
        var share = new double[rows.Count, columns];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int col = 0; col < columns; col++)
            {
                if (rows[r].Dim is not { } dim) { share[r, col] = double.NaN; continue; }
                int a = (int)((long)col * n / columns), b = (int)((long)(col + 1) * n / columns);
                int hits = 0;
                for (int i = a; i < b; i++) if (ok[i].Choices.TryGetValue(dim, out var v) ? v == rows[r].Value : rows[r].Value == "") hits++;
                share[r, col] = b > a ? (double)hits / (b - a) : 0;
            }
        }
        if (rows.Count > 0) // no choice varies: an empty panel (a heat map of no rows has no value range)
        {
            var hm = choice.Add.Heatmap(share);
            hm.ManualRange = new ScottPlot.Range(0, 1);
            hm.Colormap = new ScottPlot.Colormaps.CustomInterpolated([Colors.White, Color.FromHex("#9DB3D6"), Color.FromHex("#0B2E6B")]);
            hm.NaNCellColor = Color.FromHex("#E6E6E6");
            hm.Rectangle = new CoordinateRect(0.5, n + 0.5, 0, rows.Count);
        }
        if (baseline >= 0) choice.Add.VerticalLine(xs[baseline], 1, BaselineColour.WithAlpha(0.8), LinePattern.Dashed);
        choice.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows.Count).Select(r => rows.Count - r - 0.5).ToArray(), rows.Select(r => r.Label).ToArray());
        choice.Axes.Left.MajorTickStyle.Length = 0;
        // Rows are 11 units apart: labels at the default 12 units overlapped their neighbours (issue 28 point 10); 10 leaves a gap.
        choice.Axes.Left.TickLabelStyle.FontSize = 10;
        choice.Axes.SetLimits(0.5, n + 0.5, 0, rows.Count);

        return ChartCanvas.Render(c.Format, width, height, c.Scale,
            [(top, new PixelRect(0, width, TopH, 0)), (choice, new PixelRect(0, width, height, TopH))]);
    }
}
