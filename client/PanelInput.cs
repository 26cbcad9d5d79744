using System.CommandLine;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>The --data, --unit and --time options every panel command shares, and loading the panel from them.</summary>
internal sealed class PanelInput
{
    public Option<string> Data { get; } = new("--data") { Description = "CSV file (header row, UTF-8; empty, NA or . = missing) or Parquet file (NULL = missing)", Required = true };
    public Option<string> Unit { get; } = new("--unit") { Description = "panel unit id column (text or number)", Required = true };
    public Option<string> Time { get; } = new("--time") { Description = "panel time column (integer periods, e.g. years)", Required = true };

    public void AddTo(Command command)
    {
        // First in --help, where a new user looks for them.
        command.Options.Insert(0, Time);
        command.Options.Insert(0, Unit);
        command.Options.Insert(0, Data);
    }

    public Panel Load(ParseResult p) => Panel.Create(DatasetFile.Read(p.GetValue(Data)!), p.GetValue(Unit)!, p.GetValue(Time)!);
}
