using System.CommandLine;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// The --data, --unit and --time options every panel command shares (and --encoding), and loading the panel from them.
/// With <c>optionalPanel</c> (de estimate, mediate, groupdiff, disparity, describe) --unit and --time may both be left out: the data are then a cross-section
/// (<see cref="Panel.CrossSection"/>), and what needs the panel says so.
/// </summary>
internal sealed class PanelInput(bool optionalPanel = false)
{
    public Option<string> Data { get; } = new("--data") { Description = "CSV file (header row, UTF-8, or GBK/GB18030 told on stderr; empty, NA or . = missing) or Parquet file (NULL = missing)", Required = true };
    public Option<string> Unit { get; } = new("--unit")
    {
        Description = "panel unit id column (text or number)" + (optionalPanel ? "; leave out with --time for data without a panel (a cross-section: each row its own unit)" : ""),
        Required = !optionalPanel,
    };
    public Option<string> Time { get; } = new("--time")
    {
        Description = "panel time column (integer periods, e.g. years)" + (optionalPanel ? "; leave out with --unit for a cross-section" : ""),
        Required = !optionalPanel,
    };
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
        string? unit = p.GetValue(Unit), time = p.GetValue(Time);
        if (unit is null && time is null) return Panel.CrossSection(frame);
        if (unit is null || time is null)
            throw new Core.InputException(unit is null ? "--time needs --unit: give both for a panel, or neither for a cross-section" : "--unit needs --time: give both for a panel, or neither for a cross-section");
        return Panel.Create(frame, unit, time);
    }
}
