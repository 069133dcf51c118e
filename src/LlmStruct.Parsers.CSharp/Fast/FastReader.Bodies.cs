using LlmStruct.Model;

namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Statements: blocks, control flow, local declarations and local functions (where local functions are found).</summary>
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
            switch (Span(_p))
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
}
