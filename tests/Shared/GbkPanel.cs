using System.Globalization;
using System.Text;

namespace DigitalEconomy.Tests;

/// <summary>
/// A panel of six Chinese provinces (two cities each, six years) for the encoding tests of the Client and
/// Silo tests (each project links this file). Read as UTF-8, the GBK bytes of 北京 and 江苏 both become
/// "����", and 山西 and 山东 both "ɽ��": four provinces instead of six.
/// </summary>
internal static class GbkPanel
{
    static GbkPanel() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly string[] Provinces = ["北京", "江苏", "山西", "山东", "上海", "内蒙古"];

    /// <summary>GBK (code page 936), the default of EPS/CSMAR exports on Chinese Windows.</summary>
    public static Encoding Gbk => Encoding.GetEncoding(936);

    /// <summary>
    /// The CSV text: 城市,年份,省份,数字经济,创新 with Chinese city names, or city,year,province,dei,innov with
    /// ASCII city codes (then only the province names are Chinese: read as UTF-8 they merge silently).
    /// </summary>
    public static string Csv(bool chineseHeader = true)
    {
        var sb = new StringBuilder(chineseHeader ? "城市,年份,省份,数字经济,创新\n" : "city,year,province,dei,innov\n");
        for (int p = 0; p < Provinces.Length; p++)
            foreach (string suffix in new[] { "甲", "乙" })
                for (int y = 2015; y <= 2020; y++)
                {
                    int k = p * 2 + (suffix == "甲" ? 0 : 1);
                    double x = 1 + 0.3 * k + 0.11 * (y - 2015) + 0.07 * Math.Sin(3 * k + y);
                    double outcome = 0.5 * x + 0.2 * p + 0.05 * Math.Cos(7 * k + 2 * y) + (p % 2 == 0 ? 0.08 : -0.08) * (y - 2017);
                    string city = chineseHeader ? Provinces[p] + suffix : $"c{k:00}";
                    sb.Append(CultureInfo.InvariantCulture, $"{city},{y},{Provinces[p]},{x:R},{outcome:R}\n");
                }
        return sb.ToString();
    }

    /// <summary>Writes the panel as GBK to <paramref name="gbkPath"/> and as UTF-8 (no BOM) to <paramref name="utf8Path"/>.</summary>
    public static void Write(string gbkPath, string utf8Path, bool chineseHeader = true)
    {
        File.WriteAllBytes(gbkPath, Gbk.GetBytes(Csv(chineseHeader)));
        File.WriteAllBytes(utf8Path, new UTF8Encoding(false).GetBytes(Csv(chineseHeader)));
    }
}
