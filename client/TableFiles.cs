using System.CommandLine;
using DigitalEconomy.Core;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace DigitalEconomy.Client;

/// <summary>The --table, --lang and --labels options shared by `de estimate` and `de describe`, and writing a table file.</summary>
internal sealed class TableFiles
{
    public Option<string?> Table { get; } = new("--table") { Description = "also write a publication table to FILE.md (Markdown) or FILE.csv (UTF-8 with BOM)" };
    public Option<string> Lang { get; } = new("--lang") { Description = "language of the table's fixed words: en | zh (控制变量, 个体固定效应, 观测值 …)", DefaultValueFactory = _ => "en" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "YAML map of variable/term labels for the table, e.g. 'log(pc): 私人资本（对数）'" };

    public void AddTo(Command command)
    {
        command.Options.Add(Table);
        command.Options.Add(Lang);
        command.Options.Add(Labels);
    }

    /// <summary>Checks the table options before any work: file extension, language, labels file.</summary>
    public (string? Path, TableFormat Format, TableLanguage Language, IReadOnlyDictionary<string, string> Labels) Read(ParseResult p)
    {
        string? path = p.GetValue(Table);
        var format = TableFormat.Markdown;
        TableLanguage lang;
        try
        {
            if (path is not null) format = TableRenderer.FormatOf(path);
            lang = TableWords.ParseLanguage(p.GetValue(Lang)!);
        }
        catch (ArgumentException e) { throw new InputException(e.Message.Replace("table language", "--lang", StringComparison.Ordinal).Replace("table file", "--table", StringComparison.Ordinal)); }
        return (path, format, lang, p.GetValue(Labels) is { } file ? LoadLabels(file) : new Dictionary<string, string>());
    }

    /// <summary>Reads a flat YAML map name → label; one line naming file, line and column on bad input.</summary>
    internal static Dictionary<string, string> LoadLabels(string file)
    {
        string text;
        try { text = TextFile.ReadUtf8(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException($"--labels '{file}': {e.Message}"); }
        try
        {
            var map = new DeserializerBuilder().Build().Deserialize<Dictionary<string, string?>?>(text) ?? [];
            return map.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
        }
        catch (YamlException e)
        {
            throw new InputException($"{file}: line {e.Start.Line}, column {e.Start.Column}: expected a map of names to labels, e.g. 'log(pc): 私人资本'");
        }
    }

    /// <summary>Writes the table atomically in the format of its file name.</summary>
    public static void Write(string path, Table table, TableFormat format)
    {
        var bytes = TableRenderer.Encode(table, format);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
