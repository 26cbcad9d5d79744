using System.CommandLine;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// `de generate provinces|cities`: synthetic yearbook panels with the indicators of the built-in Hqd
/// and De systems (cities also Nqpf), the raw series of the constructed measures (docs/methods.md, "Composite indices and regional gaps") and
/// of the four study designs (§6), and planted effects (documented in the README and docs/studies.md),
/// deterministic for a seed.
/// Latent model per unit i and year t (SplitMix64 normal draws e; t counts years from the first):
///   a_i ~ N(regional mean, 1)            development level (East 1, Central 0, West −0.6, Northeast −0.3)
///   d_it = 0.5 a_i + 0.15 t + 0.3 e  digital economy
///   h_it = 0.3 a_i + 0.6 d_it + 0.05 t + 0.3 e   high-quality development (planted effect 0.6)
///   indicator = 10 · exp(±0.25 · latent + 0.1 e), + for benefit indicators, − for cost indicators
///   controls: gov = 0.25 − 0.03 a_i + 0.02 e, market = 6 + 1.5 a_i + 0.2 t + 0.3 e,
///             lngdp = 10.6 + 0.4 a_i + 0.07 t + 0.05 e, fin = 2.8 + 0.4 a_i + 0.1 e.
/// The columns above come from the first stream, unchanged since the first version: the same seed gives
/// the same values. The series appended after them come from a second stream (seed-derived), so adding
/// them changed nothing before them:
///   g_it = 0.5 d_it + u_it, u_i0 = 0.25 e, u_it = 0.8 u_i,t−1 + 0.15 e (persistent, so its lag is a relevant
///                              instrument)   digital-core agglomeration; emp_digital_core = 0.02 · L · exp(0.4 g), so
///                              ln LQ ≈ 0.4 (g − its year mean)
///   v_it = 0.6 d_it + 0.3 e    virtual agglomeration; emp_internet = 0.01 · L · exp(0.4 v)
///   x_it = the driver of the mechanisms: d_it for provinces, g_it for cities
///   L_it = L_i · exp(0.01 t + 0.02 e), L_i = base · exp(0.3 a_i + 0.3 e_i) (base 2500 provinces, 300 cities; 10k persons)
///   real investment I_it = 5 L_i exp(0.2 a_i) · exp(0.07 t + 0.05 e); price P_it = 100 Π (1.02 + 0.01 e) (P = 100 in
///   the first year); fixed_investment = I · P/100; K by PIM with δ = 0.096, K_0 = I_0 / (0.07 + 0.096)
///   ln Y = 1.7 + 0.5 ln L + 0.4 ln K + 0.15 a_i + 0.12 x + 0.05 e          (gdp = Y, 100m yuan)
///   sector shares s1 = 0.12 − 0.03 a − 0.002 t + 0.01 e ∈ [0.02, 0.4], s3 = 0.42 + 0.04 a + 0.006 t + 0.03 x + 0.01 e
///   ∈ [0.25, 0.75], s2 = 1 − s1 − s3; va_k = s_k Y; employment L_k ∝ s_k/ρ_k with relative productivities
///   ρ1 = exp(−1.1 + 0.12 x + 0.05 e), ρ2 = exp(0.25), ρ3 = exp(0.05) (higher x: smaller gaps, lower Theil,
///   higher ΣP·L); emp_total = L
///   wage = 0.5 (Y/L) exp(0.25 x + 0.05 e) (10k yuan; higher x: lower labour distortion, higher allocation),
///   interest_rate = 0.05 + 0.003 e
///   patents: true applications K_it = exp(b + 0.5 x + 0.3 a_i + 0.08 t + 0.15 e) (b = 9 provinces, 6 cities);
///   patents_app = round(K · Σ_{s ≤ T_end − t} τ_s), τ = (0.10, 0.35, 0.30, 0.15, 0.10) (the grant-lag shares)
///   ln tfp = 0.1 a_i + 0.2 d + 0.1 d·v + 0.01 t + 0.05 e (moderation of d by v)
///   consumption = 0.40 − 0.02 a_i + 0.01 e, openness = 0.3 exp(0.6 a_i + 0.1 e), urban_rate = 58 + 8 a_i + t + 1.5 e
///   ∈ [25, 95] (%), ind_structure = s2
///   cities: tier 1 for the first 30 cities, then 2-5 by rank (15 %, 25 %, 30 %, 30 % of the rest);
///   pilot_active = pilot and year ≥ pilot_year; Nqpf latent q_it = 0.3 a_i + β_i g_it + 0.05 t + 0.3 e with
///   β_i = 0.6 · (East 1.3, West 1.0, Northeast 0.85, Central 0.7) · (1.2 in tiers 1-2, else 1); the Nqpf
///   indicators not already present are 10 · exp(±0.25 q + 0.1 e).
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

    /// <summary>Grant-lag shares τ_0..τ_4 the generator truncates patent applications with (for patents_adjusted).</summary>
    internal static readonly double[] GrantLagShares = [0.10, 0.35, 0.30, 0.15, 0.10];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var kind = new Argument<string>("kind") { Description = "provinces (30 × 2011-2020) or cities (286 × 2013-2022)" };
        var output = new Option<string>("--out") { Description = "CSV (or .parquet) file to write", Required = true };
        var seed = new Option<long>("--seed") { Description = "random seed", DefaultValueFactory = _ => 20261122 };
        var cities = new Option<int>("--cities") { Description = "number of cities (for scaling studies; the first 30 are tier 1)", DefaultValueFactory = _ => 286 };
        var years = new Option<int>("--years") { Description = "number of years (default 10: provinces 2011-2020, cities 2013-2022)", DefaultValueFactory = _ => 10 };
        var lastYear = new Option<int?>("--last-year") { Description = "last year instead of --years (e.g. 2021 for provinces 2011-2021)" };
        var cmd = new Command("generate", "Write a synthetic yearbook panel with the built-in indicators, the raw series of the constructed measures and planted effects") { kind, output, seed, cities, years, lastYear };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            string k = p.GetValue(kind)!.ToLowerInvariant();
            if (k is not ("provinces" or "cities")) throw new InputException($"'{k}': expected provinces or cities");
            int n = p.GetValue(cities);
            if (n is < 2 or > 100_000) throw new InputException($"--cities {n}: expected 2 to 100000");
            if (k == "provinces" && p.GetResult(cities) is { Implicit: false }) throw new InputException("--cities applies to 'cities' only (the provinces are the 30 of the seed designs)");
            int first = FirstYear(k);
            int y = p.GetValue(years);
            if (p.GetValue(lastYear) is { } last)
            {
                if (p.GetResult(years) is { Implicit: false }) throw new InputException("give --years or --last-year, not both");
                if (last < first + 1 || last > first + 49) throw new InputException($"--last-year {last}: expected {first + 1} to {first + 49} ({k} start in {first})");
                y = last - first + 1;
            }
            else if (y is < 2 or > 50) throw new InputException($"--years {y}: expected 2 to 50");
            var (header, rows) = Generate(k, p.GetValue(seed), n, y);
            string path = p.GetValue(output)!;
            if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) throw new InputException("write CSV here and convert with 'de parquet from-csv'");
            AtomicFile.Write(path, s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                Core.Data.CsvWriter.Row(w, header);
                foreach (var r in rows) Core.Data.CsvWriter.Row(w, r);
            });
            stdout.WriteLine($"wrote {rows.Count} rows × {header.Count} columns of synthetic {k} ({first}-{first + y - 1}) to {path}");
            return 0;
        }));
        return cmd;
    }

    private static int FirstYear(string kind) => kind == "provinces" ? 2011 : 2013;

    /// <summary>The columns appended after the Hqd/De indicators and the first controls, for both kinds.</summary>
    internal static readonly string[] RawSeries =
    [
        "gdp", "va_primary", "va_secondary", "va_tertiary", "emp_primary", "emp_secondary", "emp_tertiary", "emp_total",
        "emp_digital_core", "emp_internet", "patents_app", "fixed_investment", "invest_price", "wage", "interest_rate",
        "tfp", "consumption", "openness", "urban_rate", "ind_structure",
    ];

    internal static (List<string> Header, List<string[]> Rows) Generate(string kind, long seed, int cityCount = 286, int years = 10)
    {
        var hqd = SystemLoader.Load("hqd");
        var de = SystemLoader.Load("de");
        ulong s = (ulong)seed;
        double U() { s += 0x9E3779B97F4A7C15UL; ulong z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return (((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0; }
        double N() => Math.Sqrt(-2 * Math.Log(U())) * Math.Cos(2 * Math.PI * U());
        // The second stream feeds only the columns added later, so the first stream (and every older column) is unchanged.
        ulong s2 = (ulong)seed ^ 0xD1B54A32D192ED03UL;
        double U2() { s2 += 0x9E3779B97F4A7C15UL; ulong z = s2; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return (((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0; }
        double N2() => Math.Sqrt(-2 * Math.Log(U2())) * Math.Cos(2 * Math.PI * U2());
        var regionMean = new Dictionary<string, double> { ["East"] = 1, ["Central"] = 0, ["West"] = -0.6, ["Northeast"] = -0.3 };
        var regionEffect = new Dictionary<string, double> { ["East"] = 1.3, ["Central"] = 0.7, ["West"] = 1.0, ["Northeast"] = 0.85 };
        var units = new List<(string Id, string Name, string Province, string Region, string Extra, int Tier)>();
        int t0 = FirstYear(kind);
        var header = new List<string>();
        bool isCity = kind == "cities";
        if (!isCity)
        {
            units.AddRange(Provinces.Select(pv => (pv.Name, pv.Zh, pv.Name, pv.Region, Municipalities.Contains(pv.Name) ? "1" : "0", 0)));
            header.AddRange(["province", "name_zh", "year", "region", "municipality"]);
        }
        else
        {
            string digits = cityCount <= 999 ? "D3" : "D" + cityCount.ToString(CultureInfo.InvariantCulture).Length.ToString(CultureInfo.InvariantCulture);
            for (int c = 0; c < cityCount; c++)
            {
                var pv = Provinces[c % Provinces.Length];
                units.Add(("C" + (c + 1).ToString(digits, CultureInfo.InvariantCulture), $"{pv.Zh}{c / Provinces.Length + 1}市", pv.Name, pv.Region, c < 30 ? "1" : "0", Tier(c, cityCount)));
            }
            header.AddRange(["city", "name_zh", "year", "region", "tier1", "province", "pilot", "pilot_year"]);
        }
        header.AddRange(hqd.Indicators.Select(i => i.Code));
        header.AddRange(de.Indicators.Select(i => i.Code));
        header.AddRange(["gov", "market", "lngdp", "fin"]);
        header.AddRange(RawSeries);
        var nqpf = isCity ? SystemLoader.Load("nqpf").Indicators.Where(i => !header.Contains(i.Code)).ToList() : [];
        if (isCity) header.AddRange(["tier", "pilot_active", .. nqpf.Select(i => i.Code)]);
        var rows = new List<string[]>();
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("G10", inv);
        foreach (var u in units)
        {
            double a = regionMean[u.Region] + N();
            bool pilot = isCity && U() < 0.3;
            int pilotYear = pilot ? 2015 + (int)(U() * 5) : 0;
            double labourI = (isCity ? 300 : 2500) * Math.Exp(0.3 * a + 0.3 * N2());
            double invI = 5 * labourI * Math.Exp(0.2 * a);
            double beta = 0.6 * regionEffect[u.Region] * (u.Tier is 1 or 2 ? 1.2 : 1);
            double capital = 0, price = 100, persist = 0;
            for (int t = 0; t < years; t++)
            {
                double d = 0.5 * a + 0.15 * t + 0.3 * N();
                double h = 0.3 * a + 0.6 * d + 0.05 * t + 0.3 * N();
                var row = new List<string>(header.Count);
                if (!isCity) row.AddRange([u.Id, u.Name, (t0 + t).ToString(inv), u.Region, u.Extra]);
                else row.AddRange([u.Id, u.Name, (t0 + t).ToString(inv), u.Region, u.Extra, u.Province, pilot ? "1" : "0", pilot ? pilotYear.ToString(inv) : ""]);
                foreach (var ind in hqd.Indicators) row.Add(F(Indicator(ind.Direction, h, N())));
                foreach (var ind in de.Indicators) row.Add(F(Indicator(ind.Direction, d, N())));
                row.Add(F(0.25 - 0.03 * a + 0.02 * N()));
                row.Add(F(6 + 1.5 * a + 0.2 * t + 0.3 * N()));
                row.Add(F(10.6 + 0.4 * a + 0.07 * t + 0.05 * N()));
                row.Add(F(2.8 + 0.4 * a + 0.1 * N()));

                // Second stream from here on.
                // A persistent (AR(1), ρ = 0.8) part of agglomeration, so that its lag is a relevant instrument as in the field's data.
                persist = t == 0 ? 0.25 * N2() : 0.8 * persist + 0.15 * N2();
                double g = 0.5 * d + persist;
                double v = 0.6 * d + 0.3 * N2();
                double x = isCity ? g : d;
                double labour = labourI * Math.Exp(0.01 * t + 0.02 * N2());
                double real = invI * Math.Exp(0.07 * t + 0.05 * N2());
                if (t > 0) price *= 1.02 + 0.01 * N2();
                capital = t == 0 ? real / (0.07 + 0.096) : real + (1 - 0.096) * capital;
                double y = Math.Exp(1.7 + 0.5 * Math.Log(labour) + 0.4 * Math.Log(capital) + 0.15 * a + 0.12 * x + 0.05 * N2());
                double s1 = Math.Clamp(0.12 - 0.03 * a - 0.002 * t + 0.01 * N2(), 0.02, 0.4);
                double s3 = Math.Clamp(0.42 + 0.04 * a + 0.006 * t + 0.03 * x + 0.01 * N2(), 0.25, 0.75);
                double s2share = 1 - s1 - s3;
                double[] share = [s1, s2share, s3];
                double[] rho = [Math.Exp(-1.1 + 0.12 * x + 0.05 * N2()), Math.Exp(0.25), Math.Exp(0.05)];
                double norm = share.Select((sk, k) => sk / rho[k]).Sum();
                var va = share.Select(sk => sk * y).ToArray();
                var emp = share.Select((sk, k) => labour * sk / rho[k] / norm).ToArray();
                double wage = 0.5 * y / labour * Math.Exp(0.25 * x + 0.05 * N2());
                double rate = 0.05 + 0.003 * N2();
                double patentsTrue = Math.Exp((isCity ? 6 : 9) + 0.5 * x + 0.3 * a + 0.08 * t + 0.15 * N2());
                int horizon = years - 1 - t;
                double granted = GrantLagShares.Take(horizon + 1).Sum();
                double tfp = Math.Exp(0.1 * a + 0.2 * d + 0.1 * d * v + 0.01 * t + 0.05 * N2());
                row.Add(F(va.Sum()));
                row.AddRange(va.Select(F));
                row.AddRange(emp.Select(F));
                row.Add(F(emp.Sum()));
                row.Add(F(0.02 * labour * Math.Exp(0.4 * g)));
                row.Add(F(0.01 * labour * Math.Exp(0.4 * v)));
                row.Add(Math.Round(patentsTrue * granted).ToString(inv));
                row.Add(F(real * price / 100));
                row.Add(F(price));
                row.Add(F(wage));
                row.Add(F(rate));
                row.Add(F(tfp));
                row.Add(F(0.40 - 0.02 * a + 0.01 * N2()));
                row.Add(F(0.3 * Math.Exp(0.6 * a + 0.1 * N2())));
                row.Add(F(Math.Clamp(58 + 8 * a + t + 1.5 * N2(), 25, 95)));
                row.Add(F(s2share));
                if (isCity)
                {
                    double q = 0.3 * a + beta * g + 0.05 * t + 0.3 * N2();
                    row.Add(u.Tier.ToString(inv));
                    row.Add(pilot && t0 + t >= pilotYear ? "1" : "0");
                    foreach (var ind in nqpf) row.Add(F(Indicator(ind.Direction, q, N2())));
                }
                rows.Add([.. row]);
            }
        }
        return (header, rows);

        static double Indicator(Core.Indices.Direction dir, double latent, double e) =>
            10 * Math.Exp((dir == Core.Indices.Direction.Positive ? 0.25 : -0.25) * latent + 0.1 * e);
    }

    /// <summary>City tier by rank: the first 30 are tier 1, the rest 15 % tier 2, 25 % tier 3, 30 % tier 4, 30 % tier 5.</summary>
    private static int Tier(int c, int count)
    {
        if (c < 30) return 1;
        double f = (double)(c - 30) / Math.Max(1, count - 30);
        return f < 0.15 ? 2 : f < 0.40 ? 3 : f < 0.70 ? 4 : 5;
    }
}
