using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// `de query … --save FILE` and `de dataset export NAME@V --out FILE`: a result or a version as .dta, .xlsx, .parquet or .csv,
/// written only where the user said, never over a file without --force, never inside a run's or a dataset's folder. The
/// values expected are the inputs written out by hand (the writers themselves are checked against pandas and openpyxl in
/// DigitalEconomy.Store.Tests: DtaWriterTests, XlsxWriterTests).
/// </summary>
public sealed class QueryAndDatasetExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("de-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Root => P("datasets");

    /// <summary>One version of a provincial dataset from a CNRDS-style CSV (short names, one cell missing).</summary>
    private void Version1()
    {
        File.WriteAllText(P("eps.csv"), "地区,年份,财政支出\n北京,2011,3245.23\n北京,2012,..\n天津,2011,1796.33\n");
        File.WriteAllText(P("eps.yaml"), "unit: { column: 地区, name: province }\ntime: { column: 年份, name: year }\nvariables:\n  fiscal: 财政支出\n");
        var (code, _, err) = CliRunner.Run("ingest", "prov", P("eps.csv"), "--map", P("eps.yaml"), "--root", Root);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void DatasetExport_DtaReadBackWithTheVersionsValues()
    {
        Version1();
        var (code, stdout, err) = CliRunner.Run("dataset", "export", "prov@1", "--out", P("prov.dta"), "--root", Root);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 3 rows × 3 columns", stdout);
        var f = DtaReader.Read(P("prov.dta"));
        Assert.Equal(["province", "year", "fiscal"], f.Columns.Select(c => c.Name));
        Assert.Equal(["北京", "北京", "天津"], f["province"].Texts!.AsEnumerable()); // sorted by unit (code point), then year
        Assert.Equal([2011, 2012, 2011], f.Numeric("year"));
        Assert.Equal([3245.23, double.NaN, 1796.33], f.Numeric("fiscal")); // '..' is missing, Stata's '.'
    }

    [Fact]
    public void DatasetExport_XlsxReadBackByTheWorkbookReader()
    {
        Version1();
        var (code, _, err) = CliRunner.Run("dataset", "export", "prov", "--out", P("prov.xlsx"), "--root", Root);
        Assert.True(code == 0, err);
        var rows = YearbookReader.ReadSheet(P("prov.xlsx"), null).Rows;
        Assert.Equal(["province", "year", "fiscal"], rows[0].Cells);
        Assert.Equal(["北京", "2011", "3245.23"], rows[1].Cells);
        Assert.Equal("天津", rows[3].Cells[0]);
    }

    [Fact]
    public void DatasetExport_ParquetReadByDuckDb_YearsAsInt64NumbersAsDouble()
    {
        Version1();
        Directory.CreateDirectory(P("pq"));
        var (code, _, err) = CliRunner.Run("dataset", "export", "prov@1", "--out", P("pq/prov.parquet"), "--root", Root);
        Assert.True(code == 0, err);
        // DuckDB (de query's engine, not our Parquet code) reads the file: a whole-number column is BIGINT, the rest DOUBLE, missing NULL.
        (code, var stdout, err) = CliRunner.Run("query", P("pq"), "SELECT province, year, fiscal, typeof(year) AS ty, typeof(fiscal) AS tf FROM prov ORDER BY province, year", "--csv");
        Assert.True(code == 0, err);
        Assert.Equal("province,year,fiscal,ty,tf\n北京,2011,3245.23,BIGINT,DOUBLE\n北京,2012,,BIGINT,DOUBLE\n天津,2011,1796.33,BIGINT,DOUBLE\n", stdout);
    }

    [Fact]
    public void DatasetExport_NeverOverwritesWithoutForce_NeverWritesIntoTheDatasetsFolder()
    {
        Version1();
        File.WriteAllText(P("mine.dta"), "keep");
        var (code, _, err) = CliRunner.Run("dataset", "export", "prov", "--out", P("mine.dta"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out '{P("mine.dta")}' exists; give --force to replace it", err.Trim());
        Assert.Equal("keep", File.ReadAllText(P("mine.dta")));
        Assert.Equal(0, CliRunner.Run("dataset", "export", "prov", "--out", P("mine.dta"), "--root", Root, "--force").Code);
        Assert.True(DtaReader.Looks(File.ReadAllBytes(P("mine.dta"))));

        string inside = Path.Combine(Root, "prov", "v1", "data.dta");
        (code, _, err) = CliRunner.Run("dataset", "export", "prov", "--out", inside, "--root", Root, "--force");
        Assert.Equal(2, code);
        Assert.Contains("whose files are results or versions that are never written again", err);
        Assert.False(File.Exists(inside));

        (code, _, err) = CliRunner.Run("dataset", "export", "prov", "--out", P("prov.sav"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out '{P("prov.sav")}': expected a file ending in .csv, .parquet, .dta (Stata 14+) or .xlsx, not .sav", err.Trim());
        (code, _, err) = CliRunner.Run("dataset", "export", "prov", "--out", P("no/such/folder.dta"), "--root", Root);
        Assert.Equal(2, code);
        Assert.Contains("does not exist", err);
        Assert.False(Directory.Exists(P("no")));
    }

    [Fact]
    public void DatasetExport_ARunsDatasetCsvBesideItsManifest()
    {
        string run = P("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "dataset.csv"), "province,year,lngdp\n北京,2011,9.7\n");
        File.WriteAllText(Path.Combine(run, "manifest.json"), "{}");
        var (code, _, err) = CliRunner.Run("dataset", "export", Path.Combine(run, "dataset.csv"), "--out", P("ds.dta"));
        Assert.True(code == 0, err);
        Assert.Equal([9.7], DtaReader.Read(P("ds.dta")).Numeric("lngdp"));
        (code, _, err) = CliRunner.Run("dataset", "export", Path.Combine(run, "dataset.csv"), "--out", Path.Combine(run, "ds.dta"));
        Assert.Equal(2, code);
        Assert.Contains("whose files are results", err);
    }

    /// <summary>A folder with a specs.parquet is a run folder to de query.</summary>
    private string RunFolder()
    {
        string run = P("r1");
        Directory.CreateDirectory(run);
        File.WriteAllText(P("specs.csv"), "spec_id,outcome,estimate\ns1,lngdp,0.5\ns2,lngdp,1.5\ns3,tfp,-2\n");
        Assert.Equal(0, CliRunner.Run("parquet", "from-csv", P("specs.csv"), Path.Combine(run, "specs.parquet")).Code);
        return run;
    }

    [Fact]
    public void QuerySave_DtaWithStataNamesAndLabels()
    {
        string run = RunFolder();
        var (code, stdout, err) = CliRunner.Run("query", run, "SELECT outcome, median(estimate), count(*) AS n FROM specs GROUP BY 1 ORDER BY 1", "--save", P("q.dta"));
        Assert.True(code == 0, err);
        Assert.Contains("wrote 2 rows × 3 columns", stdout);
        Assert.Contains("'median(estimate)' → median_estimate_", err);
        var f = DtaReader.Read(P("q.dta"));
        Assert.Equal(["outcome", "median_estimate_", "n"], f.Columns.Select(c => c.Name));
        Assert.Equal(["lngdp", "tfp"], f["outcome"].Texts!.AsEnumerable());
        Assert.Equal([1.0, -2.0], f.Numeric("median_estimate_")); // median of 0.5 and 1.5; -2
        Assert.Equal([2, 1], f.Numeric("n"));
    }

    [Fact]
    public void QuerySave_RefusesTheRunFolderAnExistingFileAndCsvTogether()
    {
        string run = RunFolder();
        string sql = "SELECT * FROM specs";
        var (code, _, err) = CliRunner.Run("query", run, sql, "--save", Path.Combine(run, "specs.parquet"), "--force");
        Assert.Equal(2, code);
        Assert.Contains("whose files are results or versions that are never written again", err);
        File.WriteAllText(P("q.xlsx"), "keep");
        (code, _, err) = CliRunner.Run("query", run, sql, "--save", P("q.xlsx"));
        Assert.Equal(2, code);
        Assert.Equal($"error: --save '{P("q.xlsx")}' exists; give --force to replace it", err.Trim());
        Assert.Equal("keep", File.ReadAllText(P("q.xlsx")));
        (code, _, _) = CliRunner.Run("query", run, sql, "--save", P("q.xlsx"), "--force");
        Assert.Equal(0, code);
        Assert.Equal("s3", YearbookReader.ReadSheet(P("q.xlsx"), null).Rows[3].Cells[0]);
        (code, _, err) = CliRunner.Run("query", run, sql, "--save", P("q.csv"), "--csv");
        Assert.Equal(2, code);
        Assert.Contains("drop --csv/--json", err);
        (code, _, err) = CliRunner.Run("query", run, sql, "--force");
        Assert.Equal(2, code);
        Assert.Contains("give --save FILE", err);
    }
}
