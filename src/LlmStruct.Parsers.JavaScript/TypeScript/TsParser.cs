using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;
using ParseError = LlmStruct.Model.ParseError;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

/// <summary>Stops the parse at the first syntax error (caught by <see cref="TsParser.Parse"/>; never leaves the parser).</summary>
internal sealed class TsSyntaxError(int offset, string reason) : Exception(reason)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// A hand-written recursive-descent reader of TypeScript (and TSX) that builds Core's model as it goes: statements,
/// declarations and expressions are parsed (so definitions, their extents and calls are exact); types are parsed
/// only far enough to know where they end and keep their text. The first syntax error stops it. One instance reads
/// one file.
/// </summary>
internal sealed partial class TsParser
{
    /// <summary>Nesting (statements, expressions, types) beyond which the file is refused.</summary>
    internal const int MaxDepth = 1000;

    private readonly string _path;
    private readonly string _source;
    private readonly bool _jsx;
    private readonly TsLexer _lexer;
    private readonly int[] _lineStarts;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DefinitionBuilder> _topLevel = [];
    private readonly List<(ImportInfo Import, int Offset)> _imports = [];
    private readonly Dictionary<int, int> _requireAt = [];
    private readonly List<string> _exports = [];
    private readonly List<VariableInfo> _variables = [];
    private TsToken _tok;
    private int _prevEnd;
    private int _depth;
    private bool _noIn;

    private TsParser(string path, string source, bool jsx, CancellationToken cancellationToken)
    {
        _path = path;
        _source = source;
        _jsx = jsx;
        _lexer = new TsLexer(source);
        _cancellationToken = cancellationToken;
        var starts = new List<int> { 0 };
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= source.Length || source[i + 1] != '\n')) || c is '\u2028' or '\u2029')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = [.. starts];
    }

    /// <summary>Where new definitions go and whose calls are counted (see the JavaScript extractor's scope).</summary>
    private readonly record struct Scope(DefinitionBuilder? Owner, DefinitionBuilder? ReturnTarget, DefinitionBuilder? ThisOwner = null)
    {
        public string Prefix => Owner is null ? "" : Owner.QualifiedName + ".";
    }

    /// <summary>Parses <paramref name="source"/>; a syntax error comes back as the error, with what was read before it when a prefix parses.</summary>
    public static (ModuleInfo? Module, ParseError? Error) Parse(string path, string source, bool jsx, CancellationToken cancellationToken)
    {
        var parser = new TsParser(path, source, jsx, cancellationToken);
        try
        {
            return (parser.Run(), null);
        }
        catch (TsSyntaxError error)
        {
            var (line, column) = parser.Position(error.Offset);
            return (null, new ParseError { File = path, Line = line, Column = column, Reason = error.Message });
        }
    }

    private ModuleInfo Run()
    {
        Next();
        var scope = new Scope(null, null);
        bool prologue = true;
        while (_tok.Kind != TsTokenKind.EndOfFile)
        {
            int start = _tok.Start;
            _wasDirective = false;
            ParseStatement(scope, topLevel: true);
            if (prologue && !_wasDirective)
            {
                prologue = false;
                _firstNonDirective = start;
            }
        }
        if (_lexer.Error is { } lexError)
        {
            throw new TsSyntaxError(lexError.Offset, lexError.Reason);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstBlock = _lexer.Comments.FirstOrDefault(c => c.Block);
        return new ModuleInfo
        {
            Docstring = firstBlock.Block ? JsDoc.ModuleDoc(_source, firstBlock.Start, firstBlock.End, _firstNonDirective) : null,
            Imports = [.. _imports
                .OrderBy(i => i.Import.Line)
                .ThenBy(i => i.Import.Module, StringComparer.Ordinal)
                .ThenBy(i => i.Offset)
                .Select(i => i.Import)],
            Exports = [.. _exports.Distinct(StringComparer.Ordinal)],
            Variables = [.. _variables.OrderBy(v => v.Line).ThenBy(v => v.Name, StringComparer.Ordinal)],
            Definitions = [.. _topLevel
                .OrderBy(d => d.StartOffset)
                .Select(d => d.Build(_path, seen))
                .OrderBy(d => d.StartLine)
                .ThenBy(d => d.Name, StringComparer.Ordinal)],
        };
    }

    /// <summary>Start of the first top-level statement that is not a directive (<c>'use strict'</c>); -1 when none.</summary>
    private int _firstNonDirective = -1;

    /// <summary>Set by an expression statement that is a lone string literal.</summary>
    private bool _wasDirective;

    // ---- tokens ----

    private static readonly HashSet<string> RegexAfterWords = new(StringComparer.Ordinal)
    {
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
    };

    private void Next()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _prevEnd = _tok.End;
        bool regex = _tok.Kind switch
        {
            TsTokenKind.Identifier => RegexAfterWords.Contains(_tok.Text),
            TsTokenKind.Number or TsTokenKind.String or TsTokenKind.Regex or TsTokenKind.NoSubstitutionTemplate
                or TsTokenKind.TemplateTail or TsTokenKind.PrivateName => false,
            TsTokenKind.Punctuator => _tok.Text is not (")" or "]" or "}"),
            _ => true,
        };
        _tok = _lexer.Next(regex);
        if (_tok.Kind == TsTokenKind.Invalid)
        {
            throw Fail($"invalid character '{_tok.Text}'");
        }
    }

    private readonly record struct State(TsToken Token, int PrevEnd, int Position, int Comments, bool NoIn, (int, string)? LexError);

    private State Save() => new(_tok, _prevEnd, _lexer.Position, _lexer.Comments.Count, _noIn, _lexer.Error);

    private void Restore(State state)
    {
        _tok = state.Token;
        _prevEnd = state.PrevEnd;
        _lexer.Position = state.Position;
        _noIn = state.NoIn;
        _lexer.Error = state.LexError;
        if (_lexer.Comments.Count > state.Comments)
        {
            _lexer.Comments.RemoveRange(state.Comments, _lexer.Comments.Count - state.Comments);
        }
    }

    /// <summary>The token after the current one (scanned, then put back).</summary>
    private TsToken Peek()
    {
        var state = Save();
        try
        {
            Next();
            return _tok;
        }
        catch (TsSyntaxError)
        {
            return default;
        }
        finally
        {
            Restore(state);
        }
    }

    private bool Is(string punctuator) => _tok.Kind == TsTokenKind.Punctuator && _tok.Text == punctuator;

    private bool IsWord(string word) => _tok.Kind == TsTokenKind.Identifier && _tok.Text == word;

    private bool Eat(string punctuator)
    {
        if (Is(punctuator))
        {
            Next();
            return true;
        }
        return false;
    }

    private bool EatWord(string word)
    {
        if (IsWord(word))
        {
            Next();
            return true;
        }
        return false;
    }

    private void Expect(string punctuator)
    {
        if (!Eat(punctuator))
        {
            throw Fail($"'{punctuator}' expected");
        }
    }

    private string ExpectIdentifier()
    {
        if (_tok.Kind != TsTokenKind.Identifier)
        {
            throw Fail("identifier expected");
        }
        string name = _tok.Text;
        Next();
        return name;
    }

    /// <summary>A statement ends: <c>;</c>, or a line break, <c>}</c> or the end of the file before the next token.</summary>
    private void Semicolon()
    {
        if (Eat(";"))
        {
            return;
        }
        if (_tok.NewLineBefore || Is("}") || _tok.Kind == TsTokenKind.EndOfFile)
        {
            return;
        }
        throw Fail("';' expected");
    }

    private TsSyntaxError Fail(string reason) => new(_tok.Start, _tok.Kind == TsTokenKind.EndOfFile ? reason + " (end of file)" : reason);

    private void Enter()
    {
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail($"nesting deeper than {MaxDepth} levels");
        }
    }

    private void Leave() => _depth--;

    // ---- positions and text ----

    private (int Line, int Column) Position(int offset)
    {
        int index = Array.BinarySearch(_lineStarts, Math.Clamp(offset, 0, _source.Length));
        int line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    private int LineOf(int offset) => Position(offset).Line;

    /// <summary>The line of the last character before <paramref name="end"/> (an exclusive end offset).</summary>
    private int EndLineOf(int end) => LineOf(Math.Max(0, end - 1));

    private string Text(int start, int end) => TextOf.Normalize(_source, start, Math.Max(start, end));

    // ---- model ----

    private DefinitionBuilder NewDefinition(string kind, string name, string qualifiedName, int start, Scope scope)
    {
        var definition = new DefinitionBuilder
        {
            Kind = kind,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = LineOf(start),
            StartOffset = start,
            Docstring = DocBefore(start),
        };
        (scope.Owner?.Children ?? _topLevel).Add(definition);
        return definition;
    }

    private string? DocBefore(int offset)
    {
        var comments = _lexer.Comments;
        int found = -1;
        for (int i = comments.Count - 1; i >= 0; i--)
        {
            if (comments[i].End <= offset)
            {
                found = i;
                break;
            }
        }
        if (found < 0)
        {
            return null;
        }
        var c = comments[found];
        if (!c.Block || c.End - c.Start < 5 || _source[c.Start + 2] != '*' || _source[c.Start + 3] == '/')
        {
            return null;
        }
        for (int i = c.End; i < offset; i++)
        {
            if (!TextOf.IsSpace(_source[i]))
            {
                return null;
            }
        }
        return JsDoc.Clean(_source.Substring(c.Start + 3, c.End - c.Start - 5));
    }

    private void Finish(DefinitionBuilder definition) => definition.EndLine = EndLineOf(_prevEnd);

    private void RecordCall(Scope scope, int calleeStart, int calleeEnd)
    {
        scope.Owner?.AddCall(Text(calleeStart, calleeEnd), LineOf(calleeStart));
    }

    private void AddImport(ImportInfo import, int offset) => _imports.Add((import, offset));

    private string StringValue(TsToken token) =>
        token.End - token.Start >= 2 ? _source.Substring(token.Start + 1, token.End - token.Start - 2) : "";

    /// <summary>Names bound by a declaration at module level (not functions or classes: those are definitions).</summary>
    private void AddVariable(string name, int offset) => _variables.Add(new VariableInfo { Name = name, Line = LineOf(offset) });

    internal static ImmutableArray<string> NoStrings => [];
}
