using System.Collections.Concurrent;
using System.Security.Cryptography;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>
/// The per-silo cache of prepared datasets by SHA-256. A miss asks the DatasetGrain of that hash for
/// the bytes (a grain call, so work grains never read the results folder), checks the hash and parses
/// the CSV once per silo. Winsorised variants are cached beside the dataset they derive from.
/// </summary>
public sealed class DatasetCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Panel>>> _panels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Panel>> _variants = new(StringComparer.Ordinal);

    /// <summary>SHA-256 (lower-case hex) of bytes.</summary>
    public static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The panel of the dataset with this hash.</summary>
    /// <exception cref="DatasetUnavailableException">No silo holds the dataset any more (the run grain puts it again).</exception>
    public async Task<Panel> GetAsync(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var lazy = _panels.GetOrAdd(dataset.Sha256, _ => new Lazy<Task<Panel>>(() => LoadAsync(dataset)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _panels.TryRemove(new KeyValuePair<string, Lazy<Task<Panel>>>(dataset.Sha256, lazy));
            throw;
        }
    }

    private async Task<Panel> LoadAsync(DatasetRef dataset)
    {
        var bytes = await grains.GetGrain<IDatasetGrain>(dataset.Sha256).GetAsync().ConfigureAwait(false)
                    ?? throw new DatasetUnavailableException($"dataset {dataset.Sha256[..12]}… is held by no silo");
        if (Hash(bytes.Csv) != dataset.Sha256) throw new InvalidOperationException($"dataset {dataset.Sha256[..12]}…: the bytes received have another hash");
        using var reader = new StreamReader(new MemoryStream(bytes.Csv, writable: false), System.Text.Encoding.UTF8);
        return Panel.Create(CsvReader.Read(reader, bytes.Source), dataset.Unit, dataset.Time);
    }

    /// <summary>A derived panel (e.g. with some columns winsorised: <see cref="Work.WorkData.Winsorized"/>), built once per silo by <paramref name="build"/>.</summary>
    public Panel Variant(string datasetSha256, string key, Panel source, Func<Panel, Panel> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return _variants.GetOrAdd(datasetSha256 + "|" + key, _ => new Lazy<Panel>(() => build(source))).Value;
    }
}
