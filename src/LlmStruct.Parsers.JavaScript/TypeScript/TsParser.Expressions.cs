using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

/// <summary>What an expression turned out to be, as far as the model cares.</summary>
internal enum ExprKind
{
    Other,
    Identifier,
    Member,
    This,
    ThisMember,
    StringLiteral,
    Function,
    Arrow,
    Class,
    Object,
    Call,
    Require,
}

internal sealed partial class TsParser
{
    /// <summary>An expression's kind and extent; <see cref="Path"/> is <c>a.b.c</c> for identifier-rooted member paths (or the member of <c>this.x</c>).</summary>
    private readonly record struct Expr(ExprKind Kind, int Start, int End, string? Path = null, bool Jsx = false, bool Defined = false);

    /// <summary>
    /// The name a function, arrow, class or object literal gets when it is the whole value bound or assigned
    /// (<c>const f = () => …</c>, <c>a.b = function …</c>): definitions are made only from such a hint.
    /// </summary>
    private sealed record Hint(string Name, string QualifiedName, int Start, string Kind, DefinitionBuilder? Owner, bool Objects = true, bool Classes = true);

    /// <summary>The definition the last hint made (class fields holding arrows end where the field ends).</summary>
    private DefinitionBuilder? _hinted;

    private Expr ParseExpression(Scope scope)
    {
        var first = ParseAssignment(scope);
        if (!Is(","))
        {
            return first;
        }
        while (Eat(","))
        {
            ParseAssignment(scope);
        }
        return new Expr(ExprKind.Other, first.Start, _prevEnd);
    }

    private static readonly HashSet<string> AssignmentOperators = new(StringComparer.Ordinal)
    {
        "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", "&=", "|=", "^=", "&&=", "||=", "??=",
    };

    private Expr ParseAssignment(Scope scope, Hint? hint = null)
    {
        Enter();
        try
        {
            if (IsArrowStart())
            {
                return ParseArrow(scope, hint);
            }
            if (IsWord("yield") && Peek() is var afterYield && !afterYield.NewLineBefore && StartsExpression(afterYield))
            {
                int yieldStart = _tok.Start;
                Next();
                Eat("*");
                ParseAssignment(scope);
                return new Expr(ExprKind.Other, yieldStart, _prevEnd);
            }
            var left = ParseConditional(scope, hint);
            string? op = _tok.Kind == TsTokenKind.Punctuator ? (AssignmentOperators.Contains(_tok.Text) ? _tok.Text : ShiftAssignment()) : null;
            if (op is null)
            {
                return left;
            }
            ConsumeOperator(op);
            Hint? target = null;
            if (op == "=" && left.Path is { } path)
            {
                if (left.Kind == ExprKind.ThisMember)
                {
                    if (scope.ThisOwner is { } owner)
                    {
                        target = new Hint(path, owner.QualifiedName + "." + path, left.Start, DefinitionKinds.Method, owner, Objects: false);
                    }
                }
                else
                {
                    target = new Hint(path[(path.LastIndexOf('.') + 1)..], scope.Prefix + path, left.Start, DefinitionKinds.Function, null);
                }
            }
            var right = ParseAssignment(scope, target);
            return new Expr(ExprKind.Other, left.Start, _prevEnd, Jsx: right.Jsx);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary><c>&gt;&gt;=</c> and <c>&gt;&gt;&gt;=</c> (scanned as single <c>&gt;</c> tokens); null otherwise.</summary>
    private string? ShiftAssignment()
    {
        if (!Is(">"))
        {
            return null;
        }
        string op = GreaterThanOperator();
        return op is ">>=" or ">>>=" ? op : null;
    }

    /// <summary>The operator starting at a <c>&gt;</c> token: <c>&gt;</c>, <c>&gt;=</c>, <c>&gt;&gt;</c>, <c>&gt;&gt;=</c>, <c>&gt;&gt;&gt;</c> or <c>&gt;&gt;&gt;=</c>.</summary>
    private string GreaterThanOperator()
    {
        int i = _tok.Start;
        int count = 0;
        while (i < _source.Length && _source[i] == '>' && count < 3)
        {
            i++;
            count++;
        }
        bool equals = i < _source.Length && _source[i] == '=' && !(i + 1 < _source.Length && _source[i + 1] is '=' or '>');
        return new string('>', count) + (equals ? "=" : "");
    }

    /// <summary>Consumes the tokens making up <paramref name="op"/> (one token, or several for composed <c>&gt;</c> operators).</summary>
    private void ConsumeOperator(string op)
    {
        int end = _tok.Start + op.Length;
        Next();
        while (_tok.Start < end && _tok.Kind != TsTokenKind.EndOfFile)
        {
            Next();
        }
    }

    private Expr ParseConditional(Scope scope, Hint? hint)
    {
        var test = ParseBinary(0, scope, hint);
        if (!Is("?"))
        {
            return test;
        }
        Next();
        bool saved = _noIn;
        _noIn = false;
        var consequent = ParseAssignment(scope);
        _noIn = saved;
        Expect(":");
        var alternate = ParseAssignment(scope);
        return new Expr(ExprKind.Other, test.Start, _prevEnd, Jsx: consequent.Jsx || alternate.Jsx);
    }

    private static int Precedence(string op) => op switch
    {
        "??" => 1,
        "||" => 2,
        "&&" => 3,
        "|" => 4,
        "^" => 5,
        "&" => 6,
        "==" or "!=" or "===" or "!==" => 7,
        "<" or ">" or "<=" or ">=" or "instanceof" or "in" or "as" or "satisfies" => 8,
        "<<" or ">>" or ">>>" => 9,
        "+" or "-" => 10,
        "*" or "/" or "%" => 11,
        "**" => 12,
        _ => 0,
    };

    private string? BinaryOperator()
    {
        if (_tok.Kind == TsTokenKind.Punctuator)
        {
            if (_tok.Text == ">")
            {
                string op = GreaterThanOperator();
                return op.EndsWith('=') && op != ">=" ? null : op;
            }
            return Precedence(_tok.Text) > 0 ? _tok.Text : null;
        }
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            return _tok.Text switch
            {
                "instanceof" => "instanceof",
                "in" when !_noIn => "in",
                "as" or "satisfies" when !_tok.NewLineBefore => _tok.Text,
                _ => null,
            };
        }
        return null;
    }

    private Expr ParseBinary(int minPrecedence, Scope scope, Hint? hint)
    {
        var left = ParseUnary(scope, hint);
        while (BinaryOperator() is { } op)
        {
            int precedence = Precedence(op);
            if (precedence <= minPrecedence && !(op == "**" && precedence == minPrecedence))
            {
                break;
            }
            if (op is "as" or "satisfies")
            {
                Next();
                if (!EatWord("const"))
                {
                    SkipType();
                }
                left = new Expr(ExprKind.Other, left.Start, _prevEnd);
                continue;
            }
            ConsumeOperator(op);
            var right = ParseBinary(op == "**" ? precedence - 1 : precedence, scope, null);
            bool jsx = op is "&&" or "||" or "??" && (left.Jsx || right.Jsx);
            left = new Expr(ExprKind.Other, left.Start, _prevEnd, Jsx: jsx);
        }
        return left;
    }

    private Expr ParseUnary(Scope scope, Hint? hint)
    {
        Enter();
        try
        {
            int start = _tok.Start;
            if (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is "!" or "~" or "+" or "-" or "++" or "--")
            {
                Next();
                ParseUnary(scope, null);
                return new Expr(ExprKind.Other, start, _prevEnd);
            }
            if (_tok.Kind == TsTokenKind.Identifier && _tok.Text is "typeof" or "void" or "delete" or "await")
            {
                var next = Peek();
                if (StartsExpression(next))
                {
                    Next();
                    ParseUnary(scope, null);
                    return new Expr(ExprKind.Other, start, _prevEnd);
                }
            }
            if (Is("<") && !_jsx)
            {
                // <T>expr: a type assertion.
                Next();
                SkipType();
                Expect(">");
                ParseUnary(scope, null);
                return new Expr(ExprKind.Other, start, _prevEnd);
            }
            var expression = ParseLeftHandSide(scope, allowCall: true, hint);
            if (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is "++" or "--" && !_tok.NewLineBefore)
            {
                Next();
                RescanDivision();
                return new Expr(ExprKind.Other, start, _prevEnd);
            }
            return expression;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>True when <paramref name="token"/> can start an operand.</summary>
    private static bool StartsExpression(TsToken token) => token.Kind switch
    {
        TsTokenKind.EndOfFile or TsTokenKind.Invalid => false,
        TsTokenKind.Punctuator => token.Text is "(" or "[" or "{" or "!" or "~" or "+" or "-" or "++" or "--" or "/" or "/=" or "<" or "@" or "#" or "...",
        TsTokenKind.Identifier => token.Text is not ("in" or "of" or "instanceof" or "as" or "satisfies"),
        _ => true,
    };
}
