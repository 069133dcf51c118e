using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    private Expr ParseFunctionExpression(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        bool isAsync = EatWord("async");
        Next(); // function
        bool generator = Eat("*");
        if (_tok.Kind == TsTokenKind.Identifier && !Is("("))
        {
            Next();
        }
        DefinitionBuilder? definition = null;
        if (hint is not null)
        {
            definition = NewDefinition(hint.Kind, hint.Name, hint.QualifiedName, hint.Start, HintScope(hint, scope));
            definition.Async = isAsync;
            if (generator)
            {
                definition.Modifiers.Add("generator");
            }
            _hinted = definition;
        }
        ParseFunctionRest(definition, scope, arrow: false, maybeComponent: hint?.Kind == DefinitionKinds.Function);
        return new Expr(ExprKind.Function, start, _prevEnd, Defined: definition is not null);
    }

    private bool IsArrowStart()
    {
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            if (IsReservedWord(_tok.Text) && _tok.Text is not ("this"))
            {
                return false;
            }
            var next = Peek();
            if (next is { Kind: TsTokenKind.Punctuator, Text: "=>" })
            {
                return true;
            }
            if (_tok.Text == "async" && !next.NewLineBefore)
            {
                if (next.Kind == TsTokenKind.Identifier)
                {
                    var state = Save();
                    Next();
                    Next();
                    bool arrow = Is("=>");
                    Restore(state);
                    return arrow;
                }
                if (next.Kind == TsTokenKind.Punctuator && next.Text is "(" or "<")
                {
                    var state = Save();
                    Next();
                    bool arrow = ParenthesizedArrowFollows();
                    Restore(state);
                    return arrow;
                }
            }
            return false;
        }
        if (Is("(") || (Is("<") && (!_jsx || GenericArrowInTsx())))
        {
            var state = Save();
            bool arrow = ParenthesizedArrowFollows();
            Restore(state);
            return arrow;
        }
        return false;
    }

    /// <summary>In TSX, <c>&lt;T,&gt;</c> and <c>&lt;T extends …&gt;</c> start a generic arrow; anything else is JSX.</summary>
    private bool GenericArrowInTsx()
    {
        var state = Save();
        try
        {
            Next();
            if (_tok.Kind != TsTokenKind.Identifier)
            {
                return false;
            }
            Next();
            return Is(",") || IsWord("extends");
        }
        catch (TsSyntaxError)
        {
            return false;
        }
        finally
        {
            Restore(state);
        }
    }

    /// <summary>From <c>(</c> or <c>&lt;</c>: balanced parameters, an optional return type, then <c>=&gt;</c>. Consumes tokens (callers restore).</summary>
    private bool ParenthesizedArrowFollows()
    {
        try
        {
            if (Is("<"))
            {
                SkipBalanced();
            }
            if (!Is("("))
            {
                return false;
            }
            SkipBalanced();
            if (Is("=>"))
            {
                return !_tok.NewLineBefore;
            }
            if (Eat(":"))
            {
                SkipType();
                return Is("=>");
            }
            return false;
        }
        catch (TsSyntaxError)
        {
            return false;
        }
    }

    private Expr ParseArrow(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        bool isAsync = false;
        if (IsWord("async") && Peek() is { } next && !(next is { Kind: TsTokenKind.Punctuator, Text: "=>" }))
        {
            Next();
            isAsync = true;
        }
        DefinitionBuilder? definition = null;
        if (hint is not null)
        {
            definition = NewDefinition(hint.Kind, hint.Name, hint.QualifiedName, hint.Start, HintScope(hint, scope));
            definition.Async = isAsync;
            _hinted = definition;
        }
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            definition?.Parameters.Add(new ParameterInfo { Name = _tok.Text });
            Next();
        }
        else
        {
            ParseTypeParameters(definition);
            ParseParameters(definition, scope, null);
            ParseReturnType(definition);
        }
        Expect("=>");
        var inner = definition is null ? scope with { ReturnTarget = null } : new Scope(definition, definition, scope.ThisOwner);
        if (Is("{"))
        {
            ParseBlock(inner);
        }
        else
        {
            bool saved = _noIn;
            var body = ParseAssignment(inner);
            _noIn = saved;
            if (body.Jsx && definition is not null)
            {
                definition.ReturnsJsx = true;
            }
        }
        if (definition is not null)
        {
            Finish(definition);
            MaybeComponent(definition, hint!.Kind == DefinitionKinds.Function);
        }
        return new Expr(ExprKind.Arrow, start, _prevEnd, Defined: definition is not null);
    }

    private static void MaybeComponent(DefinitionBuilder definition, bool maybeComponent)
    {
        if (maybeComponent && definition.ReturnsJsx && definition.Name.Length > 0 && definition.Name[0] is >= 'A' and <= 'Z')
        {
            definition.Kind = DefinitionKinds.Component;
        }
    }

    /// <summary>Type parameters, parameters, return type and body of a function; <paramref name="definition"/> null for a callback.</summary>
    private void ParseFunctionRest(DefinitionBuilder? definition, Scope scope, bool arrow, bool maybeComponent, DefinitionBuilder? parameterPropertiesOf = null)
    {
        ParseTypeParameters(definition);
        ParseParameters(definition, scope, parameterPropertiesOf);
        ParseReturnType(definition);
        Scope inner;
        if (definition is null)
        {
            inner = scope with { ReturnTarget = null, ThisOwner = arrow ? scope.ThisOwner : null };
        }
        else
        {
            var thisOwner = definition.Kind == DefinitionKinds.Constructor ? scope.Owner
                : definition.Kind == DefinitionKinds.Function ? definition
                : null;
            inner = new Scope(definition, definition, thisOwner);
        }
        if (Is("{"))
        {
            ParseBlock(inner);
        }
        else if (definition is not null)
        {
            // An overload, a declaration or an abstract member: no body.
            Semicolon();
        }
        else
        {
            throw Fail("'{' expected");
        }
        if (definition is not null)
        {
            Finish(definition);
            MaybeComponent(definition, maybeComponent);
        }
    }

    /// <summary><c>: T</c> after parameters, kept as the definition's return type.</summary>
    private void ParseReturnType(DefinitionBuilder? definition)
    {
        if (Eat(":"))
        {
            int typeStart = _tok.Start;
            SkipType();
            if (definition is not null)
            {
                definition.ReturnType = Text(typeStart, _prevEnd);
            }
        }
    }

    private void ParseTypeParameters(DefinitionBuilder? definition)
    {
        if (!Is("<"))
        {
            return;
        }
        Next();
        while (!Eat(">"))
        {
            int start = _tok.Start;
            while (_tok.Kind == TsTokenKind.Identifier && _tok.Text is "const" or "in" or "out" && Peek().Kind == TsTokenKind.Identifier)
            {
                Next();
            }
            ExpectIdentifier();
            if (EatWord("extends"))
            {
                SkipType();
            }
            if (Eat("="))
            {
                SkipType();
            }
            definition?.TypeParameters.Add(Text(start, _prevEnd));
            if (!Is(">"))
            {
                Expect(",");
            }
        }
    }

    private static readonly HashSet<string> ParameterModifiers = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "readonly", "override",
    };

    private void ParseParameters(DefinitionBuilder? definition, Scope scope, DefinitionBuilder? parameterPropertiesOf)
    {
        Expect("(");
        bool saved = _noIn;
        _noIn = false;
        while (!Eat(")"))
        {
            int start = _tok.Start;
            var decorators = Is("@") ? ParseDecorators(scope) : [];
            var modifiers = new List<string>();
            while (_tok.Kind == TsTokenKind.Identifier && ParameterModifiers.Contains(_tok.Text)
                && Peek() is var after && (after.Kind == TsTokenKind.Identifier || after is { Kind: TsTokenKind.Punctuator, Text: "{" or "[" or "..." }))
            {
                modifiers.Add(_tok.Text);
                Next();
            }
            bool rest = Eat("...");
            int nameStart = _tok.Start;
            bool isThis = IsWord("this");
            ParseBinding(scope, null);
            string name = Text(nameStart, _prevEnd);
            bool optional = Eat("?");
            string? type = null;
            if (Eat(":"))
            {
                int typeStart = _tok.Start;
                SkipType();
                type = Text(typeStart, _prevEnd);
            }
            string? defaultValue = null;
            if (Eat("="))
            {
                int valueStart = _tok.Start;
                ParseAssignment(scope);
                defaultValue = Text(valueStart, _prevEnd);
            }
            definition?.Parameters.Add(new ParameterInfo
            {
                Name = optional ? name + "?" : name,
                Kind = rest ? ParameterKinds.VarPositional : isThis ? ParameterKinds.This : ParameterKinds.Regular,
                Type = type,
                Default = defaultValue,
            });
            if (modifiers.Count > 0 && parameterPropertiesOf is { } owner)
            {
                // A parameter property: also a field of the class.
                var field = NewDefinition(DefinitionKinds.Field, name, owner.QualifiedName + "." + name, start, new Scope(owner, null));
                field.ReturnType = type;
                foreach (var decorator in decorators)
                {
                    field.Decorators.Add(decorator.Text);
                }
                foreach (var modifier in modifiers)
                {
                    if (modifier is "public" or "private" or "protected")
                    {
                        field.Visibility = modifier;
                    }
                    else
                    {
                        field.Modifiers.Add(modifier);
                    }
                }
                Finish(field);
            }
            if (!Is(")"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
    }
}
