using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace DigitalEconomy.Core.Data;

/// <summary>The encoding a text file was read in and why it was chosen.</summary>
/// <param name="Name">UTF-8, GB18030, GBK, UTF-16LE, UTF-16BE or UTF-32LE.</param>
/// <param name="Reason">"valid UTF-8", "byte order mark", "not valid UTF-8" (the GB18030 fallback) or "asked for".</param>
public sealed record TextEncoding(string Name, string Reason)
{
    /// <summary>The reason of the GB18030 fallback, the one choice the user is told about.</summary>
    public const string NotUtf8 = "not valid UTF-8";

    /// <summary>"PATH read as GB18030 (not valid UTF-8)" when the encoding was guessed rather than UTF-8, asked for or marked; otherwise null.</summary>
    public string? Note(string path) => Reason == NotUtf8 ? $"{path} read as {Name} ({Reason})" : null;
}

/// <summary>
/// Bytes of a text data file to text, never silently: UTF-8 (with or without BOM) when the bytes are valid
/// UTF-8, a UTF-16/32 file by its byte order mark, otherwise GB18030 (a superset of GBK, the default of
/// EPS/CSMAR exports on Chinese Windows) when the bytes are valid GB18030 — said in
/// <see cref="TextEncoding.Reason"/> so the caller can tell the user — and otherwise refused in one line
/// naming the line and byte offset. Invalid bytes are never replaced by U+FFFD.
/// </summary>
public static class TextDecoding
{
    /// <summary>The encodings a user may ask for (<c>--encoding</c>, <c>dataset.encoding</c>).</summary>
    public const string Choices = "utf-8, gbk or gb18030";

    /// <summary>The canonical name of an encoding a user asked for, or null when none was.</summary>
    /// <param name="name">utf-8 (utf8), gbk (cp936, 936) or gb18030 (54936); case does not matter.</param>
    /// <param name="where">Names the option or key in the message, e.g. "--encoding".</param>
    /// <exception cref="InputException">Another encoding.</exception>
    public static string? Canonical(string? name, string where) => name?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "utf-8" or "utf8" => "UTF-8",
        "gbk" or "cp936" or "936" => "GBK",
        "gb18030" or "54936" => "GB18030",
        _ => throw new InputException($"{where} '{Echo.OneLine(name)}': expected {Choices}"),
    };

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="source"/> names the file in messages.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">The file name for messages.</param>
    /// <param name="encoding">A canonical name from <see cref="Canonical"/> to force it, or null to detect.</param>
    /// <exception cref="InputException">Bytes invalid in the encoding asked for, or in both UTF-8 and GB18030.</exception>
    public static (string Text, TextEncoding Encoding) Decode(ReadOnlySpan<byte> bytes, string source, string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        bool bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        if (encoding is "UTF-8" || (encoding is null && bom))
        {
            var body = bom ? bytes[3..] : bytes;
            if (TryUtf8(body, out string text, out int bad)) return (text, new TextEncoding("UTF-8", encoding is null ? "byte order mark" : "asked for"));
            throw Invalid(bytes, source, bad + (bom ? 3 : 0), "not valid UTF-8");
        }
        if (encoding is "GBK" or "GB18030")
        {
            if (TryCodePage(bytes, encoding == "GBK" ? 936 : 54936, out string text, out int bad)) return (text, new TextEncoding(encoding, "asked for"));
            throw Invalid(bytes, source, bad, $"not valid {encoding}");
        }
        if (encoding is not null) throw new ArgumentException($"unknown encoding '{encoding}'", nameof(encoding));
        if (Unicode(bytes) is { } marked) return marked;
        if (TryUtf8(bytes, out string utf8, out int badUtf8)) return (utf8, new TextEncoding("UTF-8", "valid UTF-8"));
        if (TryCodePage(bytes, 54936, out string gb, out int badGb)) return (gb, new TextEncoding("GB18030", TextEncoding.NotUtf8));
        // The farther failure is the likelier place of the damage (a GBK file with one bad byte fails as UTF-8 at its first Chinese character).
        throw Invalid(bytes, source, Math.Max(badUtf8, badGb), "neither UTF-8 nor GB18030");
    }

    /// <summary>
    /// When <see cref="Decode"/> would read the bytes as UTF-8 and succeed, the encoding it would report and the length of
    /// the byte order mark to skip; otherwise null (then call <see cref="Decode"/>, which decodes or says what is wrong).
    /// Validation only, nothing allocated: a reader of UTF-8 can work on the bytes themselves.
    /// </summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="encoding">As in <see cref="Decode"/>.</param>
    public static (TextEncoding Encoding, int Skip)? AsUtf8(ReadOnlySpan<byte> bytes, string? encoding = null)
    {
        bool bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        if (encoding is "UTF-8" || (encoding is null && bom))
            return Utf8.IsValid(bom ? bytes[3..] : bytes) ? (new TextEncoding("UTF-8", encoding is null ? "byte order mark" : "asked for"), bom ? 3 : 0) : null;
        // A UTF-16/32 byte order mark (FF FE, FE FF) is never valid UTF-8, so those files fall through to Decode.
        return encoding is null && Utf8.IsValid(bytes) ? (new TextEncoding("UTF-8", "valid UTF-8"), 0) : null;
    }

    private static (string, TextEncoding)? Unicode(ReadOnlySpan<byte> bytes)
    {
        (Encoding Enc, string Name, int Bom)? e =
            bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) ? (new UTF32Encoding(false, false, throwOnInvalidCharacters: true), "UTF-32LE", 4)
            : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? (new UnicodeEncoding(false, false, throwOnInvalidBytes: true), "UTF-16LE", 2)
            : bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? (new UnicodeEncoding(true, false, throwOnInvalidBytes: true), "UTF-16BE", 2)
            : null;
        if (e is not { } u) return null;
        try { return (u.Enc.GetString(bytes[u.Bom..]), new TextEncoding(u.Name, "byte order mark")); }
        catch (DecoderFallbackException) { return null; } // not really that encoding: detected as the others
    }

    private static bool TryUtf8(ReadOnlySpan<byte> bytes, out string text, out int bad)
    {
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
        text = status == System.Buffers.OperationStatus.Done ? new string(chars, 0, written) : "";
        bad = read;
        return status == System.Buffers.OperationStatus.Done;
    }

    private static bool TryCodePage(ReadOnlySpan<byte> bytes, int codePage, out string text, out int bad)
    {
        var enc = CodePagesEncodingProvider.Instance.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                  ?? throw new InvalidOperationException($"code page {codePage} is not available");
        try
        {
            text = enc.GetString(bytes);
            bad = -1;
            return true;
        }
        catch (DecoderFallbackException e)
        {
            text = "";
            bad = Math.Clamp(e.Index, 0, Math.Max(0, bytes.Length - 1));
            return false;
        }
    }

    private static InputException Invalid(ReadOnlySpan<byte> bytes, string source, int offset, string what)
    {
        int line = 1 + bytes[..offset].Count((byte)'\n');
        string b = offset < bytes.Length ? $" (0x{bytes[offset]:X2})" : "";
        return new InputException(string.Create(CultureInfo.InvariantCulture,
            $"{source}: line {line}, byte offset {offset}{b}: {what}; save the file as UTF-8"));
    }
}
