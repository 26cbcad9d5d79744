using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>Stata files written by pandas 1.5.3 (tests/data/stata/make_dta.py), read back to the values the script wrote.</summary>
public sealed class DtaReaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "data", "stata", name);

    private static readonly string LongNote = string.Concat(Enumerable.Repeat("a long note ", 30));

    [Theory]
    [InlineData("panel118.dta")]
    [InlineData("panel118_msf.dta")]
    [InlineData("panel119.dta")]
    public void Utf8Formats_EveryTypeMissingValuesStrLAndValueLabels(string file)
    {
        var f = DatasetFile.Read(Fixture(file));
        Assert.Equal(["province", "year", "pilot", "pop", "share", "gdp", "region", "note"], f.Columns.Select(c => c.Name));
        Assert.Equal(["北京", "天津", "河北"], f["province"].Texts!.AsEnumerable());
        Assert.Equal([2011, 2012, 2013], f.Numeric("year"));
        Assert.Equal([1, 0, -5], f.Numeric("pilot"));          // int8, negative kept
        Assert.Equal([2019, 1355, 7241], f.Numeric("pop"));    // int32
        Assert.Equal([0.25, double.NaN, 1.5], f.Numeric("share")); // float32 with Stata's '.'
        Assert.Equal([16251.93, double.NaN, 24515.76], f.Numeric("gdp"));
        Assert.Equal(["东部", "东部", "西部"], f["region"].Texts!.AsEnumerable()); // value labels as text
        Assert.Equal([LongNote, null, "short"], f["note"].Texts!.AsEnumerable()); // strL, an empty one missing
    }

    [Fact]
    public void Format117_AsciiTextAndUnlabelledNumbers()
    {
        var f = DtaReader.Read(Fixture("panel117.dta"));
        Assert.Equal(["Beijing", "Tianjin", "Hebei"], f["province"].Texts!.AsEnumerable());
        Assert.Equal([1, 1, 3], f.Numeric("region"));
        Assert.Equal([0.25, double.NaN, 1.5], f.Numeric("share"));
        Assert.Equal([LongNote, null, "short"], f["note"].Texts!.AsEnumerable());
    }

    [Fact]
    public void APanelFromDta_IsADatasetLikeAnyOther()
    {
        var p = Panel.Create(DatasetFile.Read(Fixture("panel118.dta")), "province", "year");
        Assert.Equal(3, p.UnitCount);
        Assert.Equal([2011L, 2012, 2013], p.Periods);
    }

    [Fact]
    public void OlderOrDamagedFiles_AreRefusedInOneLine()
    {
        byte[] old = [.. File.ReadAllBytes(Fixture("panel118.dta"))];
        "116"u8.CopyTo(old.AsSpan(28));
        Assert.Equal("x.dta: Stata format 116 is not read (117, 118 and 119 are: Stata 13 and later; save older files again with a recent Stata, or export CSV)",
            Assert.Throws<InputException>(() => DtaReader.Read(old, "x.dta")).Message);
        byte[] cut = File.ReadAllBytes(Fixture("panel118.dta"))[..400];
        Assert.StartsWith("x.dta: ", Assert.Throws<InputException>(() => DtaReader.Read(cut, "x.dta")).Message, StringComparison.Ordinal);
    }
}
