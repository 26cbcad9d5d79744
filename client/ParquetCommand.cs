using System.CommandLine;
using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Parquet;

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
        schema.SetAction(p => Guard(stderr, () =>
        {
            using var r = ParquetReader.Open(Existing(p.GetValue(file)!));
            stdout.WriteLine($"{p.GetValue(file)}: {r.RowCount} rows, {r.RowGroupCount} row group(s), created by {r.CreatedBy ?? "(unknown)"}");
            stdout.WriteLine("columns:");
            foreach (var f in r.Schema.Fields) stdout.WriteLine($"  {f.Name}: {f.Type.ToString().ToUpperInvariant()}{(f.Nullable ? "" : " NOT NULL")}");
            foreach (var (k, v) in r.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) stdout.WriteLine($"metadata {k} = {(v.Length > 200 ? v[..200] + "…" : v)}");
            stdout.WriteLine($"{"rg",3} {"column",-20} {"codec",-12} {"encodings",-28} {"values",9} {"bytes",10} {"nulls",7}  min .. max");
            foreach (var c in r.Describe())
                stdout.WriteLine($"{c.RowGroup,3} {c.Column,-20} {c.Codec,-12} {string.Join(",", c.Encodings),-28} {c.Values,9} {c.CompressedSize,10} {c.NullCount?.ToString(Inv) ?? "-",7}  {c.Min ?? "-"} .. {c.Max ?? "-"}");
            return 0;
        }));

        var headFile = new Argument<string>("file") { Description = "a .parquet file" };
        var n = new Option<int>("-n") { Description = "rows to show", DefaultValueFactory = _ => 10 };
        var head = new Command("head", "Print the first rows") { headFile, n };
        head.SetAction(p => Guard(stderr, () =>
        {
            if (p.GetValue(n) < 0) throw new InputException($"-n {p.GetValue(n)}: expected a number of rows, 0 or more");
            using var r = ParquetReader.Open(Existing(p.GetValue(headFile)!));
            int rows = (int)Math.Min(p.GetValue(n), r.RowCount);
            var cols = new List<ParquetColumn>();
            int group = 0, taken = 0;
            var lines = new List<string[]>();
            while (taken < rows && group < r.RowGroupCount)
            {
                cols = [.. r.ReadRowGroup(group++)];
                for (int i = 0; i < cols[0].Count && taken < rows; i++, taken++) lines.Add(cols.Select(c => Format(c, i) ?? "null").ToArray());
            }
            var names = r.Schema.Fields.Select(f => f.Name).ToArray();
            var width = names.Select((nm, c) => Math.Min(40, Math.Max(nm.Length, lines.Select(l => l[c].Length).DefaultIfEmpty(0).Max()))).ToArray();
            stdout.WriteLine(string.Join("  ", names.Select((nm, c) => nm.PadRight(width[c]))));
            foreach (var l in lines) stdout.WriteLine(string.Join("  ", l.Select((v, c) => (v.Length > 40 ? v[..39] + "…" : v).PadRight(width[c]))));
            return 0;
        }));

        var csvIn = new Argument<string>("input") { Description = "CSV file (header row, UTF-8; empty cell = null)" };
        var pqOut = new Argument<string>("output") { Description = "Parquet file to write" };
        var codec = new Option<string>("--codec") { Description = "snappy | gzip | none", DefaultValueFactory = _ => "snappy" };
        var fromCsv = new Command("from-csv", "Convert CSV to Parquet; column types inferred as int64, double or string") { csvIn, pqOut, codec };
        fromCsv.SetAction(p => Guard(stderr, () =>
        {
            var compression = p.GetValue(codec)!.ToLowerInvariant() switch
            {
                "snappy" => ParquetCompression.Snappy,
                "gzip" => ParquetCompression.Gzip,
                "none" or "uncompressed" => ParquetCompression.None,
                var c => throw new InputException($"--codec '{c}': expected snappy, gzip or none"),
            };
            string input = Existing(p.GetValue(csvIn)!);
            OutputPaths.NotAnInput(p.GetValue(pqOut)!, "output", (input, "CSV"));
            using var reader = new StreamReader(input, Encoding.UTF8, true);
            var (header, rows) = CsvReader.ReadRaw(reader, Path.GetFileName(input));
            var types = header.Select((_, c) => Infer(rows, c)).ToArray();
            // A column without a single value has no type to infer: string, the type that holds any later value.
            var empty = header.Where((_, c) => rows.All(r => r.Cells[c].Length == 0)).ToList();
            if (empty.Count > 0)
                stderr.WriteLine($"note: {(empty.Count == header.Count ? "every column" : string.Join(", ", empty))} has no values{(rows.Count == 0 ? " (the file has only a header)" : "")}; written as string");
            var fields = header.Select((h, c) => new ParquetField(h, types[c], true)).ToArray();
            long count = 0;
            AtomicFile.Write(p.GetValue(pqOut)!, s =>
            {
                using var w = ParquetWriter.Create(new ParquetSchema(fields), s, new ParquetOptions { Compression = compression });
                foreach (var (_, cells) in rows)
                {
                    for (int c = 0; c < cells.Length; c++)
                    {
                        var t = cells[c];
                        if (t.Length == 0) { w.SetNull(c); continue; }
                        switch (types[c])
                        {
                            case ParquetType.Int64: w.SetInt64(c, long.Parse(t, NumberStyles.Integer, Inv)); break;
                            case ParquetType.Double: w.SetDouble(c, ParseDouble(t)); break;
                            default: w.SetString(c, t); break;
                        }
                    }
                    w.EndRow();
                    count++;
                }
            });
            stdout.WriteLine($"wrote {count} rows × {fields.Length} columns to {p.GetValue(pqOut)} ({string.Join(", ", fields.Select(f => $"{f.Name}: {f.Type.ToString().ToLowerInvariant()}"))})");
            return 0;
        }));

        var pqIn = new Argument<string>("input") { Description = "a .parquet file" };
        var csvOut = new Argument<string>("output") { Description = "CSV file to write" };
        var toCsv = new Command("to-csv", "Convert Parquet to CSV (doubles in shortest round-trip form, null = empty cell)") { pqIn, csvOut };
        toCsv.SetAction(p => Guard(stderr, () =>
        {
            OutputPaths.NotAnInput(p.GetValue(csvOut)!, "output", (Existing(p.GetValue(pqIn)!), "Parquet file"));
            using var r = ParquetReader.Open(Existing(p.GetValue(pqIn)!));
            AtomicFile.Write(p.GetValue(csvOut)!, s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                w.NewLine = "\n";
                w.WriteLine(string.Join(",", r.Schema.Fields.Select(f => Quote(f.Name))));
                for (int g = 0; g < r.RowGroupCount; g++)
                {
                    var cols = r.ReadRowGroup(g);
                    for (int i = 0; i < cols[0].Count; i++) w.WriteLine(string.Join(",", cols.Select(c => Quote(Format(c, i) ?? ""))));
                }
            });
            stdout.WriteLine($"wrote {r.RowCount} rows to {p.GetValue(csvOut)}");
            return 0;
        }));

        cmd.Subcommands.Add(schema);
        cmd.Subcommands.Add(head);
        cmd.Subcommands.Add(fromCsv);
        cmd.Subcommands.Add(toCsv);
        return cmd;
    }

    private static int Guard(TextWriter stderr, Func<int> action) => Cli.Guard(stderr, () =>
    {
        try { return action(); }
        catch (ParquetException e) { throw new InputException(e.Message, e); }
    });

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new InputException(Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"file '{path}' does not exist");

    private static ParquetType Infer(IReadOnlyList<(int Line, string[] Cells)> rows, int c)
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
        if (!any) return ParquetType.String;
        return allLong ? ParquetType.Int64 : allDouble ? ParquetType.Double : ParquetType.String;
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

    private static string? Format(ParquetColumn c, int i)
    {
        if (c.IsNull(i)) return null;
        return c.Field.Type switch
        {
            ParquetType.Double => D(c.Doubles![i]),
            ParquetType.Float => float.IsNaN(c.Floats![i]) ? "NaN" : float.IsInfinity(c.Floats[i]) ? (c.Floats[i] > 0 ? "Inf" : "-Inf") : c.Floats[i].ToString("R", Inv),
            ParquetType.Boolean => c.Booleans![i] ? "true" : "false",
            ParquetType.Date => ((DateOnly)c.GetValue(i)!).ToString("yyyy-MM-dd", Inv),
            ParquetType.Timestamp => ((DateTime)c.GetValue(i)!).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", Inv),
            ParquetType.Int32 => c.Int32s![i].ToString(Inv),
            ParquetType.Int64 => c.Int64s![i].ToString(Inv),
            _ => c.Strings![i],
        };
    }

    /// <summary>Shortest text that parses back to the same double (what %.17g guarantees, without the noise).</summary>
    private static string D(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("R", Inv);

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
