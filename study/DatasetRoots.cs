namespace DigitalEconomy.Study;

/// <summary>Where a study's named dataset is looked up when it gives no <c>dataset.root</c>.</summary>
public static class DatasetRoots
{
    /// <summary><c>datasets/</c> under the working folder, resolved when asked (the CLI and the silo each from their own).</summary>
    public static string Default => Path.GetFullPath("datasets");
}
