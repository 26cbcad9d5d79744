using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Client;

/// <summary>The built-in indicator systems for other assemblies (tests, tools).</summary>
public static class SystemLoaderAccess
{
    /// <summary>Loads a built-in system (hqd, de, nqpf) or a YAML/JSON file.</summary>
    public static IndicatorSystem Load(string spec) => SystemLoader.Load(spec);
}
