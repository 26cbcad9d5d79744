using System.Security.Cryptography;
using System.Text;

namespace DigitalEconomy.Core.Grid;

/// <summary>One point of a specification grid.</summary>
/// <param name="Id">Stable id: the first 16 hex digits of SHA-256(canonical text + dataset hash).</param>
/// <param name="Canonical">The canonical text of the choices (what the id hashes).</param>
/// <param name="Formula">The model formula.</param>
/// <param name="Term">The reported coefficient.</param>
/// <param name="Vcov">Variance estimator text.</param>
/// <param name="Filter">Sample filter or null.</param>
/// <param name="Winsorize">Columns to winsorise at 1/99 % pooled.</param>
/// <param name="Choices">The choices by dimension.</param>
public sealed record Specification(string Id, string Canonical, string Formula, string Term, string Vcov, string? Filter,
    IReadOnlyList<string> Winsorize, IReadOnlyDictionary<string, string> Choices);

/// <summary>The dimensions of a specification curve (METHODS.md §5.6).</summary>
public sealed record GridDefinition
{
    /// <summary>The explanatory variable whose coefficient is reported.</summary>
    public required string Treatment { get; init; }
    /// <summary>Outcome measures.</summary>
    public required IReadOnlyList<string> Outcomes { get; init; }
    /// <summary>Named control sets (name → columns).</summary>
    public required IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Controls { get; init; }
    /// <summary>Fixed-effect structures, e.g. "province + year"; "0" for none.</summary>
    public required IReadOnlyList<string> FixedEffects { get; init; }
    /// <summary>Named samples (name → filter, null = all rows).</summary>
    public required IReadOnlyList<KeyValuePair<string, string?>> Samples { get; init; }
    /// <summary>Winsorise outcome, treatment and controls at 1/99 %: the values to try.</summary>
    public IReadOnlyList<bool> Winsorize { get; init; } = [false];
    /// <summary>Lag the treatment one period: the values to try.</summary>
    public IReadOnlyList<bool> Lag { get; init; } = [false];
    /// <summary>Variance estimators.</summary>
    public required IReadOnlyList<string> Vcov { get; init; }
}

/// <summary>Expands a grid into specifications with stable ids, sorted by id.</summary>
public static class SpecificationGrid
{
    /// <summary>Every combination of the grid's dimensions, sorted by id (independent of the order of expansion).</summary>
    public static IReadOnlyList<Specification> Expand(GridDefinition grid, string datasetHash)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(datasetHash);
        var list = new List<Specification>();
        foreach (var outcome in grid.Outcomes)
        foreach (var (cname, controls) in grid.Controls)
        foreach (var fe in grid.FixedEffects)
        foreach (var (sname, filter) in grid.Samples)
        foreach (bool winsor in grid.Winsorize)
        foreach (bool lag in grid.Lag)
        foreach (var vcov in grid.Vcov)
        {
            string term = lag ? $"lag({grid.Treatment})" : grid.Treatment;
            string rhs = string.Join(" + ", controls.Prepend(term));
            string formula = $"{outcome} ~ {rhs}" + (fe.Trim() == "0" ? "" : $" | {fe.Trim()}");
            var choices = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["outcome"] = outcome, ["controls"] = cname, ["fe"] = fe.Trim(), ["sample"] = sname,
                ["winsor"] = winsor ? "yes" : "no", ["lag"] = lag ? "yes" : "no", ["vcov"] = vcov,
            };
            string canonical = string.Join(";", choices.Select(p => $"{p.Key}={p.Value}")) + $";formula={formula};filter={filter}";
            var winsorCols = winsor ? controls.Prepend(grid.Treatment).Prepend(outcome).Distinct(StringComparer.Ordinal).ToList() : [];
            list.Add(new Specification(Id(canonical, datasetHash), canonical, formula, term, vcov, filter, winsorCols, choices));
        }
        var dup = list.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"the grid repeats a specification ({dup.First().Canonical}); check for duplicate dimension values");
        return [.. list.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>The stable id of a canonical specification on a dataset version.</summary>
    public static string Id(string canonical, string datasetHash)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(canonical + "\n" + datasetHash));
        return Convert.ToHexStringLower(h)[..16];
    }
}
