using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

internal sealed partial class Parser
{
    /// <summary>
    /// A statement starting with the soft keyword <c>match</c> is a match statement when its logical line ends
    /// with ':' (no expression statement or assignment can).
    /// </summary>
    private bool IsMatchStatement()
    {
        if (!IsSoftKeyword(_p, "match"))
        {
            return false;
        }
        var next = PeekKind(1);
        if (next is TokenKind.Equal or TokenKind.Dot or TokenKind.Colon or TokenKind.Newline or TokenKind.Comma or TokenKind.Semi
            || (next >= TokenKind.PlusEqual && next <= TokenKind.DoubleStarEqual) || next is TokenKind.DoubleSlashEqual or TokenKind.AtEqual)
        {
            return false;
        }
        int i = _p + 1;
        while (_toks[i].Kind is not (TokenKind.Newline or TokenKind.EndMarker or TokenKind.Error))
        {
            i++;
        }
        return _toks[i - 1].Kind == TokenKind.Colon && _toks[i].Kind == TokenKind.Newline;
    }

    /// <summary>match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT</summary>
    private void ParseMatch()
    {
        int header = _p++;
        var first = ParseStarNamedExpression();
        if (K == TokenKind.Comma)
        {
            while (Accept(TokenKind.Comma))
            {
                if (K == TokenKind.Colon)
                {
                    break;
                }
                ParseStarNamedExpression();
            }
        }
        else if (first.Kind == Syntax.ExprKind.Starred)
        {
            throw FailAt("invalid syntax", first.StartTok);
        }
        ExpectWithMessage(TokenKind.Colon, "expected ':'");
        Expect(TokenKind.Newline);
        if (K != TokenKind.Indent)
        {
            throw Fail($"expected an indented block after 'match' statement on line {_toks[header].Line}");
        }
        _p++;
        do
        {
            if (!IsSoftKeyword(_p, "case"))
            {
                throw Fail("invalid syntax");
            }
            int caseTok = _p++;
            ParsePatterns();
            if (Accept(TokenKind.If))
            {
                ParseNamedExpression();
            }
            ParseBlock("'case' statement", caseTok);
        }
        while (K != TokenKind.Dedent && K != TokenKind.EndMarker && K != TokenKind.Error);
        if (K == TokenKind.Error)
        {
            throw Fail("");
        }
        Accept(TokenKind.Dedent);
    }

    /// <summary>patterns: open_sequence_pattern | pattern</summary>
    private void ParsePatterns()
    {
        ParseMaybeStarPattern();
        while (Accept(TokenKind.Comma))
        {
            if (K is TokenKind.Colon or TokenKind.If)
            {
                break;
            }
            ParseMaybeStarPattern();
        }
    }

    /// <summary>maybe_star_pattern: star_pattern | pattern</summary>
    private void ParseMaybeStarPattern()
    {
        if (Accept(TokenKind.Star))
        {
            ExpectName();
            return;
        }
        ParsePattern();
    }

    /// <summary>pattern: as_pattern | or_pattern; as_pattern: or_pattern 'as' pattern_capture_target</summary>
    private void ParsePattern()
    {
        Enter();
        ParseClosedPattern();
        while (Accept(TokenKind.VBar))
        {
            ParseClosedPattern();
        }
        if (Accept(TokenKind.As))
        {
            if (K != TokenKind.Name)
            {
                throw Fail("invalid pattern target");
            }
            if (IsSoftKeyword(_p, "_"))
            {
                throw Fail("cannot use '_' as a target");
            }
            _p++;
        }
        Leave();
    }

    /// <summary>closed_pattern: literal | capture | wildcard | value | group | sequence | mapping | class</summary>
    private void ParseClosedPattern()
    {
        switch (K)
        {
            case TokenKind.Number:
            case TokenKind.Minus:
                ParseNumberPattern();
                return;
            case TokenKind.String:
            case TokenKind.FStringStart:
                ParseStrings();
                return;
            case TokenKind.None:
            case TokenKind.True:
            case TokenKind.False:
                _p++;
                return;
            case TokenKind.Name:
                _p++;
                while (Accept(TokenKind.Dot))
                {
                    ExpectName();
                }
                if (K == TokenKind.LPar)
                {
                    ParseClassPatternArguments();
                }
                return;
            case TokenKind.LPar:
            {
                _p++;
                if (Accept(TokenKind.RPar))
                {
                    return;
                }
                bool star = K == TokenKind.Star;
                ParseMaybeStarPattern();
                if (K == TokenKind.Comma)
                {
                    while (Accept(TokenKind.Comma) && K != TokenKind.RPar)
                    {
                        ParseMaybeStarPattern();
                    }
                }
                else if (star)
                {
                    throw Fail("invalid syntax");
                }
                Expect(TokenKind.RPar);
                return;
            }
            case TokenKind.LSqb:
                _p++;
                while (K != TokenKind.RSqb)
                {
                    ParseMaybeStarPattern();
                    if (!Accept(TokenKind.Comma))
                    {
                        break;
                    }
                }
                Expect(TokenKind.RSqb);
                return;
            case TokenKind.LBrace:
                ParseMappingPattern();
                return;
            default:
                throw Fail("invalid syntax");
        }
    }

    /// <summary>signed_number | complex_number: signed_real_number ('+' | '-') imaginary_number</summary>
    private void ParseNumberPattern()
    {
        Accept(TokenKind.Minus);
        if (K != TokenKind.Number)
        {
            throw Fail("invalid syntax");
        }
        bool realIsImaginary = IsImaginary(_p);
        _p++;
        if (K is TokenKind.Plus or TokenKind.Minus)
        {
            if (realIsImaginary)
            {
                throw FailAt("real number required in complex literal", _p - 1);
            }
            _p++;
            if (K != TokenKind.Number || !IsImaginary(_p))
            {
                throw Fail("imaginary number required in complex literal");
            }
            _p++;
        }
    }

    private bool IsImaginary(int tok) => (_src[_toks[tok].End - 1] | 0x20) == 'j';

    /// <summary>class_pattern: name_or_attr '(' [pattern_arguments ','?] ')'</summary>
    private void ParseClassPatternArguments()
    {
        _p++;
        bool sawKeyword = false;
        while (K != TokenKind.RPar)
        {
            if (K == TokenKind.Name && PeekKind(1) == TokenKind.Equal)
            {
                _p += 2;
                ParsePattern();
                sawKeyword = true;
            }
            else
            {
                int start = _p;
                ParsePattern();
                if (sawKeyword)
                {
                    throw FailAt("positional patterns follow keyword patterns", start);
                }
            }
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }
        Expect(TokenKind.RPar);
    }

    /// <summary>mapping_pattern: '{' [items_pattern] [double_star_pattern] ','? '}'</summary>
    private void ParseMappingPattern()
    {
        _p++;
        while (K != TokenKind.RBrace)
        {
            if (Accept(TokenKind.DoubleStar))
            {
                if (K != TokenKind.Name || IsSoftKeyword(_p, "_"))
                {
                    throw Fail("invalid syntax");
                }
                _p++;
                Accept(TokenKind.Comma);
                break;
            }
            switch (K)
            {
                case TokenKind.Number:
                case TokenKind.Minus:
                    ParseNumberPattern();
                    break;
                case TokenKind.String:
                case TokenKind.FStringStart:
                    ParseStrings();
                    break;
                case TokenKind.None:
                case TokenKind.True:
                case TokenKind.False:
                    _p++;
                    break;
                case TokenKind.Name when PeekKind(1) == TokenKind.Dot:
                    _p++;
                    while (Accept(TokenKind.Dot))
                    {
                        ExpectName();
                    }
                    break;
                default:
                    throw Fail("invalid syntax");
            }
            Expect(TokenKind.Colon);
            ParsePattern();
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }
        Expect(TokenKind.RBrace);
    }
}
