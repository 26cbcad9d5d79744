using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests.Data;

public class CsvReaderTests
{
    private static DataFrame Read(string text) => CsvReader.Read(new StringReader(text), "t.csv");

    [Fact]
    public void Read_QuotedFieldsChineseAndMissing()
    {
        var f = Read("city,年份,name,gdp\r\n1,2020,\"北京, 市\",3.5\n1,2021,\"say \"\"hi\"\"\",\n2,2020,,NA\n");
        Assert.Equal(3, f.RowCount);
        Assert.Equal("北京, 市", f["name"].Texts![0]);
        Assert.Equal("say \"hi\"", f["name"].Texts![1]);
        Assert.Null(f["name"].Texts![2]);
        Assert.Equal(3.5, f["gdp"].Values![0]);
        Assert.True(double.IsNaN(f["gdp"].Values![1]));
        Assert.True(double.IsNaN(f["gdp"].Values![2]));
        Assert.Equal(2021, f["年份"].Values![1]);
    }

    [Fact]
    public void Read_RoundTripsDoublesExactly()
    {
        var f = Read("a\n0.1\n317.60000000000002\n1e-300\n");
        Assert.Equal(0.1, f["a"].Values![0]);
        Assert.Equal(317.60000000000002, f["a"].Values![1]);
        Assert.Equal(1e-300, f["a"].Values![2]);
    }

    [Fact]
    public void Numeric_OnTextColumn_NamesFileLineColumnAndText()
    {
        var f = Read("id,x\n1,2\n2,\n3,abc\n");
        var e = Assert.Throws<InputException>(() => f.Numeric("x"));
        Assert.Equal("t.csv: line 4, column 2 ('x'): expected a number, found 'abc'", e.Message);
    }

    [Theory]
    [InlineData("a,b\n1,2,3\n", "t.csv: line 2: expected 2 fields as in the header, found 3")]
    [InlineData("a,b\n1,\"2\n", "t.csv: line 2: a quoted field is not closed before the end of the file")]
    [InlineData("a,a\n1,2\n", "t.csv: line 1, column 2: duplicate column name 'a'")]
    [InlineData("a,b\n1,Inf\n", "t.csv: line 2, column 2 ('b'): non-finite value 'Inf' (NaN and infinities are not data; leave the cell empty for a missing value)")]
    [InlineData("", "t.csv: the file is empty (a header row was expected)")]
    public void Read_BadInput_OneClearMessage(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => Read(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void UnknownColumn_ListsAvailable()
    {
        var e = Assert.Throws<InputException>(() => Read("a,b\n1,2\n")["c"]);
        Assert.Equal("t.csv: unknown column 'c'; available columns: a, b", e.Message);
    }
}
