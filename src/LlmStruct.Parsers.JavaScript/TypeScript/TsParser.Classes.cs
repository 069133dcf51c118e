using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Extraction;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    private static readonly HashSet<string> ComponentBases = new(StringComparer.Ordinal)
    {
        "Component", "PureComponent", "React.Component", "React.PureComponent",
    };

    private static readonly HashSet<string> MemberModifiers = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "static", "readonly", "abstract", "override", "declare", "accessor", "async",
    };

    private Expr ParseClassExpression(Scope scope, Hint? hint, int start, ImmutableArray<(string Text, int Start)> decorators)
    {
        var peek = Peek();
        bool named = peek.Kind == TsTokenKind.Identifier && peek.Text is not ("extends" or "implements");
        DefinitionBuilder definition;
        if (hint is not null)
        {
            definition = NewDefinition(DefinitionKinds.Class, hint.Name, hint.QualifiedName, Math.Min(hint.Start, start), HintScope(hint, scope));
            _hinted = definition;
        }
        else if (named)
        {
            definition = NewDefinition(DefinitionKinds.Class, peek.Text, scope.Prefix + peek.Text, start, scope);
        }
        else
        {
            // An anonymous class expression that is not bound: read, but it defines nothing.
            definition = new DefinitionBuilder { Kind = DefinitionKinds.Class, Name = "class", QualifiedName = scope.Prefix + "class" };
        }
        foreach (var decorator in decorators)
        {
            definition.Decorators.Add(decorator.Text);
        }
        Next(); // class
        if (named)
        {
            Next();
        }
        ParseClassBody(definition, scope);
        return new Expr(ExprKind.Class, start, _prevEnd, Defined: hint is not null);
    }

    /// <summary>After <c>class Name</c>: type parameters, heritage and the body.</summary>
    private void ParseClassBody(DefinitionBuilder definition, Scope scope)
    {
        ParseTypeParameters(definition);
        if (EatWord("extends"))
        {
            int baseStart = _tok.Start;
            ParseLeftHandSide(scope, allowCall: true);
            definition.Bases.Add(Text(baseStart, _prevEnd));
            if (Is("<"))
            {
                SkipBalanced();
            }
        }
        if (EatWord("implements"))
        {
            do
            {
                int typeStart = _tok.Start;
                SkipType();
                definition.Bases.Add(Text(typeStart, _prevEnd));
            }
            while (Eat(","));
        }
        var inner = new Scope(definition, null);
        Expect("{");
        while (!Eat("}"))
        {
            if (_tok.Kind == TsTokenKind.EndOfFile)
            {
                throw Fail("'}' expected");
            }
            if (Eat(";"))
            {
                continue;
            }
            ParseClassMember(definition, inner);
        }
        Finish(definition);
        if (definition.Bases.Count >= 1 && ComponentBases.Contains(definition.Bases[0])
            && definition.Children.Any(c => c.Name == "render" && c.ReturnsJsx))
        {
            definition.Kind = DefinitionKinds.Component;
        }
    }

    private void ParseClassMember(DefinitionBuilder owner, Scope scope)
    {
        int start = _tok.Start;
        var decorators = Is("@") ? ParseDecorators(scope) : [];
        var modifiers = new List<string>();
        while (_tok.Kind == TsTokenKind.Identifier && MemberModifiers.Contains(_tok.Text) && IsModifierHere())
        {
            modifiers.Add(_tok.Text);
            Next();
        }
        if (modifiers.Contains("static") && Is("{"))
        {
            ParseBlock(scope);
            return;
        }
        if (Is("[") && IsIndexSignature())
        {
            SkipBalanced();
            if (Eat(":"))
            {
                SkipType();
            }
            Semicolon();
            return;
        }
        bool generator = Eat("*");
        string? accessor = null;
        if ((IsWord("get") || IsWord("set")) && IsMemberNameAfter(allowStar: false))
        {
            accessor = _tok.Text;
            Next();
        }
        bool constructorName = IsWord("constructor") || (_tok.Kind == TsTokenKind.String && StringValue(_tok) == "constructor");
        bool isPrivateName = _tok.Kind == TsTokenKind.PrivateName;
        var (name, _) = ParsePropertyName(scope);
        bool optional = Eat("?");
        Eat("!");
        if (Is("(") || Is("<"))
        {
            string kind = constructorName && accessor is null ? DefinitionKinds.Constructor
                : accessor is not null ? DefinitionKinds.Property : DefinitionKinds.Method;
            var definition = NewMember(kind, name, owner, start, scope, decorators, modifiers, isPrivateName);
            if (generator)
            {
                definition.Modifiers.Add("generator");
            }
            if (accessor is not null)
            {
                definition.Modifiers.Add(accessor);
            }
            if (optional)
            {
                definition.Modifiers.Add("optional");
            }
            ParseFunctionRest(definition, scope, arrow: false, maybeComponent: false,
                parameterPropertiesOf: kind == DefinitionKinds.Constructor ? owner : null);
            return;
        }
        // A field; one holding a function or arrow is a method (as in JavaScript).
        string? type = null;
        if (Eat(":"))
        {
            int typeStart = _tok.Start;
            SkipType();
            type = Text(typeStart, _prevEnd);
        }
        DefinitionBuilder member;
        if (Eat("="))
        {
            _hinted = null;
            int memberCount = owner.Children.Count;
            var hint = new Hint(name, owner.QualifiedName + "." + name, start, DefinitionKinds.Method, null, Objects: false, Classes: false);
            var value = ParseAssignment(scope, hint);
            if (value.Defined && _hinted is { } hinted && owner.Children.Count > memberCount)
            {
                member = hinted;
                ApplyMember(member, decorators, modifiers, isPrivateName);
            }
            else
            {
                member = NewMember(DefinitionKinds.Field, name, owner, start, scope, decorators, modifiers, isPrivateName);
            }
        }
        else
        {
            member = NewMember(DefinitionKinds.Field, name, owner, start, scope, decorators, modifiers, isPrivateName);
        }
        if (member.Kind == DefinitionKinds.Field)
        {
            member.ReturnType = type;
            if (optional)
            {
                member.Modifiers.Add("optional");
            }
        }
        Semicolon();
        Finish(member);
    }

    private DefinitionBuilder NewMember(string kind, string name, DefinitionBuilder owner, int start, Scope scope,
        ImmutableArray<(string Text, int Start)> decorators, List<string> modifiers, bool isPrivateName)
    {
        var definition = NewDefinition(kind, name, owner.QualifiedName + "." + name, start, scope);
        ApplyMember(definition, decorators, modifiers, isPrivateName);
        return definition;
    }

    private static void ApplyMember(DefinitionBuilder definition, ImmutableArray<(string Text, int Start)> decorators, List<string> modifiers, bool isPrivateName)
    {
        foreach (var decorator in decorators)
        {
            definition.Decorators.Add(decorator.Text);
        }
        foreach (var modifier in modifiers)
        {
            switch (modifier)
            {
                case "static":
                    definition.Static = true;
                    break;
                case "async":
                    definition.Async = true;
                    break;
                case "public" or "private" or "protected":
                    definition.Visibility = modifier;
                    break;
                default:
                    definition.Modifiers.Add(modifier);
                    break;
            }
        }
        if (isPrivateName)
        {
            definition.Visibility = "private";
        }
    }

    /// <summary>A modifier word is a modifier when a member name (or <c>{</c> after <c>static</c>) follows on the same line.</summary>
    private bool IsModifierHere()
    {
        var next = Peek();
        if (next.NewLineBefore && _tok.Text is "async" or "accessor" or "declare" or "abstract")
        {
            return false;
        }
        return next.Kind is TsTokenKind.Identifier or TsTokenKind.String or TsTokenKind.Number or TsTokenKind.PrivateName
            || (next.Kind == TsTokenKind.Punctuator && next.Text is "[" or "*" or "#" || (next is { Kind: TsTokenKind.Punctuator, Text: "{" } && _tok.Text == "static"));
    }

    /// <summary><c>[key: T]</c> (an index signature) rather than a computed name.</summary>
    private bool IsIndexSignature()
    {
        var state = Save();
        try
        {
            Next();
            while (_tok.Kind == TsTokenKind.Identifier && _tok.Text is "readonly" or "public" or "private" or "protected" or "static"
                && Peek().Kind == TsTokenKind.Identifier)
            {
                Next();
            }
            if (_tok.Kind != TsTokenKind.Identifier)
            {
                return false;
            }
            Next();
            return Is(":") || Is(",");
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

    /// <summary>An interface body: method signatures are methods, property signatures fields, accessors properties.</summary>
    private void ParseTypeMembers(DefinitionBuilder owner, Scope scope)
    {
        Expect("{");
        while (!Eat("}"))
        {
            if (_tok.Kind == TsTokenKind.EndOfFile)
            {
                throw Fail("'}' expected");
            }
            int start = _tok.Start;
            DefinitionBuilder? member = null;
            if (Is("(") || Is("<"))
            {
                ParseSignatureRest(null, scope);
            }
            else if (IsWord("new") && Peek() is { Kind: TsTokenKind.Punctuator, Text: "(" or "<" })
            {
                Next();
                ParseSignatureRest(null, scope);
            }
            else if (Is("[") && IsIndexSignature())
            {
                SkipBalanced();
                Eat("?");
                if (Eat(":"))
                {
                    SkipType();
                }
            }
            else
            {
                bool isReadonly = false;
                if (IsWord("readonly") && IsMemberNameAfter(allowStar: false))
                {
                    Next();
                    isReadonly = true;
                    if (Is("[") && IsIndexSignature())
                    {
                        SkipBalanced();
                        if (Eat(":"))
                        {
                            SkipType();
                        }
                        TypeMemberEnd();
                        continue;
                    }
                }
                string? accessor = null;
                if ((IsWord("get") || IsWord("set")) && IsMemberNameAfter(allowStar: false))
                {
                    accessor = _tok.Text;
                    Next();
                }
                var (name, _) = ParsePropertyName(scope);
                bool optional = Eat("?");
                if (Is("(") || Is("<"))
                {
                    member = NewDefinition(accessor is null ? DefinitionKinds.Method : DefinitionKinds.Property, name, owner.QualifiedName + "." + name, start, scope);
                    if (accessor is not null)
                    {
                        member.Modifiers.Add(accessor);
                    }
                    ParseSignatureRest(member, scope);
                }
                else
                {
                    member = NewDefinition(DefinitionKinds.Field, name, owner.QualifiedName + "." + name, start, scope);
                    if (Eat(":"))
                    {
                        int typeStart = _tok.Start;
                        SkipType();
                        member.ReturnType = Text(typeStart, _prevEnd);
                    }
                }
                if (isReadonly)
                {
                    member.Modifiers.Add("readonly");
                }
                if (optional)
                {
                    member.Modifiers.Add("optional");
                }
            }
            TypeMemberEnd();
            if (member is not null)
            {
                Finish(member);
            }
        }
    }

    private void TypeMemberEnd()
    {
        if (Eat(";") || Eat(","))
        {
            return;
        }
        if (!_tok.NewLineBefore && !Is("}"))
        {
            throw Fail("';' expected");
        }
    }

    private void ParseSignatureRest(DefinitionBuilder? definition, Scope scope)
    {
        ParseTypeParameters(definition);
        ParseParameters(definition, scope, null);
        ParseReturnType(definition);
    }

    // ---- JSX (TSX files) ----

    /// <summary>A JSX element or fragment starting at the current <c>&lt;</c>; calls and callbacks inside its expressions are read.</summary>
    private Expr ParseJsx(Scope scope)
    {
        int start = _tok.Start;
        _lexer.Position = _tok.End;
        ParseJsxElementAfterLessThan(scope);
        // Back to ordinary tokens after the element.
        _prevEnd = _lexer.Position;
        _tok = _lexer.Next(false);
        if (_tok.Kind == TsTokenKind.Invalid)
        {
            throw Fail($"invalid character '{_tok.Text}'");
        }
        return new Expr(ExprKind.Other, start, _prevEnd, Jsx: true);
    }

    private void ParseJsxElementAfterLessThan(Scope scope)
    {
        Enter();
        try
        {
            SkipJsxSpace();
            if (CharHere() == '>')
            {
                _lexer.Position++;
                ParseJsxChildren(scope, "");
                return;
            }
            string name = ReadJsxName();
            if (CharHere() == '<')
            {
                // type arguments: <Foo<T> …>
                SyncToken();
                SkipBalanced();
                _lexer.Position = _tok.Start;
            }
            while (true)
            {
                SkipJsxSpace();
                char c = CharHere();
                if (c == '/')
                {
                    _lexer.Position++;
                    SkipJsxSpace();
                    ExpectChar('>');
                    return;
                }
                if (c == '>')
                {
                    _lexer.Position++;
                    ParseJsxChildren(scope, name);
                    return;
                }
                if (c == '{')
                {
                    ParseJsxExpressionContainer(scope);
                    continue;
                }
                if (_lexer.ScanJsxIdentifier() is null)
                {
                    throw new TsSyntaxError(_lexer.Position, "JSX attribute expected");
                }
                if (CharHere() == ':')
                {
                    _lexer.Position++;
                    _lexer.ScanJsxIdentifier();
                }
                SkipJsxSpace();
                if (CharHere() != '=')
                {
                    continue;
                }
                _lexer.Position++;
                SkipJsxSpace();
                c = CharHere();
                if (c is '"' or '\'')
                {
                    _lexer.ScanJsxString();
                }
                else if (c == '{')
                {
                    ParseJsxExpressionContainer(scope);
                }
                else if (c == '<')
                {
                    _lexer.Position++;
                    ParseJsxElementAfterLessThan(scope);
                }
                else
                {
                    throw new TsSyntaxError(_lexer.Position, "JSX attribute value expected");
                }
            }
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Children up to the closing tag, which must name <paramref name="name"/> ("" for a fragment).</summary>
    private void ParseJsxChildren(Scope scope, string name)
    {
        while (true)
        {
            if (!_lexer.ScanJsxText(out int stray))
            {
                throw new TsSyntaxError(_lexer.Position, "JSX closing tag expected (end of file)");
            }
            if (stray >= 0)
            {
                throw new TsSyntaxError(stray, $"unexpected '{_source[stray]}' in JSX text");
            }
            if (CharHere() == '{')
            {
                ParseJsxExpressionContainer(scope);
                continue;
            }
            // '<'
            _lexer.Position++;
            SkipJsxSpace();
            if (CharHere() == '/')
            {
                _lexer.Position++;
                SkipJsxSpace();
                int closingAt = _lexer.Position;
                string closing = "";
                if (CharHere() != '>')
                {
                    closing = ReadJsxName();
                    SkipJsxSpace();
                }
                if (closing != name)
                {
                    throw new TsSyntaxError(closingAt, name.Length == 0 ? "'</>' expected" : $"closing tag for '{name}' expected");
                }
                ExpectChar('>');
                return;
            }
            ParseJsxElementAfterLessThan(scope);
        }
    }

    /// <summary>A JSX tag name (<c>a</c>, <c>A.B</c>, <c>ns:a</c>), returned without white space.</summary>
    private string ReadJsxName()
    {
        var first = _lexer.ScanJsxIdentifier() ?? throw new TsSyntaxError(_lexer.Position, "JSX element name expected");
        var name = new System.Text.StringBuilder(first.Text);
        while (CharHere() is '.' or ':')
        {
            name.Append(CharHere());
            _lexer.Position++;
            var part = _lexer.ScanJsxIdentifier() ?? throw new TsSyntaxError(_lexer.Position, "JSX element name expected");
            name.Append(part.Text);
        }
        return name.ToString();
    }

    /// <summary><c>{expr}</c>, <c>{...expr}</c> or <c>{/* comment */}</c> at the current character.</summary>
    private void ParseJsxExpressionContainer(Scope scope)
    {
        SyncToken(); // {
        Next();
        if (!Is("}"))
        {
            Eat("...");
            bool saved = _noIn;
            _noIn = false;
            ParseExpression(scope);
            _noIn = saved;
        }
        if (!Is("}"))
        {
            throw Fail("'}' expected in JSX");
        }
        _lexer.Position = _tok.End;
    }

    /// <summary>Scans an ordinary token at the lexer's position into the current token.</summary>
    private void SyncToken()
    {
        _prevEnd = _lexer.Position;
        _tok = _lexer.Next(false);
    }

    private void SkipJsxSpace()
    {
        while (_lexer.Position < _source.Length && TextOf.IsSpace(_source[_lexer.Position]))
        {
            _lexer.Position++;
        }
        // Comments between attributes.
        if (_lexer.Position + 1 < _source.Length && _source[_lexer.Position] == '/' && _source[_lexer.Position + 1] is '*' or '/')
        {
            int end = _source[_lexer.Position + 1] == '*' ? _source.IndexOf("*/", _lexer.Position + 2, StringComparison.Ordinal) : _source.IndexOf('\n', _lexer.Position);
            if (end < 0)
            {
                throw new TsSyntaxError(_lexer.Position, "unterminated comment");
            }
            _lexer.Position = _source[_lexer.Position + 1] == '*' ? end + 2 : end;
            SkipJsxSpace();
        }
    }

    private char CharHere() => _lexer.Position < _source.Length ? _source[_lexer.Position] : '\0';

    private void ExpectChar(char c)
    {
        if (CharHere() != c)
        {
            throw new TsSyntaxError(_lexer.Position, $"'{c}' expected in JSX");
        }
        _lexer.Position++;
    }
}
