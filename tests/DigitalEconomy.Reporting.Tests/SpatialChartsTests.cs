using DigitalEconomy.Reporting.Charts;
using Xunit;

namespace DigitalEconomy.Reporting.Tests;

/// <summary>The Moran scatter plot renders as PNG and SVG with its texts.</summary>
public class SpatialChartsTests
{
    [Fact]
    public void Moran_scatter_renders_with_the_slope_in_the_legend()
    {
        double[] z = [-1.2, -0.4, 0.1, 0.6, 0.9];
        double[] lag = [-0.8, -0.1, 0.2, 0.3, 0.4];
        var png = MoranScatter.Render(z, lag, 0.4567);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        var svg = System.Text.Encoding.UTF8.GetString(MoranScatter.Render(z, lag, 0.4567, new MoranScatterOptions { Title = "莫兰散点图" }, new ChartOptions { Format = ChartFormat.Svg }));
        Assert.Contains("莫兰散点图", svg);
        Assert.Contains("0.4567", svg);
        Assert.Throws<ArgumentException>(() => MoranScatter.Render([1.0], [1.0], 0));
    }
}
