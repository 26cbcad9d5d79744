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

    [Fact]
    public void Read_QuotedFieldOverLines_KeepsItsLineBreakAndLaterLineNumbers()
    {
        var f = Read("a,b\n1,\"x\ny\"\n2,z\n");
        Assert.Equal(2, f.RowCount);
        Assert.Equal("x\ny", f["b"].Texts![0]);
        Assert.Equal(2, f.LineOf(0));
        Assert.Equal(4, f.LineOf(1)); // the quoted field took lines 2 and 3
        Assert.Equal([1.0, 2.0], f["a"].Values!);
    }

    [Fact]
    public void Read_ColumnTurningTextLate_KeepsEarlierCellsAsWritten()
    {
        // "001" parses as 1, but once "A3" makes the column text its earlier cells are the texts of the file.
        var f = Read("id,v\n001,1\n002,2\nA3,3\n");
        Assert.Equal(new string?[] { "001", "002", "A3" }, f["id"].Texts!);
        Assert.Equal(4, f["id"].FirstNonNumeric!.Line);
        Assert.Equal("A3", f["id"].FirstNonNumeric!.Text);
    }

    [Fact]
    public void Read_TrimsUnicodeWhiteSpace_IdeographicAndNoBreakSpace()
    {
        var f = Read("a,b\n\u30001.5\u3000,\u00A0北京\u3000\n");
        Assert.Equal(1.5, f["a"].Values![0]);
        Assert.Equal("北京", f["b"].Texts![0]);
    }

    [Fact]
    public void Read_TextAfterClosingQuoteKept_DoubledQuoteIsOne()
    {
        var f = Read("a,b\n\"ab\"c,\"x\"\"y\" \n");
        Assert.Equal("abc", f["a"].Texts![0]);
        Assert.Equal("x\"y", f["b"].Texts![0]);
    }

    [Fact]
    public void Read_CrLfBlankLinesAndLoneCarriageReturn()
    {
        var f = Read("a,b\r\n1,2\r\n\r\n3,4\r");
        Assert.Equal(2, f.RowCount);
        Assert.Equal(4, f.LineOf(1));
        Assert.Equal([2.0, 4.0], f["b"].Values!);
    }

    [Fact]
    public void Read_TabSeparated()
    {
        var f = Read("a\tb\n1\tx y\n");
        Assert.Equal("x y", f["b"].Texts![0]);
        Assert.Equal(1.0, f["a"].Values![0]);
    }

    [Fact]
    public void Read_RepeatedTextsAreOneString()
    {
        var f = Read("c,t\n北京,1\n上海,1\n北京,2\n");
        Assert.Same(f["c"].Texts![0], f["c"].Texts![2]);
    }

    [Fact]
    public void Read_Utf8BytesWithBom_SaidAsSuch()
    {
        var f = CsvReader.Read([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("省份,x\n北京,1\n")], "t.csv");
        Assert.Equal("北京", f["省份"].Texts![0]);
        Assert.Equal(new TextEncoding("UTF-8", "byte order mark"), f.Encoding);
    }

    [Theory]
    [InlineData("a,b\n1,x\"y\n", "t.csv: line 2, column 2: a quote inside an unquoted field (quote the whole field and double inner quotes)")]
    [InlineData("a,b\n\"x\"y\",1\n", "t.csv: line 2, column 1: a quote inside an unquoted field (quote the whole field and double inner quotes)")]
    [InlineData("a;b\n1;2\n", "t.csv: line 1: the header is separated by ';', not ','; save the file as comma-separated values (with '.' as the decimal point) or with tabs")]
    [InlineData("a,b\n1,1e400\n", "t.csv: line 2, column 2 ('b'): non-finite value '1e400' (NaN and infinities are not data; leave the cell empty for a missing value)")]
    [InlineData("a,b\n1,-infinity\n", "t.csv: line 2, column 2 ('b'): non-finite value '-infinity' (NaN and infinities are not data; leave the cell empty for a missing value)")]
    [InlineData("a,b\n1,\u3000∞\n", "t.csv: line 2, column 2 ('b'): non-finite value '∞' (NaN and infinities are not data; leave the cell empty for a missing value)")]
    [InlineData("a,b\n1,2\n3\n", "t.csv: line 3: expected 2 fields as in the header, found 1")]
    [InlineData("a,\n1,2\n", "t.csv: line 1, column 2: empty column name in the header")]
    public void Read_MalformedInput_LineAndColumn(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => Read(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ParseNumber_SameBitsAsTheBclParser()
    {
        // The fast parser must agree with double.TryParse bit for bit, and leave to it what it does not read whole.
        var rng = new Random(20261207);
        var texts = new List<string> { "+5", "5.", ".5", "-0", "0", "1e5", "1E-5", "1e", "0x10", "1_0", " 1", "007", "1e308", "2.2250738585072014e-308",
            "4.9e-324", "123456789012345678901234567890", "0.30000000000000004", "9007199254740993", "-.5e+3" };
        for (int i = 0; i < 20000; i++)
        {
            double d = BitConverter.Int64BitsToDouble(rng.NextInt64()) is var x && double.IsFinite(x) ? x : rng.NextDouble();
            texts.Add(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            texts.Add(d.ToString("G15", System.Globalization.CultureInfo.InvariantCulture));
            texts.Add((rng.NextDouble() * 1e6).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var t in texts)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(t);
            bool bcl = double.TryParse(bytes, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double expected);
            bool ours = CsvReader.ParseNumber(bytes, out double actual);
            Assert.True(bcl == ours, t);
            if (bcl) Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), t);
        }
    }

    /// <summary>
    /// A file over 4 MB without quotes, read in pieces on several threads: rows, line numbers and values as written,
    /// blank lines anywhere (the pieces close up), and with <paramref name="late"/> a cell near the end that changes
    /// what the whole column is or makes the file bad — decided as reading it in one piece would.
    /// </summary>
    private static (byte[] Bytes, double[] X, string[] City, int[] Line) LargeFile(int rows, Func<int, string?>? late = null)
    {
        var rng = new Random(5);
        var sb = new System.Text.StringBuilder("city,year,x,code\n");
        var x = new double[rows]; var city = new string[rows]; var line = new int[rows];
        int at = 2;
        for (int r = 0; r < rows; r++)
        {
            if (r % 9973 == 0) { sb.Append('\n'); at++; } // a blank line now and then
            x[r] = rng.NextDouble() * 1e4 - 5e3;
            city[r] = "city" + (r % 2860).ToString(System.Globalization.CultureInfo.InvariantCulture);
            line[r] = at++;
            string code = late?.Invoke(r) ?? (r % 100).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
            sb.Append(city[r]).Append(',').Append(2000 + r % 20).Append(',').Append(x[r].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(code).Append('\n');
        }
        return (System.Text.Encoding.UTF8.GetBytes(sb.ToString()), x, city, line);
    }

    [Fact]
    public void Read_LargeFileInPieces_RowsLinesAndValuesAsWritten()
    {
        var (bytes, x, city, line) = LargeFile(150_000);
        Assert.True(bytes.Length > 4 << 20);
        var f = CsvReader.Read(bytes, "big.csv");
        Assert.Equal(150_000, f.RowCount);
        Assert.Equal(x, f["x"].Values!);
        Assert.Equal(city, f["city"].Texts!);
        for (int r = 0; r < line.Length; r += 997) Assert.Equal(line[r], f.LineOf(r));
        Assert.Equal(line[^1], f.LineOf(line.Length - 1));
        Assert.Equal(99, f["code"].Values![99]); // "099" is a number
    }

    [Fact]
    public void Read_LargeFile_ColumnTurningTextInALaterPiece_KeepsEveryCellAsWritten()
    {
        var (bytes, _, _, line) = LargeFile(150_000, r => r == 149_000 ? "X9" : null);
        var f = CsvReader.Read(bytes, "big.csv");
        Assert.Equal("099", f["code"].Texts![99]);
        Assert.Equal("X9", f["code"].Texts![149_000]);
        Assert.Equal(line[149_000], f["code"].FirstNonNumeric!.Line);
    }

    [Fact]
    public void Read_LargeFile_InfAfterTheColumnIsText_IsText_AndAnErrorNamesItsLine()
    {
        // Text from the first row on: a later "Inf" is a text like any other, as when read in one piece.
        var (bytes, _, _, _) = LargeFile(150_000, r => r == 0 ? "A" : r == 140_000 ? "Inf" : null);
        Assert.Equal("Inf", CsvReader.Read(bytes, "big.csv")["code"].Texts![140_000]);
        // In a numeric column the same cell is refused with its line, whichever piece found it.
        var (bad, _, _, line) = LargeFile(150_000, r => r == 140_000 ? "Inf" : null);
        var e = Assert.Throws<InputException>(() => CsvReader.Read(bad, "big.csv"));
        Assert.Equal($"big.csv: line {line[140_000]}, column 4 ('code'): non-finite value 'Inf' (NaN and infinities are not data; leave the cell empty for a missing value)", e.Message);
    }
}
