using System.Text.Json;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Reporting.Tests;

internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", "validation", name);

    public static Panel Produc { get; } = Panel.Create(CsvReader.ReadFile(PathOf("Produc.csv")), "state", "year");

    public static JsonElement Ref(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(file)));
        return doc.RootElement.Clone();
    }

    public static Panel Tiny(params (string Name, double[] Values)[] cols)
    {
        int n = cols[0].Values.Length;
        var columns = new List<Column>
        {
            Column.Numeric("id", Enumerable.Range(1, n).Select(i => (double)i).ToArray()),
            Column.Numeric("t", Enumerable.Repeat(2020.0, n).ToArray()),
        };
        columns.AddRange(cols.Select(c => Column.Numeric(c.Name, c.Values)));
        return Panel.Create(new DataFrame(columns, "tiny.csv"), "id", "t");
    }
}
