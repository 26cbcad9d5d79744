using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Store;
using DigitalEconomy.Tests;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The provincial design from the inputs a researcher really has (issue 26's acceptance), with no hand step: a yearbook
/// .xlsx with years as columns, a title row, merged cells and full province names; an EPS-style GBK CSV with short names
/// and ".." for not available; a unit-level sheet merged onto every year. One <c>de ingest</c> per source, then a study
/// whose derive steps build the ratio and the log. Its regression equals <c>de estimate</c> on the long CSV a user would
/// otherwise have typed by hand.
/// </summary>
public class RawInputsStudyTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-raw-inputs-{Environment.ProcessId}");

    // GDP in 万元 (yearbook), fiscal spending in 亿元 and a finance index (EPS export).
    private static readonly (string Full, string Short, long[] GdpWan, double[] Fiscal, double?[] Fin)[] Provinces =
    [
        ("北京市", "北京", [162519300, 178794000, 195006000], [3245.23, 3685.31, 4173.66], [1.92, 2.01, 2.10]),
        ("天津市", "天津", [113072800, 128938800, 144420000], [1796.33, 2143.21, 2549.21], [1.10, 1.21, 1.25]),
        ("河北省", "河北", [245157600, 265750000, 283013000], [3537.39, 4079.44, 4409.58], [0.81, 0.86, 0.95]),
        ("山西省", "山西", [112376000, 121128300, 126024000], [2363.85, 2759.46, 3030.13], [0.95, 1.02, null]),
        ("内蒙古自治区", "内蒙古", [143597600, 158806000, 167324000], [2989.21, 3425.99, 3686.52], [0.70, 0.74, 0.80]),
    ];

    private static readonly int[] Years = [2011, 2012, 2013];

    [Fact]
    public async Task ProvincialDesign_FromAWideSheetAGbkExportAndAUnitSheet_EqualsTheHandBuiltPanel()
    {
        Directory.CreateDirectory(Root);
        string P(string f) => Path.Combine(Root, f);
        string datasets = P("datasets");

        // 1. The yearbook sheet: years as columns, full names, a title row and a footnote.
        var rows = new Dictionary<int, object?[]> { [1] = ["表2-1 地区生产总值（万元）"], [2] = ["地区", "2011年", "2012年", "2013年"] };
        for (int i = 0; i < Provinces.Length; i++) rows[3 + i] = [Provinces[i].Full, .. Provinces[i].GdpWan.Select(v => (object?)v)];
        rows[3 + Provinces.Length] = ["注：按当年价格计算。"];
        YearbookXlsx.Write(P("gdp.xlsx"), "表2-1", rows, "A1:D1");
        File.WriteAllText(P("gdp.yaml"), """
            unit: { column: 地区, name: province, divisions: province, attributes: [region, municipality] }
            time: { header: '(\d{4})年', name: year }
            variables:
              gdp: { from: 万元, to: 亿元 }
            """);
        Ingest("gdp.xlsx", "gdp.yaml");

        // 2. The EPS export: GBK, short names, ".." where not available.
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var eps = new StringBuilder("地区,年份,财政支出,金融发展\n");
        foreach (var p in Provinces)
            for (int t = 0; t < Years.Length; t++)
                eps.Append(CultureInfo.InvariantCulture, $"{p.Short},{Years[t]},{p.Fiscal[t]:R},{(p.Fin[t] is { } f ? f.ToString("R", CultureInfo.InvariantCulture) : "..")}\n");
        File.WriteAllBytes(P("eps.csv"), System.Text.Encoding.GetEncoding(936).GetBytes(eps.ToString()));
        File.WriteAllText(P("eps.yaml"), """
            unit: { column: 地区, name: province, divisions: province }
            time: { column: 年份, name: year }
            variables:
              fiscal: 财政支出
              fin: 金融发展
            """);
        Ingest("eps.csv", "eps.yaml");

        // 3. A unit-level sheet (one row per province) onto every year.
        File.WriteAllText(P("units.csv"), "地区,市场化指数\n北京,9.1\n天津,8.2\n河北,6.3\n山西,5.4\n内蒙古,5.0\n");
        File.WriteAllText(P("units.yaml"), "unit: { column: 地区, name: province, divisions: province }\ntime: { all: year }\nvariables:\n  market: 市场化指数\n");
        Ingest("units.csv", "units.yaml");

        // The study reads the named dataset and builds the measures itself.
        const string Formula = "lngdp ~ ratio + fin | province + year";
        File.WriteAllText(P("study.yaml"), $$"""
            name: raw
            dataset:
              name: prov
              root: {{datasets}}
              unit: province
              time: year
              region: region
              derive:
                - { name: ratio, kind: expr, expr: fiscal / gdp }
                - { name: lngdp, kind: expr, expr: log(gdp) }
            baseline: { outcome: lngdp, treatment: ratio, controls: [fin], fe: province + year, vcov: "cluster:province" }
            analyses:
              - name: base
                type: regressions
                columns: [{ formula: "{{Formula}}" }]
            grid:
              treatment: ratio
              outcomes: [lngdp]
              controls: { full: [fin] }
              fixed_effects: ["province + year"]
              samples: { all: null }
              vcov: ["cluster:province"]
            """);
        var (code, output, err) = De.Run("run", P("study.yaml"), "--out", P("out"));
        Assert.True(code == 0, err + output);
        var models = await ResultTables.Models.ReadFileAsync(Path.Combine(De.RunDir(output), "models.parquet"));

        // The panel a user would have typed by hand: short names, GDP in 亿元, the ratio and the log computed per cell.
        var hand = new StringBuilder("province,year,lngdp,ratio,fin\n");
        foreach (var p in Provinces)
            for (int t = 0; t < Years.Length; t++)
            {
                double gdp = (double)(p.GdpWan[t] / 10000m);
                hand.Append(CultureInfo.InvariantCulture, $"{p.Short},{Years[t]},{Math.Log(gdp):R},{p.Fiscal[t] / gdp:R},{(p.Fin[t] is { } f ? f.ToString("R", CultureInfo.InvariantCulture) : "")}\n");
            }
        File.WriteAllText(P("hand.csv"), hand.ToString());
        var est = De.Run("estimate", Formula, "--data", P("hand.csv"), "--unit", "province", "--time", "year", "--vcov", "cluster:province", "--json");
        Assert.True(est.Code == 0, est.Err);
        using var json = JsonDocument.Parse(est.Out);
        var coefficients = json.RootElement.GetProperty("coefficients").EnumerateArray().ToDictionary(c => c.GetProperty("term").GetString()!);
        foreach (var term in new[] { "ratio", "fin" })
        {
            var row = Assert.Single(models, m => m.Term == term);
            Assert.Equal(coefficients[term].GetProperty("estimate").GetDouble(), row.Estimate!.Value, 12);
            Assert.Equal(coefficients[term].GetProperty("std_error").GetDouble(), row.StdError!.Value, 12);
            Assert.Equal(14, (int)row.N!.Value); // 5 provinces × 3 years, 山西 2013's ".." missing
        }

        // Every normalisation and fill is in the versions' manifests.
        var versions = new DatasetVersions(datasets);
        Assert.Equal([1, 2, 3], versions.Versions("prov"));
        Assert.Equal(["北京市", "天津市", "河北省", "山西省", "内蒙古自治区"], versions.Manifest("prov", 1).Renamed!.Select(r => r.From));
        Assert.Equal((5, 15), (versions.Manifest("prov", 3).Merge!.MatchedUnits, versions.Manifest("prov", 3).Merge!.MatchedRows));
    }

    private static void Ingest(string source, string map)
    {
        var (code, output, err) = De.Run("ingest", "prov", Path.Combine(Root, source), "--map", Path.Combine(Root, map), "--root", Path.Combine(Root, "datasets"));
        Assert.True(code == 0, err + output);
    }
}
