using System.Text;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de estimate --table` and `de describe`, end to end.</summary>
public class TableCommandTests
{
    private static string Temp(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "de-table-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public void Estimate_TableMd_OneColumnFromProducFe()
    {
        // produc.json fe_oneway: log(pc) 0.292 (t 11.625), _cons 2.353 (t 13.460); within R² 0.941; 48 states.
        string path = Temp("fe.md");
        string labels = Temp("labels.yaml");
        File.WriteAllText(labels, "log(pc): 私人资本\n");
        var (code, _, err) = CliRunner.Run("estimate", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year",
            "--table", path, "--table-key", "log(pc)", "--table-r2", "within", "--lang", "zh", "--labels", labels);
        Assert.True(code == 0, err);
        // Markdown specials are escaped (the title's '~' and '|', the stars, '<'): the file shows as written.
        string expected = "**log(gsp) \\~ log(pcap) + log(pc) + log(emp) + unemp \\| state**\n\n" +
            "|  | (1) |\n|:---|---:|\n" +
            "| 私人资本 | 0.292\\*\\*\\* |\n|  | (11.625) |\n" +
            "| 常数项 | 2.353\\*\\*\\* |\n|  | (13.460) |\n" +
            "| 控制变量 | 是 |\n| 个体固定效应 | 是 |\n" +
            "| 观测值 | 816 |\n| R²（组内） | 0.941 |\n| 调整R²（组内） | 0.937 |\n| 个体数 | 48 |\n\n" +
            "括号内为t值，标准误为普通标准误；\\*\\*\\*、\\*\\*、\\*分别表示在1%、5%、10%的水平上显著\n";
        Assert.Equal(expected, File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public void Estimate_TableCsvSe_PooledOls()
    {
        // produc.json pooled_ols: unemp -0.00673 (se 0.00142), _cons 1.643 (se 0.058).
        string path = Temp("ols.csv");
        var (code, _, err) = CliRunner.Run("estimate", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year",
            "--table", path, "--table-stat", "se", "--table-key", "unemp");
        Assert.True(code == 0, err);
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        Assert.Equal("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", lines[0]);
        Assert.Equal(",(1)", lines[1]);
        Assert.Equal(["unemp,-0.007***", ",(0.001)", "Constant,1.643***", ",(0.058)"], lines[2..6]);
        Assert.Equal("Controls,YES", lines[6]);
        Assert.Equal("N,816", lines[7]);
        Assert.Equal("R²,0.993", lines[8]);
    }

    [Theory]
    [InlineData("--table", "out.txt", "--table 'out.txt'")]
    [InlineData("--lang", "fr", "--lang 'fr': expected zh or en")]
    [InlineData("--table-stat", "z", "--table-stat 'z': expected t or se")]
    [InlineData("--table-key", "digital", "--table-key: key term(s) 'digital' in no model")]
    public void Estimate_BadTableOption_OneLine(string option, string value, string message)
    {
        string v = option == "--table" ? Temp(value) : value;
        var args = new List<string> { "estimate", "log(gsp) ~ unemp", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", option, v };
        if (option != "--table") args.AddRange(["--table", Temp("t.md")]);
        var (code, _, err) = CliRunner.Run([.. args]);
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(option == "--table" ? "expected a .md, .csv, .tex, .html or .docx name" : message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_WithoutAPanel_GivesTheSameStatistics()
    {
        // Descriptive statistics need no unit or time: the same numbers as with the panel (816 values, min 2.8, max 18.0).
        var (code, output, err) = CliRunner.Run("describe", "--data", CliRunner.Data("Produc.csv"), "--vars", "unemp");
        Assert.True(code == 0, err);
        var row = output.Split('\n').Single(l => l.StartsWith("| unemp", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal(("816", "2.800", "18.000"), (row[2], row[5], row[7]));
    }

    [Fact]
    public void Describe_StdoutMarkdown_AndCorrCsv()
    {
        // Produc unemp: 816 values, min 2.8, max 18.0 (Produc data); emp/unemp correlation row shape.
        var (code, output, err) = CliRunner.Run("describe", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--vars", "unemp");
        Assert.True(code == 0, err);
        var row = output.Split('\n').Single(l => l.StartsWith("| unemp", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("816", row[2]);
        Assert.Equal("2.800", row[5]);
        Assert.Equal("18.000", row[7]);
        string path = Temp("corr.csv");
        (code, _, err) = CliRunner.Run("describe", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--vars", "unemp,emp", "--corr", "--table", path);
        Assert.True(code == 0, err);
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        Assert.Equal("Correlation matrix", lines[0]);
        Assert.Equal("Variable,(1),(2)", lines[1]);
        Assert.Equal("(1) unemp,1.000,", lines[2]);
        Assert.StartsWith("(2) emp,", lines[3], StringComparison.Ordinal);
        Assert.EndsWith(",1.000", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_UnknownColumn_OneLine()
    {
        var (code, _, err) = CliRunner.Run("describe", "--data", CliRunner.Data("Produc.csv"), "--unit", "state", "--time", "year", "--vars", "unemp,nope");
        Assert.Equal(2, code);
        Assert.Contains("unknown column 'nope'", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }
}
