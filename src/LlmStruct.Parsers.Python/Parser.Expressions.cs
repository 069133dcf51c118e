using LlmStruct.Parsers.Python.Syntax;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

internal sealed partial class Parser
{
    private Expr Node(ExprKind kind, int startTok, int endTok)
    {
        var e = new Expr { Kind = kind, StartTok = startTok, EndTok = endTok, FirstTok = startTok, LastTok = endTok };
        if (kind is ExprKind.Name or ExprKind.Attribute or ExprKind.Subscript)
        {
            e.BadTok = -1;
            e.DelBadTok = -1;
        }
        else
        {
            e.BadTok = startTok;
            e.BadKind = kind;
            e.DelBadTok = startTok;
            e.DelBadKind = kind;
        }
        return e;
    }

    /// <summary>A node spanning from token <paramref name="startTok"/> to the end of <paramref name="last"/>.</summary>
    private Expr Span(ExprKind kind, int startTok, in Expr last) => Node(kind, startTok, last.LastTok);

    private static void MergeBad(ref Expr into, in Expr child)
    {
        if (into.BadTok < 0 && child.BadTok >= 0)
        {
            into.BadTok = child.BadTok;
            into.BadKind = child.BadKind;
        }
        if (into.DelBadTok < 0 && child.DelBadTok >= 0)
        {
            into.DelBadTok = child.DelBadTok;
            into.DelBadKind = child.DelBadKind;
        }
    }

    private Expr Sequence(ExprKind kind, int startTok, int endTok)
    {
        var e = Node(kind, startTok, endTok);
        e.BadTok = -1;
        e.DelBadTok = -1;
        return e;
    }

    private static bool StartsExpression(TokenKind k) => k is TokenKind.Name or TokenKind.Number or TokenKind.String
        or TokenKind.FStringStart or TokenKind.LPar or TokenKind.LSqb or TokenKind.LBrace or TokenKind.Minus
        or TokenKind.Plus or TokenKind.Tilde or TokenKind.Not or TokenKind.Lambda or TokenKind.Await or TokenKind.Star
        or TokenKind.True or TokenKind.False or TokenKind.None or TokenKind.Ellipsis;

    /// <summary>star_expressions: star_expression (',' star_expression)* [',']</summary>
    private Expr ParseStarExpressions()
    {
        int start = _p;
        var first = ParseStarExpression();
        if (K != TokenKind.Comma)
        {
            return first;
        }
        var tuple = Sequence(ExprKind.Tuple, start, _p);
        MergeBad(ref tuple, first);
        while (Accept(TokenKind.Comma))
        {
            if (!StartsExpression(K))
            {
                break;
            }
            var e = ParseStarExpression();
            MergeBad(ref tuple, e);
        }
        tuple.EndTok = tuple.LastTok = _p - 1;
        return tuple;
    }

    /// <summary>star_expression: '*' bitwise_or | expression</summary>
    private Expr ParseStarExpression()
    {
        if (K == TokenKind.Star)
        {
            int start = _p++;
            var inner = ParseBitwiseOr();
            var e = Span(ExprKind.Starred, start, inner);
            e.BadTok = inner.BadTok;
            e.BadKind = inner.BadKind;
            return e;
        }
        return ParseExpression();
    }

    /// <summary>star_named_expression: '*' bitwise_or | named_expression</summary>
    private Expr ParseStarNamedExpression() => K == TokenKind.Star ? ParseStarExpression() : ParseNamedExpression();

    /// <summary>named_expression: NAME ':=' ~ expression | expression !':='</summary>
    private Expr ParseNamedExpression()
    {
        if (K == TokenKind.Name && PeekKind(1) == TokenKind.ColonEqual)
        {
            int start = _p;
            _p += 2;
            var value = ParseExpression();
            return Span(ExprKind.NamedExpr, start, value);
        }
        var e = ParseExpression();
        if (K == TokenKind.ColonEqual)
        {
            throw FailAt($"cannot use assignment expressions with {Expr.Describe(e.Kind)}", e.StartTok);
        }
        return e;
    }

    /// <summary>expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef</summary>
    private Expr ParseExpression()
    {
        var k = K;
        if (k == TokenKind.Lambda)
        {
            return ParseLambdef();
        }
        // Fast path: a lone name or number followed by a delimiter (most arguments, targets and values).
        if (k is TokenKind.Name or TokenKind.Number && PeekKind(1) is TokenKind.Comma or TokenKind.RPar or TokenKind.RSqb
            or TokenKind.RBrace or TokenKind.Colon or TokenKind.Newline or TokenKind.Equal or TokenKind.Semi)
        {
            int at = _p++;
            return Node(k == TokenKind.Name ? ExprKind.Name : ExprKind.Number, at, at);
        }
        Enter();
        var e = ParseDisjunction();
        if (K == TokenKind.If)
        {
            _p++;
            ParseDisjunction();
            if (K != TokenKind.Else)
            {
                throw FailAt("expected 'else' after 'if' expression", e.StartTok);
            }
            _p++;
            var orelse = ParseExpression();
            e = Node(ExprKind.IfExp, e.FirstTok, orelse.LastTok);
        }
        Leave();
        return e;
    }

    /// <summary>lambdef: 'lambda' [lambda_params] ':' expression</summary>
    private Expr ParseLambdef()
    {
        int start = _p++;
        Enter();
        if (K != TokenKind.Colon)
        {
            ParseParameters(null, lambda: true);
        }
        ExpectWithMessage(TokenKind.Colon, "expected ':'");
        var body = ParseExpression();
        Leave();
        return Span(ExprKind.Lambda, start, body);
    }

    private Expr ParseDisjunction()
    {
        var e = ParseConjunction();
        if (K != TokenKind.Or)
        {
            return e;
        }
        Expr last = e;
        while (Accept(TokenKind.Or))
        {
            last = ParseConjunction();
        }
        return Node(ExprKind.BoolOp, e.FirstTok, last.LastTok);
    }

    private Expr ParseConjunction()
    {
        var e = ParseInversion();
        if (K != TokenKind.And)
        {
            return e;
        }
        Expr last = e;
        while (Accept(TokenKind.And))
        {
            last = ParseInversion();
        }
        return Node(ExprKind.BoolOp, e.FirstTok, last.LastTok);
    }

    /// <summary>inversion: 'not' inversion | comparison</summary>
    private Expr ParseInversion()
    {
        if (K == TokenKind.Not)
        {
            int start = _p++;
            Enter();
            var inner = ParseInversion();
            Leave();
            return Span(ExprKind.UnaryOp, start, inner);
        }
        return ParseComparison();
    }

    /// <summary>comparison: bitwise_or compare_op_bitwise_or_pair*</summary>
    private Expr ParseComparison()
    {
        var e = ParseBitwiseOr();
        Expr last = e;
        bool any = false;
        while (true)
        {
            switch (K)
            {
                case TokenKind.EqEqual:
                case TokenKind.NotEqual:
                case TokenKind.Less:
                case TokenKind.LessEqual:
                case TokenKind.Greater:
                case TokenKind.GreaterEqual:
                case TokenKind.In:
                    _p++;
                    break;
                case TokenKind.Not when PeekKind(1) == TokenKind.In:
                    _p += 2;
                    break;
                case TokenKind.Is:
                    _p++;
                    Accept(TokenKind.Not);
                    break;
                default:
                    return any ? Node(ExprKind.Compare, e.FirstTok, last.LastTok) : e;
            }
            any = true;
            last = ParseBitwiseOr();
        }
    }

    private static int BinaryPrecedence(TokenKind k) => k switch
    {
        TokenKind.VBar => 1,
        TokenKind.CircumFlex => 2,
        TokenKind.Amper => 3,
        TokenKind.LeftShift or TokenKind.RightShift => 4,
        TokenKind.Plus or TokenKind.Minus => 5,
        TokenKind.Star or TokenKind.Slash or TokenKind.DoubleSlash or TokenKind.Percent or TokenKind.At => 6,
        _ => 0,
    };

    private Expr ParseBitwiseOr() => ParseBinary(1);

    /// <summary>bitwise_or … term, by precedence climbing (all left-associative).</summary>
    private Expr ParseBinary(int minPrecedence)
    {
        var left = ParseFactor();
        while (true)
        {
            int prec = BinaryPrecedence(K);
            if (prec < minPrecedence || prec == 0)
            {
                return left;
            }
            _p++;
            var right = ParseBinary(prec + 1);
            left = Node(ExprKind.BinOp, left.FirstTok, right.LastTok);
        }
    }

    /// <summary>factor: '+' factor | '-' factor | '~' factor | power</summary>
    private Expr ParseFactor()
    {
        if (K is TokenKind.Plus or TokenKind.Minus or TokenKind.Tilde)
        {
            int start = _p++;
            Enter();
            var inner = ParseFactor();
            Leave();
            return Span(ExprKind.UnaryOp, start, inner);
        }
        return ParsePower();
    }

    /// <summary>power: await_primary '**' factor | await_primary</summary>
    private Expr ParsePower()
    {
        Expr e;
        if (K == TokenKind.Await)
        {
            int start = _p++;
            var inner = ParsePrimary();
            e = Span(ExprKind.Await, start, inner);
        }
        else
        {
            e = ParsePrimary();
        }
        if (K == TokenKind.DoubleStar)
        {
            _p++;
            var right = ParseFactor();
            e = Node(ExprKind.BinOp, e.FirstTok, right.LastTok);
        }
        return e;
    }

    /// <summary>primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' | primary '[' slices ']' | atom</summary>
    private Expr ParsePrimary()
    {
        var e = ParseAtom(out int startTok);
        while (true)
        {
            switch (K)
            {
                case TokenKind.Dot:
                    _p++;
                    if (K != TokenKind.Name)
                    {
                        throw Fail("invalid syntax");
                    }
                    e = Node(ExprKind.Attribute, startTok, _p++);
                    break;
                case TokenKind.LPar:
                {
                    int line = Cur.Line;
                    _p++;
                    Enter();
                    ParseArguments(null);
                    Leave();
                    AddCall(e, _toks[startTok].Line);
                    _ = line;
                    e = Node(ExprKind.Call, startTok, _p - 1);
                    break;
                }
                case TokenKind.LSqb:
                    _p++;
                    Enter();
                    ParseSlices();
                    Leave();
                    Expect(TokenKind.RSqb);
                    e = Node(ExprKind.Subscript, startTok, _p - 1);
                    break;
                default:
                    return e;
            }
        }
    }

    /// <summary>slices: slice !',' | ','.(slice | starred_expression)+ [',']</summary>
    private void ParseSlices()
    {
        ParseSlice();
        while (Accept(TokenKind.Comma))
        {
            if (K == TokenKind.RSqb)
            {
                break;
            }
            ParseSlice();
        }
    }

    /// <summary>slice: [expression] ':' [expression] [':' [expression]] | named_expression</summary>
    private void ParseSlice()
    {
        if (K == TokenKind.Star)
        {
            ParseStarExpression();
            return;
        }
        if (K != TokenKind.Colon)
        {
            var e = ParseNamedExpression();
            if (K != TokenKind.Colon || e.Kind == ExprKind.NamedExpr)
            {
                return;
            }
        }
        _p++;
        if (K is not (TokenKind.Colon or TokenKind.Comma or TokenKind.RSqb))
        {
            ParseExpression();
        }
        if (Accept(TokenKind.Colon) && K is not (TokenKind.Comma or TokenKind.RSqb))
        {
            ParseExpression();
        }
    }

    /// <summary>
    /// arguments: args [','] followed by ')'; checks CPython's argument-order rules. When <paramref name="bases"/> is given
    /// (a class statement), each argument is recorded.
    /// </summary>
    private void ParseArguments(List<ArgumentNode>? bases)
    {
        bool sawKeyword = false, sawDoubleStar = false;
        int count = 0;
        while (K != TokenKind.RPar)
        {
            count++;
            if (K == TokenKind.Star)
            {
                if (sawDoubleStar)
                {
                    throw Fail("iterable argument unpacking follows keyword argument unpacking");
                }
                int star = _p++;
                var inner = ParseExpression();
                var e = Span(ExprKind.Starred, star, inner);
                if (K == TokenKind.For)
                {
                    throw FailAt("iterable unpacking cannot be used in comprehension", star);
                }
                bases?.Add(new ArgumentNode(null, SpanOf(e), false));
            }
            else if (K == TokenKind.DoubleStar)
            {
                _p++;
                var e = ParseExpression();
                sawDoubleStar = true;
                bases?.Add(new ArgumentNode(null, SpanOf(e), true));
            }
            else if (PeekKind(1) == TokenKind.Equal && K is TokenKind.Name or TokenKind.True or TokenKind.False or TokenKind.None)
            {
                if (K != TokenKind.Name)
                {
                    throw Fail($"cannot assign to {Text(_p)}");
                }
                int name = _p;
                _p += 2;
                var e = ParseExpression();
                if (K == TokenKind.For)
                {
                    throw FailAt("invalid syntax", name);
                }
                sawKeyword = true;
                bases?.Add(new ArgumentNode(NameText(name), SpanOf(e), false));
            }
            else
            {
                var e = ParseNamedExpression();
                if (K == TokenKind.Equal)
                {
                    throw FailAt("expression cannot contain assignment, perhaps you meant \"==\"?", e.StartTok);
                }
                if (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
                {
                    if (e.Kind == ExprKind.Starred)
                    {
                        throw FailAt("iterable unpacking cannot be used in comprehension", e.StartTok);
                    }
                    int forTok = _p;
                    ParseForIfClauses();
                    if (count > 1 || (K == TokenKind.Comma && PeekKind(1) != TokenKind.RPar) || bases is not null)
                    {
                        throw bases is not null ? FailAt("invalid syntax", forTok) : FailAt("Generator expression must be parenthesized", e.StartTok);
                    }
                }
                if (sawDoubleStar)
                {
                    throw FailAt("positional argument follows keyword argument unpacking", e.StartTok);
                }
                if (sawKeyword)
                {
                    throw FailAt("positional argument follows keyword argument", e.StartTok);
                }
                bases?.Add(new ArgumentNode(null, SpanOf(e), false));
            }
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }
        Expect(TokenKind.RPar);
    }

    /// <summary>for_if_clauses: (['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*)+</summary>
    private void ParseForIfClauses()
    {
        while (K == TokenKind.For || (K == TokenKind.Async && PeekKind(1) == TokenKind.For))
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
            ParseDisjunction();
            while (Accept(TokenKind.If))
            {
                ParseDisjunction();
            }
        }
    }

    /// <summary>star_targets: star_target !',' | star_target (',' star_target)* [',']</summary>
    private Expr ParseStarTargets()
    {
        int start = _p;
        var first = ParseStarTarget();
        if (K != TokenKind.Comma)
        {
            return first;
        }
        var tuple = Sequence(ExprKind.Tuple, start, _p);
        MergeBad(ref tuple, first);
        while (Accept(TokenKind.Comma))
        {
            if (!StartsExpression(K))
            {
                break;
            }
            MergeBad(ref tuple, ParseStarTarget());
        }
        tuple.EndTok = tuple.LastTok = _p - 1;
        return tuple;
    }

    /// <summary>star_target: '*' (!'*' star_target) | target_with_star_atom</summary>
    private Expr ParseStarTarget()
    {
        if (K == TokenKind.Star)
        {
            int start = _p++;
            if (K == TokenKind.Star)
            {
                throw Fail("invalid syntax");
            }
            Enter();
            var inner = ParseStarTarget();
            Leave();
            var e = Span(ExprKind.Starred, start, inner);
            e.BadTok = inner.BadTok;
            e.BadKind = inner.BadKind;
            return e;
        }
        return ParsePrimary();
    }

    private bool _firstTargetOfSingleAssignment;

    private void CheckAssignTarget(in Expr target, bool statement)
    {
        if (target.BadTok >= 0)
        {
            string what = Expr.Describe(target.BadKind);
            // CPython adds the '==' hint only for a lone first target that is a bitwise_or expression.
            bool here = statement && target.BadTok == target.StartTok && target.Kind is not (ExprKind.Tuple or ExprKind.List)
                && target.BadKind is not (ExprKind.True or ExprKind.False or ExprKind.None or ExprKind.Yield or ExprKind.IfExp
                    or ExprKind.BoolOp or ExprKind.Compare or ExprKind.Lambda or ExprKind.NamedExpr or ExprKind.GeneratorExp)
                && _toks[target.BadTok].Kind != TokenKind.Not
                && _firstTargetOfSingleAssignment;
            if (target.BadKind == ExprKind.Yield && statement)
            {
                throw FailAt("assignment to yield expression not possible", target.BadTok);
            }
            throw FailAt(here ? $"cannot assign to {what} here. Maybe you meant '==' instead of '='?" : $"cannot assign to {what}", target.BadTok);
        }
    }
}
