namespace DigitalEconomy.Core.Numerics;

/// <summary>
/// Per-thread reuse of exact-length work arrays (demeaned columns, residuals) for fits that run many
/// times on the same sample size — specification grids and bootstrap replicates. Arrays rented here
/// must not escape the fit that rented them; <see cref="Lease"/> returns them when disposed.
/// </summary>
internal static class Scratch
{
    [ThreadStatic] private static Dictionary<int, Stack<double[]>>? _free;

    public static double[] Rent(int length)
    {
        _free ??= [];
        // Contents are arbitrary either way (a reused array is not cleared), so a new array need not be zeroed.
        return _free.TryGetValue(length, out var s) && s.Count > 0 ? s.Pop() : GC.AllocateUninitializedArray<double>(length);
    }

    public static void Return(double[] a)
    {
        _free ??= [];
        if (!_free.TryGetValue(a.Length, out var s)) _free[a.Length] = s = new Stack<double[]>();
        if (s.Count < 64) s.Push(a);
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
