using System.Collections.Immutable;
using System.Text;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>
/// A hand-written reader for the plain subset of C# that gives exactly the <see cref="ParseResult"/> of the Roslyn
/// path (same definitions, ids, lines, docs, imports and calls), for speed. Anything it cannot model exactly — a
/// syntax error, a preprocessor condition, an unusual construct — makes it give up (<see cref="TryRead"/> returns
/// null) and the file goes through Roslyn. This file holds the compilation unit, namespaces, usings, attributes and
/// modifiers; <c>Members</c> types and members, <c>Bodies</c> statements, <c>Expressions</c>, <c>Primaries</c> and
/// <c>Patterns</c> the rest of a body.
/// </summary>
internal sealed partial class FastReader
{
    /// <summary>Deepest nesting of declarations, statements and expressions read; deeper input is left to Roslyn.</summary>
    internal const int MaxNesting = 40;

    private sealed class BailException : Exception
    {
    }


    private readonly string _path;
    private readonly string _text;
    private readonly FastLexer _lexer;
    private List<Token> _t;
    private bool _inHole;
    private readonly Dictionary<string, int> _idCounts = new(StringComparer.Ordinal);
    private readonly List<ImportInfo> _imports = [];
    private readonly CancellationToken _cancellationToken;
    private int _p;
    private int _nesting;

    /// <summary>Top-level definitions that came from top-level statements (local functions) so far.</summary>
    private int _statementDefinitions;

    private FastReader(string path, FastLexer lexer, CancellationToken cancellationToken)
    {
        _path = path;
        _lexer = lexer;
        _text = lexer.Text;
        _t = lexer.Tokens;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The result the Roslyn path would give for <paramref name="text"/>, or null when this reader gives up.</summary>
    public static ParseResult? TryRead(string path, string text, CancellationToken cancellationToken)
    {
        foreach (var c in text)
        {
            if (c is '\u2028' or '\u2029' or '\u0085' or '\0')
            {
                return null;
            }
        }
        if (text.Contains("\r", StringComparison.Ordinal) && text.Replace("\r\n", "", StringComparison.Ordinal).Contains('\r', StringComparison.Ordinal))
        {
            return null;
        }
        var lexer = FastLexer.Lex(text);
        if (lexer is null)
        {
            LastBail = FastLexer.LastFail;
            return null;
        }
        try
        {
            var module = new FastReader(path, lexer, cancellationToken).ReadUnit();
            return new ParseResult(module, new List<ParseError>());
        }
        catch (BailException)
        {
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A reader bug must not change a result: the file goes to Roslyn.
            LastBail = ("a reader exception", 0, 0);
            return null;
        }
    }

    // ---- token helpers ----

    private Token Cur => _t[_p];

    private Token At(int i) => _t[Math.Min(i, _t.Count - 1)];

    /// <summary>
    /// Whether token <paramref name="i"/> is the punctuation, keyword or identifier <paramref name="text"/>: the reader's
    /// most frequent question, so the length and the first character decide most answers before the rest is compared.
    /// </summary>
    private bool Is(int i, string text)
    {
        var t = At(i);
        int length = t.End - t.Start;
        if (length != text.Length || t.Kind is not (TokenKind.Punct or TokenKind.Keyword or TokenKind.Identifier))
        {
            return false;
        }
        return length == 0 || _text[t.Start] == text[0] && _text.AsSpan(t.Start + 1, length - 1).SequenceEqual(text.AsSpan(1));
    }

    private bool Is(string text) => Is(_p, text);

    private bool IsId(int i) => At(i).Kind == TokenKind.Identifier;

    private bool IsIdText(int i, string text) => IsId(i) && Is(i, text);

    private string Text(int i) => _lexer.TextOf(At(i));

    /// <summary>Token <paramref name="i"/>'s text without a copy (for set lookups on the hot path).</summary>
    private ReadOnlySpan<char> Span(int i)
    {
        var t = At(i);
        return _text.AsSpan(t.Start, t.End - t.Start);
    }

    /// <summary>True when token <paramref name="i"/> ends where the next one starts (<c>&gt;&gt;</c> split in two).</summary>
    private bool Adjacent(int i) => At(i).End == At(i + 1).Start;

    /// <summary>Where the last give-up on this thread happened (the reader's or lexer's source file and line, a text line), for tests.</summary>
    [ThreadStatic]
    internal static (string Source, int SourceLine, int TextLine)? LastBail;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Bail([System.Runtime.CompilerServices.CallerLineNumber] int readerLine = 0, [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        LastBail = (file, readerLine, _p < _t.Count ? _t[_p].Line : 0);
        throw new BailException(); // one per give-up: files are parsed on several threads at once
    }

    private void Expect(string text)
    {
        if (!Is(text))
        {
            Bail();
        }
        _p++;
    }

    private bool Accept(string text)
    {
        if (!Is(text))
        {
            return false;
        }
        _p++;
        return true;
    }

    private string ExpectId()
    {
        if (!IsId(_p))
        {
            Bail();
        }
        return Text(_p++);
    }

    private void Enter()
    {
        if (++_nesting > MaxNesting)
        {
            Bail();
        }
    }

    private void Leave() => _nesting--;

    /// <summary>Roslyn's compact text of tokens [from, to): one space between two word-like tokens only.</summary>
    private string Compact(int from, int to)
    {
        var sb = new StringBuilder();
        bool previousWord = false;
        for (int i = from; i < to; i++)
        {
            var t = _t[i];
            if (t.Kind == TokenKind.Interpolated)
            {
                AppendInterpolated(t, sb);
                previousWord = false;
                continue;
            }
            bool word = t.Kind is not (TokenKind.Punct or TokenKind.End);
            if (word && previousWord)
            {
                sb.Append(' ');
            }
            sb.Append(_text, t.Start, t.End - t.Start);
            previousWord = word;
        }
        return sb.Length > SyntaxText.MaxLength ? sb.ToString(0, SyntaxText.MaxLength) + "…" : sb.ToString();
    }

    /// <summary>
    /// Roslyn's compact text of an interpolated string: the literal text as written, each hole's expression (and
    /// alignment) compact, its format as written, no whitespace around them.
    /// </summary>
    private void AppendInterpolated(Token token, StringBuilder sb)
    {
        int quote = token.Start;
        while (_text[quote] == '$')
        {
            quote++;
        }
        if (!_lexer.Holes.TryGetValue(token.Start, out var holes) || quote + 2 < token.End && string.CompareOrdinal(_text, quote, "\"\"\"", 0, 3) == 0)
        {
            Bail(); // raw ones ($"""…""", $$"""…""") are not rewritten here
            return;
        }
        int hole = 0;
        int i = token.Start;
        while (i < token.End)
        {
            char c = _text[i];
            if (c is '{' or '}' && i + 1 < token.End && _text[i + 1] == c)
            {
                sb.Append(c).Append(c);
                i += 2;
                continue;
            }
            if (c == '{')
            {
                if (hole >= holes.Count)
                {
                    Bail();
                }
                var tokens = holes[hole++];
                var (saved, savedP) = (_t, _p);
                _t = tokens;
                var inner = Compact(0, tokens.Count - 1);
                if (inner.Length > SyntaxText.MaxLength)
                {
                    Bail();
                }
                sb.Append('{').Append(inner);
                _t = saved;
                _p = savedP;
                int end = tokens[^1].Start;
                int close = _text.IndexOf('}', end);
                sb.Append(_text, end, close - end).Append('}');
                i = close + 1;
                continue;
            }
            sb.Append(c);
            i++;
        }
    }

    /// <summary>Roslyn's normalized text of tokens [from, to): source text, whitespace runs collapsed.</summary>
    private string Normalized(int from, int to) =>
        SyntaxText.CollapseWhitespace(_text[_t[from].Start.._t[to - 1].End]);

    private string? DocAt(int tokenIndex)
    {
        if (!_lexer.Docs.TryGetValue(tokenIndex, out var run))
        {
            return null;
        }
        var summary = FastDocs.Summary(_text, run.Start, run.End);
        if (ReferenceEquals(summary, FastDocs.Fail))
        {
            Bail();
        }
        return summary;
    }

    private string NewId(string qualifiedName, string? signature)
    {
        var id = DefinitionIds.Create(_path, qualifiedName, signature);
        _idCounts.TryGetValue(id, out int seen);
        _idCounts[id] = seen + 1;
        return seen == 0 ? id : $"{id}~{seen + 1}";
    }

    /// <summary>
    /// A definition from token <paramref name="start"/> to the last token read, with the fields every kind has and
    /// the ones its kind has (left out: the model's defaults); calls and children as read, children sorted.
    /// </summary>
    private Definition Define(
        string id, string kind, string name, string qualifiedName, int start, string? docstring,
        ImmutableArray<string> decorators = default, ImmutableArray<string> typeParameters = default,
        ImmutableArray<ParameterInfo> parameters = default, string? returnType = null, ImmutableArray<string> bases = default,
        string? visibility = null, bool async = false, bool isStatic = false, ImmutableArray<string> modifiers = default,
        CallCollector? calls = null, List<Definition>? children = null) => new()
        {
            Id = id,
            Kind = kind,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = _t[start].Line,
            EndLine = _t[_p - 1].EndLine,
            TypeParameters = typeParameters.IsDefault ? [] : typeParameters,
            Parameters = parameters.IsDefault ? [] : parameters,
            ReturnType = returnType,
            Decorators = decorators.IsDefault ? [] : decorators,
            Bases = bases.IsDefault ? [] : bases,
            Docstring = docstring,
            Visibility = visibility,
            Async = async,
            Static = isStatic,
            Modifiers = modifiers.IsDefault ? [] : modifiers,
            Calls = calls is null ? [] : calls.ToCalls(),
            Children = children is null ? [] : Sorted(children),
        };

    private static ImmutableArray<Definition> Sorted(List<Definition> definitions) =>
        [.. definitions.OrderBy(d => d.StartLine).ThenBy(d => d.Name, StringComparer.Ordinal)];

    // ---- compilation unit, namespaces, usings ----

    private ModuleInfo ReadUnit()
    {
        ReadUsings();
        while (Is("[") && (IsIdText(_p + 1, "assembly") || IsIdText(_p + 1, "module")))
        {
            ReadAttributeLists();
        }
        var definitions = new List<Definition>();
        while (Cur.Kind != TokenKind.End)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ReadMember(Scope.Root, definitions, depth: 1, fileScoped: false);
        }
        return new ModuleInfo
        {
            Imports = [.. _imports.OrderBy(i => i.Line).ThenBy(i => i.Module, StringComparer.Ordinal)],
            Definitions = Sorted(definitions),
        };
    }

    private void ReadUsings()
    {
        while (true)
        {
            int start = _p;
            if (IsIdText(_p, "global") && Is(_p + 1, "using"))
            {
                _p++;
            }
            if (!Is("using") || Is(_p + 1, "(") || IsIdText(_p + 1, "var"))
            {
                _p = start;
                return;
            }
            int line = _t[start].Line;
            _p++;
            if (Accept("static"))
            {
                int from = _p;
                SkipType();
                _imports.Add(new ImportInfo { Module = Compact(from, _p), Kind = "using_static", Line = line });
            }
            else if (IsId(_p) && Is(_p + 1, "="))
            {
                var alias = Text(_p);
                _p += 2;
                int from = _p;
                SkipType();
                _imports.Add(new ImportInfo { Module = Compact(from, _p), Kind = "using_alias", Alias = alias, Line = line });
            }
            else
            {
                int from = _p;
                SkipType();
                _imports.Add(new ImportInfo { Module = Compact(from, _p), Kind = "using", Line = line });
            }
            Expect(";");
        }
    }

    private void ReadMember(Scope scope, List<Definition> into, int depth, bool fileScoped)
    {
        if (depth > MaxNesting)
        {
            Bail();
        }
        int start = _p;
        if (Is("namespace"))
        {
            if (scope.Kind != ScopeKind.Namespace || fileScoped)
            {
                Bail();
            }
            into.Add(ReadNamespace(scope, depth));
            return;
        }
        var decorators = ReadAttributeLists();
        var modifiers = ReadModifiers();
        if (Is("class") || Is("struct") || Is("interface") || Is("enum") || IsIdText(_p, "record") && (IsId(_p + 1) || Is(_p + 1, "class") || Is(_p + 1, "struct")))
        {
            into.Add(ReadType(start, decorators, modifiers, scope, depth));
            return;
        }
        if (Is("delegate"))
        {
            into.Add(ReadDelegate(start, decorators, modifiers, scope));
            return;
        }
        if (ReferenceEquals(scope, Scope.Root) && !fileScoped && decorators.IsEmpty && into.Count == _statementDefinitions)
        {
            // A top-level statement: its local functions are top-level functions, its calls are not recorded.
            _p = start;
            ReadStatement(new Body(Scope.Root, new CallCollector(), into, depth, Async: true), embedded: false);
            _statementDefinitions = into.Count; // statements must come before any type or namespace
            return;
        }
        if (scope.Kind == ScopeKind.Namespace)
        {
            Bail(); // members outside types: left to Roslyn
        }
        ReadTypeMember(start, decorators, modifiers, scope, into, depth);
    }

    private Definition ReadNamespace(Scope scope, int depth)
    {
        int start = _p;
        _p++;
        int from = _p;
        ExpectId();
        while (Accept("."))
        {
            ExpectId();
        }
        var name = Compact(from, _p);
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var inner = new Scope(qualifiedName, ScopeKind.Namespace);
        var children = new List<Definition>();
        var docstring = DocAt(start);
        if (Accept(";"))
        {
            ReadUsings();
            while (Cur.Kind != TokenKind.End)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                ReadMember(inner, children, depth + 1, fileScoped: true);
            }
        }
        else
        {
            Expect("{");
            ReadUsings();
            while (!Is("}"))
            {
                if (Cur.Kind == TokenKind.End)
                {
                    Bail();
                }
                if (depth == 1)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }
                ReadMember(inner, children, depth + 1, fileScoped: false);
            }
            _p++;
            Accept(";");
        }
        return Define(id, DefinitionKinds.Namespace, name, qualifiedName, start, docstring, children: children);
    }

    // ---- attributes and modifiers ----

    private ImmutableArray<string> ReadAttributeLists()
    {
        if (!Is("["))
        {
            return [];
        }
        var result = ImmutableArray.CreateBuilder<string>();
        while (Accept("["))
        {
            var target = "";
            if ((IsId(_p) || Cur.Kind == TokenKind.Keyword) && Is(_p + 1, ":") && !Is(_p + 1, "::"))
            {
                target = Text(_p) + ": ";
                _p += 2;
            }
            do
            {
                int from = _p;
                SkipType(allowNullable: false);
                if (Is("("))
                {
                    SkipBalanced();
                }
                result.Add(target + Normalized(from, _p));
            }
            while (Accept(",") && !Is("]"));
            Expect("]");
        }
        return result.ToImmutable();
    }

    /// <summary>Skips a parenthesized or bracketed run (attribute arguments), checking only the bracket balance.</summary>
    private void SkipBalanced()
    {
        int depth = 0;
        do
        {
            if (Cur.Kind == TokenKind.End)
            {
                Bail();
            }
            if (Is("(") || Is("[") || Is("{"))
            {
                depth++;
            }
            else if (Is(")") || Is("]") || Is("}"))
            {
                depth--;
            }
            else if (Is(";"))
            {
                Bail();
            }
            _p++;
        }
        while (depth > 0);
        if (depth < 0)
        {
            Bail();
        }
    }

    private static readonly HashSet<string> ModifierKeywords = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "internal", "static", "abstract", "sealed", "virtual", "override", "readonly",
        "extern", "unsafe", "new", "volatile", "const",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ModifierKeywordSpans = ModifierKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private List<string> ReadModifiers()
    {
        var result = new List<string>();
        while (true)
        {
            var t = Cur;
            if (t.Kind == TokenKind.Keyword && ModifierKeywordSpans.Contains(Span(_p)))
            {
                if (Is("new") && (Is(_p + 1, "(") || Is(_p + 1, "[")))
                {
                    return result;
                }
                result.Add(Text(_p++));
                continue;
            }
            if (Is("ref") && (Is(_p + 1, "struct") || IsIdText(_p + 1, "partial") && Is(_p + 2, "struct")))
            {
                result.Add(Text(_p++));
                continue;
            }
            if (t.Kind == TokenKind.Identifier)
            {
                var word = Text(_p);
                var next = At(_p + 1);
                bool typeKeywordNext = Is(_p + 1, "class") || Is(_p + 1, "struct") || Is(_p + 1, "interface") || Is(_p + 1, "enum")
                    || IsIdText(_p + 1, "record") || Is(_p + 1, "delegate");
                bool isModifier = word switch
                {
                    "partial" => typeKeywordNext || Is(_p + 1, "void") || ScanType(_p + 1) is int end and > 0 && IsId(end),
                    "file" => typeKeywordNext || next.Kind == TokenKind.Keyword && ModifierKeywordSpans.Contains(Span(_p + 1)),
                    "async" or "required" => (next.Kind == TokenKind.Identifier || next.Kind == TokenKind.Keyword && !Is(_p + 1, "operator") && !Is(_p + 1, "this"))
                        && !Is(_p + 1, "=") && !Is(_p + 1, ";"),
                    _ => false,
                };
                if (word is "scoped" or "extension" && (IsId(_p + 1) || Is(_p + 1, "(") || Is(_p + 1, "<")))
                {
                    Bail();
                }
                if (isModifier)
                {
                    result.Add(word);
                    _p++;
                    continue;
                }
            }
            if (Is("fixed") || Is("ref"))
            {
                Bail();
            }
            return result;
        }
    }

    private static bool Has(List<string> modifiers, string word) => modifiers.Contains(word);

    private static string? Visibility(List<string> modifiers, string? fallback) =>
        Visibilities.Of(Has(modifiers, "public"), Has(modifiers, "private"), Has(modifiers, "protected"), Has(modifiers, "internal"), Has(modifiers, "file"), fallback);

    private static string? DefaultVisibility(Scope scope) => Visibilities.Default(scope);

    private static ImmutableArray<string> Modifiers(List<string> modifiers, string? extra = null)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var m in modifiers)
        {
            if (m is not ("public" or "private" or "protected" or "internal" or "static" or "async"))
            {
                result.Add(m);
            }
        }
        if (extra is not null)
        {
            result.Add(extra);
        }
        return [.. result];
    }
}
