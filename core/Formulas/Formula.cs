using System.Globalization;
using System.Text;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Formulas;

/// <summary>An expression of a formula term: a column, a function of an expression, or a product.</summary>
public abstract record Expr
{
    /// <summary>The canonical text of the expression (how the term is named in output).</summary>
    public abstract string Text { get; }

    /// <summary>The data columns the expression reads.</summary>
    public abstract IEnumerable<string> Columns { get; }

    /// <summary>Evaluates the expression on a panel (NaN = missing).</summary>
    public abstract double[] Evaluate(Panel panel);
}

/// <summary>A data column.</summary>
public sealed record VarExpr(string Name) : Expr
{
    /// <inheritdoc/>
    public override string Text => Name;
    /// <inheritdoc/>
    public override IEnumerable<string> Columns => [Name];
    /// <inheritdoc/>
    public override double[] Evaluate(Panel panel) => panel.Frame.Numeric(Name);
}

/// <summary>
/// A function of an expression: <c>log(x)</c>; <c>lag(x)</c>/<c>l(x)</c> and <c>lag(x, k)</c> (within
/// unit, gaps respected); <c>lead(x, k)</c>/<c>f(x, k)</c>.
/// </summary>
public sealed record CallExpr(string Function, Expr Argument, int Order, string Written) : Expr
{
    /// <inheritdoc/>
    public override string Text => Written;
    /// <inheritdoc/>
    public override IEnumerable<string> Columns => Argument.Columns;
    /// <inheritdoc/>
    public override double[] Evaluate(Panel panel)
    {
        if (Function is "lag" or "lead" && !panel.IsPanel) throw new InputException(Panel.NeedsPanel($"'{Written}' in the formula"));
        var x = Argument.Evaluate(panel);
        return Function switch
        {
            "log" => PanelTransforms.Log(panel, x, Argument.Text),
            "lag" => PanelTransforms.Lag(panel, x, Order),
            "lead" => PanelTransforms.Lag(panel, x, -Order),
            _ => throw new InputException($"unknown function '{Function}'"),
        };
    }
}

/// <summary>The product of two expressions, written <c>a:b</c> (an interaction for moderation).</summary>
public sealed record ProductExpr(Expr Left, Expr Right) : Expr
{
    /// <inheritdoc/>
    public override string Text => Left.Text + ":" + Right.Text;
    /// <inheritdoc/>
    public override IEnumerable<string> Columns => Left.Columns.Concat(Right.Columns);
    /// <inheritdoc/>
    public override double[] Evaluate(Panel panel)
    {
        var a = Left.Evaluate(panel);
        var b = Right.Evaluate(panel);
        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = a[i] * b[i];
        return r;
    }
}

/// <summary>
/// A vector computed by the caller, one value per row of the panel the model is fitted on (NaN = missing): a derived
/// response or regressor such as a growth rate or a translog term, handed to the design as a typed term instead of a
/// column added to the panel under an invented name. It reads no data column; <paramref name="Label"/> names it in output.
/// Two vectors are the same term only when they are the same array (record equality compares the array by reference).
/// </summary>
/// <param name="Label">How the term is named in output (its <see cref="Text"/>).</param>
/// <param name="Values">The values, aligned with the panel's rows; not copied, so the caller must not change them.</param>
public sealed record VectorExpr(string Label, double[] Values) : Expr
{
    /// <inheritdoc/>
    public override string Text => Label;
    /// <inheritdoc/>
    public override IEnumerable<string> Columns => [];
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The panel has a different number of rows than the vector.</exception>
    public override double[] Evaluate(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (Values.Length != panel.RowCount)
            throw new ArgumentException($"the vector '{Label}' has {Values.Length} values for a panel of {panel.RowCount} rows", nameof(panel));
        return Values;
    }
}

/// <summary>
/// A fixed-effects factor: one column, or an interaction of columns written <c>a^b</c>
/// (e.g. <c>province^year</c>).
/// </summary>
public sealed record FixedEffect(IReadOnlyList<string> Columns)
{
    /// <summary>The factor as written, e.g. <c>province^year</c>.</summary>
    public string Text => string.Join("^", Columns);
}

/// <summary>
/// A fixest-style model formula: <c>y ~ x1 + x2 | fe1 + fe2 | endog ~ instrument</c>. The fixed-effects
/// part may be <c>0</c> for none; the IV part is optional.
/// </summary>
public sealed record Formula(
    string Source,
    Expr Response,
    IReadOnlyList<Expr> Regressors,
    IReadOnlyList<FixedEffect> FixedEffects,
    IReadOnlyList<Expr> Endogenous,
    IReadOnlyList<Expr> Instruments)
{
    /// <summary>True when the formula has an IV part.</summary>
    public bool IsIv => Endogenous.Count > 0;

    /// <summary>Every data column the formula reads.</summary>
    public IEnumerable<string> Columns =>
        Response.Columns.Concat(Regressors.SelectMany(e => e.Columns)).Concat(FixedEffects.SelectMany(f => f.Columns))
            .Concat(Endogenous.SelectMany(e => e.Columns)).Concat(Instruments.SelectMany(e => e.Columns)).Distinct(StringComparer.Ordinal);

    /// <summary>Parses a formula.</summary>
    /// <exception cref="InputException">A syntax error naming its 1-based position.</exception>
    public static Formula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseFormula();
    }

    /// <summary>Parses one term as written in a formula, e.g. <c>log(gdp)</c>, <c>lag(x, 2)</c>, <c>L.x</c> or <c>a:b</c>.</summary>
    /// <exception cref="InputException">A syntax error naming its 1-based position, or factor notation (write a factor as a fixed effect).</exception>
    public static Expr ParseTerm(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseSingleTerm();
    }

    /// <summary>Parses the fixed-effects part of a formula as written after its first <c>|</c>: <c>unit + year</c>, <c>province^year</c>, or <c>0</c> for none.</summary>
    /// <exception cref="InputException">A syntax error naming its 1-based position.</exception>
    public static IReadOnlyList<FixedEffect> ParseFixedEffects(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseFixedEffectsOnly();
    }

    /// <summary>
    /// A formula from its parts, typed: its <see cref="Source"/> is the canonical text (<see cref="ToString"/>), so
    /// nothing is printed to be parsed again. Empty <paramref name="regressors"/> means an intercept-only model.
    /// </summary>
    /// <exception cref="InputException">A term that appears twice.</exception>
    public static Formula Of(Expr response, IEnumerable<Expr> regressors, IEnumerable<FixedEffect> fixedEffects, IEnumerable<Expr>? endogenous = null, IEnumerable<Expr>? instruments = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(regressors);
        ArgumentNullException.ThrowIfNull(fixedEffects);
        var f = new Formula("", response, [.. regressors], [.. fixedEffects], [.. endogenous ?? []], [.. instruments ?? []]);
        f = f with { Source = f.ToString() };
        var dup = f.Regressors.Concat(f.Endogenous).GroupBy(e => e.Text, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputException($"formula '{f.Source}': the term '{dup.Key}' appears more than once");
        return f;
    }

    /// <summary>The formula in canonical form.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Response.Text).Append(" ~ ").Append(Regressors.Count == 0 ? "1" : string.Join(" + ", Regressors.Select(r => r.Text)));
        if (FixedEffects.Count > 0 || IsIv) sb.Append(" | ").Append(FixedEffects.Count == 0 ? "0" : string.Join(" + ", FixedEffects.Select(f => f.Text)));
        if (IsIv) sb.Append(" | ").Append(string.Join(" + ", Endogenous.Select(e => e.Text))).Append(" ~ ").Append(string.Join(" + ", Instruments.Select(e => e.Text)));
        return sb.ToString();
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        private readonly List<(string Written, string Column, string Whose, Expr Marker)> _factors = [];

        public Formula ParseFormula()
        {
            Skip();
            if (_pos >= text.Length) throw Error("empty formula; expected 'y ~ x1 + x2 | fe1 + fe2'");
            var response = ParseExpr();
            Expect('~');
            var regressors = ParseSum(allowOne: true);
            var fes = new List<FixedEffect>();
            var endog = new List<Expr>();
            var inst = new List<Expr>();
            if (Accept('|'))
            {
                int save = _pos;
                var probe = TryParseIvPart();
                if (probe is not null) { endog = probe.Value.Endog; inst = probe.Value.Inst; }
                else
                {
                    _pos = save;
                    fes = ParseFixedEffects();
                    if (Accept('|'))
                    {
                        var iv = TryParseIvPart() ?? throw Error("expected the IV part 'endogenous ~ instruments'");
                        endog = iv.Endog; inst = iv.Inst;
                    }
                }
            }
            Skip();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}'");
            if (_factors.Count > 0)
            {
                // Stata's i.year / fixest's i(year): the equivalent here is a fixed effect.
                var (written, _, whose, _) = _factors[0];
                var rest = regressors.Where(r => !_factors.Any(f => ReferenceEquals(f.Marker, r))).ToList();
                var suggestion = new Formula(text, response, rest, [.. fes, .. _factors.Select(f => new FixedEffect([f.Column]))], endog, inst);
                throw new InputException($"formula: '{written}' is {whose} factor notation; write the factor as a fixed effect: {suggestion}");
            }
            var all = regressors.Select(r => r.Text).Concat(endog.Select(e => e.Text)).ToList();
            var dup = all.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new InputException($"formula '{text}': the term '{dup.Key}' appears more than once");
            return new Formula(text, response, regressors, fes, endog, inst);
        }

        public Expr ParseSingleTerm()
        {
            Skip();
            if (_pos >= text.Length) throw Error("empty term; expected a column or a function of one, e.g. log(gdp)");
            var e = ParseExpr();
            Skip();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}'");
            if (_factors.Count > 0) throw new InputException($"term '{text}': '{_factors[0].Written}' is {_factors[0].Whose} factor notation; write the factor as a fixed effect");
            return e;
        }

        public List<FixedEffect> ParseFixedEffectsOnly()
        {
            Skip();
            if (_pos >= text.Length) throw Error("empty fixed-effects part; expected e.g. 'unit + year' or 0");
            var fes = ParseFixedEffects();
            Skip();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}'");
            return fes;
        }

        private (List<Expr> Endog, List<Expr> Inst)? TryParseIvPart()
        {
            int save = _pos, factors = _factors.Count;
            try
            {
                var endog = ParseSum(allowOne: false);
                if (!Accept('~')) { _pos = save; _factors.RemoveRange(factors, _factors.Count - factors); return null; }
                var inst = ParseSum(allowOne: false);
                if (endog.Count == 0 || inst.Count == 0) throw Error("the IV part needs 'endogenous ~ instruments'");
                return (endog, inst);
            }
            catch (InputException) when (!LooksLikeIv(save))
            {
                _pos = save;
                _factors.RemoveRange(factors, _factors.Count - factors);
                return null;
            }
        }

        private bool LooksLikeIv(int from)
        {
            int bar = text.IndexOf('|', from);
            int tilde = text.IndexOf('~', from);
            return tilde >= 0 && (bar < 0 || tilde < bar);
        }

        private List<FixedEffect> ParseFixedEffects()
        {
            var list = new List<FixedEffect>();
            Skip();
            if (Peek() == '0') { _pos++; return list; }
            do
            {
                var cols = new List<string> { FactorName(ParseName()) };
                while (Accept('^')) cols.Add(FactorName(ParseName()));
                list.Add(new FixedEffect(cols));
            } while (Accept('+'));
            return list;
        }

        private List<Expr> ParseSum(bool allowOne)
        {
            var list = new List<Expr>();
            Skip();
            if (allowOne && Peek() == '1' && !IsNameChar(PeekAt(1))) { _pos++; return list; }
            do
            {
                var e = ParseExpr();
                // Stata's x##z: both main effects and their interaction.
                if (Peek() == '#' && PeekAt(1) == '#')
                {
                    _pos += 2;
                    var r = ParseExpr();
                    list.AddRange([e, r, new ProductExpr(e, r)]);
                }
                else list.Add(e);
            } while (Accept('+'));
            return list;
        }

        private Expr ParseExpr()
        {
            var left = ParseAtom();
            while (true)
            {
                Skip();
                // Stata's c.x#c.z is x:z here.
                if (Peek() == ':' || (Peek() == '#' && PeekAt(1) != '#')) { _pos++; left = new ProductExpr(left, ParseAtom()); }
                else return left;
            }
        }

        private Expr ParseAtom()
        {
            Skip();
            if (Accept('(')) { var e = ParseExpr(); Expect(')'); return e; }
            int start = _pos;
            var name = ParseName();
            Skip();
            if (Peek() != '(') return StataOperand(name);
            if (name == "i")
            {
                _pos++;
                string column = ParseName();
                Expect(')');
                var marker = new VarExpr(column);
                _factors.Add(($"i({column})", column, "fixest's", marker));
                return marker;
            }
            string fn = name switch
            {
                "log" or "ln" => "log",
                "lag" or "l" or "L" => "lag",
                "lead" or "f" or "F" => "lead",
                _ => throw new InputException($"formula: position {start + 1}: unknown function '{name}' (known: log, lag/l, lead/f)"),
            };
            _pos++;
            var arg = ParseExpr();
            int order = 1;
            if (Accept(','))
            {
                Skip();
                int s = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                if (s == _pos) throw Error("expected an integer lag order");
                order = int.Parse(text.AsSpan(s, _pos - s), CultureInfo.InvariantCulture);
                if (fn == "log") throw new InputException($"formula: position {s + 1}: log() takes one argument");
            }
            Expect(')');
            string written = order == 1 ? $"{name}({arg.Text})" : $"{name}({arg.Text},{order})";
            return new CallExpr(fn, arg, order, written);
        }

        /// <summary>
        /// A name that may be written with Stata's operators: L.x, L2.x (lag), F.x (lead) and c.x are taken
        /// as lag(x), lag(x,2), lead(x) and x; i.x is recorded as a factor (answered after parsing); D.x has
        /// no equivalent and is answered at once.
        /// </summary>
        private Expr StataOperand(string name)
        {
            var m = System.Text.RegularExpressions.Regex.Match(name, @"^(?<op>[LlFfDdic])(?<k>[0-9]*)\.(?<v>[A-Za-z_][A-Za-z0-9_.]*)$");
            if (!m.Success) return new VarExpr(name);
            string op = m.Groups["op"].Value, v = m.Groups["v"].Value;
            int k = m.Groups["k"].Value.Length == 0 ? 1 : int.Parse(m.Groups["k"].Value, CultureInfo.InvariantCulture);
            switch (op)
            {
                case "L" or "l" or "F" or "f":
                    string fn = op is "L" or "l" ? "lag" : "lead";
                    return new CallExpr(fn, new VarExpr(v), k, k == 1 ? $"{fn}({v})" : $"{fn}({v},{k})");
                case "D" or "d":
                    throw new InputException($"formula: '{name}' is Stata's first difference; there is no difference operator here: add the column {v} - lag({v}) to the data (e.g. a derive step) and use it");
                case "i" when m.Groups["k"].Value.Length == 0:
                    var marker = new VarExpr(v);
                    _factors.Add((name, v, "Stata's", marker));
                    return marker;
                case "c" when m.Groups["k"].Value.Length == 0:
                    return new VarExpr(v);
                default:
                    return new VarExpr(name);
            }
        }

        /// <summary>A fixed-effect factor written i.x (Stata) is x.</summary>
        private static string FactorName(string name) => name.StartsWith("i.", StringComparison.Ordinal) && name.Length > 2 ? name[2..] : name;

        private string ParseName()
        {
            Skip();
            int start = _pos;
            while (_pos < text.Length && IsNameChar(text[_pos])) _pos++;
            if (start == _pos)
                throw Error(_pos < text.Length ? $"expected a variable name, found '{text[_pos]}'" : "expected a variable name, found the end of the formula");
            return text[start.._pos];
        }

        private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '.';

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private char PeekAt(int k) => _pos + k < text.Length ? text[_pos + k] : '\0';

        private void Skip() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }

        private bool Accept(char c)
        {
            Skip();
            if (Peek() != c) return false;
            _pos++;
            return true;
        }

        private void Expect(char c)
        {
            if (!Accept(c))
                throw Error(_pos < text.Length ? $"expected '{c}', found '{text[_pos]}'" : $"expected '{c}', found the end of the formula");
        }

        private InputException Error(string what) => new($"formula syntax error at position {_pos + 1} of '{text}': {what}");
    }
}
