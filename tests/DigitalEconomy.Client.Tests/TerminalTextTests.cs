using DigitalEconomy.Client;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>Terminal padding by display width: Chinese characters take two cells (issue 28, point 9).</summary>
public class TerminalTextTests
{
    [Fact]
    public void PadAndCut_CountChineseAsTwoCells()
    {
        // "数字经济" is 8 cells: padding to 10 adds two spaces (not six); "lq_dig" is 6 cells.
        Assert.Equal("数字经济  |", TerminalText.PadRight("数字经济", 10) + "|");
        Assert.Equal("    lq_dig", TerminalText.PadLeft("lq_dig", 10));
        Assert.Equal(8, TerminalText.Width("东部（省）"[..2] + "ab" + "（"));
        // Cut to 6 cells: two characters (4 cells) and "…" (1 cell): a third would need 7.
        Assert.Equal("数字…", TerminalText.Cut("数字经济", 6));
        Assert.Equal("数字经济", TerminalText.Cut("数字经济", 8));
        Assert.Equal("abcde…", TerminalText.Cut("abcdefgh", 6));
    }
}
