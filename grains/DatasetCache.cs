using System.Collections.Concurrent;
using System.Security.Cryptography;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>
/// Prepared datasets by content hash: a grain loads the CSV a work message names once per silo and
/// refuses it if its SHA-256 differs from the message's dataset hash (a stale or foreign file).
/// </summary>
public sealed class DatasetCache
{
    private readonly ConcurrentDictionary<string, Lazy<Panel>> _panels = new(StringComparer.Ordinal);

    /// <summary>SHA-256 (lower-case hex) of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>The panel of the prepared dataset with this hash.</summary>
    public Panel Get(string hash, string path, string unit, string time) =>
        _panels.GetOrAdd(hash, _ => new Lazy<Panel>(() =>
        {
            if (!File.Exists(path)) throw new InputException($"prepared dataset '{path}' is not readable from this silo (silos need the results folder on a shared path)");
            string actual = HashFile(path);
            if (actual != hash) throw new InputException($"prepared dataset '{path}' has hash {actual[..12]}…, the work expects {hash[..12]}…");
            return Panel.Create(CsvReader.ReadFile(path), unit, time);
        })).Value;
}
