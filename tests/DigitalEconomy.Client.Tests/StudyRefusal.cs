using DigitalEconomy.Core;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>What the study-loading tests share: a study the loader refuses, and its one-line message.</summary>
internal static class StudyRefusal
{
    /// <summary>Loads the study expecting a refusal; the message, checked to be one line.</summary>
    public static string Refused(string path)
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }
}
