using LlmStruct.Model;
using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

internal sealed partial class Parser
{
    /// <summary>decorators: ('@' f=named_expression NEWLINE)+, then a class or function definition.</summary>
    private void ParseDecorated()
    {
        var decorators = new List<TextSpan>();
        int firstLine = int.MaxValue;
        while (K == TokenKind.At)
        {
            _p++;
            var e = ParseNamedExpression();
            decorators.Add(SpanOf(e));
            firstLine = Math.Min(firstLine, _toks[e.StartTok].Line);
            if (K != TokenKind.Newline)
            {
                throw Fail("invalid syntax");
            }
            _p++;
        }
        DefinitionNode node;
        if (K == TokenKind.Class)
        {
            node = ParseClassDef(_p, decorators, firstLine);
        }
        else if (K == TokenKind.Def || (K == TokenKind.Async && PeekKind(1) == TokenKind.Def))
        {
            node = ParseFunctionDef(_p, firstLine, decorators);
        }
        else
        {
            throw Fail("invalid syntax");
        }
        _ = node;
    }

    /// <summary>function_def_raw: ['async'] 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' [func_type_comment] block</summary>
    private FunctionDefNode ParseFunctionDef(int header, int decoratorLine, List<TextSpan>? decorators = null)
    {
        bool isAsync = Accept(TokenKind.Async);
        int defTok = _p++;
        if (K != TokenKind.Name)
        {
            throw Fail("invalid syntax");
        }
        var node = new FunctionDefNode
        {
            Name = NameText(_p),
            IsAsync = isAsync,
            Line = _toks[header].Line,
            StartLine = Math.Min(decoratorLine < 0 ? int.MaxValue : decoratorLine, _toks[header].Line),
        };
        if (decorators is not null)
        {
            node.Decorators.AddRange(decorators);
        }
        _p++;
        if (K == TokenKind.LSqb)
        {
            ParseTypeParams(node);
        }
        ExpectWithMessage(TokenKind.LPar, "expected '('");
        if (K != TokenKind.RPar)
        {
            ParseParameters(node, lambda: false);
        }
        Expect(TokenKind.RPar);
        if (Accept(TokenKind.RArrow))
        {
            var returns = ParseExpression();
            node.Returns = SpanOf(returns);
        }
        _scope.Body.Add(node);
        var outer = _scope;
        _scope = node;
        _expectDocstring = true;
        ParseBlock("function definition", defTok);
        _expectDocstring = false;
        _scope = outer;
        node.EndLine = LastLine();
        return node;
    }

    /// <summary>class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block</summary>
    private ClassDefNode ParseClassDef(int header, List<TextSpan>? decorators = null, int decoratorLine = int.MaxValue)
    {
        int classTok = _p++;
        if (K != TokenKind.Name)
        {
            throw Fail("invalid syntax");
        }
        var node = new ClassDefNode
        {
            Name = NameText(_p),
            Line = _toks[header].Line,
            StartLine = Math.Min(decoratorLine, _toks[header].Line),
        };
        if (decorators is not null)
        {
            node.Decorators.AddRange(decorators);
        }
        _p++;
        if (K == TokenKind.LSqb)
        {
            ParseTypeParams(node);
        }
        if (Accept(TokenKind.LPar))
        {
            Enter();
            ParseArguments(node.Bases);
            Leave();
        }
        _scope.Body.Add(node);
        var outer = _scope;
        _scope = node;
        _expectDocstring = true;
        ParseBlock("class definition", classTok);
        _expectDocstring = false;
        _scope = outer;
        node.EndLine = LastLine();
        return node;
    }

    /// <summary>type_params: '[' type_param_seq ']'; type_param: NAME [type_param_bound] | '*' NAME | '**' NAME</summary>
    private void ParseTypeParams(DefinitionNode node)
    {
        UsesPython312 = true;
        _p++;
        if (K == TokenKind.RSqb)
        {
            throw Fail("Type parameter list cannot be empty");
        }
        while (K != TokenKind.RSqb)
        {
            int start = _p;
            if (K is TokenKind.Star or TokenKind.DoubleStar)
            {
                _p++;
                ExpectName();
                if (K == TokenKind.Colon)
                {
                    throw Fail(_toks[start].Kind == TokenKind.Star ? "cannot use bound with TypeVarTuple" : "cannot use bound with ParamSpec");
                }
            }
            else
            {
                ExpectName();
                if (Accept(TokenKind.Colon))
                {
                    ParseExpression();
                }
            }
            node.TypeParameters.Add(new TextSpan(_toks[start].Start, _toks[_p - 1].End));
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }
        Expect(TokenKind.RSqb);
    }

    /// <summary>
    /// parameters / lambda_parameters: positional-only (before '/'), regular, '*' [var-positional], keyword-only,
    /// '**' var-keyword; with CPython's ordering errors.
    /// </summary>
    private void ParseParameters(FunctionDefNode? node, bool lambda)
    {
        bool sawSlash = false, sawStar = false, sawDefault = false, sawKwargs = false;
        int bareStarTok = -1, afterBareStar = 0, count = 0;
        var end = lambda ? TokenKind.Colon : TokenKind.RPar;
        while (K != end)
        {
            if (sawKwargs)
            {
                throw Fail("arguments cannot follow var-keyword argument");
            }
            if (K == TokenKind.Slash)
            {
                if (sawSlash)
                {
                    throw Fail("/ may appear only once");
                }
                if (sawStar)
                {
                    throw Fail("/ must be ahead of *");
                }
                if (count == 0)
                {
                    throw Fail("at least one argument must precede /");
                }
                sawSlash = true;
                if (node is not null)
                {
                    for (int i = 0; i < node.Parameters.Count; i++)
                    {
                        node.Parameters[i] = node.Parameters[i] with { Kind = ParameterKinds.PositionalOnly };
                    }
                }
                _p++;
            }
            else if (K == TokenKind.Star)
            {
                if (sawStar)
                {
                    throw Fail("* argument may appear only once");
                }
                sawStar = true;
                int starTok = _p++;
                if (K == TokenKind.Name)
                {
                    string name = NameText(_p++);
                    TextSpan? annotation = null;
                    if (!lambda && Accept(TokenKind.Colon))
                    {
                        var a = ParseStarExpression();
                        annotation = SpanOf(a);
                    }
                    if (K == TokenKind.Equal)
                    {
                        throw Fail("var-positional argument cannot have default value");
                    }
                    node?.Parameters.Add(new ParameterNode(name, ParameterKinds.VarPositional, annotation, null));
                }
                else
                {
                    bareStarTok = starTok;
                }
            }
            else if (K == TokenKind.DoubleStar)
            {
                _p++;
                string name = ExpectName();
                TextSpan? annotation = null;
                if (!lambda && Accept(TokenKind.Colon))
                {
                    var a = ParseExpression();
                    annotation = SpanOf(a);
                }
                if (K == TokenKind.Equal)
                {
                    throw Fail("var-keyword argument cannot have default value");
                }
                if (bareStarTok >= 0 && afterBareStar == 0)
                {
                    throw FailAt("named arguments must follow bare *", bareStarTok);
                }
                sawKwargs = true;
                node?.Parameters.Add(new ParameterNode(name, ParameterKinds.VarKeyword, annotation, null));
            }
            else if (K == TokenKind.Name)
            {
                int nameTok = _p;
                string name = NameText(_p++);
                TextSpan? annotation = null, defaultValue = null;
                if (!lambda && Accept(TokenKind.Colon))
                {
                    var a = ParseExpression();
                    annotation = SpanOf(a);
                }
                if (Accept(TokenKind.Equal))
                {
                    var d = ParseExpression();
                    defaultValue = SpanOf(d);
                    if (!sawStar)
                    {
                        sawDefault = true;
                    }
                }
                else if (sawDefault && !sawStar)
                {
                    throw FailAt("non-default argument follows default argument", nameTok);
                }
                if (bareStarTok >= 0)
                {
                    afterBareStar++;
                }
                count++;
                node?.Parameters.Add(new ParameterNode(name, sawStar ? ParameterKinds.KeywordOnly : ParameterKinds.Regular, annotation, defaultValue));
            }
            else
            {
                throw Fail("invalid syntax");
            }
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }
        if (bareStarTok >= 0 && afterBareStar == 0)
        {
            throw FailAt("named arguments must follow bare *", bareStarTok);
        }
    }

    /// <summary>Records module-level names bound by an assignment target (and <c>__all__</c> contents).</summary>
    private void RecordTargets(in Expr target, TextSpan? annotation, Expr? value)
    {
        int depth = 0;
        for (int i = target.StartTok; i <= target.EndTok; i++)
        {
            var kind = _toks[i].Kind;
            if (kind is TokenKind.LPar or TokenKind.LSqb)
            {
                var prev = i > target.StartTok ? _toks[i - 1].Kind : TokenKind.Comma;
                if (prev is TokenKind.Name or TokenKind.RPar or TokenKind.RSqb or TokenKind.String or TokenKind.FStringEnd)
                {
                    // A call or subscript: skip it.
                    depth = 1;
                    for (i++; i <= target.EndTok && depth > 0; i++)
                    {
                        var k = _toks[i].Kind;
                        if (k is TokenKind.LPar or TokenKind.LSqb or TokenKind.LBrace)
                        {
                            depth++;
                        }
                        else if (k is TokenKind.RPar or TokenKind.RSqb or TokenKind.RBrace)
                        {
                            depth--;
                        }
                    }
                    i--;
                }
                continue;
            }
            if (kind != TokenKind.Name)
            {
                continue;
            }
            bool afterDot = i > target.StartTok && _toks[i - 1].Kind == TokenKind.Dot;
            var next = i < target.EndTok ? _toks[i + 1].Kind : TokenKind.Comma;
            if (afterDot || next is TokenKind.Dot or TokenKind.LPar or TokenKind.LSqb)
            {
                continue;
            }
            string name = NameText(i);
            _module.Body.Add(new AssignmentNode { Name = name, Line = _toks[i].Line, Annotation = annotation });
            if (name == "__all__" && value is { } v && target.StartTok == target.EndTok)
            {
                CollectExports(v);
            }
        }
    }

    /// <summary>Reads a list or tuple display of string literals (the value of <c>__all__</c>).</summary>
    private void CollectExports(in Expr value)
    {
        if (value.Kind is not (ExprKind.List or ExprKind.Tuple))
        {
            return;
        }
        int i = value.StartTok;
        int end = value.EndTok;
        if (_toks[i].Kind is TokenKind.LPar or TokenKind.LSqb)
        {
            i++;
            end--;
        }
        var found = new List<string>();
        while (i <= end)
        {
            if (_toks[i].Kind != TokenKind.String)
            {
                return;
            }
            int s = i;
            while (i + 1 <= end && _toks[i + 1].Kind == TokenKind.String)
            {
                i++;
            }
            found.Add(StringLiterals.Evaluate(_src, _toks, s, i));
            i++;
            if (i <= end && _toks[i].Kind != TokenKind.Comma)
            {
                return;
            }
            i++;
        }
        _module.Exports.AddRange(found);
    }
}
