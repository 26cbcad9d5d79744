namespace DigitalEconomy.Grains;

/// <summary>Messages about runs as the user reads them: one line, never a stack trace.</summary>
public static class RunMessages
{
    /// <summary>The first non-empty line of a message (a wrapped exception's message may carry its inner exception's stack trace on the lines after).</summary>
    public static string OneLine(string? text) =>
        (text ?? "").Split('\n').Select(l => l.TrimEnd('\r').Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>An exception as one line: its message for the errors a user can read as they are, else its type and message.</summary>
    public static string OneLine(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return OneLine(e is Core.InputException or WorkFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}");
    }
}
