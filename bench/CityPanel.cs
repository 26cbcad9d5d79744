using System.Globalization;
using System.Text;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Benchmarks;

/// <summary>
/// A deterministic synthetic city panel: 286 cities × 10 years, outcome y and 7 regressors with
/// city and year effects (SplitMix64 + Box–Muller, fixed seed), so C# and R fit identical data.
/// </summary>
internal static class CityPanel
{
    public const string Formula = "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 | city + year";

    public static string Csv(int cities = 286, int years = 10, ulong seed = 20261122)
    {
        ulong state = seed;
        double Uniform()
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return ((z >> 11) + 0.5) / 9007199254740992.0;
        }
        double Normal() => Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());
        var cityEffect = Enumerable.Range(0, cities).Select(_ => Normal()).ToArray();
        var yearEffect = Enumerable.Range(0, years).Select(_ => 0.5 * Normal()).ToArray();
        double[] beta = [0.8, -0.4, 0.3, 0.0, 0.25, -0.1, 0.6];
        var sb = new StringBuilder("city,year,y,x1,x2,x3,x4,x5,x6,x7\n");
        for (int c = 0; c < cities; c++)
            for (int t = 0; t < years; t++)
            {
                var x = new double[7];
                double y = cityEffect[c] + yearEffect[t];
                for (int j = 0; j < 7; j++) { x[j] = 0.5 * cityEffect[c] + Normal(); y += beta[j] * x[j]; }
                y += Normal() * (1 + 0.5 * Math.Abs(cityEffect[c]));
                sb.Append(CultureInfo.InvariantCulture, $"{c + 1},{2013 + t},{y:R}");
                foreach (var v in x) sb.Append(CultureInfo.InvariantCulture, $",{v:R}");
                sb.Append('\n');
            }
        return sb.ToString();
    }

    public static Panel Load(string csv) => Panel.Create(CsvReader.Read(new StringReader(csv), "cities.csv"), "city", "year");
}
