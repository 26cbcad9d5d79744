using Xunit;

namespace DigitalEconomy.Client.Tests;

public class GenerateCommandTests
{
    private static string Tmp(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-generate-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public void Cities_CountOption_WritesThatManyCitiesTimesTenYears_FirstThirtyTierOne()
    {
        string path = Tmp("c1200.csv");
        var (code, output, err) = CliRunner.Run("generate", "cities", "--cities", "1200", "--out", path);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 12000 rows", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(12000, rows.Count);
        var cities = rows.Select(r => r[0]).Distinct().ToList();
        Assert.Equal(1200, cities.Count);
        Assert.Equal("C0001", cities[0]);
        Assert.Equal("C1200", cities[^1]);
        Assert.Equal(30 * 10, rows.Count(r => r[4] == "1"));
        Assert.All(rows.GroupBy(r => r[0]), g => Assert.Equal(Enumerable.Range(2013, 10).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)), g.Select(r => r[2])));
    }

    [Fact]
    public void Cities_DefaultIs286_AndBadCountsAreOneLine()
    {
        string path = Tmp("c286.csv");
        Assert.Equal(0, CliRunner.Run("generate", "cities", "--out", path).Code);
        Assert.Equal(286, File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
        var (code, _, err) = CliRunner.Run("generate", "cities", "--cities", "1", "--out", Tmp("x.csv"));
        Assert.Equal(2, code);
        Assert.Equal("error: --cities 1: expected 2 to 100000", err.Trim());
        (code, _, err) = CliRunner.Run("generate", "provinces", "--cities", "40", "--out", Tmp("y.csv"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --cities applies to 'cities' only", err.Trim(), StringComparison.Ordinal);
    }
}

/// <summary>The raw series of the constructed measures and of the four designs (issue 11, item 4).</summary>
public class GenerateRawSeriesTests
{
    private static Core.Data.Panel Load(string path, string unit) =>
        Core.Data.Panel.Create(Core.Data.CsvReader.ReadFile(path), unit, "year");

    private static string Tmp(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"de-generate-raw-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static Core.Data.DeriveStep S(string name, string kind, params (string Key, string[] Values)[] ps) =>
        new(name, kind, ps.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Values, StringComparer.Ordinal));

    private static double Corr(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }

    [Fact]
    public void Provinces_OldColumnsEqualTheShippedExample_NewColumnsAppended_Deterministic()
    {
        string a = Tmp("p1.csv"), b = Tmp("p2.csv");
        Assert.Equal(0, CliRunner.Run("generate", "provinces", "--out", a).Code);
        Assert.Equal(0, CliRunner.Run("generate", "provinces", "--out", b).Code);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        var shipped = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv"));
        var lines = File.ReadAllLines(a);
        Assert.Equal(shipped.Length, lines.Length);
        Assert.Equal(shipped, lines); // the shipped example is the generator's output for the default seed
        int old = 33; // the columns of the first version of the generator, whose values never change
        Assert.Equal(["gdp", "va_primary", "va_secondary", "va_tertiary", "emp_primary", "emp_secondary", "emp_tertiary", "emp_total",
            "emp_digital_core", "emp_internet", "patents_app", "fixed_investment", "invest_price", "wage", "interest_rate",
            "tfp", "consumption", "openness", "urban_rate", "ind_structure"], lines[0].Split(',').Skip(old));
    }

    [Fact]
    public void Cities_OldColumnsUnchangedByTheNewStream_TierPilotAndNqpfColumns()
    {
        string path = Tmp("c.csv");
        Assert.Equal(0, CliRunner.Run("generate", "cities", "--out", path).Code);
        var p = Load(path, "city");
        Assert.Equal(2860, p.RowCount);
        // Every indicator of the built-in Nqpf system is a column, so `system: nqpf` works on cities.
        foreach (var ind in SystemLoaderAccess.Load("nqpf").Indicators) Assert.True(p.Frame.Has(ind.Code), ind.Code);
        var tier = p.Frame.Numeric("tier");
        var tier1 = p.Frame.Numeric("tier1");
        Assert.All(Enumerable.Range(0, p.RowCount), r => Assert.Equal(tier1[r] == 1, tier[r] == 1));
        Assert.Equal([1.0, 2, 3, 4, 5], tier.Distinct().Order());
        var pilot = p.Frame.Numeric("pilot");
        var pilotYear = p.Frame.Numeric("pilot_year");
        var active = p.Frame.Numeric("pilot_active");
        Assert.All(Enumerable.Range(0, p.RowCount), r => Assert.Equal(pilot[r] == 1 && p.Time[r] >= pilotYear[r] ? 1.0 : 0.0, active[r]));
        Assert.InRange(active.Count(v => v == 1), 100, 1500);
    }

    [Fact]
    public void RawSeries_AreConsistentAndPlausible()
    {
        var (header, rows) = GenerateCommand.Generate("provinces", 20261122);
        double[] C(string name) { int j = header.IndexOf(name); return [.. rows.Select(r => double.Parse(r[j], System.Globalization.CultureInfo.InvariantCulture))]; }
        var gdp = C("gdp");
        var va = new[] { C("va_primary"), C("va_secondary"), C("va_tertiary") };
        var emp = new[] { C("emp_primary"), C("emp_secondary"), C("emp_tertiary") };
        var total = C("emp_total");
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(gdp[i], va[0][i] + va[1][i] + va[2][i], 1e-8 * gdp[i]);
            Assert.Equal(total[i], emp[0][i] + emp[1][i] + emp[2][i], 1e-8 * total[i]);
            Assert.Equal(va[1][i] / gdp[i], C("ind_structure")[i], 6); // CSV values carry 10 significant digits
            // Primary labour is the least productive sector, as in every Chinese yearbook.
            Assert.True(va[0][i] / emp[0][i] < va[2][i] / emp[2][i]);
        }
        Assert.InRange(gdp.Min(), 1000, 1e6);             // 100m yuan
        Assert.InRange(C("interest_rate").Min(), 0.03, 0.07);
        Assert.InRange(C("interest_rate").Max(), 0.03, 0.07);
        Assert.InRange(C("urban_rate").Min(), 25, 95);
        Assert.InRange(C("urban_rate").Max(), 25, 95);
        Assert.InRange(C("consumption").Min(), 0.2, 0.6);
        Assert.All(C("emp_digital_core").Zip(total), z => Assert.InRange(z.First / z.Second, 0.001, 0.2));
        Assert.All(C("patents_app"), v => Assert.True(v >= 0 && v == Math.Floor(v)));
        Assert.Equal(100, C("invest_price").Where((_, i) => rows[i][2] == "2011").Distinct().Single());
        // Applications of the last year are truncated (only τ_0 = 10 % granted): far fewer than the year before.
        double Mean(string year) => C("patents_app").Where((_, i) => rows[i][2] == year).Average();
        Assert.InRange(Mean("2020") / Mean("2019"), 0.15, 0.35);
    }

    [Fact]
    public void LastYear_GivesProvinces2011To2021_AndConflictsWithYears()
    {
        string path = Tmp("p2021.csv");
        var (code, output, err) = CliRunner.Run("generate", "provinces", "--last-year", "2021", "--out", path);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 330 rows", output, StringComparison.Ordinal);
        var p = Load(path, "province");
        Assert.Equal(Enumerable.Range(2011, 11).Select(y => (long)y), p.Periods);
        Assert.Equal(330, Load(WriteYears(11), "province").RowCount);
        (code, _, err) = CliRunner.Run("generate", "provinces", "--last-year", "2021", "--years", "11", "--out", Tmp("x.csv"));
        Assert.Equal(2, code);
        Assert.Equal("error: give --years or --last-year, not both", err.Trim());
        (code, _, err) = CliRunner.Run("generate", "cities", "--last-year", "2013", "--out", Tmp("x.csv"));
        Assert.Equal("error: --last-year 2013: expected 2014 to 2062 (cities start in 2013)", err.Trim());
        (code, _, err) = CliRunner.Run("generate", "cities", "--years", "1", "--out", Tmp("x.csv"));
        Assert.Equal("error: --years 1: expected 2 to 50", err.Trim());
    }

    private static string WriteYears(int years)
    {
        string path = Tmp($"y{years}.csv");
        Assert.Equal(0, CliRunner.Run("generate", "provinces", "--years", years.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", path).Code);
        return path;
    }

    [Fact]
    public void DeriveSteps_RunOnGeneratedCities_WithThePlantedSigns()
    {
        string path = Tmp("cd.csv");
        Assert.Equal(0, CliRunner.Run("generate", "cities", "--out", path).Code);
        var p = Load(path, "city");
        var nqpf = SystemLoaderAccess.Load("nqpf");
        var shares = GenerateCommand.GrantLagShares.Select(t => t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Core.Data.DeriveStep[] steps =
        [
            S("lq_dig", "lq", ("sector", ["emp_digital_core"]), ("total", ["emp_total"])),
            S("lq_virtual", "lq", ("sector", ["emp_internet"]), ("total", ["emp_total"])),
            S("nqpf", "index", ("indicators", [.. nqpf.Indicators.Select(i => i.Code + (i.Direction == Core.Indices.Direction.Positive ? ":+" : ":-"))])),
            S("indus", "industrial_optimisation", ("value_added", ["va_primary", "va_secondary", "va_tertiary"]), ("employment", ["emp_primary", "emp_secondary", "emp_tertiary"])),
            S("upgrade", "upgrading", ("value_added", ["va_primary", "va_secondary", "va_tertiary"]), ("employment", ["emp_primary", "emp_secondary", "emp_tertiary"])),
            S("capital", "capital_stock", ("investment", ["fixed_investment"]), ("price_index", ["invest_price"])),
            S("alloc", "translog_allocation", ("output", ["gdp"]), ("labour", ["emp_total"]), ("capital", ["capital"]), ("wage", ["wage"]), ("rate", ["interest_rate"])),
            S("tech", "patents_adjusted", ("patents", ["patents_app"]), ("grant_lag_shares", shares)),
            S("ln_lq_dig", "log", ("column", ["lq_dig"])),
        ];
        var (panel, records) = Core.Data.Derivation.Apply(p, steps);
        Assert.Equal(steps.Length, records.Count);
        var lq = panel.Frame.Numeric("lq_dig");
        var total = panel.Frame.Numeric("emp_total");
        foreach (var year in panel.Periods)
        {
            var rows = Enumerable.Range(0, panel.RowCount).Where(r => panel.Time[r] == year).ToList();
            // Employment-weighted mean of the LQ is 1 by construction; the plain mean is close to 1.
            double weighted = rows.Sum(r => total[r] * lq[r]) / rows.Sum(r => total[r]);
            Assert.Equal(1, weighted, 12);
            Assert.InRange(rows.Average(r => lq[r]), 0.9, 1.1);
        }
        Assert.Equal(1, panel.Frame.Numeric("indus").Average(), 12);
        var lnLq = panel.Frame.Numeric("ln_lq_dig");
        Assert.InRange(Corr(lnLq, panel.Frame.Numeric("nqpf")), 0.5, 1);   // X → Y (design 3)
        Assert.InRange(Corr(lnLq, panel.Frame.Numeric("upgrade")), 0.5, 1); // mechanism: upgrading
        Assert.InRange(Corr(lnLq, panel.Frame.Numeric("alloc")), 0.1, 1);    // mechanism: factor allocation (0.28 at the default seed)
        Assert.InRange(Corr(lnLq, panel.Frame.Numeric("tech")), 0.5, 1);    // mechanism: technology
        Assert.InRange(Corr(lnLq, panel.Frame.Numeric("upgrade_theil")), -1, -0.5); // lower Theil = more rational
    }
}
