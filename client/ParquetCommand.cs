using System.CommandLine;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Store;
using Parquet;
using Parquet.Schema;

namespace DigitalEconomy.Client;

/// <summary>`de parquet schema|head|from-csv|to-csv`: look into and convert Parquet files.</summary>
internal static class ParquetCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cmd = new Command("parquet", "Inspect and convert Parquet files (the format of every result of this system)");

        var file = new Argument<string>("file") { Description = "a .parquet file" };
        var schema = new Command("schema", "Columns, types, row groups, codecs, encodings and statistics") { file };
        schema.SetAction(p => Guard(stderr, async () =>
        {
            await using var t = await ParquetTable.OpenAsync(Existing(p.GetValue(file)!));
            stdout.WriteLine($"{p.GetValue(file)}: {t.RowCount} rows, {t.RowGroupCount} row group(s), created by {t.CreatedBy ?? "(unknown)"}");
            stdout.WriteLine("columns:");
            foreach (var c in t.Columns) stdout.WriteLine($"  {c.Name}: {c.Type}{(c.Nullable ? "" : " NOT NULL")}{(c.Refusal is null ? "" : "  (not shown by head/to-csv)")}");
            foreach (var (k, v) in t.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) stdout.WriteLine($"metadata {k} = {(v.Length > 200 ? v[..200] + "…" : v)}");
            stdout.WriteLine($"{"rg",3} {"column",-20} {"codec",-12} {"encodings",-28} {"values",9} {"bytes",10} {"nulls",7}  min .. max");
            foreach (var c in t.Describe())
                stdout.WriteLine($"{c.RowGroup,3} {c.Column,-20} {c.Codec,-12} {string.Join(",", c.Encodings),-28} {c.Values,9} {c.CompressedSize,10} {c.NullCount?.ToString(Inv) ?? "-",7}  {c.Min ?? "-"} .. {c.Max ?? "-"}");
            return 0;
        }));

        var headFile = new Argument<string>("file") { Description = "a .parquet file" };
        var n = new Option<int>("-n") { Description = "rows to show", DefaultValueFactory = _ => 10 };
        var head = new Command("head", "Print the first rows (NULL as null, lists as JSON)") { headFile, n };
        head.SetAction(p => Guard(stderr, async () =>
        {
            if (p.GetValue(n) < 0) throw new InputException($"-n {p.GetValue(n)}: expected a number of rows, 0 or more");
            await using var t = await ParquetTable.OpenAsync(Existing(p.GetValue(headFile)!));
            t.EnsureShowable();
            int rows = (int)Math.Min(p.GetValue(n), t.RowCount);
            int group = 0, taken = 0;
            var lines = new List<string[]>();
            while (taken < rows && group < t.RowGroupCount)
            {
                var cols = await t.ReadRowGroupAsync(group++);
                for (int i = 0; cols.Length > 0 && i < cols[0].Length && taken < rows; i++, taken++) lines.Add(cols.Select((c, j) => t.Text(c[i], j) ?? "null").ToArray());
            }
            var names = t.Columns.Select(f => f.Name).ToArray();
            // Widths in terminal cells (a Chinese character takes two), so that columns after Chinese text stay aligned.
            var width = names.Select((nm, c) => Math.Min(40, Math.Max(TerminalText.Width(nm), lines.Select(l => TerminalText.Width(l[c])).DefaultIfEmpty(0).Max()))).ToArray();
            stdout.WriteLine(string.Join("  ", names.Select((nm, c) => TerminalText.PadRight(nm, width[c]))));
            foreach (var l in lines) stdout.WriteLine(string.Join("  ", l.Select((v, c) => TerminalText.PadRight(TerminalText.Cut(v, 40), width[c]))));
            return 0;
        }));

        var csvIn = new Argument<string>("input") { Description = "CSV file (header row, UTF-8; empty cell = null)" };
        var pqOut = new Argument<string>("output") { Description = "Parquet file to write" };
        var codec = new Option<string>("--codec") { Description = "snappy | gzip | zstd | none", DefaultValueFactory = _ => "snappy" };
        var fromCsv = new Command("from-csv", "Convert CSV to Parquet; column types inferred as int64, double or string") { csvIn, pqOut, codec };
        fromCsv.SetAction(p => Guard(stderr, async () =>
        {
            var compression = p.GetValue(codec)!.ToLowerInvariant() switch
            {
                "snappy" => CompressionMethod.Snappy,
                "gzip" => CompressionMethod.Gzip,
                "zstd" => CompressionMethod.Zstd,
                "none" or "uncompressed" => CompressionMethod.None,
                var c => throw new InputException($"--codec '{c}': expected snappy, gzip, zstd or none"),
            };
            string input = Existing(p.GetValue(csvIn)!);
            DatasetFile.RefuseWorkbook(YearbookReader.Sniff(input), input);
            OutputPaths.NotAnInput(p.GetValue(pqOut)!, "output", (input, "CSV"));
            // Decoded strictly (UTF-8, else GB18030 with a note, else refused), never into U+FFFD strings written to Parquet.
            var (text, encoding) = TextDecoding.Decode(File.ReadAllBytes(input), Path.GetFileName(input));
            if (encoding.Note(input) is { } decoded) stderr.WriteLine($"note: {decoded}");
            var (header, rows) = CsvReader.ReadRaw(new StringReader(text), Path.GetFileName(input));
            var types = header.Select((_, c) => Infer(rows, c)).ToArray();
            // A column without a single value has no type to infer: string, the type that holds any later value.
            var empty = header.Where((_, c) => rows.All(r => r.Cells[c].Length == 0)).ToList();
            if (empty.Count > 0)
                stderr.WriteLine($"note: {(empty.Count == header.Count ? "every column" : string.Join(", ", empty))} has no values{(rows.Count == 0 ? " (the file has only a header)" : "")}; written as string");
            DataField[] fields = [.. header.Select((h, c) => types[c] switch
            {
                "int64" => (DataField)new DataField<long>(h, true),
                "double" => new DataField<double>(h, true),
                _ => new DataField<string>(h, true),
            })];
            await AtomicFile.WriteAsync(p.GetValue(pqOut)!, async s =>
            {
                var options = ParquetFormat.Writer();
                options.CompressionMethod = compression;
                await using var w = await ParquetWriter.CreateAsync(new ParquetSchema(fields), s, options);
                for (int start = 0; start == 0 || start < rows.Count; start += TableSchema<int>.RowGroupRows)
                {
                    int count = Math.Min(TableSchema<int>.RowGroupRows, rows.Count - start);
                    using var rg = w.CreateRowGroup();
                    for (int c = 0; c < fields.Length; c++)
                    {
                        var cells = rows.Skip(start).Take(count).Select(r => r.Cells[c]).ToList();
                        switch (types[c])
                        {
                            case "int64": await rg.WriteAsync(fields[c], (ReadOnlyMemory<long?>)cells.Select(t => t.Length == 0 ? (long?)null : long.Parse(t, NumberStyles.Integer, Inv)).ToArray()); break;
                            case "double": await rg.WriteAsync(fields[c], (ReadOnlyMemory<double?>)cells.Select(t => t.Length == 0 ? (double?)null : ParseDouble(t)).ToArray()); break;
                            default: await rg.WriteAsync(fields[c], cells.Select(t => t.Length == 0 ? null : t).ToList()); break;
                        }
                    }
                }
            });
            stdout.WriteLine($"wrote {rows.Count} rows × {fields.Length} columns to {p.GetValue(pqOut)} ({string.Join(", ", header.Select((h, c) => $"{h}: {types[c]}"))})");
            return 0;
        }));

        var pqIn = new Argument<string>("input") { Description = "a .parquet file" };
        var csvOut = new Argument<string>("output") { Description = "CSV file to write" };
        var toCsv = new Command("to-csv", "Convert Parquet to CSV (doubles in shortest round-trip form, DECIMAL with its scale, lists as JSON, null = empty cell)") { pqIn, csvOut };
        toCsv.SetAction(p => Guard(stderr, async () =>
        {
            OutputPaths.NotAnInput(p.GetValue(csvOut)!, "output", (Existing(p.GetValue(pqIn)!), "Parquet file"));
            await using var t = await ParquetTable.OpenAsync(Existing(p.GetValue(pqIn)!));
            t.EnsureShowable();
            await AtomicFile.WriteAsync(p.GetValue(csvOut)!, async s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                w.NewLine = "\n";
                w.WriteLine(string.Join(",", t.Columns.Select(f => Quote(f.Name))));
                for (int g = 0; g < t.RowGroupCount; g++)
                {
                    var cols = await t.ReadRowGroupAsync(g);
                    for (int i = 0; cols.Length > 0 && i < cols[0].Length; i++) w.WriteLine(string.Join(",", cols.Select((c, j) => Quote(t.Text(c[i], j) ?? ""))));
                }
            });
            stdout.WriteLine($"wrote {t.RowCount} rows to {p.GetValue(csvOut)}");
            return 0;
        }));

        cmd.Subcommands.Add(schema);
        cmd.Subcommands.Add(head);
        cmd.Subcommands.Add(fromCsv);
        cmd.Subcommands.Add(toCsv);
        return cmd;
    }

    private static int Guard(TextWriter stderr, Func<Task<int>> action) => Cli.Guard(stderr, () => action().GetAwaiter().GetResult());

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new InputException(Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"file '{path}' does not exist");

    private static string Infer(IReadOnlyList<(int Line, string[] Cells)> rows, int c)
    {
        bool allLong = true, allDouble = true, any = false;
        foreach (var (_, cells) in rows)
        {
            var t = cells[c];
            if (t.Length == 0) continue;
            any = true;
            if (allLong && !long.TryParse(t, NumberStyles.AllowLeadingSign, Inv, out _)) allLong = false;
            if (!allLong && !TryDouble(t, out _)) { allDouble = false; break; }
        }
        if (!any) return "string";
        return allLong ? "int64" : allDouble ? "double" : "string";
    }

    private static bool TryDouble(string t, out double v)
    {
        switch (t)
        {
            case "NaN": v = double.NaN; return true;
            case "Inf" or "inf" or "Infinity": v = double.PositiveInfinity; return true;
            case "-Inf" or "-inf" or "-Infinity": v = double.NegativeInfinity; return true;
        }
        return double.TryParse(t, NumberStyles.Float, Inv, out v);
    }

    private static double ParseDouble(string t) => TryDouble(t, out double v) ? v : throw new InputException($"'{t}' is not a number");

    private static string Quote(string s) => CsvWriter.Field(s);
}
