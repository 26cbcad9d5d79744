using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// A province-level division of China: its GB/T 2260 code (two leading digits of the six-digit code), its full
/// and short names, its pinyin, the NBS region and whether it is one of the four municipalities.
/// </summary>
/// <param name="Code">The six-digit GB/T 2260 code, e.g. 110000.</param>
/// <param name="Name">The full name, e.g. 北京市, 内蒙古自治区.</param>
/// <param name="ShortName">The short name papers and most exports use, e.g. 北京, 内蒙古; the canonical unit name.</param>
/// <param name="Pinyin">The romanised name (Shaanxi is 陕西, Shanxi 山西).</param>
/// <param name="Region">东部, 中部, 西部 or 东北 (NBS); empty for 台湾, 香港, 澳门, which the NBS division leaves out.</param>
/// <param name="Municipality">北京, 天津, 上海, 重庆 (直辖市).</param>
public sealed record Province(int Code, string Name, string ShortName, string Pinyin, string Region, bool Municipality);

/// <summary>
/// China's province-level divisions, written out here rather than read from a package: 34 rows of a national
/// standard change far less often than any package that ships them, and no maintained .NET package does.
/// Codes and names: GB/T 2260 (the NBS/MCA code table as published for 2023; no province-level change since
/// 重庆 in 1997). Regions: NBS, 《东西中部和东北地区划分方法》 (2011): 东部 10, 中部 6, 西部 12, 东北 3.
/// </summary>
public static class Provinces
{
    /// <summary>The version of the division table, recorded where a normalisation is recorded.</summary>
    public const string Version = "GB/T 2260 (2023 code table); NBS four regions (2011)";

    /// <summary>Every province-level division, by code.</summary>
    public static IReadOnlyList<Province> All { get; } =
    [
        new(110000, "北京市", "北京", "Beijing", "东部", true),
        new(120000, "天津市", "天津", "Tianjin", "东部", true),
        new(130000, "河北省", "河北", "Hebei", "东部", false),
        new(140000, "山西省", "山西", "Shanxi", "中部", false),
        new(150000, "内蒙古自治区", "内蒙古", "Inner Mongolia", "西部", false),
        new(210000, "辽宁省", "辽宁", "Liaoning", "东北", false),
        new(220000, "吉林省", "吉林", "Jilin", "东北", false),
        new(230000, "黑龙江省", "黑龙江", "Heilongjiang", "东北", false),
        new(310000, "上海市", "上海", "Shanghai", "东部", true),
        new(320000, "江苏省", "江苏", "Jiangsu", "东部", false),
        new(330000, "浙江省", "浙江", "Zhejiang", "东部", false),
        new(340000, "安徽省", "安徽", "Anhui", "中部", false),
        new(350000, "福建省", "福建", "Fujian", "东部", false),
        new(360000, "江西省", "江西", "Jiangxi", "中部", false),
        new(370000, "山东省", "山东", "Shandong", "东部", false),
        new(410000, "河南省", "河南", "Henan", "中部", false),
        new(420000, "湖北省", "湖北", "Hubei", "中部", false),
        new(430000, "湖南省", "湖南", "Hunan", "中部", false),
        new(440000, "广东省", "广东", "Guangdong", "东部", false),
        new(450000, "广西壮族自治区", "广西", "Guangxi", "西部", false),
        new(460000, "海南省", "海南", "Hainan", "东部", false),
        new(500000, "重庆市", "重庆", "Chongqing", "西部", true),
        new(510000, "四川省", "四川", "Sichuan", "西部", false),
        new(520000, "贵州省", "贵州", "Guizhou", "西部", false),
        new(530000, "云南省", "云南", "Yunnan", "西部", false),
        new(540000, "西藏自治区", "西藏", "Tibet", "西部", false),
        new(610000, "陕西省", "陕西", "Shaanxi", "西部", false),
        new(620000, "甘肃省", "甘肃", "Gansu", "西部", false),
        new(630000, "青海省", "青海", "Qinghai", "西部", false),
        new(640000, "宁夏回族自治区", "宁夏", "Ningxia", "西部", false),
        new(650000, "新疆维吾尔自治区", "新疆", "Xinjiang", "西部", false),
        new(710000, "台湾省", "台湾", "Taiwan", "", false),
        new(810000, "香港特别行政区", "香港", "Hong Kong", "", false),
        new(820000, "澳门特别行政区", "澳门", "Macao", "", false),
    ];

    // Other spellings met in exports: pinyin variants, the older romanisations, the two-character code, 自治区 without the people.
    private static readonly (string Alias, int Code)[] Aliases =
    [
        ("Nei Mongol", 150000), ("Neimenggu", 150000), ("Xizang", 540000), ("Macau", 820000), ("Hongkong", 810000),
        ("内蒙", 150000), ("广西自治区", 450000), ("宁夏自治区", 640000), ("新疆自治区", 650000),
    ];

    private static readonly Dictionary<string, Province> ByKey = BuildKeys();

    private static Dictionary<string, Province> BuildKeys()
    {
        var keys = new Dictionary<string, Province>(StringComparer.Ordinal);
        foreach (var p in All)
        {
            keys[Key(p.Name)] = p;
            keys[Key(p.ShortName)] = p;
            keys[Key(p.Pinyin)] = p;
            keys[Key(p.Code.ToString(CultureInfo.InvariantCulture))] = p;
            keys[Key((p.Code / 10000).ToString(CultureInfo.InvariantCulture))] = p;
        }
        foreach (var (alias, code) in Aliases) keys[Key(alias)] = All.Single(p => p.Code == code);
        return keys;
    }

    /// <summary>A name as compared: without whitespace, hyphens or full-width spaces, in lower case (for pinyin), with 省/市 suffix variants kept.</summary>
    private static string Key(string text) =>
        new([.. text.Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '_' and not '\u3000').Select(char.ToLowerInvariant)]);

    /// <summary>The province a name, short name, pinyin or code denotes, or null.</summary>
    public static Province? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ByKey.GetValueOrDefault(Key(text));
    }

    /// <summary>The names closest to <paramref name="text"/> (by edit distance over short, full and pinyin names), best first.</summary>
    public static IReadOnlyList<string> Closest(string text, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = Key(text);
        return [.. All
            .Select(p => (p.ShortName, Distance: new[] { p.ShortName, p.Name, p.Pinyin }.Min(n => Levenshtein(key, Key(n)))))
            .OrderBy(x => x.Distance).ThenBy(x => x.ShortName, StringComparer.Ordinal)
            .Take(count).Select(x => x.ShortName)];
    }

    // Edit distance written out: a dozen lines over names of a few characters, not worth a dependency. Shared with Cities.
    internal static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
