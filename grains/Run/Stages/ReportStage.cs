using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using DigitalEconomy.Study;

namespace DigitalEconomy.Grains;

/// <summary>What the report stage reads: specs.parquet's rows, the bootstrap and the curve inference.</summary>
internal sealed record ReportInput(List<SpecificationRow> Rows, Resampled? Boot, CurveSummaryRecord? Curve);

/// <summary>Stage 8 (input: <see cref="ReportInput"/>; output: the grid's table, written as tables/specifications.*).</summary>
internal sealed class ReportStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// The grid's table (baseline and one-choice departures) through the table model, as
    /// tables/specifications.{md,csv,tex,html,docx} in the study's language and labels; the charts and
    /// the report come with the publish stage (PublishStage.cs).
    /// </summary>
    public AnalysisTable Run(ReportInput input)
    {
        var (rows, boot, curve) = input;
        using var span = Telemetry.Source.StartActivity("run.report");
        Progress("report", 0, 1);
        var g = _study.Grid!;
        var notes = new List<string>();
        if (boot?.Summary is { } bs) notes.Add(GridTableNotes.Bootstrap(BootstrapNote(bs), Zh));
        if (curve is not null) notes.Add(GridTableNotes.Curve(CurveNote(curve), Zh));
        bool se = _study.Tables?.Stat == "se";
        var table = SpecificationTable.Build(
            [.. rows.Select(r => new GridSpecification(GridChoices.Choices(g, r), r.Estimate, r.StdError, r.PValue, r.N, r.R2, r.R2Within, r.Error is not null))],
            GridChoices.Baseline(g),
            new SpecificationTableOptions
            {
                Title = _study.Name + (Zh ? "：" : ": ") + TableWords.Get("spec_title", Language),
                Treatment = g.Treatment,
                Dimensions = GridChoices.Dimensions(g),
                Labels = Labels,
                Language = Language,
                Stat = se ? ParenthesisStat.Se : ParenthesisStat.T,
                R2 = _study.Tables?.R2 == "within" ? R2Kind.Within : R2Kind.Lsdv,
                // Four decimals as the grid's table always printed: grid coefficients are often below 0.01.
                Decimals = new TableDecimals { Coefficient = 4, Statistic = se ? 4 : 3 },
                Notes = notes,
            });
        var spec = new AnalysisTable("grid", RunTables.GridTable, table);
        RunTables.WriteTable(RunDir, spec.Stem, spec.Table);
        Progress("report", 1, 1);
        return spec;
    }

    /// <summary>The bootstrap as reporting's <see cref="GridTableNotes.Bootstrap"/> prints it.</summary>
    internal static GridBootstrapNote BootstrapNote(BootstrapSummaryRecord boot)
    {
        var (bs, s) = (boot.Spec, boot.Shown);
        return new GridBootstrapNote(bs.Method == BootstrapMethod.Wild, bs.Level, bs.Type.ToString().ToUpperInvariant(), bs.Weights.ToString().ToLowerInvariant(),
            boot.Specifications, boot.ShownIsBaseline, s.Replicates, s.Failed, s.Enumerated, s.StdError, s.PercentileLow, s.PercentileHigh,
            s.BiasCorrectedLow, s.BiasCorrectedHigh, s.WildPValue, s.WildLow, s.WildHigh, s.Note);
    }

    /// <summary>The curve inference as reporting's <see cref="GridTableNotes.Curve"/> prints it.</summary>
    internal static GridCurveNote CurveNote(CurveSummaryRecord c) => new(c.Draws, c.DrawsUsed, c.Sign, c.Observed, c.PValues);
}
