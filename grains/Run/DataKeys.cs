using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Grains;

/// <summary>
/// The data key of a specification: SHA-256 of exactly what its fit reads, so that a result can be reused
/// by a later run (another dataset version) whose key is the same. What the fit reads
/// (<see cref="SpecificationFit.Fit"/>, core's BatchEstimation):
/// <list type="bullet">
/// <item>the specification itself (its canonical choices and formula, without the dataset hash its id carries) and <see cref="FitVersion"/>;</item>
/// <item>the rows of its sample in panel order (unit, then time), found by its filter on the panel it is fitted on;</item>
/// <item>on those rows: unit and time, the outcome, the treatment term (a lag: the value one period earlier in the
///   same unit, taken from the whole panel as the fit's lag does), the controls, the fixed-effect factors and the
///   cluster columns, each cell's exact bits (missing cells included: the fit drops those rows itself);</item>
/// <item>winsorised specifications read their columns winsorised at 1/99 % of the whole panel; the key hashes those
///   winsorised values, so it changes when a row outside the sample moves a percentile, and only then.</item>
/// </list>
/// An index column or a derived measure is hashed as the values the fit reads, so a change of an index's
/// normalisation or weights that reaches the sample's rows changes the key, and one that does not leaves it.
/// Written by hand (no library hashes a panel's cells): the layout is length-prefixed, so two different
/// inputs cannot give the same bytes.
/// </summary>
internal sealed class DataKeys(Panel panel)
{
    /// <summary>Bumped whenever a change of the estimators can change a specification's numbers: results of an older version are then never reused.</summary>
    public const string FitVersion = "fit-1";

    private readonly Dictionary<string, Panel> _variants = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Variant, string Filter), IReadOnlyList<int>> _rows = [];

    /// <summary>The data key, or null when the specification cannot be read (its fit fails and says why; such a result is always recomputed).</summary>
    public string? Key(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        // A non-linear grid node (GMM, DID, spatial) reads more than the sample's rows (lags and instruments from other periods,
        // cohorts, a weight matrix): it has no data key and is always recomputed rather than reused on a partial key.
        if (s.Node is not null) return null;
        try
        {
            var vcov = s.Model.Vcov;
            var winsor = SpecificationModel.WinsorColumns(s);
            string variantKey = SpecificationFit.VariantKey(winsor);
            if (!_variants.TryGetValue(variantKey, out var p)) _variants[variantKey] = p = winsor.Count == 0 ? panel : SpecificationFit.Winsorized(panel, winsor);
            if (!_rows.TryGetValue((variantKey, s.Filter ?? ""), out var rows))
                _rows[(variantKey, s.Filter ?? "")] = rows = s.Model.Filters.IsDefaultOrEmpty ? [.. Enumerable.Range(0, p.RowCount)] : s.Model.Filters[0].Apply(p.Frame);
            // The rows and each column on them are hashed once per (winsorising, sample) and reused by every
            // specification that reads them: a grid has thousands of specifications over a few samples and columns.
            var h = _key;
            h.ResetWrittenCount();
            Text(h, FitVersion);
            Text(h, GridExpansion.Canonical(s));
            h.Write(Part(variantKey, s.Filter, "\u0000rows", b =>
            {
                Int(b, rows.Count);
                foreach (int r in rows)
                {
                    Text(b, p.UnitLabels[p.UnitCode[r]]);
                    Int(b, p.Time[r]);
                }
            }));
            h.Write(Part(variantKey, s.Filter, (s.Lag ? "\u0000lag:" : "\u0000term:") + s.Treatment, b =>
            {
                var treatment = p.Frame.Numeric(s.Treatment);
                Numbers(b, "term", s.Lag ? PanelTransforms.Lag(p, treatment) : treatment, rows);
            }));
            var columns = s.Controls.Prepend(s.Outcome)
                .Concat(s.FixedEffects.SelectMany(f => f.Split('^', StringSplitOptions.TrimEntries)))
                .Concat(vcov.ClusterColumns)
                .Concat(s.Model.Formula.Instruments.SelectMany(e => e.Columns))
                .Concat(s.Model.Weights is { } w ? [w] : []);
            foreach (var c in columns)
                h.Write(Part(variantKey, s.Filter, c, b =>
                {
                    var col = p.Frame[c];
                    if (col.Values is { } v) Numbers(b, c, v, rows);
                    else
                    {
                        Text(b, c);
                        foreach (int r in rows) Text(b, col.TextAt(r));
                    }
                }));
            return Convert.ToHexStringLower(SHA256.HashData(h.WrittenSpan));
        }
        catch (InputException)
        {
            return null;
        }
    }

    private readonly Dictionary<(string Variant, string Filter, string What), byte[]> _parts = [];

    /// <summary>
    /// The SHA-256 of one part of a key (the sample's rows, or one column on them), computed once per winsorising and sample.
    /// The part's bytes are laid out in a buffer and hashed in one call: a call per cell cost a crossing into the system's
    /// SHA-256 each (about 0.2 s for a 10,000-specification grid); the bytes, and so the digest, are the same.
    /// </summary>
    private byte[] Part(string variant, string? filter, string what, Action<ArrayBufferWriter<byte>> write)
    {
        var key = (variant, filter ?? "", what);
        if (_parts.TryGetValue(key, out var digest)) return digest;
        _buffer.ResetWrittenCount();
        write(_buffer);
        return _parts[key] = SHA256.HashData(_buffer.WrittenSpan);
    }

    /// <summary>The bytes of one part, and of one key (its texts and its parts' digests), laid out before they are hashed.</summary>
    private readonly ArrayBufferWriter<byte> _buffer = new(), _key = new();

    private static void Numbers(ArrayBufferWriter<byte> b, string name, double[] values, IReadOnlyList<int> rows)
    {
        Text(b, name);
        var span = b.GetSpan(8 * rows.Count);
        int at = 0;
        foreach (int r in rows)
        {
            // Every NaN is one missing cell: its payload bits carry no meaning.
            double x = double.IsNaN(values[r]) ? double.NaN : values[r];
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], BitConverter.DoubleToInt64Bits(x));
            at += 8;
        }
        b.Advance(at);
    }

    private static void Int(ArrayBufferWriter<byte> b, long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b.GetSpan(8), v);
        b.Advance(8);
    }

    private static void Text(ArrayBufferWriter<byte> b, string? s)
    {
        if (s is null) { Int(b, -1); return; }
        int n = Encoding.UTF8.GetByteCount(s);
        Int(b, n);
        Encoding.UTF8.GetBytes(s, b.GetSpan(n));
        b.Advance(n);
    }
}
