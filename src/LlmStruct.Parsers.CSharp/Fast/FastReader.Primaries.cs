namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Primary expressions and their postfix chains, interpolation holes, <c>new</c> and argument lists: where calls are recorded.</summary>
internal sealed partial class FastReader
{
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
}
