using System.Text;
using Xunit;
using DigitalEconomy.Store;

namespace DigitalEconomy.Store.Tests;

/// <summary>
/// Which TeX engine compiles a paper: pdflatex for a document of ASCII characters only (it loads no system fonts), xelatex
/// for anything else (xeCJK for Chinese). The engine is read from the PDF's Producer, which each engine writes itself
/// (pdfTeX: "pdfTeX-…", XeTeX's driver: "xdvipdfmx (…)"); both give the same bytes for the same document in any folder.
/// The test machine has both (scripts/test.sh installs texlive-xetex, which brings texlive-latex-base).
/// </summary>
public class PaperEngineTests
{
    private const string Ascii = "\\documentclass{article}\\begin{document}Table 1: x = 0.123 (0.045)\\end{document}\n";
    private const string Chinese = "\\documentclass{article}\\usepackage{xeCJK}\\setCJKmainfont{Noto Serif CJK SC}\\begin{document}表1 数字经济 0.123\\end{document}\n";

    private static byte[] Compile(string tex)
    {
        var pdf = XeLatex.TryCompile(tex, new Dictionary<string, byte[]>(), TimeSpan.FromMinutes(2), out string? error);
        Assert.True(pdf is not null, error);
        return pdf!;
    }

    /// <summary>The /Producer string, read from the file or, where the engine compressed its objects (xdvipdfmx), from its inflated streams.</summary>
    private static string Producer(byte[] pdf)
    {
        var text = new StringBuilder(Encoding.Latin1.GetString(pdf));
        string raw = text.ToString();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(raw, "stream\r?\n"))
        {
            int start = m.Index + m.Length, end = raw.IndexOf("endstream", start, StringComparison.Ordinal);
            if (end < 0) continue;
            try
            {
                using var z = new System.IO.Compression.ZLibStream(new MemoryStream(pdf, start, end - start), System.IO.Compression.CompressionMode.Decompress);
                using var o = new MemoryStream();
                z.CopyTo(o);
                text.Append(Encoding.Latin1.GetString(o.ToArray()));
            }
            catch (InvalidDataException) { } // not a Flate stream (or its end-of-line before endstream): skipped
        }
        return System.Text.RegularExpressions.Regex.Match(text.ToString(), @"/Producer\s*\(([^)]*)\)").Groups[1].Value;
    }

    [Fact]
    public void AsciiDocument_IsCompiledByPdflatex_SameBytesTwice()
    {
        var a = Compile(Ascii);
        Assert.StartsWith("pdfTeX", Producer(a), StringComparison.Ordinal);
        Assert.Equal(a, Compile(Ascii));
    }

    [Fact]
    public void ChineseDocument_IsCompiledByXelatex()
    {
        var pdf = Compile(Chinese);
        Assert.StartsWith("xdvipdfmx", Producer(pdf), StringComparison.Ordinal);
        Assert.Equal(pdf, Compile(Chinese));
    }
}
