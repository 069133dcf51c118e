using System.Globalization;

namespace LlmStruct.Parsers.Python.Tokens;

/// <summary>
/// Turns decoded Python source into tokens the way CPython 3.12's tokenizer does: INDENT/DEDENT from a stack of
/// columns (tabs to multiples of 8, checked against tab size 1 for consistency), implicit and explicit line
/// joining, every string prefix, PEP 701 f-strings (FSTRING_START/MIDDLE/END with the replacement fields tokenized
/// as code) and all numeric literals. It works on spans of one string and stops at the first error, which it
/// records and marks with an <see cref="TokenKind.Error"/> token.
/// </summary>
internal sealed partial class Tokenizer
{
    private const int MaxIndent = 100;
    private const int MaxLevel = 200;

    private enum CtxKind : byte { Paren, Bracket, Brace, FString, Field }

    private struct Ctx
    {
        public CtxKind Kind;
        public bool InSpec;
        public bool Triple;
        public bool Raw;
        public char Quote;
        public int Pos;
        public int Line;
        public int Col;
    }

    private readonly char[] _s;
    private readonly int _n;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private Token[] _tokens;
    private int _count;
    private readonly List<int> _indents = [0];
    private readonly List<int> _altIndents = [0];
    private Ctx[] _ctx = new Ctx[16];
    private int _ctxCount;
    private int _fstringDepth;
    private bool _lineHasTokens;

    /// <summary>The first error, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>1-based line of the error.</summary>
    public int ErrorLine { get; private set; }

    /// <summary>1-based column of the error.</summary>
    public int ErrorColumn { get; private set; }

    /// <summary>True when the source uses syntax CPython 3.11 does not accept (PEP 701 f-strings).</summary>
    public bool UsesPython312 { get; private set; }

    public Tokenizer(string source)
        : this(source.ToCharArray(), source.Length)
    {
    }

    /// <summary>Tokenizes the first <paramref name="length"/> chars of <paramref name="source"/> (a pooled buffer).</summary>
    public Tokenizer(char[] source, int length, Token[]? buffer = null)
    {
        _s = source;
        _n = length;
        _tokens = buffer ?? new Token[Math.Max(16, length / 4)];
    }

    public Token[] Tokens => _tokens;

    public int Count => _count;

    private sealed class StopException : Exception;

    /// <summary>Tokenizes the whole source; always ends with an <see cref="TokenKind.EndMarker"/>.</summary>
    public void Run()
    {
        try
        {
            int at = _s.AsSpan(0, _n).IndexOf('\0');
            if (at >= 0)
            {
                _pos = at;
                Fail("source code cannot contain null bytes", LineOf(at), ColOf(at) + 1);
            }
            Scan();
        }
        catch (StopException)
        {
            Add(TokenKind.Error, _pos, _pos);
        }
        Add(TokenKind.EndMarker, _pos, _pos);
    }

    private int LineOf(int pos)
    {
        int line = 1;
        for (int i = 0; i < pos; i++)
        {
            if (_s[i] == '\n' || (_s[i] == '\r' && (i + 1 >= _n || _s[i + 1] != '\n')))
            {
                line++;
            }
        }
        return line;
    }

    private int ColOf(int pos)
    {
        int i = pos;
        while (i > 0 && _s[i - 1] != '\n' && _s[i - 1] != '\r')
        {
            i--;
        }
        return pos - i;
    }

    private void Fail(string message, int line, int col)
    {
        Error = message;
        ErrorLine = line;
        ErrorColumn = col;
        throw new StopException();
    }

    private void FailHere(string message) => Fail(message, _line, _pos - _lineStart + 1);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Add(TokenKind kind, int start, int end, TokenFlags flags = TokenFlags.None)
    {
        if (_count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }
        ref var t = ref _tokens[_count++];
        t.Kind = kind;
        t.Flags = flags;
        t.Start = start;
        t.End = end;
        t.Line = _tokenLine;
        t.Col = _tokenCol;
        t.EndLine = _line;
    }

    private int _tokenLine = 1;
    private int _tokenCol;

    private void Mark()
    {
        _tokenLine = _line;
        _tokenCol = _pos - _lineStart;
    }

    private void PushCtx(CtxKind kind)
    {
        if (_ctxCount == _ctx.Length)
        {
            Array.Resize(ref _ctx, _ctx.Length * 2);
        }
        if (kind != CtxKind.FString && _ctxCount >= MaxLevel)
        {
            FailHere("too many nested parentheses");
        }
        _ctx[_ctxCount++] = new Ctx { Kind = kind, Pos = _pos, Line = _line, Col = _pos - _lineStart };
    }

    private void NewLine(int afterNewline)
    {
        _pos = afterNewline;
        _line++;
        _lineStart = afterNewline;
    }

    /// <summary>Consumes a newline at <see cref="_pos"/> (\n, \r\n or \r); returns false when there is none.</summary>
    private bool TryNewline()
    {
        char c = _s[_pos];
        if (c == '\n')
        {
            NewLine(_pos + 1);
            return true;
        }
        if (c == '\r')
        {
            NewLine(_pos + 1 < _n && _s[_pos + 1] == '\n' ? _pos + 2 : _pos + 1);
            return true;
        }
        return false;
    }

    private void Scan()
    {
        bool atLineStart = true;
        while (true)
        {
            if (_ctxCount > 0)
            {
                ref var top = ref _ctx[_ctxCount - 1];
                if (top.Kind == CtxKind.FString || (top.Kind == CtxKind.Field && top.InSpec))
                {
                    ScanFStringLiteral();
                    continue;
                }
            }
            if (atLineStart && _ctxCount == 0)
            {
                if (!ScanIndentation())
                {
                    break;
                }
                atLineStart = false;
            }
            // Skip blanks.
            var text = new ReadOnlySpan<char>(_s, 0, _n);
            int pos = _pos;
            while ((uint)pos < (uint)text.Length && text[pos] is ' ' or '\t' or '\f')
            {
                pos++;
            }
            _pos = pos;
            if ((uint)pos >= (uint)text.Length)
            {
                break;
            }
            char c = text[pos];
            if (c == '#')
            {
                if (InFieldExpression())
                {
                    UsesPython312 = true;
                }
                int eol = _s.AsSpan(_pos, _n - _pos).IndexOfAny('\n', '\r');
                _pos = eol < 0 ? _n : _pos + eol;
                continue;
            }
            if (c == '\n' || c == '\r')
            {
                if (_ctxCount == 0)
                {
                    Mark();
                    int start = _pos;
                    TryNewline();
                    if (_lineHasTokens)
                    {
                        AddNewline(start);
                    }
                    atLineStart = true;
                }
                else
                {
                    if (InFieldExpression() && !InTripleFString())
                    {
                        UsesPython312 = true;
                    }
                    TryNewline();
                }
                continue;
            }
            if (c == '\\')
            {
                if (InFieldExpression())
                {
                    UsesPython312 = true;
                }
                if (_pos + 1 >= _n)
                {
                    _pos++;
                    FailHere("unexpected EOF while parsing");
                }
                _pos++;
                if (!TryNewline())
                {
                    FailHere("unexpected character after line continuation character");
                }
                if (_pos >= _n)
                {
                    FailHere("unexpected EOF while parsing");
                }
                continue;
            }
            _lineHasTokens = true;
            Mark();
            if (IsAsciiLetterOrUnderscore(c) || c >= 0x80)
            {
                ScanNameOrString();
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _n && char.IsAsciiDigit(_s[_pos + 1])))
            {
                ScanNumber();
            }
            else if (c == '"' || c == '\'')
            {
                ScanString(_pos, TokenFlags.None, isF: false);
            }
            else
            {
                ScanOperator(c);
            }
        }
        // End of input.
        if (_ctxCount > 0)
        {
            for (int i = _ctxCount - 1; i >= 0; i--)
            {
                if (_ctx[i].Kind == CtxKind.FString)
                {
                    var f = _ctx[i];
                    Fail(f.Triple ? $"unterminated triple-quoted f-string literal (detected at line {_line})"
                        : $"unterminated f-string literal (detected at line {_line})", f.Line, f.Col + 1);
                }
            }
            var open = _ctx[_ctxCount - 1];
            Fail($"'{_s[open.Pos]}' was never closed", open.Line, open.Col + 1);
        }
        Mark();
        if (_lineHasTokens)
        {
            AddNewline(_pos);
        }
        for (int i = 1; i < _indents.Count; i++)
        {
            Add(TokenKind.Dedent, _pos, _pos);
        }
    }

    private void AddNewline(int start)
    {
        Add(TokenKind.Newline, start, start);
        _lineHasTokens = false;
    }

    private bool InFieldExpression()
    {
        for (int i = _ctxCount - 1; i >= 0; i--)
        {
            if (_ctx[i].Kind == CtxKind.Field)
            {
                return true;
            }
            if (_ctx[i].Kind == CtxKind.FString)
            {
                return false;
            }
        }
        return false;
    }

    private bool InTripleFString()
    {
        for (int i = _ctxCount - 1; i >= 0; i--)
        {
            if (_ctx[i].Kind == CtxKind.FString)
            {
                return _ctx[i].Triple;
            }
        }
        return false;
    }

    /// <summary>Measures the indentation of a new logical line and emits INDENT/DEDENT; false at end of input.</summary>
    private bool ScanIndentation()
    {
        while (true)
        {
            int col = 0, alt = 0;
            var text = new ReadOnlySpan<char>(_s, 0, _n);
            int pos = _pos;
            while ((uint)pos < (uint)text.Length)
            {
                char c = text[pos];
                if (c == ' ')
                {
                    col++;
                    alt++;
                }
                else if (c == '\t')
                {
                    col = (col / 8 + 1) * 8;
                    alt++;
                }
                else if (c == '\f')
                {
                    col = alt = 0;
                }
                else
                {
                    break;
                }
                pos++;
            }
            _pos = pos;
            if (_pos >= _n)
            {
                return false;
            }
            char d = _s[_pos];
            if (d == '#' || d == '\n' || d == '\r')
            {
                // Blank or comment-only line: no indentation change.
                int eol = _s.AsSpan(_pos, _n - _pos).IndexOfAny('\n', '\r');
                _pos = eol < 0 ? _n : _pos + eol;
                if (_pos >= _n)
                {
                    return false;
                }
                TryNewline();
                continue;
            }
            if (d == '\\' && _pos + 1 < _n && (_s[_pos + 1] == '\n' || _s[_pos + 1] == '\r'))
            {
                // A continuation at the start of a line: the indentation is that of the joined line.
                _pos++;
                int eofLine = _line, eofCol = _pos - _lineStart + 1;
                TryNewline();
                if (_pos >= _n)
                {
                    Fail("unexpected EOF while parsing", eofLine, eofCol);
                }
                continue;
            }
            int top = _indents[^1];
            Mark();
            if (col == top)
            {
                if (alt != _altIndents[^1])
                {
                    FailHere("inconsistent use of tabs and spaces in indentation");
                }
            }
            else if (col > top)
            {
                if (_indents.Count >= MaxIndent)
                {
                    FailHere("too many levels of indentation");
                }
                if (alt <= _altIndents[^1])
                {
                    FailHere("inconsistent use of tabs and spaces in indentation");
                }
                _indents.Add(col);
                _altIndents.Add(alt);
                Add(TokenKind.Indent, _lineStart, _pos);
            }
            else
            {
                while (_indents.Count > 1 && col < _indents[^1])
                {
                    _indents.RemoveAt(_indents.Count - 1);
                    _altIndents.RemoveAt(_altIndents.Count - 1);
                    Add(TokenKind.Dedent, _pos, _pos);
                }
                if (col != _indents[^1])
                {
                    int eol = _pos;
                    while (eol < _n && _s[eol] != '\n' && _s[eol] != '\r')
                    {
                        eol++;
                    }
                    Fail("unindent does not match any outer indentation level", _line, eol - _lineStart + 1);
                }
                if (alt != _altIndents[^1])
                {
                    FailHere("inconsistent use of tabs and spaces in indentation");
                }
            }
            return true;
        }
    }

    private static bool IsAsciiLetterOrUnderscore(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == '_';

    private static bool IsAsciiNameChar(char c) => IsAsciiLetterOrUnderscore(c) || char.IsAsciiDigit(c);

    // 1 for the ASCII characters that continue a name (letters, digits, '_'), 2 for those that end one, by code.
    private static ReadOnlySpan<byte> NameChars =>
    [
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
        2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1,
        2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    ];

    private void ScanNameOrString()
    {
        int start = _pos;
        bool nonAscii = false;
        var text = new ReadOnlySpan<char>(_s, 0, _n);
        var table = NameChars;
        int pos = start;
        while ((uint)pos < (uint)text.Length)
        {
            char c = text[pos];
            if (c < 0x80)
            {
                if (table[c] != 1)
                {
                    break;
                }
            }
            else
            {
                nonAscii = true;
            }
            pos++;
        }
        _pos = pos;
        int len = pos - start;
        if (!nonAscii && len <= 2 && _pos < _n && (_s[_pos] == '"' || _s[_pos] == '\''))
        {
            if (TryStringPrefix(start, len, out var flags, out bool isF))
            {
                ScanString(start, flags, isF);
                return;
            }
        }
        if (nonAscii)
        {
            ValidateIdentifier(start, _pos);
            Add(TokenKind.Name, start, _pos, TokenFlags.NonAscii);
            return;
        }
        Add(Keywords.Classify(_s.AsSpan(start, len)), start, _pos);
    }

    private bool TryStringPrefix(int start, int len, out TokenFlags flags, out bool isF)
    {
        flags = TokenFlags.None;
        isF = false;
        bool b = false, r = false, u = false;
        for (int i = 0; i < len; i++)
        {
            switch (_s[start + i] | 0x20)
            {
                case 'b' when !b && !isF && !u: b = true; break;
                case 'r' when !r && !u: r = true; break;
                case 'f' when !isF && !b && !u: isF = true; break;
                case 'u' when len == 1: u = true; break;
                default: return false;
            }
        }
        if (b) flags |= TokenFlags.Bytes;
        if (r) flags |= TokenFlags.Raw;
        if (u) flags |= TokenFlags.Unicode;
        return true;
    }

    private void ValidateIdentifier(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            int cp = _s[i];
            int width = 1;
            if (char.IsHighSurrogate(_s[i]) && i + 1 < end && char.IsLowSurrogate(_s[i + 1]))
            {
                cp = char.ConvertToUtf32(_s[i], _s[i + 1]);
                width = 2;
            }
            if (cp >= 0x80 && !IsIdentifierChar(cp, i == start))
            {
                _pos = i;
                Mark();
                string shown = char.ConvertFromUtf32(cp);
                FailHere(IsPrintable(cp) ? $"invalid character '{shown}' (U+{cp:X4})" : $"invalid non-printable character U+{cp:X4}");
            }
            i += width - 1;
        }
    }

    private static bool IsPrintable(int cp)
    {
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        return cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    /// <summary>XID_Start / XID_Continue, approximated by Unicode categories (as PEP 3131 defines them).</summary>
    internal static bool IsIdentifierChar(int cp, bool first)
    {
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        switch (cat)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.LetterNumber:
                return true;
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.ConnectorPunctuation:
                return !first;
            default:
                // Other_ID_Start / Other_ID_Continue.
                return cp is 0x2118 or 0x212E or 0x309B or 0x309C || (!first && cp is 0x00B7 or 0x0387 or (>= 0x1369 and <= 0x1371) or 0x19DA);
        }
    }
}
