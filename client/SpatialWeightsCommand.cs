using System.CommandLine;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Store;

namespace DigitalEconomy.Client;

/// <summary>
/// `de weights FILE [--w-rule RULE] [--out CSV]`: builds a weight matrix as `de spatial --w` would (a table, an edge list,
/// coordinates with a distance rule, or polygons with queen/rook contiguity), prints its size, its units without a
/// neighbour and, for a symmetric W, its eigenvalue range; with --out writes its entries as given (before
/// row-standardisation) as an edge list from,to,weight sorted by unit names — the form examples/weights/ ships.
/// </summary>
internal static class SpatialWeightsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "a CSV (unit × unit table, edge list from,to[,weight], unit,lat,lon) or polygons (.geojson, .json, .shp)" };
        var rule = new Option<string?>("--w-rule") { Description = "coordinates: inverse[:POWER[:CUTOFF_KM]] or knn:K; polygons: queen[:PROPERTY[:SNAP]] (default) or rook[:PROPERTY[:SNAP]]" };
        var output = new Option<string?>("--out") { Description = "write the entries as an edge list from,to,weight (UTF-8 CSV, sorted by unit names)" };
        var cmd = new Command("weights", "Build a spatial weight matrix (contiguity from polygons, distances, tables) and write it as an edge list") { file, rule, output };
        cmd.SetAction(p => Cli.Guard(stderr, () =>
        {
            var (distance, contiguity) = SpatialWeightsFile.ParseRule(p.GetValue(rule), "--w-rule");
            // Not row-standardised: a unit without a neighbour (an island) is listed, not refused.
            var w = SpatialWeightsFile.Read(p.GetValue(file)!, rowStandardise: false, null, distance, contiguity);
            var isolated = Enumerable.Range(0, w.N).Where(i => w.RowStart[i + 1] == w.RowStart[i]).Select(i => w.Names[i]).ToList();
            stdout.WriteLine($"{w.N} units, {w.NonZeros} nonzero entries{(w.SymmetricBase ? " (symmetric)" : "")}");
            stdout.WriteLine(isolated.Count == 0 ? "every unit has a neighbour" : $"units without a neighbour: {string.Join(", ", isolated)}");
            if (p.GetValue(output) is { } path)
            {
                var sb = new StringBuilder("from,to,weight\n");
                foreach (var (from, to, weight) in w.RawEdges().OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal))
                    sb.Append(CsvWriter.Field(from)).Append(',').Append(CsvWriter.Field(to)).Append(',').Append(CsvWriter.Number(weight)).Append('\n');
                AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(sb.ToString())));
                stdout.WriteLine($"wrote {path}");
            }
            return 0;
        }));
        return cmd;
    }
}
