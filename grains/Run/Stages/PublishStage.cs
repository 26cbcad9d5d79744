using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Report;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using DigitalEconomy.Study;

namespace DigitalEconomy.Grains;

/// <summary>What the publish stage reads: every earlier stage's output and when the run first started (the report's 开始).</summary>
internal sealed record PublishInput(Prepared Prepared, Indexed Indexed, Analysed Analysed, List<SpecificationRow> Rows, AnalysisTable? Grid, Resampled? Boot,
    Inferred? Curve, Changes? Changes, DateTimeOffset StartedUtc);

/// <summary>What the publish stage reports to the manifest: when it wrote the report (the run's end, to the second) and the charts it could not draw.</summary>
internal sealed record Published(DateTimeOffset FinishedUtc, IReadOnlyList<string> ChartWarnings);

/// <summary>Stage 9 (input: <see cref="PublishInput"/>; output: <see cref="Published"/>). Its chart lists are its own, for this one call.</summary>
internal sealed class PublishStage(RunContext run) : RunStage(run)
{
    /// <summary>Charts that could not be drawn (a missing CJK font), each with its reason; the report and the manifest say so.</summary>
    private readonly List<string> _chartWarnings = [];

    /// <summary>The PNG of every chart drawn, by its report path (plots/&lt;stem&gt;.png): paper.docx embeds them, xelatex includes them.</summary>
    private readonly Dictionary<string, byte[]> _chartImages = new(StringComparer.Ordinal);

    /// <summary>The charts' SVG files being drawn and written; the stage ends when all are written.</summary>
    private readonly List<Task> _svgWrites = [];

    /// <summary>
    /// Writes one chart as plots/&lt;stem&gt;.png and .svg; returns its report item, or null (with a warning) when it cannot be
    /// drawn. The two formats are drawn at once (each render builds its own plot), the SVG on the machine's second core; the
    /// item returns once the PNG is written (the papers embed the PNG), and the SVG is written while the papers are made
    /// (a 10,000-point curve's SVG takes longer than its PNG). Both draw the same plot with the same fonts, so a chart that
    /// cannot be drawn fails in the PNG; an SVG that fails otherwise fails the stage.
    /// </summary>
    private ReportChart? Chart(string stem, string caption, Func<ChartOptions, byte[]> render)
    {
        string dir = Path.Combine(RunDir, "plots");
        Directory.CreateDirectory(dir);
        var svgTask = Task.Run(() => render(new ChartOptions { Format = ChartFormat.Svg }));
        byte[] png;
        try
        {
            png = render(new ChartOptions { Format = ChartFormat.Png });
        }
        catch (InvalidOperationException e)
        {
            // The SVG is left to fail or finish on its own; nothing of this chart is written.
            svgTask.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            lock (_chartWarnings) _chartWarnings.Add($"{stem}: {e.Message}");
            return null;
        }
        AtomicFile.Write(Path.Combine(dir, stem + ".png"), s => s.Write(png));
        lock (_chartImages) _chartImages[$"plots/{stem}.png"] = png;
        lock (_svgWrites) _svgWrites.Add(svgTask.ContinueWith(t => AtomicFile.Write(Path.Combine(dir, stem + ".svg"), s => s.Write(t.GetAwaiter().GetResult())),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
        return new ReportChart($"plots/{stem}.png", $"plots/{stem}.svg", caption);
    }

    /// <summary>The grid's charts: the specification curve, the bootstrap distribution of the baseline, and the curve statistics under the null.</summary>
    private List<ReportItem> GridCharts(List<SpecificationRow> rows, Resampled? boot, Inferred? curve)
    {
        var items = new List<ReportItem>();
        var g = _study.Grid!;
        string[] dims = GridChoices.Dimensions(g);
        string[] baseline = GridChoices.Baseline(g);
        // Intervals that are not finite (a failed variance) are left out with their specification: the chart's axes need finite limits.
        var points = rows.Where(r => r.Estimate is { } e && double.IsFinite(e) && r.ConfLow is { } lo && double.IsFinite(lo) && r.ConfHigh is { } hi && double.IsFinite(hi)).Select(r =>
        {
            var choices = GridChoices.Choices(g, r);
            return new SpecCurvePoint(r.SpecId, r.Estimate!.Value, r.ConfLow ?? double.NaN, r.ConfHigh ?? double.NaN, r.PValue ?? double.NaN,
                dims.Select((d, k) => (d, choices[k])).ToDictionary(x => x.d, x => x.Item2), choices.SequenceEqual(baseline));
        }).ToList();
        // Title, axis words and the choice panel's labels: reporting's SpecificationCurveTexts, in the study's language and labels.
        var options = SpecificationCurveTexts.Options(_study.Name, g.Treatment, dims, points, Labels, Language);
        if (points.Count > 0 && Chart("specification_curve", Zh ? "设定曲线" : "Specification curve", o => SpecificationCurveChart.Render(points, options, o)) is { } sc) items.Add(sc);
        if (boot?.Summary is { ShownIsBaseline: true } bs && boot.Replicates.Count > 0 && rows.FirstOrDefault(r => r.SpecId == bs.Shown.SpecId)?.Estimate is { } est)
        {
            var draws = boot.Replicates.Where(r => r.SpecId == bs.Shown.SpecId).Select(r => r.Estimate ?? double.NaN).ToList();
            string t = Zh ? "基准设定的聚类自助法分布" : "Cluster bootstrap of the baseline specification";
            if (Chart("bootstrap_distribution", t, o => DistributionChart.Render(draws, est, new DistributionChartOptions { Title = t, ValueAxis = Zh ? "估计系数" : "Estimate" }, o)) is { } bc) items.Add(bc);
        }
        if (curve is not null)
        {
            var o = curve.Summary.Observed;
            foreach (var (stem, name, observed, values) in new[]
            {
                ("null_median", Zh ? "中位数估计" : "median estimate", o.Median, curve.Rows.Select(r => r.Median ?? double.NaN)),
                ("null_share_significant", Zh ? "显著比例" : "share significant", o.ShareSignificant, curve.Rows.Select(r => r.ShareSignificant ?? double.NaN)),
                ("null_aggregate_z", Zh ? "合成z" : "aggregate z", o.AggregateZ, curve.Rows.Select(r => r.AggregateZ ?? double.NaN)),
            })
            {
                string t = Zh ? $"原假设下的设定曲线统计量：{name}" : $"Specification curve under the null: {name}";
                var list = values.ToList();
                if (Chart(stem, t, opts => DistributionChart.Render(list, observed, new DistributionChartOptions { Title = t, ValueAxis = name, DrawsLabel = Zh ? "原假设抽样（n = {0}）" : "Null draws (n = {0})" }, opts)) is { } nc)
                    items.Add(nc);
            }
        }
        return items;
    }

    /// <summary>How long xelatex may take for paper.pdf.</summary>
    private static readonly TimeSpan PaperPdfTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// paper.docx and paper.tex with every table and chart of <paramref name="report"/> in order (reporting's <see cref="Paper"/>),
    /// and paper.pdf when xelatex is on PATH; the files written, for the report's links. A PDF that cannot be compiled is left out
    /// and its reason returned in <paramref name="pdfError"/> for the report.
    /// </summary>
    private List<string> WritePaper(RunReportContent report, out string? pdfError)
    {
        pdfError = null;
        Dictionary<string, byte[]> images;
        lock (_chartImages) images = new(_chartImages, StringComparer.Ordinal);
        string tex = Paper.Latex(report);
        // The TeX engine (a process of its own) compiles paper.pdf while paper.docx is encoded here.
        var compile = XeLatex.Find() is null ? null : Task.Run(() =>
        {
            using var span = Telemetry.Source.StartActivity("run.paper_pdf");
            return (Pdf: XeLatex.TryCompile(tex, images, PaperPdfTimeout, out string? e), Error: e);
        });
        var docx = Paper.Docx(report, images);
        AtomicFile.Write(Path.Combine(RunDir, "paper.docx"), s => s.Write(docx));
        AtomicFile.Write(Path.Combine(RunDir, "paper.tex"), s => s.Write(System.Text.Encoding.UTF8.GetBytes(tex)));
        var written = new List<string> { "paper.docx", "paper.tex" };
        if (compile is null) return written;
        var (pdf, error) = compile.GetAwaiter().GetResult();
        if (pdf is not null)
        {
            AtomicFile.Write(Path.Combine(RunDir, "paper.pdf"), s => s.Write(pdf));
            written.Add("paper.pdf");
        }
        else pdfError = $"paper.pdf: {error}";
        return written;
    }

    /// <summary>Last stage before the manifest: every analysis's charts and report.html / report.md with every table and chart in the study's order.</summary>
    public Published Run(PublishInput input)
    {
        var (prepared, _, analysed, rows, grid, boot, curve, changes, startedUtc) = input;
        using var span = Telemetry.Source.StartActivity("run.publish");
        Progress("publish", 0, 1);
        var sections = new List<ReportSection>();
        foreach (var a in _study.Analyses.IsDefaultOrEmpty ? [] : _study.Analyses)
        {
            var items = new List<ReportItem>(analysed.Tables.Where(t => t.Analysis == a.Name).Select(t => new ReportTable(t.Table, RunTables.TableFiles(t.Stem))));
            // The charts the analysis's type made (study/Analyses), drawn here as plots/<stem>.png and .svg.
            foreach (var c in analysed.Charts.GetValueOrDefault(a.Name) ?? [])
                if (Chart(c.Stem, c.Caption, c.Render) is { } chart) items.Add(chart);
            // The first analysis of a combined table heads its section with the combined table's title.
            string heading = a.Table is { } combined && items.FirstOrDefault() is ReportTable { Files: [var first, ..] } rt && first == $"tables/{combined}.md" ? rt.Table.Title : a.Title;
            sections.Add(new ReportSection(heading, null, items));
        }
        if (_study.Grid is not null)
        {
            string text = Zh
                ? $"共 {rows.Count} 个设定（specs.parquet），{rows.Count(r => r.Error is not null)} 个无法估计；下表为基准列与单维度变化。"
                : $"{rows.Count} specifications (specs.parquet), {rows.Count(r => r.Error is not null)} could not be estimated; the table shows the baseline and one-choice departures.";
            var items = new List<ReportItem>();
            if (grid is not null) items.Add(new ReportTable(grid.Table, RunTables.TableFiles(grid.Stem)));
            items.AddRange(GridCharts(rows, boot, curve));
            sections.Add(new ReportSection(Zh ? "设定曲线" : "Specification grid", text, items));
            // Hook for incremental runs (ChangesStage.cs): how the baseline moved from the previous dataset version.
            if (changes is { } ch) sections.Add(new ReportSection(Zh ? "与上一版本相比" : "Changes from the previous version", $"run {ch.RunId}, v{ch.Version}", [new ReportTable(ch.Table, RunTables.TableFiles(RunTables.ChangesTable))]));
        }
        if (_chartWarnings.Count > 0)
            sections.Add(new ReportSection(Zh ? "未能绘制的图" : "Charts not drawn", string.Join(" ", _chartWarnings), []));
        var now = DateTimeOffset.UtcNow;
        var finishedUtc = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        // The same two times as the manifest's started_utc and finished_utc (written right after this stage).
        var facts = RunReport.RunFacts(Language, _study.Name, RunId, _study.Dataset.Path, prepared.RawSha256, null, _study.Seed,
            typeof(RunExecution).Assembly.GetName().Version?.ToString(), startedUtc, finishedUtc, "complete");
        var report = new RunReportContent(_study.Name, facts, sections, Language);
        report = report with { Documents = WritePaper(report, out string? pdfError) };
        if (pdfError is not null)
            report = report with { Sections = [.. sections, new ReportSection(Zh ? "未能生成的文件" : "Files not written", pdfError, [])] };
        AtomicFile.Write(Path.Combine(RunDir, "report.html"), s => s.Write(RunReport.EncodeHtml(report)));
        AtomicFile.Write(Path.Combine(RunDir, "report.md"), s => s.Write(RunReport.EncodeMarkdown(report)));
        Task[] svgs;
        lock (_svgWrites) svgs = [.. _svgWrites];
        foreach (var t in svgs) t.GetAwaiter().GetResult();
        Progress("publish", 1, 1);
        lock (_chartWarnings) return new Published(finishedUtc, [.. _chartWarnings]);
    }
}
