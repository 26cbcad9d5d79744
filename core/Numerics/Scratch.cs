namespace DigitalEconomy.Core.Numerics;

/// <summary>
/// Per-thread reuse of exact-length work arrays (demeaned columns, residuals) for fits that run many
/// times on the same sample size — specification grids and bootstrap replicates. Arrays rented here
/// must not escape the fit that rented them; <see cref="Lease"/> returns them when disposed.
/// </summary>
/// <remarks>
/// Hand-written rather than <c>ArrayPool&lt;double&gt;</c>: the fits need arrays of exactly the sample's length (their
/// <c>Length</c> is the row count), which the shared pool does not give. A thread keeps at most <see cref="MaxBytes"/>
/// of free arrays, so a fit on a million rows does not leave hundreds of megabytes behind it.
/// </remarks>
internal static class Scratch
{
    /// <summary>The most bytes of free arrays a thread keeps (a curve-inference draw on a 3,000-row panel rents about 10 MB).</summary>
    public const long MaxBytes = 16L << 20;

    [ThreadStatic] private static Dictionary<int, Stack<double[]>>? _free;
    [ThreadStatic] private static long _freeBytes;

    /// <summary>An array of exactly <paramref name="length"/> elements whose contents are arbitrary (a reused array is not cleared).</summary>
    public static double[] Rent(int length)
    {
        _free ??= [];
        if (_free.TryGetValue(length, out var s) && s.Count > 0)
        {
            _freeBytes -= 8L * length;
            return s.Pop();
        }
        // Contents are arbitrary either way, so a new array need not be zeroed (a resample's filtered samples change length
        // every draw, so many rents are new arrays).
        return GC.AllocateUninitializedArray<double>(length);
    }

    public static void Return(double[] a)
    {
        _free ??= [];
        long bytes = 8L * a.Length;
        if (_freeBytes + bytes > MaxBytes)
        {
            // The work has moved on to other sample sizes (a grid's next group, a bootstrap after the point fits): the
            // free arrays of other lengths go to the GC first, so the current size's arrays are the ones kept.
            foreach (var (length, stack) in _free)
                if (length != a.Length) { _freeBytes -= 8L * length * stack.Count; stack.Clear(); }
            if (_freeBytes + bytes > MaxBytes) return; // left to the GC
        }
        if (!_free.TryGetValue(a.Length, out var s)) _free[a.Length] = s = new Stack<double[]>();
        s.Push(a);
        _freeBytes += bytes;
    }

    /// <summary>Arrays rented for one fit, returned together.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly List<double[]> _arrays = [];

        public double[] Rent(int length)
        {
            var a = Scratch.Rent(length);
            _arrays.Add(a);
            return a;
        }

        public void Dispose()
        {
            foreach (var a in _arrays) Scratch.Return(a);
            _arrays.Clear();
        }
    }
}
