using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// An arithmetic expression over panel columns, for <c>derive</c>'s <c>expr</c> kind: <c>fiscal / gdp</c>,
/// <c>loans / gdp * 100</c>, <c>log(gdp / pop)</c>, <c>growth(gdp)</c>. Operators <c>+ - * / ^</c> (usual precedence,
/// <c>^</c> right-associative, unary minus), parentheses, numbers, column names, and the functions <c>log</c>
/// (natural), <c>exp</c>, <c>sqrt</c>, <c>abs</c>, <c>lag(x[, k])</c>, <c>lead(x[, k])</c> (within unit, gaps never bridged),
/// <c>diff(x)</c> = x − lag(x) and <c>growth(x)</c> = x / lag(x) − 1. A missing input gives a missing result; so do a
/// division by zero, the log or square root of a value out of domain, and a lag before the first period.
/// </summary>
/// <remarks>
/// Written here rather than taken from an expression library (NCalc, DynamicExpresso): the grammar is five operators
/// and eight functions, the evaluation is over whole columns of a panel (lags within unit) rather than one row of
/// scalars, and the errors must name the step's parameter and the column offset in one line; a library would parse
/// and then leave every one of those to us.
/// </remarks>
public sealed class DeriveExpression
{
    private readonly Node _root;

    private DeriveExpression(string text, Node root, IReadOnlyList<string> columns)
    {
        Text = text;
        _root = root;
        Columns = columns;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The columns it reads, in order of first use.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The functions an expression may call.</summary>
    public static IReadOnlyList<string> Functions { get; } = ["log", "exp", "sqrt", "abs", "lag", "lead", "diff", "growth"];

    /// <summary>Parses <paramref name="text"/>; every column it names must be in <paramref name="available"/>.</summary>
    /// <exception cref="InputException">A syntax error or an unknown column or function, naming the offset ("at 7: …").</exception>
    public static DeriveExpression Parse(string text, IReadOnlyCollection<string> available)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(available);
        var parser = new Parser(text, available);
        var root = parser.ParseAll();
        return new DeriveExpression(text, root, parser.Used);
    }

    /// <summary>Evaluates the expression on every row of <paramref name="panel"/> (NaN = missing).</summary>
    public double[] Evaluate(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var r = _root.Eval(panel);
        for (int i = 0; i < r.Length; i++) if (!double.IsFinite(r[i])) r[i] = double.NaN;
        return r;
    }

    private abstract record Node
    {
        public abstract double[] Eval(Panel panel);
    }

    private sealed record Number(double Value) : Node
    {
        public override double[] Eval(Panel panel)
        {
            var r = new double[panel.Frame.RowCount];
            Array.Fill(r, Value);
            return r;
        }
    }

    private sealed record Column(string Name) : Node
    {
        public override double[] Eval(Panel panel) => (double[])panel.Frame.Numeric(Name).Clone();
    }

    private sealed record Unary(Node Operand) : Node
    {
        public override double[] Eval(Panel panel) => [.. Operand.Eval(panel).Select(v => -v)];
    }

    private sealed record Binary(char Op, Node Left, Node Right) : Node
    {
        public override double[] Eval(Panel panel)
        {
            var a = Left.Eval(panel);
            var b = Right.Eval(panel);
            for (int i = 0; i < a.Length; i++)
                a[i] = Op switch
                {
                    '+' => a[i] + b[i],
                    '-' => a[i] - b[i],
                    '*' => a[i] * b[i],
                    '/' => b[i] == 0 ? double.NaN : a[i] / b[i],
                    _ => Math.Pow(a[i], b[i]),
                };
            return a;
        }
    }

    private sealed record Call(string Function, Node Argument, int K) : Node
    {
        public override double[] Eval(Panel panel)
        {
            var x = Argument.Eval(panel);
            switch (Function)
            {
                case "lag": return PanelTransforms.Lag(panel, x, K);
                case "lead": return PanelTransforms.Lag(panel, x, -K);
                case "diff":
                {
                    var l = PanelTransforms.Lag(panel, x, 1);
                    return [.. x.Select((v, i) => v - l[i])];
                }
                case "growth":
                {
                    var l = PanelTransforms.Lag(panel, x, 1);
                    return [.. x.Select((v, i) => l[i] == 0 ? double.NaN : v / l[i] - 1)];
                }
                default:
                    return [.. x.Select(v => Function switch
                    {
                        "log" => v > 0 ? Math.Log(v) : double.NaN,
                        "exp" => Math.Exp(v),
                        "sqrt" => v >= 0 ? Math.Sqrt(v) : double.NaN,
                        _ => Math.Abs(v),
                    })];
            }
        }
    }

    /// <summary>Recursive descent: expr = term (('+'|'-') term)*; term = power (('*'|'/') power)*; power = unary ('^' power)?; unary = '-' unary | atom.</summary>
    private sealed class Parser(string text, IReadOnlyCollection<string> available)
    {
        private int _at;

        public List<string> Used { get; } = [];

        public Node ParseAll()
        {
            Skip();
            if (_at >= text.Length) throw new InputException("expected an expression such as fiscal / gdp, found nothing");
            var n = Expr();
            Skip();
            if (_at < text.Length) throw Error($"unexpected '{text[_at]}'");
            return n;
        }

        private InputException Error(string what) => new($"at {_at + 1} of '{text}': {what}");

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private bool Eat(char c)
        {
            Skip();
            if (_at < text.Length && text[_at] == c) { _at++; return true; }
            return false;
        }

        private Node Expr()
        {
            var n = Term();
            while (true)
            {
                if (Eat('+')) n = new Binary('+', n, Term());
                else if (Eat('-')) n = new Binary('-', n, Term());
                else return n;
            }
        }

        private Node Term()
        {
            var n = Power();
            while (true)
            {
                if (Eat('*')) n = new Binary('*', n, Power());
                else if (Eat('/')) n = new Binary('/', n, Power());
                else return n;
            }
        }

        private Node Power()
        {
            var n = UnaryMinus();
            return Eat('^') ? new Binary('^', n, Power()) : n;
        }

        private Node UnaryMinus() => Eat('-') ? new Unary(UnaryMinus()) : Atom();

        private Node Atom()
        {
            Skip();
            if (_at >= text.Length) throw Error("expected a number, a column or '(', found the end");
            char c = text[_at];
            if (c == '(')
            {
                _at++;
                var n = Expr();
                if (!Eat(')')) throw Error("expected ')'");
                return n;
            }
            if (char.IsAsciiDigit(c) || c == '.')
            {
                int start = _at;
                while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] == '.' || ((text[_at] is 'e' or 'E') && _at + 1 < text.Length && (char.IsAsciiDigit(text[_at + 1]) || text[_at + 1] is '-' or '+'))))
                    _at += text[_at] is 'e' or 'E' ? 2 : 1;
                string number = text[start.._at];
                return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    ? new Number(v)
                    : throw new InputException($"at {start + 1} of '{text}': '{number}' is not a number");
            }
            if (char.IsLetter(c) || c == '_')
            {
                int start = _at;
                while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '.')) _at++;
                string name = text[start.._at];
                if (Eat('('))
                {
                    if (!Functions.Contains(name)) throw new InputException($"at {start + 1} of '{text}': no function '{name}'; functions: {string.Join(", ", Functions)}");
                    var arg = Expr();
                    int k = 1;
                    Skip();
                    int comma = _at;
                    if (Eat(','))
                    {
                        if (name is not ("lag" or "lead")) throw new InputException($"at {comma + 1} of '{text}': {name}() takes one argument");
                        Skip();
                        int ks = _at;
                        while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
                        if (!int.TryParse(text[ks.._at], NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1 || k > 1000)
                            throw new InputException($"at {ks + 1} of '{text}': {name}'s periods must be a whole number from 1 to 1000");
                    }
                    if (!Eat(')')) throw Error("expected ')'");
                    return new Call(name, arg, k);
                }
                if (!available.Contains(name))
                    throw new InputException($"at {start + 1} of '{text}': no column '{name}'; available columns: {string.Join(", ", available)}");
                if (!Used.Contains(name)) Used.Add(name);
                return new Column(name);
            }
            throw Error($"unexpected '{c}'");
        }
    }
}
