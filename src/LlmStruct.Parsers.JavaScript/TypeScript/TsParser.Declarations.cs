using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    /// <summary>Declarations that start with a word; false (nothing consumed) when the word starts something else.</summary>
    private bool TryParseDeclaration(Scope scope, int start, bool topLevel, bool exported)
    {
        switch (_tok.Text)
        {
            case "function":
                ParseFunctionDeclaration(scope, start, exported, isDefault: false);
                return true;
            case "async" when Peek() is { Kind: TsTokenKind.Identifier, Text: "function", NewLineBefore: false }:
                ParseFunctionDeclaration(scope, start, exported, isDefault: false);
                return true;
            case "class":
                ParseClassDeclaration(scope, start, [], exported, isDefault: false, modifiers: []);
                return true;
            case "abstract" when Peek() is { Kind: TsTokenKind.Identifier, Text: "class", NewLineBefore: false }:
                Next();
                ParseClassDeclaration(scope, start, [], exported, isDefault: false, modifiers: ["abstract"]);
                return true;
            case "var" or "let" or "const" or "using" or "await" when IsVariableStart():
                if (IsWord("const") && Peek() is { Kind: TsTokenKind.Identifier, Text: "enum" })
                {
                    Next();
                    ParseEnum(scope, start, exported, isConst: true);
                    return true;
                }
                ParseVariableDeclarations(scope, start, topLevel: topLevel, exported: exported);
                Semicolon();
                return true;
            case "const" when Peek() is { Kind: TsTokenKind.Identifier, Text: "enum" }:
                Next();
                ParseEnum(scope, start, exported, isConst: true);
                return true;
            case "interface" when NextIsNameOnSameLine():
                ParseInterface(scope, start, exported);
                return true;
            case "type" when NextIsNameOnSameLine():
                ParseTypeAlias(scope, start, exported);
                return true;
            case "enum" when NextIsNameOnSameLine():
                ParseEnum(scope, start, exported, isConst: false);
                return true;
            case "namespace" or "module" when NextIsNameOnSameLine(allowString: true):
                ParseNamespace(scope, start, exported);
                return true;
            case "global" when Peek() is { Kind: TsTokenKind.Punctuator, Text: "{", NewLineBefore: false }:
                ParseNamespace(scope, start, exported);
                return true;
            case "declare" when Peek() is { Kind: TsTokenKind.Identifier, NewLineBefore: false } next && IsDeclareTarget(next.Text):
                Next();
                if (IsVariableStart() || IsWord("let"))
                {
                    ParseVariableDeclarations(scope, start, topLevel: topLevel, exported: exported);
                    Semicolon();
                    return true;
                }
                if (!TryParseDeclaration(scope, start, topLevel, exported))
                {
                    throw Fail("declaration expected");
                }
                return true;
            case "import" when Peek() is not { Kind: TsTokenKind.Punctuator, Text: "(" or "." }:
                ParseImport(scope, start, exported);
                return true;
            case "export":
                ParseExport(scope, start, topLevel);
                return true;
        }
        return false;
    }

    private static bool IsDeclareTarget(string word) => word is "var" or "let" or "const" or "function" or "class" or "abstract"
        or "namespace" or "module" or "global" or "enum" or "interface" or "type" or "async" or "using";

    private bool NextIsNameOnSameLine(bool allowString = false)
    {
        var next = Peek();
        return !next.NewLineBefore && (next.Kind == TsTokenKind.Identifier || (allowString && next.Kind == TsTokenKind.String));
    }

    private ImmutableArray<(string Text, int Start)> ParseDecorators(Scope scope)
    {
        var list = ImmutableArray.CreateBuilder<(string, int)>();
        while (Is("@"))
        {
            int at = _tok.Start;
            Next();
            int start = _tok.Start;
            ParseLeftHandSide(scope, allowCall: true);
            list.Add((Text(start, _prevEnd), at));
        }
        return list.ToImmutable();
    }

    private void ParseDeclarationAfterDecorators(Scope scope, int start, ImmutableArray<(string Text, int Start)> decorators)
    {
        bool exported = false, isDefault = false;
        if (EatWord("export"))
        {
            exported = true;
            isDefault = EatWord("default");
        }
        var modifiers = EatWord("abstract") ? (string[])["abstract"] : [];
        if (!IsWord("class"))
        {
            throw Fail("'class' expected after decorators");
        }
        if (isDefault)
        {
            Export("default", scope);
        }
        ParseClassDeclaration(scope, start, decorators, exported && !isDefault, isDefault, modifiers);
    }

    private void ParseFunctionDeclaration(Scope scope, int start, bool exported, bool isDefault)
    {
        bool isAsync = EatWord("async");
        Next(); // function
        bool generator = Eat("*");
        string name = _tok.Kind == TsTokenKind.Identifier && !Is("(") ? ExpectIdentifier() : isDefault ? "default" : throw Fail("function name expected");
        var definition = NewDefinition(DefinitionKinds.Function, name, scope.Prefix + name, start, scope);
        definition.Async = isAsync;
        if (generator)
        {
            definition.Modifiers.Add("generator");
        }
        ParseFunctionRest(definition, scope, arrow: false, maybeComponent: true);
        if (exported && !isDefault)
        {
            Export(name, scope);
        }
    }

    private string ParseClassDeclaration(Scope scope, int start, ImmutableArray<(string Text, int Start)> decorators, bool exported, bool isDefault, string[] modifiers)
    {
        Next(); // class
        string name = _tok.Kind == TsTokenKind.Identifier && !IsWord("extends") && !IsWord("implements") ? ExpectIdentifier()
            : isDefault ? "default" : throw Fail("class name expected");
        var definition = NewDefinition(DefinitionKinds.Class, name, scope.Prefix + name, start, scope);
        foreach (var decorator in decorators)
        {
            definition.Decorators.Add(decorator.Text);
        }
        foreach (var modifier in modifiers)
        {
            definition.Modifiers.Add(modifier);
        }
        ParseClassBody(definition, scope);
        if (exported && !isDefault)
        {
            Export(name, scope);
        }
        return name;
    }

    // ---- variables ----

    private void ParseVariableDeclarations(Scope scope, int start, bool topLevel, bool exported = false)
    {
        if (EatWord("await"))
        {
            // await using
        }
        Next(); // var / let / const / using
        bool first = true;
        do
        {
            int declaratorStart = first ? start : _tok.Start;
            first = false;
            var names = new List<(string Name, int Offset)>();
            bool simple = _tok.Kind == TsTokenKind.Identifier;
            string? simpleName = simple ? _tok.Text : null;
            var pattern = ParseBinding(scope, names);
            Eat("!");
            if (Eat(":"))
            {
                SkipType();
            }
            bool definedHere = false;
            if (Eat("="))
            {
                var hint = simpleName is null ? (Hint?)null
                    : new Hint(simpleName, scope.Prefix + simpleName, declaratorStart, DefinitionKinds.Function, null);
                var init = ParseAssignment(scope, hint);
                definedHere = simpleName is not null && init.Defined;
                if (init.Kind == ExprKind.Require && _requireAt.TryGetValue(init.Start, out int index))
                {
                    var import = _imports[index].Import;
                    if (simpleName is not null)
                    {
                        _imports[index] = (import with { Alias = simpleName }, _imports[index].Offset);
                    }
                    else if (pattern.ObjectPatternStart >= 0)
                    {
                        _imports[index] = (import with { Names = pattern.RequireNames }, _imports[index].Offset);
                    }
                }
            }
            if ((topLevel || exported) && !definedHere)
            {
                foreach (var (name, offset) in names)
                {
                    if (topLevel)
                    {
                        AddVariable(name, offset);
                    }
                }
            }
            if (exported)
            {
                foreach (var (name, _) in names)
                {
                    Export(name, scope);
                }
            }
        }
        while (Eat(","));
    }

    /// <summary>What a binding pattern bound: for <c>{ a, b: c } = require(…)</c>, the imported names.</summary>
    private readonly record struct BindingInfo(int ObjectPatternStart, ImmutableArray<ImportedName> RequireNames);

    /// <summary>An identifier or destructuring pattern; bound names go to <paramref name="names"/> when given.</summary>
    private BindingInfo ParseBinding(Scope scope, List<(string Name, int Offset)>? names)
    {
        Enter();
        try
        {
            if (_tok.Kind == TsTokenKind.Identifier)
            {
                names?.Add((_tok.Text, _tok.Start));
                Next();
                return new BindingInfo(-1, []);
            }
            if (Is("["))
            {
                Next();
                while (!Eat("]"))
                {
                    if (Eat(","))
                    {
                        continue;
                    }
                    Eat("...");
                    ParseBinding(scope, names);
                    if (Eat("="))
                    {
                        ParseAssignment(scope);
                    }
                    if (!Is("]"))
                    {
                        Expect(",");
                    }
                }
                return new BindingInfo(-1, []);
            }
            if (Is("{"))
            {
                int start = _tok.Start;
                Next();
                var requireNames = ImmutableArray.CreateBuilder<ImportedName>();
                while (!Eat("}"))
                {
                    if (Eat("..."))
                    {
                        ParseBinding(scope, names);
                    }
                    else
                    {
                        string? key = null;
                        bool identifierKey = _tok.Kind == TsTokenKind.Identifier;
                        if (Is("["))
                        {
                            Next();
                            ParseAssignment(scope);
                            Expect("]");
                        }
                        else if (_tok.Kind is TsTokenKind.Identifier)
                        {
                            key = _tok.Text;
                            Next();
                        }
                        else if (_tok.Kind is TsTokenKind.String)
                        {
                            key = StringValue(_tok);
                            Next();
                        }
                        else if (_tok.Kind is TsTokenKind.Number)
                        {
                            Next();
                        }
                        else
                        {
                            throw Fail("property name expected");
                        }
                        string? local = null;
                        if (Eat(":"))
                        {
                            if (_tok.Kind == TsTokenKind.Identifier)
                            {
                                local = _tok.Text;
                            }
                            ParseBinding(scope, names);
                        }
                        else if (identifierKey && key is not null)
                        {
                            local = key;
                            names?.Add((key, _prevEnd - key.Length));
                        }
                        if (Eat("="))
                        {
                            ParseAssignment(scope);
                        }
                        if (key is not null)
                        {
                            requireNames.Add(new ImportedName { Name = key, Alias = local is null || local == key ? null : local });
                        }
                    }
                    if (!Is("}"))
                    {
                        Expect(",");
                    }
                }
                return new BindingInfo(start, requireNames.ToImmutable());
            }
            throw Fail("identifier or pattern expected");
        }
        finally
        {
            Leave();
        }
    }

    // ---- TypeScript declarations ----

    private void ParseInterface(Scope scope, int start, bool exported)
    {
        Next(); // interface
        string name = ExpectIdentifier();
        var definition = NewDefinition(DefinitionKinds.Interface, name, scope.Prefix + name, start, scope);
        ParseTypeParameters(definition);
        if (EatWord("extends"))
        {
            do
            {
                int typeStart = _tok.Start;
                SkipType();
                definition.Bases.Add(Text(typeStart, _prevEnd));
            }
            while (Eat(","));
        }
        ParseTypeMembers(definition, new Scope(definition, null));
        Finish(definition);
        if (exported)
        {
            Export(name, scope);
        }
    }

    private void ParseTypeAlias(Scope scope, int start, bool exported)
    {
        Next(); // type
        string name = ExpectIdentifier();
        var definition = NewDefinition(DefinitionKinds.TypeAlias, name, scope.Prefix + name, start, scope);
        ParseTypeParameters(definition);
        Expect("=");
        SkipType();
        Semicolon();
        Finish(definition);
        if (exported)
        {
            Export(name, scope);
        }
    }

    private void ParseEnum(Scope scope, int start, bool exported, bool isConst)
    {
        Next(); // enum
        string name = ExpectIdentifier();
        var definition = NewDefinition(DefinitionKinds.Enum, name, scope.Prefix + name, start, scope);
        if (isConst)
        {
            definition.Modifiers.Add("const");
        }
        var inner = new Scope(definition, null);
        Expect("{");
        while (!Eat("}"))
        {
            int memberStart = _tok.Start;
            string memberName;
            if (_tok.Kind == TsTokenKind.Identifier)
            {
                memberName = _tok.Text;
                Next();
            }
            else if (_tok.Kind == TsTokenKind.String)
            {
                memberName = StringValue(_tok);
                Next();
            }
            else if (Is("["))
            {
                int keyStart = _tok.Start;
                SkipBalanced();
                memberName = Text(keyStart, _prevEnd);
            }
            else
            {
                throw Fail("enum member name expected");
            }
            var member = NewDefinition(DefinitionKinds.EnumMember, memberName, definition.QualifiedName + "." + memberName, memberStart, inner);
            if (Eat("="))
            {
                ParseAssignment(inner);
            }
            Finish(member);
            if (!Is("}"))
            {
                Expect(",");
            }
        }
        Finish(definition);
        if (exported)
        {
            Export(name, scope);
        }
    }

    private void ParseNamespace(Scope scope, int start, bool exported)
    {
        bool global = IsWord("global");
        if (!global)
        {
            Next(); // namespace / module
        }
        var opened = new List<DefinitionBuilder>();
        var current = scope;
        string first;
        if (_tok.Kind == TsTokenKind.String)
        {
            first = StringValue(_tok);
            Next();
            var definition = NewDefinition(DefinitionKinds.Namespace, first, current.Prefix + first, start, current);
            opened.Add(definition);
            current = new Scope(definition, null);
        }
        else
        {
            int partStart = start;
            first = _tok.Text;
            while (true)
            {
                string part = ExpectIdentifier();
                var definition = NewDefinition(DefinitionKinds.Namespace, part, current.Prefix + part, partStart, current);
                opened.Add(definition);
                current = new Scope(definition, null);
                if (!Eat("."))
                {
                    break;
                }
                partStart = _tok.Start;
            }
        }
        if (Is("{"))
        {
            Next();
            while (!Is("}"))
            {
                if (_tok.Kind == TsTokenKind.EndOfFile)
                {
                    throw Fail("'}' expected");
                }
                ParseStatement(current);
            }
            Next();
        }
        else
        {
            Semicolon();
        }
        foreach (var definition in opened)
        {
            Finish(definition);
        }
        if (exported)
        {
            Export(first, scope);
        }
    }
}
