namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Expressions: operators, conditionals, switch expressions, lambdas, unary operators and casts.</summary>
internal sealed partial class FastReader
{
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

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BinaryOperatorSpans = BinaryOperators.GetAlternateLookup<ReadOnlySpan<char>>();

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
            if (At(_p).Kind == TokenKind.Punct && BinaryOperatorSpans.Contains(Span(_p)))
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
}
