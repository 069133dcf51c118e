namespace LlmStruct.Parsers.JavaScript.TypeScript;

/// <summary>Token kinds of the TypeScript reader; punctuators carry their text in <see cref="TsToken.Text"/>.</summary>
internal enum TsTokenKind
{
    EndOfFile,
    Identifier,
    PrivateName,
    Number,
    String,
    Regex,
    /// <summary>A whole template without substitutions, or its head up to <c>${</c>.</summary>
    NoSubstitutionTemplate,
    TemplateHead,
    TemplateMiddle,
    TemplateTail,
    Punctuator,
    /// <summary>A character that starts no token (reported as an error by the parser).</summary>
    Invalid,
}

/// <summary>One token: kind, text (identifier name or punctuator), offsets and whether a line break precedes it.</summary>
internal readonly record struct TsToken(TsTokenKind Kind, string Text, int Start, int End, bool NewLineBefore);

/// <summary>A comment's span; <see cref="Block"/> for <c>/* */</c>.</summary>
internal readonly record struct TsComment(int Start, int End, bool Block);

/// <summary>
/// Scans TypeScript on demand: the parser says whether a regular expression may start here and rescans template
/// continuations and JSX text itself, as the reference scanner does. Never throws: unterminated strings, comments
/// and templates are recorded in <see cref="Error"/> and end at the end of the file.
/// </summary>
internal sealed class TsLexer(string source)
{
    private static readonly string[] Punctuators =
    [
        // Longest first within each leading character.
        "...", "?.", "??=", "??", "?", "=>", "===", "==", "=", "!==", "!=", "!", "**=", "**", "*=", "*",
        "&&=", "&&", "&=", "&", "||=", "||", "|=", "|", "+=", "++", "+", "-=", "--", "-", "/=", "/", "%=", "%",
        "<<=", "<<", "<=", "<", "^=", "^", "~", "(", ")", "[", "]", "{", "}", ";", ",", ":", "@", ".", "#", ">",
    ];

    private readonly string _source = source;
    private int _pos;

    /// <summary>Comments seen so far, in source order.</summary>
    public List<TsComment> Comments { get; } = [];

    /// <summary>The first lexical error (offset and reason), if any.</summary>
    public (int Offset, string Reason)? Error { get; set; }

    public int Position
    {
        get => _pos;
        set => _pos = value;
    }

    public string Source => _source;

    /// <summary>Scans the next token; <paramref name="regexAllowed"/> when an operand may start here.</summary>
    public TsToken Next(bool regexAllowed)
    {
        bool newLine = SkipTrivia();
        int start = _pos;
        if (_pos >= _source.Length)
        {
            return new TsToken(TsTokenKind.EndOfFile, "", start, start, newLine);
        }
        char c = _source[_pos];
        if (IsIdentifierStart(c) || c == '\\')
        {
            ScanIdentifierPart();
            return new TsToken(TsTokenKind.Identifier, _source[start.._pos], start, _pos, newLine);
        }
        if (c == '#' && _pos + 1 < _source.Length && IsIdentifierStart(_source[_pos + 1]))
        {
            _pos++;
            ScanIdentifierPart();
            return new TsToken(TsTokenKind.PrivateName, _source[start.._pos], start, _pos, newLine);
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _source.Length && char.IsAsciiDigit(_source[_pos + 1])))
        {
            ScanNumber();
            return new TsToken(TsTokenKind.Number, "0", start, _pos, newLine);
        }
        if (c is '"' or '\'')
        {
            ScanString(c);
            return new TsToken(TsTokenKind.String, "", start, _pos, newLine);
        }
        if (c == '`')
        {
            _pos++;
            return ScanTemplateRest(start, newLine, head: true);
        }
        if (c == '/' && regexAllowed)
        {
            ScanRegex();
            return new TsToken(TsTokenKind.Regex, "", start, _pos, newLine);
        }
        foreach (var p in Punctuators)
        {
            if (string.CompareOrdinal(_source, _pos, p, 0, p.Length) == 0)
            {
                // `?.5` is `?` then `.5`.
                if (p == "?." && _pos + 2 < _source.Length && char.IsAsciiDigit(_source[_pos + 2]))
                {
                    continue;
                }
                _pos += p.Length;
                return new TsToken(TsTokenKind.Punctuator, p, start, _pos, newLine);
            }
        }
        _pos++;
        if (char.IsHighSurrogate(c) && _pos < _source.Length && char.IsLowSurrogate(_source[_pos]))
        {
            // Identifiers outside the BMP.
            ScanIdentifierPart();
            return new TsToken(TsTokenKind.Identifier, _source[start.._pos], start, _pos, newLine);
        }
        return new TsToken(TsTokenKind.Invalid, c.ToString(), start, _pos, newLine);
    }

    /// <summary>Scans a regular expression at <paramref name="start"/> (where the token scanned as <c>/</c> or <c>/=</c> began).</summary>
    public TsToken RescanRegex(int start, bool newLine)
    {
        _pos = start;
        ScanRegex();
        return new TsToken(TsTokenKind.Regex, "", start, _pos, newLine);
    }

    /// <summary>After the <c>}</c> closing a substitution: scans the template's next part from <paramref name="closeBrace"/>.</summary>
    public TsToken RescanTemplateContinuation(int closeBrace)
    {
        _pos = closeBrace + 1;
        return ScanTemplateRest(closeBrace, false, head: false);
    }

    private TsToken ScanTemplateRest(int start, bool newLine, bool head)
    {
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (c == '`')
            {
                _pos++;
                return new TsToken(head ? TsTokenKind.NoSubstitutionTemplate : TsTokenKind.TemplateTail, "", start, _pos, newLine);
            }
            if (c == '$' && _pos + 1 < _source.Length && _source[_pos + 1] == '{')
            {
                _pos += 2;
                return new TsToken(head ? TsTokenKind.TemplateHead : TsTokenKind.TemplateMiddle, "", start, _pos, newLine);
            }
            _pos += c == '\\' ? 2 : 1;
        }
        _pos = _source.Length;
        Fail(start, "unterminated template literal");
        return new TsToken(head ? TsTokenKind.NoSubstitutionTemplate : TsTokenKind.TemplateTail, "", start, _pos, newLine);
    }

    /// <summary>
    /// JSX text from the current position up to the next <c>{</c> or <c>&lt;</c>; false at the end of the file. A
    /// <c>}</c> or <c>&gt;</c> in the text is an error (as in the reference parser: write <c>{'&gt;'}</c>); its offset is returned.
    /// </summary>
    public bool ScanJsxText(out int stray)
    {
        stray = -1;
        while (_pos < _source.Length && _source[_pos] is not ('{' or '<'))
        {
            if (stray < 0 && _source[_pos] is '}' or '>')
            {
                stray = _pos;
            }
            _pos++;
        }
        return _pos < _source.Length;
    }

    /// <summary>A JSX attribute string (quotes, no escapes) starting at the current position.</summary>
    public void ScanJsxString()
    {
        SkipTrivia();
        if (_pos >= _source.Length)
        {
            return;
        }
        char quote = _source[_pos];
        int start = _pos++;
        while (_pos < _source.Length && _source[_pos] != quote)
        {
            _pos++;
        }
        if (_pos >= _source.Length)
        {
            Fail(start, "unterminated string in JSX attribute");
            return;
        }
        _pos++;
    }

    /// <summary>A JSX name part (identifiers with <c>-</c>) at the current position; null when none is there.</summary>
    public TsToken? ScanJsxIdentifier()
    {
        bool newLine = SkipTrivia();
        int start = _pos;
        if (_pos >= _source.Length || !IsIdentifierStart(_source[_pos]))
        {
            return null;
        }
        while (_pos < _source.Length && (IsIdentifierPart(_source[_pos]) || _source[_pos] == '-'))
        {
            _pos++;
        }
        return new TsToken(TsTokenKind.Identifier, _source[start.._pos], start, _pos, newLine);
    }

    private bool SkipTrivia()
    {
        bool newLine = false;
        if (_pos == 0 && _source.StartsWith("#!", StringComparison.Ordinal))
        {
            while (_pos < _source.Length && _source[_pos] is not ('\n' or '\r'))
            {
                _pos++;
            }
        }
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                newLine = true;
                _pos++;
            }
            else if (c is ' ' or '\t' or '\v' or '\f' or '\u00a0' or '\ufeff' || (c > 127 && char.IsWhiteSpace(c)))
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _source.Length && _source[_pos + 1] == '/')
            {
                int start = _pos;
                while (_pos < _source.Length && _source[_pos] is not ('\n' or '\r' or '\u2028' or '\u2029'))
                {
                    _pos++;
                }
                Comments.Add(new TsComment(start, _pos, false));
            }
            else if (c == '/' && _pos + 1 < _source.Length && _source[_pos + 1] == '*')
            {
                int start = _pos;
                int end = _source.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    Fail(start, "unterminated comment");
                    _pos = _source.Length;
                }
                else
                {
                    if (_source.AsSpan(start, end - start).IndexOfAny('\n', '\r') >= 0)
                    {
                        newLine = true;
                    }
                    _pos = end + 2;
                }
                Comments.Add(new TsComment(start, _pos, true));
            }
            else
            {
                break;
            }
        }
        return newLine;
    }

    private void ScanIdentifierPart()
    {
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (IsIdentifierPart(c))
            {
                _pos++;
            }
            else if (c == '\\')
            {
                // \uXXXX or \u{…}
                _pos += 2;
                if (_pos < _source.Length && _source[_pos] == '{')
                {
                    while (_pos < _source.Length && _source[_pos] != '}')
                    {
                        _pos++;
                    }
                    _pos++;
                }
                else
                {
                    _pos += 4;
                }
                _pos = Math.Min(_pos, _source.Length);
            }
            else if (char.IsSurrogate(c))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
    }

    private void ScanNumber()
    {
        bool radix = _source[_pos] == '0' && _pos + 1 < _source.Length && _source[_pos + 1] is 'x' or 'X' or 'b' or 'B' or 'o' or 'O';
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            {
                _pos++;
                // 1e+5, 1e-5
                if (!radix && c is 'e' or 'E' && _pos < _source.Length && _source[_pos] is '+' or '-')
                {
                    _pos++;
                }
            }
            else
            {
                break;
            }
        }
    }

    private void ScanString(char quote)
    {
        int start = _pos++;
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (c == quote)
            {
                _pos++;
                return;
            }
            if (c == '\\')
            {
                _pos += 2;
                continue;
            }
            if (c is '\n' or '\r')
            {
                break;
            }
            _pos++;
        }
        _pos = Math.Min(_pos, _source.Length);
        Fail(start, "unterminated string literal");
    }

    private void ScanRegex()
    {
        int start = _pos++;
        bool inClass = false;
        while (_pos < _source.Length)
        {
            char c = _source[_pos];
            if (c is '\n' or '\r')
            {
                break;
            }
            if (c == '\\')
            {
                _pos += 2;
                continue;
            }
            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                _pos++;
                while (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
                {
                    _pos++;
                }
                return;
            }
            _pos++;
        }
        _pos = Math.Min(_pos, _source.Length);
        Fail(start, "unterminated regular expression");
    }

    private void Fail(int offset, string reason) => Error ??= (offset, reason);

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$' || (c > 127 && (char.IsLetter(c) || char.IsSurrogate(c)));

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '\u200c' or '\u200d'
        || (c > 127 && (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.ConnectorPunctuation));
}
