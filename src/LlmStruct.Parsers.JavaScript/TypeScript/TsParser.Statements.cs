namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    private void ParseStatement(Scope scope, bool topLevel = false)
    {
        Enter();
        try
        {
            ParseStatementCore(scope, topLevel);
        }
        finally
        {
            Leave();
        }
    }

    private void ParseStatementCore(Scope scope, bool topLevel)
    {
        int start = _tok.Start;
        if (_tok.Kind == TsTokenKind.Punctuator)
        {
            switch (_tok.Text)
            {
                case "{":
                    ParseBlock(scope);
                    return;
                case ";":
                    Next();
                    return;
                case "@":
                    var decorators = ParseDecorators(scope);
                    ParseDeclarationAfterDecorators(scope, start, decorators);
                    return;
            }
        }
        if (_tok.Kind == TsTokenKind.Identifier && TryParseDeclaration(scope, start, topLevel, exported: false))
        {
            return;
        }
        if (_tok.Kind == TsTokenKind.Identifier)
        {
            switch (_tok.Text)
            {
                case "if":
                    Next();
                    ParseParenExpression(scope);
                    ParseStatement(scope);
                    if (EatWord("else"))
                    {
                        ParseStatement(scope);
                    }
                    return;
                case "for":
                    ParseFor(scope);
                    return;
                case "while":
                    Next();
                    ParseParenExpression(scope);
                    ParseStatement(scope);
                    return;
                case "do":
                    Next();
                    ParseStatement(scope);
                    if (!EatWord("while"))
                    {
                        throw Fail("'while' expected");
                    }
                    ParseParenExpression(scope);
                    Eat(";");
                    return;
                case "switch":
                    ParseSwitch(scope);
                    return;
                case "try":
                    ParseTry(scope);
                    return;
                case "return":
                {
                    Next();
                    if (!Is(";") && !Is("}") && !_tok.NewLineBefore && _tok.Kind != TsTokenKind.EndOfFile)
                    {
                        var value = ParseExpression(scope);
                        if (value.Jsx && scope.ReturnTarget is { } target)
                        {
                            target.ReturnsJsx = true;
                        }
                    }
                    Semicolon();
                    return;
                }
                case "throw":
                    Next();
                    ParseExpression(scope);
                    Semicolon();
                    return;
                case "break" or "continue":
                    Next();
                    if (_tok.Kind == TsTokenKind.Identifier && !_tok.NewLineBefore)
                    {
                        Next();
                    }
                    Semicolon();
                    return;
                case "debugger":
                    Next();
                    Semicolon();
                    return;
                case "with":
                    Next();
                    ParseParenExpression(scope);
                    ParseStatement(scope);
                    return;
            }
            if (Peek() is { Kind: TsTokenKind.Punctuator, Text: ":" } && !IsReservedWord(_tok.Text))
            {
                // A label.
                Next();
                Next();
                ParseStatement(scope);
                return;
            }
        }
        // An expression statement.
        var expression = ParseExpression(scope);
        _wasDirective = expression.Kind == ExprKind.StringLiteral;
        Semicolon();
    }

    private static bool IsReservedWord(string word) => word is "if" or "else" or "for" or "while" or "do" or "return" or "switch"
        or "case" or "default" or "try" or "catch" or "finally" or "throw" or "new" or "delete" or "typeof" or "void" or "in"
        or "instanceof" or "this" or "super" or "null" or "true" or "false" or "function" or "class" or "var" or "const"
        or "break" or "continue" or "debugger" or "with" or "export" or "import" or "extends";

    private void ParseBlock(Scope scope)
    {
        Expect("{");
        while (!Is("}"))
        {
            if (_tok.Kind == TsTokenKind.EndOfFile)
            {
                throw Fail("'}' expected");
            }
            ParseStatement(scope);
        }
        Next();
    }

    private void ParseParenExpression(Scope scope)
    {
        Expect("(");
        ParseExpression(scope);
        Expect(")");
    }

    private void ParseFor(Scope scope)
    {
        Next();
        EatWord("await");
        Expect("(");
        bool saved = _noIn;
        _noIn = true;
        try
        {
            if (Is(";"))
            {
                // no initializer
            }
            else if (IsVariableStart())
            {
                ParseVariableDeclarations(scope, _tok.Start, topLevel: false);
            }
            else
            {
                ParseExpression(scope);
            }
        }
        finally
        {
            _noIn = saved;
        }
        if (EatWord("of") || EatWord("in"))
        {
            ParseAssignment(scope);
        }
        else
        {
            Expect(";");
            if (!Is(";"))
            {
                ParseExpression(scope);
            }
            Expect(";");
            if (!Is(")"))
            {
                ParseExpression(scope);
            }
        }
        Expect(")");
        ParseStatement(scope);
    }

    private void ParseSwitch(Scope scope)
    {
        Next();
        ParseParenExpression(scope);
        Expect("{");
        while (!Eat("}"))
        {
            if (EatWord("case"))
            {
                ParseExpression(scope);
            }
            else if (!EatWord("default"))
            {
                throw Fail("'case' or 'default' expected");
            }
            Expect(":");
            while (!IsWord("case") && !IsWord("default") && !Is("}"))
            {
                if (_tok.Kind == TsTokenKind.EndOfFile)
                {
                    throw Fail("'}' expected");
                }
                ParseStatement(scope);
            }
        }
    }

    private void ParseTry(Scope scope)
    {
        Next();
        ParseBlock(scope);
        if (EatWord("catch"))
        {
            if (Eat("("))
            {
                ParseBinding(scope, null);
                if (Eat(":"))
                {
                    SkipType();
                }
                Expect(")");
            }
            ParseBlock(scope);
        }
        if (EatWord("finally"))
        {
            ParseBlock(scope);
        }
    }

    private bool IsVariableStart()
    {
        if (_tok.Kind != TsTokenKind.Identifier)
        {
            return false;
        }
        switch (_tok.Text)
        {
            case "var" or "const":
                return true;
            case "let":
            {
                var next = Peek();
                return next.Kind == TsTokenKind.Identifier || next is { Kind: TsTokenKind.Punctuator, Text: "[" or "{" };
            }
            case "using":
            {
                var next = Peek();
                return next.Kind == TsTokenKind.Identifier && !next.NewLineBefore && next.Text is not ("in" or "of" or "instanceof");
            }
            case "await":
            {
                var state = Save();
                Next();
                bool isUsing = IsWord("using") && !_tok.NewLineBefore && Peek() is { Kind: TsTokenKind.Identifier, NewLineBefore: false };
                Restore(state);
                return isUsing;
            }
        }
        return false;
    }
}
