namespace LlmStruct.Parsers.JavaScript.TypeScript;

internal sealed partial class TsParser
{
    /// <summary>
    /// Skips one type: unions, intersections, conditional types, function and constructor types, type operators,
    /// references with type arguments, literals, template literal types, and bracketed groups (object types, tuples,
    /// mapped types) skipped as balanced brackets. An arrow's return type ends before the arrow's <c>=&gt;</c> by itself
    /// (a function type's <c>=&gt;</c> follows its parenthesised parameters). <paramref name="noConditional"/>: inside
    /// a conditional type's <c>extends</c> clause.
    /// </summary>
    private void SkipType(bool noConditional = false)
    {
        Enter();
        bool savedDisallow = _disallowConditional;
        _disallowConditional = noConditional;
        try
        {
            if (SkipFunctionType())
            {
                return;
            }
            SkipUnion();
            if (!noConditional && IsWord("extends") && !_tok.NewLineBefore)
            {
                Next();
                SkipType(noConditional: true);
                Expect("?");
                SkipType();
                Expect(":");
                SkipType();
            }
        }
        finally
        {
            _disallowConditional = savedDisallow;
            Leave();
        }
    }

    /// <summary>Inside a conditional type's <c>extends</c> clause (where <c>infer U extends C</c> keeps its constraint).</summary>
    private bool _disallowConditional;

    /// <summary><c>(…) =&gt; T</c>, <c>&lt;T&gt;(…) =&gt; T</c>, <c>new (…) =&gt; T</c>, <c>abstract new …</c>; false (nothing consumed) otherwise.</summary>
    private bool SkipFunctionType()
    {
        if (IsWord("abstract") && Peek() is { Kind: TsTokenKind.Identifier, Text: "new" })
        {
            Next();
        }
        if (IsWord("new") && Peek() is { Kind: TsTokenKind.Punctuator, Text: "(" or "<" })
        {
            Next();
            SkipFunctionTypeRest();
            return true;
        }
        if (Is("<"))
        {
            SkipFunctionTypeRest();
            return true;
        }
        if (Is("("))
        {
            var state = Save();
            SkipBalanced();
            if (Is("=>"))
            {
                Next();
                SkipType();
                return true;
            }
            Restore(state);
        }
        return false;
    }

    private void SkipFunctionTypeRest()
    {
        if (Is("<"))
        {
            SkipBalanced();
        }
        if (!Is("("))
        {
            throw Fail("'(' expected");
        }
        SkipBalanced();
        Expect("=>");
        SkipType();
    }

    private void SkipUnion()
    {
        Eat("|");
        SkipIntersection();
        while (Eat("|"))
        {
            SkipIntersection();
        }
    }

    private void SkipIntersection()
    {
        Eat("&");
        SkipTypeOperator();
        while (Eat("&"))
        {
            SkipTypeOperator();
        }
    }

    private void SkipTypeOperator()
    {
        Enter();
        try
        {
            if (_tok.Kind == TsTokenKind.Identifier && _tok.Text is "keyof" or "unique" or "readonly"
                && Peek() is var next && !(next.Kind == TsTokenKind.Punctuator && next.Text is "," or ")" or "]" or ">" or "=" or ";" or "|" or "&" or "}" or "?" or ":"))
            {
                Next();
                SkipTypeOperator();
                return;
            }
            if (IsWord("infer") && Peek().Kind == TsTokenKind.Identifier)
            {
                Next();
                Next();
                if (IsWord("extends"))
                {
                    // `infer U extends C` unless that `extends` is the enclosing conditional's.
                    bool keep = _disallowConditional;
                    var state = Save();
                    try
                    {
                        Next();
                        SkipType(noConditional: true);
                        if (Is("?") && !keep)
                        {
                            Restore(state);
                        }
                    }
                    catch (TsSyntaxError)
                    {
                        Restore(state);
                    }
                }
                return;
            }
            SkipPrimaryType();
            while (Is("[") && !_tok.NewLineBefore)
            {
                SkipBalanced();
            }
        }
        finally
        {
            Leave();
        }
    }

    private void SkipPrimaryType()
    {
        switch (_tok.Kind)
        {
            case TsTokenKind.Identifier:
                if (_tok.Text == "asserts" && Peek() is { Kind: TsTokenKind.Identifier, NewLineBefore: false })
                {
                    Next();
                    Next();
                    if (IsWord("is") && !_tok.NewLineBefore)
                    {
                        Next();
                        SkipType();
                    }
                    return;
                }
                if (_tok.Text == "typeof")
                {
                    Next();
                    if (IsWord("import"))
                    {
                        SkipImportType();
                        return;
                    }
                    SkipEntityName();
                    if (Is("<") && !_tok.NewLineBefore)
                    {
                        SkipBalanced();
                    }
                    return;
                }
                if (_tok.Text == "import" && Peek() is { Kind: TsTokenKind.Punctuator, Text: "(" })
                {
                    SkipImportType();
                    return;
                }
                SkipEntityName();
                if (Is("<") && !_tok.NewLineBefore)
                {
                    SkipBalanced();
                }
                if (IsWord("is") && !_tok.NewLineBefore)
                {
                    Next();
                    SkipType();
                }
                return;
            case TsTokenKind.String or TsTokenKind.Number or TsTokenKind.NoSubstitutionTemplate:
                Next();
                return;
            case TsTokenKind.TemplateHead:
                while (true)
                {
                    Next();
                    SkipType();
                    if (!Is("}"))
                    {
                        throw Fail("'}' expected in template literal type");
                    }
                    _tok = _lexer.RescanTemplateContinuation(_tok.Start);
                    if (_tok.Kind == TsTokenKind.TemplateTail)
                    {
                        Next();
                        return;
                    }
                }
        }
        if (Is("-") && Peek().Kind == TsTokenKind.Number)
        {
            Next();
            Next();
            return;
        }
        if (Is("{") || Is("[") || Is("("))
        {
            SkipBalanced();
            return;
        }
        if (Is("*") || Is("?"))
        {
            // JSDoc-style types in .d.ts files written for JS.
            Next();
            return;
        }
        throw Fail("type expected");
    }

    private void SkipImportType()
    {
        Next(); // import
        SkipBalanced();
        while (Eat("."))
        {
            ExpectIdentifier();
        }
        if (Is("<") && !_tok.NewLineBefore)
        {
            SkipBalanced();
        }
    }

    private void SkipEntityName()
    {
        ExpectIdentifier();
        while (Is(".") && Peek().Kind == TsTokenKind.Identifier)
        {
            Next();
            Next();
        }
    }

    /// <summary>
    /// From an opening <c>( [ {</c> or <c>&lt;</c> to after its match, template substitutions included; angle brackets
    /// count only inside angle brackets. The contents are not parsed.
    /// </summary>
    private void SkipBalanced()
    {
        var stack = new Stack<char>();
        do
        {
            if (_tok.Kind == TsTokenKind.EndOfFile)
            {
                throw Fail("unbalanced brackets");
            }
            if (_tok.Kind == TsTokenKind.TemplateHead)
            {
                stack.Push('`');
            }
            else if (_tok.Kind == TsTokenKind.TemplateTail && stack.Count > 0 && stack.Peek() == '`')
            {
                stack.Pop();
            }
            else if (_tok.Kind == TsTokenKind.Punctuator)
            {
                switch (_tok.Text)
                {
                    case "(" or "[" or "{":
                        stack.Push(_tok.Text[0]);
                        break;
                    case "<" when stack.Count == 0 || stack.Peek() == '<':
                        stack.Push('<');
                        break;
                    case ">" when stack.Count > 0 && stack.Peek() == '<':
                        stack.Pop();
                        break;
                    case ")" or "]" or "}":
                    {
                        if (_tok.Text == "}" && stack.Count > 0 && stack.Peek() == '`')
                        {
                            _tok = _lexer.RescanTemplateContinuation(_tok.Start);
                            if (_tok.Kind == TsTokenKind.TemplateTail)
                            {
                                stack.Pop();
                            }
                            break;
                        }
                        while (stack.Count > 0 && stack.Peek() == '<')
                        {
                            // a `<` that was a comparison after all
                            stack.Pop();
                        }
                        char open = _tok.Text == ")" ? '(' : _tok.Text == "]" ? '[' : '{';
                        if (stack.Count == 0 || stack.Pop() != open)
                        {
                            throw Fail($"unexpected '{_tok.Text}'");
                        }
                        break;
                    }
                }
            }
            if (stack.Count > MaxDepth)
            {
                throw Fail($"nesting deeper than {MaxDepth} levels");
            }
            Next();
        }
        while (stack.Count > 0);
    }
}
