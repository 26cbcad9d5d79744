using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Study.Analyses;

/// <summary>The study's table language and labels, as every analysis type prints them.</summary>
internal sealed class AnalysisWords(StudyDefinition study)
{
    /// <summary>The tables' language.</summary>
    public TableLanguage Language { get; } = TableWords.ParseLanguage(study.Tables?.Language ?? "en");

    /// <summary>The study's labels of variables, terms and group values.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = study.Tables?.Labels ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>Chinese tables.</summary>
    public bool Zh => Language == TableLanguage.Zh;

    /// <summary>A name's label, or the name.</summary>
    public string Label(string s) => Labels.TryGetValue(s, out var l) ? l : s;

    /// <summary>A group value's label (a blank label leaves the value).</summary>
    public string GroupLabel(string value) => Labels.TryGetValue(value, out var l) && !string.IsNullOrWhiteSpace(l) ? l : value;

    /// <summary>The English or the Chinese word.</summary>
    public string Word(string en, string zh) => Zh ? zh : en;
}
