using System.Text;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>
/// The raw (interpolated, derived) dataset as published to the silos; the encoding its CSV file was read in (null for Parquet),
/// for the manifest.
/// </summary>
internal sealed record Prepared(Panel Panel, DatasetRef Dataset, string RawSha256, int Fills, IReadOnlyList<DeriveRecord> Derived, string? Encoding = null);

/// <summary>Stage 1 (input: the run's command; output: <see cref="Prepared"/>).</summary>
internal sealed class PrepareStage(RunContext run) : RunStage(run)
{
    /// <summary>read the dataset once (hash and parse the same bytes), fill interior gaps, publish it to the silos.</summary>
    public async Task<Prepared> RunAsync(CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("run.prepare");
        Progress("prepare", 0, 1);
        var d = _study.Dataset;
        if (!File.Exists(d.Path)) throw new InputException($"dataset '{d.Path}' does not exist (it must be readable from the silo that runs the study)");
        byte[] raw = await File.ReadAllBytesAsync(d.Path, ct);
        string rawSha = DatasetCache.Hash(raw);
        if (rawSha != _command.DatasetSha256)
            throw new InputException($"dataset '{d.Path}' changed after the run was started (sha256 {rawSha[..12]}…, expected {_command.DatasetSha256[..12]}…); start the run again");
        // The run id hashes the raw file; work grains always get CSV bytes, so a Parquet dataset is
        // converted once here (same frame → same CSV bytes → same prepared hash everywhere).
        // A CSV file not in UTF-8 (GBK/GB18030, UTF-16) is decoded once here (or refused) and published as UTF-8.
        byte[] bytes = raw;
        var read = await DatasetFile.ReadAsync(raw, d.Path, d.Encoding, ct);
        string? encoding = read.Encoding?.Name;
        if (DatasetFile.IsBinaryDataset(raw) || read.Encoding is { Name: not "UTF-8" })
        {
            bytes = CsvWriter.ToBytes(read);
            read = CsvReader.Read(bytes, d.Path); // as the work grains parse the published bytes
        }
        var panel = Panel.Create(read, d.Unit, d.Time);
        int fills = 0;
        if (!d.Interpolate.IsDefaultOrEmpty)
        {
            var filled = new List<(string Column, FilledCell Cell)>();
            foreach (var col in d.Interpolate)
            {
                var ends = d.Extrapolate switch { "linear" => Extrapolation.Linear, "growth" => Extrapolation.Growth, _ => Extrapolation.None };
                panel = panel.WithColumn(col, PanelTransforms.Interpolate(panel, panel.Frame.Numeric(col), out var cells, ends));
                filled.AddRange(cells.Select(c => (col, c)));
            }
            fills = filled.Count;
            Store.AtomicFile.Write(Path.Combine(RunDir, "fills.csv"), s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                CsvWriter.Row(w, ["column", d.Unit, d.Time, "value", "method"]);
                foreach (var (c, cell) in filled) CsvWriter.Row(w, [c, cell.Unit, cell.Time.ToString(System.Globalization.CultureInfo.InvariantCulture), CsvWriter.Number(cell.Value), cell.Method]);
            });
            bytes = CsvWriter.ToBytes(panel.Frame);
            // Messages about a cell name this file and its line, so it is kept beside the fills.
            AtomicFile.Write(Path.Combine(RunDir, "interpolated.csv"), s => s.Write(bytes));
        }
        IReadOnlyList<DeriveRecord> derived = [];
        if (!d.Derive.IsDefaultOrEmpty)
        {
            (panel, derived) = Derivation.Apply(panel, [.. d.Derive.Select(st => new DeriveStep(st.Name, st.Kind,
                st.Parameters.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal)))]);
            bytes = CsvWriter.ToBytes(panel.Frame);
        }
        string source = !d.Derive.IsDefaultOrEmpty ? "dataset.csv" : d.Interpolate.IsDefaultOrEmpty ? d.Path : "interpolated.csv";
        var dataset = await PublishAsync(bytes, ReferenceEquals(bytes, raw) ? rawSha : DatasetCache.Hash(bytes), source);
        Progress("prepare", 1, 1);
        return new Prepared(panel, dataset, rawSha, fills, derived, encoding);
    }
}
