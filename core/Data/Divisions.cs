namespace DigitalEconomy.Core.Data;

/// <summary>A unit read through a division table: its canonical name, GB/T 2260 code and province.</summary>
public sealed record DivisionUnit(string Name, int Code, Province Province, bool Municipality);

/// <summary>
/// The division tables a column map's <c>unit.divisions</c> names: <c>province</c> (<see cref="Provinces"/>; canonical name the
/// short name, 北京) or <c>city</c> (<see cref="Cities"/>; canonical name the full name, 苏州市, 北京市).
/// </summary>
public static class Divisions
{
    /// <summary>The table names, as listed in messages.</summary>
    public const string Choices = "province or city";

    /// <summary>True when <paramref name="kind"/> names a table.</summary>
    public static bool Known(string kind) => kind is "province" or "city";

    /// <summary>The version of a table, recorded in a version's manifest.</summary>
    public static string Version(string kind) => kind == "city" ? Cities.Version : Provinces.Version;

    /// <summary>The unit a spelling denotes in table <paramref name="kind"/>, or null with why, ending with the closest names.</summary>
    public static DivisionUnit? Find(string kind, string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (kind == "city")
        {
            var c = Cities.Find(text, out problem);
            return c is null ? null : new DivisionUnit(c.Name, c.Code, c.Province, c.Municipality);
        }
        var p = Provinces.Find(text);
        problem = p is null ? $"'{Echo.OneLine(text)}' is not a province (closest: {string.Join(", ", Provinces.Closest(text))})" : null;
        return p is null ? null : new DivisionUnit(p.ShortName, p.Code, p, p.Municipality);
    }
}
