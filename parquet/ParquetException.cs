namespace DigitalEconomy.Parquet;

/// <summary>
/// The only exception of this library: an unsupported feature (codec, encoding, type), or a corrupt or
/// truncated file. The message says which.
/// </summary>
public sealed class ParquetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParquetException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public ParquetException(string message, Exception inner) : base(message, inner) { }
}
