using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>Image formats of the charts.</summary>
public enum ChartFormat
{
    /// <summary>PNG (raster).</summary>
    Png,
    /// <summary>SVG (vector; text stays text).</summary>
    Svg,
}

/// <summary>Size, font and format of a chart image.</summary>
public sealed record ChartOptions
{
    /// <summary>The image format. <value>The default value is <see cref="ChartFormat.Png"/>.</value></summary>
    public ChartFormat Format { get; init; } = ChartFormat.Png;
    /// <summary>Width in pixels (page width at about 250 dpi). <value>The default value is 1600.</value></summary>
    public int Width { get; init; } = 1600;
    /// <summary>Height in pixels; charts with many rows (the specification curve's choice panel) grow taller. <value>The default value is 900 (16:9).</value></summary>
    public int Height { get; init; } = 900;
    /// <summary>
    /// Pixels per layout unit: the charts are laid out at Width/Scale × Height/Scale and drawn scaled,
    /// so that text and lines are legible at page width. <value>The default value is 2.</value>
    /// </summary>
    public float Scale { get; init; } = 2f;
    /// <summary>
    /// The font family of every text, by its fontconfig name. It must have Chinese glyphs for Chinese
    /// labels. <value>The default value is "Noto Sans CJK SC" (Debian fonts-noto-cjk).</value>
    /// </summary>
    public string FontFamily { get; init; } = ChartFonts.DefaultFamily;
}

/// <summary>The font of charts: which family is asked for and which is used.</summary>
/// <param name="Requested">The family asked for.</param>
/// <param name="Used">The family text is drawn with.</param>
/// <param name="Found">True when <paramref name="Requested"/> is installed.</param>
public sealed record FontChoice(string Requested, string Used, bool Found);

/// <summary>Resolves chart fonts.</summary>
public static class ChartFonts
{
    /// <summary>The default family: "Noto Sans CJK SC" (Debian fonts-noto-cjk).</summary>
    public const string DefaultFamily = "Noto Sans CJK SC";

    /// <summary>
    /// The family used for <paramref name="family"/>: the family itself when installed (fontconfig
    /// matches it by exact name, case-insensitive); otherwise ScottPlot's default sans-serif font,
    /// with <see cref="FontChoice.Found"/> false so that the caller can say so.
    /// </summary>
    public static FontChoice Resolve(string family)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(family);
        using var tf = SKFontManager.Default.MatchFamily(family);
        bool found = tf is not null && string.Equals(tf.FamilyName, family, StringComparison.OrdinalIgnoreCase);
        return new FontChoice(family, found ? family : Fonts.Default, found);
    }

    /// <summary>True when <paramref name="text"/> has a CJK ideograph or CJK punctuation.</summary>
    public static bool HasCjk(string text) =>
        text.Any(c => c is >= '\u3000' and <= '\u303F' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uFF00' and <= '\uFFEF');

    /// <summary>
    /// The family to draw <paramref name="texts"/> with. A missing family falls back to the default
    /// sans-serif font unless the texts hold Chinese, which that font draws as boxes: then this throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The family is not installed and a text is Chinese; the message says what to install.</exception>
    internal static string FamilyFor(string family, IEnumerable<string> texts)
    {
        var choice = Resolve(family);
        if (choice.Found) return choice.Used;
        if (texts.Any(HasCjk))
            throw new InvalidOperationException($"chart font '{family}' is not installed and the chart has Chinese text, which the fallback font '{choice.Used}' draws as boxes; install it (Debian: apt-get install fonts-noto-cjk) or set ChartOptions.FontFamily to an installed CJK font");
        return choice.Used;
    }
}

/// <summary>Draws ScottPlot plots into regions of one PNG or SVG image, with deterministic bytes.</summary>
internal static class ChartCanvas
{
    /// <summary>Base style of every plot: white figure and data background, dark axes, the font, grey grid.</summary>
    public static void Style(Plot plot, string font)
    {
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Font.Set(font);
        plot.Legend.FontName = font;
        plot.Axes.Color(Colors.Black);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        plot.Legend.OutlineColor = Colors.Gray;
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.9);
    }

    /// <summary>
    /// Renders the plots, each into its rectangle given in layout units (the image is
    /// <paramref name="width"/> × <paramref name="height"/> layout units, drawn at <paramref name="scale"/>
    /// pixels per unit), on a white background, as PNG or SVG bytes.
    /// </summary>
    public static byte[] Render(ChartFormat format, float width, float height, float scale, IReadOnlyList<(Plot Plot, PixelRect Rect)> panels)
    {
        int w = (int)Math.Round(width * scale), h = (int)Math.Round(height * scale);
        if (format == ChartFormat.Png)
        {
            // Opaque (every chart is drawn on white): the PNG is written as RGB without an alpha channel, which TeX engines
            // include as it is, where an alpha channel must be split off and compressed again (pdflatex took 0.42 s on a
            // paper with one 1600 × 1370 chart, 0.25 s without the alpha channel). The pixels are the same.
            using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgb888x, SKAlphaType.Opaque))
                ?? throw new InvalidOperationException($"cannot create a {w}×{h} drawing surface");
            Draw(surface.Canvas, scale, panels);
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            return WithoutSignificantBits(data.ToArray());
        }
        using var ms = new MemoryStream();
        using (var ws = new SKManagedWStream(ms))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, w, h), ws))
        {
            Draw(canvas, scale, panels);
        }
        return Encoding.UTF8.GetBytes(UnifiedIdeographs(NormaliseSvgIds(Encoding.UTF8.GetString(ms.ToArray()))));
    }

    /// <summary>
    /// The PNG without its sBIT chunk. Skia writes one saying that all 8 bits of each channel are significant, which is what
    /// 8-bit samples mean without it; pdfTeX decodes and compresses again any PNG that has one, and copies the compressed
    /// rows of one without it as they are (0.41 s against 0.25 s for a paper with one 1600 × 1370 chart). Written by hand:
    /// Skia's encoder has no option for it, and dropping a chunk needs only the PNG's chunk layout (length, type, data, CRC).
    /// </summary>
    internal static byte[] WithoutSignificantBits(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        const int Signature = 8;
        var kept = new List<(int Start, int Length)>();
        int pos = Signature;
        while (pos + 12 <= png.Length)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            int size = 12 + length;
            if (length < 0 || pos + size > png.Length) throw new InvalidOperationException($"the chart's PNG has a chunk running past its end at byte {pos}");
            if (!png.AsSpan(pos + 4, 4).SequenceEqual("sBIT"u8)) kept.Add((pos, size));
            pos += size;
        }
        if (kept.Sum(k => k.Length) == png.Length - Signature) return png;
        var result = new byte[Signature + kept.Sum(k => k.Length)];
        png.AsSpan(0, Signature).CopyTo(result);
        int at = Signature;
        foreach (var (start, size) in kept)
        {
            png.AsSpan(start, size).CopyTo(result.AsSpan(at));
            at += size;
        }
        return result;
    }

    // The unified ideograph of each Kangxi radical U+2F00–U+2FD5, in order (their compatibility decompositions, NFKC).
    private const string KangxiIdeographs = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";

    /// <summary>
    /// Skia's SVG canvas writes text by mapping each glyph back to a character, and a CJK font draws a Kangxi radical
    /// and its ideograph with one glyph: 一 of 滞后一期 came out as ⼀ (U+2F00), 方 of 方差 as ⽅. Those characters look
    /// the same but are not the words (search, copy and screen readers see radicals). This maps every Kangxi radical
    /// (U+2F00–U+2FD5) of the SVG back to its unified ideograph (its NFKC form; string.Normalize does not map them
    /// under invariant globalization). No label of a chart is a radical on purpose.
    /// </summary>
    internal static string UnifiedIdeographs(string svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        if (!svg.Any(c => c is >= '\u2F00' and <= '\u2FD5')) return svg;
        return string.Create(svg.Length, svg, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = s[i] is >= '\u2F00' and <= '\u2FD5' ? KangxiIdeographs[s[i] - '\u2F00'] : s[i];
        });
    }

    private static void Draw(SKCanvas canvas, float scale, IReadOnlyList<(Plot Plot, PixelRect Rect)> panels)
    {
        canvas.Clear(SKColors.White);
        canvas.Scale(scale);
        foreach (var (plot, rect) in panels)
        {
            FixBaselines(plot);
            // A plot fills its figure background beyond its rectangle; the clip keeps the panels drawn before.
            canvas.Save();
            canvas.ClipRect(new SKRect(rect.Left, rect.Top, rect.Right, rect.Bottom));
            plot.Render(canvas, rect);
            canvas.Restore();
        }
        canvas.Flush();
    }

    /// <summary>
    /// ScottPlot 5.1 puts a one-line label's baseline at the bottom of its box minus the font's
    /// <c>Bottom</c> metric (the lowest point of any glyph) where the box is ascent + descent high, so
    /// the text is raised by Bottom − Descent: 2.7 px at 12 px in DejaVu Sans but 9.1 px in Noto Sans
    /// CJK SC, whose Bottom is large — tick labels sat half a row above their ticks and legend texts
    /// were cut. This moves every label of the plot (title, axis titles, tick labels, legend items)
    /// back down by that amount for its font and size; rotated axis titles sideways. Done here because
    /// ScottPlot has no setting for it (LabelStyle.OffsetX/Y are its public hooks).
    /// </summary>
    private static void FixBaselines(Plot plot)
    {
        static float Raise(LabelStyle l)
        {
            using var tf = Fonts.GetTypeface(l.FontName, l.Bold, l.Italic);
            using var font = new SKFont(tf, l.FontSize);
            var m = font.Metrics;
            return m.Bottom - m.Descent;
        }
        static void Down(LabelStyle l, bool rotated)
        {
            if (rotated) l.OffsetX = Raise(l);
            else l.OffsetY = Raise(l);
        }
        Down(plot.Axes.Title.Label, false);
        foreach (var axis in plot.Axes.GetAxes())
        {
            Down(axis.TickLabelStyle, false);
            Down(axis.Label, axis.Label.Rotation != 0);
            if (axis.Label.Rotation > 0) axis.Label.OffsetX = -axis.Label.OffsetX;
        }
        // A legend in a panel outside the data area (ShowLegend(Edge)) hides the plot's legend and draws it in the panel.
        if (plot.Legend.IsVisible || plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>().Any(p => p.IsVisible))
        {
            var items = plot.Legend.GetItems();
            foreach (var item in items)
            {
                if (plot.Legend.FontName is { } legendFont) item.LabelStyle.FontName = legendFont;
                Down(item.LabelStyle, false);
            }
            plot.Legend.ManualItems.Clear();
            plot.Legend.ManualItems.AddRange(items);
            plot.Legend.DisplayPlottableLegendItems = false;
        }
    }

    /// <summary>
    /// Skia's SVG canvas numbers clip paths and other ids with a counter that lives as long as the
    /// process, so the second chart of a process has other ids than the first. This
    /// renumbers every id="…" in order of first appearance, with its url(#…) and href="#…" uses,
    /// so that the same chart gives the same bytes. A regular expression over Skia's own output:
    /// there is no option for the counter.
    /// </summary>
    internal static string NormaliseSvgIds(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(svg, "\\bid=\"([^\"]+)\""))
            if (!map.ContainsKey(m.Groups[1].Value)) map[m.Groups[1].Value] = "i" + map.Count.ToString(CultureInfo.InvariantCulture);
        if (map.Count == 0) return svg;
        return Regex.Replace(svg, "(\\bid=\"|url\\(#|href=\"#)([^\")]+)", m =>
            map.TryGetValue(m.Groups[2].Value, out var v) ? m.Groups[1].Value + v : m.Value);
    }

    /// <summary>Invariant number text for labels.</summary>
    public static string Num(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);
}
