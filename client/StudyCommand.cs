using System.CommandLine;

namespace DigitalEconomy.Client;

/// <summary>`de study schema`: prints docs/study.schema.json (embedded at build), for editors validating studies kept outside this repository.</summary>
internal static class StudyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var schema = new Command("schema", "Print the JSON Schema (draft-07) of the study file; see docs/studies.md, 'Editing with a schema'");
        schema.SetAction(_ => Cli.Guard(stderr, () =>
        {
            using var s = typeof(StudyCommand).Assembly.GetManifestResourceStream("study.schema.json")
                ?? throw new InvalidOperationException("the schema is not embedded in this build");
            using var r = new StreamReader(s);
            stdout.Write(r.ReadToEnd());
            return 0;
        }));
        return new Command("study", "Study files: their schema") { schema };
    }
}
