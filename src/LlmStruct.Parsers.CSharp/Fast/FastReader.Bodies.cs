using LlmStruct.Model;

namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Statements and expressions: where calls and local functions are found.</summary>
internal sealed partial class FastReader
{
    /// <summary>Where a body's calls and local functions go; null collectors read without recording.</summary>
    private sealed record Body(Scope Scope, CallCollector? Calls, List<Definition>? Children, int Depth, bool Async);

    private void ReadBlock(Body body)
    {
        Enter();
        Expect("{");
        while (!Is("}"))
        {
            if (Cur.Kind == TokenKind.End)
            {
                Bail();
            }
            ReadStatement(body, embedded: false);
        }
        _p++;
        Leave();
    }

    private void ReadStatement(Body body, bool embedded)
    {
        Enter();
        try
        {
            ReadStatementCore(body, embedded);
        }
        finally
        {
            Leave();
        }
    }

    private void ReadStatementCore(Body body, bool embedded)
    {
        var t = Cur;
        if (Is("{")) { ReadBlock(body); return; }
        if (Accept(";")) { return; }
        if (t.Kind == TokenKind.Keyword)
        {
            switch (Text(_p))
            {
                case "if":
                    _p++;
                    ReadParenthesized(body);
                    ReadStatement(body, embedded: true);
                    if (Accept("else"))
                    {
                        ReadStatement(body, embedded: true);
                    }
                    return;
                case "while":
                    _p++;
                    ReadParenthesized(body);
                    ReadStatement(body, embedded: true);
                    return;
                case "do":
                    _p++;
                    ReadStatement(body, embedded: true);
                    Expect("while");
                    ReadParenthesized(body);
                    Expect(";");
                    return;
                case "for":
                    _p++;
                    Expect("(");
                    if (!Is(";"))
                    {
                        if (!TryReadLocalDeclaration(body, requireSemicolon: false))
                        {
                            ReadExpressionList(body);
                        }
                    }
                    Expect(";");
                    if (!Is(";"))
                    {
                        ReadExpression(body);
                    }
                    Expect(";");
                    if (!Is(")"))
                    {
                        ReadExpressionList(body);
                    }
                    Expect(")");
                    ReadStatement(body, embedded: true);
                    return;
                case "foreach":
                    _p++;
                    ReadForeach(body);
                    return;
                case "return":
                    _p++;
                    if (!Is(";"))
                    {
                        ReadExpression(body);
                    }
                    Expect(";");
                    return;
                case "throw":
                    _p++;
                    if (!Is(";"))
                    {
                        ReadExpression(body);
                    }
                    Expect(";");
                    return;
                case "break" or "continue":
                    _p++;
                    Expect(";");
                    return;
                case "try":
                    _p++;
                    ReadBlock(body);
                    bool any = false;
                    while (Accept("catch"))
                    {
                        any = true;
                        if (Accept("("))
                        {
                            SkipType();
                            if (IsId(_p))
                            {
                                _p++;
                            }
                            Expect(")");
                        }
                        if (IsIdText(_p, "when"))
                        {
                            _p++;
                            ReadParenthesized(body);
                        }
                        ReadBlock(body);
                    }
                    if (Accept("finally"))
                    {
                        any = true;
                        ReadBlock(body);
                    }
                    if (!any)
                    {
                        Bail();
                    }
                    return;
                case "switch":
                    _p++;
                    ReadSwitchGoverning(body);
                    ReadSwitchSections(body);
                    return;
                case "ref" when !embedded:
                    _p++;
                    ReadRefLocal(body);
                    return;
                case "lock":
                    _p++;
                    ReadParenthesized(body);
                    ReadStatement(body, embedded: true);
                    return;
                case "checked" or "unchecked" when Is(_p + 1, "{"):
                    _p++;
                    ReadBlock(body);
                    return;
                case "using":
                    _p++;
                    ReadUsingStatement(body, embedded);
                    return;
                case "const":
                    _p++;
                    if (embedded || !TryReadLocalDeclaration(body, requireSemicolon: true))
                    {
                        Bail();
                    }
                    return;
                case "static" or "unsafe" or "extern":
                    break; // a local function, below
                case "goto" or "fixed" or "unsafe" or "stackalloc":
                    Bail();
                    break;
            }
        }
        if (IsIdText(_p, "yield") && (Is(_p + 1, "return") || Is(_p + 1, "break")))
        {
            _p += 2;
            if (Text(_p - 1) == "return")
            {
                ReadExpression(body);
            }
            Expect(";");
            return;
        }
        if (IsIdText(_p, "await") && (Is(_p + 1, "foreach") || Is(_p + 1, "using")))
        {
            if (!body.Async)
            {
                Bail();
            }
            _p++;
            if (Accept("foreach"))
            {
                ReadForeach(body);
                return;
            }
            _p++;
            ReadUsingStatement(body, embedded);
            return;
        }
        if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
        {
            Bail(); // labels
        }
        if (IsIdText(_p, "var") && Is(_p + 1, "("))
        {
            if (embedded)
            {
                Bail();
            }
            _p++;
            ReadDesignations();
            Expect("=");
            ReadExpression(body);
            Expect(";");
            return;
        }
        if (TryReadLocalFunction(body))
        {
            if (embedded)
            {
                Bail();
            }
            return;
        }
        if (TryReadLocalDeclaration(body, requireSemicolon: true))
        {
            if (embedded)
            {
                Bail();
            }
            return;
        }
        ReadExpression(body);
        Expect(";");
    }

    /// <summary>
    /// A switch statement's <c>(x)</c> or <c>(a, b)</c>: Roslyn reads the second as a tuple without the statement's
    /// own parentheses; the calls inside are the same either way.
    /// </summary>
    private void ReadSwitchGoverning(Body body)
    {
        Expect("(");
        do
        {
            if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
            {
                _p += 2;
            }
            ReadExpression(body);
        }
        while (Accept(","));
        Expect(")");
    }

    /// <summary>After <c>ref</c>: a ref local, <c>ref [readonly] Type a = ref x[, b = ref y];</c>.</summary>
    private void ReadRefLocal(Body body)
    {
        Accept("readonly");
        int end = ScanType(_p);
        if (end < 0 || !IsId(end) || !Is(end + 1, "="))
        {
            Bail();
        }
        _p = end;
        do
        {
            ExpectId();
            Expect("=");
            Accept("ref");
            ReadExpression(body);
        }
        while (Accept(","));
        Expect(";");
    }

    /// <summary>After <c>using</c> (or <c>await using</c>): <c>(resource) statement</c> or a declaration.</summary>
    private void ReadUsingStatement(Body body, bool embedded)
    {
        if (Accept("("))
        {
            if (!TryReadLocalDeclaration(body, requireSemicolon: false))
            {
                ReadExpression(body);
            }
            Expect(")");
            ReadStatement(body, embedded: true);
            return;
        }
        if (embedded || !TryReadLocalDeclaration(body, requireSemicolon: true))
        {
            Bail();
        }
    }

    /// <summary><c>(a, _, (b, c))</c> after <c>var</c>: at least two names or discards.</summary>
    private void ReadDesignations()
    {
        Enter();
        Expect("(");
        int count = 0;
        do
        {
            if (Is("("))
            {
                ReadDesignations();
            }
            else
            {
                ExpectId();
            }
            count++;
        }
        while (Accept(","));
        Expect(")");
        if (count < 2)
        {
            Bail();
        }
        Leave();
    }

    private void ReadForeach(Body body)
    {
        Expect("(");
        if (IsIdText(_p, "var") && Is(_p + 1, "("))
        {
            _p++;
            ReadDesignations();
        }
        else
        {
            SkipType();
            ExpectId();
        }
        Expect("in");
        ReadExpression(body);
        Expect(")");
        ReadStatement(body, embedded: true);
    }

    private void ReadParenthesized(Body body)
    {
        Expect("(");
        ReadExpression(body);
        Expect(")");
    }

    private void ReadExpressionList(Body body)
    {
        do
        {
            ReadExpression(body);
        }
        while (Accept(","));
    }

    private void ReadSwitchSections(Body body)
    {
        Expect("{");
        while (!Is("}"))
        {
            bool label = false;
            while (true)
            {
                if (Accept("case"))
                {
                    ReadPattern(body);
                    if (IsIdText(_p, "when"))
                    {
                        _p++;
                        ReadExpression(body);
                    }
                    Expect(":");
                    label = true;
                    continue;
                }
                if (Is("default") && Is(_p + 1, ":"))
                {
                    _p += 2;
                    label = true;
                    continue;
                }
                break;
            }
            if (!label)
            {
                Bail();
            }
            bool statement = false;
            while (!Is("case") && !(Is("default") && Is(_p + 1, ":")) && !Is("}"))
            {
                if (Cur.Kind == TokenKind.End)
                {
                    Bail();
                }
                ReadStatement(body, embedded: false);
                statement = true;
            }
            if (!statement)
            {
                Bail();
            }
        }
        _p++;
    }

    /// <summary>A local variable declaration (<c>Type a = x, b;</c>); false, consuming nothing, when there is none here.</summary>
    private bool TryReadLocalDeclaration(Body body, bool requireSemicolon)
    {
        int end = ScanType(_p);
        if (end < 0 || !IsId(end) || !(Is(end + 1, "=") || Is(end + 1, ";") || Is(end + 1, ",") || Is(end + 1, ")")))
        {
            return false;
        }
        if (IsIdText(_p, "await") && end == _p + 1)
        {
            return false;
        }
        if (Is(end + 1, ")") && requireSemicolon)
        {
            return false;
        }
        _p = end;
        do
        {
            ExpectId();
            if (Accept("="))
            {
                ReadInitializerOrExpression(body);
            }
        }
        while (Accept(","));
        if (requireSemicolon)
        {
            Expect(";");
        }
        return true;
    }

    /// <summary>A local function statement; false, consuming nothing, when there is none here.</summary>
    private bool TryReadLocalFunction(Body body)
    {
        int start = _p;
        var modifiers = new List<string>();
        while (Is("static") || IsIdText(_p, "async") && (IsId(_p + 1) || At(_p + 1).Kind == TokenKind.Keyword) && !(IsId(_p + 1) && Is(_p + 2, "=>")))
        {
            modifiers.Add(Text(_p++));
        }
        if (Is("unsafe") || Is("extern") || Is("["))
        {
            Bail();
        }
        int end = ScanType(_p);
        if (end < 0 || !IsId(end) || !(Is(end + 1, "(") || Is(end + 1, "<")))
        {
            if (modifiers.Count > 0)
            {
                Bail();
            }
            _p = start;
            return false;
        }
        if (end == _p + 1 && (IsIdText(_p, "await") || IsIdText(_p, "var")))
        {
            if (!body.Async || modifiers.Count > 0 || IsIdText(_p, "var"))
            {
                Bail(); // Roslyn's reading of 'await F()' outside async code, or 'var F()': left to it
            }
            _p = start;
            return false;
        }
        if (body.Children is null || body.Depth > MaxNesting || _inHole)
        {
            Bail();
        }
        int typeFrom = _p;
        _p = end;
        var returnType = Compact(typeFrom, end);
        var docstring = DocAt(start);
        var name = ExpectId();
        var typeParameters = ReadTypeParameters();
        var parameters = ReadParameters("(", ")", out _);
        var qualifiedName = body.Scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var calls = new CallCollector();
        var children = new List<Definition>();
        ReadConstraints();
        ReadFunctionBody(new Body(new Scope(qualifiedName, ScopeKind.Function), calls, children, body.Depth + 1, modifiers.Contains("async")));
        body.Children.Add(Define(
            id, DefinitionKinds.Function, name, qualifiedName, start, docstring, typeParameters: typeParameters, parameters: parameters,
            returnType: returnType, async: modifiers.Contains("async"), isStatic: modifiers.Contains("static"), modifiers: Modifiers(modifiers),
            calls: calls, children: children));
        return true;
    }

    // ---- expressions ----

    private void ReadInitializerOrExpression(Body body)
    {
        if (Is("{"))
        {
            ReadInitializer(body);
        }
        else
        {
            ReadExpression(body);
        }
    }

    /// <summary>Object, collection or array initializer: <c>{ A = 1, [k] = v, { a, b }, x }</c>.</summary>
    private void ReadInitializer(Body body)
    {
        Enter();
        Expect("{");
        while (!Is("}"))
        {
            if (IsId(_p) && Is(_p + 1, "=") )
            {
                _p += 2;
                ReadInitializerOrExpression(body);
            }
            else if (Is("["))
            {
                ReadBracketArguments(body);
                Expect("=");
                ReadInitializerOrExpression(body);
            }
            else
            {
                ReadInitializerOrExpression(body);
            }
            if (!Accept(","))
            {
                break;
            }
        }
        Expect("}");
        Leave();
    }

    private void ReadExpression(Body body)
    {
        Enter();
        try
        {
            ReadExpressionCore(body);
        }
        finally
        {
            Leave();
        }
    }

    private static readonly HashSet<string> BinaryOperators = new(StringComparer.Ordinal)
    {
        "+", "-", "*", "/", "%", "&", "|", "^", "&&", "||", "==", "!=", "<", "<=", ">=", "<<", "??",
        "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", "??=",
    };

    private void ReadExpressionCore(Body body)
    {
        if (TryReadLambda(body))
        {
            return;
        }
        if (Accept("throw"))
        {
            ReadExpression(body);
            return;
        }
        ReadUnary(body);
        while (true)
        {
            if (Is(">"))
            {
                _p++;
                while (Adjacent(_p - 1) && (Is(">") || Is(">=")))
                {
                    _p++;
                }
                ReadUnary(body);
                continue;
            }
            if (At(_p).Kind == TokenKind.Punct && BinaryOperators.Contains(Text(_p)))
            {
                var op = Text(_p++);
                if (op is "=" or "??" or "??=" or "+=" or "-=" or "|=" or "&=")
                {
                    if (Is("ref"))
                    {
                        Bail();
                    }
                    ReadExpression(body);
                    return;
                }
                ReadUnary(body);
                continue;
            }
            if (Is(".."))
            {
                _p++;
                if (!Is("]") && !Is(")") && !Is(",") && !Is("}"))
                {
                    ReadUnary(body);
                }
                continue;
            }
            if (Accept("is"))
            {
                ReadPattern(body);
                if (Is("?"))
                {
                    // a conditional only when the pattern cannot end in a type (T? would be a nullable type)
                    var last = At(_p - 1);
                    if (!(_designationEnd == _p || Is(_p - 1, "null") || Is(_p - 1, "true") || Is(_p - 1, "false") || Is(_p - 1, "}") || Is(_p - 1, ")")
                        || last.Kind is TokenKind.Number or TokenKind.String or TokenKind.Char || StartsConditionalBranch(_p + 1)))
                    {
                        Bail();
                    }
                }
                continue;
            }
            if (Accept("as"))
            {
                SkipType(allowNullable: false);
                if (Is("?"))
                {
                    Bail();
                }
                continue;
            }
            if (Is("switch") && Is(_p + 1, "{"))
            {
                _p++;
                ReadSwitchArms(body);
                continue;
            }
            if (IsIdText(_p, "with") && Is(_p + 1, "{"))
            {
                _p++;
                ReadInitializer(body);
                continue;
            }
            if (Accept("?"))
            {
                if (Is("[") && _conditionalDepth == 0)
                {
                    // 'c ? [a] : x': a collection expression when the brackets are followed by ':'
                    int close = MatchingBracket(_p);
                    if (close > 0 && Is(close + 1, ":") && !Is(close + 1, "::"))
                    {
                        _conditionalDepth++;
                        ReadPrimary(body);
                        _conditionalDepth--;
                        Expect(":");
                        ReadExpression(body);
                        return;
                    }
                }
                if (Is("[") || Is("."))
                {
                    Bail();
                }
                _conditionalDepth++;
                ReadExpression(body);
                _conditionalDepth--;
                Expect(":");
                ReadExpression(body);
                return;
            }
            return;
        }
    }

    /// <summary>
    /// True when token <paramref name="i"/>, right after <c>x is T ?</c>, starts an expression: Roslyn then reads the
    /// <c>?</c> as a conditional operator, not as a nullable type (a plain subset of what can start one).
    /// </summary>
    private bool StartsConditionalBranch(int i)
    {
        var t = At(i);
        return t.Kind is TokenKind.Number or TokenKind.String or TokenKind.Char or TokenKind.Interpolated
            || t.Kind == TokenKind.Identifier && !(Is(i, "and") || Is(i, "or") || Is(i, "not") || Is(i, "when") || Is(i, "with"))
            || Is(i, "null") || Is(i, "true") || Is(i, "false") || Is(i, "new") || Is(i, "this") || Is(i, "(");
    }

    /// <summary>Nesting of conditional true-branches being read (where 'a ? [b] : c' would be ambiguous).</summary>
    private int _conditionalDepth;

    private int MatchingBracket(int i)
    {
        int depth = 0;
        for (int j = i; j < _t.Count; j++)
        {
            var t = _t[j];
            if (t.Kind == TokenKind.End)
            {
                return -1;
            }
            if (t.Kind != TokenKind.Punct)
            {
                continue;
            }
            if (Is(j, "(") || Is(j, "[") || Is(j, "{"))
            {
                depth++;
            }
            else if (Is(j, ")") || Is(j, "]") || Is(j, "}"))
            {
                if (--depth == 0)
                {
                    return Is(j, "]") ? j : -1;
                }
            }
            else if (Is(j, ";") || Is(j, "?"))
            {
                return -1;
            }
        }
        return -1;
    }

    private void ReadSwitchArms(Body body)
    {
        Expect("{");
        while (!Is("}"))
        {
            ReadPattern(body);
            if (IsIdText(_p, "when"))
            {
                _p++;
                _noLambda = true; // 'when x => y': the arrow ends the clause
                ReadExpression(body);
            }
            Expect("=>");
            ReadExpression(body);
            if (!Accept(","))
            {
                break;
            }
        }
        Expect("}");
    }

    /// <summary>Set while reading a switch arm's <c>when</c> clause: its top level is no lambda.</summary>
    private bool _noLambda;

    private bool TryReadLambda(Body body)
    {
        if (_noLambda)
        {
            _noLambda = false;
            return false;
        }
        int start = _p;
        bool async = false;
        while (IsIdText(_p, "async") && (IsId(_p + 1) || Is(_p + 1, "(") || Is(_p + 1, "static")) || Is("static"))
        {
            async |= Text(_p) == "async";
            _p++;
        }
        if (!(IsId(_p) && Is(_p + 1, "=>")) && !Is("(") && ScanType(_p) is int typeEnd and > 0 && Is(typeEnd, "(")
            && MatchingParen(typeEnd) is int paren and > 0 && Is(paren + 1, "=>"))
        {
            _p = typeEnd; // an explicit return type: 'async Task<int> (x) => …'
        }
        if (IsId(_p) && Is(_p + 1, "=>"))
        {
            _p += 2;
        }
        else if (Is("("))
        {
            int close = MatchingParen(_p);
            if (close < 0 || !Is(close + 1, "=>"))
            {
                if (_p != start)
                {
                    Bail();
                }
                return false;
            }
            _p++;
            if (!Is(")"))
            {
                do
                {
                    if (Is("[") || IsIdText(_p, "scoped") || Is("params"))
                    {
                        Bail();
                    }
                    if (Is("ref") || Is("out") || Is("in"))
                    {
                        _p++;
                        SkipType();
                        ExpectId();
                        continue;
                    }
                    if (IsId(_p) && (Is(_p + 1, ",") || Is(_p + 1, ")")))
                    {
                        _p++;
                        continue;
                    }
                    SkipType();
                    ExpectId();
                }
                while (Accept(","));
            }
            Expect(")");
            Expect("=>");
        }
        else
        {
            if (_p != start)
            {
                Bail();
            }
            return false;
        }
        var inner = body with { Async = async };
        if (Is("{"))
        {
            ReadBlock(inner);
        }
        else
        {
            ReadExpression(inner);
        }
        return true;
    }

    private int MatchingParen(int i)
    {
        int depth = 0;
        for (int j = i; j < _t.Count; j++)
        {
            var t = _t[j];
            if (t.Kind != TokenKind.Punct)
            {
                if (t.Kind == TokenKind.End)
                {
                    return -1;
                }
                continue;
            }
            if (Is(j, "(") || Is(j, "[") || Is(j, "{"))
            {
                depth++;
            }
            else if (Is(j, ")") || Is(j, "]") || Is(j, "}"))
            {
                depth--;
                if (depth == 0)
                {
                    return Is(j, ")") ? j : -1;
                }
            }
            else if (Is(j, ";"))
            {
                return -1;
            }
        }
        return -1;
    }

    private void ReadUnary(Body body)
    {
        Enter();
        try
        {
            while (Is("!") || Is("-") || Is("+") || Is("~") || Is("++") || Is("--") || Is("^"))
            {
                _p++;
            }
            if (Is("&") || Is("*") || Is("ref"))
            {
                Bail();
            }
            if (Is(".."))
            {
                _p++;
                if (!Is("]") && !Is(")") && !Is(","))
                {
                    ReadUnary(body);
                }
                return;
            }
            if (IsIdText(_p, "await") && !Is(_p + 1, ";") && !Is(_p + 1, ")") && !Is(_p + 1, ".") && !Is(_p + 1, "="))
            {
                if (!body.Async)
                {
                    Bail();
                }
                _p++;
                ReadUnary(body);
                return;
            }
            if (Is("("))
            {
                int end = ScanType(_p + 1);
                if (end > 0 && Is(end, ")") && IsCastFollower(end + 1, IsPredefined(_p + 1) && end == _p + 2, ClearlyType(_p + 1, end)))
                {
                    _p = end + 1;
                    ReadUnary(body);
                    return;
                }
            }
            ReadPrimary(body);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>True when tokens [from, to) can only be a type (not a parenthesized name): keywords, type arguments, ranks, '?'.</summary>
    private bool ClearlyType(int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!IsId(i) && !Is(i, "."))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsCastFollower(int i, bool keywordType, bool clearlyType)
    {
        var t = At(i);
        if (t.Kind is TokenKind.Number or TokenKind.String or TokenKind.Char or TokenKind.Interpolated)
        {
            return true;
        }
        if (t.Kind == TokenKind.Identifier)
        {
            var w = Text(i);
            if (w is "and" or "or" or "not" or "when" or "with")
            {
                Bail();
            }
            return true;
        }
        if (t.Kind == TokenKind.Keyword)
        {
            var w = Text(i);
            if (w is "is" or "as" or "switch" or "in")
            {
                return false;
            }
            return true;
        }
        if (Is(i, "(") || Is(i, "!") || Is(i, "~"))
        {
            return true;
        }
        if (Is(i, "[") && clearlyType)
        {
            return true;
        }
        if (Is(i, "-") || Is(i, "+") || Is(i, "["))
        {
            if (keywordType)
            {
                return true;
            }
            if (Is(i, "["))
            {
                Bail();
            }
        }
        return false;
    }

    /// <summary>A primary expression and its postfix chain; records invocations and object creations.</summary>
    private void ReadPrimary(Body body)
    {
        int start = _p;
        var t = Cur;
        string? callee = null;
        bool nameofCandidate = false;
        switch (t.Kind)
        {
            case TokenKind.Interpolated:
                ReadHoles(body);
                break;
            case TokenKind.Number or TokenKind.String or TokenKind.Char:
                _p++;
                break;
            case TokenKind.Identifier:
                {
                    var word = Text(_p);
                    if (word is "var" && Is(_p + 1, "(") || word is "from" && IsId(_p + 1) || word is "stackalloc" or "__arglist")
                    {
                        Bail();
                    }
                    if (Is(_p + 1, "::"))
                    {
                        if (!IsId(_p + 2))
                        {
                            Bail();
                        }
                        callee = word + "::" + Text(_p + 2);
                        _p += 3;
                        SkipGenericInExpression();
                        break;
                    }
                    _p++;
                    callee = word;
                    nameofCandidate = word == "nameof" && !Is("<");
                    SkipGenericInExpression();
                    break;
                }
            case TokenKind.Keyword:
                {
                    var word = Text(_p);
                    switch (word)
                    {
                        case "true" or "false" or "null":
                            _p++;
                            break;
                        case "this" or "base":
                            _p++;
                            callee = word;
                            break;
                        case "default":
                            _p++;
                            if (Accept("("))
                            {
                                SkipType();
                                Expect(")");
                            }
                            break;
                        case "typeof" or "sizeof":
                            _p++;
                            Expect("(");
                            if (ScanUnboundGeneric() is int unbound and > 0)
                            {
                                _p = unbound;
                            }
                            else
                            {
                                SkipType();
                            }
                            Expect(")");
                            break;
                        case "checked" or "unchecked":
                            _p++;
                            ReadParenthesized(body);
                            break;
                        case "new":
                            callee = ReadNew(body);
                            break;
                        case "stackalloc":
                            _p++;
                            if (!Is("["))
                            {
                                int typeEnd = ScanType(_p, allowNullable: false);
                                if (typeEnd < 0 || !Is(typeEnd, "["))
                                {
                                    Bail();
                                }
                                _p = typeEnd;
                            }
                            Expect("[");
                            if (!Is("]"))
                            {
                                ReadExpression(body);
                            }
                            Expect("]");
                            if (Is("{"))
                            {
                                ReadInitializer(body);
                            }
                            else if (Is(_p - 2, "["))
                            {
                                Bail();
                            }
                            break;
                        case "delegate":
                            _p++;
                            if (Is("("))
                            {
                                ReadParameters("(", ")", out _);
                            }
                            ReadBlock(body with { Async = false });
                            break;
                        default:
                            if (IsPredefined(_p) && Is(_p + 1, "."))
                            {
                                callee = word;
                                _p++;
                                break;
                            }
                            Bail();
                            break;
                    }
                    break;
                }
            case TokenKind.Punct when Is("("):
                _p++;
                do
                {
                    if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
                    {
                        _p += 2;
                    }
                    ReadExpression(body);
                }
                while (Accept(","));
                Expect(")");
                break;
            case TokenKind.Punct when Is("["):
                _p++;
                while (!Is("]"))
                {
                    ReadExpression(body);
                    if (!Accept(","))
                    {
                        break;
                    }
                }
                Expect("]");
                break;
            default:
                Bail();
                break;
        }
        int primaryEnd = _p;
        int parts = 0;
        while (true)
        {
            if (++parts > 100)
            {
                Bail();
            }
            if (callee is null && (Is(".") || Is("?") || Is("(") || Is("[") || Is("!") || Is("++") || Is("--")))
            {
                callee = Compact(start, primaryEnd); // a receiver Roslyn writes as compact text
            }
            if (Is("."))
            {
                _p++;
                callee += "." + ExpectId();
                SkipGenericInExpression();
                nameofCandidate = false;
                continue;
            }
            if (Is("?") && Is(_p + 1, "[") && MatchingBracket(_p + 1) is int close and > 0 && !Is(close + 1, ":"))
            {
                // a?[k]: an element binding; Roslyn names what follows after the binding alone ("[k]?.M")
                _p++;
                int from = _p;
                ReadBracketArguments(body);
                callee = Compact(from, _p);
                nameofCandidate = false;
                continue;
            }
            if (Is("?") && Is(_p + 1, "."))
            {
                _p += 2;
                callee += "?." + ExpectId();
                SkipGenericInExpression();
                nameofCandidate = false;
                continue;
            }
            if (Is("("))
            {
                var line = Cur.Line;
                ReadArguments(body);
                if (!nameofCandidate)
                {
                    body.Calls?.Add(callee!.Length > SyntaxText.MaxLength ? callee[..SyntaxText.MaxLength] + "…" : callee!, line);
                }
                nameofCandidate = false;
                callee += "()";
                continue;
            }
            if (Is("["))
            {
                ReadBracketArguments(body);
                callee += "[]";
                nameofCandidate = false;
                continue;
            }
            if (Is("!") && !Is(_p + 1, "=") && IsPostfixBangFollower(_p + 1))
            {
                _p++;
                callee += "!";
                continue;
            }
            if (Is("++") || Is("--"))
            {
                _p++;
                callee = Compact(start, _p);
                continue;
            }
            if (Is("->"))
            {
                Bail();
            }
            return;
        }
    }

    /// <summary>Reads the expressions in an interpolated string's holes (their calls count), then steps over it.</summary>
    private void ReadHoles(Body body)
    {
        if (!_lexer.Holes.TryGetValue(Cur.Start, out var holes))
        {
            Bail();
            return;
        }
        var (tokens, position, wasInHole) = (_t, _p, _inHole);
        _inHole = true;
        foreach (var hole in holes)
        {
            _t = hole;
            _p = 0;
            ReadExpression(body);
            if (Accept(","))
            {
                ReadExpression(body);
            }
            if (Cur.Kind != TokenKind.End)
            {
                Bail();
            }
        }
        _inHole = wasInHole;
        (_t, _p) = (tokens, position + 1);
    }

    private bool IsPostfixBangFollower(int i) =>
        Is(i, ".") || Is(i, ";") || Is(i, ")") || Is(i, ",") || Is(i, "]") || Is(i, "}") || Is(i, "(") || Is(i, "[")
        || Is(i, "?") || Is(i, "??") || Is(i, ":") || Is(i, "=") || Is(i, "==") || Is(i, "!=") || Is(i, "&&") || Is(i, "||");

    /// <summary><c>typeof(List&lt;&gt;)</c>, <c>typeof(Dictionary&lt;,&gt;)</c>: the index after it, or -1.</summary>
    private int ScanUnboundGeneric()
    {
        int i = _p;
        if (!IsId(i) || !Is(i + 1, "<"))
        {
            return -1;
        }
        i += 2;
        while (Is(i, ","))
        {
            i++;
        }
        return Is(i, ">") ? i + 1 : -1;
    }

    /// <summary>After a name in an expression: type arguments when Roslyn would read them as such, or nothing.</summary>
    private void SkipGenericInExpression()
    {
        if (!Is("<"))
        {
            return;
        }
        int end = ScanTypeArguments(_p);
        if (end < 0)
        {
            return; // a less-than operator
        }
        if (Is(end, "(") || Is(end, ".") || Is(end, ")") || Is(end, ";") || Is(end, ",") || Is(end, "]") || Is(end, "}"))
        {
            _p = end;
            return;
        }
        Bail();
    }

    /// <summary><c>new</c> expressions; records object creations; returns the callee text when used as a receiver.</summary>
    private string? ReadNew(Body body)
    {
        int line = Cur.Line;
        _p++;
        if (Is("(") && !IsTupleArrayType(_p))
        {
            ReadArguments(body);
            if (Is("{"))
            {
                ReadInitializer(body);
            }
            return null;
        }
        if (Is("["))
        {
            _p++;
            while (Accept(","))
            {
            }
            Expect("]");
            ReadInitializer(body);
            return null;
        }
        if (Is("{"))
        {
            Expect("{");
            while (!Is("}"))
            {
                if (IsId(_p) && Is(_p + 1, "="))
                {
                    _p += 2;
                }
                ReadExpression(body);
                if (!Accept(","))
                {
                    break;
                }
            }
            Expect("}");
            return null;
        }
        int typeFrom = _p;
        int end = ScanType(_p);
        if (end < 0)
        {
            Bail();
        }
        _p = end;
        if (Is(_p - 1, "]"))
        {
            ReadInitializer(body);
            return null;
        }
        if (Is("["))
        {
            ReadBracketArguments(body);
            while (Is("[") && (Is(_p + 1, "]") || Is(_p + 1, ",")))
            {
                _p++; // a further rank: new int[n][], new T[n][,]
                while (Accept(","))
                {
                }
                Expect("]");
            }
            if (Is("["))
            {
                Bail(); // new int[2][3]: a syntax error in Roslyn
            }
            if (Is("{"))
            {
                ReadInitializer(body);
            }
            return null;
        }
        var typeName = TypeName(typeFrom, end);
        body.Calls?.Add(typeName, line);
        if (Is("("))
        {
            ReadArguments(body);
            if (Is("{"))
            {
                ReadInitializer(body);
            }
        }
        else if (Is("{"))
        {
            ReadInitializer(body);
        }
        else
        {
            Bail();
        }
        return "new " + typeName + "()";
    }

    /// <summary>
    /// After <c>new</c>: a tuple type that cannot be an argument list (a predefined type, type arguments or an
    /// element name in it) followed by an array rank or size, <c>new (int To, double Weight)[n]</c>.
    /// </summary>
    private bool IsTupleArrayType(int i)
    {
        int end = ScanType(i);
        if (end < 0 || !(Is(end, "[") || Is(end - 1, "]")))
        {
            return false;
        }
        int close = MatchingParen(i);
        for (int j = i + 1; j < close; j++)
        {
            if (IsPredefined(j) || Is(j, "<") || IsId(j) && IsId(j + 1))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Roslyn's name for a constructor call: a name as written with type arguments dropped; other types compact.</summary>
    private string TypeName(int from, int to)
    {
        if (IsPredefined(from) || Is(from, "(") || Is(to - 1, "?") || Is(to - 1, "]"))
        {
            return Compact(from, to);
        }
        var sb = new System.Text.StringBuilder();
        int depth = 0;
        for (int i = from; i < to; i++)
        {
            if (Is(i, "<"))
            {
                depth++;
            }
            else if (Is(i, ">"))
            {
                depth--;
            }
            else if (depth == 0)
            {
                sb.Append(Text(i));
            }
        }
        return sb.ToString();
    }

    private void ReadArguments(Body body)
    {
        Expect("(");
        if (!Is(")"))
        {
            ReadArgumentList(body);
        }
        Expect(")");
    }

    private void ReadBracketArguments(Body body)
    {
        Expect("[");
        ReadArgumentList(body);
        Expect("]");
    }

    private void ReadArgumentList(Body body)
    {
        do
        {
            if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
            {
                _p += 2;
            }
            if (Is("out") || Is("ref") || Is("in"))
            {
                _p++;
                int end = ScanType(_p);
                if (end > 0 && IsId(end) && (Is(end + 1, ",") || Is(end + 1, ")")))
                {
                    _p = end + 1;
                    continue;
                }
            }
            ReadExpression(body);
        }
        while (Accept(","));
    }

    // ---- patterns ----

    private void ReadPattern(Body body)
    {
        Enter();
        try
        {
            ReadPatternAnd(body);
            while (IsIdText(_p, "or"))
            {
                _p++;
                ReadPatternAnd(body);
            }
        }
        finally
        {
            Leave();
        }
    }

    private void ReadPatternAnd(Body body)
    {
        ReadPatternNot(body);
        while (IsIdText(_p, "and"))
        {
            _p++;
            ReadPatternNot(body);
        }
    }

    private void ReadPatternNot(Body body)
    {
        while (IsIdText(_p, "not"))
        {
            _p++;
        }
        ReadPatternPrimary(body);
    }

    private void ReadPatternPrimary(Body body)
    {
        if (Is("<") || Is("<=") || Is(">") || Is(">="))
        {
            _p++;
            ReadUnary(body);
            return;
        }
        if (Is("("))
        {
            int end = ScanType(_p + 1);
            if (end > 0 && Is(end, ")") && At(end + 1).Kind is TokenKind.Number or TokenKind.Char or TokenKind.String)
            {
                ReadUnary(body); // a cast constant: (byte)'\n'
                return;
            }
            _p++;
            do
            {
                if (IsId(_p) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
                {
                    Bail();
                }
                ReadPattern(body);
            }
            while (Accept(","));
            Expect(")");
            if (Is("{"))
            {
                ReadPropertyPattern(body);
            }
            Designation();
            return;
        }
        if (Is("{"))
        {
            ReadPropertyPattern(body);
            Designation();
            return;
        }
        if (Is("["))
        {
            _p++;
            while (!Is("]"))
            {
                if (Accept(".."))
                {
                    if (Is(",") || Is("]"))
                    {
                        if (!Accept(","))
                        {
                            break;
                        }
                        continue;
                    }
                }
                ReadPattern(body);
                if (!Accept(","))
                {
                    break;
                }
            }
            Expect("]");
            Designation();
            return;
        }
        if (IsIdText(_p, "var"))
        {
            _p++;
            ExpectId();
            _designationEnd = _p;
            return;
        }
        if (IsId(_p) || IsPredefined(_p))
        {
            int end = ScanType(_p, allowNullable: false);
            if (end > 0)
            {
                if (Is(end, "(") || Is(end, "<") || Is(end, "["))
                {
                    Bail();
                }
                _p = end;
                if (Is("{"))
                {
                    ReadPropertyPattern(body);
                }
                Designation();
                return;
            }
        }
        ReadUnary(body);
    }

    /// <summary>The token index right after the last pattern designation read (<c>is T name</c>).</summary>
    private int _designationEnd = -1;

    private void Designation()
    {
        if (IsId(_p) && !(Is("and") || Is("or") || Is("when") || Is("not") || Is("with")))
        {
            _p++;
            _designationEnd = _p;
        }
    }

    private void ReadPropertyPattern(Body body)
    {
        Expect("{");
        while (!Is("}"))
        {
            ExpectId();
            while (Accept("."))
            {
                ExpectId();
            }
            Expect(":");
            ReadPattern(body);
            if (!Accept(","))
            {
                break;
            }
        }
        Expect("}");
    }
}
