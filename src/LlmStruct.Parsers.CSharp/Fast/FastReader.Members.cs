using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Parsers.CSharp.Fast;

/// <summary>Types, members, parameters and types-as-text for the fast reader.</summary>
internal sealed partial class FastReader
{
    private Definition ReadType(int start, ImmutableArray<string> decorators, List<string> modifiers, Scope scope, int depth)
    {
        string kind;
        string? extra = null;
        if (IsIdText(_p, "record"))
        {
            _p++;
            if (Accept("struct"))
            {
                extra = "struct";
            }
            else
            {
                Accept("class");
            }
            kind = DefinitionKinds.Record;
        }
        else
        {
            kind = Text(_p) switch
            {
                "class" => DefinitionKinds.Class,
                "struct" => DefinitionKinds.Struct,
                "interface" => DefinitionKinds.Interface,
                _ => DefinitionKinds.Enum,
            };
            _p++;
        }
        var docstring = DocAt(start);
        var name = ExpectId();
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var inner = new Scope(qualifiedName, kind == DefinitionKinds.Interface ? ScopeKind.Interface : ScopeKind.Type);
        var typeParameters = kind == DefinitionKinds.Enum ? [] : ReadTypeParameters();
        var parameters = ImmutableArray<ParameterInfo>.Empty;
        bool hasParameterList = false;
        if (Is("(") && kind is not (DefinitionKinds.Enum or DefinitionKinds.Interface))
        {
            parameters = ReadParameters("(", ")", out _);
            hasParameterList = true;
        }
        var calls = new CallCollector();
        var children = new List<Definition>();
        var bases = ImmutableArray.CreateBuilder<string>();
        if (Accept(":"))
        {
            do
            {
                int from = _p;
                SkipType(allowNullable: false);
                bases.Add(Compact(from, _p));
                if (Is("(") && hasParameterList)
                {
                    var body = new Body(inner, calls, children, depth + 1, Async: false);
                    ReadArguments(body);
                }
            }
            while (Accept(","));
        }
        ReadConstraints();
        if (kind == DefinitionKinds.Enum)
        {
            Expect("{");
            while (!Is("}"))
            {
                children.Add(ReadEnumMember(inner));
                if (!Accept(","))
                {
                    break;
                }
            }
            Expect("}");
            Accept(";");
        }
        else if (!Accept(";"))
        {
            Expect("{");
            while (!Is("}"))
            {
                if (Cur.Kind == TokenKind.End)
                {
                    Bail();
                }
                ReadMember(inner, children, depth + 1, fileScoped: false);
            }
            _p++;
            Accept(";");
        }
        return Define(
            id, kind, name, qualifiedName, start, docstring, decorators, typeParameters, parameters, bases: bases.ToImmutable(),
            visibility: Visibility(modifiers, DefaultVisibility(scope)), isStatic: Has(modifiers, "static"),
            modifiers: Modifiers(modifiers, extra), calls: calls, children: children);
    }

    private Definition ReadEnumMember(Scope scope)
    {
        int start = _p;
        var decorators = ReadAttributeLists();
        var docstring = DocAt(start);
        var name = ExpectId();
        if (Accept("="))
        {
            var ignored = new Body(scope, null, null, 1, Async: false);
            ReadExpression(ignored);
        }
        var qualifiedName = scope.Qualify(name);
        return Define(NewId(qualifiedName, null), DefinitionKinds.EnumMember, name, qualifiedName, start, docstring, decorators, visibility: "public");
    }

    private Definition ReadDelegate(int start, ImmutableArray<string> decorators, List<string> modifiers, Scope scope)
    {
        _p++;
        var docstring = DocAt(start);
        int typeFrom = _p;
        SkipType();
        var returnType = Compact(typeFrom, _p);
        var name = ExpectId();
        var typeParameters = ReadTypeParameters();
        var parameters = ReadParameters("(", ")", out var signature);
        ReadConstraints();
        Expect(";");
        var qualifiedName = scope.Qualify(name);
        return Define(
            NewId(qualifiedName, signature), DefinitionKinds.Delegate, name, qualifiedName, start, docstring, decorators, typeParameters, parameters,
            returnType, visibility: Visibility(modifiers, DefaultVisibility(scope)), isStatic: Has(modifiers, "static"), modifiers: Modifiers(modifiers));
    }

    private void ReadTypeMember(int start, ImmutableArray<string> decorators, List<string> modifiers, Scope scope, List<Definition> into, int depth)
    {
        var docstring = DocAt(start);
        string name;
        string kind;
        string? returnType = null;
        string? signature = null;
        var parameters = ImmutableArray<ParameterInfo>.Empty;
        var typeParameters = ImmutableArray<string>.Empty;
        string? extension = null;
        if (Is("~"))
        {
            _p++;
            name = "~" + ExpectId();
            kind = DefinitionKinds.Destructor;
            Expect("(");
            Expect(")");
        }
        else if (Is("event"))
        {
            _p++;
            int typeFrom = _p;
            SkipType();
            returnType = Compact(typeFrom, _p);
            if (IsId(_p) && (Is(_p + 1, ";") || Is(_p + 1, ",") || Is(_p + 1, "=")))
            {
                ReadVariables(start, decorators, docstring, modifiers, returnType, DefinitionKinds.Event, scope, into, depth);
                return;
            }
            name = ReadMemberName(allowTypeArguments: false, out _);
            kind = DefinitionKinds.Event;
        }
        else if (Is("implicit") || Is("explicit"))
        {
            var keyword = Text(_p++);
            Expect("operator");
            var prefix = Accept("checked") ? "operator checked " : "operator ";
            int typeFrom = _p;
            SkipType();
            returnType = Compact(typeFrom, _p);
            name = $"{keyword} {prefix}{returnType}";
            kind = DefinitionKinds.Operator;
            parameters = ReadParameters("(", ")", out signature);
        }
        else if (IsId(_p) && Is(_p + 1, "(") && Text(_p) == scope.QualifiedName[(scope.QualifiedName.LastIndexOf('.') + 1)..])
        {
            name = Text(_p++);
            kind = DefinitionKinds.Constructor;
            parameters = ReadParameters("(", ")", out signature);
        }
        else
        {
            int typeFrom = _p;
            SkipType();
            returnType = Compact(typeFrom, _p);
            if (Is("operator"))
            {
                _p++;
                var op = "operator";
                if (Accept("checked"))
                {
                    op += " checked";
                }
                if (Is("true") || Is("false"))
                {
                    op += " " + Text(_p++);
                }
                else if (At(_p).Kind == TokenKind.Punct && !Is("("))
                {
                    var text = Text(_p);
                    while (Is(">") && Adjacent(_p) && (Is(_p + 1, ">") || Is(_p + 1, ">=")))
                    {
                        _p++;
                        text += Text(_p);
                    }
                    op += text;
                    _p++;
                }
                else
                {
                    Bail();
                }
                name = op;
                kind = DefinitionKinds.Operator;
                parameters = ReadParameters("(", ")", out signature);
            }
            else if (Is("this"))
            {
                _p++;
                name = "this";
                kind = DefinitionKinds.Indexer;
                parameters = ReadParameters("[", "]", out signature);
            }
            else if (IsId(_p) && (Is(_p + 1, ";") || Is(_p + 1, ",") || Is(_p + 1, "=")))
            {
                if (Has(modifiers, "async") || Has(modifiers, "partial"))
                {
                    Bail();
                }
                ReadVariables(start, decorators, docstring, modifiers, returnType, DefinitionKinds.Field, scope, into, depth);
                return;
            }
            else
            {
                name = ReadMemberName(allowTypeArguments: true, out typeParameters);
                if (name.EndsWith(".this", StringComparison.Ordinal))
                {
                    kind = DefinitionKinds.Indexer;
                    parameters = ReadParameters("[", "]", out signature);
                }
                else if (Is("("))
                {
                    kind = DefinitionKinds.Method;
                    parameters = ReadParameters("(", ")", out signature);
                }
                else
                {
                    if (typeParameters.Length > 0)
                    {
                        Bail();
                    }
                    kind = DefinitionKinds.Property;
                }
            }
        }
        if (Has(modifiers, "const"))
        {
            Bail();
        }
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, signature);
        var calls = new CallCollector();
        var children = new List<Definition>();
        var body = new Body(new Scope(qualifiedName, ScopeKind.Function), calls, children, depth + 1, Has(modifiers, "async"));
        ReadConstraints();
        if (kind == DefinitionKinds.Constructor && Accept(":"))
        {
            if (!Is("base") && !Is("this"))
            {
                Bail();
            }
            calls.Add(Text(_p), At(_p).Line);
            _p++;
            ReadArguments(body);
        }
        if (kind is DefinitionKinds.Property or DefinitionKinds.Indexer or DefinitionKinds.Event)
        {
            if (Accept("=>"))
            {
                ReadExpression(body);
                Expect(";");
            }
            else
            {
                ReadAccessors(body, kind == DefinitionKinds.Event);
                if (kind == DefinitionKinds.Property && Accept("="))
                {
                    ReadInitializerOrExpression(body);
                    Expect(";");
                }
            }
        }
        else
        {
            ReadFunctionBody(body);
        }
        into.Add(Define(
            id, kind, name, qualifiedName, start, docstring, decorators, typeParameters, parameters, returnType,
            visibility: Visibility(modifiers, DefaultVisibility(scope)), async: Has(modifiers, "async"), isStatic: Has(modifiers, "static"),
            modifiers: Modifiers(modifiers, extension), calls: calls, children: children));
    }

    /// <summary><c>;</c>, a block, or <c>=&gt; expression;</c>.</summary>
    private void ReadFunctionBody(Body body)
    {
        if (Accept(";"))
        {
            return;
        }
        if (Accept("=>"))
        {
            ReadExpression(body);
            Expect(";");
            return;
        }
        ReadBlock(body);
    }

    private void ReadAccessors(Body body, bool isEvent)
    {
        Expect("{");
        while (!Is("}"))
        {
            ReadAttributeLists();
            while (Is("private") || Is("protected") || Is("internal") || Is("public") || Is("readonly"))
            {
                _p++;
            }
            var word = IsId(_p) ? Text(_p) : "";
            if (isEvent ? word is not ("add" or "remove") : word is not ("get" or "set" or "init"))
            {
                Bail();
            }
            _p++;
            ReadFunctionBody(body);
        }
        _p++;
    }

    /// <summary>The name of a method, property or event, with an explicit interface prefix; the method's type parameters.</summary>
    private string ReadMemberName(bool allowTypeArguments, out ImmutableArray<string> typeParameters)
    {
        typeParameters = [];
        int from = _p;
        ExpectId();
        while (true)
        {
            if (Is("<"))
            {
                int save = _p;
                if (!allowTypeArguments)
                {
                    Bail();
                }
                var names = ReadTypeParameters();
                if (Is("(") || Is("where"))
                {
                    typeParameters = names;
                    return Compact(from, save);
                }
                _p = save;
                SkipTypeArguments();
            }
            if (Is(".") && (IsId(_p + 1) || Is(_p + 1, "this")))
            {
                _p++;
                if (Accept("this"))
                {
                    return Compact(from, _p);
                }
                _p++;
                continue;
            }
            return Compact(from, _p);
        }
    }

    private ImmutableArray<string> ReadTypeParameters()
    {
        if (!Accept("<"))
        {
            return [];
        }
        var names = ImmutableArray.CreateBuilder<string>();
        do
        {
            if (Is("["))
            {
                Bail();
            }
            if (Is("in") || Is("out"))
            {
                _p++;
            }
            names.Add(ExpectId());
        }
        while (Accept(","));
        Expect(">");
        return names.ToImmutable();
    }

    private void ReadConstraints()
    {
        while (IsIdText(_p, "where") && IsId(_p + 1) && Is(_p + 2, ":"))
        {
            _p += 3;
            do
            {
                if (Accept("new"))
                {
                    Expect("(");
                    Expect(")");
                }
                else if (Accept("class"))
                {
                    Accept("?");
                }
                else if (Is("struct") || Is("default"))
                {
                    _p++;
                }
                else if (IsIdText(_p, "allows"))
                {
                    Bail();
                }
                else
                {
                    SkipType();
                }
            }
            while (Accept(","));
        }
    }

    private ImmutableArray<ParameterInfo> ReadParameters(string open, string close, out string signature)
    {
        Expect(open);
        var result = ImmutableArray.CreateBuilder<ParameterInfo>();
        var parts = new List<string>();
        if (!Is(close))
        {
            do
            {
                ReadAttributeLists();
                var refKinds = new List<string>();
                string kind = ParameterKinds.Regular;
                bool isThis = false, isParams = false, isOut = false, isIn = false, isRef = false, isReadOnly = false;
                while (true)
                {
                    if (Accept("this")) { isThis = true; continue; }
                    if (Accept("params")) { isParams = true; continue; }
                    if (Is("ref") || Is("out") || Is("in") || Is("readonly"))
                    {
                        var m = Text(_p++);
                        refKinds.Add(m);
                        isOut |= m == "out";
                        isIn |= m == "in";
                        isRef |= m == "ref";
                        isReadOnly |= m == "readonly";
                        continue;
                    }
                    if (IsIdText(_p, "scoped") && !Is(_p + 1, ",") && !Is(_p + 1, close) && !Is(_p + 1, "="))
                    {
                        Bail();
                    }
                    break;
                }
                kind = isThis ? ParameterKinds.This
                    : isParams ? ParameterKinds.VarPositional
                    : isOut ? ParameterKinds.Out
                    : isIn || isRef && isReadOnly ? ParameterKinds.In
                    : isRef ? ParameterKinds.Ref
                    : ParameterKinds.Regular;
                int typeFrom = _p;
                SkipType();
                var type = Compact(typeFrom, _p);
                var name = ExpectId();
                string? defaultValue = null;
                if (Accept("="))
                {
                    int valueFrom = _p;
                    ReadExpression(new Body(Scope.Root, null, null, 1, Async: false));
                    defaultValue = Normalized(valueFrom, _p);
                }
                result.Add(new ParameterInfo { Name = name, Kind = kind, Type = type, Default = defaultValue });
                var refKind = string.Join(' ', refKinds);
                parts.Add(refKind.Length == 0 ? type : $"{refKind} {type}");
            }
            while (Accept(","));
        }
        Expect(close);
        var joined = string.Join(',', parts);
        signature = open == "[" ? $"[{joined}]" : $"({joined})";
        return result.ToImmutable();
    }

    /// <summary>One definition per declarator of a field or event field.</summary>
    private void ReadVariables(int start, ImmutableArray<string> decorators, string? docstring, List<string> modifiers, string type, string kind, Scope scope, List<Definition> into, int depth)
    {
        var pending = new List<(string Name, string Id, CallCollector Calls, List<Definition> Children)>();
        do
        {
            var name = ExpectId();
            var qualifiedName = scope.Qualify(name);
            var id = NewId(qualifiedName, null);
            var calls = new CallCollector();
            var children = new List<Definition>();
            if (Accept("="))
            {
                ReadInitializerOrExpression(new Body(new Scope(qualifiedName, ScopeKind.Function), calls, children, depth + 1, Async: false));
            }
            else if (Is("["))
            {
                Bail();
            }
            pending.Add((name, id, calls, children));
        }
        while (Accept(","));
        Expect(";");
        foreach (var (name, id, calls, children) in pending)
        {
            into.Add(Define(
                id, kind, name, scope.Qualify(name), start, docstring, decorators, returnType: type,
                visibility: Visibility(modifiers, DefaultVisibility(scope)), isStatic: Has(modifiers, "static"),
                modifiers: Modifiers(modifiers), calls: calls, children: children));
        }
    }

    // ---- types as text ----

    private static readonly HashSet<string> PredefinedTypes = new(StringComparer.Ordinal)
    {
        "bool", "byte", "char", "decimal", "double", "float", "int", "long", "object", "sbyte", "short", "string",
        "uint", "ulong", "ushort", "void",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PredefinedTypeSpans = PredefinedTypes.GetAlternateLookup<ReadOnlySpan<char>>();

    private bool IsPredefined(int i) => At(i).Kind == TokenKind.Keyword && PredefinedTypeSpans.Contains(Span(i));

    /// <summary>Skips a type or bails.</summary>
    private void SkipType(bool allowNullable = true)
    {
        int end = ScanType(_p, allowNullable);
        if (end < 0)
        {
            Bail();
        }
        _p = end;
    }

    private void SkipTypeArguments()
    {
        int end = ScanTypeArguments(_p);
        if (end < 0)
        {
            Bail();
        }
        _p = end;
    }

    /// <summary>The index after a type starting at <paramref name="i"/>, or -1 when none starts there. Reads no state.</summary>
    private int ScanType(int i, bool allowNullable = true, int depth = 0)
    {
        if (depth > 20)
        {
            return -1;
        }
        if (Is(i, "("))
        {
            // tuple type: (T a, T b, ...) with at least two elements
            int j = i + 1;
            int count = 0;
            while (true)
            {
                j = ScanType(j, true, depth + 1);
                if (j < 0)
                {
                    return -1;
                }
                if (IsId(j) && !Is(j, "in"))
                {
                    j++;
                }
                count++;
                if (Is(j, ","))
                {
                    j++;
                    continue;
                }
                if (!Is(j, ")") || count < 2)
                {
                    return -1;
                }
                i = j + 1;
                break;
            }
        }
        else if (IsPredefined(i))
        {
            i++;
        }
        else if (IsId(i))
        {
            if (Is(i + 1, "::"))
            {
                if (!IsId(i + 2))
                {
                    return -1;
                }
                i += 2;
            }
            while (true)
            {
                i++;
                if (Is(i, "<"))
                {
                    i = ScanTypeArguments(i, depth + 1);
                    if (i < 0)
                    {
                        return -1;
                    }
                }
                if (Is(i, ".") && IsId(i + 1))
                {
                    i++;
                    continue;
                }
                break;
            }
        }
        else
        {
            return -1;
        }
        while (true)
        {
            if (allowNullable && Is(i, "?"))
            {
                i++;
                continue;
            }
            if (Is(i, "["))
            {
                int j = i + 1;
                while (Is(j, ","))
                {
                    j++;
                }
                if (!Is(j, "]"))
                {
                    return i;
                }
                i = j + 1;
                continue;
            }
            if (Is(i, "*"))
            {
                return -1;
            }
            return i;
        }
    }

    private int ScanTypeArguments(int i, int depth = 0)
    {
        i++; // <
        while (true)
        {
            i = ScanType(i, true, depth + 1);
            if (i < 0)
            {
                return -1;
            }
            if (Is(i, ","))
            {
                i++;
                continue;
            }
            return Is(i, ">") ? i + 1 : -1;
        }
    }
}
