using System.CommandLine;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>The --data, --unit and --time options every panel command shares (and --encoding), and loading the panel from them.</summary>
internal sealed class PanelInput
{
    public Option<string> Data { get; } = new("--data") { Description = "CSV file (header row, UTF-8, or GBK/GB18030 told on stderr; empty, NA or . = missing) or Parquet file (NULL = missing)", Required = true };
    public Option<string> Unit { get; } = new("--unit") { Description = "panel unit id column (text or number)", Required = true };
    public Option<string> Time { get; } = new("--time") { Description = "panel time column (integer periods, e.g. years)", Required = true };
    public Option<string?> Encoding { get; } = new("--encoding") { Description = $"encoding of the CSV file: {TextDecoding.Choices} (default: UTF-8 when the bytes are valid UTF-8, else GB18030)" };

    public void AddTo(Command command)
    {
        // First in --help, where a new user looks for them.
        command.Options.Insert(0, Time);
        command.Options.Insert(0, Unit);
        command.Options.Insert(0, Data);
        command.Options.Add(Encoding);
    }

    /// <summary>The panel; a CSV file not read as UTF-8 by its own choice is told on stderr in one note line.</summary>
    public Panel Load(ParseResult p)
    {
        string path = p.GetValue(Data)!;
        var frame = DatasetFile.Read(path, TextDecoding.Canonical(p.GetValue(Encoding), "--encoding"));
        if (frame.Encoding?.Note(path) is { } note) p.InvocationConfiguration.Error.WriteLine($"note: {note}");
        return Panel.Create(frame, p.GetValue(Unit)!, p.GetValue(Time)!);
    }
}
