using System.Text.Json;
using DigitalEconomy.Client;
using DigitalEconomy.Core;
using DigitalEconomy.Store;
using DigitalEconomy.Tests;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Issue 19, item 3: a study on a GBK dataset runs on the names as written (six clusters, not four) and the manifest says how the file was read.</summary>
public sealed class EncodingRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-encrun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Study(string name, string data, string extra = "")
    {
        string path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            dataset:
              path: {data}
              unit: city
              time: year
              region: province
            {extra}grid:
              treatment: dei
              outcomes: [innov]
              controls:
                none: []
              fixed_effects: ["city"]
              samples:
                all: null
              vcov: ["cluster:province"]

            """);
        return path;
    }

    [Fact]
    public async Task GbkDataset_RunsOnSixProvinces_AsTheUtf8File_AndTheManifestSaysGb18030()
    {
        string gbk = Path.Combine(_dir, "gbk.csv"), utf8 = Path.Combine(_dir, "utf8.csv");
        GbkPanel.Write(gbk, utf8, chineseHeader: false);
        var notes = new List<string>();
        StudyLoader.Load(Study("g", gbk), notes.Add);
        StudyLoader.Load(Study("u", utf8), notes.Add);
        Assert.Equal([$"{gbk} read as GB18030 (not valid UTF-8)"], notes);
        var results = new List<(SpecificationRow Row, JsonElement Dataset)>();
        foreach (var (name, data) in new[] { ("u", utf8), ("g", gbk) })
        {
            var (code, output, err) = De.Run("run", Study(name, data), "--out", Path.Combine(_dir, "out"));
            Assert.True(code == 0, err);
            // de run says how it read the dataset, as de estimate does; nothing for a UTF-8 file.
            Assert.Equal(name == "g", err.Contains($"note: {gbk} read as GB18030 (not valid UTF-8)", StringComparison.Ordinal));
            string dir = De.RunDir(output);
            var row = Assert.Single(await ResultTables.Specs.ReadFileAsync(Path.Combine(dir, "specs.parquet")));
            using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
            results.Add((row, m.RootElement.GetProperty("dataset").Clone()));
        }
        Assert.Equal(results[0].Row.N, results[1].Row.N);
        Assert.Equal(results[0].Row.Estimate, results[1].Row.Estimate);
        Assert.Equal(results[0].Row.StdError, results[1].Row.StdError);
        Assert.Equal("UTF-8", results[0].Dataset.GetProperty("encoding").GetString());
        Assert.Equal("GB18030", results[1].Dataset.GetProperty("encoding").GetString());
    }

    /// <summary>A study file saved as GBK (Notepad's "ANSI" on Chinese Windows): refused in one line, never read with U+FFFD labels.</summary>
    [Fact]
    public void AStudyFileSavedAsGbk_IsRefusedInOneLine_NamingLineAndByte()
    {
        string utf8 = Path.Combine(_dir, "utf8.csv");
        GbkPanel.Write(Path.Combine(_dir, "gbk.csv"), utf8, chineseHeader: false);
        string study = Study("s", utf8, "tables:\n  labels:\n    dei: 数字经济\n");
        string text = File.ReadAllText(study);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(study, System.Text.Encoding.GetEncoding(936).GetBytes(text));
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(_dir, "out"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        int line = 1 + text[..text.IndexOf('数', StringComparison.Ordinal)].Count(c => c == '\n');
        Assert.Matches($"^error: s\\.yaml: line {line}, byte offset [0-9]+ \\(0x[0-9A-F]{{2}}\\): not valid UTF-8; save the file as UTF-8\n$", err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Study_OnAFileValidInNeither_IsRefusedInOneLine()
    {
        string bad = Path.Combine(_dir, "bad.csv"), utf8 = Path.Combine(_dir, "utf8.csv");
        GbkPanel.Write(bad, utf8, chineseHeader: false);
        File.WriteAllBytes(bad, [.. File.ReadAllBytes(utf8), 0xFF, (byte)'\n']);
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("s", bad)));
        Assert.Equal($"bad.csv: line 74, byte offset {new FileInfo(utf8).Length} (0xFF): neither UTF-8 nor GB18030; save the file as UTF-8", e.Message);
    }

    [Fact]
    public void StudyKey_DatasetEncoding_ForcesIt_AndTheRunAndManifestFollow()
    {
        string gbk = Path.Combine(_dir, "gbk.csv"), utf8 = Path.Combine(_dir, "utf8.csv");
        GbkPanel.Write(gbk, utf8, chineseHeader: false);
        string study = Study("forced", gbk, "  encoding: gbk\n");
        Assert.Equal("GBK", StudyLoader.Load(study).Dataset.Encoding);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 0, err);
        using (var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(De.RunDir(output), "manifest.json"))))
            Assert.Equal("GBK", m.RootElement.GetProperty("dataset").GetProperty("encoding").GetString());
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("s", gbk, "  encoding: utf-8\n")));
        Assert.Equal("s.yaml: line 7, key 'dataset.encoding': gbk.csv: line 2, byte offset 38 (0xB1): not valid UTF-8; save the file as UTF-8", e.Message);
        e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("s", gbk, "  encoding: big5\n")));
        Assert.Equal("s.yaml: line 7, key 'dataset.encoding': 'big5': expected utf-8, gbk or gb18030", e.Message);
    }
}
