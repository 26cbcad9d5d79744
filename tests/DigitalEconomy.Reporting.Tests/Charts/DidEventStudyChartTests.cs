using System.Text;
using DigitalEconomy.Reporting.Charts;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Charts;

/// <summary>The event-study chart: deterministic bytes at page width, its texts in the SVG, and no chart without a finite point.</summary>
public class DidEventStudyChartTests
{
    private static readonly DidEventPoint[] Points =
    [
        new(-2, 0.357, -0.177, 0.891, "TWFE"), new(0, -5.172, -5.907, -4.437, "TWFE"), new(1, -3.667, -4.368, -2.965, "TWFE"),
        new(-2, 0.399, -0.604, 1.403, "Callaway–Sant'Anna"), new(0, -5.042, -6.220, -3.862, "Callaway–Sant'Anna"),
    ];

    [Fact]
    public void PngAndSvg_AreDeterministic_WithTheirTexts()
    {
        var o = new DidEventStudyChartOptions { Title = "事件研究", PeriodAxis = "相对政策实施的期数" };
        var png = DidEventStudyChart.Render(Points, o);
        Assert.Equal(png, DidEventStudyChart.Render(Points, o));
        Assert.Equal((1600, 900), ChartTests.PngSize(png));
        string svg = Encoding.UTF8.GetString(DidEventStudyChart.Render(Points, o, new ChartOptions { Format = ChartFormat.Svg }));
        var texts = System.Xml.Linq.XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        foreach (var text in new[] { "事件研究", "相对政策实施的期数", "TWFE", "-2", "0", "1" }) Assert.True(texts.Contains(text), $"{text} not in [{string.Join("; ", texts)}]");
        // The SVG writes the en dash of the legend as U+2012 (figure dash); the series name is there.
        Assert.Contains(texts, t => t.StartsWith("Callaway", StringComparison.Ordinal) && t.EndsWith("Sant'Anna", StringComparison.Ordinal));
    }

    [Fact]
    public void NoFinitePoint_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => DidEventStudyChart.Render([new DidEventPoint(0, double.NaN, 0, 1, "x")]));
    }
}
