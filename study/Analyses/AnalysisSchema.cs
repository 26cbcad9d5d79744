using System.Text;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// One definition of docs/study.schema.json that an analysis type contributes: its name under <c>definitions</c> and its JSON
/// text as the file prints it (without indentation or trailing comma). A definition several types name (the keys they share)
/// is written once, where it first appears.
/// </summary>
/// <param name="Name">The definition's name; <c>analysis_KIND</c> is the branch of that kind.</param>
/// <param name="Json">Its JSON text (a property of the <c>definitions</c> object), lines unindented.</param>
/// <param name="Spaced">A blank line before it (it opens a new group of definitions).</param>
internal sealed record SchemaDefinition(string Name, string Json, bool Spaced = false);

/// <summary>
/// Generates the analyses' part of docs/study.schema.json from the registered types (<see cref="AnalysisTypes"/>): the
/// <c>analysis</c> definition (its <c>type</c> enum and one <c>oneOf</c> branch per kind) and every type's definitions in
/// registration order. The rest of the file (dataset, grid, baseline, column …) stays written by hand above them; the
/// schema is kept committed and a test checks that it is current (tests/DigitalEconomy.Client.Tests/StudySchemaGenerationTests.cs,
/// which also rewrites it when DE_WRITE_SCHEMA=1).
/// </summary>
internal static class AnalysisSchema
{
    /// <summary>The keys every analysis type shares: name, title, show_controls, key_terms and table.</summary>
    public static readonly SchemaDefinition Common = new("analysis_common", """
        "analysis_name": { "description": "Names the analysis's tables (tables/NAME.md …); letters, digits, - and _; default: the type; unique.", "type": "string", "pattern": "^[^\\u0000-\\u002c\\u002e\\u002f\\u003a-\\u0040\\u005b-\\u005e\\u0060\\u007b-\\u007f]+$" },
        "analysis_title": { "description": "The table caption (default by type and language).", "allOf": [{ "$ref": "#/definitions/text_value" }] },
        "show_controls": { "description": "Every control gets a row (default true for regressions, else false), or one Controls YES/NO row.", "allOf": [{ "$ref": "#/definitions/flag" }] },
        "key_terms": { "description": "The regressors that get rows (the others collapse into Controls).", "allOf": [{ "$ref": "#/definitions/terms" }] },
        "analysis_table": {
          "description": "Print this analysis's table together with the other analyses naming the same table: one table, tables/<name>.*, their columns side by side in the study's order under their spanning headers; a name, or { name, title } (the title defaults to the first analysis's).",
          "oneOf": [
            { "$ref": "#/definitions/analysis_name" },
            { "type": "object", "additionalProperties": false, "required": ["name"], "properties": { "name": { "$ref": "#/definitions/analysis_name" }, "title": { "$ref": "#/definitions/analysis_title" } } }
          ]
        }
        """);

    /// <summary>The keys the regional-gap types share: by, groups, sample.</summary>
    public static readonly SchemaDefinition Gaps = new("gap_common", """
        "gap_by": { "description": "The grouping column (default: dataset.region); tables.labels labels its values.", "type": "string", "minLength": 1 },
        "gap_groups": { "description": "The values of by kept (other rows are left out), in table and chart order, each once (default: every value, ordered by name).", "type": "array", "items": { "$ref": "#/definitions/text_value" }, "minItems": 1, "uniqueItems": true },
        "gap_sample": { "description": "The rows used: a filter, or null (or all) for every row (default: the baseline's sample).", "allOf": [{ "$ref": "#/definitions/filter" }] }
        """, Spaced: true);

    /// <summary>The branch of a type that says nothing of its keys: an object whose type is the kind.</summary>
    public static SchemaDefinition Minimal(string kind) => new($"analysis_{kind}",
        $$"""
        "analysis_{{kind}}": {
          "description": "{{kind}}",
          "type": "object", "required": ["type"],
          "properties": { "type": { "description": "{{kind}}", "enum": ["{{kind}}"] } }
        }
        """);

    private const string Marker = "\n    \"analysis\": {\n";

    /// <summary>
    /// The schema with its analyses' part generated: <paramref name="current"/> (the committed file) up to its
    /// <c>"analysis"</c> definition, then that definition and every registered type's definitions, closing the file.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file has no <c>"analysis"</c> definition where the analyses' part starts.</exception>
    public static string Generate(string current)
    {
        ArgumentNullException.ThrowIfNull(current);
        int at = current.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("docs/study.schema.json: no line '    \"analysis\": {' where the generated analyses' part starts");
        var kinds = AnalysisTypes.Kinds.ToList();
        var sb = new StringBuilder(current[..(at + 1)]);
        sb.Append("    \"analysis\": {\n");
        sb.Append("      \"description\": \"A named, typed analysis; type selects its keys.\",\n");
        sb.Append("      \"type\": \"object\",\n");
        sb.Append("      \"required\": [\"type\"],\n");
        sb.Append("      \"properties\": {\n");
        sb.Append("        \"type\": { \"description\": \"The kind of analysis.\", \"type\": \"string\", \"enum\": [").AppendJoin(", ", kinds.Select(k => $"\"{k}\"")).Append("] }\n");
        sb.Append("      },\n");
        sb.Append("      \"oneOf\": [\n");
        sb.AppendJoin(",\n", kinds.Select(k => $"        {{ \"$ref\": \"#/definitions/analysis_{k}\" }}")).Append('\n');
        sb.Append("      ]\n");
        sb.Append("    }");
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in AnalysisTypes.All.SelectMany(t => t.Schema))
        {
            if (!written.Add(d.Name)) continue;
            sb.Append(",\n");
            if (d.Spaced) sb.Append('\n');
            foreach (var line in d.Json.ReplaceLineEndings("\n").Split('\n')) sb.Append(line.Length > 0 ? "    " + line : "").Append('\n');
            sb.Length--;
        }
        return sb.Append("\n  }\n}\n").ToString();
    }
}
