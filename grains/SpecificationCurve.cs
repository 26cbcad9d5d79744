using DigitalEconomy.Store;
using System.Globalization;
using System.Text;

namespace DigitalEconomy.Grains;

/// <summary>
/// The specification-curve chart (METHODS.md §5.6) as SVG: estimates sorted from smallest to largest
/// with their confidence intervals (significant at 5 % in dark blue, others grey) above a panel of
/// dots showing each specification's choice in every dimension that varies. Deterministic text.
/// </summary>
public static class SpecificationCurve
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The SVG document for the rows. Failed specifications, and those whose estimate or interval is
    /// missing or not a finite number (e.g. a degenerate variance), are left out of the chart.
    /// </summary>
    public static string Svg(IReadOnlyList<SpecificationRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ok = rows.Where(r => r.Estimate is { } e && double.IsFinite(e) && r.ConfLow is { } l && double.IsFinite(l) && r.ConfHigh is { } h && double.IsFinite(h))
            .OrderBy(r => r.Estimate).ThenBy(r => r.SpecId, StringComparer.Ordinal).ToList();
        (string Name, Func<SpecificationRow, string> Get)[] dims =
        [
            ("outcome", r => r.Outcome), ("controls", r => r.Controls), ("fe", r => r.FixedEffects), ("sample", r => r.Sample),
            ("winsor", r => r.Winsor), ("lag", r => r.Lag), ("vcov", r => r.Vcov),
        ];
        var varying = dims.Select(d => (d.Name, d.Get, Levels: ok.Select(d.Get).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList()))
            .Where(d => d.Levels.Count > 1).ToList();
        int n = Math.Max(1, ok.Count);
        const double left = 190, right = 20, top = 40, plotH = 260, rowH = 14, gap = 30;
        int dotRows = varying.Sum(d => d.Levels.Count + 1);
        double width = Math.Max(640, left + right + n * 6.0);
        double height = top + plotH + gap + dotRows * rowH + 30;
        double lo = ok.Count == 0 ? -1 : Math.Min(0, ok.Min(r => r.ConfLow!.Value));
        double hi = ok.Count == 0 ? 1 : Math.Max(0, ok.Max(r => r.ConfHigh!.Value));
        if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
        double step = (width - left - right) / n;
        string X(int i) => F(left + (i + 0.5) * step);
        string Y(double v) => F(top + plotH - (v - lo) / (hi - lo) * plotH);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left)}\" y=\"20\" font-size=\"14\">{Escape(title)}: {ok.Count} specifications, estimates sorted with 95% intervals</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(width - right)}\" y1=\"{Y(0)}\" y2=\"{Y(0)}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        foreach (double t in Ticks(lo, hi))
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 6)}\" y=\"{Y(t)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{t.ToString("0.###", Inv)}</text>\n");
        for (int i = 0; i < ok.Count; i++)
        {
            var r = ok[i];
            string colour = r.PValue is { } pv && pv < 0.05 ? "#1f4e9a" : "#9a9a9a";
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(i)}\" x2=\"{X(i)}\" y1=\"{Y(r.ConfLow!.Value)}\" y2=\"{Y(r.ConfHigh!.Value)}\" stroke=\"{colour}\" stroke-opacity=\"0.5\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i)}\" cy=\"{Y(r.Estimate!.Value)}\" r=\"2\" fill=\"{colour}\"><title>{Escape(r.SpecId)}: {r.Estimate!.Value.ToString("0.0000", Inv)}</title></circle>\n");
        }
        double y = top + plotH + gap;
        foreach (var (name, get, levels) in varying)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{F(y)}\" font-weight=\"bold\">{Escape(name)}</text>\n");
            y += rowH;
            foreach (var level in levels)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 6)}\" y=\"{F(y)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Escape(level)}</text>");
                for (int i = 0; i < ok.Count; i++)
                    if (get(ok[i]) == level) sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i)}\" cy=\"{F(y)}\" r=\"1.8\" fill=\"#333\"/>");
                sb.Append('\n');
                y += rowH;
            }
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5;
        if (!(raw > 0) || !double.IsFinite(raw)) yield break;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + 1e-12; t += step) yield return Math.Abs(t) < 1e-12 ? 0 : t;
    }

    private static string F(double v) => v.ToString("0.##", Inv);

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
