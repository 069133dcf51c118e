namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>String, raw string, interpolated string (with their holes) and character literals.</summary>
internal sealed partial class FastLexer
{
    private bool ReadString(bool verbatim, bool interpolated)
    {
        var text = _text;
        int start = _pos;
        if (!verbatim && _pos + 2 < text.Length && text[_pos + 1] == '"' && text[_pos + 2] == '"')
        {
            return !interpolated && ReadRawString(dollars: 0);
        }
        _pos++;
        while (true)
        {
            if (_pos >= text.Length)
            {
                return Fail();
            }
            char c = text[_pos];
            if (c == '"')
            {
                if (verbatim && _pos + 1 < text.Length && text[_pos + 1] == '"')
                {
                    _pos += 2;
                    continue;
                }
                _pos++;
                break;
            }
            if (c is '\n' or '\r')
            {
                if (!verbatim)
                {
                    return Fail();
                }
                if (c == '\n')
                {
                    _line++;
                }
                _pos++;
                continue;
            }
            if (c == '\\' && !verbatim)
            {
                if (!Escape())
                {
                    return Fail();
                }
                continue;
            }
            if (interpolated && c is '{' or '}')
            {
                if (_pos + 1 < text.Length && text[_pos + 1] == c)
                {
                    _pos += 2; // "{{" or "}}": a brace in the text
                    continue;
                }
                if (c == '}' || !Hole())
                {
                    return Fail();
                }
                continue;
            }
            _pos++;
        }
        if (_pos + 1 < text.Length && text[_pos] == 'u' && text[_pos + 1] == '8' && !interpolated)
        {
            _pos += 2;
        }
        return _pos >= text.Length || !IsIdentPart(text[_pos]) && text[_pos] != '"' && text[_pos] != '\'';
    }

    /// <summary>
    /// An interpolation hole: its tokens (an expression, maybe <c>, alignment</c>) up to the <c>:</c> or <c>}</c> at
    /// bracket depth 0, then a plain format. No comments, line breaks, nested interpolated strings or <c>::</c>.
    /// </summary>
    private bool Hole()
    {
        var text = _text;
        _pos++;
        var tokens = new List<Token>();
        int depth = 0;
        while (true)
        {
            if (_pos >= text.Length)
            {
                return Fail();
            }
            char c = text[_pos];
            if (c is ' ')
            {
                _pos++;
                continue;
            }
            if (c is '\n' or '\r' or '\t' or '#' || c == '/' && _pos + 1 < text.Length && text[_pos + 1] is '/' or '*')
            {
                return Fail();
            }
            if (depth == 0 && c is '}' or ':')
            {
                if (c == ':' && _pos + 1 < text.Length && text[_pos + 1] == ':')
                {
                    return Fail();
                }
                break;
            }
            if (!LexToken(tokens, inHole: true))
            {
                return false;
            }
            var t = tokens[^1];
            if (t.Kind == TokenKind.Punct && t.End - t.Start == 1)
            {
                char p = text[t.Start];
                if (p is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (p is ')' or ']' or '}')
                {
                    if (--depth < 0)
                    {
                        return Fail();
                    }
                }
            }
        }
        if (tokens.Count == 0)
        {
            return Fail();
        }
        if (text[_pos] == ':')
        {
            _pos++;
            while (_pos < text.Length && text[_pos] != '}')
            {
                if (text[_pos] is '{' or '"' or '\\' or '\n' or '\r')
                {
                    return Fail();
                }
                _pos++;
            }
            if (_pos >= text.Length)
            {
                return Fail();
            }
        }
        tokens.Add(new Token(TokenKind.End, _pos, _pos, _line, _line));
        _pendingHoles.Add(tokens);
        _pos++; // '}'
        return true;
    }

    /// <summary>
    /// A raw string literal: one line, or lines indented at least as much as the closing delimiter. With
    /// <paramref name="dollars"/> (1 or 2), an interpolated one: brace runs shorter than that are text, runs of exactly
    /// that many open and close a hole; anything else is left to Roslyn.
    /// </summary>
    private bool ReadRawString(int dollars)
    {
        int startLine = _line;
        if (!ReadRawStringExtent(out int contentStart, out int contentEnd))
        {
            return false;
        }
        if (dollars == 0)
        {
            if (_pos + 1 < _text.Length && _text[_pos] == 'u' && _text[_pos + 1] == '8')
            {
                _pos += 2;
            }
            return _pos >= _text.Length || !IsIdentPart(_text[_pos]) && _text[_pos] != '"' && _text[_pos] != '\'';
        }
        if (_pos < _text.Length && (IsIdentPart(_text[_pos]) || _text[_pos] is '"' or '\''))
        {
            return Fail();
        }
        int end = _pos, endLine = _line;
        _line = startLine;
        _pos = contentStart;
        while (_pos < contentEnd)
        {
            char c = _text[_pos];
            if (c is '{' or '}')
            {
                int run = 1;
                while (_pos + run < contentEnd && _text[_pos + run] == c)
                {
                    run++;
                }
                if (run < dollars)
                {
                    _pos += run; // text
                    continue;
                }
                if (c == '}' || run > dollars)
                {
                    return Fail();
                }
                _pos += run - 1; // Hole() steps over the last '{'
                if (!Hole())
                {
                    return false;
                }
                for (int i = 1; i < dollars; i++)
                {
                    if (_pos >= contentEnd || _text[_pos] != '}')
                    {
                        return Fail();
                    }
                    _pos++;
                }
                if (_pos < contentEnd && _text[_pos] == '}')
                {
                    return Fail();
                }
                continue;
            }
            if (c == '\n')
            {
                _line++;
            }
            _pos++;
        }
        if (_line != endLine)
        {
            return Fail();
        }
        _pos = end;
        return true;
    }

    /// <summary>Steps over a raw string literal (<c>_pos</c> and <c>_line</c> after it); its content's offsets.</summary>
    private bool ReadRawStringExtent(out int contentFrom, out int contentTo)
    {
        contentFrom = contentTo = 0;
        var text = _text;
        int quotes = 0;
        while (_pos + quotes < text.Length && text[_pos + quotes] == '"')
        {
            quotes++;
        }
        var delimiter = new string('"', quotes);
        int contentStart = _pos + quotes;
        int lineEnd = text.IndexOf('\n', contentStart);
        if (lineEnd < 0)
        {
            lineEnd = text.Length;
        }
        var firstRest = text.AsSpan(contentStart, lineEnd - contentStart).TrimEnd('\r');
        if (!firstRest.IsWhiteSpace())
        {
            // single line: """text""" with no quote right after the content
            int close = firstRest.IndexOf(delimiter, StringComparison.Ordinal);
            if (close <= 0 || firstRest[0] == '"' || firstRest[close - 1] == '"'
                || close + quotes < firstRest.Length && firstRest[close + quotes] == '"')
            {
                return Fail();
            }
            (contentFrom, contentTo) = (contentStart, contentStart + close);
            _pos = contentStart + close + quotes;
            return true;
        }
        var contentLines = new List<string>();
        int pos = lineEnd;
        while (true)
        {
            if (pos >= text.Length)
            {
                return Fail();
            }
            pos++; // '\n'
            _line++;
            int end = text.IndexOf('\n', pos);
            if (end < 0)
            {
                end = text.Length;
            }
            var line = text.AsSpan(pos, end - pos).TrimEnd('\r').ToString();
            var trimmed = line.TrimStart(' ', '\t');
            if (trimmed.StartsWith(delimiter, StringComparison.Ordinal))
            {
                if (trimmed.Length > quotes && trimmed[quotes] == '"' || contentLines.Count == 0)
                {
                    return Fail();
                }
                var indent = line[..(line.Length - trimmed.Length)];
                foreach (var content in contentLines)
                {
                    if (!string.IsNullOrWhiteSpace(content) && !content.StartsWith(indent, StringComparison.Ordinal))
                    {
                        return Fail();
                    }
                }
                (contentFrom, contentTo) = (contentStart, pos);
                _pos = pos + indent.Length + quotes;
                return true;
            }
            if (line.Contains(delimiter, StringComparison.Ordinal))
            {
                return Fail();
            }
            contentLines.Add(line);
            pos = end;
        }
    }

    private bool Escape()
    {
        var text = _text;
        if (_pos + 1 >= text.Length)
        {
            return Fail();
        }
        char e = text[_pos + 1];
        if (e is '\'' or '"' or '\\' or '0' or 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or 'e')
        {
            _pos += 2;
            return true;
        }
        int count = e switch { 'u' => 4, 'U' => 8, _ => 0 };
        if (count == 0)
        {
            return Fail(); // \x (variable length) and anything else: left to Roslyn
        }
        for (int i = 0; i < count; i++)
        {
            if (_pos + 2 + i >= text.Length || !char.IsAsciiHexDigit(text[_pos + 2 + i]))
            {
                return Fail();
            }
        }
        if (e == 'U')
        {
            return Fail();
        }
        _pos += 2 + count;
        return true;
    }

    private bool ReadChar()
    {
        var text = _text;
        _pos++;
        if (_pos >= text.Length || text[_pos] is '\'' or '\n' or '\r')
        {
            return Fail();
        }
        if (text[_pos] == '\\' && _pos + 1 < text.Length && text[_pos + 1] == 'x')
        {
            // \x with one to four hex digits: variable length, but a character literal ends right after it
            int digits = 0;
            while (digits < 4 && _pos + 2 + digits < text.Length && char.IsAsciiHexDigit(text[_pos + 2 + digits]))
            {
                digits++;
            }
            if (digits == 0)
            {
                return Fail();
            }
            _pos += 2 + digits;
        }
        else if (text[_pos] == '\\')
        {
            if (!Escape())
            {
                return Fail();
            }
        }
        else
        {
            if (char.IsSurrogate(text[_pos]))
            {
                return Fail();
            }
            _pos++;
        }
        if (_pos >= text.Length || text[_pos] != '\'')
        {
            return Fail();
        }
        _pos++;
        return true;
    }
}
