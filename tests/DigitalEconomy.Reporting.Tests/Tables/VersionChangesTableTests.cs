using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>tables/changes.* (reporting/Tables/VersionChangesTable.cs) from rows whose cells are derived by hand.</summary>
public class VersionChangesTableTests
{
    private static readonly VersionChangesOptions Options = new("lag(de)", "provinces", 1, 2, "ln_gdp", "base", "province + year", "cluster(province)", "r0123abcd", 3, 8);

    [Fact]
    public void Build_SixDecimals_ChangeIsNewMinusOld_EmptyWhereEitherIsMissing()
    {
        VersionChangeRow[] rows =
        [
            // 0.2 − 0.1234567 = 0.0765433 → 0.076543; SE only in v1; N as integers; fitted again → yes.
            new("all", 0.1234567, 0.2, null, 0.05, 0.0123, 0.000001, 300, 310, true),
            // No v1 row of these choices in the earlier run: old cells and the change empty; reused → no.
            new("east", null, -0.0333333333, null, 0.01, null, 0.5, null, 120, false),
        ];
        var t = VersionChangesTable.Build(rows, Options);
        Assert.Equal("Baseline estimates of lag(de) on provinces: v1 → v2", t.Title);
        Assert.Equal("sample", t.StubHeader);
        Assert.Equal(["v1 estimate", "v2 estimate", "change", "v1 SE", "v2 SE", "v1 p", "v2 p", "v1 N", "v2 N", "recomputed"], t.Columns.Select(c => c.Header));
        var data = t.Blocks.Single().Rows;
        Assert.Equal(["all", "east"], data.Select(r => r.Label));
        Assert.Equal(["0.123457", "0.200000", "0.076543", "", "0.050000", "0.012300", "0.000001", "300", "310", "yes"], data[0].Cells.Select(c => c.Text));
        Assert.Equal(["", "-0.033333", "", "", "0.010000", "", "0.500000", "", "120", "no"], data[1].Cells.Select(c => c.Text));
        Assert.Equal(0.2 - 0.1234567, data[0].Cells[2].Value);
        Assert.Equal(310.0, data[0].Cells[8].Value);
        Assert.Equal(
        [
            "Each row: the baseline specification (ln_gdp, controls base, fe province + year, vcov cluster(province)) on that sample. v1: run r0123abcd; v2: this run.",
            "recomputed: no = the sample's data did not change, so the v1 row was reused as it is; specifications reused in all: 3 of 8.",
        ], t.Notes);
    }

    [Fact]
    public void Build_NonFiniteNumbersAreEmptyCells()
    {
        var t = VersionChangesTable.Build([new("all", double.NaN, 1.5, double.PositiveInfinity, 0.25, null, null, 10, 10, true)], Options);
        Assert.Equal(["", "1.500000", "", "", "0.250000", "", "", "10", "10", "yes"], t.Blocks.Single().Rows.Single().Cells.Select(c => c.Text));
    }
}
