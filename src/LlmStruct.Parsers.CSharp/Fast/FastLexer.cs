namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>What a token of the fast reader is.</summary>
internal enum TokenKind
{
    /// <summary>End of file.</summary>
    End,
    /// <summary>An identifier or a contextual keyword.</summary>
    Identifier,
    /// <summary>A reserved keyword.</summary>
    Keyword,
    /// <summary>A numeric literal.</summary>
    Number,
    /// <summary>A regular or verbatim string literal.</summary>
    String,
    /// <summary>An interpolated string whose holes are plain (dotted) names.</summary>
    Interpolated,
    /// <summary>A character literal.</summary>
    Char,
    /// <summary>An operator or punctuation.</summary>
    Punct,
}

/// <summary>The reserved keywords the fast reader knows.</summary>
internal static class FastLexerKeywords
{
    /// <summary>True for a reserved (not contextual) C# keyword.</summary>
    public static bool IsReserved(string word) => FastLexer.IsKeyword(word);
}

/// <summary>One token: its kind, its place in the text and the lines it starts and ends on (1-based).</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int EndLine);

/// <summary>
/// Splits C# text into tokens for <see cref="FastReader"/>. Only the plain subset is accepted: ASCII identifiers,
/// ordinary literals, <c>#region</c>/<c>#endregion</c>/<c>#nullable</c>/<c>#pragma warning</c> directives. Anything
/// else (other directives, raw strings, non-ASCII code, unusual line breaks, lexical errors) makes it give up.
/// </summary>
internal sealed partial class FastLexer
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override", "params",
        "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof",
        "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
        "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeywordSpans = Keywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] Puncts =
    [
        "<<=", "??=", "...", "=>", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
        "^=", "<<", "->", "::", "..", "??",
    ];

    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _regions;

    /// <summary>The tokens, sized up front (C# has about one token per 6.5 characters) so the list rarely grows.</summary>
    public List<Token> Tokens { get; }

    /// <summary>For a token index, the last <c>///</c> run in the trivia before it: start and end offsets.</summary>
    public Dictionary<int, (int Start, int End)> Docs { get; } = [];

    /// <summary>For an interpolated string's start offset, the tokens of each hole (each list ends with an End token).</summary>
    public Dictionary<int, List<List<Token>>> Holes { get; } = [];

    private List<List<Token>> _pendingHoles = [];
    private int _interpolationDepth;

    private FastLexer(string text)
    {
        _text = text;
        Tokens = new List<Token>(text.Length / 5 + 16);
    }

    /// <summary>The tokens of <paramref name="text"/>, or null when the text is outside the subset.</summary>
    public static FastLexer? Lex(string text)
    {
        var lexer = new FastLexer(text);
        return lexer.Run() ? lexer : null;
    }

    public string TextOf(Token token) => _text.Substring(token.Start, token.End - token.Start);

    public string Text => _text;

    internal static bool IsKeyword(string word) => Keywords.Contains(word);

    /// <summary>Where the last lexer give-up on this thread happened (the lexer's source file and line, a text line), for tests.</summary>
    [ThreadStatic]
    internal static (string Source, int SourceLine, int TextLine)? LastFail;

    private bool Fail([System.Runtime.CompilerServices.CallerLineNumber] int lexerLine = 0, [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        LastFail = (file, lexerLine, _line);
        return false;
    }

    private bool Run()
    {
        var text = _text;
        bool lineHasToken = false;
        while (true)
        {
            if (_pos >= text.Length)
            {
                Tokens.Add(new Token(TokenKind.End, text.Length, text.Length, _line, _line));
                return _regions == 0;
            }
            char c = text[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
                lineHasToken = false;
                continue;
            }
            if (c == '\r')
            {
                if (_pos + 1 < text.Length && text[_pos + 1] == '\n')
                {
                    _pos++;
                    continue;
                }
                return Fail();
            }
            if (c is ' ' or '\t' or '\f' or '\v')
            {
                _pos++;
                continue;
            }
            if (c == '/' && _pos + 1 < text.Length && text[_pos + 1] == '/')
            {
                bool doc = _pos + 2 < text.Length && text[_pos + 2] == '/' && (_pos + 3 >= text.Length || text[_pos + 3] != '/');
                if (doc && !lineHasToken)
                {
                    ReadDocRun();
                }
                else
                {
                    SkipToLineEnd();
                }
                continue;
            }
            if (c == '/' && _pos + 1 < text.Length && text[_pos + 1] == '*')
            {
                if (_pos + 2 < text.Length && text[_pos + 2] == '*' && (_pos + 3 >= text.Length || text[_pos + 3] != '/'))
                {
                    return Fail(); // /** */ documentation comments: left to Roslyn
                }
                int close = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return Fail();
                }
                CountLines(_pos, close + 2);
                _pos = close + 2;
                continue;
            }
            if (c == '#')
            {
                if (lineHasToken || !ReadDirective())
                {
                    return Fail();
                }
                continue;
            }
            if (!LexToken(Tokens, inHole: false))
            {
                return false;
            }
            lineHasToken = true;
        }
    }

    /// <summary>One token at the current position into <paramref name="into"/>; in a hole, no interpolated string.</summary>
    private bool LexToken(List<Token> into, bool inHole)
    {
        var text = _text;
        char c = text[_pos];
        int start = _pos;
        int line = _line;
        TokenKind kind;
        if (IsIdentStart(c))
        {
            while (_pos < text.Length && IsIdentPart(text[_pos]))
            {
                _pos++;
            }
            if (_pos < text.Length && text[_pos] is '"' or '\'' or '\\' || _pos < text.Length && text[_pos] > 127)
            {
                return Fail();
            }
            kind = KeywordSpans.Contains(text.AsSpan(start, _pos - start)) ? TokenKind.Keyword : TokenKind.Identifier;
        }
        else if (char.IsAsciiDigit(c) || c == '.' && _pos + 1 < text.Length && char.IsAsciiDigit(text[_pos + 1]))
        {
            if (!ReadNumber())
            {
                return Fail();
            }
            kind = TokenKind.Number;
        }
        else if (c == '"')
        {
            if (!ReadString(verbatim: false, interpolated: false))
            {
                return Fail();
            }
            kind = TokenKind.String;
        }
        else if (c == '@' && _pos + 1 < text.Length && text[_pos + 1] == '"')
        {
            _pos++;
            if (!ReadString(verbatim: true, interpolated: false))
            {
                return Fail();
            }
            kind = TokenKind.String;
        }
        else if (c == '$')
        {
            bool verbatim = false;
            int dollars = 0;
            while (_pos < text.Length && text[_pos] == '$')
            {
                dollars++;
                _pos++;
            }
            if (dollars == 1 && _pos < text.Length && text[_pos] == '@')
            {
                verbatim = true;
                _pos++;
            }
            if (_pos >= text.Length || text[_pos] != '"')
            {
                return Fail();
            }
            bool raw = !verbatim && _pos + 2 < text.Length && text[_pos + 1] == '"' && text[_pos + 2] == '"';
            if (dollars > 1 && !raw || dollars > 2)
            {
                return Fail();
            }
            if (++_interpolationDepth > 2)
            {
                return Fail();
            }
            var outer = _pendingHoles;
            _pendingHoles = [];
            if (raw ? !ReadRawString(dollars) : !ReadString(verbatim, interpolated: true))
            {
                return Fail();
            }
            Holes[start] = _pendingHoles;
            _pendingHoles = outer;
            _interpolationDepth--;
            kind = TokenKind.Interpolated;
        }
        else if (c == '\'')
        {
            if (!ReadChar())
            {
                return Fail();
            }
            kind = TokenKind.Char;
        }
        else if (c < 128 && "{}()[];,.:?+-*/%&|^!~=<>".Contains(c, StringComparison.Ordinal))
        {
            int length = 1;
            var rest = text.AsSpan(_pos);
            foreach (var p in Puncts)
            {
                if (p[0] == c && rest.StartsWith(p, StringComparison.Ordinal))
                {
                    length = p.Length;
                    break;
                }
            }
            if (length == 3 && text[_pos] == '.')
            {
                return Fail();
            }
            _pos += length;
            kind = TokenKind.Punct;
        }
        else
        {
            return Fail();
        }
        into.Add(new Token(kind, start, _pos, line, _line));
        return true;
    }

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void SkipToLineEnd()
    {
        int end = _text.IndexOf('\n', _pos);
        _pos = end < 0 ? _text.Length : end;
    }

    private void CountLines(int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (_text[i] == '\n')
            {
                _line++;
            }
        }
    }

    /// <summary>Consecutive <c>///</c> lines, each with only whitespace before it: one documentation comment.</summary>
    private void ReadDocRun()
    {
        int start = _pos;
        SkipToLineEnd();
        int end = _pos;
        while (_pos < _text.Length)
        {
            int next = _pos + 1;
            while (next < _text.Length && _text[next] is ' ' or '\t')
            {
                next++;
            }
            if (next + 2 < _text.Length && _text[next] == '/' && _text[next + 1] == '/' && _text[next + 2] == '/'
                && (next + 3 >= _text.Length || _text[next + 3] != '/'))
            {
                _line++;
                _pos = next;
                SkipToLineEnd();
                end = _pos;
                continue;
            }
            break;
        }
        if (end > start && _text[end - 1] == '\r')
        {
            end--;
        }
        Docs[Tokens.Count] = (start, end);
    }

    private bool ReadDirective()
    {
        int lineEnd = _text.IndexOf('\n', _pos);
        if (lineEnd < 0)
        {
            lineEnd = _text.Length;
        }
        var line = _text.AsSpan(_pos + 1, lineEnd - _pos - 1).TrimEnd('\r').Trim();
        if (line.StartsWith("region", StringComparison.Ordinal) && (line.Length == 6 || line[6] is ' ' or '\t'))
        {
            _regions++;
        }
        else if (line.StartsWith("endregion", StringComparison.Ordinal) && (line.Length == 9 || line[9] is ' ' or '\t'))
        {
            if (_regions == 0 || line.Length > 9)
            {
                return Fail();
            }
            _regions--;
        }
        else if (line is "nullable enable" or "nullable disable" or "nullable restore")
        {
        }
        else if (line.StartsWith("pragma warning disable ", StringComparison.Ordinal)
            || line.StartsWith("pragma warning restore ", StringComparison.Ordinal))
        {
            var codes = line["pragma warning restore ".Length..];
            int comment = codes.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0)
            {
                codes = codes[..comment]; // a trailing comment: part of the directive's trivia in Roslyn
            }
            foreach (var c in codes)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is ',' or ' '))
                {
                    return Fail();
                }
            }
        }
        else
        {
            return Fail();
        }
        _pos = lineEnd;
        return true;
    }

    private bool ReadNumber()
    {
        var text = _text;
        if (text[_pos] == '0' && _pos + 1 < text.Length && text[_pos + 1] is 'x' or 'X' or 'b' or 'B')
        {
            bool hex = text[_pos + 1] is 'x' or 'X';
            _pos += 2;
            int digits = 0;
            while (_pos < text.Length && (hex ? char.IsAsciiHexDigit(text[_pos]) : text[_pos] is '0' or '1'))
            {
                _pos++;
                digits++;
            }
            if (digits == 0)
            {
                return Fail();
            }
            return IntegerSuffix();
        }
        bool real = false;
        if (!Digits(required: text[_pos] != '.'))
        {
            return Fail();
        }
        if (_pos + 1 < text.Length && text[_pos] == '.' && char.IsAsciiDigit(text[_pos + 1]))
        {
            _pos++;
            real = true;
            if (!Digits(required: true))
            {
                return Fail();
            }
        }
        if (_pos < text.Length && text[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < text.Length && text[_pos] is '+' or '-')
            {
                _pos++;
            }
            if (!Digits(required: true))
            {
                return Fail();
            }
            real = true;
        }
        if (_pos < text.Length && text[_pos] is 'f' or 'F' or 'd' or 'D' or 'm' or 'M')
        {
            _pos++;
            return _pos >= text.Length || !IsIdentPart(text[_pos]);
        }
        return real ? _pos >= text.Length || !IsIdentPart(text[_pos]) : IntegerSuffix();
    }

    private bool Digits(bool required)
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '_' && _pos > start))
        {
            _pos++;
        }
        if (_pos > start && _text[_pos - 1] == '_')
        {
            return false;
        }
        return !required || _pos > start;
    }

    private bool IntegerSuffix()
    {
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] is 'u' or 'U' or 'l' or 'L' && _pos - start < 2)
        {
            _pos++;
        }
        var suffix = _text.AsSpan(start, _pos - start).ToString().ToUpperInvariant();
        if (suffix is not ("" or "U" or "L" or "UL" or "LU"))
        {
            return Fail();
        }
        return _pos >= _text.Length || !IsIdentPart(_text[_pos]);
    }
}
