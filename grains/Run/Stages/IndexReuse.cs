using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>Whether an index was recomputed and why; its input key and normalisation (min/max per indicator, per period when per_period) for the manifest.</summary>
internal sealed record IndexStatus(string InputKey, bool Recomputed, string? ComparedWith, string Reason, ImmutableArray<PeriodRange> Ranges);

/// <summary>
/// Part of stage 2: an index whose inputs are those of an earlier complete run of the study is taken from it; a recomputed
/// one says why (what moved since the earlier run).
/// </summary>
internal sealed class IndexReuse(RunContext run) : RunStage(run)
{
    /// <summary>An index taken from an earlier run (scores in this panel's row order), or the earlier run to compare a recomputed one with.</summary>
    internal sealed record EarlierIndex(string? From, (double[] Scores, IReadOnlyDictionary<string, double> Weights, ImmutableArray<PeriodRange> Ranges)? Reused,
        (string Run, ImmutableArray<PeriodRange> Ranges, IReadOnlyDictionary<string, double> Weights)? Compared);

    /// <summary>
    /// SHA-256 of everything an entropy index reads: its definition (indicators, directions, shift, scope) and, for
    /// every row of the panel, unit, period and the indicator cells. Its normalisation (min/max) and its weights are
    /// computed over the whole panel, so any new or changed indicator cell anywhere changes every score; an index is
    /// only reused whole. Hand-written, length-prefixed like <see cref="DataKeys"/>.
    /// </summary>
    internal static string IndexInputKey(Panel raw, IndexSpec ix)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            h.AppendData(BitConverter.GetBytes(b.Length));
            h.AppendData(b);
        }
        Text(DataKeys.FitVersion);
        Text(string.Join(";", ix.Indicators.Select(i => $"{i.Code}:{i.Direction}")) + $"|shift={ix.Shift.ToString("R", CultureInfo.InvariantCulture)}|per_period={ix.PerPeriod}");
        h.AppendData(BitConverter.GetBytes(raw.RowCount));
        for (int r = 0; r < raw.RowCount; r++)
        {
            Text(raw.UnitLabels[raw.UnitCode[r]]);
            h.AppendData(BitConverter.GetBytes(raw.Time[r]));
        }
        foreach (var ind in ix.Indicators)
            foreach (double x in raw.Frame.Numeric(ind.Code))
                h.AppendData(BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(double.IsNaN(x) ? double.NaN : x)));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>
    /// Looks through the earlier complete runs of this study (by folder name; read only) for this index: one with the
    /// same input key is reused (scores from its indices.parquet, weights and normalisation from its manifest);
    /// otherwise the last run that built an index of this name is what the reason compares with.
    /// </summary>
    public async Task<EarlierIndex> EarlierIndexAsync(Panel raw, IndexSpec ix, string inputKey, CancellationToken ct)
    {
        (string, ImmutableArray<PeriodRange>, IReadOnlyDictionary<string, double>)? compared = null;
        int comparedVersion = int.MinValue;
        foreach (var dir in EarlierRuns())
        {
            var m = Manifest.ReadObject(Path.Combine(dir, "manifest.json"));
            if (m?["indices"]?[ix.Name] is not JsonObject rec || m["index_weights"]?[ix.Name] is not JsonObject wj) continue;
            var weights = wj.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>(), StringComparer.Ordinal);
            var ranges = ReadRanges(rec["ranges"]);
            if (rec["input_key"]?.GetValue<string>() == inputKey)
            {
                string file = Path.Combine(dir, "indices.parquet");
                if (!File.Exists(file)) continue;
                var byRow = (await ResultTables.Indices.ReadFileAsync(file, ct)).Where(r => r.Index == ix.Name)
                    .ToDictionary(r => (r.Unit, r.Time), r => r.Score);
                var scores = new double[raw.RowCount];
                bool all = true;
                for (int i = 0; i < raw.RowCount && all; i++)
                    all = byRow.TryGetValue((raw.UnitLabels[raw.UnitCode[i]], raw.Time[i]), out scores[i]);
                if (all && byRow.Count == raw.RowCount) return new EarlierIndex(Path.GetFileName(dir), (scores, weights, ranges), null);
                continue;
            }
            // Compare with the run of the newest dataset version (path datasets: the last by folder name).
            int v = m["dataset"]?["version"]?.GetValue<int>() ?? 0;
            if (compared is null || v >= comparedVersion) (compared, comparedVersion) = ((Path.GetFileName(dir), ranges, weights), v);
        }
        return new EarlierIndex(null, null, compared);
    }

    private static ImmutableArray<PeriodRange> ReadRanges(JsonNode? node) =>
        node is JsonArray a
            ? [.. a.OfType<JsonObject>().Select(o => new PeriodRange(o["period"]!.GetValue<long>(),
                [.. o["min"]!.AsArray().Select(x => x is null ? double.NaN : x.GetValue<double>())],
                [.. o["max"]!.AsArray().Select(x => x is null ? double.NaN : x.GetValue<double>())]))]
            : [];

    internal static JsonArray WriteRanges(ImmutableArray<PeriodRange> ranges) =>
        new([.. ranges.Select(r => (JsonNode?)new JsonObject
        {
            ["period"] = r.Period,
            ["min"] = new JsonArray([.. r.Min.Select(x => double.IsFinite(x) ? (JsonNode?)JsonValue.Create(x) : null)]),
            ["max"] = new JsonArray([.. r.Max.Select(x => double.IsFinite(x) ? (JsonNode?)JsonValue.Create(x) : null)]),
        })]);

    /// <summary>Why an index was recomputed: no earlier run built it, or which indicators' min/max moved and how far the weights moved.</summary>
    internal static string WhyRecomputed(IndexSpec ix, (string Run, ImmutableArray<PeriodRange> Ranges, IReadOnlyDictionary<string, double> Weights)? compared,
        ImmutableArray<PeriodRange> ranges, IReadOnlyDictionary<string, double> weights)
    {
        if (compared is not { } c) return "recomputed: no earlier run of this study built it";
        static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));
        var oldByPeriod = c.Ranges.ToDictionary(r => r.Period);
        var moved = new List<string>();
        for (int j = 0; j < ix.Indicators.Length; j++)
        {
            bool changed = ranges.Length != c.Ranges.Length || ranges.Any(r => !oldByPeriod.TryGetValue(r.Period, out var o)
                || o.Min.Length != r.Min.Length || !Same(o.Min[j], r.Min[j]) || !Same(o.Max[j], r.Max[j]));
            if (changed) moved.Add(ix.Indicators[j].Code);
        }
        double dw = weights.Max(kv => c.Weights.TryGetValue(kv.Key, out var o) ? Math.Abs(kv.Value - o) : double.PositiveInfinity);
        string norm = moved.Count == 0
            ? $"the normalisation (min/max per indicator{(ix.PerPeriod ? " and period" : "")}) is unchanged"
            : $"the normalisation changed: min/max of {string.Join(", ", moved)}{(ix.PerPeriod ? " (per period)" : "")} moved, so every normalised value of {(moved.Count == 1 ? "that indicator" : "those indicators")} moves";
        return $"recomputed: its indicator cells differ from run {c.Run}; {norm}; the entropy weights, computed over the whole panel, moved by up to {dw.ToString("G4", CultureInfo.InvariantCulture)}";
    }
}
