namespace LlmStruct.Parsers.Python.Tokens;

internal sealed partial class Tokenizer
{
    /// <summary>Scans a string literal whose prefix starts at <paramref name="start"/> and quote at <see cref="_pos"/>.</summary>
    private void ScanString(int start, TokenFlags flags, bool isF)
    {
        char q = _s[_pos];
        bool triple = _pos + 2 < _n && _s[_pos + 1] == q && _s[_pos + 2] == q;
        CheckNestedQuote(q);
        if (isF)
        {
            _pos += triple ? 3 : 1;
            Add(TokenKind.FStringStart, start, _pos, triple ? flags | TokenFlags.Triple : flags);
            PushCtx(CtxKind.FString);
            ref var f = ref _ctx[_ctxCount - 1];
            f.Quote = q;
            f.Triple = triple;
            f.Raw = (flags & TokenFlags.Raw) != 0;
            f.Pos = start;
            f.Col = start - _lineStart;
            _fstringDepth++;
            return;
        }
        int startLine = _line, startCol = start - _lineStart;
        bool raw = (flags & TokenFlags.Raw) != 0;
        bool bytes = (flags & TokenFlags.Bytes) != 0;
        _pos += triple ? 3 : 1;
        _escapeError = null;
        _bodyStart = _pos;
        while (true)
        {
            if (_pos >= _n)
            {
                Fail(triple ? $"unterminated triple-quoted string literal (detected at line {_line})"
                    : $"unterminated string literal (detected at line {_line})", startLine, startCol + 1);
            }
            char c = _s[_pos];
            if (c == q)
            {
                if (!triple)
                {
                    _pos++;
                    break;
                }
                if (_pos + 2 < _n && _s[_pos + 1] == q && _s[_pos + 2] == q)
                {
                    _pos += 3;
                    break;
                }
                _pos++;
            }
            else if (c == '\\')
            {
                if (InFieldExpression())
                {
                    UsesPython312 = true;
                }
                if (_pos + 1 >= _n)
                {
                    _pos++;
                    continue;
                }
                char e = _s[_pos + 1];
                if (e == '\n' || e == '\r')
                {
                    _pos++;
                    TryNewline();
                    continue;
                }
                if (!raw)
                {
                    CheckEscape(bytes, startLine, startCol);
                    continue;
                }
                _pos += 2;
            }
            else if (c == '\n' || c == '\r')
            {
                if (!triple)
                {
                    Fail($"unterminated string literal (detected at line {_line})", startLine, startCol + 1);
                }
                TryNewline();
            }
            else
            {
                // Jump to the next character that matters (vectorized).
                int rel = _s.AsSpan(_pos + 1, _n - _pos - 1).IndexOfAny(q == '"' ? DoubleQuoteStops : SingleQuoteStops);
                _pos = rel < 0 ? _n : _pos + 1 + rel;
            }
        }
        if (bytes && !System.Text.Ascii.IsValid(_s.AsSpan(start, _pos - start)))
        {
            Fail("bytes can only contain ASCII literal characters", startLine, startCol + 1);
        }
        if (_escapeError is not null)
        {
            Fail(_escapeError, _line, _pos - _lineStart + 1);
        }
        if (triple)
        {
            flags |= TokenFlags.Triple;
        }
        Add(TokenKind.String, start, _pos, flags);
    }

    private static readonly System.Buffers.SearchValues<char> DoubleQuoteStops = System.Buffers.SearchValues.Create("\"\\\n\r");
    private static readonly System.Buffers.SearchValues<char> SingleQuoteStops = System.Buffers.SearchValues.Create("'\\\n\r");
    private static readonly System.Buffers.SearchValues<char> FStringStops = System.Buffers.SearchValues.Create("'\"\\\n\r{}");

    private string? _escapeError;
    private int _bodyStart;

    /// <summary>A string inside a replacement field that reuses an enclosing f-string's quote needs PEP 701.</summary>
    private void CheckNestedQuote(char q)
    {
        if (_fstringDepth == 0)
        {
            return;
        }
        for (int i = _ctxCount - 1; i >= 0; i--)
        {
            if (_ctx[i].Kind == CtxKind.FString && _ctx[i].Quote == q)
            {
                UsesPython312 = true;
                return;
            }
        }
    }

    /// <summary>Checks one escape sequence at <see cref="_pos"/> (a backslash) and steps over it.</summary>
    private void CheckEscape(bool bytes, int startLine, int startCol)
    {
        char e = _s[_pos + 1];
        int digits = e switch
        {
            'x' => 2,
            'u' when !bytes => 4,
            'U' when !bytes => 8,
            _ => 0,
        };
        if (digits > 0)
        {
            int i = _pos + 2;
            int k = 0;
            while (k < digits && i + k < _n && char.IsAsciiHexDigit(_s[i + k]))
            {
                k++;
            }
            int at = _pos - _bodyStart;
            if (k < digits)
            {
                string what = e == 'x' ? "truncated \\xXX escape" : e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                _escapeError ??= bytes ? $"(value error) invalid \\x escape at position {at}"
                    : $"(unicode error) 'unicodeescape' codec can't decode bytes in position {at}-{at + 1 + k}: {what}";
                _pos = i + k;
                return;
            }
            if (e == 'U' && Convert.ToInt64(new string(_s, i, 8), 16) > 0x10FFFF)
            {
                _escapeError ??= $"(unicode error) 'unicodeescape' codec can't decode bytes in position {at}-{at + 9}: illegal Unicode character";
            }
            _pos = i + digits;
            return;
        }
        if (e == 'N' && !bytes)
        {
            int close = _pos + 3 <= _n && _s[_pos + 2] == '{' ? Array.IndexOf(_s, '}', _pos + 3, _n - _pos - 3) : -1;
            int eol = _s.AsSpan(_pos, _n - _pos).IndexOfAny('\n', '\r');
            eol = eol < 0 ? -1 : eol + _pos;
            if (close < 0 || (eol >= 0 && eol < close) || close == _pos + 3)
            {
                int at = _pos - _bodyStart;
                _escapeError ??= $"(unicode error) 'unicodeescape' codec can't decode bytes in position {at}-{at + 1}: malformed \\N character escape";
                _pos += 2;
                return;
            }
            _pos = close + 1;
            return;
        }
        _pos += 2;
    }

    /// <summary>Scans the literal part of an f-string (or of a format spec) up to a field, a closing brace or the end quote.</summary>
    private void ScanFStringLiteral()
    {
        ref var top = ref _ctx[_ctxCount - 1];
        bool inSpec = top.Kind == CtxKind.Field;
        int fi = _ctxCount - 1;
        while (_ctx[fi].Kind != CtxKind.FString)
        {
            fi--;
        }
        var f = _ctx[fi];
        int start = _pos;
        int startLine = _line, startCol = _pos - _lineStart;
        _tokenLine = startLine;
        _tokenCol = startCol;
        while (true)
        {
            if (_pos >= _n)
            {
                Fail(f.Triple ? $"unterminated triple-quoted f-string literal (detected at line {_line})"
                    : $"unterminated f-string literal (detected at line {_line})", f.Line, f.Col + 1);
            }
            char c = _s[_pos];
            if (c == f.Quote && (!f.Triple || (_pos + 2 < _n && _s[_pos + 1] == c && _s[_pos + 2] == c)))
            {
                if (inSpec)
                {
                    FailHere("f-string: expecting '}'");
                }
                EmitMiddle(start, startLine, startCol);
                Mark();
                _pos += f.Triple ? 3 : 1;
                Add(TokenKind.FStringEnd, _pos - (f.Triple ? 3 : 1), _pos);
                _ctxCount--;
                _fstringDepth--;
                return;
            }
            if (c == '\\')
            {
                if (_pos + 1 < _n && (_s[_pos + 1] == '{' || _s[_pos + 1] == '}'))
                {
                    _pos++;
                    continue;
                }
                if (_pos + 1 < _n && (_s[_pos + 1] == '\n' || _s[_pos + 1] == '\r'))
                {
                    _pos++;
                    TryNewline();
                    continue;
                }
                if (!f.Raw && _pos + 1 < _n)
                {
                    _escapeError = null;
                    _bodyStart = start;
                    CheckEscape(bytes: false, f.Line, f.Col);
                    if (_escapeError is not null)
                    {
                        FailHere(_escapeError);
                    }
                    continue;
                }
                _pos = Math.Min(_n, _pos + 2);
                continue;
            }
            if (c == '{')
            {
                if (!inSpec && _pos + 1 < _n && _s[_pos + 1] == '{')
                {
                    _pos += 2;
                    continue;
                }
                EmitMiddle(start, startLine, startCol);
                Mark();
                if (inSpec && NestedSpecDepth() >= 2)
                {
                    FailHere("f-string: expressions nested too deeply");
                }
                Add(TokenKind.LBrace, _pos, _pos + 1);
                PushCtx(CtxKind.Field);
                _pos++;
                return;
            }
            if (c == '}')
            {
                if (!inSpec)
                {
                    if (_pos + 1 < _n && _s[_pos + 1] == '}')
                    {
                        _pos += 2;
                        continue;
                    }
                    FailHere("f-string: single '}' is not allowed");
                }
                EmitMiddle(start, startLine, startCol);
                Mark();
                Add(TokenKind.RBrace, _pos, _pos + 1);
                _pos++;
                _ctxCount--;
                return;
            }
            if (c == '\n' || c == '\r')
            {
                if (!f.Triple)
                {
                    Fail(inSpec ? "f-string: newlines are not allowed in format specifiers for single quoted f-strings"
                        : $"unterminated f-string literal (detected at line {_line})", f.Line, f.Col + 1);
                }
                TryNewline();
                continue;
            }
            int rel = _s.AsSpan(_pos + 1, _n - _pos - 1).IndexOfAny(FStringStops);
            _pos = rel < 0 ? _n : _pos + 1 + rel;
        }
    }

    private int NestedSpecDepth()
    {
        int depth = 0;
        for (int i = _ctxCount - 1; i >= 0 && _ctx[i].Kind != CtxKind.FString; i--)
        {
            if (_ctx[i].Kind == CtxKind.Field && _ctx[i].InSpec)
            {
                depth++;
            }
        }
        return depth;
    }

    private void EmitMiddle(int start, int line, int col)
    {
        if (_pos > start)
        {
            _tokenLine = line;
            _tokenCol = col;
            Add(TokenKind.FStringMiddle, start, _pos);
        }
    }
}
