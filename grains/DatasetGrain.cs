using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains;

/// <summary>
/// Holds one prepared dataset in memory (key: its SHA-256). Not persisted: when its silo dies the
/// next activation is empty, work grains report <see cref="DatasetUnavailableException"/>, and the
/// run grain puts the bytes again from its own copy before retrying.
/// </summary>
public sealed class DatasetGrain : Grain, IDatasetGrain
{
    private DatasetBytes? _dataset;

    /// <inheritdoc/>
    public Task PutAsync(DatasetBytes dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string key = this.GetPrimaryKeyString();
        if (dataset.Sha256 != key || DatasetCache.Hash(dataset.Csv) != key)
            throw new ArgumentException($"dataset bytes do not hash to the grain key {key[..12]}…", nameof(dataset));
        _dataset = dataset;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<DatasetBytes?> GetAsync() => Task.FromResult(_dataset);
}
