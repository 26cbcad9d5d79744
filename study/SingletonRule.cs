using DigitalEconomy.Core;

namespace DigitalEconomy.Study;

/// <summary>The singleton rule as written in a study (<c>singletons:</c>) or on the command line (<c>--singletons</c>).</summary>
public static class SingletonRule
{
    /// <summary>Parses drop or keep (case-insensitive); <paramref name="where"/> names the option or study key in the message.</summary>
    public static bool Parse(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "drop" => true,
        "keep" => false,
        _ => throw new InputException($"{where} '{text}': expected drop (remove observations alone in a fixed-effect group, iteratively as reghdfe) or keep"),
    };
}
