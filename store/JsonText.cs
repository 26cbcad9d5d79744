using System.Text.Encodings.Web;
using System.Text.Json;

namespace DigitalEconomy.Store;

/// <summary>JSON string literals for the text we print (list cells, query results): System.Text.Json's escaping, leaving non-ASCII (Chinese) readable.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The string as a quoted, escaped JSON literal.</summary>
    public static string Quote(string s) => JsonSerializer.Serialize(s, Relaxed);
}
