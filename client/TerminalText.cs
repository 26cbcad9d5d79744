using DigitalEconomy.Reporting.Report;

namespace DigitalEconomy.Client;

/// <summary>
/// Padding and cutting for the terminal's tables by display width (reporting's <see cref="TextWidth"/>): a Chinese
/// character takes two cells, so padding by string length would push every later column of its row right.
/// </summary>
internal static class TerminalText
{
    /// <summary>The cells <paramref name="s"/> takes on a terminal.</summary>
    public static int Width(string s) => TextWidth.Cells(s);

    /// <summary><paramref name="s"/> followed by spaces up to <paramref name="cells"/> cells (unchanged when as wide or wider).</summary>
    public static string PadRight(string s, int cells) => s + new string(' ', Math.Max(0, cells - Width(s)));

    /// <summary>Spaces, then <paramref name="s"/>, up to <paramref name="cells"/> cells.</summary>
    public static string PadLeft(string s, int cells) => new string(' ', Math.Max(0, cells - Width(s))) + s;

    /// <summary><paramref name="s"/> when it fits in <paramref name="cells"/>; else as many whole characters as fit with "…" (one cell) after them.</summary>
    public static string Cut(string s, int cells)
    {
        if (Width(s) <= cells) return s;
        var sb = new System.Text.StringBuilder();
        int used = 0;
        foreach (var r in s.EnumerateRunes())
        {
            int w = TextWidth.Cells(r);
            if (used + w > cells - 1) break;
            sb.Append(r.ToString());
            used += w;
        }
        return sb.Append('…').ToString();
    }
}
