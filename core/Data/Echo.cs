using System.Globalization;
using System.Text;

namespace DigitalEconomy.Core.Data;

/// <summary>Values quoted in one-line messages.</summary>
public static class Echo
{
    /// <summary>
    /// The text with line breaks and other control characters escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>,
    /// <c>\u0085</c>, <c>\u2028</c>…), so a message that quotes a cell, a header or an option stays on one line.
    /// </summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape)) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (NeedsEscape(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
