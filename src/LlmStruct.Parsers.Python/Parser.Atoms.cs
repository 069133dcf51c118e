using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

internal sealed partial class Parser
{
    /// <summary>
    /// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp) | (list | listcomp)
    /// | (dict | set | dictcomp | setcomp) | '...'. <paramref name="startTok"/> is the atom's first token
    /// (a group's node span is its content, but a trailer after it starts at the parenthesis).
    /// </summary>
    private Expr ParseAtom(out int startTok)
    {
        startTok = _p;
        switch (K)
        {
            case TokenKind.Name:
                return Node(ExprKind.Name, _p, _p++);
            case TokenKind.Number:
                return Node(ExprKind.Number, _p, _p++);
            case TokenKind.True:
                return Node(ExprKind.True, _p, _p++);
            case TokenKind.False:
                return Node(ExprKind.False, _p, _p++);
            case TokenKind.None:
                return Node(ExprKind.None, _p, _p++);
            case TokenKind.Ellipsis:
                return Node(ExprKind.Ellipsis, _p, _p++);
            case TokenKind.String:
            case TokenKind.FStringStart:
                return ParseStrings();
            case TokenKind.LPar:
                return ParseParenthesized();
            case TokenKind.LSqb:
                return ParseListDisplay();
            case TokenKind.LBrace:
                return ParseBraceDisplay();
            default:
                throw Fail("invalid syntax");
        }
    }

    /// <summary>strings: (FSTRING | STRING)+, with bytes and text never mixed.</summary>
    private Expr ParseStrings()
    {
        int start = _p;
        bool bytes = false, text = false, fstring = false, mixed = false;
        while (true)
        {
            if (K == TokenKind.String)
            {
                if ((Cur.Flags & TokenFlags.Bytes) != 0)
                {
                    bytes = true;
                }
                else
                {
                    text = true;
                }
                _p++;
            }
            else if (K == TokenKind.FStringStart)
            {
                text = true;
                fstring = true;
                ParseFString();
            }
            else
            {
                break;
            }
            mixed |= bytes && text;
        }
        if (mixed)
        {
            throw FailAt("cannot mix bytes and nonbytes literals", _p - 1, atEnd: true);
        }
        return Node(fstring ? ExprKind.FString : bytes ? ExprKind.Bytes : ExprKind.Str, start, _p - 1);
    }

    /// <summary>fstring: FSTRING_START fstring_middle* FSTRING_END</summary>
    private void ParseFString()
    {
        _p++;
        Enter();
        while (true)
        {
            switch (K)
            {
                case TokenKind.FStringMiddle:
                    _p++;
                    continue;
                case TokenKind.LBrace:
                    ParseReplacementField();
                    continue;
                case TokenKind.FStringEnd:
                    _p++;
                    Leave();
                    return;
                default:
                    throw Fail("invalid syntax");
            }
        }
    }

    /// <summary>fstring_replacement_field: '{' (yield_expr | star_expressions) '='? [conversion] [format_spec] '}'</summary>
    private void ParseReplacementField()
    {
        _p++;
        if (K is TokenKind.RBrace or TokenKind.Exclamation or TokenKind.Colon or TokenKind.Equal)
        {
            throw Fail(K == TokenKind.RBrace ? "f-string: empty expression not allowed" : $"f-string: valid expression required before '{Text(_p)}'");
        }
        if (K == TokenKind.Yield)
        {
            ParseYieldExpression();
        }
        else
        {
            ParseStarExpressions();
        }
        Accept(TokenKind.Equal);
        if (Accept(TokenKind.Exclamation))
        {
            if (K != TokenKind.Name || Cur.Start != _toks[_p - 1].End)
            {
                throw Fail("f-string: missing conversion character");
            }
            if (Text(_p) is not ("r" or "s" or "a"))
            {
                throw Fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
            }
            _p++;
        }
        if (Accept(TokenKind.Colon))
        {
            while (true)
            {
                if (K == TokenKind.FStringMiddle)
                {
                    _p++;
                }
                else if (K == TokenKind.LBrace)
                {
                    ParseReplacementField();
                }
                else
                {
                    break;
                }
            }
        }
        if (K != TokenKind.RBrace)
        {
            throw Fail("f-string: expecting '}'");
        }
        _p++;
    }

    /// <summary>tuple | group | genexp</summary>
    private Expr ParseParenthesized()
    {
        int start = _p++;
        Enter();
        try
        {
            if (K == TokenKind.RPar)
            {
                return Sequence(ExprKind.Tuple, start, _p++);
            }
            if (K == TokenKind.Yield)
            {
                var y = ParseYieldExpression();
                Expect(TokenKind.RPar);
                y.FirstTok = start;
                y.LastTok = _p - 1;
                return y;
            }
            var first = ParseStarNamedExpression();
            if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
            {
                if (first.Kind == ExprKind.Starred)
                {
                    throw FailAt("iterable unpacking cannot be used in comprehension", first.StartTok);
                }
                ParseForIfClauses();
                Expect(TokenKind.RPar);
                return Node(ExprKind.GeneratorExp, start, _p - 1);
            }
            if (K == TokenKind.Comma)
            {
                var tuple = Sequence(ExprKind.Tuple, start, start);
                MergeBad(ref tuple, first);
                while (Accept(TokenKind.Comma))
                {
                    if (K == TokenKind.RPar)
                    {
                        break;
                    }
                    MergeBad(ref tuple, ParseStarNamedExpression());
                }
                Expect(TokenKind.RPar);
                tuple.EndTok = tuple.LastTok = _p - 1;
                return tuple;
            }
            if (K != TokenKind.RPar)
            {
                throw Fail("invalid syntax");
            }
            if (first.Kind == ExprKind.Starred)
            {
                throw FailAt("cannot use starred expression here", first.StartTok);
            }
            _p++;
            first.FirstTok = start;
            first.LastTok = _p - 1;
            return first;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>list: '[' [star_named_expressions] ']' | listcomp: '[' named_expression for_if_clauses ']'</summary>
    private Expr ParseListDisplay()
    {
        int start = _p++;
        Enter();
        var list = Sequence(ExprKind.List, start, start);
        if (K != TokenKind.RSqb)
        {
            var first = ParseStarNamedExpression();
            MergeBad(ref list, first);
            if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
            {
                if (first.Kind == ExprKind.Starred)
                {
                    throw FailAt("iterable unpacking cannot be used in comprehension", first.StartTok);
                }
                ParseForIfClauses();
                Expect(TokenKind.RSqb);
                Leave();
                return Node(ExprKind.ListComp, start, _p - 1);
            }
            while (Accept(TokenKind.Comma))
            {
                if (K == TokenKind.RSqb)
                {
                    break;
                }
                MergeBad(ref list, ParseStarNamedExpression());
            }
        }
        Expect(TokenKind.RSqb);
        Leave();
        list.EndTok = list.LastTok = _p - 1;
        return list;
    }

    /// <summary>dict | set | dictcomp | setcomp</summary>
    private Expr ParseBraceDisplay()
    {
        int start = _p++;
        Enter();
        ExprKind kind;
        if (K == TokenKind.RBrace)
        {
            kind = ExprKind.Dict;
        }
        else if (K == TokenKind.DoubleStar)
        {
            kind = ExprKind.Dict;
            ParseDictItems();
        }
        else
        {
            var first = ParseStarNamedExpression();
            if (K == TokenKind.Colon && first.Kind != ExprKind.Starred)
            {
                _p++;
                ParseExpression();
                if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
                {
                    ParseForIfClauses();
                    kind = ExprKind.DictComp;
                }
                else
                {
                    kind = ExprKind.Dict;
                    if (Accept(TokenKind.Comma) && K != TokenKind.RBrace)
                    {
                        ParseDictItems();
                    }
                }
            }
            else if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
            {
                if (first.Kind == ExprKind.Starred)
                {
                    throw FailAt("iterable unpacking cannot be used in comprehension", first.StartTok);
                }
                ParseForIfClauses();
                kind = ExprKind.SetComp;
            }
            else
            {
                kind = ExprKind.Set;
                while (Accept(TokenKind.Comma))
                {
                    if (K == TokenKind.RBrace)
                    {
                        break;
                    }
                    ParseStarNamedExpression();
                }
            }
        }
        Expect(TokenKind.RBrace);
        Leave();
        return Node(kind, start, _p - 1);
    }

    /// <summary>double_starred_kvpairs: ','.('**' bitwise_or | expression ':' expression)+ [',']</summary>
    private void ParseDictItems()
    {
        while (true)
        {
            if (Accept(TokenKind.DoubleStar))
            {
                ParseBitwiseOr();
            }
            else
            {
                ParseExpression();
                if (K != TokenKind.Colon)
                {
                    throw Fail(K == TokenKind.Comma || K == TokenKind.RBrace ? "':' expected after dictionary key" : "invalid syntax");
                }
                _p++;
                ParseExpression();
            }
            if (!Accept(TokenKind.Comma) || K == TokenKind.RBrace)
            {
                return;
            }
        }
    }

    /// <summary>yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]</summary>
    private Expr ParseYieldExpression()
    {
        int start = _p++;
        if (Accept(TokenKind.From))
        {
            var e = ParseExpression();
            return Span(ExprKind.Yield, start, e);
        }
        if (StartsExpression(K))
        {
            var e = ParseStarExpressions();
            return Span(ExprKind.Yield, start, e);
        }
        return Node(ExprKind.Yield, start, start);
    }
}
