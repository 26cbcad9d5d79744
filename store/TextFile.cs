using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Store;

/// <summary>
/// The project's own text files that a user writes by hand (study files, column maps, indicator systems,
/// label files) are UTF-8, with or without a byte order mark. Read strictly: a file saved in GBK (Notepad's
/// "ANSI" on Chinese Windows) is refused in one line naming the line and byte, instead of Chinese labels
/// silently becoming U+FFFD strings. Data files (CSV) are detected instead: see <see cref="DatasetFile"/>.
/// </summary>
public static class TextFile
{
    /// <summary>The file's text, decoded as strict UTF-8.</summary>
    /// <exception cref="Core.InputException">Bytes that are not UTF-8 (the file, line and byte offset named).</exception>
    public static string ReadUtf8(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TextDecoding.Decode(File.ReadAllBytes(path), Path.GetFileName(path), "UTF-8").Text;
    }
}
