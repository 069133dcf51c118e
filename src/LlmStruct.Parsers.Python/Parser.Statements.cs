using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

internal sealed partial class Parser
{
    /// <summary>statement: compound_stmt | simple_stmts</summary>
    private void ParseStatement()
    {
        bool doc = _expectDocstring;
        _expectDocstring = false;
        switch (K)
        {
            case TokenKind.Def:
                ParseFunctionDef(_p, -1);
                return;
            case TokenKind.At:
                ParseDecorated();
                return;
            case TokenKind.Class:
                ParseClassDef(_p);
                return;
            case TokenKind.If:
                ParseIf();
                return;
            case TokenKind.While:
                ParseWhile();
                return;
            case TokenKind.For:
                ParseFor(_p);
                return;
            case TokenKind.Try:
                ParseTry();
                return;
            case TokenKind.With:
                ParseWith(_p);
                return;
            case TokenKind.Async:
                switch (PeekKind(1))
                {
                    case TokenKind.Def:
                        ParseFunctionDef(_p, -1);
                        return;
                    case TokenKind.For:
                        ParseFor(_p);
                        return;
                    case TokenKind.With:
                        ParseWith(_p);
                        return;
                    default:
                        throw Fail("invalid syntax");
                }
            case TokenKind.Indent:
                throw Fail("unexpected indent");
            case TokenKind.Name when IsMatchStatement():
                ParseMatch();
                return;
            default:
                ParseSimpleStatements(doc);
                return;
        }
    }

    /// <summary>block: NEWLINE INDENT statements DEDENT | simple_stmts, after the header's ':'.</summary>
    private void ParseBlock(string what, int headerTok)
    {
        ExpectWithMessage(TokenKind.Colon, "expected ':'");
        if (K == TokenKind.Newline)
        {
            _p++;
            if (K != TokenKind.Indent)
            {
                throw K == TokenKind.Error ? Fail("") : Fail($"expected an indented block after {what} on line {_toks[headerTok].Line}");
            }
            _p++;
            while (true)
            {
                ParseStatement();
                if (K == TokenKind.Dedent)
                {
                    _p++;
                    return;
                }
                if (K is TokenKind.EndMarker)
                {
                    return;
                }
                if (K is TokenKind.Error)
                {
                    throw Fail("");
                }
            }
        }
        bool doc = _expectDocstring;
        _expectDocstring = false;
        ParseSimpleStatements(doc);
    }

    /// <summary>The last line of what was consumed (ignoring NEWLINE/INDENT/DEDENT).</summary>
    private int LastLine()
    {
        int i = _p - 1;
        while (i > 0 && _toks[i].Kind is TokenKind.Newline or TokenKind.Dedent or TokenKind.Indent)
        {
            i--;
        }
        return _toks[Math.Max(i, 0)].EndLine;
    }

    /// <summary>simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE</summary>
    private void ParseSimpleStatements(bool doc)
    {
        ParseSimpleStatement(doc);
        while (Accept(TokenKind.Semi))
        {
            if (K == TokenKind.Newline)
            {
                break;
            }
            ParseSimpleStatement(false);
        }
        if (K != TokenKind.Newline)
        {
            throw Fail("invalid syntax");
        }
        _p++;
    }

    private void ParseSimpleStatement(bool doc)
    {
        switch (K)
        {
            case TokenKind.Pass:
            case TokenKind.Break:
            case TokenKind.Continue:
                _p++;
                return;
            case TokenKind.Return:
                _p++;
                if (StartsExpression(K))
                {
                    ParseStarExpressions();
                }
                return;
            case TokenKind.Import:
                ParseImportName();
                return;
            case TokenKind.From:
                ParseImportFrom();
                return;
            case TokenKind.Raise:
                _p++;
                if (StartsExpression(K))
                {
                    ParseExpression();
                    if (Accept(TokenKind.From))
                    {
                        ParseExpression();
                    }
                }
                return;
            case TokenKind.Global:
            case TokenKind.Nonlocal:
                _p++;
                Expect(TokenKind.Name);
                while (Accept(TokenKind.Comma))
                {
                    Expect(TokenKind.Name);
                }
                return;
            case TokenKind.Del:
            {
                _p++;
                var targets = ParseStarExpressions();
                if (targets.DelBadTok >= 0)
                {
                    throw FailAt($"cannot delete {Expr.Describe(targets.DelBadKind)}", targets.DelBadTok);
                }
                if (K is not (TokenKind.Newline or TokenKind.Semi))
                {
                    throw Fail("invalid syntax");
                }
                return;
            }
            case TokenKind.Assert:
                _p++;
                ParseExpression();
                if (Accept(TokenKind.Comma))
                {
                    ParseExpression();
                }
                return;
            case TokenKind.Name when IsSoftKeyword(_p, "type") && PeekKind(1) == TokenKind.Name
                && PeekKind(2) is TokenKind.Equal or TokenKind.LSqb:
                ParseTypeAlias();
                return;
            default:
                ParseExpressionStatement(doc);
                return;
        }
    }

    private Expr ParseAssignmentValue() => K == TokenKind.Yield ? ParseYieldExpression() : ParseStarExpressions();

    /// <summary>assignment | star_expressions (an expression statement, possibly a docstring).</summary>
    private void ParseExpressionStatement(bool doc)
    {
        var first = ParseAssignmentValue();
        bool module = _scope is ModuleNode;
        switch (K)
        {
            case TokenKind.Equal:
            {
                var target = first;
                bool firstTarget = true;
                while (true)
                {
                    if (target.BadTok >= 0)
                    {
                        // Is this a lone 'target = value' (the value not followed by another '=')?
                        int save = _p;
                        _p++;
                        ParseAssignmentValue();
                        _firstTargetOfSingleAssignment = firstTarget && K != TokenKind.Equal;
                        _p = save;
                    }
                    firstTarget = false;
                    CheckAssignTarget(target, statement: true);
                    _p++;
                    var value = ParseAssignmentValue();
                    if (module)
                    {
                        RecordTargets(target, null, value);
                    }
                    if (K != TokenKind.Equal)
                    {
                        return;
                    }
                    target = value;
                }
            }
            case TokenKind.Colon:
            {
                if (first.Kind is ExprKind.Tuple or ExprKind.List)
                {
                    throw FailAt($"only single target (not {Expr.Describe(first.Kind)}) can be annotated", first.StartTok);
                }
                if (first.Kind is not (ExprKind.Name or ExprKind.Attribute or ExprKind.Subscript))
                {
                    throw FailAt("illegal target for annotation", first.StartTok);
                }
                _p++;
                var annotation = ParseExpression();
                Expr? value = null;
                if (Accept(TokenKind.Equal))
                {
                    value = ParseAssignmentValue();
                }
                if (module)
                {
                    RecordTargets(first, SpanOf(annotation), value);
                }
                return;
            }
            case >= TokenKind.PlusEqual and <= TokenKind.DoubleStarEqual:
            case TokenKind.DoubleSlashEqual:
            case TokenKind.AtEqual:
            {
                if (first.Kind is not (ExprKind.Name or ExprKind.Attribute or ExprKind.Subscript))
                {
                    throw FailAt($"'{Expr.Describe(first.Kind)}' is an illegal expression for augmented assignment", first.StartTok);
                }
                _p++;
                var value = ParseAssignmentValue();
                if (module)
                {
                    RecordTargets(first, null, value);
                }
                return;
            }
            default:
                if (doc && first.Kind == ExprKind.Str)
                {
                    _scope.Docstring = StringLiterals.EvaluateDocstring(_src, _toks, first.StartTok, first.EndTok);
                }
                else if (first.Kind == ExprKind.Name && StartsExpression(K) && K is not (TokenKind.LPar or TokenKind.Minus or TokenKind.Plus or TokenKind.Star or TokenKind.Tilde or TokenKind.LSqb)
                    && Text(first.StartTok) is "print" or "exec")
                {
                    string name = Text(first.StartTok);
                    throw FailAt($"Missing parentheses in call to '{name}'. Did you mean {name}(...)?", first.StartTok);
                }
                return;
        }
    }

    /// <summary>type_alias: "type" NAME [type_params] '=' expression</summary>
    private void ParseTypeAlias()
    {
        int start = _p++;
        UsesPython312 = true;
        var node = new TypeAliasNode { Name = NameText(_p), Line = _toks[start].Line, StartLine = _toks[start].Line };
        _p++;
        if (K == TokenKind.LSqb)
        {
            ParseTypeParams(node);
        }
        Expect(TokenKind.Equal);
        var value = ParseExpression();
        node.Value = SpanOf(value);
        node.EndLine = _toks[value.LastTok].EndLine;
        _scope.Body.Add(node);
    }

    /// <summary>import_name: 'import' dotted_as_names</summary>
    private void ParseImportName()
    {
        int line = Cur.Line;
        _p++;
        do
        {
            string module = ParseDottedName();
            string? alias = null;
            if (Accept(TokenKind.As))
            {
                alias = ExpectName();
            }
            _module.Body.Add(new ImportNode { Line = line, Module = module, Alias = alias });
        }
        while (Accept(TokenKind.Comma));
    }

    /// <summary>import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets | 'from' ('.' | '...')+ 'import' …</summary>
    private void ParseImportFrom()
    {
        int line = Cur.Line;
        _p++;
        int level = 0;
        while (K is TokenKind.Dot or TokenKind.Ellipsis)
        {
            level += K == TokenKind.Dot ? 1 : 3;
            _p++;
        }
        string module = "";
        if (K != TokenKind.Import || level == 0)
        {
            module = ParseDottedName();
        }
        if (K != TokenKind.Import)
        {
            throw Fail("invalid syntax");
        }
        _p++;
        var node = new ImportNode { Line = line, Module = module, Level = level, IsFrom = true };
        if (Accept(TokenKind.Star))
        {
            node.Names.Add(("*", null));
        }
        else
        {
            bool paren = Accept(TokenKind.LPar);
            while (true)
            {
                string name = ExpectName();
                string? alias = Accept(TokenKind.As) ? ExpectName() : null;
                node.Names.Add((name, alias));
                if (!Accept(TokenKind.Comma))
                {
                    break;
                }
                if (paren && K == TokenKind.RPar)
                {
                    break;
                }
                if (!paren && K is TokenKind.Newline or TokenKind.Semi)
                {
                    throw FailAt("trailing comma not allowed without surrounding parentheses", _p - 1);
                }
            }
            if (paren)
            {
                Expect(TokenKind.RPar);
            }
        }
        _module.Body.Add(node);
    }

    private string ExpectName()
    {
        if (K != TokenKind.Name)
        {
            throw Fail("invalid syntax");
        }
        return NameText(_p++);
    }

    /// <summary>dotted_name: dotted_name '.' NAME | NAME</summary>
    private string ParseDottedName()
    {
        string name = ExpectName();
        if (K != TokenKind.Dot)
        {
            return name;
        }
        while (K == TokenKind.Dot)
        {
            _p++;
            name = name + "." + ExpectName();
        }
        return TextPool.Intern(name);
    }

    /// <summary>if_stmt: 'if' named_expression ':' block elif_stmt | 'if' named_expression ':' block [else_block]</summary>
    private void ParseIf()
    {
        int header = _p++;
        ParseNamedExpression();
        ParseBlock("'if' statement", header);
        while (K == TokenKind.Elif)
        {
            header = _p++;
            ParseNamedExpression();
            ParseBlock("'elif' statement", header);
        }
        ParseElse();
    }

    private void ParseElse()
    {
        if (K == TokenKind.Else)
        {
            int header = _p++;
            ParseBlock("'else' statement", header);
        }
    }

    /// <summary>while_stmt: 'while' named_expression ':' block [else_block]</summary>
    private void ParseWhile()
    {
        int header = _p++;
        ParseNamedExpression();
        ParseBlock("'while' statement", header);
        ParseElse();
    }

    /// <summary>for_stmt: ['async'] 'for' star_targets 'in' ~ star_expressions ':' block [else_block]</summary>
    private void ParseFor(int header)
    {
        if (K == TokenKind.Async)
        {
            _p++;
        }
        _p++;
        var target = ParseStarTargets();
        CheckAssignTarget(target, statement: false);
        if (K != TokenKind.In)
        {
            throw Fail("invalid syntax");
        }
        _p++;
        ParseStarExpressions();
        ParseBlock("'for' statement", header);
        ParseElse();
    }

    /// <summary>with_stmt: ['async'] 'with' ('(' ','.with_item+ ','? ')' | ','.with_item+) ':' block</summary>
    private void ParseWith(int header)
    {
        if (K == TokenKind.Async)
        {
            _p++;
        }
        _p++;
        if (K == TokenKind.LPar && TryParseParenthesizedWithItems())
        {
            ParseBlock("'with' statement", header);
            return;
        }
        do
        {
            ParseWithItem();
        }
        while (Accept(TokenKind.Comma));
        ParseBlock("'with' statement", header);
    }

    /// <summary>with_item: expression 'as' star_target (followed by ',', ')' or ':') | expression</summary>
    private void ParseWithItem()
    {
        ParseExpression();
        if (Accept(TokenKind.As))
        {
            var target = ParseStarTarget();
            CheckAssignTarget(target, statement: false);
            if (K is not (TokenKind.Comma or TokenKind.RPar or TokenKind.Colon))
            {
                throw Fail("invalid syntax");
            }
        }
    }

    /// <summary>Tries '(' with_item (',' with_item)* [','] ')' ':'; restores the position when it does not fit.</summary>
    private bool TryParseParenthesizedWithItems()
    {
        // The matching ')' must be followed by ':' — otherwise the parenthesis belongs to an expression.
        int depth = 0, i = _p;
        for (; i < _tokenizer.Count; i++)
        {
            var k = _toks[i].Kind;
            if (k is TokenKind.LPar or TokenKind.LSqb or TokenKind.LBrace)
            {
                depth++;
            }
            else if (k is TokenKind.RPar or TokenKind.RSqb or TokenKind.RBrace)
            {
                if (--depth == 0)
                {
                    break;
                }
            }
            else if (k is TokenKind.Newline or TokenKind.EndMarker or TokenKind.Error)
            {
                return false;
            }
        }
        if (i + 1 >= _tokenizer.Count || _toks[i + 1].Kind != TokenKind.Colon)
        {
            return false;
        }
        int save = _p;
        var saveError = Error;
        int calls = _scope.Calls.Count;
        try
        {
            _p++;
            Enter();
            while (true)
            {
                ParseWithItem();
                if (!Accept(TokenKind.Comma) || K == TokenKind.RPar)
                {
                    break;
                }
            }
            Leave();
            if (_p != i)
            {
                throw Fail("invalid syntax");
            }
            _p++;
            return true;
        }
        catch (PythonSyntaxException)
        {
            _p = save;
            _depth = 0;
            _scope.Calls.RemoveRange(calls, _scope.Calls.Count - calls);
            Error = saveError;
            return false;
        }
    }

    /// <summary>try_stmt: 'try' ':' block finally_block | 'try' ':' block except_block+ [else_block] [finally_block] | … except_star_block+ …</summary>
    private void ParseTry()
    {
        int header = _p++;
        ParseBlock("'try' statement", header);
        bool any = false, sawPlain = false, sawStar = false;
        while (K == TokenKind.Except)
        {
            int exceptTok = _p++;
            bool star = Accept(TokenKind.Star);
            if (star)
            {
                sawStar = true;
            }
            else
            {
                sawPlain = true;
            }
            if (sawPlain && sawStar)
            {
                throw FailAt("cannot have both 'except' and 'except*' on the same 'try'", exceptTok);
            }
            if (K != TokenKind.Colon)
            {
                var type = ParseExpression();
                if (K == TokenKind.Comma)
                {
                    throw FailAt("multiple exception types must be parenthesized", type.StartTok);
                }
                if (Accept(TokenKind.As))
                {
                    ExpectName();
                }
            }
            else if (star)
            {
                throw Fail("expected one or more exception types");
            }
            ParseBlock(star ? "'except*' statement" : "'except' statement", exceptTok);
            any = true;
        }
        if (any)
        {
            ParseElse();
        }
        if (K == TokenKind.Finally)
        {
            int fin = _p++;
            ParseBlock("'finally' statement", fin);
            any = true;
        }
        if (!any)
        {
            throw Fail("expected 'except' or 'finally' block");
        }
    }
}
