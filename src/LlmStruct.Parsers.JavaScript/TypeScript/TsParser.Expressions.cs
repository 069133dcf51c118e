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

    private Expr ParseLeftHandSide(Scope scope, bool allowCall, Hint? hint = null)
    {
        int start = _tok.Start;
        Expr expression;
        if (IsWord("new"))
        {
            Next();
            if (Eat("."))
            {
                ExpectIdentifier(); // new.target
                expression = new Expr(ExprKind.Other, start, _prevEnd);
            }
            else
            {
                int calleeStart = _tok.Start;
                var callee = ParseLeftHandSide(scope, allowCall: false);
                int calleeEnd = _prevEnd;
                if (Is("<"))
                {
                    TryTypeArguments(forNew: true);
                }
                // Recorded before the arguments, so a call's first line is its outermost use (as a tree walk finds it).
                if (callee.Kind is not (ExprKind.Function or ExprKind.Class or ExprKind.Arrow))
                {
                    RecordCall(scope, calleeStart, calleeEnd);
                }
                if (Is("("))
                {
                    ParseArguments(scope);
                }
                expression = new Expr(ExprKind.Other, start, _prevEnd);
            }
        }
        else
        {
            expression = ParsePrimary(scope, hint);
        }
        string? path = expression.Kind == ExprKind.Identifier ? expression.Path : null;
        bool isThis = expression.Kind == ExprKind.This;
        int calleeEndOffset = _prevEnd;
        while (true)
        {
            if (Is("."))
            {
                Next();
                if (_tok.Kind is not (TsTokenKind.Identifier or TsTokenKind.PrivateName))
                {
                    throw Fail("property name expected");
                }
                string name = _tok.Text;
                bool plain = _tok.Kind == TsTokenKind.Identifier;
                Next();
                if (isThis && plain)
                {
                    expression = new Expr(ExprKind.ThisMember, start, _prevEnd, name);
                    isThis = false;
                    path = null;
                }
                else
                {
                    path = path is not null && plain ? path + "." + name : null;
                    expression = new Expr(path is null ? ExprKind.Other : ExprKind.Member, start, _prevEnd, path);
                }
                calleeEndOffset = _prevEnd;
                continue;
            }
            isThis = false;
            if (Is("?."))
            {
                Next();
                path = null;
                if (Is("("))
                {
                    expression = ParseCall(scope, start, calleeEndOffset, expression);
                }
                else if (Is("["))
                {
                    Next();
                    ParseExpression(scope);
                    Expect("]");
                }
                else if (Is("<"))
                {
                    TryTypeArguments(forNew: false);
                    expression = ParseCall(scope, start, calleeEndOffset, expression);
                }
                else if (_tok.Kind is TsTokenKind.Identifier or TsTokenKind.PrivateName)
                {
                    Next();
                }
                else
                {
                    throw Fail("property name expected");
                }
                expression = expression with { Kind = ExprKind.Other, End = _prevEnd, Path = null };
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (Is("["))
            {
                Next();
                ParseExpression(scope);
                Expect("]");
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (Is("!") && !_tok.NewLineBefore)
            {
                Next();
                RescanDivision();
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (_tok.Kind is TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead)
            {
                ParseTemplate(scope);
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (allowCall && Is("("))
            {
                expression = ParseCall(scope, start, calleeEndOffset, expression);
                path = null;
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (allowCall && Is("<") && TryTypeArguments(forNew: false))
            {
                // f<T>(…) keeps the callee's text without its type arguments.
                continue;
            }
            break;
        }
        return expression;
    }

    /// <summary>After a postfix <c>!</c>, <c>++</c> or <c>--</c> an operator follows: a <c>/</c> scanned as a regular expression is division.</summary>
    private void RescanDivision()
    {
        if (_tok.Kind == TsTokenKind.Regex)
        {
            if (_lexer.Error?.Offset == _tok.Start)
            {
                _lexer.Error = null;
            }
            _lexer.Position = _tok.Start;
            _tok = _lexer.Next(false);
        }
    }

    private Expr ParseCall(Scope scope, int start, int calleeEnd, Expr callee)
    {
        // Recorded before the arguments, so a call's first line is its outermost use (as a tree walk finds it).
        if (callee.Kind is not (ExprKind.Function or ExprKind.Class or ExprKind.Arrow))
        {
            RecordCall(scope, start, calleeEnd);
        }
        var (count, firstString) = ParseArguments(scope);
        if (callee.Kind == ExprKind.Identifier && callee.Path == "require" && count == 1 && firstString is { } module)
        {
            _requireAt[start] = _imports.Count;
            AddImport(new ImportInfo { Module = module, Kind = "require", Line = LineOf(start) }, start);
            return new Expr(ExprKind.Require, start, _prevEnd);
        }
        return new Expr(ExprKind.Call, start, _prevEnd);
    }

    /// <summary><c>&lt;T, U&gt;</c> after an expression, kept only when what follows makes them type arguments (as the reference parser decides).</summary>
    private bool TryTypeArguments(bool forNew)
    {
        var state = Save();
        try
        {
            Next();
            SkipType();
            while (Eat(","))
            {
                SkipType();
            }
            if (!Is(">"))
            {
                Restore(state);
                return false;
            }
            Next();
            if (forNew || CanFollowTypeArguments())
            {
                return true;
            }
        }
        catch (TsSyntaxError)
        {
        }
        Restore(state);
        return false;
    }

    private bool CanFollowTypeArguments()
    {
        if (Is("(") || _tok.Kind is TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead)
        {
            return true;
        }
        if (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is "<" or ">" or "+" or "-")
        {
            return false;
        }
        if (_tok.NewLineBefore || _tok.Kind == TsTokenKind.EndOfFile)
        {
            return true;
        }
        if (BinaryOperator() is not null)
        {
            return true;
        }
        return !StartsExpression(_tok);
    }

    /// <summary>Arguments; how many, and the first one's text when it is a plain string literal.</summary>
    private (int Count, string? FirstString) ParseArguments(Scope scope)
    {
        Expect("(");
        int count = 0;
        string? firstString = null;
        bool saved = _noIn;
        _noIn = false;
        while (!Eat(")"))
        {
            Eat("...");
            var token = _tok;
            var argument = ParseAssignment(scope);
            if (count == 0 && argument.Start == token.Start && argument.End == token.End
                && token.Kind is TsTokenKind.String or TsTokenKind.NoSubstitutionTemplate)
            {
                firstString = StringValue(token);
            }
            count++;
            if (!Is(")"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
        return (count, firstString);
    }

    private void ParseTemplate(Scope scope)
    {
        if (_tok.Kind == TsTokenKind.NoSubstitutionTemplate)
        {
            Next();
            return;
        }
        while (true)
        {
            Next();
            ParseExpression(scope);
            if (!Is("}"))
            {
                throw Fail("'}' expected in template");
            }
            _tok = _lexer.RescanTemplateContinuation(_tok.Start);
            if (_tok.Kind == TsTokenKind.TemplateTail)
            {
                Next();
                return;
            }
        }
    }

    private Expr ParsePrimary(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TsTokenKind.Identifier:
                switch (_tok.Text)
                {
                    case "function":
                        return ParseFunctionExpression(scope, WholeHint(hint, ExprKind.Function));
                    case "async" when Peek() is { Kind: TsTokenKind.Identifier, Text: "function", NewLineBefore: false }:
                        return ParseFunctionExpression(scope, WholeHint(hint, ExprKind.Function));
                    case "class":
                        return ParseClassExpression(scope, WholeHint(hint, ExprKind.Class), start, []);
                    case "this":
                        Next();
                        return new Expr(ExprKind.This, start, _prevEnd);
                    case "import":
                    {
                        Next();
                        if (Eat("."))
                        {
                            ExpectIdentifier();
                            return new Expr(ExprKind.Other, start, _prevEnd);
                        }
                        var (count, module) = ParseArguments(scope);
                        if (count >= 1 && module is not null)
                        {
                            AddImport(new ImportInfo { Module = module, Kind = "dynamic", Line = LineOf(start) }, start);
                        }
                        return new Expr(ExprKind.Other, start, _prevEnd);
                    }
                }
                string name = _tok.Text;
                if (NotAnExpression.Contains(name))
                {
                    throw Fail("expression expected");
                }
                Next();
                return new Expr(ExprKind.Identifier, start, _prevEnd, name);
            case TsTokenKind.String:
                Next();
                return new Expr(ExprKind.StringLiteral, start, _prevEnd);
            case TsTokenKind.Number or TsTokenKind.Regex or TsTokenKind.PrivateName:
                Next();
                return new Expr(ExprKind.Other, start, _prevEnd);
            case TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead:
                ParseTemplate(scope);
                return new Expr(ExprKind.Other, start, _prevEnd);
        }
        switch (_tok.Text)
        {
            case "/" or "/=":
                _tok = _lexer.RescanRegex(_tok.Start, _tok.NewLineBefore);
                Next();
                return new Expr(ExprKind.Other, start, _prevEnd);
            case "(":
            {
                var inner = WholeHint(hint, ExprKind.Other);
                Next();
                bool saved = _noIn;
                _noIn = false;
                var value = inner is null ? ParseExpression(scope) : ParseAssignment(scope, inner);
                if (inner is not null && Is(","))
                {
                    while (Eat(","))
                    {
                        ParseAssignment(scope);
                    }
                }
                _noIn = saved;
                Expect(")");
                return new Expr(ExprKind.Other, start, _prevEnd, Jsx: value.Jsx, Defined: value.Defined);
            }
            case "[":
            {
                Next();
                bool saved = _noIn;
                _noIn = false;
                while (!Eat("]"))
                {
                    if (Eat(","))
                    {
                        continue;
                    }
                    Eat("...");
                    ParseAssignment(scope);
                    if (!Is("]"))
                    {
                        Expect(",");
                    }
                }
                _noIn = saved;
                return new Expr(ExprKind.Other, start, _prevEnd);
            }
            case "{":
                return ParseObject(scope, WholeHint(hint, ExprKind.Object));
            case "@":
            {
                var decorators = ParseDecorators(scope);
                if (!IsWord("class"))
                {
                    throw Fail("'class' expected after decorators");
                }
                return ParseClassExpression(scope, WholeHint(hint, ExprKind.Class), start, decorators);
            }
            case "<" when _jsx:
                return ParseJsx(scope);
        }
        throw Fail("expression expected");
    }

    /// <summary>Reserved words that cannot start an expression (those that can are parsed before this check).</summary>
    private static readonly HashSet<string> NotAnExpression = new(StringComparer.Ordinal)
    {
        "in", "instanceof", "case", "default", "else", "catch", "finally", "extends", "do", "while", "for", "if", "return",
        "switch", "try", "throw", "var", "const", "break", "continue", "debugger", "with", "export",
    };

    /// <summary>The hint when the value starting here is the whole value (nothing but the end of the expression follows it).</summary>
    private Hint? WholeHint(Hint? hint, ExprKind kind)
    {
        if (hint is null || (kind == ExprKind.Object && !hint.Objects) || (kind == ExprKind.Class && !hint.Classes))
        {
            return null;
        }
        var state = Save();
        try
        {
            switch (kind)
            {
                case ExprKind.Function:
                    EatWord("async");
                    Next(); // function
                    Eat("*");
                    if (_tok.Kind == TsTokenKind.Identifier)
                    {
                        Next();
                    }
                    if (Is("<"))
                    {
                        SkipBalanced();
                    }
                    SkipBalanced();
                    if (Eat(":"))
                    {
                        SkipType();
                    }
                    SkipBalanced();
                    break;
                case ExprKind.Class:
                    while (!Is("{"))
                    {
                        if (_tok.Kind == TsTokenKind.EndOfFile)
                        {
                            return null;
                        }
                        if (Is("(") || Is("["))
                        {
                            SkipBalanced();
                        }
                        else
                        {
                            Next();
                        }
                    }
                    SkipBalanced();
                    break;
                default:
                    SkipBalanced();
                    break;
            }
            bool whole = _tok.Kind == TsTokenKind.EndOfFile
                || (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is ";" or "," or ")" or "]" or "}" or ":")
                || (_tok.NewLineBefore && _tok.Kind switch
                {
                    TsTokenKind.Identifier => _tok.Text is not ("as" or "satisfies" or "in" or "instanceof"),
                    TsTokenKind.String or TsTokenKind.Number or TsTokenKind.PrivateName => true,
                    TsTokenKind.Punctuator => _tok.Text is "{" or "@" or "!" or "~" or "++" or "--",
                    _ => false,
                });
            return whole ? hint : null;
        }
        catch (TsSyntaxError)
        {
            return null;
        }
        finally
        {
            Restore(state);
        }
    }

    private Scope HintScope(Hint hint, Scope scope) => hint.Owner is { } owner ? scope with { Owner = owner } : scope;

    private Expr ParseFunctionExpression(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        bool isAsync = EatWord("async");
        Next(); // function
        bool generator = Eat("*");
        if (_tok.Kind == TsTokenKind.Identifier && !Is("("))
        {
            Next();
        }
        DefinitionBuilder? definition = null;
        if (hint is not null)
        {
            definition = NewDefinition(hint.Kind, hint.Name, hint.QualifiedName, hint.Start, HintScope(hint, scope));
            definition.Async = isAsync;
            if (generator)
            {
                definition.Modifiers.Add("generator");
            }
            _hinted = definition;
        }
        ParseFunctionRest(definition, scope, arrow: false, maybeComponent: hint?.Kind == DefinitionKinds.Function);
        return new Expr(ExprKind.Function, start, _prevEnd, Defined: definition is not null);
    }

    private bool IsArrowStart()
    {
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            if (IsReservedWord(_tok.Text) && _tok.Text is not ("this"))
            {
                return false;
            }
            var next = Peek();
            if (next is { Kind: TsTokenKind.Punctuator, Text: "=>" })
            {
                return true;
            }
            if (_tok.Text == "async" && !next.NewLineBefore)
            {
                if (next.Kind == TsTokenKind.Identifier)
                {
                    var state = Save();
                    Next();
                    Next();
                    bool arrow = Is("=>");
                    Restore(state);
                    return arrow;
                }
                if (next.Kind == TsTokenKind.Punctuator && next.Text is "(" or "<")
                {
                    var state = Save();
                    Next();
                    bool arrow = ParenthesizedArrowFollows();
                    Restore(state);
                    return arrow;
                }
            }
            return false;
        }
        if (Is("(") || (Is("<") && (!_jsx || GenericArrowInTsx())))
        {
            var state = Save();
            bool arrow = ParenthesizedArrowFollows();
            Restore(state);
            return arrow;
        }
        return false;
    }

    /// <summary>In TSX, <c>&lt;T,&gt;</c> and <c>&lt;T extends …&gt;</c> start a generic arrow; anything else is JSX.</summary>
    private bool GenericArrowInTsx()
    {
        var state = Save();
        try
        {
            Next();
            if (_tok.Kind != TsTokenKind.Identifier)
            {
                return false;
            }
            Next();
            return Is(",") || IsWord("extends");
        }
        catch (TsSyntaxError)
        {
            return false;
        }
        finally
        {
            Restore(state);
        }
    }

    /// <summary>From <c>(</c> or <c>&lt;</c>: balanced parameters, an optional return type, then <c>=&gt;</c>. Consumes tokens (callers restore).</summary>
    private bool ParenthesizedArrowFollows()
    {
        try
        {
            if (Is("<"))
            {
                SkipBalanced();
            }
            if (!Is("("))
            {
                return false;
            }
            SkipBalanced();
            if (Is("=>"))
            {
                return !_tok.NewLineBefore;
            }
            if (Eat(":"))
            {
                SkipType();
                return Is("=>");
            }
            return false;
        }
        catch (TsSyntaxError)
        {
            return false;
        }
    }

    private Expr ParseArrow(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        bool isAsync = false;
        if (IsWord("async") && Peek() is { } next && !(next is { Kind: TsTokenKind.Punctuator, Text: "=>" }))
        {
            Next();
            isAsync = true;
        }
        DefinitionBuilder? definition = null;
        if (hint is not null)
        {
            definition = NewDefinition(hint.Kind, hint.Name, hint.QualifiedName, hint.Start, HintScope(hint, scope));
            definition.Async = isAsync;
            _hinted = definition;
        }
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            definition?.Parameters.Add(new ParameterInfo { Name = _tok.Text });
            Next();
        }
        else
        {
            ParseTypeParameters(definition);
            ParseParameters(definition, scope, null);
            ParseReturnType(definition);
        }
        Expect("=>");
        var inner = definition is null ? scope with { ReturnTarget = null } : new Scope(definition, definition, scope.ThisOwner);
        if (Is("{"))
        {
            ParseBlock(inner);
        }
        else
        {
            bool saved = _noIn;
            var body = ParseAssignment(inner);
            _noIn = saved;
            if (body.Jsx && definition is not null)
            {
                definition.ReturnsJsx = true;
            }
        }
        if (definition is not null)
        {
            Finish(definition);
            MaybeComponent(definition, hint!.Kind == DefinitionKinds.Function);
        }
        return new Expr(ExprKind.Arrow, start, _prevEnd, Defined: definition is not null);
    }

    private static void MaybeComponent(DefinitionBuilder definition, bool maybeComponent)
    {
        if (maybeComponent && definition.ReturnsJsx && definition.Name.Length > 0 && definition.Name[0] is >= 'A' and <= 'Z')
        {
            definition.Kind = DefinitionKinds.Component;
        }
    }

    /// <summary>Type parameters, parameters, return type and body of a function; <paramref name="definition"/> null for a callback.</summary>
    private void ParseFunctionRest(DefinitionBuilder? definition, Scope scope, bool arrow, bool maybeComponent, DefinitionBuilder? parameterPropertiesOf = null)
    {
        ParseTypeParameters(definition);
        ParseParameters(definition, scope, parameterPropertiesOf);
        ParseReturnType(definition);
        Scope inner;
        if (definition is null)
        {
            inner = scope with { ReturnTarget = null, ThisOwner = arrow ? scope.ThisOwner : null };
        }
        else
        {
            var thisOwner = definition.Kind == DefinitionKinds.Constructor ? scope.Owner
                : definition.Kind == DefinitionKinds.Function ? definition
                : null;
            inner = new Scope(definition, definition, thisOwner);
        }
        if (Is("{"))
        {
            ParseBlock(inner);
        }
        else if (definition is not null)
        {
            // An overload, a declaration or an abstract member: no body.
            Semicolon();
        }
        else
        {
            throw Fail("'{' expected");
        }
        if (definition is not null)
        {
            Finish(definition);
            MaybeComponent(definition, maybeComponent);
        }
    }

    /// <summary><c>: T</c> after parameters, kept as the definition's return type.</summary>
    private void ParseReturnType(DefinitionBuilder? definition)
    {
        if (Eat(":"))
        {
            int typeStart = _tok.Start;
            SkipType();
            if (definition is not null)
            {
                definition.ReturnType = Text(typeStart, _prevEnd);
            }
        }
    }

    private void ParseTypeParameters(DefinitionBuilder? definition)
    {
        if (!Is("<"))
        {
            return;
        }
        Next();
        while (!Eat(">"))
        {
            int start = _tok.Start;
            while (_tok.Kind == TsTokenKind.Identifier && _tok.Text is "const" or "in" or "out" && Peek().Kind == TsTokenKind.Identifier)
            {
                Next();
            }
            ExpectIdentifier();
            if (EatWord("extends"))
            {
                SkipType();
            }
            if (Eat("="))
            {
                SkipType();
            }
            definition?.TypeParameters.Add(Text(start, _prevEnd));
            if (!Is(">"))
            {
                Expect(",");
            }
        }
    }

    private static readonly HashSet<string> ParameterModifiers = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "readonly", "override",
    };

    private void ParseParameters(DefinitionBuilder? definition, Scope scope, DefinitionBuilder? parameterPropertiesOf)
    {
        Expect("(");
        bool saved = _noIn;
        _noIn = false;
        while (!Eat(")"))
        {
            int start = _tok.Start;
            var decorators = Is("@") ? ParseDecorators(scope) : [];
            var modifiers = new List<string>();
            while (_tok.Kind == TsTokenKind.Identifier && ParameterModifiers.Contains(_tok.Text)
                && Peek() is var after && (after.Kind == TsTokenKind.Identifier || after is { Kind: TsTokenKind.Punctuator, Text: "{" or "[" or "..." }))
            {
                modifiers.Add(_tok.Text);
                Next();
            }
            bool rest = Eat("...");
            int nameStart = _tok.Start;
            bool isThis = IsWord("this");
            ParseBinding(scope, null);
            string name = Text(nameStart, _prevEnd);
            bool optional = Eat("?");
            string? type = null;
            if (Eat(":"))
            {
                int typeStart = _tok.Start;
                SkipType();
                type = Text(typeStart, _prevEnd);
            }
            string? defaultValue = null;
            if (Eat("="))
            {
                int valueStart = _tok.Start;
                ParseAssignment(scope);
                defaultValue = Text(valueStart, _prevEnd);
            }
            definition?.Parameters.Add(new ParameterInfo
            {
                Name = optional ? name + "?" : name,
                Kind = rest ? ParameterKinds.VarPositional : isThis ? ParameterKinds.This : ParameterKinds.Regular,
                Type = type,
                Default = defaultValue,
            });
            if (modifiers.Count > 0 && parameterPropertiesOf is { } owner)
            {
                // A parameter property: also a field of the class.
                var field = NewDefinition(DefinitionKinds.Field, name, owner.QualifiedName + "." + name, start, new Scope(owner, null));
                field.ReturnType = type;
                foreach (var decorator in decorators)
                {
                    field.Decorators.Add(decorator.Text);
                }
                foreach (var modifier in modifiers)
                {
                    if (modifier is "public" or "private" or "protected")
                    {
                        field.Visibility = modifier;
                    }
                    else
                    {
                        field.Modifiers.Add(modifier);
                    }
                }
                Finish(field);
            }
            if (!Is(")"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
    }

    private Expr ParseObject(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        string? prefix = hint?.QualifiedName;
        Next(); // {
        bool saved = _noIn;
        _noIn = false;
        while (!Eat("}"))
        {
            int memberStart = _tok.Start;
            if (Eat("..."))
            {
                ParseAssignment(scope);
            }
            else
            {
                bool isAsync = false, generator = false;
                string? accessor = null;
                if (IsWord("async") && IsMemberNameAfter(allowStar: true))
                {
                    Next();
                    isAsync = true;
                }
                if (Eat("*"))
                {
                    generator = true;
                }
                if ((IsWord("get") || IsWord("set")) && IsMemberNameAfter(allowStar: false))
                {
                    accessor = _tok.Text;
                    Next();
                }
                var (key, usable) = ParsePropertyName(scope);
                // `a?: …` / `a!: …` parse (the compiler's grammar check rejects them later).
                if (!Eat("?"))
                {
                    Eat("!");
                }
                if (Is("(") || Is("<"))
                {
                    DefinitionBuilder? definition = null;
                    if (prefix is not null && usable)
                    {
                        definition = NewDefinition(accessor is null ? DefinitionKinds.Method : DefinitionKinds.Property, key, prefix + "." + key, memberStart, scope);
                        definition.Async = isAsync;
                        if (generator)
                        {
                            definition.Modifiers.Add("generator");
                        }
                        if (accessor is not null)
                        {
                            definition.Modifiers.Add(accessor);
                        }
                    }
                    ParseFunctionRest(definition, scope, arrow: false, maybeComponent: false);
                }
                else if (Eat(":"))
                {
                    var valueHint = prefix is not null && usable
                        ? new Hint(key, prefix + "." + key, memberStart, DefinitionKinds.Method, null, Objects: false, Classes: false)
                        : null;
                    ParseAssignment(scope, valueHint);
                }
                else if (Eat("="))
                {
                    // { a = 1 } in a pattern written as an object
                    ParseAssignment(scope);
                }
            }
            if (!Is("}"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
        return new Expr(ExprKind.Object, start, _prevEnd, Defined: prefix is not null);
    }

    /// <summary>True when the token after the current one starts a member name (so the current word is a modifier).</summary>
    private bool IsMemberNameAfter(bool allowStar)
    {
        var next = Peek();
        if (next.NewLineBefore && allowStar)
        {
            return false;
        }
        return next.Kind is TsTokenKind.Identifier or TsTokenKind.String or TsTokenKind.Number or TsTokenKind.PrivateName
            || next is { Kind: TsTokenKind.Punctuator, Text: "[" } || (allowStar && next is { Kind: TsTokenKind.Punctuator, Text: "*" });
    }

    /// <summary>A property name: its model name and whether it may name a definition (identifiers, strings, computed keys).</summary>
    private (string Name, bool Usable) ParsePropertyName(Scope scope)
    {
        switch (_tok.Kind)
        {
            case TsTokenKind.Identifier:
            case TsTokenKind.PrivateName:
            {
                string name = _tok.Text;
                Next();
                return (name, true);
            }
            case TsTokenKind.String:
            {
                string name = StringValue(_tok);
                Next();
                return (name, true);
            }
            case TsTokenKind.Number:
            {
                int start = _tok.Start;
                Next();
                return (_source[start.._prevEnd], false);
            }
        }
        if (Is("["))
        {
            int start = _tok.Start;
            Next();
            ParseAssignment(scope);
            Expect("]");
            return ("[" + Text(start + 1, _prevEnd - 1) + "]", true);
        }
        throw Fail("property name expected");
    }
}
