using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    // ---- modules ----

    private void ParseImport(Scope scope, int start, bool exported)
    {
        int line = LineOf(start);
        Next(); // import
        if (_tok.Kind == TsTokenKind.String)
        {
            AddImport(new ImportInfo { Module = StringValue(_tok), Kind = "import", Line = line }, start);
            Next();
            SkipImportAttributes();
            Semicolon();
            return;
        }
        // `import type X …`, but `import type from 'm'` and `import type = …` bind a name `type`.
        if (IsWord("type") && Peek() is var afterType && !(afterType.Kind == TsTokenKind.Identifier && afterType.Text == "from")
            && afterType is not { Kind: TsTokenKind.Punctuator, Text: "=" or "," })
        {
            Next();
        }
        var names = ImmutableArray.CreateBuilder<ImportedName>();
        if (_tok.Kind == TsTokenKind.Identifier && !IsWord("from") || (IsWord("from") && Peek() is { Kind: TsTokenKind.Identifier, Text: "from" } or { Kind: TsTokenKind.Punctuator, Text: "=" or "," }))
        {
            string local = ExpectIdentifier();
            if (Eat("="))
            {
                // import x = require('m') / import x = A.B
                if (IsWord("require") && Peek() is { Kind: TsTokenKind.Punctuator, Text: "(" })
                {
                    Next();
                    Next();
                    if (_tok.Kind != TsTokenKind.String)
                    {
                        throw Fail("string literal expected");
                    }
                    AddImport(new ImportInfo { Module = StringValue(_tok), Kind = "require", Alias = local, Line = line }, start);
                    Next();
                    Expect(")");
                }
                else
                {
                    ParseEntityName();
                }
                Semicolon();
                if (exported)
                {
                    Export(local, scope);
                }
                return;
            }
            names.Add(new ImportedName { Name = "default", Alias = local });
            if (!Eat(","))
            {
                FinishImport(names, start, line);
                return;
            }
        }
        if (Eat("*"))
        {
            if (!EatWord("as"))
            {
                throw Fail("'as' expected");
            }
            names.Add(new ImportedName { Name = "*", Alias = ExpectIdentifier() });
        }
        else if (Is("{"))
        {
            names.AddRange(ParseSpecifiers(out _));
        }
        else
        {
            throw Fail("import clause expected");
        }
        FinishImport(names, start, line);
    }

    private void FinishImport(ImmutableArray<ImportedName>.Builder names, int start, int line)
    {
        if (!EatWord("from") || _tok.Kind != TsTokenKind.String)
        {
            throw Fail("'from' and a module expected");
        }
        AddImport(new ImportInfo { Module = StringValue(_tok), Kind = "import", Names = names.ToImmutable(), Line = line }, start);
        Next();
        SkipImportAttributes();
        Semicolon();
    }

    private void SkipImportAttributes()
    {
        if ((IsWord("with") || IsWord("assert")) && !_tok.NewLineBefore)
        {
            Next();
            SkipBalanced();
        }
    }

    private void ParseEntityName()
    {
        ExpectIdentifier();
        while (Eat("."))
        {
            ExpectIdentifier();
        }
    }

    /// <summary><c>{ a, b as c, type d, "e" as f }</c>: names with their aliases (imported/local or local/exported).</summary>
    private List<ImportedName> ParseSpecifiers(out List<string> exportedNames)
    {
        var list = new List<ImportedName>();
        exportedNames = [];
        Expect("{");
        while (!Eat("}"))
        {
            if (IsWord("type") && Peek() is { Kind: TsTokenKind.Identifier or TsTokenKind.String } after
                && !(after.Kind == TsTokenKind.Identifier && after.Text == "as" && Peek2IsNotName()))
            {
                Next();
            }
            string name = SpecifierName();
            string? alias = null;
            if (EatWord("as"))
            {
                alias = SpecifierName();
            }
            list.Add(new ImportedName { Name = name, Alias = alias == name ? null : alias });
            exportedNames.Add(alias ?? name);
            if (!Is("}"))
            {
                Expect(",");
            }
        }
        return list;
    }

    /// <summary>For <c>{ type as }</c> / <c>{ type as as x }</c>: true when the token after <c>as</c> is not a name.</summary>
    private bool Peek2IsNotName()
    {
        var state = Save();
        Next();
        Next();
        bool notName = _tok.Kind != TsTokenKind.Identifier && _tok.Kind != TsTokenKind.String;
        Restore(state);
        return notName;
    }

    private string SpecifierName()
    {
        if (_tok.Kind == TsTokenKind.String)
        {
            string value = StringValue(_tok);
            Next();
            return value;
        }
        return ExpectIdentifier();
    }

    private void ParseExport(Scope scope, int start, bool topLevel)
    {
        int line = LineOf(start);
        Next(); // export
        if (Eat("="))
        {
            ParseExpression(scope);
            Semicolon();
            Export("default", scope);
            return;
        }
        if (IsWord("as") && Peek() is { Kind: TsTokenKind.Identifier, Text: "namespace" })
        {
            Next();
            Next();
            ExpectIdentifier();
            Semicolon();
            return;
        }
        if (IsWord("type") && Peek() is { Kind: TsTokenKind.Punctuator, Text: "{" or "*" })
        {
            Next();
        }
        if (Eat("*"))
        {
            string? alias = null;
            if (EatWord("as"))
            {
                alias = SpecifierName();
                Export(alias, scope);
            }
            if (!EatWord("from") || _tok.Kind != TsTokenKind.String)
            {
                throw Fail("'from' expected");
            }
            AddImport(new ImportInfo { Module = StringValue(_tok), Kind = "reexport", Names = [new ImportedName { Name = "*", Alias = alias }], Line = line }, start);
            Next();
            SkipImportAttributes();
            Semicolon();
            return;
        }
        if (Is("{"))
        {
            var names = ParseSpecifiers(out var exportedNames);
            foreach (var exportedName in exportedNames)
            {
                Export(exportedName, scope);
            }
            if (EatWord("from"))
            {
                if (_tok.Kind != TsTokenKind.String)
                {
                    throw Fail("module expected");
                }
                AddImport(new ImportInfo { Module = StringValue(_tok), Kind = "reexport", Names = [.. names], Line = line }, start);
                Next();
                SkipImportAttributes();
            }
            Semicolon();
            return;
        }
        if (EatWord("default"))
        {
            Export("default", scope);
            ParseExportDefault(scope, start);
            return;
        }
        if (Is("@"))
        {
            var decorators = ParseDecorators(scope);
            var modifiers = EatWord("abstract") ? (string[])["abstract"] : [];
            ParseClassDeclaration(scope, start, decorators, true, false, modifiers);
            return;
        }
        if (_tok.Kind != TsTokenKind.Identifier || !TryParseDeclaration(scope, start, topLevel, exported: true))
        {
            throw Fail("declaration expected after 'export'");
        }
    }

    /// <summary>Module exports are read at module level only (inside a namespace, <c>export</c> is the namespace's).</summary>
    private void Export(string name, Scope scope)
    {
        if (scope.Owner is null)
        {
            _exports.Add(name);
        }
    }

    private void ParseExportDefault(Scope scope, int start)
    {
        if (IsWord("function") || (IsWord("async") && Peek() is { Kind: TsTokenKind.Identifier, Text: "function", NewLineBefore: false }))
        {
            ParseFunctionDeclaration(scope, start, exported: true, isDefault: true);
            return;
        }
        if (IsWord("class"))
        {
            ParseClassDeclaration(scope, start, [], true, true, []);
            return;
        }
        if (IsWord("abstract") && Peek() is { Kind: TsTokenKind.Identifier, Text: "class" })
        {
            Next();
            ParseClassDeclaration(scope, start, [], true, true, ["abstract"]);
            return;
        }
        if (IsWord("interface") && NextIsNameOnSameLine())
        {
            ParseInterface(scope, start, exported: false);
            return;
        }
        ParseAssignment(scope, new Hint("default", "default", start, DefinitionKinds.Function, null));
        Semicolon();
    }
}
