using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    private Expr ParseObject(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        string? prefix = hint?.QualifiedName;
        Next(); // {
        bool saved = _noIn;
        _noIn = false;
        while (!Eat("}"))
        {
            int memberStart = _tok.Start;
            if (Eat("..."))
            {
                ParseAssignment(scope);
            }
            else
            {
                bool isAsync = false, generator = false;
                string? accessor = null;
                if (IsWord("async") && IsMemberNameAfter(allowStar: true))
                {
                    Next();
                    isAsync = true;
                }
                if (Eat("*"))
                {
                    generator = true;
                }
                if ((IsWord("get") || IsWord("set")) && IsMemberNameAfter(allowStar: false))
                {
                    accessor = _tok.Text;
                    Next();
                }
                var (key, usable) = ParsePropertyName(scope);
                // `a?: …` / `a!: …` parse (the compiler's grammar check rejects them later).
                if (!Eat("?"))
                {
                    Eat("!");
                }
                if (Is("(") || Is("<"))
                {
                    DefinitionBuilder? definition = null;
                    if (prefix is not null && usable)
                    {
                        definition = NewDefinition(accessor is null ? DefinitionKinds.Method : DefinitionKinds.Property, key, prefix + "." + key, memberStart, scope);
                        definition.Async = isAsync;
                        if (generator)
                        {
                            definition.Modifiers.Add("generator");
                        }
                        if (accessor is not null)
                        {
                            definition.Modifiers.Add(accessor);
                        }
                    }
                    ParseFunctionRest(definition, scope, arrow: false, maybeComponent: false);
                }
                else if (Eat(":"))
                {
                    var valueHint = prefix is not null && usable
                        ? new Hint(key, prefix + "." + key, memberStart, DefinitionKinds.Method, null, Objects: false, Classes: false)
                        : null;
                    ParseAssignment(scope, valueHint);
                }
                else if (Eat("="))
                {
                    // { a = 1 } in a pattern written as an object
                    ParseAssignment(scope);
                }
            }
            if (!Is("}"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
        return new Expr(ExprKind.Object, start, _prevEnd, Defined: prefix is not null);
    }

    /// <summary>True when the token after the current one starts a member name (so the current word is a modifier).</summary>
    private bool IsMemberNameAfter(bool allowStar)
    {
        var next = Peek();
        if (next.NewLineBefore && allowStar)
        {
            return false;
        }
        return next.Kind is TsTokenKind.Identifier or TsTokenKind.String or TsTokenKind.Number or TsTokenKind.PrivateName
            || next is { Kind: TsTokenKind.Punctuator, Text: "[" } || (allowStar && next is { Kind: TsTokenKind.Punctuator, Text: "*" });
    }

    /// <summary>A property name: its model name and whether it may name a definition (identifiers, strings, computed keys).</summary>
    private (string Name, bool Usable) ParsePropertyName(Scope scope)
    {
        switch (_tok.Kind)
        {
            case TsTokenKind.Identifier:
            case TsTokenKind.PrivateName:
            {
                string name = _tok.Text;
                Next();
                return (name, true);
            }
            case TsTokenKind.String:
            {
                string name = StringValue(_tok);
                Next();
                return (name, true);
            }
            case TsTokenKind.Number:
            {
                int start = _tok.Start;
                Next();
                return (_source[start.._prevEnd], false);
            }
        }
        if (Is("["))
        {
            int start = _tok.Start;
            Next();
            ParseAssignment(scope);
            Expect("]");
            return ("[" + Text(start + 1, _prevEnd - 1) + "]", true);
        }
        throw Fail("property name expected");
    }
}
