using System.Collections.Immutable;
using System.Text;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Parsers.Python.Syntax;

namespace LlmStruct.Parsers.Python;

/// <summary>Walks the parser's small tree into Core's model (definitions, imports, variables, exports, calls).</summary>
internal sealed class StructureExtractor(string path, char[] source)
{
    // Scratch tables, one set per thread, cleared per file (or per definition): a parse allocates only its results.
    [ThreadStatic]
    private static Dictionary<string, int>? t_seen;

    [ThreadStatic]
    private static Dictionary<string, (int Line, int Count, int Order)>? t_callees;

    private readonly Dictionary<string, int> _seen = Scratch(ref t_seen);
    private readonly Dictionary<string, (int Line, int Count, int Order)> _callees = Scratch(ref t_callees);

    private static Dictionary<string, T> Scratch<T>(ref Dictionary<string, T>? table)
    {
        if (table is null || table.Count > 4096)
        {
            table = new Dictionary<string, T>(StringComparer.Ordinal);
        }
        else
        {
            table.Clear();
        }
        return table;
    }

    public ModuleInfo Extract(ModuleNode module)
    {
        var imports = ImmutableArray.CreateBuilder<ImportInfo>();
        var variables = new List<VariableInfo>();
        var variableIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in module.Body)
        {
            switch (node)
            {
                case ImportNode i:
                    imports.Add(new ImportInfo
                    {
                        Kind = i.IsFrom ? "from" : "import",
                        Module = i.Module,
                        Alias = i.Alias,
                        Level = i.Level,
                        Line = i.Line,
                        Names = i.IsFrom ? [.. i.Names.Select(n => new ImportedName { Name = n.Name, Alias = n.Alias })] : [],
                    });
                    break;
                case AssignmentNode a:
                    if (variableIndex.TryGetValue(a.Name, out int at))
                    {
                        if (variables[at].Type is null && a.Annotation is { } late)
                        {
                            variables[at] = variables[at] with { Type = Normalize(late) };
                        }
                    }
                    else
                    {
                        variableIndex[a.Name] = variables.Count;
                        variables.Add(new VariableInfo { Name = a.Name, Line = a.Line, Type = a.Annotation is { } ann ? Normalize(ann) : null });
                    }
                    break;
            }
        }
        return new ModuleInfo
        {
            Docstring = FirstParagraph(module.Docstring),
            Imports = SortedStably(imports.ToArray(), static (a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Module, b.Module)),
            Exports = [.. module.Exports],
            Variables = SortedStably([.. variables], static (a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Name, b.Name)),
            Definitions = Definitions(module, null, inClass: false),
        };
    }

    // `parent` is the enclosing definition's qualified name (null at module level).
    private ImmutableArray<Definition> Definitions(ScopeNode scope, string? parent, bool inClass)
    {
        int count = 0;
        foreach (var node in scope.Body)
        {
            count += node is DefinitionNode ? 1 : 0;
        }
        if (count == 0)
        {
            return [];
        }
        var definitions = new Definition[count];
        int at = 0;
        foreach (var node in scope.Body)
        {
            if (node is DefinitionNode d)
            {
                definitions[at++] = Convert(d, parent, inClass);
            }
        }
        return SortedStably(definitions, static (a, b) =>
        {
            int c = a.StartLine.CompareTo(b.StartLine);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
    }

    /// <summary>The items in order, equal ones as they came (a stable sort; nothing is copied when already in order).</summary>
    private static ImmutableArray<T> SortedStably<T>(T[] items, Comparison<T> comparison)
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (comparison(items[i - 1], items[i]) > 0)
            {
                var order = new int[items.Length];
                for (int k = 0; k < order.Length; k++)
                {
                    order[k] = k;
                }
                var keys = (T[])items.Clone();
                Array.Sort(order, (x, y) => comparison(keys[x], keys[y]) is var c && c != 0 ? c : x.CompareTo(y));
                for (int k = 0; k < order.Length; k++)
                {
                    items[k] = keys[order[k]];
                }
                break;
            }
        }
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(items);
    }

    private Definition Convert(DefinitionNode node, string? parent, bool inClass)
    {
        string qualified = parent is null ? node.Name : string.Concat(parent, ".", node.Name);
        string id = DefinitionIds.Create(path, qualified);
        if (_seen.TryGetValue(qualified, out int n))
        {
            _seen[qualified] = n + 1;
            id += "~" + (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            _seen[qualified] = 1;
        }
        var decorators = Texts(node.Decorators);
        var calls = Calls(node.Calls);
        var children = Definitions(node, qualified, node is ClassDefNode);
        string kind = DefinitionKinds.TypeAlias;
        string? returnType = null;
        bool isStatic = false;
        ImmutableArray<string> bases = [], modifiers = [];
        ImmutableArray<ParameterInfo> parameters = [];
        switch (node)
        {
            case ClassDefNode c:
            {
                kind = DefinitionKinds.Class;
                var b = ImmutableArray.CreateBuilder<string>(c.Bases.Count);
                foreach (var arg in c.Bases)
                {
                    b.Add(arg.Keyword is not null ? arg.Keyword + "=" + Normalize(arg.Value) : arg.DoubleStar ? "**" + Normalize(arg.Value) : Normalize(arg.Value));
                }
                bases = b.MoveToImmutable();
                break;
            }
            case FunctionDefNode f:
            {
                kind = inClass ? DefinitionKinds.Method : DefinitionKinds.Function;
                List<string>? mods = null;
                foreach (var d in decorators)
                {
                    string? modifier = d switch
                    {
                        "staticmethod" => null,
                        "classmethod" => "classmethod",
                        "property" or "functools.cached_property" or "cached_property" => "property",
                        "abstractmethod" or "abc.abstractmethod" => "abstractmethod",
                        _ => null,
                    };
                    isStatic |= d == "staticmethod";
                    if (modifier is not null && !(mods ??= []).Contains(modifier))
                    {
                        mods.Add(modifier);
                    }
                }
                if (mods is not null)
                {
                    mods.Sort(StringComparer.Ordinal);
                    modifiers = [.. mods];
                }
                returnType = f.Returns is { } r ? Normalize(r) : null;
                if (f.Parameters.Count > 0)
                {
                    var p = ImmutableArray.CreateBuilder<ParameterInfo>(f.Parameters.Count);
                    foreach (var param in f.Parameters)
                    {
                        p.Add(new ParameterInfo
                        {
                            Name = param.Name,
                            Kind = param.Kind,
                            Type = param.Annotation is { } a ? Normalize(a) : null,
                            Default = param.Default is { } dv ? Normalize(dv) : null,
                        });
                    }
                    parameters = p.MoveToImmutable();
                }
                break;
            }
            case TypeAliasNode t:
                returnType = Normalize(t.Value);
                break;
        }
        return new Definition
        {
            Id = id,
            Kind = kind,
            Name = node.Name,
            QualifiedName = qualified,
            StartLine = node.StartLine,
            EndLine = Math.Max(node.EndLine, node.StartLine),
            TypeParameters = Texts(node.TypeParameters),
            Parameters = parameters,
            ReturnType = returnType,
            Decorators = decorators,
            Bases = bases,
            Docstring = FirstParagraph(node.Docstring),
            Visibility = IsPrivate(node.Name) ? "private" : "public",
            Async = node is FunctionDefNode { IsAsync: true },
            Static = isStatic,
            Modifiers = modifiers,
            Calls = calls,
            Children = children,
        };
    }

    private ImmutableArray<string> Texts(List<TextSpan> spans)
    {
        if (spans.Count == 0)
        {
            return [];
        }
        var b = ImmutableArray.CreateBuilder<string>(spans.Count);
        foreach (var span in spans)
        {
            b.Add(Normalize(span));
        }
        return b.MoveToImmutable();
    }

    /// <summary><see cref="SourceText.FirstParagraph"/>, without its copies for the common one-line docstring.</summary>
    private static string? FirstParagraph(string? doc)
    {
        if (doc is null)
        {
            return null;
        }
        if (doc.AsSpan().IndexOfAny('\n', '\r') < 0)
        {
            var trimmed = doc.AsSpan().Trim();
            return trimmed.IsEmpty ? null : trimmed.Length == doc.Length ? doc : trimmed.ToString();
        }
        return SourceText.FirstParagraph(doc);
    }

    private static bool IsPrivate(string name) => name.StartsWith('_') && !(name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal));

    private static readonly System.Buffers.SearchValues<char> Blanks = System.Buffers.SearchValues.Create(" \t\n\r\f\v\\\u001c\u001d\u001e\u001f\u0085\u00a0");

    private ImmutableArray<CallInfo> Calls(List<CallSite> sites)
    {
        if (sites.Count == 0)
        {
            return [];
        }
        var byCallee = _callees;
        byCallee.Clear();
        var lookup = byCallee.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var site in sites)
        {
            // Look the callee up by span first: most callees need no normalizing and are seen before.
            ReadOnlySpan<char> text = source.AsSpan(site.Callee.Start, Math.Max(0, site.Callee.End - site.Callee.Start));
            if (text.IndexOfAny(Blanks) >= 0)
            {
                text = NormalizeText(text);
            }
            if (lookup.TryGetValue(text, out var v))
            {
                lookup[text] = (Math.Min(v.Line, site.Line), v.Count + 1, v.Order);
            }
            else
            {
                byCallee[TextPool.Intern(text)] = (site.Line, 1, byCallee.Count);
            }
        }
        var calls = new CallInfo[byCallee.Count];
        int k = 0;
        foreach (var (callee, v) in byCallee)
        {
            calls[k++] = new CallInfo { Callee = callee, Line = v.Line, Count = v.Count };
        }
        Array.Sort(calls, static (a, b) =>
        {
            int c = a.Line.CompareTo(b.Line);
            return c != 0 ? c : string.CompareOrdinal(a.Callee, b.Callee);
        });
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(calls);
    }

    /// <summary>
    /// Source text of a span, with backslash-newlines and runs of whitespace collapsed to one space and comments dropped
    /// (an expression that spans lines inside brackets can hold <c># …</c> comments; kept, folded onto one line, a comment
    /// would swallow the rest of the text).
    /// </summary>
    internal string Normalize(TextSpan span) => NormalizeText(source.AsSpan(span.Start, Math.Max(0, span.End - span.Start)));

    internal static string NormalizeText(ReadOnlySpan<char> text)
    {
        bool clean = true;
        foreach (char c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\\')
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return TextPool.Intern(text);
        }
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        // Comments only exist where the text spans lines; only then are strings followed, to tell a '#' in one apart.
        bool comments = text.IndexOfAny('\n', '\r') >= 0 && text.Contains('#');
        char quote = '\0';
        bool triple = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (comments)
            {
                // Follow strings (their text is normalized like the rest), so that only a '#' outside them starts a comment.
                if (quote != '\0')
                {
                    if (c == '\\' && i + 1 < text.Length && text[i + 1] is not ('\n' or '\r'))
                    {
                        AppendPending(sb, ref pendingSpace);
                        sb.Append(c).Append(text[++i]);
                        continue;
                    }
                    if (c == quote && (!triple || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)))
                    {
                        quote = '\0';
                        if (triple)
                        {
                            AppendPending(sb, ref pendingSpace);
                            sb.Append(c, 3);
                            i += 2;
                            continue;
                        }
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                    triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                    if (triple)
                    {
                        AppendPending(sb, ref pendingSpace);
                        sb.Append(c, 3);
                        i += 2;
                        continue;
                    }
                }
                else if (c == '#')
                {
                    // To the end of the line: the line break that ends it is whitespace like any other.
                    while (i + 1 < text.Length && text[i + 1] is not ('\n' or '\r'))
                    {
                        i++;
                    }
                    pendingSpace = true;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\n' or '\r')
            {
                pendingSpace = true;
                i++;
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                continue;
            }
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\x1c' or '\x1d' or '\x1e' or '\x1f' or '\x85' or '\u00a0' || (c > 0x7f && char.IsWhiteSpace(c)))
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && sb.Length > 0)
            {
                sb.Append(' ');
            }
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static void AppendPending(StringBuilder sb, ref bool pendingSpace)
    {
        if (pendingSpace && sb.Length > 0)
        {
            sb.Append(' ');
        }
        pendingSpace = false;
    }
}
