using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>
/// A dataset file, CSV or Parquet (told apart by the PAR1 magic, not the extension), read into a
/// <see cref="DataFrame"/>. Parquet numbers (integers, floats, decimals, booleans as 0/1) become
/// numeric columns with NULL as missing; strings, dates and timestamps become text columns.
/// </summary>
public static class DatasetFile
{
    /// <summary>True when the file is Parquet.</summary>
    public static bool IsParquet(string path) => ParquetFormat.LooksLikeParquet(path);

    /// <summary>True when the bytes start with the Parquet magic.</summary>
    public static bool IsParquetBytes(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[..4].SequenceEqual("PAR1"u8);

    /// <summary>True when the bytes are a dataset the run converts to CSV bytes before publishing it (Parquet or Stata .dta).</summary>
    public static bool IsBinaryDataset(ReadOnlySpan<byte> bytes) => IsParquetBytes(bytes) || DtaReader.Looks(bytes);

    /// <summary>Reads a CSV, Parquet or Stata (.dta, format 117–119: <see cref="DtaReader"/>) dataset; a CSV's encoding is detected (<see cref="TextDecoding"/>) or forced by <paramref name="encoding"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="encoding">A canonical encoding name (<see cref="TextDecoding.Canonical"/>) for a CSV file, or null to detect it.</param>
    /// <exception cref="InputException">Missing file, a directory, bytes in no known encoding, a bad cell, a column of a type a dataset cannot hold.</exception>
    public static DataFrame Read(string path, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new InputException($"data file '{path}' is a directory, not a CSV or Parquet file");
        if (!File.Exists(path)) throw new InputException($"data file '{path}' does not exist");
        string kind = YearbookReader.Sniff(path);
        RefuseWorkbook(kind, path);
        if (kind == "dta") return DtaReader.Read(path);
        if (IsParquet(path)) return Task.Run(() => ReadParquetAsync(path)).GetAwaiter().GetResult();
        var frame = CsvReader.ReadFile(path, encoding);
        ReturnFileBytes(new FileInfo(path).Length);
        return frame;
    }

    /// <summary>Files from this size on have their bytes returned to the system right after parsing.</summary>
    private const long LargeFile = 32L << 20;

    /// <summary>
    /// A CSV file is parsed from its whole bytes, which are garbage once the columns are built, but they sit in the
    /// large-object heap until a full collection, and a command that goes on to fit (demeaned copies, factor codes) may
    /// reach its peak before one comes: for a large file one blocking full collection here returns them first. On the
    /// 1,000,000-row benchmark this lowers `de estimate`'s peak memory by about the file's size.
    /// </summary>
    private static void ReturnFileBytes(long length)
    {
        if (length >= LargeFile) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    /// <summary>Reads a dataset from bytes already in memory (the run hashes and parses the same bytes); a CSV's encoding as in <see cref="Read(string, string?)"/>.</summary>
    public static async Task<DataFrame> ReadAsync(byte[] bytes, string path, string? encoding = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string kind = YearbookReader.Sniff(bytes.AsSpan(0, Math.Min(4, bytes.Length)));
        RefuseWorkbook(kind, path);
        if (kind == "dta") return DtaReader.Read(bytes, System.IO.Path.GetFileName(path));
        if (IsParquetBytes(bytes))
        {
            await using var table = await ParquetTable.OpenAsync(new MemoryStream(bytes, writable: false), path, ct).ConfigureAwait(false);
            return await ToFrameAsync(table, path, ct).ConfigureAwait(false);
        }
        return CsvReader.Read(bytes, path, encoding);
    }

    /// <summary>
    /// An Excel workbook given where a dataset belongs is refused by name: read as CSV its zipped bytes would
    /// give a misleading message about columns. A workbook's table sits under a title row, with merged cells
    /// and footnotes, so it comes in through a column map (<c>de ingest</c>), not as it is.
    /// </summary>
    /// <exception cref="InputException">The file is an Excel workbook.</exception>
    public static void RefuseWorkbook(string kind, string path)
    {
        if (kind is "xlsx" or "xls")
            throw new InputException($"{System.IO.Path.GetFileName(path)} is an Excel workbook (.{kind}), not CSV or Parquet; bring its table in with 'de ingest NAME {System.IO.Path.GetFileName(path)} --map MAP.yaml' (docs/datasets.md) and use the version's data.csv ('de dataset path NAME'), or save the sheet as CSV");
    }

    /// <summary>Reads a Parquet dataset into a frame.</summary>
    public static async Task<DataFrame> ReadParquetAsync(string path, CancellationToken ct = default)
    {
        await using var table = await ParquetTable.OpenAsync(path, ct).ConfigureAwait(false);
        return await ToFrameAsync(table, path, ct).ConfigureAwait(false);
    }

    private static async Task<DataFrame> ToFrameAsync(ParquetTable table, string path, CancellationToken ct)
    {
        string source = System.IO.Path.GetFileName(path);
        foreach (var c in table.Columns)
            if (c.Refusal is not null || c.Type.StartsWith("LIST", StringComparison.Ordinal))
                throw new InputException($"{source}: column '{c.Name}' is {c.Type}; a dataset column must hold numbers or text");
        int n = checked((int)table.RowCount);
        var raw = table.Columns.Select(_ => new object?[n]).ToArray();
        int at = 0;
        for (int g = 0; g < table.RowGroupCount; g++)
        {
            var cols = await table.ReadRowGroupAsync(g, ct).ConfigureAwait(false);
            for (int c = 0; c < cols.Length; c++) cols[c].CopyTo(raw[c], at);
            at += cols.Length == 0 ? 0 : cols[0].Length;
        }
        var columns = new List<Column>();
        for (int c = 0; c < raw.Length; c++)
        {
            string name2 = table.Columns[c].Name;
            if (raw[c].All(v => v is null or sbyte or short or int or long or byte or ushort or uint or ulong or float or double or Half or decimal or bool))
            {
                var values = new double[n];
                for (int i = 0; i < n; i++)
                {
                    values[i] = raw[c][i] switch
                    {
                        null => double.NaN,
                        bool b => b ? 1 : 0,
                        Half h => (double)h,
                        var v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
                    };
                    if (raw[c][i] is not null && !double.IsFinite(values[i]))
                        throw new InputException($"{source}: row {i + 1}, column '{name2}': non-finite value {table.Text(raw[c][i], c)} (NaN and infinities are not data; write NULL for a missing value)");
                }
                columns.Add(Column.Numeric(name2, values));
            }
            else
            {
                columns.Add(Column.Text(name2, [.. raw[c].Select(v => table.Text(v, c))]));
            }
        }
        return new DataFrame(columns, source);
    }
}
