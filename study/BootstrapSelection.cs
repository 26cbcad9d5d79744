using System.Collections.Immutable;
using System.Text.RegularExpressions;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Study;

/// <summary>
/// Which specifications a study's <c>bootstrap.specs</c> selects. An entry is <c>baseline</c>, <c>all</c>, a
/// specification id (16 hex digits, as specs.parquet's spec_id) or a filter on the grid's choice columns — the
/// columns of specs.parquet named in <see cref="ChoiceColumns"/>, with their values as written there — in the
/// syntax of sample filters (core's <see cref="RowFilter"/>: <c>sample == east &amp; controls != none</c>). A
/// specification is selected when some entry selects it. The same code checks the entries when the study is
/// loaded and selects when the run has expanded its grid.
/// </summary>
public static partial class BootstrapSelection
{
    /// <summary>The columns a filter entry may compare: the choice columns of specs.parquet.</summary>
    public static ImmutableArray<string> ChoiceColumns { get; } = ["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov"];

    /// <summary>A specification's choices as specs.parquet writes them, in the order of <see cref="ChoiceColumns"/>.</summary>
    public static string[] Choices(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return [s.Outcome, s.ControlSet, SpecificationModel.FixedEffectsText(s), s.Sample, GridExpansion.YesNo(s.Winsorize), GridExpansion.YesNo(s.Lag), s.Vcov];
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex IdPattern();

    /// <summary>Whether an entry is a specification id (ids depend on the prepared data, so they are matched when the run has expanded its grid).</summary>
    public static bool IsId(string entry) => IdPattern().IsMatch(entry);

    /// <summary>
    /// What is wrong with one entry for this grid, or null. A filter must parse, compare choice columns only and
    /// select some specification; an id must be 16 lower-case hex digits (whether it names a specification of the
    /// run is known only once the run has prepared its data).
    /// </summary>
    public static string? Problem(GridSpec grid, string entry)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry is "baseline" or "all" || IsId(entry)) return null;
        if (entry.IndexOfAny(['=', '<', '>', '!']) < 0)
            return $"'{entry}' is neither baseline, all, a specification id (16 hex digits, specs.parquet's spec_id) nor a filter such as 'sample == east'";
        try
        {
            var specs = GridExpansion.Expand(grid, "");
            return Matches(entry, specs).Count == 0 ? NothingSelected(entry, specs) : null;
        }
        catch (InputException e) { return e.Message; }
    }

    /// <summary>The specifications of the grid (with placeholder ids) the entries select, or null when an entry is an id.</summary>
    public static IReadOnlyList<Specification>? Preview(GridSpec grid, ImmutableArray<string> entries)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (!entries.IsDefaultOrEmpty && entries.Any(IsId)) return null;
        return Select(grid, GridExpansion.Expand(grid, ""), entries);
    }

    /// <summary>
    /// The selected specifications, in id order. Default or empty <paramref name="entries"/> select the baseline.
    /// </summary>
    /// <exception cref="InputException">An id names no specification, or a filter is bad or selects nothing; the message names <c>bootstrap.specs[i]</c>.</exception>
    public static IReadOnlyList<Specification> Select(GridSpec grid, IReadOnlyList<Specification> specs, ImmutableArray<string> entries)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(specs);
        var list = entries.IsDefaultOrEmpty ? ["baseline"] : entries;
        var chosen = new bool[specs.Count];
        for (int i = 0; i < list.Length; i++)
        {
            string entry = list[i];
            IReadOnlyList<int> rows;
            if (entry == "all") rows = [.. Enumerable.Range(0, specs.Count)];
            else if (entry == "baseline") rows = [.. Enumerable.Range(0, specs.Count).Where(k => GridExpansion.IsBaseline(grid, specs[k]))];
            else if (IsId(entry))
            {
                rows = [.. Enumerable.Range(0, specs.Count).Where(k => specs[k].Id == entry)];
                if (rows.Count == 0)
                    throw new InputException($"study key 'bootstrap.specs[{i}]': no specification of this run has id '{entry}' (ids are specs.parquet's spec_id; they change when the data or the indices change)");
            }
            else
            {
                try { rows = Matches(entry, specs); }
                catch (InputException e) { throw new InputException($"study key 'bootstrap.specs[{i}]': {e.Message}"); }
                if (rows.Count == 0) throw new InputException($"study key 'bootstrap.specs[{i}]': {NothingSelected(entry, specs)}");
            }
            foreach (int k in rows) chosen[k] = true;
        }
        return [.. specs.Where((_, k) => chosen[k]).OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>The indices of the specifications a filter entry selects.</summary>
    /// <exception cref="InputException">The filter does not parse or compares a column that is not a choice column.</exception>
    public static IReadOnlyList<int> Matches(string filter, IReadOnlyList<Specification> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var f = RowFilter.Parse(filter);
        foreach (var col in f.Columns)
            if (!ChoiceColumns.Contains(col))
                throw new InputException($"filter '{filter}': '{col}' is not a choice column; choice columns: {string.Join(", ", ChoiceColumns)}");
        // The choices as a frame of text columns, so the filter means exactly what a sample filter means.
        var choices = specs.Select(Choices).ToList();
        var frame = new DataFrame([.. ChoiceColumns.Select((c, j) => Column.Text(c, [.. choices.Select(x => (string?)x[j])]))], "the grid's choices");
        return f.Apply(frame);
    }

    private static string NothingSelected(string filter, IReadOnlyList<Specification> specs)
    {
        var cols = RowFilter.Parse(filter).Columns.ToList();
        string values = string.Join("; ", cols.Select(c =>
        {
            int j = ChoiceColumns.IndexOf(c);
            return $"{c} is one of: {string.Join(", ", specs.Select(s => Choices(s)[j]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}";
        }));
        return $"filter '{filter}' selects no specification of the grid ({values})";
    }
}
