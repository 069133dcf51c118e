namespace LlmStruct.Parsers.Python.Syntax;

/// <summary>Expression node kinds (the parser keeps only the kind and span of an expression).</summary>
internal enum ExprKind : byte
{
    Name, Attribute, Subscript, Starred, Tuple, List, Call, Number, True, False, None, Ellipsis, Str, Bytes,
    FString, BinOp, UnaryOp, BoolOp, Compare, Lambda, IfExp, Dict, Set, ListComp, SetComp, DictComp,
    GeneratorExp, Yield, Await, NamedExpr, Slice,
}

/// <summary>
/// What the parser remembers of one expression: kind, node span as tokens (as CPython's positions: a parenthesized
/// expression's span excludes the parentheses, a tuple's includes them) and the first sub-expression that
/// cannot be an assignment or deletion target.
/// </summary>
/// <remarks>
/// Returned by value through every level of the expression grammar, so it is kept small: token indexes only (the
/// character span is read from the tokens when needed), the three kinds packed together (28 bytes).
/// </remarks>
internal struct Expr
{
    public int StartTok;
    public int EndTok;

    /// <summary>First token including enclosing parentheses of a group (equals <see cref="StartTok"/> otherwise).</summary>
    public int FirstTok;

    /// <summary>Last token including enclosing parentheses of a group.</summary>
    public int LastTok;
    public int BadTok;
    public int DelBadTok;
    public ExprKind Kind;
    public ExprKind BadKind;
    public ExprKind DelBadKind;

    public static string Describe(ExprKind kind) => kind switch
    {
        ExprKind.Name => "name",
        ExprKind.Attribute => "attribute",
        ExprKind.Subscript => "subscript",
        ExprKind.Starred => "starred",
        ExprKind.Tuple => "tuple",
        ExprKind.List => "list",
        ExprKind.Call => "function call",
        ExprKind.Number or ExprKind.Str or ExprKind.Bytes => "literal",
        ExprKind.True => "True",
        ExprKind.False => "False",
        ExprKind.None => "None",
        ExprKind.Ellipsis => "ellipsis",
        ExprKind.FString => "f-string expression",
        ExprKind.BinOp or ExprKind.UnaryOp or ExprKind.BoolOp => "expression",
        ExprKind.Compare => "comparison",
        ExprKind.Lambda => "lambda",
        ExprKind.IfExp => "conditional expression",
        ExprKind.Dict => "dict literal",
        ExprKind.Set => "set display",
        ExprKind.ListComp => "list comprehension",
        ExprKind.SetComp => "set comprehension",
        ExprKind.DictComp => "dict comprehension",
        ExprKind.GeneratorExp => "generator expression",
        ExprKind.Yield => "yield expression",
        ExprKind.Await => "await expression",
        ExprKind.NamedExpr => "named expression",
        _ => "expression",
    };
}
