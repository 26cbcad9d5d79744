using System.Globalization;

namespace DigitalEconomy.Silo.Tests;

internal static class Studies
{
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    /// <summary>Writes a study over the synthetic provinces: 432 specifications when <c>big</c> (3·3·4·2·2·3), else 64 (2^6).</summary>
    public static string Write(string dir, bool big, int batchSize, int bootstrapChunk = 0, string? dataPath = null, int replicates = 40, string? curve = null)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, big ? "big.yaml" : "small.yaml");
        string controls = big ? "    none: []\n    basic: [gov, market]\n    full: [gov, market, lngdp, fin]\n" : "    none: []\n    full: [gov, market, lngdp, fin]\n";
        string fe = big ? "[\"province + year\", \"province\", \"year\"]" : "[\"province + year\", \"province\"]";
        string samples = big ? "    all: null\n    no_municipalities: \"municipality == 0\"\n    east: \"region == East\"\n    not_east: \"region != East\"\n" : "    all: null\n    east: \"region == East\"\n";
        string vcov = big ? "[\"cluster:province\", \"hc1\", \"iid\"]" : "[\"cluster:province\", \"hc1\"]";
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            name: {(big ? "big" : "small")}
            seed: 7
            batch_size: {batchSize}
            dataset:
              path: {dataPath ?? DataPath}
              unit: province
              time: year
              region: region
            indices:
              - name: hqd_index
                system: hqd
                shift: 0.0001
              - name: de_index
                system: de
                shift: 0.0001
            grid:
              treatment: de_index
              outcomes: [hqd_index]
              controls:
            {controls}  fixed_effects: {fe}
              samples:
            {samples}  winsorize: [false, true]
              lag: [false, true]
              vcov: {vcov}
            {(bootstrapChunk > 0 ? $"bootstrap: {{ replicates: {replicates}, chunk: {bootstrapChunk} }}" : "")}
            {(curve is null ? "" : $"curve_inference: {curve}")}

            """));
        return path;
    }
}
