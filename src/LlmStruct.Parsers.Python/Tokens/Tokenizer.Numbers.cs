namespace LlmStruct.Parsers.Python.Tokens;

internal sealed partial class Tokenizer
{
    private char At(int i) => i < _n ? _s[i] : '\0';

    private void ScanNumber()
    {
        int start = _pos;
        char c = _s[_pos];
        if (c == '0' && (At(_pos + 1) | 0x20) is 'x' or 'o' or 'b')
        {
            char kind = (char)(At(_pos + 1) | 0x20);
            _pos += 2;
            string name = kind == 'x' ? "hexadecimal" : kind == 'o' ? "octal" : "binary";
            bool any = false;
            while (true)
            {
                if (At(_pos) == '_')
                {
                    _pos++;
                }
                char d = At(_pos);
                bool ok = kind == 'x' ? char.IsAsciiHexDigit(d) : kind == 'o' ? d is >= '0' and <= '7' : d is '0' or '1';
                if (!ok)
                {
                    if (char.IsAsciiDigit(d))
                    {
                        _pos++;
                        FailHere($"invalid digit '{d}' in {name} literal");
                    }
                    if (!any || _s[_pos - 1] == '_')
                    {
                        FailHere($"invalid {name} literal");
                    }
                    break;
                }
                any = true;
                _pos++;
            }
            VerifyEndOfNumber(name);
            Add(TokenKind.Number, start, _pos);
            return;
        }
        bool isFloat = false;
        if (c != '.')
        {
            bool leadingZero = c == '0';
            ScanDigits();
            if (leadingZero)
            {
                bool nonZero = false;
                for (int i = start; i < _pos; i++)
                {
                    if (_s[i] is >= '1' and <= '9')
                    {
                        nonZero = true;
                    }
                }
                char next = At(_pos);
                if (nonZero && next != '.' && (next | 0x20) != 'e' && (next | 0x20) != 'j')
                {
                    Fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                        _tokenLine, _tokenCol + 1);
                }
            }
            if (At(_pos) == '.')
            {
                _pos++;
                isFloat = true;
                if (char.IsAsciiDigit(At(_pos)))
                {
                    ScanDigits();
                }
            }
        }
        else
        {
            _pos++;
            isFloat = true;
            ScanDigits();
        }
        if ((At(_pos) | 0x20) == 'e')
        {
            int save = _pos;
            _pos++;
            if (At(_pos) is '+' or '-')
            {
                _pos++;
            }
            if (!char.IsAsciiDigit(At(_pos)))
            {
                // "1else": the 'e' may begin a keyword.
                _pos = save;
                VerifyEndOfNumber("decimal");
                Add(TokenKind.Number, start, _pos);
                return;
            }
            ScanDigits();
            isFloat = true;
        }
        if ((At(_pos) | 0x20) == 'j')
        {
            _pos++;
            VerifyEndOfNumber("imaginary");
        }
        else
        {
            VerifyEndOfNumber(isFloat ? "decimal" : "decimal");
        }
        Add(TokenKind.Number, start, _pos);
    }

    private void ScanDigits()
    {
        while (true)
        {
            while (char.IsAsciiDigit(At(_pos)))
            {
                _pos++;
            }
            if (At(_pos) != '_')
            {
                return;
            }
            _pos++;
            if (!char.IsAsciiDigit(At(_pos)))
            {
                FailHere("invalid decimal literal");
            }
        }
    }

    /// <summary>A number may touch a following keyword (CPython warns) but no other name character.</summary>
    private void VerifyEndOfNumber(string kind)
    {
        char c = At(_pos);
        if (!IsAsciiNameChar(c) && c < 0x80)
        {
            return;
        }
        var rest = _s.AsSpan(_pos, _n - _pos);
        foreach (var kw in (ReadOnlySpan<string>)["and", "else", "for", "if", "in", "is", "not", "or"])
        {
            if (rest.StartsWith(kw, StringComparison.Ordinal))
            {
                return;
            }
        }
        _pos++;
        FailHere($"invalid {kind} literal");
    }

    private void ScanOperator(char c)
    {
        int start = _pos;
        char c1 = At(_pos + 1), c2 = At(_pos + 2);
        TokenKind kind;
        int len = 1;
        switch (c)
        {
            case '(':
                PushCtx(CtxKind.Paren);
                Add(TokenKind.LPar, start, ++_pos);
                return;
            case '[':
                PushCtx(CtxKind.Bracket);
                Add(TokenKind.LSqb, start, ++_pos);
                return;
            case '{':
                PushCtx(CtxKind.Brace);
                Add(TokenKind.LBrace, start, ++_pos);
                return;
            case ')':
            case ']':
            case '}':
                CloseBracket(c);
                return;
            case ':':
                if (c1 == '=')
                {
                    kind = TokenKind.ColonEqual;
                    len = 2;
                }
                else
                {
                    kind = TokenKind.Colon;
                }
                if (_ctxCount > 0 && _ctx[_ctxCount - 1].Kind == CtxKind.Field)
                {
                    // A colon at the top of a replacement field starts the format spec (even before '=').
                    _ctx[_ctxCount - 1].InSpec = true;
                    kind = TokenKind.Colon;
                    len = 1;
                }
                break;
            case ',': kind = TokenKind.Comma; break;
            case ';': kind = TokenKind.Semi; break;
            case '~': kind = TokenKind.Tilde; break;
            case '.':
                if (c1 == '.' && c2 == '.')
                {
                    kind = TokenKind.Ellipsis;
                    len = 3;
                }
                else
                {
                    kind = TokenKind.Dot;
                }
                break;
            case '+': (kind, len) = c1 == '=' ? (TokenKind.PlusEqual, 2) : (TokenKind.Plus, 1); break;
            case '-':
                (kind, len) = c1 == '=' ? (TokenKind.MinEqual, 2) : c1 == '>' ? (TokenKind.RArrow, 2) : (TokenKind.Minus, 1);
                break;
            case '*':
                if (c1 == '*')
                {
                    (kind, len) = c2 == '=' ? (TokenKind.DoubleStarEqual, 3) : (TokenKind.DoubleStar, 2);
                }
                else
                {
                    (kind, len) = c1 == '=' ? (TokenKind.StarEqual, 2) : (TokenKind.Star, 1);
                }
                break;
            case '/':
                if (c1 == '/')
                {
                    (kind, len) = c2 == '=' ? (TokenKind.DoubleSlashEqual, 3) : (TokenKind.DoubleSlash, 2);
                }
                else
                {
                    (kind, len) = c1 == '=' ? (TokenKind.SlashEqual, 2) : (TokenKind.Slash, 1);
                }
                break;
            case '%': (kind, len) = c1 == '=' ? (TokenKind.PercentEqual, 2) : (TokenKind.Percent, 1); break;
            case '&': (kind, len) = c1 == '=' ? (TokenKind.AmperEqual, 2) : (TokenKind.Amper, 1); break;
            case '|': (kind, len) = c1 == '=' ? (TokenKind.VBarEqual, 2) : (TokenKind.VBar, 1); break;
            case '^': (kind, len) = c1 == '=' ? (TokenKind.CircumflexEqual, 2) : (TokenKind.CircumFlex, 1); break;
            case '@': (kind, len) = c1 == '=' ? (TokenKind.AtEqual, 2) : (TokenKind.At, 1); break;
            case '=': (kind, len) = c1 == '=' ? (TokenKind.EqEqual, 2) : (TokenKind.Equal, 1); break;
            case '!':
                (kind, len) = c1 == '=' ? (TokenKind.NotEqual, 2) : (TokenKind.Exclamation, 1);
                break;
            case '<':
                if (c1 == '<')
                {
                    (kind, len) = c2 == '=' ? (TokenKind.LeftShiftEqual, 3) : (TokenKind.LeftShift, 2);
                }
                else
                {
                    (kind, len) = c1 == '=' ? (TokenKind.LessEqual, 2) : c1 == '>' ? (TokenKind.NotEqual, 0) : (TokenKind.Less, 1);
                    if (len == 0)
                    {
                        FailHere("invalid syntax");
                    }
                }
                break;
            case '>':
                if (c1 == '>')
                {
                    (kind, len) = c2 == '=' ? (TokenKind.RightShiftEqual, 3) : (TokenKind.RightShift, 2);
                }
                else
                {
                    (kind, len) = c1 == '=' ? (TokenKind.GreaterEqual, 2) : (TokenKind.Greater, 1);
                }
                break;
            default:
                if (char.IsAsciiLetterOrDigit(c) || c >= 0x80)
                {
                    kind = TokenKind.Error;
                    break;
                }
                if (c < 0x20 || c == 0x7F)
                {
                    FailHere($"invalid non-printable character U+{(int)c:X4}");
                }
                // '$', '?', '`' and the like: CPython's parser reports these as "invalid syntax".
                FailHere("invalid syntax");
                return;
        }
        _pos += len;
        Add(kind, start, _pos);
    }

    private void CloseBracket(char c)
    {
        if (_ctxCount == 0)
        {
            FailHere($"unmatched '{c}'");
        }
        ref var top = ref _ctx[_ctxCount - 1];
        char open = top.Kind switch { CtxKind.Paren => '(', CtxKind.Bracket => '[', _ => '{' };
        char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (c != expected)
        {
            if (top.Kind == CtxKind.Field)
            {
                FailHere($"f-string: unmatched '{c}'");
            }
            FailHere(top.Line != _line
                ? $"closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {top.Line}"
                : $"closing parenthesis '{c}' does not match opening parenthesis '{open}'");
        }
        _ctxCount--;
        Add(c == ')' ? TokenKind.RPar : c == ']' ? TokenKind.RSqb : TokenKind.RBrace, _pos, _pos + 1);
        _pos++;
    }
}
