using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>Tables a Chinese journal takes without hand edits (issue 28): labels everywhere, journal words, no option syntax.</summary>
public class JournalWordingTests
{
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly RegressionResult Fe = Estimation.Fit(TestData.Produc, Rhs + " | state");

    [Fact]
    public void SpanningGroup_TakesTheLabelOfTheColumn()
    {
        // Heterogeneity columns carry the 'by' column as their group: region → 区域 from tables.labels.
        var t = RegressionTable.Build([Fe, Fe], new RegressionTableOptions
        {
            Language = TableLanguage.Zh,
            Labels = new Dictionary<string, string> { ["region"] = "区域" },
            ColumnLabels = ["东部", "西部"],
            ColumnGroups = ["region", "region"],
        });
        Assert.Equal(["区域", "区域"], t.Columns.Select(c => c.Group));
    }
}
