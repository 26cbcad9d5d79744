using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The table note of analytic weights (<see cref="TableWords.WeightsNotes"/>) in both languages.</summary>
public class WeightsNoteTests
{
    private const string Formula = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state";
    private static readonly RegressionResult Weighted = Estimation.Fit(TestData.Produc, Formula, new EstimationOptions { Weights = "emp" });
    private static readonly RegressionResult Plain = Estimation.Fit(TestData.Produc, Formula);

    private static IReadOnlyList<string> Notes(IReadOnlyList<RegressionResult> models, TableLanguage language, Dictionary<string, string>? labels = null) =>
        RegressionTable.Build(models, new RegressionTableOptions { Language = language, Labels = labels ?? new Dictionary<string, string>() }).Notes;

    [Fact]
    public void EveryColumnWeighted_OneNote()
    {
        Assert.Equal("Weighted by emp.", Notes([Weighted, Weighted], TableLanguage.En)[1]);
        Assert.Equal("以 emp 加权", Notes([Weighted], TableLanguage.Zh)[1]);
        Assert.Equal("以就业人数加权", Notes([Weighted], TableLanguage.Zh, new() { ["emp"] = "就业人数" })[1]);
    }

    [Fact]
    public void SomeColumnsWeighted_NamesThem_UnweightedTables_HaveNoNote()
    {
        Assert.Equal("Columns (1), (3) weighted by emp.", Notes([Weighted, Plain, Weighted], TableLanguage.En)[1]);
        Assert.Equal("第(1)、(3)列以 emp 加权", Notes([Weighted, Plain, Weighted], TableLanguage.Zh)[1]);
        Assert.Equal("Column (2) weighted by emp.", Notes([Plain, Weighted], TableLanguage.En)[1]);
        Assert.Single(Notes([Plain, Plain], TableLanguage.En));
    }
}
