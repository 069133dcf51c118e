using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

/// <summary>A syntax error found while parsing: CPython-like message and 1-based position.</summary>
internal sealed class PythonSyntaxException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>
/// A recursive-descent parser for the whole Python 3.12 grammar (rules named as in CPython's Grammar/python.gram).
/// It validates everything but keeps only a small tree: definitions, imports, module-level assignments, docstrings
/// and call sites. The first error is kept; parsing then resumes at the next top-level statement.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxDepth = 400;

    private readonly char[] _src;
    private readonly Token[] _toks;
    private readonly Tokenizer _tokenizer;
    private int _p;
    private int _depth;
    private ScopeNode _scope;
    private readonly ModuleNode _module = new() { Line = 1 };
    private bool _expectDocstring;

    public Parser(char[] source, Tokenizer tokenizer)
    {
        _src = source;
        _tokenizer = tokenizer;
        _toks = tokenizer.Tokens;
        _scope = _module;
    }

    /// <summary>The first syntax error, if any.</summary>
    public PythonSyntaxException? Error { get; private set; }

    /// <summary>True when the file uses syntax new in Python 3.12 (PEP 695, PEP 701).</summary>
    public bool UsesPython312 { get; private set; }

    private TokenKind K
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => _toks[_p].Kind;
    }

    /// <summary>The source span of an expression: from its first token's start to its last token's end.</summary>
    private TextSpan SpanOf(in Expr e) => new(_toks[e.StartTok].Start, _toks[e.EndTok].End);

    private ref Token Cur => ref _toks[_p];

    private TokenKind PeekKind(int k) => _toks[Math.Min(_p + k, _tokenizer.Count - 1)].Kind;

    private bool Accept(TokenKind kind)
    {
        if (_toks[_p].Kind == kind)
        {
            _p++;
            return true;
        }
        return false;
    }

    private void Expect(TokenKind kind)
    {
        if (_toks[_p].Kind != kind)
        {
            throw Fail("invalid syntax");
        }
        _p++;
    }

    private void ExpectWithMessage(TokenKind kind, string message)
    {
        if (_toks[_p].Kind != kind)
        {
            throw _toks[_p].Kind == TokenKind.Error ? Fail("") : FailAt(message, _p - 1, atEnd: true);
        }
        _p++;
    }

    private bool IsSoftKeyword(int tok, string word) =>
        _toks[tok].Kind == TokenKind.Name && _src.AsSpan(_toks[tok].Start, _toks[tok].End - _toks[tok].Start).SequenceEqual(word);

    private string Text(int tok) => new(_src, _toks[tok].Start, _toks[tok].End - _toks[tok].Start);

    private string NameText(int tok) =>
        (_toks[tok].Flags & TokenFlags.NonAscii) != 0
            ? TextPool.Intern(Identifiers.Normalize(Text(tok)))
            : TextPool.Intern(_src.AsSpan(_toks[tok].Start, _toks[tok].End - _toks[tok].Start));

    /// <summary>An error at the current token ("invalid syntax" and the like); a tokenizer error wins when reached.</summary>
    private PythonSyntaxException Fail(string message) => FailAt(message, _p);

    private PythonSyntaxException FailAt(string message, int tok, bool atEnd = false)
    {
        tok = Math.Clamp(tok, 0, _tokenizer.Count - 1);
        ref var t = ref _toks[tok];
        if (_toks[_p].Kind == TokenKind.Error && _tokenizer.Error is not null)
        {
            return new PythonSyntaxException(_tokenizer.Error, _tokenizer.ErrorLine, _tokenizer.ErrorColumn);
        }
        if (t.Kind == TokenKind.EndMarker && message == "invalid syntax")
        {
            return new PythonSyntaxException("unexpected EOF while parsing", t.Line, t.Col + 1);
        }
        if (atEnd)
        {
            int endCol = t.Col + (t.End - t.Start) + 1;
            if (t.EndLine != t.Line)
            {
                int ls = _src.AsSpan(0, Math.Max(0, t.End)).LastIndexOfAny('\n', '\r');
                endCol = t.End - ls;
            }
            return new PythonSyntaxException(message, t.EndLine, endCol);
        }
        return new PythonSyntaxException(message, t.Line, t.Col + 1);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail("too many nested parentheses");
        }
    }

    private void Leave() => _depth--;

    /// <summary>file: [statements] ENDMARKER</summary>
    public ModuleNode ParseFile(CancellationToken cancellationToken)
    {
        _expectDocstring = true;
        while (K != TokenKind.EndMarker)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (K == TokenKind.Error)
                {
                    throw Fail("");
                }
                ParseStatement();
            }
            catch (PythonSyntaxException ex)
            {
                Error ??= ex;
                if (!Recover())
                {
                    break;
                }
            }
            catch (IndexOutOfRangeException)
            {
                Error ??= new PythonSyntaxException("invalid syntax", _toks[Math.Min(_p, _tokenizer.Count - 1)].Line, 1);
                break;
            }
        }
        if (Error is null && _tokenizer.Error is not null)
        {
            Error = new PythonSyntaxException(_tokenizer.Error, _tokenizer.ErrorLine, _tokenizer.ErrorColumn);
        }
        UsesPython312 |= _tokenizer.UsesPython312;
        return _module;
    }

    /// <summary>Skips to the next statement that starts in column 0; false when there is none.</summary>
    private bool Recover()
    {
        _scope = _module;
        _depth = 0;
        _expectDocstring = false;
        int i = Math.Min(_p + 1, _tokenizer.Count - 1);
        while (true)
        {
            var kind = _toks[i].Kind;
            if (kind is TokenKind.EndMarker or TokenKind.Error)
            {
                return false;
            }
            if (kind == TokenKind.Newline && i + 1 < _tokenizer.Count)
            {
                int j = i + 1;
                while (_toks[j].Kind == TokenKind.Dedent)
                {
                    j++;
                }
                if (_toks[j].Kind is not (TokenKind.Indent or TokenKind.EndMarker or TokenKind.Error) && _toks[j].Col == 0)
                {
                    _p = j;
                    return true;
                }
            }
            i++;
        }
    }

    private void AddCall(in Expr callee, int line)
    {
        if (_scope is not ModuleNode)
        {
            _scope.Calls.Add(new CallSite(SpanOf(callee), line));
        }
    }
}
