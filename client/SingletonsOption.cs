using System.CommandLine;
using DigitalEconomy.Core;
using DigitalEconomy.Study;

namespace DigitalEconomy.Client;

/// <summary>
/// <c>--singletons drop|keep</c> of the commands that fit fixed effects (default drop, as reghdfe), with the older
/// <c>--drop-singletons</c> flag kept as an alias of <c>--singletons drop</c> (docs/methods.md, "Singletons").
/// </summary>
internal sealed class SingletonsOption
{
    public Option<string> Rule { get; } = new("--singletons")
    {
        Description = "drop | keep observations alone in a fixed-effect group (default drop: removed iteratively as reghdfe, the count is reported; keep as xtreg/plm/fixest's default)",
        DefaultValueFactory = _ => "drop",
    };

    /// <summary>The flag of earlier versions; it asks for what is now the default.</summary>
    public Option<bool> Alias { get; } = new("--drop-singletons") { Description = "same as --singletons drop (the default)", Hidden = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Rule);
        command.Options.Add(Alias);
    }

    /// <summary>True to drop singletons.</summary>
    /// <exception cref="InputException">A value other than drop or keep, or <c>--drop-singletons</c> with <c>--singletons keep</c>.</exception>
    public bool Drop(ParseResult p)
    {
        bool drop = Parse(p.GetValue(Rule)!, "--singletons");
        if (p.GetValue(Alias) && !drop) throw new InputException("--drop-singletons contradicts --singletons keep: give one of them");
        return drop;
    }

    /// <summary>Parses drop or keep (case-insensitive); see <see cref="SingletonRule.Parse"/>.</summary>
    public static bool Parse(string text, string where) => SingletonRule.Parse(text, where);
}
