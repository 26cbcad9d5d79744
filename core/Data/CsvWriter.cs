using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// The one CSV writer (RFC 4180): fields with a comma, quote, CR or LF are quoted and quotes doubled;
/// numbers in shortest round-trip form; rows end with LF. Writing the same frame gives the same bytes.
/// </summary>
public static class CsvWriter
{
    /// <summary>A field, quoted when needed.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A number in shortest round-trip form (empty for NaN, the missing value).</summary>
    public static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes one row.</summary>
    public static void Row(TextWriter writer, IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fields);
        bool first = true;
        foreach (var f in fields)
        {
            if (!first) writer.Write(',');
            writer.Write(Field(f));
            first = false;
        }
        writer.Write('\n');
    }

    /// <summary>Writes a frame with its header; cells as <see cref="Column.TextAt"/> gives them (missing = empty).</summary>
    public static void Write(TextWriter writer, DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Row(writer, frame.Columns.Select(c => c.Name));
        var fields = new string?[frame.Columns.Count];
        for (int i = 0; i < frame.RowCount; i++)
        {
            for (int j = 0; j < fields.Length; j++) fields[j] = frame.Columns[j].TextAt(i);
            Row(writer, fields);
        }
    }

    /// <summary>A frame as UTF-8 CSV bytes (no byte-order mark).</summary>
    public static byte[] ToBytes(DataFrame frame)
    {
        using var ms = new MemoryStream();
        using (var w = new StreamWriter(ms, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true)) Write(w, frame);
        return ms.ToArray();
    }
}
