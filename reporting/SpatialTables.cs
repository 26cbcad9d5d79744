using System.Globalization;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Spatial;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>One variable's Moran's I per period under one weight matrix (a group of columns of the Moran table).</summary>
/// <param name="Matrix">The matrix's label (e.g. "Contiguity").</param>
/// <param name="Variable">The variable's label.</param>
/// <param name="Results">One result per period, in period order.</param>
/// <param name="PermutationP">The permutation p per period, or null when not computed.</param>
public sealed record MoranColumn(string Matrix, string Variable, IReadOnlyList<MoranResult> Results, IReadOnlyList<double>? PermutationP);

/// <summary>One fitted spatial model as a column of the model and effects tables.</summary>
/// <param name="Header">Its header, "(1)".</param>
/// <param name="Group">Its spanning group (the matrix's label).</param>
/// <param name="Fit">The fit (impacts with or without simulated SEs).</param>
/// <param name="Draws">Simulation draws behind the impacts' SEs (0: none).</param>
public sealed record SpatialModelColumn(string Header, string Group, SpatialFit Fit, int Draws);

/// <summary>
/// The tables a spatial analysis prints as papers print them (docs/studies.md, "spatial"): Moran's I by year (I with
/// stars from the one-sided randomisation p, z, p, and the permutation p), the models side by side (ρ for W·y, λ for
/// W·u, β, θ for W·X, SEs in parentheses, σ², log-likelihood, N, effects) and the direct / indirect / total effects.
/// </summary>
public static class SpatialTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // The spatial tables' own words (the shared ones come from TableWords).
    private static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["year"] = ("Year", "年份"),
        ["perm_p"] = ("perm. p", "置换p值"),
        ["model"] = ("Model", "模型"),
        ["loglik"] = ("Log-likelihood", "对数似然值"),
        ["direct"] = ("Direct", "直接效应"),
        ["indirect"] = ("Indirect", "间接效应"),
        ["total"] = ("Total", "总效应"),
        ["moran_note"] = ("Global Moran's I of each period on its own; z and p under randomisation (one-sided, positive autocorrelation); E[I] = −1/(n − 1).",
            "各年份分别计算全局莫兰指数；z值与p值基于随机化假设（单侧检验：正的空间自相关）；E[I] = −1/(n − 1)。"),
        ["perm_note"] = ("perm. p = (#{permuted I ≥ I} + 1)/(R + 1).", "置换p值 = (置换所得I ≥ I的次数 + 1)/(R + 1)。"),
        ["model_note"] = ("ML with fixed effects (within transformation); standard errors in parentheses from the analytic information matrix.",
            "固定效应极大似然估计（组内变换）；括号内为由解析信息矩阵得到的标准误。"),
        ["names_note"] = ("ρ: coefficient of W·y; λ: coefficient of W·u; W×x: coefficient of W·x (SDM).", "ρ：W·y的系数；λ：W·u的系数；W×x：W·x的系数（空间杜宾模型）。"),
        ["leeyu_note"] = ("Lee–Yu (2010) correction applied.", "已作Lee–Yu（2010）修正。"),
        ["sparse_note"] = ("log|I − ρW| and the traces by the sparse Cholesky factor of W's symmetric form (logdet: sparse, or auto above 1,000 units).",
            "log|I − ρW|与迹由W对称形式的稀疏Cholesky分解计算（logdet: sparse，或auto且超过1000个单元）。"),
        ["eigen_fallback_note"] = ("Above 1,000 units, but W has no symmetric form: log-determinants from its eigenvalues.",
            "单元数超过1000，但W无对称形式：对数行列式由其特征值计算。"),
        ["effects_note"] = ("LeSage–Pace effects: direct = tr(S)/N, total = 1'S1/N, indirect = total − direct, S = (I − ρW)⁻¹(βI + θW); exact at the estimates.",
            "LeSage–Pace效应分解：直接效应 = tr(S)/N，总效应 = 1'S1/N，间接效应 = 总效应 − 直接效应，S = (I − ρW)⁻¹(βI + θW)；于估计值处精确计算。"),
        ["draws_note"] = ("Standard errors in parentheses from {0} draws of the parameters from their asymptotic normal distribution.", "括号内为参数渐近正态分布{0}次模拟抽样得到的标准误。"),
        ["no_draws_note"] = ("No simulated standard errors (draws: 0).", "未计算模拟标准误（draws: 0）。"),
        ["stars"] = ("*** p < 0.01, ** p < 0.05, * p < 0.1.", "*** p < 0.01，** p < 0.05，* p < 0.1。"),
    };

    private static string W(string key, TableLanguage language) => language == TableLanguage.Zh ? Words[key].Zh : Words[key].En;

    /// <summary>Moran's I per period: rows are periods; per column group I, z, p (and permutation p).</summary>
    public static Table Moran(string title, IReadOnlyList<MoranColumn> columns, TableLanguage language = TableLanguage.En)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var cols = new List<TableColumn>();
        foreach (var c in columns)
        {
            string group = $"{c.Variable} · {c.Matrix}";
            cols.Add(new TableColumn("I", null, group));
            cols.Add(new TableColumn("z", null, group));
            cols.Add(new TableColumn("p", null, group));
            if (c.PermutationP is not null) cols.Add(new TableColumn(W("perm_p", language), null, group));
        }
        var periods = columns.Count == 0 ? [] : columns[0].Results.Select(r => r.Period).ToList();
        var rows = new List<TableRow>();
        for (int t = 0; t < periods.Count; t++)
        {
            var cells = new List<Cell>();
            foreach (var c in columns)
            {
                var m = c.Results[t];
                double p = m.Randomisation.PGreater;
                string stars = NumberFormat.Stars(p);
                cells.Add(new Cell(NumberFormat.Fixed(m.I, 4) + stars, m.I, null, m.Randomisation.Z, p, stars));
                cells.Add(new Cell(NumberFormat.Fixed(m.Randomisation.Z, 3), m.Randomisation.Z));
                cells.Add(new Cell(NumberFormat.Fixed(p, 3), p));
                if (c.PermutationP is not null) cells.Add(new Cell(NumberFormat.Fixed(c.PermutationP[t], 3), c.PermutationP[t]));
            }
            string label = periods[t].ToString(Inv);
            rows.Add(new TableRow(label, label, RowKind.Statistic, cells));
        }
        var notes = new List<string> { W("moran_note", language), W("stars", language) };
        if (columns.Any(c => c.PermutationP is not null)) notes.Add(W("perm_note", language));
        return new Table(title, W("year", language), cols, [new RowBlock(BlockKind.Data, rows)], notes);
    }

    /// <summary>The models side by side: spatial coefficients, β and θ with SEs in parentheses, then σ², log-likelihood, N and the effects.</summary>
    public static Table Models(string title, IReadOnlyList<SpatialModelColumn> columns, IReadOnlyDictionary<string, string>? labels = null, TableLanguage language = TableLanguage.En)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var names = new List<string>();
        foreach (var c in columns)
            foreach (var coef in c.Fit.Coefficients)
                if (!names.Contains(coef.Name)) names.Add(coef.Name);
        // ρ and λ first, then β in formula order, then θ.
        names = [.. names.OrderBy(n => n == "rho" ? 0 : n == "lambda" ? 1 : n.StartsWith("W*", StringComparison.Ordinal) ? 3 : 2)];
        var rows = new List<TableRow>();
        foreach (var name in names)
        {
            var est = new List<Cell>();
            var se = new List<Cell>();
            foreach (var c in columns)
            {
                var coef = c.Fit.Coefficients.FirstOrDefault(x => x.Name == name);
                if (coef is null) { est.Add(Cell.Empty); se.Add(Cell.Empty); continue; }
                string stars = NumberFormat.Stars(coef.P);
                est.Add(new Cell(NumberFormat.Fixed(coef.Estimate, 4) + stars, coef.Estimate, coef.StdError, coef.Z, coef.P, stars));
                se.Add(new Cell($"({NumberFormat.Fixed(coef.StdError, 4)})", coef.StdError));
            }
            rows.Add(new TableRow(Label(name, labels), name, RowKind.Estimate, est));
            rows.Add(new TableRow("", name, RowKind.Parenthesised, se));
        }
        var summary = new List<TableRow>
        {
            new("σ²", "sigma2", RowKind.Statistic, [.. columns.Select(c => new Cell(NumberFormat.Fixed(c.Fit.Sigma2, 6), c.Fit.Sigma2))]),
            new(W("loglik", language), "loglik", RowKind.Statistic, [.. columns.Select(c => new Cell(NumberFormat.Fixed(c.Fit.LogLik, 3), c.Fit.LogLik))]),
            new(TableWords.Get("n", language), "N", RowKind.Statistic, [.. columns.Select(c => new Cell(c.Fit.Observations.ToString(Inv), c.Fit.Observations))]),
        };
        var indicators = new List<TableRow>
        {
            new(W("model", language), "model", RowKind.Indicator, [.. columns.Select(c => new Cell(SpatialText.Name(c.Fit.Options.Model).ToUpperInvariant()))]),
            new(TableWords.Get("unit_fe", language), "fe:unit", RowKind.Indicator, [.. columns.Select(_ => new Cell(TableWords.Get("yes", language)))]),
            new(TableWords.Get("year_fe", language), "fe:time", RowKind.Indicator, [.. columns.Select(c => new Cell(TableWords.Get(c.Fit.Options.Effects == SpatialEffects.TwoWays ? "yes" : "no", language)))]),
        };
        var cols = columns.Select(c => new TableColumn(c.Header, SpatialText.Name(c.Fit.Options.Model).ToUpperInvariant(), c.Group)).ToList();
        var notes = new List<string> { W("model_note", language), W("names_note", language) + " " + W("stars", language) };
        if (columns.Any(c => c.Fit.Options.LeeYu)) notes.Add(W("leeyu_note", language));
        // How the log-determinants were computed, when not from W's eigenvalues as usual (docs/methods.md, "Sparse log-determinants for large W").
        if (columns.Any(c => c.Fit.LogDetMethod == SpatialLogDet.Sparse)) notes.Add(W("sparse_note", language));
        if (columns.Any(c => c.Fit.Note is not null)) notes.Add(W("eigen_fallback_note", language));
        return new Table(title, "", cols, [new RowBlock(BlockKind.Coefficients, rows), new RowBlock(BlockKind.Indicators, indicators), new RowBlock(BlockKind.Summary, summary)], notes);
    }

    /// <summary>Direct, indirect and total effects of each model with a spatial lag: per model three columns, rows the regressors.</summary>
    public static Table Effects(string title, IReadOnlyList<SpatialModelColumn> columns, IReadOnlyDictionary<string, string>? labels = null, TableLanguage language = TableLanguage.En)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var withLag = columns.Where(c => c.Fit.Impacts is not null).ToList();
        var cols = new List<TableColumn>();
        foreach (var c in withLag)
            foreach (var kind in new[] { "direct", "indirect", "total" })
                cols.Add(new TableColumn(W(kind, language), null, $"{c.Header} {SpatialText.Name(c.Fit.Options.Model).ToUpperInvariant()} · {c.Group}"));
        var terms = withLag.SelectMany(c => c.Fit.Terms).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<TableRow>();
        foreach (var term in terms)
        {
            var est = new List<Cell>();
            var se = new List<Cell>();
            foreach (var c in withLag)
            {
                var i = c.Fit.Impacts!.FirstOrDefault(x => x.Term == term);
                foreach (var (v, s) in i is null ? [(double.NaN, (double?)null), (double.NaN, null), (double.NaN, null)] : new[] { (i.Direct, i.DirectSe), (i.Indirect, i.IndirectSe), (i.Total, i.TotalSe) })
                {
                    if (double.IsNaN(v)) { est.Add(Cell.Empty); se.Add(Cell.Empty); continue; }
                    if (s is { } sd && sd > 0)
                    {
                        double z = v / sd, p = Distributions.NormalTwoSided(z);
                        string stars = NumberFormat.Stars(p);
                        est.Add(new Cell(NumberFormat.Fixed(v, 4) + stars, v, sd, z, p, stars));
                        se.Add(new Cell($"({NumberFormat.Fixed(sd, 4)})", sd));
                    }
                    else
                    {
                        est.Add(new Cell(NumberFormat.Fixed(v, 4), v));
                        se.Add(Cell.Empty);
                    }
                }
            }
            rows.Add(new TableRow(Label(term, labels), term, RowKind.Estimate, est));
            rows.Add(new TableRow("", term, RowKind.Parenthesised, se));
        }
        int draws = withLag.Select(c => c.Draws).DefaultIfEmpty(0).Max();
        var notes = new List<string>
        {
            W("effects_note", language),
            draws > 0 ? string.Format(Inv, W("draws_note", language), draws) + " " + W("stars", language) : W("no_draws_note", language),
        };
        return new Table(title, "", cols, [new RowBlock(BlockKind.Coefficients, rows)], notes);
    }

    private static string Label(string name, IReadOnlyDictionary<string, string>? labels)
    {
        if (name == "rho") return "ρ (W·y)";
        if (name == "lambda") return "λ (W·u)";
        if (name.StartsWith("W*", StringComparison.Ordinal)) return "W×" + Label(name[2..], labels);
        return labels is not null && labels.TryGetValue(name, out var l) ? l : name;
    }
}
