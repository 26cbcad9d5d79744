using System.Text.Json;
using DigitalEconomy.Core.Data;
using Xunit;

namespace DigitalEconomy.Core.Tests;

internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", "validation", name);

    public static Panel LoadPanel(string file, string unit, string time) => Core.Data.Panel.Create(CsvReader.ReadFile(PathOf(file)), unit, time);

    public static JsonElement Ref(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(file)));
        return doc.RootElement.Clone();
    }

    public static JsonElement At(this JsonElement e, params string[] path)
    {
        foreach (var p in path) e = e.GetProperty(p);
        return e;
    }

    public static double D(this JsonElement e, params string[] path) => e.At(path).GetDouble();

    /// <summary>Asserts |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0).</summary>
    public static void Close(double expected, double actual, double rel = 1e-8, string what = "")
    {
        double tol = rel * Math.Max(Math.Abs(expected), expected == 0 ? 1 : 0);
        Assert.True(Math.Abs(actual - expected) <= tol, $"{what}: expected {expected:R}, got {actual:R} (rel. diff {Math.Abs(actual - expected) / Math.Abs(expected):g3})");
    }
}
