using System.CommandLine;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// `de generate provinces|cities`: synthetic yearbook panels with the indicators of the built-in Hqd
/// and De systems and planted effects (documented in the README), deterministic for a seed.
/// Latent model per unit i and year t (SplitMix64 normal draws e):
///   a_i ~ N(regional mean, 1)            development level (East 1, Central 0, West −0.6, Northeast −0.3)
///   d_it = 0.5 a_i + 0.15 (t − t0) + 0.3 e  digital economy
///   h_it = 0.3 a_i + 0.6 d_it + 0.05 (t − t0) + 0.3 e   high-quality development (planted effect 0.6)
///   indicator = base · exp(±0.25 · latent + 0.1 e), + for benefit indicators, − for cost indicators
///   controls: gov = 0.25 − 0.03 a_i + 0.02 e, market = 6 + 1.5 a_i + 0.2 (t − t0) + 0.3 e,
///             lngdp = 10.6 + 0.4 a_i + 0.07 (t − t0) + 0.05 e, fin = 2.8 + 0.4 a_i + 0.1 e.
/// </summary>
internal static class GenerateCommand
{
    private static readonly (string Name, string Zh, string Region)[] Provinces =
    [
        ("Beijing", "北京", "East"), ("Tianjin", "天津", "East"), ("Hebei", "河北", "East"), ("Shanxi", "山西", "Central"),
        ("Inner Mongolia", "内蒙古", "West"), ("Liaoning", "辽宁", "Northeast"), ("Jilin", "吉林", "Northeast"), ("Heilongjiang", "黑龙江", "Northeast"),
        ("Shanghai", "上海", "East"), ("Jiangsu", "江苏", "East"), ("Zhejiang", "浙江", "East"), ("Anhui", "安徽", "Central"),
        ("Fujian", "福建", "East"), ("Jiangxi", "江西", "Central"), ("Shandong", "山东", "East"), ("Henan", "河南", "Central"),
        ("Hubei", "湖北", "Central"), ("Hunan", "湖南", "Central"), ("Guangdong", "广东", "East"), ("Guangxi", "广西", "West"),
        ("Hainan", "海南", "East"), ("Chongqing", "重庆", "West"), ("Sichuan", "四川", "West"), ("Guizhou", "贵州", "West"),
        ("Yunnan", "云南", "West"), ("Shaanxi", "陕西", "West"), ("Gansu", "甘肃", "West"), ("Qinghai", "青海", "West"),
        ("Ningxia", "宁夏", "West"), ("Xinjiang", "新疆", "West"),
    ];

    private static readonly HashSet<string> Municipalities = ["Beijing", "Tianjin", "Shanghai", "Chongqing"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var kind = new Argument<string>("kind") { Description = "provinces (30 × 2011-2020) or cities (286 × 2013-2022)" };
        var output = new Option<string>("--out") { Description = "CSV (or .parquet) file to write", Required = true };
        var seed = new Option<long>("--seed") { Description = "random seed", DefaultValueFactory = _ => 20261122 };
        var cities = new Option<int>("--cities") { Description = "number of cities (for scaling studies; the first 30 are tier 1)", DefaultValueFactory = _ => 286 };
        var cmd = new Command("generate", "Write a synthetic yearbook panel with the built-in indicators and planted effects") { kind, output, seed, cities };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string k = p.GetValue(kind)!.ToLowerInvariant();
            if (k is not ("provinces" or "cities")) throw new InputException($"'{k}': expected provinces or cities");
            int n = p.GetValue(cities);
            if (n is < 2 or > 100_000) throw new InputException($"--cities {n}: expected 2 to 100000");
            if (k == "provinces" && p.GetResult(cities) is { Implicit: false }) throw new InputException("--cities applies to 'cities' only (the provinces are the 30 of the seed designs)");
            var (header, rows) = Generate(k, p.GetValue(seed), n);
            string path = p.GetValue(output)!;
            if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) throw new InputException("write CSV here and convert with 'de parquet from-csv'");
            AtomicFile.Write(path, s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                Core.Data.CsvWriter.Row(w, header);
                foreach (var r in rows) Core.Data.CsvWriter.Row(w, r);
            });
            stdout.WriteLine($"wrote {rows.Count} rows × {header.Count} columns of synthetic {k} to {path}");
            return 0;
        }));
        return cmd;
    }

    internal static (List<string> Header, List<string[]> Rows) Generate(string kind, long seed, int cityCount = 286)
    {
        var hqd = SystemLoader.Load("hqd");
        var de = SystemLoader.Load("de");
        ulong s = (ulong)seed;
        double U() { s += 0x9E3779B97F4A7C15UL; ulong z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return (((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0; }
        double N() => Math.Sqrt(-2 * Math.Log(U())) * Math.Cos(2 * Math.PI * U());
        var regionMean = new Dictionary<string, double> { ["East"] = 1, ["Central"] = 0, ["West"] = -0.6, ["Northeast"] = -0.3 };
        var units = new List<(string Id, string Name, string Province, string Region, string Extra)>();
        int t0, years;
        var header = new List<string>();
        if (kind == "provinces")
        {
            t0 = 2011; years = 10;
            units.AddRange(Provinces.Select(pv => (pv.Name, pv.Zh, pv.Name, pv.Region, Municipalities.Contains(pv.Name) ? "1" : "0")));
            header.AddRange(["province", "name_zh", "year", "region", "municipality"]);
        }
        else
        {
            t0 = 2013; years = 10;
            string digits = cityCount <= 999 ? "D3" : "D" + cityCount.ToString(CultureInfo.InvariantCulture).Length.ToString(CultureInfo.InvariantCulture);
            for (int c = 0; c < cityCount; c++)
            {
                var pv = Provinces[c % Provinces.Length];
                units.Add(("C" + (c + 1).ToString(digits, CultureInfo.InvariantCulture), $"{pv.Zh}{c / Provinces.Length + 1}市", pv.Name, pv.Region, c < 30 ? "1" : "0"));
            }
            header.AddRange(["city", "name_zh", "year", "region", "tier1", "province", "pilot", "pilot_year"]);
        }
        header.AddRange(hqd.Indicators.Select(i => i.Code));
        header.AddRange(de.Indicators.Select(i => i.Code));
        header.AddRange(["gov", "market", "lngdp", "fin"]);
        var rows = new List<string[]>();
        var inv = CultureInfo.InvariantCulture;
        foreach (var u in units)
        {
            double a = regionMean[u.Region] + N();
            bool pilot = kind == "cities" && U() < 0.3;
            int pilotYear = pilot ? 2015 + (int)(U() * 5) : 0;
            for (int t = 0; t < years; t++)
            {
                double d = 0.5 * a + 0.15 * t + 0.3 * N();
                double h = 0.3 * a + 0.6 * d + 0.05 * t + 0.3 * N();
                var row = new List<string>();
                if (kind == "provinces") row.AddRange([u.Id, u.Name, (t0 + t).ToString(inv), u.Region, u.Extra]);
                else row.AddRange([u.Id, u.Name, (t0 + t).ToString(inv), u.Region, u.Extra, u.Province, pilot ? "1" : "0", pilot ? pilotYear.ToString(inv) : ""]);
                foreach (var ind in hqd.Indicators) row.Add(Indicator(ind.Direction, h, N()).ToString("G10", inv));
                foreach (var ind in de.Indicators) row.Add(Indicator(ind.Direction, d, N()).ToString("G10", inv));
                row.Add((0.25 - 0.03 * a + 0.02 * N()).ToString("G10", inv));
                row.Add((6 + 1.5 * a + 0.2 * t + 0.3 * N()).ToString("G10", inv));
                row.Add((10.6 + 0.4 * a + 0.07 * t + 0.05 * N()).ToString("G10", inv));
                row.Add((2.8 + 0.4 * a + 0.1 * N()).ToString("G10", inv));
                rows.Add([.. row]);
            }
        }
        return (header, rows);

        static double Indicator(Core.Indices.Direction dir, double latent, double e) =>
            10 * Math.Exp((dir == Core.Indices.Direction.Positive ? 0.25 : -0.25) * latent + 0.1 * e);
    }
}
