using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

/// <summary>Issue 19, items 3 and 12: bytes to text never silently (UTF-8, BOMs, the GB18030 fallback, refusals), and echoed cells on one line.</summary>
public class TextDecodingTests
{
    private static readonly Encoding Gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;

    [Fact]
    public void ValidUtf8_IsUtf8_WithoutANote()
    {
        var (text, enc) = TextDecoding.Decode("省份,y\n北京,1\n"u8, "a.csv");
        Assert.Equal("省份,y\n北京,1\n", text);
        Assert.Equal(new TextEncoding("UTF-8", "valid UTF-8"), enc);
        Assert.Null(enc.Note("a.csv"));
    }

    [Fact]
    public void Utf8Bom_IsUtf8_AndNotPartOfTheFirstName()
    {
        var frame = CsvReader.Read([0xEF, 0xBB, 0xBF, .. "省份,y\n北京,1\n"u8], "a.csv");
        Assert.Equal("省份", frame.Columns[0].Name);
        Assert.Equal(new TextEncoding("UTF-8", "byte order mark"), frame.Encoding);
    }

    [Fact]
    public void Utf16LeBom_IsUtf16()
    {
        var frame = CsvReader.Read([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("省份\ty\n北京\t1\n")], "a.txt");
        Assert.Equal(["省份", "y"], frame.Columns.Select(c => c.Name));
        Assert.Equal("北京", frame["省份"].Texts![0]);
        Assert.Equal("UTF-16LE", frame.Encoding!.Name);
    }

    [Fact]
    public void Gbk_IsReadAsGb18030_WithANote()
    {
        var frame = CsvReader.Read(Gbk.GetBytes("省份,y\n北京,1\n上海,2\n内蒙古,3\n"), "a.csv");
        Assert.Equal("北京|上海|内蒙古", string.Join("|", frame["省份"].Texts!));
        Assert.Equal(new TextEncoding("GB18030", "not valid UTF-8"), frame.Encoding);
        Assert.Equal("data/a.csv read as GB18030 (not valid UTF-8)", frame.Encoding!.Note("data/a.csv"));
    }

    [Fact]
    public void GbkWithOneBadByte_IsRefusedWhereGb18030Fails_NotAtTheFirstChineseCharacter()
    {
        byte[] good = Gbk.GetBytes("省份,y\n北京,1\n");
        var e = Assert.Throws<InputException>(() => TextDecoding.Decode([.. good, 0xFF, .. "x,2\n"u8], "a.csv"));
        Assert.Equal($"a.csv: line 3, byte offset {good.Length} (0xFF): neither UTF-8 nor GB18030; save the file as UTF-8", e.Message);
    }

    [Fact]
    public void ForcedEncodings_AreStrict()
    {
        byte[] gbk = Gbk.GetBytes("省份,y\n北京,1\n");
        Assert.Equal(("省份,y\n北京,1\n", new TextEncoding("GBK", "asked for")), TextDecoding.Decode(gbk, "a.csv", "GBK"));
        // 省 is CA A1 in GBK, also valid UTF-8 (U+02A1); 份 (B7 DD) is not.
        var e = Assert.Throws<InputException>(() => TextDecoding.Decode(gbk, "a.csv", "UTF-8"));
        Assert.Equal("a.csv: line 1, byte offset 2 (0xB7): not valid UTF-8; save the file as UTF-8", e.Message);
        e = Assert.Throws<InputException>(() => TextDecoding.Decode([.. "a,b\n1,"u8, 0x81, 0x20], "a.csv", "GB18030"));
        Assert.Equal("a.csv: line 2, byte offset 6 (0x81): not valid GB18030; save the file as UTF-8", e.Message);
    }

    [Theory]
    [InlineData("UTF8", "UTF-8")]
    [InlineData("gbk", "GBK")]
    [InlineData("GB18030", "GB18030")]
    public void Canonical_Names(string given, string expected) => Assert.Equal(expected, TextDecoding.Canonical(given, "--encoding"));

    [Fact]
    public void Canonical_RefusesOthers() =>
        Assert.Equal("--encoding 'big5': expected utf-8, gbk or gb18030", Assert.Throws<InputException>(() => TextDecoding.Canonical("big5", "--encoding")).Message);

    [Fact]
    public void EchoedCells_StayOnOneLine()
    {
        Assert.Equal("a\\nb\\r\\n\\tc\\u2028", Echo.OneLine("a\nb\r\n\tc\u2028"));
        var frame = CsvReader.Read(new StringReader("id,\"x\ny\"\na,\"1\r\n2\"\n"), "m.csv");
        var e = Assert.Throws<InputException>(() => frame.Numeric("x\ny"));
        Assert.Equal("m.csv: line 3, column 2 ('x\\ny'): expected a number, found '1\\r\\n2'", e.Message);
    }

    [Fact]
    public void AUnitNameWithALineBreak_InAnError_StaysOnOneLine()
    {
        var frame = CsvReader.Read(new StringReader("id,year,y\n\"a\nb\",2001,1\n\"a\nb\",2001,2\n"), "m.csv");
        var e = Assert.Throws<InputException>(() => Panel.Create(frame, "id", "year"));
        Assert.Equal("m.csv: unit 'a\\nb' has more than one row for year = 2001 (lines 2 and 4)", e.Message);
    }
}
