using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

/// <summary>
/// Reads typed values from a study's YAML nodes; every error is one line naming the file, the line and
/// the key path (e.g. <c>analyses[2].mediators[0]</c>), never a stack trace.
/// </summary>
internal sealed class StudyYaml(string file) : Store.YamlReader(file)
{
    /// <summary>The study file's folder: files a study names (weight matrices) are relative to it.</summary>
    public string Directory { get; init; } = ".";

    private readonly List<string> _inputs = [];

    /// <summary>Notes a file the study read besides itself, its dataset and its spatial matrices (an indicator system), by its content's SHA-256.</summary>
    public void Input(string what, string sha256) => _inputs.Add(what + "=" + sha256);

    /// <summary>The files noted by <see cref="Input"/>, in reading order, for the study's hash ("" when none, so such studies keep their hash).</summary>
    public string InputsKey => _inputs.Count == 0 ? "" : "\ninputs: " + string.Join(' ', _inputs);

    public YamlMappingNode Map(YamlMappingNode map, string key, string prefix) =>
        Get(map, key, prefix) as YamlMappingNode ?? throw Error(Get(map, key, prefix), prefix + key, "expected a mapping");

    public IList<YamlNode> Seq(YamlMappingNode map, string key, string prefix) =>
        (Get(map, key, prefix) as YamlSequenceNode ?? throw Error(Get(map, key, prefix), prefix + key, "expected a list, e.g. [a, b]")).Children;

    public long OptLong(YamlMappingNode map, string key, string prefix, long fallback) =>
        !map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? fallback
        : long.TryParse(Scalar(v, prefix + key, "an integer"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long r) ? r
        : throw Error(v, prefix + key, $"expected an integer, found '{((YamlScalarNode)v).Value}'");

    /// <summary>What a vcov key expects when it is not a single value (its grammar is core's VcovRegistry; this is only the hint).</summary>
    public const string VcovHint = "iid, hc1 or cluster:COL[,COL]";

    /// <summary>A variance estimator (iid, hc1, cluster:COL[,COL]) whose cluster columns are in the dataset.</summary>
    public string Vcov(YamlNode node, string key, DataFrame frame)
    {
        string v = Scalar(node, key, VcovHint);
        return StudyCheck.Vcov(v, frame) is { } wrong ? throw Error(node, key, wrong) : v;
    }

    /// <summary>Fixed effects such as "unit + year" or "firm + sector^year" whose factors are dataset columns, trimmed ("0" for none).</summary>
    public string FixedEffects(YamlNode node, string key, DataFrame frame)
    {
        string fe = Scalar(node, key, "fixed effects such as \"province + year\", or \"0\"").Trim();
        if (fe == "0" || fe.Length == 0) return "0";
        if (StudyCheck.FixedEffects(fe, frame) is { } wrong) throw Error(node, key, wrong);
        return fe; // as written (the grid's ids hash it)
    }
}
