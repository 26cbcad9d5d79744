using System.Text;
using System.Text.Json;
using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// The .dta writer, checked against another program: tests/data/stata/written118.dta is what <see cref="DtaWriter"/> writes for
/// <see cref="ExportFrames.Panel"/> (the first test checks the bytes are still those), and written118.pandas.json is what
/// pandas 1.5.3 (Debian) read from that file (tests/data/stata/read_written.py). The values expected here are written out by
/// hand from the frame, never taken from our writer; our own reader's round trip is checked in addition.
/// To rewrite the fixtures after a deliberate change: DE_WRITE_FIXTURES=1 dotnet test … --filter DtaWriter, then run
/// read_written.py with /usr/bin/python3 from tests/data/stata and commit both files.
/// </summary>
public sealed class DtaWriterTests
{
    internal static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    [Fact]
    public void WritesTheCommittedBytes_NoTimestampSoTheSameFrameGivesTheSameFile()
    {
        var (bytes, _) = DtaWriter.Write(ExportFrames.Panel());
        if (Environment.GetEnvironmentVariable("DE_WRITE_FIXTURES") == "1")
            File.WriteAllBytes(Path.Combine(ExportFrames.SourceData(), "stata", "written118.dta"), bytes);
        Assert.Equal(File.ReadAllBytes(Fixture("stata", "written118.dta")), bytes);
        Assert.Equal(bytes, DtaWriter.Write(ExportFrames.Panel()).Bytes);
    }

    [Fact]
    public void PandasReadsEveryTypeMissingValueStrLAndName()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture("stata", "written118.pandas.json")));
        var root = doc.RootElement;
        Assert.Equal(118, root.GetProperty("format_version").GetInt32());
        Assert.Equal(["province", "year", "pilot", "pop", "gdp", "big", "median_estimate_", "区域", "note"],
            root.GetProperty("columns").EnumerateArray().Select(e => e.GetString()));
        // The smallest Stata type that holds each column: int for years, byte for a 0/1 flag, long for population.
        var dtypes = root.GetProperty("stata_types");
        Assert.Equal("str6", dtypes.GetProperty("province").GetString()); // 北京: 6 UTF-8 bytes
        Assert.Equal("int", dtypes.GetProperty("year").GetString());
        Assert.Equal("byte", dtypes.GetProperty("pilot").GetString());
        Assert.Equal("long", dtypes.GetProperty("pop").GetString());
        Assert.Equal("double", dtypes.GetProperty("gdp").GetString());
        Assert.Equal("double", dtypes.GetProperty("big").GetString()); // 3e9 is beyond long's range
        Assert.Equal("strL", dtypes.GetProperty("note").GetString());   // 2,400 bytes > 2,045
        var v = root.GetProperty("values");
        Assert.Equal(["北京", "天津", "河北"], v.GetProperty("province").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([2011, 2012, 2013], v.GetProperty("year").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([1.0, 0.0, double.NaN], Nums(v.GetProperty("pilot")));
        Assert.Equal([21893095, 13866009, -74610235], Nums(v.GetProperty("pop")));
        Assert.Equal([16251.93, double.NaN, 24515.76], Nums(v.GetProperty("gdp")));
        Assert.Equal([3e9, -1, double.NaN], Nums(v.GetProperty("big"))); // +∞ is Stata's '.'
        Assert.Equal([1.5, -3, double.NaN], Nums(v.GetProperty("median_estimate_")));
        Assert.Equal(["东部", "东部", "中部"], v.GetProperty("区域").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([ExportFrames.LongNote, "", "短"], v.GetProperty("note").EnumerateArray().Select(e => e.GetString())); // missing text is Stata's ""
        Assert.Equal("median(estimate)", root.GetProperty("variable_labels").GetProperty("median_estimate_").GetString());
        Assert.Equal("", root.GetProperty("variable_labels").GetProperty("gdp").GetString());
    }

    [Fact]
    public void OurReaderReadsItBack()
    {
        var (bytes, renamed) = DtaWriter.Write(ExportFrames.Panel());
        Assert.Equal([new DtaRename("median(estimate)", "median_estimate_")], renamed);
        var f = DtaReader.Read(bytes, "written118.dta");
        Assert.Equal(["北京", "天津", "河北"], f["province"].Texts!.AsEnumerable());
        Assert.Equal([2011, 2012, 2013], f.Numeric("year"));
        Assert.Equal([1, 0, double.NaN], f.Numeric("pilot"));
        Assert.Equal([21893095, 13866009, -74610235], f.Numeric("pop"));
        Assert.Equal([16251.93, double.NaN, 24515.76], f.Numeric("gdp"));
        Assert.Equal([3e9, -1, double.NaN], f.Numeric("big"));
        Assert.Equal([ExportFrames.LongNote, null, "短"], f["note"].Texts!.AsEnumerable());
    }

    [Fact]
    public void StataNames_InvalidCharactersDigitsReservedWordsClashesAndLength()
    {
        var (names, renamed) = DtaWriter.Names(["a b", "1x", "if", "str5", "a_b", "地区", new string('x', 40), "_cons"]);
        Assert.Equal(["a_b", "_1x", "if_", "str5_", "a_b_2", "地区", new string('x', 32), "_cons_"], names);
        Assert.Equal(7, renamed.Count); // 地区 is a valid Stata 14 name
    }

    private static double[] Nums(JsonElement array) => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble())];
}

/// <summary>The frames the export tests write, built by hand.</summary>
internal static class ExportFrames
{
    public static readonly string LongNote = string.Concat(Enumerable.Repeat("a long note ", 200));

    public static DataFrame Panel() => new(
    [
        Column.Text("province", ["北京", "天津", "河北"]),
        Column.Numeric("year", [2011, 2012, 2013]),
        Column.Numeric("pilot", [1, 0, double.NaN]),
        Column.Numeric("pop", [21893095, 13866009, -74610235]),
        Column.Numeric("gdp", [16251.93, double.NaN, 24515.76]),
        Column.Numeric("big", [3e9, -1, double.PositiveInfinity]),
        Column.Numeric("median(estimate)", [1.5, -3, double.NaN]),
        Column.Text("区域", ["东部", "东部", "中部"]),
        Column.Text("note", [LongNote, null, "短"]),
    ], "panel");

    /// <summary>tests/data in the source tree (from the test binary's folder up to the repository), to rewrite fixtures.</summary>
    public static string SourceData()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "tests", "data", "stata"))) return Path.Combine(d.FullName, "tests", "data");
        throw new InvalidOperationException("tests/data not found above " + AppContext.BaseDirectory);
    }

    public static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);
}
