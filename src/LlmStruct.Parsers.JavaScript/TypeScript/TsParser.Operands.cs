using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    private Expr ParseLeftHandSide(Scope scope, bool allowCall, Hint? hint = null)
    {
        int start = _tok.Start;
        Expr expression;
        if (IsWord("new"))
        {
            Next();
            if (Eat("."))
            {
                ExpectIdentifier(); // new.target
                expression = new Expr(ExprKind.Other, start, _prevEnd);
            }
            else
            {
                int calleeStart = _tok.Start;
                var callee = ParseLeftHandSide(scope, allowCall: false);
                int calleeEnd = _prevEnd;
                if (Is("<"))
                {
                    TryTypeArguments(forNew: true);
                }
                // Recorded before the arguments, so a call's first line is its outermost use (as a tree walk finds it).
                if (callee.Kind is not (ExprKind.Function or ExprKind.Class or ExprKind.Arrow))
                {
                    RecordCall(scope, calleeStart, calleeEnd);
                }
                if (Is("("))
                {
                    ParseArguments(scope);
                }
                expression = new Expr(ExprKind.Other, start, _prevEnd);
            }
        }
        else
        {
            expression = ParsePrimary(scope, hint);
        }
        string? path = expression.Kind == ExprKind.Identifier ? expression.Path : null;
        bool isThis = expression.Kind == ExprKind.This;
        int calleeEndOffset = _prevEnd;
        while (true)
        {
            if (Is("."))
            {
                Next();
                if (_tok.Kind is not (TsTokenKind.Identifier or TsTokenKind.PrivateName))
                {
                    throw Fail("property name expected");
                }
                string name = _tok.Text;
                bool plain = _tok.Kind == TsTokenKind.Identifier;
                Next();
                if (isThis && plain)
                {
                    expression = new Expr(ExprKind.ThisMember, start, _prevEnd, name);
                    isThis = false;
                    path = null;
                }
                else
                {
                    path = path is not null && plain ? path + "." + name : null;
                    expression = new Expr(path is null ? ExprKind.Other : ExprKind.Member, start, _prevEnd, path);
                }
                calleeEndOffset = _prevEnd;
                continue;
            }
            isThis = false;
            if (Is("?."))
            {
                Next();
                path = null;
                if (Is("("))
                {
                    expression = ParseCall(scope, start, calleeEndOffset, expression);
                }
                else if (Is("["))
                {
                    Next();
                    ParseExpression(scope);
                    Expect("]");
                }
                else if (Is("<"))
                {
                    TryTypeArguments(forNew: false);
                    expression = ParseCall(scope, start, calleeEndOffset, expression);
                }
                else if (_tok.Kind is TsTokenKind.Identifier or TsTokenKind.PrivateName)
                {
                    Next();
                }
                else
                {
                    throw Fail("property name expected");
                }
                expression = expression with { Kind = ExprKind.Other, End = _prevEnd, Path = null };
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (Is("["))
            {
                Next();
                ParseExpression(scope);
                Expect("]");
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (Is("!") && !_tok.NewLineBefore)
            {
                Next();
                RescanDivision();
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (_tok.Kind is TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead)
            {
                ParseTemplate(scope);
                path = null;
                expression = new Expr(ExprKind.Other, start, _prevEnd);
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (allowCall && Is("("))
            {
                expression = ParseCall(scope, start, calleeEndOffset, expression);
                path = null;
                calleeEndOffset = _prevEnd;
                continue;
            }
            if (allowCall && Is("<") && TryTypeArguments(forNew: false))
            {
                // f<T>(…) keeps the callee's text without its type arguments.
                continue;
            }
            break;
        }
        return expression;
    }

    /// <summary>After a postfix <c>!</c>, <c>++</c> or <c>--</c> an operator follows: a <c>/</c> scanned as a regular expression is division.</summary>
    private void RescanDivision()
    {
        if (_tok.Kind == TsTokenKind.Regex)
        {
            if (_lexer.Error?.Offset == _tok.Start)
            {
                _lexer.Error = null;
            }
            _lexer.Position = _tok.Start;
            _tok = _lexer.Next(false);
        }
    }

    private Expr ParseCall(Scope scope, int start, int calleeEnd, Expr callee)
    {
        // Recorded before the arguments, so a call's first line is its outermost use (as a tree walk finds it).
        if (callee.Kind is not (ExprKind.Function or ExprKind.Class or ExprKind.Arrow))
        {
            RecordCall(scope, start, calleeEnd);
        }
        var (count, firstString) = ParseArguments(scope);
        if (callee.Kind == ExprKind.Identifier && callee.Path == "require" && count == 1 && firstString is { } module)
        {
            _requireAt[start] = _imports.Count;
            AddImport(new ImportInfo { Module = module, Kind = "require", Line = LineOf(start) }, start);
            return new Expr(ExprKind.Require, start, _prevEnd);
        }
        return new Expr(ExprKind.Call, start, _prevEnd);
    }

    /// <summary><c>&lt;T, U&gt;</c> after an expression, kept only when what follows makes them type arguments (as the reference parser decides).</summary>
    private bool TryTypeArguments(bool forNew)
    {
        var state = Save();
        try
        {
            Next();
            SkipType();
            while (Eat(","))
            {
                SkipType();
            }
            if (!Is(">"))
            {
                Restore(state);
                return false;
            }
            Next();
            if (forNew || CanFollowTypeArguments())
            {
                return true;
            }
        }
        catch (TsSyntaxError)
        {
        }
        Restore(state);
        return false;
    }

    private bool CanFollowTypeArguments()
    {
        if (Is("(") || _tok.Kind is TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead)
        {
            return true;
        }
        if (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is "<" or ">" or "+" or "-")
        {
            return false;
        }
        if (_tok.NewLineBefore || _tok.Kind == TsTokenKind.EndOfFile)
        {
            return true;
        }
        if (BinaryOperator() is not null)
        {
            return true;
        }
        return !StartsExpression(_tok);
    }

    /// <summary>Arguments; how many, and the first one's text when it is a plain string literal.</summary>
    private (int Count, string? FirstString) ParseArguments(Scope scope)
    {
        Expect("(");
        int count = 0;
        string? firstString = null;
        bool saved = _noIn;
        _noIn = false;
        while (!Eat(")"))
        {
            Eat("...");
            var token = _tok;
            var argument = ParseAssignment(scope);
            if (count == 0 && argument.Start == token.Start && argument.End == token.End
                && token.Kind is TsTokenKind.String or TsTokenKind.NoSubstitutionTemplate)
            {
                firstString = StringValue(token);
            }
            count++;
            if (!Is(")"))
            {
                Expect(",");
            }
        }
        _noIn = saved;
        return (count, firstString);
    }

    private void ParseTemplate(Scope scope)
    {
        if (_tok.Kind == TsTokenKind.NoSubstitutionTemplate)
        {
            Next();
            return;
        }
        while (true)
        {
            Next();
            ParseExpression(scope);
            if (!Is("}"))
            {
                throw Fail("'}' expected in template");
            }
            _tok = _lexer.RescanTemplateContinuation(_tok.Start);
            if (_tok.Kind == TsTokenKind.TemplateTail)
            {
                Next();
                return;
            }
        }
    }

    private Expr ParsePrimary(Scope scope, Hint? hint)
    {
        int start = _tok.Start;
        switch (_tok.Kind)
        {
            case TsTokenKind.Identifier:
                switch (_tok.Text)
                {
                    case "function":
                        return ParseFunctionExpression(scope, WholeHint(hint, ExprKind.Function));
                    case "async" when Peek() is { Kind: TsTokenKind.Identifier, Text: "function", NewLineBefore: false }:
                        return ParseFunctionExpression(scope, WholeHint(hint, ExprKind.Function));
                    case "class":
                        return ParseClassExpression(scope, WholeHint(hint, ExprKind.Class), start, []);
                    case "this":
                        Next();
                        return new Expr(ExprKind.This, start, _prevEnd);
                    case "import":
                    {
                        Next();
                        if (Eat("."))
                        {
                            ExpectIdentifier();
                            return new Expr(ExprKind.Other, start, _prevEnd);
                        }
                        var (count, module) = ParseArguments(scope);
                        if (count >= 1 && module is not null)
                        {
                            AddImport(new ImportInfo { Module = module, Kind = "dynamic", Line = LineOf(start) }, start);
                        }
                        return new Expr(ExprKind.Other, start, _prevEnd);
                    }
                }
                string name = _tok.Text;
                if (NotAnExpression.Contains(name))
                {
                    throw Fail("expression expected");
                }
                Next();
                return new Expr(ExprKind.Identifier, start, _prevEnd, name);
            case TsTokenKind.String:
                Next();
                return new Expr(ExprKind.StringLiteral, start, _prevEnd);
            case TsTokenKind.Number or TsTokenKind.Regex or TsTokenKind.PrivateName:
                Next();
                return new Expr(ExprKind.Other, start, _prevEnd);
            case TsTokenKind.NoSubstitutionTemplate or TsTokenKind.TemplateHead:
                ParseTemplate(scope);
                return new Expr(ExprKind.Other, start, _prevEnd);
        }
        switch (_tok.Text)
        {
            case "/" or "/=":
                _tok = _lexer.RescanRegex(_tok.Start, _tok.NewLineBefore);
                Next();
                return new Expr(ExprKind.Other, start, _prevEnd);
            case "(":
            {
                var inner = WholeHint(hint, ExprKind.Other);
                Next();
                bool saved = _noIn;
                _noIn = false;
                var value = inner is null ? ParseExpression(scope) : ParseAssignment(scope, inner);
                if (inner is not null && Is(","))
                {
                    while (Eat(","))
                    {
                        ParseAssignment(scope);
                    }
                }
                _noIn = saved;
                Expect(")");
                return new Expr(ExprKind.Other, start, _prevEnd, Jsx: value.Jsx, Defined: value.Defined);
            }
            case "[":
            {
                Next();
                bool saved = _noIn;
                _noIn = false;
                while (!Eat("]"))
                {
                    if (Eat(","))
                    {
                        continue;
                    }
                    Eat("...");
                    ParseAssignment(scope);
                    if (!Is("]"))
                    {
                        Expect(",");
                    }
                }
                _noIn = saved;
                return new Expr(ExprKind.Other, start, _prevEnd);
            }
            case "{":
                return ParseObject(scope, WholeHint(hint, ExprKind.Object));
            case "@":
            {
                var decorators = ParseDecorators(scope);
                if (!IsWord("class"))
                {
                    throw Fail("'class' expected after decorators");
                }
                return ParseClassExpression(scope, WholeHint(hint, ExprKind.Class), start, decorators);
            }
            case "<" when _jsx:
                return ParseJsx(scope);
        }
        throw Fail("expression expected");
    }

    /// <summary>Reserved words that cannot start an expression (those that can are parsed before this check).</summary>
    private static readonly HashSet<string> NotAnExpression = new(StringComparer.Ordinal)
    {
        "in", "instanceof", "case", "default", "else", "catch", "finally", "extends", "do", "while", "for", "if", "return",
        "switch", "try", "throw", "var", "const", "break", "continue", "debugger", "with", "export",
    };

    /// <summary>The hint when the value starting here is the whole value (nothing but the end of the expression follows it).</summary>
    private Hint? WholeHint(Hint? hint, ExprKind kind)
    {
        if (hint is null || (kind == ExprKind.Object && !hint.Objects) || (kind == ExprKind.Class && !hint.Classes))
        {
            return null;
        }
        var state = Save();
        try
        {
            switch (kind)
            {
                case ExprKind.Function:
                    EatWord("async");
                    Next(); // function
                    Eat("*");
                    if (_tok.Kind == TsTokenKind.Identifier)
                    {
                        Next();
                    }
                    if (Is("<"))
                    {
                        SkipBalanced();
                    }
                    SkipBalanced();
                    if (Eat(":"))
                    {
                        SkipType();
                    }
                    SkipBalanced();
                    break;
                case ExprKind.Class:
                    while (!Is("{"))
                    {
                        if (_tok.Kind == TsTokenKind.EndOfFile)
                        {
                            return null;
                        }
                        if (Is("(") || Is("["))
                        {
                            SkipBalanced();
                        }
                        else
                        {
                            Next();
                        }
                    }
                    SkipBalanced();
                    break;
                default:
                    SkipBalanced();
                    break;
            }
            bool whole = _tok.Kind == TsTokenKind.EndOfFile
                || (_tok.Kind == TsTokenKind.Punctuator && _tok.Text is ";" or "," or ")" or "]" or "}" or ":")
                || (_tok.NewLineBefore && _tok.Kind switch
                {
                    TsTokenKind.Identifier => _tok.Text is not ("as" or "satisfies" or "in" or "instanceof"),
                    TsTokenKind.String or TsTokenKind.Number or TsTokenKind.PrivateName => true,
                    TsTokenKind.Punctuator => _tok.Text is "{" or "@" or "!" or "~" or "++" or "--",
                    _ => false,
                });
            return whole ? hint : null;
        }
        catch (TsSyntaxError)
        {
            return null;
        }
        finally
        {
            Restore(state);
        }
    }

    private Scope HintScope(Hint hint, Scope scope) => hint.Owner is { } owner ? scope with { Owner = owner } : scope;
}
