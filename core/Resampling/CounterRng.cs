using System.Security.Cryptography;
using System.Text;

namespace DigitalEconomy.Core.Resampling;

/// <summary>
/// A counter-based random stream: the k-th number of stream (seed, key, replicate) is a pure function
/// of those four values (SplitMix64 finalizer of a SHA-256-derived stream base plus k·φ). Replicate r of
/// a specification draws the same numbers whether it runs alone, in a block of a thousand, or on
/// another machine — results cannot depend on how work is split.
/// </summary>
public sealed class CounterRng
{
    private readonly ulong _base;
    private ulong _counter;

    /// <summary>Creates stream (seed, key, replicate).</summary>
    public CounterRng(long seed, string key, long replicate)
    {
        ArgumentNullException.ThrowIfNull(key);
        var h = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u001f{key}\u001f{replicate}"));
        _base = BitConverter.ToUInt64(h, 0);
    }

    private CounterRng(ulong streamBase) => _base = streamBase;

    /// <summary>
    /// The hash of a family of streams (seed, key), computed once (SHA-256) for many replicates; see <see cref="InFamily"/>.
    /// </summary>
    public static ulong Family(long seed, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var h = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u001f{key}\u001ffamily"));
        return BitConverter.ToUInt64(h, 0);
    }

    /// <summary>
    /// Stream <paramref name="replicate"/> of the family <paramref name="family"/> (from <see cref="Family"/>): its base is
    /// the SplitMix64 finalizer of family + (replicate + 1)·0xD1B54A32D192ED03, so a stream costs a few multiplications
    /// instead of a hash, and is still a pure function of (seed, key, replicate). These streams differ from those of the
    /// constructor with the same arguments.
    /// </summary>
    public static CounterRng InFamily(ulong family, long replicate) =>
        new(Mix(family + ((ulong)replicate + 1) * 0xD1B54A32D192ED03UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _base + (++_counter) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method with rejection).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong x = NextUInt64();
            UInt128 m = (UInt128)x * bound;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }
}
