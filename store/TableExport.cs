using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using Parquet;
using Parquet.Schema;

namespace DigitalEconomy.Store;

/// <summary>What an export wrote: the file, its format, and the columns a Stata file had to rename.</summary>
public sealed record ExportResult(string Path, string Format, int Rows, int Columns, IReadOnlyList<DtaRename> Renamed);

/// <summary>
/// Writes a table (a dataset version, a run's <c>dataset.csv</c>, a query's result) as CSV, Parquet, Stata .dta or Excel
/// .xlsx, chosen by the output file's extension; every file through <see cref="AtomicFile"/>, so a failed write leaves no
/// half file. The caller decides whether the path may be written (named by the user, not an input, <c>--force</c> to replace).
/// </summary>
public static class TableExport
{
    /// <summary>The formats by extension, as named in messages.</summary>
    public const string Choices = ".csv, .parquet, .dta (Stata 14+) or .xlsx";

    /// <summary>The format of an output path by its extension: csv, parquet, dta or xlsx.</summary>
    /// <exception cref="InputException">Another extension; the message names <paramref name="option"/>.</exception>
    public static string FormatOf(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => "csv",
            ".parquet" => "parquet",
            ".dta" => "dta",
            ".xlsx" => "xlsx",
            var e => throw new InputException($"{option} '{path}': expected a file ending in {Choices}{(e.Length == 0 ? "" : $", not {e}")}"),
        };
    }

    /// <summary>Writes <paramref name="frame"/> to <paramref name="path"/> in the format of its extension.</summary>
    /// <exception cref="InputException">An unknown extension, or a table the format cannot hold.</exception>
    public static ExportResult Write(DataFrame frame, string path, string option = "--out")
    {
        ArgumentNullException.ThrowIfNull(frame);
        string format = FormatOf(path, option);
        IReadOnlyList<DtaRename> renamed = [];
        switch (format)
        {
            case "csv":
                AtomicFile.Write(path, s => s.Write(CsvWriter.ToBytes(frame)));
                break;
            case "dta":
                var (bytes, r) = DtaWriter.Write(frame);
                renamed = r;
                AtomicFile.Write(path, s => s.Write(bytes));
                break;
            case "xlsx":
                var book = XlsxWriter.Write(frame);
                AtomicFile.Write(path, s => s.Write(book));
                break;
            default:
                AtomicFile.WriteAsync(path, s => WriteParquetAsync(frame, s)).GetAwaiter().GetResult();
                break;
        }
        return new ExportResult(path, format, frame.RowCount, frame.Columns.Count, renamed);
    }

    /// <summary>
    /// A query's result as a frame: a column whose values are all numbers (integers, floating point, decimals; booleans as
    /// 1/0) is numeric (a null is missing; integers beyond ±2^53 lose digits as doubles do), any other is text as
    /// <c>de query --csv</c> prints it (<see cref="ResultQuery.Text"/>). A column name given twice (SELECT a, a) gets a suffix
    /// _2, _3… (a table cannot hold two columns of one name).
    /// </summary>
    public static DataFrame FromQuery(QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<Column>(result.Columns.Count);
        for (int j = 0; j < result.Columns.Count; j++)
        {
            string name = result.Columns[j];
            for (int i = 2; !used.Add(name); i++) name = result.Columns[j] + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var cells = result.Rows.Select(r => r[j] is DBNull ? null : r[j]).ToList();
            if (cells.All(v => v is null or sbyte or short or int or long or byte or ushort or uint or ulong or float or double or decimal or bool or System.Numerics.BigInteger))
                columns.Add(Column.Numeric(name, [.. cells.Select(v => v switch
                {
                    null => double.NaN,
                    bool b => b ? 1 : 0,
                    System.Numerics.BigInteger big => (double)big,
                    _ => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
                })]));
            else columns.Add(Column.Text(name, [.. cells.Select(ResultQuery.Text)]));
        }
        return new DataFrame(columns, "query");
    }

    /// <summary>
    /// Parquet: a numeric column whose values are all whole numbers (within ±2^53, where doubles are exact) as nullable INT64,
    /// any other as nullable DOUBLE (NaN written as null); text as nullable UTF-8 strings. One row group per
    /// <see cref="TableSchema{T}.RowGroupRows"/> rows, the system's fixed writer options (<see cref="ParquetFormat.Writer"/>).
    /// </summary>
    private static async Task WriteParquetAsync(DataFrame frame, Stream stream)
    {
        var whole = frame.Columns.Select(c => c.Values is { } v && v.All(x => double.IsNaN(x) || (Math.Abs(x) <= 9007199254740992 && x == Math.Floor(x)))).ToArray();
        DataField[] fields = [.. frame.Columns.Select((c, j) => c.Texts is not null ? new DataField<string>(c.Name, true)
            : whole[j] ? (DataField)new DataField<long>(c.Name, true) : new DataField<double>(c.Name, true))];
        await using var w = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, ParquetFormat.Writer()).ConfigureAwait(false);
        for (int start = 0; start == 0 || start < frame.RowCount; start += TableSchema<int>.RowGroupRows)
        {
            int count = Math.Min(TableSchema<int>.RowGroupRows, frame.RowCount - start);
            using var rg = w.CreateRowGroup();
            for (int j = 0; j < fields.Length; j++)
            {
                var c = frame.Columns[j];
                if (c.Texts is { } t) await rg.WriteAsync(fields[j], t.Skip(start).Take(count).ToList()).ConfigureAwait(false);
                else if (whole[j]) await rg.WriteAsync(fields[j], (ReadOnlyMemory<long?>)c.Values!.Skip(start).Take(count).Select(x => double.IsNaN(x) ? (long?)null : (long)x).ToArray()).ConfigureAwait(false);
                else await rg.WriteAsync(fields[j], (ReadOnlyMemory<double?>)c.Values!.Skip(start).Take(count).Select(x => double.IsNaN(x) ? (double?)null : x).ToArray()).ConfigureAwait(false);
            }
        }
    }
}
