using System.Globalization;
using System.Text;

namespace DigitalEconomy.Reporting.Report;

/// <summary>
/// The display width of text in character cells, as terminals and monospaced layouts count it (Unicode
/// UAX #11, East Asian Width): wide and fullwidth characters (Chinese, Japanese, Korean ideographs and
/// syllables, fullwidth forms such as "（" and "："; the CJK punctuation block) take two cells, combining
/// marks and zero-width characters none, every other character one.
/// </summary>
public static class TextWidth
{
    /// <summary>The number of cells <paramref name="text"/> takes; a line break counts as nothing (measure lines one by one).</summary>
    public static int Cells(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int n = 0;
        foreach (var r in text.EnumerateRunes()) n += Cells(r);
        return n;
    }

    /// <summary>The cells of one character: 2 (East Asian Wide or Fullwidth), 0 (combining, zero-width, control) or 1.</summary>
    public static int Cells(Rune r)
    {
        int c = r.Value;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c is 0x200B or 0x200C or 0x200D or 0xFEFF) return 0;
        var cat = Rune.GetUnicodeCategory(r);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) return 0;
        return IsWide(c) ? 2 : 1;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F // Hangul Jamo initials
        or >= 0x2E80 and <= 0x303E // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation (、。「」)
        or >= 0x3041 and <= 0x33FF // Hiragana, Katakana, Bopomofo, Hangul compatibility, Kanbun, CJK strokes, enclosed, compatibility
        or >= 0x3400 and <= 0x4DBF // CJK extension A
        or >= 0x4E00 and <= 0x9FFF // CJK unified ideographs
        or >= 0xA000 and <= 0xA4CF // Yi
        or >= 0xAC00 and <= 0xD7A3 // Hangul syllables
        or >= 0xF900 and <= 0xFAFF // CJK compatibility ideographs
        or >= 0xFE10 and <= 0xFE19 // vertical forms
        or >= 0xFE30 and <= 0xFE6F // CJK compatibility forms, small form variants
        or >= 0xFF00 and <= 0xFF60 // fullwidth forms (（）：，)
        or >= 0xFFE0 and <= 0xFFE6 // fullwidth signs
        or >= 0x20000 and <= 0x2FFFD // CJK extensions B–F
        or >= 0x30000 and <= 0x3FFFD; // CJK extension G
}
