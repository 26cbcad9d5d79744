using System.ComponentModel.DataAnnotations;

namespace DigitalEconomy.Parquet;

/// <summary>Page compression.</summary>
public enum ParquetCompression
{
    /// <summary>UNCOMPRESSED.</summary>
    None,
    /// <summary>SNAPPY (default).</summary>
    Snappy,
    /// <summary>GZIP.</summary>
    Gzip,
}

/// <summary>Writer options with their defaults.</summary>
public sealed class ParquetOptions
{
    /// <summary>Codec of every page. The default value is <see cref="ParquetCompression.Snappy"/>.</summary>
    public ParquetCompression Compression { get; set; } = ParquetCompression.Snappy;

    /// <summary>Rows per row group; memory use is bounded by one row group's buffers. The default value is 131 072.</summary>
    [Range(1, int.MaxValue)]
    public int RowGroupSize { get; set; } = 131_072;

    /// <summary>Rows per data page. The default value is 32 768.</summary>
    [Range(1, int.MaxValue)]
    public int PageRows { get; set; } = 32_768;

    /// <summary>
    /// Use dictionary encoding (RLE_DICTIONARY) for a column chunk whose distinct values are at most this
    /// share of its non-null values (and at most 65 536 of them); 0 disables dictionaries. The default value is 0.5.
    /// </summary>
    [Range(0.0, 1.0)]
    public double DictionaryRatio { get; set; } = 0.5;

    /// <summary>The file's created_by. The default value names this library and its version.</summary>
    public string CreatedBy { get; set; } = "DigitalEconomy.Parquet version 0.1.0";

    /// <summary>Key-value metadata stored in the footer (schema version, run manifest...).</summary>
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    internal void Validate()
    {
        if (RowGroupSize < 1) throw new ArgumentOutOfRangeException(nameof(RowGroupSize), RowGroupSize, "RowGroupSize must be at least 1.");
        if (PageRows < 1) throw new ArgumentOutOfRangeException(nameof(PageRows), PageRows, "PageRows must be at least 1.");
        if (DictionaryRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(DictionaryRatio), DictionaryRatio, "DictionaryRatio must be in [0, 1].");
    }
}
